"""Form fields the portal's forms and filters share."""

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import ModelChoiceIterator


class RowsReadOnce(ModelChoiceIterator):
    """The choices of a short model select (the assessment frameworks), its rows read from the database once
    for the form. Django's reads its queryset afresh each time the choices are walked: once to check the
    value, once for the first choice (whether the select may be `required`), once to draw the options, so a
    list page asked for the same handful of frameworks three times."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for row in self.field.rows():
            yield self.choice(row)

    def __len__(self):
        return len(self.field.rows()) + (self.field.empty_label is not None)

    def __bool__(self):
        return self.field.empty_label is not None or bool(self.field.rows())


class ReadOnceMixin:
    """For a ModelChoiceField whose choices are few: its rows read once per form (`RowsReadOnce`), and the
    submitted value found among them instead of asked for again."""

    iterator = RowsReadOnce

    def rows(self) -> list:
        # Kept with the queryset they came from: a form that narrows the queryset (a scope) reads again.
        kept = self.__dict__.get("_rows_read_once")
        if kept is None or kept[0] is not self.queryset:
            kept = self._rows_read_once = (self.queryset, list(self.queryset))
        return kept[1]

    def to_python(self, value):
        if value in self.empty_values:
            return None
        self.validate_no_null_characters(value)
        key = self.to_field_name or "pk"
        model = self.queryset.model
        if isinstance(value, model):
            value = getattr(value, key)
        field = model._meta.pk if key == "pk" else model._meta.get_field(key)
        invalid = ValidationError(
            self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
        )
        try:
            wanted = field.to_python(value)
        except (ValidationError, ValueError, TypeError):
            raise invalid from None
        for row in self.rows():
            if getattr(row, key) == wanted:
                return row
        raise invalid


class ReadOnceModelChoiceField(ReadOnceMixin, forms.ModelChoiceField):
    """A ModelChoiceField for a short list (see ReadOnceMixin)."""
