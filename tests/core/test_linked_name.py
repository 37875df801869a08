"""partials/linked_name.html writes the name and nothing after it: a comma written after the include
follows the name directly ("Ấp Đại Mong A, Ấp Đại Mong B", where it read "Ấp Đại Mong A , …")."""

from types import SimpleNamespace

from django.template import Context, Template

LIST = (
    '{% for other in others %}{% include "partials/linked_name.html" with other=other %}'
    "{% if not forloop.last %},{% endif %}{% endfor %}"
)


def test_no_space_before_the_comma_linked_or_not():
    others = [
        SimpleNamespace(name="Ấp Đại Mong A", get_absolute_url="/branches/1/"),
        SimpleNamespace(name="Ấp Đại Mong B", get_absolute_url="/branches/2/", visible=False),
    ]
    text = Template(LIST).render(Context({"others": others})).strip()
    assert '<a href="/branches/1/">Ấp Đại Mong A</a>,' in text
    assert " ," not in text and "\n," not in text
    assert text.endswith("Ấp Đại Mong B")
