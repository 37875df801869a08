"""What the portal's list filters share (django-filter)."""

import django_filters
import django_filters.fields
from django import forms
from django.core.exceptions import FieldDoesNotExist
from django.db.models import F, QuerySet, Subquery
from django_filters.constants import EMPTY_VALUES

from core.fields import ReadOnceMixin, RowsReadOnce


class SortFilter(django_filters.OrderingFilter):
    """The column a list is sorted by (`?o=name`, `?o=-score`): set by the column headers (the `sort_header`
    tag), never typed, so a hidden field. The row's key comes last: rows that tie on the column (hundreds of
    assessments scored 3,00, people born the same day) keep one order from page to page. Without it the
    database may give the ties in another order to each page's query, and a row shows on two pages and
    another on none."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", forms.HiddenInput)
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if value in EMPTY_VALUES:
            return qs
        return qs.order_by(*[self._ordering(qs, param) for param in value], "pk")

    def _ordering(self, qs, param):
        """The column's order, the rows without a value last whichever way (a branch founded on an unknown
        day is not the oldest, nor the newest): only for a nullable column, so that the others keep the plain
        order their indexes give."""
        ordering = self.get_ordering_value(param)
        name = ordering.lstrip("-")
        if not _nullable(qs, name):
            return ordering
        column = F(name)
        return column.desc(nulls_last=True) if ordering.startswith("-") else column.asc(nulls_last=True)


def _nullable(qs, path: str) -> bool:
    """Whether the field at `path` (through relations) of `qs`'s rows may be empty. An annotation may be when
    it is a subquery's value (a nominee's score of the year, not there for one not assessed), not otherwise
    (a count)."""
    annotation = qs.query.annotations.get(path)
    if annotation is not None:
        return isinstance(annotation, Subquery)
    opts = qs.model._meta
    for part in path.split("__"):
        try:
            field = opts.get_field(part)
        except FieldDoesNotExist:
            return False
        if field.null:
            return True
        if not field.is_relation:
            return False
        opts = field.related_model._meta
    return False


class _FilterRowsReadOnce(django_filters.fields.ModelChoiceIterator, RowsReadOnce):
    """django-filter's choices (its "null" choice after the empty one) over rows read once."""


class _ReadOnceFilterField(ReadOnceMixin, django_filters.fields.ModelChoiceField):
    iterator = _FilterRowsReadOnce


class ReadOnceModelChoiceFilter(django_filters.ModelChoiceFilter):
    """A ModelChoiceFilter for a short list of choices (the frameworks): its rows read once for the form,
    to check the value and to draw the options (core.fields.ReadOnceMixin)."""

    field_class = _ReadOnceFilterField


def filter_summary(filterset) -> str:
    """The filters a list was narrowed by, in words, for its export's heading: "Xã: Xã Tiểu Cần; Tìm
    kiếm: ap cay". Each chosen filter by its label and its value as the form offers it (a choice by its
    label, a unit by its name); the sort order is not a filter."""
    form = filterset.form
    if not form.is_bound or not form.is_valid():
        return ""
    parts = []
    for name, value in form.cleaned_data.items():
        if value in EMPTY_VALUES or isinstance(filterset.filters.get(name), SortFilter):
            continue
        field = form.fields[name]
        values = value if isinstance(value, list | tuple | set | QuerySet) else [value]
        if isinstance(field, forms.ModelChoiceField):
            # The chosen rows themselves, by the label the form gives them: never the whole list of choices
            # (every commune of the country, for the administrator).
            shown = [field.label_from_instance(v) for v in values]
        else:
            choices = dict(getattr(field, "choices", ()) or ())
            shown = [choices.get(v, choices.get(str(v), v)) for v in values]
        parts.append(f"{field.label}: {', '.join(str(s) for s in shown)}")
    return "; ".join(parts)
