"""A secretary's phone number: what the portal takes as one.

Vietnamese numbers since the 2018 renumbering: a mobile has 10 digits (03x, 05x, 07x, 08x, 09x), a
landline 11 (02xx and 7 or 8 digits), both starting with 0; written with +84 in place of that 0 they are
the same number. Spaces, dots, dashes and brackets between the digits are how people write them; a number
is kept written one way (`formatted`: "0912 345 678", as the lists, the print and the export show it), by
`Person.save()`, the import and the correction form alike, and `Person.phone_digits` holds the digits for
search, "+84" read as the leading 0, so that "0912 345 678", "0912345678" and "+84 912 345 678" find one
another. A number typed into a number cell of
Excel loses its leading zero: the secretaries' import puts it back before this check."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

SEPARATORS = str.maketrans("", "", " .-()\u00a0")
MESSAGE = _("Enter a phone number of 10 or 11 digits starting with 0 (or +84), e.g. 0912 345 678.")


def national_digits(text: str) -> str:
    """The number's digits as dialled inside Vietnam ("+84 912 345 678" → "0912345678"); what is not a
    number is returned without its separators."""
    compact = text.translate(SEPARATORS)
    return "0" + compact[3:] if compact.startswith("+84") else compact


def search_digits(text: str) -> str:
    """The digits a phone number is stored and searched by ("+84 912 345 678" → "0912345678")."""
    return "".join(ch for ch in national_digits(text) if ch.isdigit())


#: a number in a search box: digits with the separators people write between them, "+84" before them
_TYPED_NUMBER = re.compile(r"(?<![\w+(])[+(]?\d(?:[\d .\-()\u00a0]*\d)?(?!\w)")


def numbers_in_query(text: str) -> tuple[list[str], str]:
    """The phone numbers of a search box, each as the digits it is searched by, and the rest of the text:
    "0918-226-084", "0918 226 084" and "+84 918 226 084" are each one number, "0918226084", as the phone
    field reads them; so are "84918226084" (the "+" lost in a link's query string: no number dialled
    inside Vietnam begins with 84) and a part of one ("226 084")."""
    numbers = []
    for found in _TYPED_NUMBER.findall(text):
        digits = search_digits(found)
        if len(digits) == 11 and digits.startswith("84"):
            digits = "0" + digits[2:]
        numbers.append(digits)
    return numbers, _TYPED_NUMBER.sub(" ", text)


def is_phone(text: str) -> bool:
    digits = national_digits(text)
    return digits.isdigit() and digits.startswith("0") and len(digits) in (10, 11)


def validate_phone(value: str) -> None:
    """The model field's validator (forms, Django admin); an empty value is the field's `blank`."""
    if value and not is_phone(value):
        raise ValidationError(MESSAGE, code="phone")


def formatted(text: str) -> str:
    """A phone number written the portal's one way: a mobile (10 digits) "0912 345 678", a landline (11)
    "0294 3855 123", "+84" read as the leading 0; what is not a number is kept as typed (the validator
    refuses it)."""
    text = (text or "").strip()
    if not is_phone(text):
        return text
    digits = national_digits(text)
    if len(digits) == 10:
        return f"{digits[:4]} {digits[4:7]} {digits[7:]}"
    return f"{digits[:4]} {digits[4:8]} {digits[8:]}"
