"""Seminar photos: several uploaded at once, served through scoped views, removed after a confirmation.

Photos show people, so like portraits they are never served from /media/: every view loads the photo
through `Seminar.objects.visible_to(user)`, and a photo of a seminar outside the user's scope is a 404.
The seminar page includes templates/seminars/partials/photo_gallery.html with `gallery_context()`.
"""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout, Submit
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from core.files import protected_image_response
from core.mixins import portal_view
from secretaries import portraits

from . import services
from .forms import may_edit
from .models import Photo, Seminar
from .services import MAX_PHOTOS_PER_SEMINAR, MAX_PHOTOS_PER_UPLOAD


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Django's FileField takes one file; this one cleans each of a list (Django docs, "Uploading multiple
    files") and returns them as a list."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": portraits.ACCEPT}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            if not data and self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return [super(MultipleFileField, self).clean(item, initial) for item in data]
        return [super().clean(data, initial)]


class PhotoUploadForm(forms.Form):
    images = MultipleFileField(
        label=gettext_lazy("Photos"),
    )
    caption = forms.CharField(
        label=gettext_lazy("Caption"),
        max_length=300,
        required=False,
        help_text=gettext_lazy("Given to every photo of this upload."),
    )

    def __init__(self, *args, seminar: Seminar, **kwargs):
        super().__init__(*args, **kwargs)
        self.seminar = seminar
        self.fields["images"].help_text = _(
            "Choose up to %(max)s JPEG, PNG or WebP photos, at most 5 MB each; "
            "if one is refused, none is stored."
        ) % {"max": MAX_PHOTOS_PER_UPLOAD}
        self.helper = FormHelper()
        self.helper.form_action = reverse("seminars:photo_upload", args=[seminar.pk])
        self.helper.form_id = "photo-upload"
        self.helper.layout = Layout(
            "images", "caption", Submit("upload", _("Upload photos"), css_class="btn-primary")
        )

    def clean_images(self) -> list[portraits.ProcessedImage]:
        """Verify and re-encode every file before anything is stored; name each one refused.

        What needs no decoding is checked first, for all files: how many there are, and their sizes.
        Only then is any file opened, so a request of too many or too large files costs no image work."""
        uploads = self.cleaned_data["images"]
        if len(uploads) > MAX_PHOTOS_PER_UPLOAD:
            raise ValidationError(
                _("Upload at most %(max)s photos at once.") % {"max": MAX_PHOTOS_PER_UPLOAD},
                code="too_many_files",
            )
        if self.seminar.photos.count() + len(uploads) > MAX_PHOTOS_PER_SEMINAR:
            raise ValidationError(
                _("A seminar keeps at most %(max)s photos.") % {"max": MAX_PHOTOS_PER_SEMINAR},
                code="too_many_photos",
            )
        refusals = self._refusals(uploads, portraits.check_size)
        if refusals:
            raise ValidationError(refusals)
        processed = []
        refusals = self._refusals(uploads, lambda upload: processed.append(portraits.image_process(upload)))
        if refusals:
            raise ValidationError(refusals)
        return processed

    @staticmethod
    def _refusals(uploads, check) -> list[ValidationError]:
        refusals = []
        for upload in uploads:
            try:
                check(upload)
            except ValidationError as error:
                refusals.append(
                    ValidationError(
                        _("%(name)s was refused: %(reason)s Nothing was stored.")
                        % {"name": upload.name, "reason": " ".join(error.messages)},
                        code=getattr(error, "code", None) or "invalid",
                    )
                )
        return refusals


def gallery_context(seminar: Seminar, form: PhotoUploadForm | None = None, *, editable: bool = True) -> dict:
    """What templates/seminars/partials/photo_gallery.html needs: `seminar`, `photos`, `photo_form` (none,
    and no "Remove" links, for a reader who may not change the seminar: `editable`)."""
    return {
        "seminar": seminar,
        "photos": list(seminar.photos.all()),
        "photo_form": (form or PhotoUploadForm(seminar=seminar)) if editable else None,
        "photos_editable": editable,
    }


def _seminar_in_scope(request, pk) -> Seminar:
    seminar = get_object_or_404(Seminar.objects.visible_to(request.user), pk=pk)
    if not may_edit(request.user, seminar):
        raise PermissionDenied  # a commune officer reads the seminars its secretaries attended
    return seminar


def _photo_in_scope(request, pk) -> Photo:
    visible = Seminar.objects.visible_to(request.user)
    return get_object_or_404(Photo.objects.select_related("seminar").filter(seminar__in=visible), pk=pk)


def _gallery_url(seminar: Seminar) -> str:
    return seminar.get_absolute_url() + "#photos"


@require_POST
@portal_view
def photo_upload(request, pk):
    """All files or none: each is checked and re-encoded first, then photos_add stores them in one
    transaction. A refusal shows the seminar page again with the form as posted: the refusal beside the
    files, the caption as typed (the files themselves a browser never fills in again)."""
    seminar = _seminar_in_scope(request, pk)
    form = PhotoUploadForm(request.POST, request.FILES, seminar=seminar)
    if form.is_valid():
        images = form.cleaned_data["images"]
        try:
            services.photos_add(
                seminar=seminar, images=images, captions=[form.cleaned_data["caption"]] * len(images)
            )
        except ValidationError as error:
            form.add_error("images", error)
        else:
            count = len(images)
            added = ngettext("%(count)s photo was added.", "%(count)s photos were added.", count)
            messages.success(request, added % {"count": count})
            return redirect(_gallery_url(seminar))
    # Not at the top: the seminar's page includes the gallery this module draws (gallery_context).
    from .seminar_views import SeminarDetailView

    page = SeminarDetailView(photo_form=form)
    page.setup(request, pk=seminar.pk)
    page.object = page.get_object()
    return page.render_to_response(page.get_context_data(object=page.object))


@portal_view
def photo_file(request, pk, size="full"):
    photo = _photo_in_scope(request, pk)
    return protected_image_response(photo.thumbnail if size == "thumbnail" else photo.image)


@portal_view
def photo_delete(request, pk):
    photo = _photo_in_scope(request, pk)
    if not may_edit(request.user, photo.seminar):
        raise PermissionDenied
    if request.method == "POST":
        seminar = photo.seminar
        services.photo_remove(photo=photo)
        messages.success(request, _("The photo was removed."))
        return redirect(_gallery_url(seminar))
    return render(request, "seminars/photo_confirm_delete.html", {"photo": photo, "seminar": photo.seminar})
