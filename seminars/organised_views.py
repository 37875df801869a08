"""The form pages of what a unit organises over years, a programme and a model/solution alike: the organiser
chosen as the form allows (forms.OrganisedForm), saved by the kind's service, each refusal next to its field,
and an edit only where the reader may change it (forms.may_edit)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from core.mixins import EditsACopyMixin

from .forms import may_edit


class OrganisedFormMixin:
    """With the kind's queryset mixin and CreateView or UpdateView. The kind names its list (`list_url_name`,
    `list_title`), its page's headings (`add_title`, `edit_title`) and how it is saved (`save`)."""

    template_name = "seminars/organised_form.html"
    list_url_name: str
    list_title = add_title = edit_title = ""

    def save(self, form, organised):
        """The kind's service call, with the form's organiser already set on `organised`."""
        raise NotImplementedError

    def cancel_url(self) -> str:
        return self.object.get_absolute_url() if self.object else reverse(self.list_url_name)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user, "cancel_url": self.cancel_url()}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            list_title=self.list_title,
            list_url=reverse(self.list_url_name),
            add_title=self.add_title,
            edit_title=self.edit_title,
            **kwargs,
        )

    def form_valid(self, form):
        data = form.cleaned_data
        organised = form.instance
        organised.province, organised.district = data["province"], data["district"]
        organised.commune = data["commune"]
        try:
            self.object = self.save(form, organised)
        except ValidationError as error:  # a stale save (StaleEdit), or a year its unit did not exist in
            # Several refusals at once (a new period leaving seminars out on both sides): each by its field.
            for item in getattr(error, "error_list", [error]):
                form.add_error(form.FIELD_FOR_CODE.get(getattr(item, "code", None)), item)
            return self.form_invalid(form)
        messages.success(self.request, _("“%(name)s” was saved.") % {"name": self.object.name})
        return redirect(self.object)


class OrganisedUpdateMixin(EditsACopyMixin):
    """An edit only by whom may change it: another unit reads it (its secretaries took part), 403."""

    def get_object(self, queryset=None):
        organised = super().get_object(queryset)
        if not may_edit(self.request.user, organised):
            raise PermissionDenied
        return organised
