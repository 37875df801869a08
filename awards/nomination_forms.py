"""The nominating unit's form (a district's, a commune's), and the reason asked of provincial staff to reject
a nomination."""

from crispy_forms.bootstrap import FormActions, StrictButton
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Field, Layout
from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import CancelLink
from core.versioning import VERSION_FIELD, VersionedForm
from core.widgets import AutocompleteSelect, Textarea
from secretaries.models import Person, Term

from .documents import check_document
from .models import Nomination, NominationDocument


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Person) -> str:
        return f"{obj.full_name} ({obj.date_of_birth.year})"


class NominationForm(VersionedForm, forms.ModelForm):
    """Who is nominated (only when creating: the nominee of a nomination never changes), the summary for
    the list and the full report. "Save draft" posts `save`, "Save and submit" posts `submit`."""

    person = PersonChoiceField(
        label=_("Secretary"),
        queryset=Person.objects.none(),
        widget=AutocompleteSelect("secretaries:person_autocomplete", params={"current": 1}),
        help_text=_(
            "A current secretary of your unit. Type part of the name, with or without diacritics, "
            "or choose one from the ranked list above."
        ),
    )

    class Meta:
        model = Nomination
        fields = ["person", "summary", "report"]
        widgets = {
            "summary": Textarea(attrs={"rows": 3, "maxlength": 600}),
            "report": Textarea(attrs={"rows": 14}),
        }

    def __init__(self, *args, user, cancel_url: str, can_submit: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["person"]
        else:
            # Only people of the officer's own unit can be chosen, whatever is posted: another unit's id is
            # "not a valid choice". Whether the person is a secretary *now* is a rule of the campaign,
            # checked by services.nomination_save with a message that says so.
            people = Person.objects.visible_to(user)
            if user.is_commune_officer:
                # Those serving a branch of the commune today (the scope also reads its past secretaries).
                serving = Term.objects.current().filter(branch__commune=user.commune_id).values("person")
                people = people.filter(pk__in=serving)
            else:
                people = people.filter(district=user.district_id)
            self.fields["person"].queryset = people
        buttons = [
            # StrictButton: crispy's Submit would add btn-primary to the outline style.
            StrictButton(
                _("Save draft") if can_submit else _("Save"),
                type="submit",
                name="save",
                css_class="btn btn-outline-primary" if can_submit else "btn btn-primary",
            )
        ]
        if can_submit:
            buttons.append(
                StrictButton(_("Save and submit"), type="submit", name="submit", css_class="btn btn-primary")
            )
        buttons.append(CancelLink(cancel_url, css_class="btn btn-link"))
        self.helper = FormHelper()
        # A summary and a report of achievements: what is typed is not lost to a click elsewhere (the
        # language switch, a link) without a question (static/js/portal.js).
        self.helper.attrs = {"novalidate": "", "data-warn-unsaved": ""}
        self.helper.layout = Layout(
            VERSION_FIELD,
            *(["person"] if "person" in self.fields else []),
            Field("summary"),
            Field("report"),
            FormActions(*buttons),
        )

    @property
    def submitting(self) -> bool:
        return "submit" in self.data


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for not approving"),
        max_length=2000,
        widget=Textarea(attrs={"rows": 4}),
        help_text=_("The nominating unit reads it on the nomination."),
    )
    next = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, cancel_url: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.attrs = {"novalidate": ""}
        self.helper.layout = Layout(
            "reason",
            "next",
            FormActions(
                StrictButton(_("Do not approve"), type="submit", name="submit", css_class="btn btn-danger"),
                CancelLink(cancel_url, css_class="btn btn-link"),
            ),
        )


class DecisionChangeForm(forms.Form):
    """Changing a decided nomination (approved ↔ not approved) before the decision is published: the new
    decision, why it changes, and a tick that says the reviewer means it."""

    reason = forms.CharField(
        label=_("Why the decision changes"),
        max_length=2000,
        widget=Textarea(attrs={"rows": 3}),
        help_text=_("Kept in the nomination's history."),
    )
    rejection_reason = forms.CharField(
        label=_("Reason for not approving"),
        max_length=2000,
        required=False,
        widget=Textarea(attrs={"rows": 3}),
        help_text=_("The nominating unit reads it on the nomination; empty: the reason above."),
    )
    confirm = forms.BooleanField(
        label=_("I have checked: change this nomination's decision."),
        error_messages={"required": _("Tick the box to confirm the change.")},
    )
    next = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, approve: bool, cancel_url: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.approve = approve
        fields = ["reason"]
        if approve:
            del self.fields["rejection_reason"]
        else:
            fields.append("rejection_reason")
        # Two constant labels, so no text reaches crispy's template compilation (core.forms).
        if approve:
            button = StrictButton(
                _("Approve instead"), type="submit", name="submit", css_class="btn btn-warning"
            )
        else:
            button = StrictButton(
                _("Do not approve instead"), type="submit", name="submit", css_class="btn btn-warning"
            )
        self.helper = FormHelper()
        self.helper.attrs = {"novalidate": ""}
        self.helper.layout = Layout(
            *fields,
            "confirm",
            "next",
            FormActions(
                button,
                CancelLink(cancel_url, css_class="btn btn-link"),
            ),
        )


class DocumentForm(forms.Form):
    """One file attached to a nomination; what it holds is checked by awards.documents.check_document."""

    kind = forms.ChoiceField(label=_("Kind of document"), choices=NominationDocument.Kind.choices)
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, Word (.docx), Excel (.xlsx), PNG or JPEG; at most 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx,.xlsx,.png,.jpg,.jpeg"}),
    )

    def __init__(self, *args, action_url: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_action = action_url
        self.helper.form_id = "document-upload"
        self.helper.attrs = {"enctype": "multipart/form-data", "novalidate": ""}
        self.helper.layout = Layout(
            Field("kind"),
            Field("file"),
            FormActions(
                StrictButton(
                    _("Attach the file"), type="submit", name="submit", css_class="btn btn-outline-primary"
                )
            ),
        )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        check_document(upload)
        return upload
