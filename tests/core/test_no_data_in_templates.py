"""No data is ever compiled as a template (ASVS 5.0 V1.3.7, template injection).

crispy-forms renders the text of HTML(), a Fieldset's legend, a button's label and an Alert as a Django
template; `format_html` does not escape `{{ }}` or `{% %}`. So: crispy's own pieces take constant text only
(checked here over the whole code base), and data goes through core.forms' pieces, which hand it to a fixed
template as an autoescaped context variable (checked here by rendering payloads)."""

import ast
from pathlib import Path

import pytest
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout
from django import forms
from django.template import Context, Template
from django.urls import reverse

from assessments.models import SkillGroup
from core.forms import CancelLink, Fieldset, Submit

ROOT = Path(__file__).resolve().parents[2]
SKIPPED_DIRS = {".venv", "node_modules", "tests", "migrations", "static", "staticfiles", "media", ".git"}

# crispy's pieces whose text is compiled as a template (or output unescaped): which argument holds it.
COMPILED = {
    "HTML": (0, "html"),
    "Fieldset": (0, "legend"),
    "Submit": (1, "value"),
    "Button": (1, "value"),
    "Reset": (1, "value"),
    "Hidden": (1, "value"),
    "StrictButton": (0, "content"),
    "Alert": (0, "content"),
    "PrependedText": (1, "text"),
    "AppendedText": (1, "text"),
}
TRANSLATIONS = {"_", "gettext", "gettext_lazy", "pgettext", "pgettext_lazy", "capfirst", "mark_safe"}
CRISPY_MODULES = {"crispy_forms.layout", "crispy_forms.bootstrap"}


def is_constant(node: ast.expr) -> bool:
    """Text the code base wrote itself: literals, their translations, format_html of constants."""
    if isinstance(node, ast.Constant):
        return True
    if isinstance(node, ast.JoinedStr):
        return all(isinstance(part, ast.Constant) for part in node.values)
    if isinstance(node, ast.BinOp):
        return is_constant(node.left) and is_constant(node.right)
    if isinstance(node, ast.BoolOp):
        return all(is_constant(v) for v in node.values)
    if isinstance(node, ast.IfExp):  # the condition only chooses between constants
        return is_constant(node.body) and is_constant(node.orelse)
    if isinstance(node, ast.Call) and getattr(node.func, "id", None) in TRANSLATIONS | {"format_html"}:
        return all(is_constant(a) for a in node.args) and all(is_constant(k.value) for k in node.keywords)
    return False


def source_files():
    for path in sorted(ROOT.rglob("*.py")):
        if not SKIPPED_DIRS.intersection(path.relative_to(ROOT).parts):
            yield path


def compiled_text_arguments(tree: ast.Module):
    """(line, piece, argument) for every call of a crispy piece imported from crispy_forms."""
    crispy = {
        alias.asname or alias.name: alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module in CRISPY_MODULES
        for alias in node.names
        if alias.name in COMPILED
    }
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in crispy:
            piece = crispy[node.func.id]
            position, keyword = COMPILED[piece]
            argument = node.args[position] if len(node.args) > position else None
            argument = next((k.value for k in node.keywords if k.arg == keyword), argument)
            if argument is not None:
                yield node.lineno, piece, argument
        # Django's own Template() or from_string() with anything but a literal.
        if isinstance(node, ast.Call):
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if name in {"Template", "from_string"} and node.args and not is_constant(node.args[0]):
                yield node.lineno, name, node.args[0]


def test_crispy_pieces_and_templates_get_constant_text_only():
    offending = [
        f"{path.relative_to(ROOT)}:{line} {piece}({ast.unparse(argument)})"
        for path in source_files()
        for line, piece, argument in compiled_text_arguments(ast.parse(path.read_text(), str(path)))
        if not is_constant(argument)
    ]
    assert not offending, "data compiled as a template (use core.forms pieces):\n" + "\n".join(offending)


def test_the_scan_finds_what_it_must():
    """The scan itself: each of these would be an injection."""
    code = """
from crispy_forms.layout import HTML, Fieldset, Submit as Go
from crispy_forms.bootstrap import StrictButton

# The world and the personas are built once for the module (tests/conftest.py: world_once).
pytestmark = pytest.mark.usefixtures("world_once")
HTML(format_html('<a href="{}">x</a>', cancel_url))
HTML(f"<p>{name}</p>")
Fieldset(group.name)
Go("submit", label or _("Save"))
StrictButton(content=person.full_name)
Template(request.GET["t"])
HTML("<p>constant</p>")
Fieldset(_("Outcomes"))
"""
    found = [
        piece for _, piece, argument in compiled_text_arguments(ast.parse(code)) if not is_constant(argument)
    ]
    assert found == ["HTML", "HTML", "Fieldset", "Submit", "StrictButton", "Template"]


PAYLOADS = ["/{{ user.username }}", "{% debug %}", "{{ request.COOKIES.sessionid }}", "{% now 'Y' %}"]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_core_pieces_show_data_as_text(payload, rf):
    class Form(forms.Form):
        name = forms.CharField()

    form = Form()
    form.helper = FormHelper()
    form.helper.form_tag = False
    form.helper.layout = Layout(Fieldset(payload, "name"), Submit("submit", payload), CancelLink(payload))
    request = rf.get("/")
    request.COOKIES["sessionid"] = "s3cr3t-session-key"
    html = Template("{% load crispy_forms_tags %}{% crispy form %}").render(
        Context({"form": form, "request": request, "user": type("U", (), {"username": "quantri"})()})
    )
    escaped = payload.replace("'", "&#x27;")
    assert html.count(escaped) == 3, html  # the legend, the button's label, the link
    for rendered in ("/quantri", "s3cr3t-session-key", "&#x27;True&#x27;: True", "'True': True"):
        assert rendered not in html


@pytest.mark.parametrize("payload", ["/{{user.username}}", "/{{request.COOKIES.sessionid}}"])
@pytest.mark.parametrize(
    ("persona", "page"),
    [
        ("tieu_can_officer", lambda w: reverse("secretaries:appoint")),
        ("tra_vinh_staff", lambda w: reverse("awards:nomination_reject", args=[w["tieu_can_nomination"].pk])),
    ],
    ids=["appoint", "nomination reject"],
)
def test_the_reported_cancel_links_show_next_as_text(persona, page, payload, as_persona, world):
    """The two pages of the report: `?next=/{{user.username}}` rendered the username into the Cancel link."""
    client = as_persona(persona)
    response = client.get(page(world), {"next": payload})
    html = response.content.decode()
    assert f'href="{payload}">' in html
    assert f'href="/{response.wsgi_request.user.username}"' not in html
    assert client.cookies["sessionid"].value not in html


def test_a_criterion_group_named_like_a_template_is_shown_as_text(client, tieu_can_officer, world):
    """Stored data in a crispy legend: the assessment form's fieldsets are named after the skill groups."""
    assessment = world["tieu_can_assessment"]
    SkillGroup.objects.filter(framework=assessment.framework, order=1).update(name="{{ user.username }}")
    client.force_login(tieu_can_officer)
    html = client.get(reverse("assessments:assessment_update", args=[assessment.pk])).content.decode()
    assert "1. {{ user.username }}" in html
    assert "1. huyendoan.tieucan" not in html
