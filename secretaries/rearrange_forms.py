"""Forms of the hamlet re-arrangement: merge branches, split one. The branches offered are today's of the
same commune, in the user's scope, whatever is posted."""

import datetime

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Field, Layout, Row
from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext_lazy as _

from branches.forms import form_actions
from branches.models import Branch
from core.validators import validate_not_in_future
from core.widgets import DateInput

SPLIT_PARTS = 4


class _BranchField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Branch) -> str:
        return obj.name


class _BranchesField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Branch) -> str:
        return f"{obj.name} ({obj.member_count})"


def _neighbours(branch: Branch, user):
    return Branch.objects.visible_to(user).active().filter(commune=branch.commune_id).order_by("name_key")


class _Confirmable(forms.Form):
    """A first valid post shows what will happen; the same form posted again with the fingerprint of what
    was shown applies it. Any value changed on the review page (or a branch saved by someone else since)
    gives another fingerprint, so a new review instead of an unreviewed change."""

    reviewed = forms.CharField(required=False, widget=forms.HiddenInput)
    CONFIRM_LABEL = _("Confirm")
    #: a review was posted, but of other values than these: the new review says so
    review_changed = False

    def fingerprint(self) -> str:
        """A digest of the cleaned values and of the versions of the branches they name (the form's own
        included): the same digest means the same review."""

        def part(value) -> str:
            if isinstance(value, models.Model):
                return f"{value._meta.label}:{value.pk}:{getattr(value, 'version', '')}"
            if isinstance(value, (list, tuple, models.QuerySet)):
                return "[" + ",".join(sorted(part(item) for item in value)) + "]"
            if isinstance(value, datetime.date):
                return value.isoformat()
            return str(value)

        values = {name: value for name, value in self.cleaned_data.items() if name != "reviewed"}
        text = "|".join(f"{name}={part(values[name])}" for name in sorted(values))
        return salted_hmac(f"rearrange.{type(self).__name__}", f"{part(self.branch)}|{text}").hexdigest()

    def needs_confirmation(self) -> bool:
        # Taken before the service runs: its rolled-back preview leaves the branches' versions raised in
        # memory.
        self.reviewed_fingerprint = self.fingerprint()
        posted = self.cleaned_data.get("reviewed")
        if posted and constant_time_compare(posted, self.reviewed_fingerprint):
            return False
        self.review_changed = bool(posted)
        return True

    def confirm(self) -> None:
        """Shown again with what will happen: the same values with their fingerprint, and the button says
        so."""
        data = self.data.copy()
        data["reviewed"] = self.reviewed_fingerprint
        self.data = data
        self.helper.layout.fields[-1] = form_actions(self.cancel_url, label=self.CONFIRM_LABEL)


