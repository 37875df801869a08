from decimal import Decimal

from crispy_forms.bootstrap import FormActions, StrictButton
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Field, Layout, Row
from django import forms
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.forms import CancelLink, ErrorSummary, Fieldset
from core.validators import validate_not_in_future
from core.versioning import VERSION_FIELD, StaleEdit, VersionedForm
from core.widgets import DateInput, Textarea

from .models import (
    POINTS_TOTAL,
    Assessment,
    Criterion,
    Framework,
    Method,
    Period,
    Rating,
    RatingCondition,
    Score,
    SelfScore,
)


def score_range(framework: Framework, criterion: Criterion | None = None) -> tuple[int, int]:
    """What a criterion's score may be: the scale, or for points out of 100 from 0 to its maximum."""
    if framework.is_points and criterion is not None:
        return 0, criterion.max_points or 0
    return framework.scale_min, framework.scale_max


def score_field(
    framework: Framework, *, label: str = "", help_text: str = "", criterion: Criterion | None = None
) -> forms.IntegerField:
    low, high = score_range(framework, criterion)
    # One message whatever is wrong (7,5; -1; 12 of 8): what a score is.
    wrong = _("Enter a whole number from %(min)s to %(max)s.") % {"min": low, "max": high}
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=low,
        max_value=high,
        help_text=help_text,
        error_messages={"min_value": wrong, "max_value": wrong, "invalid": wrong},
        # Typed, not spun: arrow keys move between cells, and one digit is one score. No maxlength: it cut
        # "7,5" to "7" and "-1" to "-" without a word; what is typed stays, and a wrong one is said.
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "off",
                # One of the grid's signs that a score is complete: this many digits, or a digit more would
                # pass the maximum (assessment_grid.js, `complete`).
                "data-digits": len(str(high)),
                "class": "form-control form-control-sm score-input",
                # What the running tally (ScoreTally) counts: a whole number in this range.
                "data-min": low,
                "data-max": high,
            }
        ),
    )


def criterion_label(framework: Framework, criterion: Criterion) -> str:
    label = f"{criterion.order}. {criterion.name}"
    if framework.is_points:
        label += " " + str(_("(up to %(max)s points)") % {"max": criterion.max_points})
    return label


def group_label(framework: Framework, group) -> str:
    label = f"{group.order}. {group.name}"
    if framework.is_points:
        label += " " + str(_("(%(max)s points)") % {"max": group.max_points})
    return label


class ScoreTally:
    """A line that adds up the scores as they are typed (static/js/portal.js): of a part (`part`: in the
    fieldset it closes) or of the whole form. On points out of 100 it says the points against the maximum,
    on a scale how many criteria are scored; the rating stays the server's (scoring.py), shown once saved.
    Hidden until the script fills it: without the script the form is as before."""

    template = "assessments/partials/score_tally.html"

    def __init__(self, framework: Framework, *, part=None):
        self.framework, self.part = framework, part

    def render(self, form, context, template_pack=None, **kwargs):
        if self.framework.is_points:
            maximum = self.part.max_points if self.part is not None else POINTS_TOTAL
            text = (
                _("This part: {sum}/{max} points · {count} of {of} criteria scored")
                if self.part is not None
                else _("In all: {sum}/{max} points · {count} of {of} criteria scored")
            )
        else:
            maximum = None
            text = (
                _("This part: {count} of {of} criteria scored")
                if self.part is not None
                else _("In all: {count} of {of} criteria scored")
            )
        return render_to_string(
            self.template,
            {"scope": "part" if self.part is not None else "form", "max": maximum, "text": text},
        )


def require_scores_to_submit(form, cleaned: dict) -> dict:
    """Submitting (not saving a draft) needs every criterion scored: the missing ones are marked."""
    if "submit" in form.data:
        for criterion in form.criteria:
            name = f"score_{criterion.pk}"
            if cleaned.get(name) is None and name not in form.errors:
                form.add_error(name, _("Score this criterion before sending."))
    return cleaned


