"""Forms of the published commendations: revoking one, and the year chosen on the statistics page."""

from crispy_forms.bootstrap import StrictButton
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from branches.forms import form_actions
from core.versioning import VERSION_FIELD, StaleEdit, VersionedForm
from core.widgets import DateInput, Textarea


class CommendationRevokeForm(VersionedForm, forms.Form):
    """The date and reason of a revocation; the rules (a reason, not before the decision, not twice) are
    checked by services.commendation_revoke, whose refusals are shown next to the fields."""

    revoked_on = forms.DateField(
        label=_("Revoked on"),
        widget=DateInput(),
        help_text=_("The date of the revoking decision, dd/mm/yyyy."),
    )
    reason = forms.CharField(
        label=_("Reason for revocation"),
        max_length=2000,
        widget=Textarea(attrs={"rows": 4}),
        help_text=_("For example the false claim that was found. It is kept with the commendation."),
    )

    # Which field a refusal of the service belongs next to (by the ValidationError's code).
    FIELD_FOR_CODE = {
        "reason_missing": "reason",
        "date_missing": "revoked_on",
        "revoked_before_decision": "revoked_on",
        "revoked_in_future": "revoked_on",
        "unit_ended": "revoked_on",
    }

    def __init__(self, *args, cancel_url: str, **kwargs):
        kwargs.setdefault("initial", {"revoked_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        actions = form_actions(cancel_url, label=_("Revoke the commendation"))
        # The button says what it does, in the colour of an action that cannot be undone.
        actions.fields[0].field_classes = "btn btn-danger"
        self.helper = FormHelper()
        # The refusals are the server's, beside the fields and in the page's language (as every form's).
        self.helper.attrs = {"novalidate": ""}
        self.helper.layout = Layout(
            VERSION_FIELD,
            Row(Column("revoked_on", css_class="col-sm-7 col-md-6")),
            "reason",
            actions,
        )

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("A reason is required to revoke a commendation."))
        return reason

    def add_service_errors(self, error) -> None:
        """Put each refusal of services.commendation_revoke next to the field it is about."""
        if isinstance(error, StaleEdit):
            self.add_error(None, error)
            return
        for item in getattr(error, "error_list", [error]):
            self.add_error(self.FIELD_FOR_CODE.get(item.code), item)


class StatisticsYearForm(forms.Form):
    """The year filter of the statistics page (empty: every year)."""

    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False, empty_value=None)
    # The units switch (branches.rollup) is kept when another year is chosen.
    units = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("All years")), *((y, y) for y in sorted(years, reverse=True))]
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.form_class = "d-print-none mb-3"
        self.helper.layout = Layout(
            "units",
            Row(
                Column("year", css_class="col-6 col-sm-3 col-lg-2"),
                Column(
                    StrictButton(_("Show"), type="submit", css_class="btn-primary"), css_class="col-auto mb-3"
                ),
                # The button lines up with the select, on a phone as on a wide screen.
                css_class="g-2 align-items-end",
            ),
        )

    @property
    def chosen_year(self) -> int | None:
        return self.cleaned_data.get("year") if self.is_valid() else None
