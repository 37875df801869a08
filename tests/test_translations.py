"""Every string a user sees has its Vietnamese translation, and the compiled catalogue is current."""

import gettext
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "locale" / "vi" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")


def unquote(text: str) -> str:
    return text.replace('\\"', '"').replace("\\n", "\n").replace("\\\\", "\\")


def entries(text: str):
    """(msgid, msgstr, fuzzy, msgid_plural, msgctxt) of a --no-wrap catalogue; plurals give their one
    form."""
    for block in text.split("\n\n"):
        msgid = re.search(r'^msgid "(.*)"$', block, re.M)
        if not msgid or msgid.group(1) == "":
            continue
        msgstr = re.search(r'^msgstr(?:\[0\])? "(.*)"$', block, re.M)
        plural = re.search(r'^msgid_plural "(.*)"$', block, re.M)
        context = re.search(r'^msgctxt "(.*)"$', block, re.M)
        yield (
            unquote(msgid.group(1)),
            unquote(msgstr.group(1)),
            "#, fuzzy" in block,
            unquote(plural.group(1)) if plural else None,
            unquote(context.group(1)) if context else None,
        )


def test_every_message_is_translated():
    untranslated = [
        msgid for msgid, msgstr, fuzzy, *_ in entries(PO.read_text("utf-8")) if not msgstr or fuzzy
    ]
    assert not untranslated, untranslated


def test_a_nomination_is_de_nghi_everywhere():
    """The glossary's word for nominating is "đề nghị": "đề cử" (an election's word) crept into messages."""
    saying = [msgid for msgid, msgstr, *_rest in entries(PO.read_text("utf-8")) if "đề cử" in msgstr.lower()]
    assert saying == []


def test_compiled_catalogue_matches_the_source():
    catalogue = gettext.GNUTranslations(MO.open("rb"))
    stale = []
    for msgid, msgstr, _, plural, context in entries(PO.read_text("utf-8")):
        if context:
            compiled = (
                catalogue.npgettext(context, msgid, plural, 1)
                if plural
                else catalogue.pgettext(context, msgid)
            )
        else:
            compiled = catalogue.ngettext(msgid, plural, 1) if plural else catalogue.gettext(msgid)
        if compiled != msgstr:
            stale.append(msgid)
    assert not stale, f"run `make messages`: {stale}"


@pytest.mark.skipif(not shutil.which("xgettext") and not os.environ.get("CI"), reason="needs GNU gettext")
def test_no_string_in_the_code_is_missing_from_the_catalogue(tmp_path):
    copy = tmp_path / "project"
    shutil.copytree(
        ROOT,
        copy,
        ignore=shutil.ignore_patterns(
            ".venv",
            "node_modules",
            ".git",
            "static",
            "media",
            "staticfiles",
            "tests",
            "test-artifacts",
            "*.sqlite3",
            "__pycache__",
        ),
    )
    before = {msgid for msgid, *_ in entries((copy / PO.relative_to(ROOT)).read_text("utf-8"))}
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "vi", "--no-wrap", "--no-obsolete"],
        cwd=copy,
        check=True,
        capture_output=True,
    )
    after = {msgid for msgid, *_ in entries((copy / PO.relative_to(ROOT)).read_text("utf-8"))}
    assert after == before, f"run `make messages` and translate: new {sorted(after - before)}"


@pytest.mark.django_db
def test_vietnamese_whatever_the_browser_asks_english_only_from_the_switch(client):
    from django.urls import reverse

    english_browser = {"HTTP_ACCEPT_LANGUAGE": "en-US,en;q=0.9"}
    page = client.get(reverse("login"), **english_browser).content.decode()
    assert "Đăng nhập" in page and "Log in" not in page
    client.post(reverse("set_language"), {"language": "en", "next": "/"}, **english_browser)
    page = client.get(reverse("login"), **english_browser).content.decode()
    assert "Log in" in page


def test_djangos_form_messages_are_said_in_the_portals_vietnamese():
    """Where Django's own Vietnamese reads wrongly ("Nhập một số tổng thể." for a whole number, "… bằng với
    0 ." for a number out of range), the portal's catalogue, consulted first, says it as the rest of the
    portal does (core/library_messages.py)."""
    from django import forms
    from django.core.exceptions import ValidationError
    from django.utils import translation

    places = forms.DecimalField(max_digits=5, decimal_places=2)
    NO_SUCH_DATE = "Không có ngày này: kiểm tra ngày, tháng, năm và viết theo dạng dd/mm/yyyy."
    cases = [
        (forms.IntegerField(min_value=0, max_value=10), -3, "Giá trị phải lớn hơn hoặc bằng 0."),
        (forms.IntegerField(min_value=0, max_value=10), 11, "Giá trị phải nhỏ hơn hoặc bằng 10."),
        (forms.IntegerField(), "mười", "Nhập một số nguyên."),
        (forms.EmailField(), "a@", "Nhập một địa chỉ e-mail hợp lệ."),
        (forms.CharField(max_length=3), "Hiếu Tử", "Tối đa 3 ký tự (đang có 7)."),
        (places, "1.234", "Tối đa 2 chữ số sau dấu thập phân."),
        (places, "1234.5", "Tối đa 3 chữ số trước dấu thập phân."),
        (forms.ChoiceField(choices=[("a", "A")]), "b", "b không có trong danh sách: hãy chọn lại."),
        # A day that does not exist says so, and how a date is written (no example: QA3 m8).
        (forms.DateField(), "31/02/2026", NO_SUCH_DATE),
        (forms.DateField(), "2026-31-02", NO_SUCH_DATE),
    ]
    with translation.override("vi"):
        for field, value, message in cases:
            with pytest.raises(ValidationError) as raised:
                field.clean(value)
            assert raised.value.messages == [message], value