class BranchMergeForm(_Confirmable):
    CONFIRM_LABEL = _("Confirm the merge")
    others = _BranchesField(
        label=_("Merge with"),
        queryset=Branch.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The other branches of the commune that join this one."),
    )
    on = forms.DateField(
        label=_("Merged on"),
        widget=DateInput(),
        # Recorded once it has happened: a branch that ends is at once no longer today's.
        validators=[validate_not_in_future],
        help_text=_("The first day of the merged branch (dd/mm/yyyy)."),
    )
    survivor = _BranchField(
        label=_("Merged branch"),
        queryset=Branch.objects.none(),
        required=False,
        empty_label=_("A new branch (named below)"),
        help_text=_("One of the merged branches continues under its name, or a new branch is created."),
    )
    new_name = forms.CharField(label=_("Name of the new branch"), max_length=150, required=False)
    new_kind = forms.ChoiceField(label=_("Kind"), choices=Branch.Kind.choices, initial=Branch.Kind.HAMLET)
    secretary_from = _BranchField(
        label=_("Secretary of the merged branch"),
        queryset=Branch.objects.none(),
        required=False,
        empty_label=_("None: the terms of the branches that end, end"),
        help_text=_("The current secretary of this branch leads the merged branch; other terms end."),
    )

    FIELD_FOR_CODE = {
        "unit_ended": "on",
        "future": "on",
        "before_lineage": "on",
        "branch_ended": "others",
        "before_founded": "on",
        "commune_ended": "on",
        "before_commune": "on",
        "name_missing": "new_name",
        "name_taken": "new_name",
        "survivor_outside": "survivor",
        "secretary_outside": "secretary_from",
        "no_secretary": "secretary_from",
        "term_after_end": "on",
        "secretary_overlap": "on",
    }

    def __init__(self, *args, branch: Branch, user, cancel_url: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.branch, self.cancel_url = branch, cancel_url
        neighbours = _neighbours(branch, user)
        self.fields["others"].queryset = neighbours.exclude(pk=branch.pk)
        self.fields["survivor"].queryset = neighbours
        self.fields["survivor"].initial = branch.pk
        self.fields["secretary_from"].queryset = neighbours
        self.helper = FormHelper()
        self.helper.layout = Layout(
            "reviewed",
            "others",
            Row(Column("on", css_class="col-md-6")),
            "survivor",
            Row(Column("new_name", css_class="col-md-8"), Column("new_kind", css_class="col-md-4")),
            "secretary_from",
            form_actions(cancel_url, label=_("Review the merge")),
        )

    def clean(self):
        cleaned = super().clean()
        chosen = {self.branch.pk} | {b.pk for b in cleaned.get("others") or []}
        survivor, secretary_from = cleaned.get("survivor"), cleaned.get("secretary_from")
        if survivor is None and not (cleaned.get("new_name") or "").strip():
            self.add_error("new_name", _("Name the new branch, or choose the branch that continues."))
        if survivor is not None and survivor.pk not in chosen:
            self.add_error("survivor", _("The branch that continues must be one of those merged."))
        if secretary_from is not None and secretary_from.pk not in chosen:
            self.add_error("secretary_from", _("Choose one of the merged branches."))
        return cleaned

    def branches(self) -> list[Branch]:
        return [self.branch, *self.cleaned_data["others"]]


class BranchSplitForm(_Confirmable):
    CONFIRM_LABEL = _("Confirm the split")
    on = forms.DateField(
        label=_("Split on"),
        widget=DateInput(),
        # Recorded once it has happened: a branch that ends is at once no longer today's.
        validators=[validate_not_in_future],
        help_text=_("The first day of the new branches (dd/mm/yyyy)."),
    )

    FIELD_FOR_CODE = {
        "unit_ended": "on",
        "future": "on",
        "before_lineage": "on",
        "before_founded": "on",
        "commune_ended": "on",
        "before_commune": "on",
        "term_after_end": "on",
        "members_differ": "member_count_1",
        "names_repeat": "name_2",
        "name_taken": "name_1",
        "too_few": "name_2",
    }

    def __init__(self, *args, branch: Branch, cancel_url: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.branch, self.cancel_url = branch, cancel_url
        rows = []
        for n in range(1, SPLIT_PARTS + 1):
            self.fields[f"name_{n}"] = forms.CharField(
                label=_("New branch %(n)s") % {"n": n}, max_length=150, required=n <= 2
            )
            self.fields[f"kind_{n}"] = forms.ChoiceField(
                label=_("Kind"), choices=Branch.Kind.choices, initial=branch.kind
            )
            # A branch is its members: a part of none is no branch (its hamlet's youth went to the others).
            self.fields[f"member_count_{n}"] = forms.IntegerField(
                label=_("Member count"),
                min_value=1,
                required=n <= 2,
                error_messages={"min_value": _("A new branch has at least one member.")},
            )
            rows.append(
                Row(
                    Column(Field(f"name_{n}"), css_class="col-md-6"),
                    Column(f"kind_{n}", css_class="col-6 col-md-3"),
                    Column(f"member_count_{n}", css_class="col-6 col-md-3"),
                )
            )
        self.helper = FormHelper()
        self.helper.layout = Layout(
            "reviewed",
            Row(Column("on", css_class="col-md-6")),
            *rows,
            form_actions(cancel_url, label=_("Review the split")),
        )

    def clean(self):
        cleaned = super().clean()
        for n in range(3, SPLIT_PARTS + 1):
            if cleaned.get(f"name_{n}") and cleaned.get(f"member_count_{n}") is None:
                self.add_error(f"member_count_{n}", _("Give the new branch's member count."))
        return cleaned

    def parts(self):
        from branches.services import SplitPart

        return [
            SplitPart(
                name=self.cleaned_data[f"name_{n}"],
                kind=self.cleaned_data[f"kind_{n}"],
                member_count=self.cleaned_data[f"member_count_{n}"] or 0,
            )
            for n in range(1, SPLIT_PARTS + 1)
            if self.cleaned_data.get(f"name_{n}")
        ]


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Each refusal next to the field its code names, else above the form."""
    for item in error.error_list:
        form.add_error(form.FIELD_FOR_CODE.get(item.code), item)
