"""A secretary's date of birth: what the portal takes as one.

The Union admits members from 14 years of age (its Charter), so a secretary born later is a typing
mistake; so is a year before 1940. On the model field: the officer's form, the secretary's correction
(checked again when an officer accepts it), Django admin and the import refuse the same dates."""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

MINIMUM_AGE = 14
EARLIEST_YEAR = 1940


def latest_birth_date(today: datetime.date) -> datetime.date:
    """The last day one can be born on and be MINIMUM_AGE today (born on 29 February: the 28th of a
    year without it)."""
    year = today.year - MINIMUM_AGE
    try:
        return today.replace(year=year)
    except ValueError:  # today is 29 February, and that year has none
        return datetime.date(year, 2, 28)


def validate_date_of_birth(born) -> None:
    if born is None:
        return
    if born > latest_birth_date(timezone.localdate()):
        raise ValidationError(_("A Union member is at least 14 years old."), code="too_young")
    if born.year < EARLIEST_YEAR:
        raise ValidationError(_("Check the year of birth."), code="implausible")
