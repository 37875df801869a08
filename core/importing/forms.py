from crispy_forms.bootstrap import FormActions
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout
from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import CancelLink, Submit

from .reader import MAX_BYTES


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Excel file (.xlsx)"),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
        ),
        help_text=_("At most 10 MB and 20,000 rows. Nothing is saved before you confirm the preview."),
    )

    def __init__(self, *args, cancel_url: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.attrs = {"enctype": "multipart/form-data"}
        self.helper.layout = Layout(
            "file",
            FormActions(
                Submit("submit", _("Check the file"), css_class="btn-primary"), CancelLink(cancel_url)
            ),
        )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        # Refused before anything is read: the reader checks again (a stored file is re-read at commit).
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(mb)s MB. Split it into smaller files."),
                code="too_large",
                params={"mb": MAX_BYTES // 2**20},
            )
        return upload


class ConfirmForm(forms.Form):
    """A button, and which preview the page showed: the rows are the stored file's, checked again when it
    is pressed, and a preview planned again since (in another tab, or by a refused confirmation) is not
    the one confirmed."""

    preview = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, action: str, label, preview: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["preview"].initial = preview
        self.helper = FormHelper()
        self.helper.form_action = action
        self.helper.layout = Layout("preview", FormActions(Submit("confirm", label, css_class="btn-success")))


class SamePersonForm(forms.Form):
    """The rows the user says are people already in the portal (found by name and date of birth)."""

    same_person = forms.MultipleChoiceField(
        label=_("These rows are people already in the portal: update them instead of adding new ones"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, rows: list[dict], action: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["same_person"].choices = [
            (
                str(row["number"]),
                _("Row %(row)s: %(summary)s = %(existing)s")
                % {"row": row["number"], "summary": row["summary"], "existing": row["same_as"]["name"]},
            )
            for row in rows
        ]
        self.initial["same_person"] = [str(row["number"]) for row in rows if row.get("chosen_same")]
        self.helper = FormHelper()
        self.helper.form_action = action
        self.helper.layout = Layout(
            "same_person",
            FormActions(Submit("recheck", _("Check the rows again"))),
        )
