from crispy_forms.bootstrap import FormActions, StrictButton
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Field, Layout
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import CancelLink, Fieldset
from core.versioning import VERSION_FIELD, StaleEdit, VersionedForm
from core.widgets import DateInput

from .models import Assessment, Criterion, Framework


def score_field(framework: Framework, *, label: str = "", help_text: str = "") -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=framework.scale_min,
        max_value=framework.scale_max,
        help_text=help_text,
        error_messages={
            "min_value": _("From %(min)s to %(max)s.")
            % {"min": framework.scale_min, "max": framework.scale_max},
            "max_value": _("From %(min)s to %(max)s.")
            % {"min": framework.scale_min, "max": framework.scale_max},
            "invalid": _("A whole number from %(min)s to %(max)s.")
            % {"min": framework.scale_min, "max": framework.scale_max},
        },
        # Typed, not spun: arrow keys move between cells, and one digit is one score.
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "off",
                "maxlength": len(str(framework.scale_max)),
                "class": "form-control form-control-sm score-input",
            }
        ),
    )


class AssessmentForm(VersionedForm, forms.Form):
    """One secretary's assessment: a score (and optional comment) per criterion, grouped by skill."""

    assessed_on = forms.DateField(label=_("Assessed on"), widget=DateInput())
    comment = forms.CharField(
        label=_("Overall comment"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(
        self,
        *args,
        framework: Framework,
        criteria: list[Criterion],
        cancel_url: str,
        assessment: Assessment | None = None,
        **kwargs,
    ):
        initial = kwargs.pop("initial", {}) or {}
        initial.setdefault("assessed_on", timezone.localdate())
        if assessment is not None:
            initial.update({"assessed_on": assessment.assessed_on, "comment": assessment.comment})
            for score in assessment.scores.all():
                initial[f"score_{score.criterion_id}"] = score.value
                initial[f"note_{score.criterion_id}"] = score.comment
        super().__init__(*args, initial=initial, version_of=assessment, **kwargs)
        if assessment is None:
            # Opened when there was no assessment yet: one created meanwhile by someone else is a conflict.
            self.fields[VERSION_FIELD].initial = 0
        self.framework, self.criteria = framework, criteria
        groups: dict = {}
        for criterion in criteria:
            self.fields[f"score_{criterion.pk}"] = score_field(
                framework, label=f"{criterion.order}. {criterion.name}", help_text=criterion.description
            )
            self.fields[f"note_{criterion.pk}"] = forms.CharField(
                label=_("Comment"),
                required=False,
                max_length=500,
                widget=forms.TextInput(attrs={"placeholder": _("Comment (optional)")}),
            )
            groups.setdefault(criterion.group, []).append(criterion)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            VERSION_FIELD,
            *[
                Fieldset(
                    f"{group.order}. {group.name}",
                    *[
                        part
                        for c in group_criteria
                        for part in (Field(f"score_{c.pk}", wrapper_class="mb-1"), Field(f"note_{c.pk}"))
                    ],
                )
                for group, group_criteria in groups.items()
            ],
            "comment",
            "assessed_on",
            FormActions(
                # StrictButton: crispy's Submit would add btn-primary to the outline style.
                StrictButton(
                    _("Save draft"), type="submit", name="save", css_class="btn btn-outline-primary"
                ),
                StrictButton(_("Save and submit"), type="submit", name="submit", css_class="btn btn-primary"),
                CancelLink(cancel_url, css_class="btn btn-link"),
            ),
        )

    def values(self) -> dict:
        return {c.pk: self.cleaned_data.get(f"score_{c.pk}") for c in self.criteria}

    def comments(self) -> dict:
        return {c.pk: self.cleaned_data.get(f"note_{c.pk}", "") for c in self.criteria}

    def clean(self):
        cleaned = super().clean()
        if "submit" in self.data:
            for criterion in self.criteria:
                name = f"score_{criterion.pk}"
                if cleaned.get(name) is None and name not in self.errors:
                    self.add_error(name, _("Needed to submit."))
        return cleaned


class CommuneGridForm(forms.Form):
    """A commune's secretaries (rows) × the framework's criteria (columns), validated as one.

    Rows left empty are skipped; a row with any score is saved as a draft, or, when submitting, must be
    complete. Confirmed assessments, and those of another unit (a secretary who moved here), are shown
    but not editable. Each row carries the version of its assessment as loaded (0: none yet), so a row
    someone else saved meanwhile is refused (core.versioning.StaleEdit)."""

    def __init__(self, *args, framework: Framework, criteria: list[Criterion], rows: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.framework, self.criteria, self.rows = framework, criteria, rows
        for row in rows:
            existing = row.assessment
            locked = getattr(row, "elsewhere", False) or (existing is not None and existing.is_locked)
            values = {s.criterion_id: s.value for s in existing.scores.all()} if existing else {}
            # Confirmed by someone else after the grid was opened: the row cannot be saved, but what was
            # typed in it is shown back (read-only) rather than replaced by the stored values.
            posted = self.data.get(f"v-{row.person.pk}") if self.is_bound else None
            typed_back = locked and existing is not None and posted not in (None, "", str(existing.version))
            row.cells = []
            for criterion in criteria:
                name = f"s-{row.person.pk}-{criterion.pk}"
                field = score_field(framework, label=f"{row.person.full_name}: {criterion.name}")
                field.initial = values.get(criterion.pk)
                field.disabled = locked and not typed_back
                if typed_back:
                    field.widget.attrs["readonly"] = True
                self.fields[name] = field
                row.cells.append(name)
            comment = f"c-{row.person.pk}"
            self.fields[comment] = forms.CharField(
                label=_("Comment"),
                required=False,
                initial=existing.comment if existing else "",
                disabled=locked and not typed_back,
                widget=forms.TextInput(
                    attrs={
                        "class": "form-control form-control-sm",
                        **({"readonly": True} if typed_back else {}),
                    }
                ),
            )
            row.comment = comment
            row.version = f"v-{row.person.pk}"
            self.fields[row.version] = forms.IntegerField(
                widget=forms.HiddenInput,
                required=False,
                min_value=0,
                initial=existing.version if existing else 0,
            )
            row.bound_version = self[row.version]
            row.locked = locked
            row.bound_cells = [self[name] for name in row.cells]
            row.bound_comment = self[comment]

    def clean(self):
        cleaned = super().clean()
        submitting = "submit" in self.data
        for row in self.rows:
            if row.locked:
                continue
            values = [cleaned.get(name) for name in row.cells]
            has_errors = any(name in self.errors for name in row.cells)
            if submitting and any(v is not None for v in values) and not has_errors:
                for name, value in zip(row.cells, values, strict=True):
                    if value is None:
                        self.add_error(name, _("Needed to submit."))
        # Mark the cells in error so the grid shows them in red.
        for name in self.errors:
            if name in self.fields:
                css = self.fields[name].widget.attrs.get("class", "")
                self.fields[name].widget.attrs["class"] = f"{css} is-invalid".strip()
        return cleaned

    def add_error(self, field, error):
        # The officer has now seen who saved that row: saving again counts from the current version.
        if isinstance(error, StaleEdit) and error.instance is not None and self.is_bound:
            name = f"v-{error.instance.person_id}"
            if name in self.fields:
                data = self.data.copy()
                data[name] = str(error.current_version)
                self.data = data
        super().add_error(field, error)

    def cell_errors(self) -> list[str]:
        """The grid's errors in words, cell by cell ("Trần Thị Mai, 1.2: From 1 to 5."), for the alert:
        a phone cannot show a cell's tooltip, and the cell may be scrolled out of view."""
        found = []
        for row in self.rows:
            for criterion, name in zip(self.criteria, row.cells, strict=True):
                for error in self.errors.get(name, []):
                    found.append(
                        f"{row.person.full_name}, {criterion.group.order}.{criterion.order}: {error}"
                    )
        return found

    def row_values(self, row) -> dict:
        return {c.pk: self.cleaned_data.get(name) for c, name in zip(self.criteria, row.cells, strict=True)}


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for reopening"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept in the assessment's history."),
    )

    def __init__(self, *args, cancel_url: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            "reason",
            FormActions(
                StrictButton(_("Reopen"), type="submit", name="submit", css_class="btn btn-warning"),
                CancelLink(cancel_url),
            ),
        )
