"""A secretary's date of birth: what the portal takes as one.

The Union admits members "from 16 years of age" (its Charter), which the Central Committee's guidance
reads as from 15 years and one day (Hướng dẫn 22-HD/TWĐTN, I.1): a secretary born later is a typing
mistake; so is a day after today, and a year before 1940. On the model field: the officer's form, the
secretary's correction (checked again when an officer accepts it), Django admin and the import refuse the
same dates."""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.validators import validate_not_in_future

#: full years one has on the day before one may be admitted (admitted from the next day on)
MINIMUM_AGE = 15
EARLIEST_YEAR = 1940


def latest_birth_date(today: datetime.date) -> datetime.date:
    """The last day one can be born on and be MINIMUM_AGE years and a day old today: the day before
    today's date MINIMUM_AGE years ago (today 29 February: the 27th, that year having no 29th)."""
    year = today.year - MINIMUM_AGE
    try:
        birthday = today.replace(year=year)
    except ValueError:  # today is 29 February, and that year has none
        birthday = datetime.date(year, 2, 28)
    return birthday - datetime.timedelta(days=1)


def validate_date_of_birth(born) -> None:
    if born is None:
        return
    # A day to come is a slip of the year, not a child: said as every other date after today is.
    validate_not_in_future(born)
    if born > latest_birth_date(timezone.localdate()):
        raise ValidationError(
            _("A Union member is 16 or older: at least 15 years and one day old."), code="too_young"
        )
    if born.year < EARLIEST_YEAR:
        raise ValidationError(_("Check the year of birth."), code="implausible")
