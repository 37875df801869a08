"""Password rules beyond Django's (ASVS 5.0 V6.2): no word of the portal's own context, and a longer
password for the accounts that see a whole province or the whole country.

Django's validators in AUTH_PASSWORD_VALIDATORS add the rest: 12 characters at least, not a common
password, not all digits, not close to the username or name.
"""

import re

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from branches.models import District, Province
from core.text import fold

#: words anyone would try first against this portal: its name and the Union's words (folded: lower case,
#: no diacritics, no spaces)
PORTAL_WORDS = (
    "bithu",
    "chidoan",
    "doan",
    "thanhnien",
    "congthongtin",
    "tinhdoan",
    "huyendoan",
    "quantri",
    "hochiminh",
)
#: passwords as common as "password", in Vietnamese too: a password containing one is a common one, which
#: Django's CommonPasswordValidator finds only as the whole password
COMMON_WORDS = ("matkhau", "password", "anhyeuem", "emyeuanh", "vietnam")
#: the kind of unit in front of its name ("Tỉnh Trà Vinh" → "tra vinh")
_UNIT_PREFIX = re.compile(r"^(tinh|thanh pho|huyen|thi xa|quan)\s+")
_NOT_ALNUM = re.compile(r"[^a-z0-9]")
#: shorter names ("Quận 1", "An") would refuse too many honest passwords
MIN_WORD = 4


def squash(text: str) -> str:
    """Folded and without anything but letters and digits: "Trà-Vinh 2026" → "travinh2026"."""
    return _NOT_ALNUM.sub("", fold(text))


def context_words(user=None) -> set[str]:
    words = set(PORTAL_WORDS)
    for name in [
        *Province.objects.values_list("name", flat=True),
        *District.objects.values_list("name", flat=True),
    ]:
        words.add(squash(_UNIT_PREFIX.sub("", fold(name))))
    username = getattr(user, "username", "") or ""
    words.add(squash(username))
    words.update(squash(part) for part in re.split(r"[._@+\-\s\d]+", fold(username)))
    return {word for word in words if len(word) >= MIN_WORD}


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's, with a message the Vietnamese catalogue has (Django's own changed its wording)."""

    def get_error_message(self):
        return ngettext(
            "This password is too short: it needs at least %(min_length)d character.",
            "This password is too short: it needs at least %(min_length)d characters.",
            self.min_length,
        ) % {"min_length": self.min_length}


class ContextWordsValidator:
    """Refuses a password that contains (ignoring case, diacritics, spaces and punctuation) the portal's
    name or the Union's words, the name of a province or district, or the username; or a common password
    ("password", "matkhau"), said as too common."""

    def validate(self, password, user=None):
        squashed = squash(password)
        found = [word for word in context_words(user) if word in squashed]
        if found:
            raise ValidationError(
                _(
                    "The password must not contain the portal's name, the Union's words, a province or "
                    "district name or the username (found: “%(word)s”)."
                ),
                code="password_context_word",
                params={"word": max(sorted(found), key=len)},
            )
        common = [word for word in COMMON_WORDS if word in squashed]
        if common:
            raise ValidationError(
                _("This password is too common: it contains “%(word)s”."),
                code="password_too_common",
                params={"word": max(sorted(common), key=len)},
            )

    def get_help_text(self):
        return _(
            "Your password can’t contain the portal’s name, the Union’s words, a province or district "
            "name or your username."
        )


def needs_long_password(user) -> bool:
    return bool(
        user is not None
        and (
            getattr(user, "is_staff", False)
            or getattr(user, "is_superuser", False)
            or getattr(user, "is_administrator", False)
            or getattr(user, "is_provincial_staff", False)
        )
    )


class RoleMinimumLengthValidator:
    """A longer minimum for administrators and provincial staff, who see a province or the country."""

    def __init__(self, min_length: int = 15):
        self.min_length = min_length

    def validate(self, password, user=None):
        if needs_long_password(user) and len(password) < self.min_length:
            raise ValidationError(
                ngettext(
                    "Administrators and provincial staff need a password of at least %(min_length)d "
                    "character.",
                    "Administrators and provincial staff need a password of at least %(min_length)d "
                    "characters.",
                    self.min_length,
                ),
                code="password_too_short_for_role",
                params={"min_length": self.min_length},
            )

    def get_help_text(self):
        return ngettext(
            "Administrators and provincial staff need at least %(min_length)d character.",
            "Administrators and provincial staff need at least %(min_length)d characters.",
            self.min_length,
        ) % {"min_length": self.min_length}