class AssessmentForm(ErrorSummary, VersionedForm, forms.Form):
    """One secretary's assessment: a score (and optional comment) per criterion, grouped by skill."""

    assessed_on = forms.DateField(
        label=_("Assessed on"), widget=DateInput(), validators=[validate_not_in_future]
    )
    comment = forms.CharField(
        label=_("Overall comment"), required=False, max_length=2000, widget=Textarea(attrs={"rows": 3})
    )

    def __init__(
        self,
        *args,
        framework: Framework,
        criteria: list[Criterion],
        cancel_url: str,
        assessment: Assessment | None = None,
        review: bool = False,
        **kwargs,
    ):
        initial = kwargs.pop("initial", {}) or {}
        initial.setdefault("assessed_on", timezone.localdate())
        # Reviewing a self-assessment: the secretary's scores stand (read-only) beside the unit's own, with
        # the unit's comment on each part.
        self.review = review and assessment is not None
        self_values = {}
        self_notes = {}
        group_notes = {}
        if self.review:
            self_values = {s.criterion_id: s.value for s in assessment.self_scores.all()}
            self_notes = {s.criterion_id: s.comment for s in assessment.self_scores.all() if s.comment}
            group_notes = {r.group_id: r.comment for r in assessment.group_reviews.all()}
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
        # The summary of what to correct names a criterion by its group too (its label is "2. …" under the
        # group's legend): "1.2. …".
        self.summary_labels = {}
        groups: dict = {}
        for criterion in criteria:
            number = f"{criterion.group.order}.{criterion.order}."
            self.summary_labels[f"score_{criterion.pk}"] = f"{number} {criterion.name}"
            self.summary_labels[f"note_{criterion.pk}"] = f"{number} {_('Comment')}"
            self.fields[f"score_{criterion.pk}"] = score_field(
                framework,
                label=criterion_label(framework, criterion),
                help_text=criterion.description,
                criterion=criterion,
            )
            self.fields[f"note_{criterion.pk}"] = forms.CharField(
                label=_("Comment"),
                required=False,
                max_length=500,
                widget=forms.TextInput(attrs={"placeholder": _("Comment (optional)")}),
            )
            if self.review:
                self.fields[f"self_{criterion.pk}"] = forms.IntegerField(
                    label=_("Self-assessed"),
                    required=False,
                    disabled=True,
                    initial=self_values.get(criterion.pk),
                    widget=forms.TextInput(attrs={"class": "form-control form-control-sm self-score"}),
                    # What the secretary wrote they did, under their score (escaped: it is their text).
                    help_text=(
                        format_html("{}: {}", _("What they did"), self_notes[criterion.pk])
                        if criterion.pk in self_notes
                        else ""
                    ),
                )
            groups.setdefault(criterion.group, []).append(criterion)
        if self.review:
            for group in groups:
                self.fields[f"part_{group.pk}"] = forms.CharField(
                    label=_("The unit's comment on this part"),
                    required=False,
                    initial=group_notes.get(group.pk, ""),
                    widget=Textarea(attrs={"rows": 2}),
                )
        self.groups = groups
        # In the page's order (the scores, then the comment and the day), as the summary of errors lists them.
        self.order_fields([name for name in self.fields if name not in ("comment", "assessed_on")])
        self.helper = FormHelper()
        # Leaving with scores typed and not saved asks first (static/js/portal.js).
        self.helper.attrs = {"data-warn-unsaved": ""}
        self.helper.layout = Layout(
            VERSION_FIELD,
            *[
                Fieldset(
                    group_label(framework, group),
                    *[part for c in group_criteria for part in self._criterion_layout(c)],
                    ScoreTally(framework, part=group),
                    *([Field(f"part_{group.pk}")] if self.review else []),
                )
                for group, group_criteria in groups.items()
            ],
            ScoreTally(framework),
            "comment",
            "assessed_on",
            FormActions(
                # StrictButton: crispy's Submit would add btn-primary to the outline style.
                StrictButton(
                    _("Save draft"), type="submit", name="save", css_class="btn btn-outline-primary"
                ),
                StrictButton(
                    _("Save and submit"),
                    type="submit",
                    name="submit",
                    css_class="btn btn-primary",
                    # Asked in the browser (static/js/portal.js): the province confirms it next.
                    # Not asked while a score is missing: the form comes back saying which.
                    data_confirm_complete="input.score-input",
                    data_confirm=_(
                        "Submit this assessment for confirmation? Your unit can still correct it until the "
                        "province confirms it; after that, only if the province reopens it."
                    ),
                ),
                CancelLink(cancel_url, css_class="btn btn-link"),
            ),
        )

    def _criterion_layout(self, criterion) -> list:
        if not self.review:
            return [Field(f"score_{criterion.pk}", wrapper_class="mb-1"), Field(f"note_{criterion.pk}")]
        return [
            Row(
                Column(Field(f"self_{criterion.pk}"), css_class="col-4 col-md-2"),
                Column(Field(f"score_{criterion.pk}"), css_class="col-8 col-md-4"),
                Column(Field(f"note_{criterion.pk}"), css_class="col-12 col-md-6"),
            )
        ]

    def group_comments(self) -> dict:
        if not self.review:
            return {}
        return {group.pk: self.cleaned_data.get(f"part_{group.pk}", "") for group in self.groups}

    def values(self) -> dict:
        return {c.pk: self.cleaned_data.get(f"score_{c.pk}") for c in self.criteria}

    def comments(self) -> dict:
        return {c.pk: self.cleaned_data.get(f"note_{c.pk}", "") for c in self.criteria}

    def clean(self):
        return require_scores_to_submit(self, super().clean())


