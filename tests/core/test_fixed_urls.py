"""The portal's links and static files (core/navigation.py: fixed_url, object_url; the template tags
fixed_url, fixed_static): looked up once per process, and again after a change of the settings they
depend on."""

from django.test import override_settings
from django.urls import reverse

from core import navigation
from core.templatetags import portal
from secretaries.models import Person


def test_a_fixed_url_is_reversed_once(monkeypatch, settings):
    calls = []
    real = navigation.reverse
    monkeypatch.setattr(navigation, "reverse", lambda name, **kw: calls.append(name) or real(name, **kw))
    navigation._URLS.clear()
    navigation._PK_URLS.clear()
    assert portal.fixed_url("home") == "/"
    settings.LANGUAGE_CODE = "en"  # a setting every test changes (tests/conftest.py): kept
    assert portal.fixed_url("home") == "/"
    assert calls == ["home"]
    # An object's URL: its parts around the pk once, the same URL as reverse() for any pk.
    for pk in (1, 42, 2_147_483_646):
        assert Person(pk=pk).get_absolute_url() == real("secretaries:person_detail", kwargs={"pk": pk})
    assert calls == ["home", "secretaries:person_detail"]


def test_an_object_url_follows_the_urlconf_and_the_script_prefix():
    from django.urls import set_script_prefix

    assert Person(pk=7).get_absolute_url() == "/secretaries/7/"
    try:
        set_script_prefix("/portal/")
        assert Person(pk=7).get_absolute_url() == "/portal/secretaries/7/"
    finally:
        set_script_prefix("/")
    with override_settings(ROOT_URLCONF="tests.core.urls_elsewhere"):
        assert navigation.object_url("person", 7) == "/elsewhere/7/" == reverse("person", kwargs={"pk": 7})
    assert Person(pk=7).get_absolute_url() == "/secretaries/7/"


def test_a_fixed_url_follows_the_script_prefix():
    from django.urls import set_script_prefix

    try:
        set_script_prefix("/portal/")
        assert portal.fixed_url("home") == "/portal/"
    finally:
        set_script_prefix("/")
    assert portal.fixed_url("home") == "/"


def test_a_fixed_static_file_follows_the_static_settings():
    before = portal.fixed_static("css/portal.css")
    with override_settings(STATIC_URL="/assets/"):
        assert portal.fixed_static("css/portal.css") == "/assets/css/portal.css"
    assert portal.fixed_static("css/portal.css") == before == "/static/css/portal.css"


def test_the_pk_url_filter_is_the_url_tag_for_a_row():
    """`{{ row.pk|pk_url:"app:view" }}` in the lists' rows is what `{% url "app:view" row.pk %}` gives."""
    from django.template import Context, Template

    template = Template(
        '{% load portal %}{{ pk|pk_url:"awards:nomination_approve" }}'
        '|{% url "awards:nomination_approve" pk %}'
    )
    for pk in (3, 2_147_483_646):
        ours, django = template.render(Context({"pk": pk})).split("|")
        assert ours == django == f"/awards/nominations/{pk}/approve/"
