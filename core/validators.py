"""Validators of the models' fields that several apps share. On the field, so that the portal's forms,
Django admin and the Excel imports (`core.importing.engine.Column.validators`) refuse the same values."""

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def validate_not_in_future(value) -> None:
    """A day that has happened: a founding, a joining, an assessment (Vietnam's today, not the server's)."""
    if value is not None and value > timezone.localdate():
        raise ValidationError(_("This date is after today."), code="future")
