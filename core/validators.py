"""Validators of the models' fields that several apps share. On the field, so that the portal's forms,
Django admin and the Excel imports (`core.importing.engine.Column.validators`) refuse the same values."""

import datetime

from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _


def validate_not_in_future(value) -> None:
    """A day that has happened: a founding, a joining, an assessment (Vietnam's today, not the server's)."""
    if value is not None and value > timezone.localdate():
        raise ValidationError(_("This date is after today."), code="future")


#: The Youth Union was founded in 1931: no unit's record can be of an earlier year.
EARLIEST_YEAR = 1931
#: its founding day: no branch of it was founded before
UNION_FOUNDED_ON = datetime.date(1931, 3, 26)


def validate_union_era(value) -> None:
    """A day the Youth Union existed on: a branch's founding (01/01/1800 is a slip)."""
    if value is not None and value < UNION_FOUNDED_ON:
        raise ValidationError(
            _("The Youth Union was founded on %(date)s: give that day or a later one."),
            code="before_union",
            params={"date": formats.date_format(UNION_FOUNDED_ON, "SHORT_DATE_FORMAT")},
        )


def validate_year(value) -> None:
    """A year that has come, and one the Union existed in: a model's period (0, 1900 or 2035 are slips)."""
    if value is None:
        return
    if value < EARLIEST_YEAR:
        raise ValidationError(
            _("%(year)s is before the Youth Union was founded (%(earliest)s): check the year."),
            code="year_too_early",
            params={"year": value, "earliest": EARLIEST_YEAR},
        )
    if value > timezone.localdate().year:
        raise ValidationError(
            _("%(year)s is still ahead: give a year up to this one."),
            code="future",
            params={"year": value},
        )


#: How far ahead a planned year (a programme's last) may lie: a five-year term and then some.
PLANNED_YEARS_AHEAD = 10


def validate_planned_year(value) -> None:
    """The last year of something planned (a programme: 2026–2030): a year the Union existed in, and not
    beyond a plan's reach (2300 is a slip). Unlike `validate_year`, it may still be ahead."""
    if value is None:
        return
    if value < EARLIEST_YEAR:
        validate_year(value)
    latest = timezone.localdate().year + PLANNED_YEARS_AHEAD
    if value > latest:
        raise ValidationError(
            _("%(year)s is too far ahead: give a year up to %(latest)s."),
            code="too_far_ahead",
            params={"year": value, "latest": latest},
        )