class CommuneGridForm(forms.Form):
    """A commune's secretaries (rows) × the framework's criteria (columns), validated as one.

    Rows left empty are skipped; a row with any score is saved as a draft, or, when submitting, must be
    complete. Only the unit's drafts are typed in (Assessment.is_unit_draft): a sent or confirmed
    assessment, and one of another unit (a secretary who moved here), is shown as text, and what is posted
    for it is ignored. Each row typed in carries the version of its assessment as loaded (0: none yet), so
    a row someone else saved meanwhile is refused (core.versioning.StaleEdit)."""

    def __init__(self, *args, framework: Framework, criteria: list[Criterion], rows: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.framework, self.criteria, self.rows = framework, criteria, rows
        #: refused as saved by someone else meanwhile (StaleEdit), and the cells whose saved score differs
        self.stale, self.conflicts = False, []
        for row in rows:
            existing = row.assessment
            # Locked too: a secretary still to assess themselves (or writing it), as services.check_self_step,
            # until the period has ended: then the unit types in their place (`steps_in`), over their draft.
            steps_in = getattr(row, "steps_in", False)
            locked = (
                getattr(row, "elsewhere", False)
                or getattr(row, "awaiting_self", False)
                or (existing is not None and not existing.is_unit_draft and not steps_in)
            )
            values = {s.criterion_id: s.value for s in existing.scores.all()} if existing else {}
            # The secretary's own scores, shown under the unit's in each cell once submitted; or what they had
            # scored of a draft the unit assesses over.
            self_values = (
                {s.criterion_id: s.value for s in existing.self_scores.all()}
                if existing is not None
                and (existing.shows_self_scores or (steps_in and existing.is_self_draft))
                else {}
            )
            row.self_values = [self_values.get(c.pk) for c in criteria] if self_values else []
            # Confirmed by someone else after the grid was opened: the row cannot be saved, but what was
            # typed in it is shown back (read-only) rather than replaced by the stored values.
            posted = self.data.get(f"v-{row.person.pk}") if self.is_bound else None
            typed_back = locked and existing is not None and posted not in (None, "", str(existing.version))
            row.cells = []
            for criterion in criteria:
                name = f"s-{row.person.pk}-{criterion.pk}"
                field = score_field(
                    framework, label=f"{row.person.full_name}: {criterion.name}", criterion=criterion
                )
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
            # Shown as text, without its version: a row nobody could type in is no conflict when it changes.
            row.as_text = locked and not typed_back
            row.bound_cells = [self[name] for name in row.cells]
            row.cell_pairs = list(
                zip(row.bound_cells, row.self_values or [None] * len(row.cells), strict=True)
            )
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
                        self.add_error(name, _("Score this criterion before sending."))
        # Mark the cells in error so the grid shows them in red.
        for name in self.errors:
            if name in self.fields:
                css = self.fields[name].widget.attrs.get("class", "")
                self.fields[name].widget.attrs["class"] = f"{css} is-invalid".strip()
        return cleaned

    def add_error(self, field, error):
        # The officer has now seen who saved that row: saving again counts from the current version.
        if isinstance(error, StaleEdit) and error.instance is not None and self.is_bound:
            self.stale = True
            self.conflicts += self._changed_cells(error.instance)
            name = f"v-{error.instance.person_id}"
            if name in self.fields:
                data = self.data.copy()
                data[name] = str(error.current_version)
                self.data = data
        super().add_error(field, error)

    def _changed_cells(self, assessment) -> list[str]:
        """The criteria of a row saved meanwhile whose stored score is not what is typed here, each with
        both ("Trần Thị Mai, 1.1: now 1, typed here 5"): the history names only the overall score."""
        row = next((r for r in self.rows if r.person.pk == assessment.person_id), None)
        if row is None or not hasattr(self, "cleaned_data"):
            return []
        stored = dict(Score.objects.filter(assessment=assessment).values_list("criterion_id", "value"))
        typed = self.row_values(row)
        return [
            _("%(person)s, %(criterion)s: now %(stored)s, typed here %(typed)s")
            % {
                "person": row.person.full_name,
                "criterion": f"{criterion.group.order}.{criterion.order}",
                "stored": "—" if stored.get(criterion.pk) is None else stored[criterion.pk],
                "typed": "—" if typed.get(criterion.pk) is None else typed[criterion.pk],
            }
            for criterion in self.criteria
            if stored.get(criterion.pk) != typed.get(criterion.pk)
        ]

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
    """The reason for sending an assessment back to draft: reopening a confirmed one, or (`returning`)
    returning a submitted one to its unit."""

    reason = forms.CharField(
        label=_("Reason for reopening"),
        max_length=300,
        widget=Textarea(attrs={"rows": 3}),
        help_text=_("Kept in the assessment's history."),
    )

    def __init__(self, *args, cancel_url: str, returning: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if returning:
            self.fields["reason"].label = _("Reason for returning it")
            self.fields["reason"].help_text = _("Kept in the assessment's history and shown to its unit.")
        self.helper = FormHelper()
        self.helper.layout = Layout(
            "reason",
            FormActions(
                StrictButton(
                    pgettext_lazy("assessment", "Return") if returning else _("Reopen"),
                    type="submit",
                    name="submit",
                    css_class="btn btn-warning",
                ),
                CancelLink(cancel_url),
            ),
        )


class SelfAssessmentForm(ErrorSummary, VersionedForm, forms.Form):
    """A secretary's own scores (and notes) per criterion, grouped by part, and an overall comment."""

    comment = forms.CharField(
        label=_("Your overall comment"),
        required=False,
        # As long as a criterion's note may be: the unit reads it on the assessment's page.
        max_length=SelfScore._meta.get_field("comment").max_length,
        widget=Textarea(attrs={"rows": 3}),
    )

    def __init__(
        self, *args, framework: Framework, criteria: list[Criterion], assessment: Assessment | None, **kwargs
    ):
        initial = {}
        if assessment is not None:
            initial["comment"] = assessment.self_comment
            for score in assessment.self_scores.all():
                initial[f"score_{score.criterion_id}"] = score.value
                initial[f"note_{score.criterion_id}"] = score.comment
        super().__init__(*args, initial=initial, version_of=assessment, **kwargs)
        if assessment is None:
            self.fields[VERSION_FIELD].initial = 0
        self.criteria = criteria
        # The summary of what to correct names a criterion by its part too, as AssessmentForm's does.
        self.summary_labels = {}
        groups: dict = {}
        for criterion in criteria:
            number = f"{criterion.group.order}.{criterion.order}."
            self.summary_labels[f"score_{criterion.pk}"] = f"{number} {criterion.name}"
            self.summary_labels[f"note_{criterion.pk}"] = f"{number} {_('What you did (optional)')}"
            self.fields[f"score_{criterion.pk}"] = score_field(
                framework,
                label=criterion_label(framework, criterion),
                help_text=criterion.description,
                criterion=criterion,
            )
            self.fields[f"note_{criterion.pk}"] = forms.CharField(
                label=_("What you did (optional)"),
                required=False,
                max_length=SelfScore._meta.get_field("comment").max_length,
            )
            groups.setdefault(criterion.group, []).append(criterion)
        self.helper = FormHelper()
        # Leaving with scores typed and not saved asks first (static/js/portal.js).
        self.helper.attrs = {"data-warn-unsaved": ""}
        self.helper.layout = Layout(
            VERSION_FIELD,
            *[
                Fieldset(
                    group_label(framework, group),
                    *[
                        part
                        for c in group_criteria
                        for part in (Field(f"score_{c.pk}", wrapper_class="mb-1"), Field(f"note_{c.pk}"))
                    ],
                    ScoreTally(framework, part=group),
                )
                for group, group_criteria in groups.items()
            ],
            ScoreTally(framework),
            "comment",
            FormActions(
                StrictButton(
                    _("Save draft"), type="submit", name="save", css_class="btn btn-outline-primary"
                ),
                StrictButton(
                    _("Submit to my unit"),
                    type="submit",
                    name="submit",
                    css_class="btn btn-primary",
                    # Not asked while a score is missing: the form comes back saying which.
                    data_confirm_complete="input.score-input",
                    data_confirm=_(
                        "Send your self-assessment to your unit? You can no longer change it afterwards."
                    ),
                ),
            ),
        )

    values = AssessmentForm.values
    comments = AssessmentForm.comments

    def clean(self):
        return require_scores_to_submit(self, super().clean())


class FrameworkCopyForm(forms.Form):
    year = forms.IntegerField(
        label=_("For the year"),
        min_value=2000,
        max_value=2100,
        widget=forms.NumberInput(attrs={"class": "form-control form-control-sm w-auto"}),
    )


class FrameworkEditForm(VersionedForm, forms.Form):
    """A framework not yet in use: its rules, its parts' and criteria's names and points, and the extra
    conditions of each rating level (none where the floor is left empty)."""

    name = forms.CharField(label=_("Name"), max_length=200)
    method = forms.ChoiceField(label=_("Scoring method"), choices=Method.choices)
    period = forms.ChoiceField(label=_("Assessment period"), choices=Period.choices)
    self_assessment = forms.BooleanField(
        label=_("Secretaries assess themselves first"),
        required=False,
        help_text=_("Then the unit reviews, and provincial staff confirm."),
    )
    excellent_from = forms.DecimalField(
        label=_("“Excellently fulfilled” from"), max_digits=5, decimal_places=2
    )
    good_from = forms.DecimalField(label=_("“Well fulfilled” from"), max_digits=5, decimal_places=2)
    fulfilled_from = forms.DecimalField(label=_("“Fulfilled” from"), max_digits=5, decimal_places=2)

    LEVELS = (Rating.EXCELLENT, Rating.GOOD, Rating.FULFILLED)

    def __init__(self, *args, framework: Framework, groups: list, cancel_url: str, **kwargs):
        initial = {
            f: getattr(framework, f)
            for f in (
                "name",
                "method",
                "period",
                "self_assessment",
                "excellent_from",
                "good_from",
                "fulfilled_from",
            )
        }
        for condition in framework.rating_conditions.all():
            initial[f"cond_{condition.rating}_{condition.kind}"] = condition.min_percent
        for group in groups:
            initial[f"part_{group.pk}"] = group.name
            initial[f"part_points_{group.pk}"] = group.max_points
            for criterion in group.criteria.all():
                initial[f"crit_{criterion.pk}"] = criterion.name
                initial[f"crit_points_{criterion.pk}"] = criterion.max_points
        super().__init__(*args, initial=initial, version_of=framework, **kwargs)
        self.groups = groups
        layout_groups = []
        for group in groups:
            self.fields[f"part_{group.pk}"] = forms.CharField(label=_("Part"), max_length=200)
            self.fields[f"part_points_{group.pk}"] = forms.IntegerField(
                label=_("Points"), required=False, min_value=1, max_value=100
            )
            rows = [
                Row(
                    Column(f"part_{group.pk}", css_class="col-8"),
                    Column(f"part_points_{group.pk}", css_class="col-4"),
                )
            ]
            for criterion in group.criteria.all():
                self.fields[f"crit_{criterion.pk}"] = forms.CharField(
                    label=_("Criterion %(number)s") % {"number": f"{group.order}.{criterion.order}"},
                    max_length=300,
                )
                self.fields[f"crit_points_{criterion.pk}"] = forms.IntegerField(
                    label=_("Points"), required=False, min_value=1, max_value=100
                )
                rows.append(
                    Row(
                        Column(f"crit_{criterion.pk}", css_class="col-8"),
                        Column(f"crit_points_{criterion.pk}", css_class="col-4"),
                    )
                )
            layout_groups.append(Fieldset(f"{group.order}. {group.name}", *rows))
        condition_fields = []
        for level in self.LEVELS:
            for kind in RatingCondition.Kind:
                name = f"cond_{level.value}_{kind.value}"
                self.fields[name] = forms.DecimalField(
                    label=f"{level.label}: {kind.label} (%)",
                    required=False,
                    min_value=Decimal("0.01"),
                    max_value=100,
                    max_digits=5,
                    decimal_places=2,
                )
                condition_fields.append(Column(name, css_class="col-sm-6"))
        self.helper = FormHelper()
        self.helper.layout = Layout(
            VERSION_FIELD,
            "name",
            Row(Column("method", css_class="col-sm-6"), Column("period", css_class="col-sm-6")),
            "self_assessment",
            Fieldset(
                _("Thresholds (points out of 100, or the scale)"),
                Row(
                    Column("excellent_from", css_class="col-sm-4"),
                    Column("good_from", css_class="col-sm-4"),
                    Column("fulfilled_from", css_class="col-sm-4"),
                ),
            ),
            Fieldset(_("Extra conditions (points out of 100)"), Row(*condition_fields)),
            *layout_groups,
            FormActions(
                StrictButton(_("Save"), type="submit", name="save", css_class="btn btn-primary"),
                CancelLink(cancel_url, css_class="btn btn-link"),
            ),
        )

    def framework_fields(self) -> dict:
        return {
            f: self.cleaned_data[f]
            for f in (
                "name",
                "method",
                "period",
                "self_assessment",
                "excellent_from",
                "good_from",
                "fulfilled_from",
            )
        }

    def parts(self) -> dict:
        return {
            g.pk: (self.cleaned_data[f"part_{g.pk}"], self.cleaned_data.get(f"part_points_{g.pk}"))
            for g in self.groups
        }

    def criteria(self) -> dict:
        return {
            c.pk: (self.cleaned_data[f"crit_{c.pk}"], self.cleaned_data.get(f"crit_points_{c.pk}"))
            for g in self.groups
            for c in g.criteria.all()
        }

    def conditions(self) -> dict:
        return {
            (level.value, kind.value): self.cleaned_data.get(f"cond_{level.value}_{kind.value}")
            for level in self.LEVELS
            for kind in RatingCondition.Kind
        }
