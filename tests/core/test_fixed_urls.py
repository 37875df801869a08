"""The layout's fixed links and static files (core/templatetags/portal.py: fixed_url, fixed_static): looked
up once per process, and again after a change of the settings they depend on."""

from django.test import override_settings

from core.templatetags import portal


def test_a_fixed_url_is_reversed_once(monkeypatch, settings):
    calls = []
    real = portal.reverse
    monkeypatch.setattr(portal, "reverse", lambda name: calls.append(name) or real(name))
    portal._FIXED_URLS.clear()
    assert portal.fixed_url("home") == "/"
    settings.LANGUAGE_CODE = "en"  # a setting every test changes (tests/conftest.py): kept
    assert portal.fixed_url("home") == "/"
    assert calls == ["home"]


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
