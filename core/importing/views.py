"""The import pages: upload → preview → confirm, the template, the log and the original file.

Every batch is loaded through `ImportBatch.objects.visible_to(user)` (another unit's import → 404); only a
user who may import the kind (the kind says who: those who may create such records) uploads or confirms.
"""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import ListView

from core.jobs import JobRefused, JobResult, job_start
from core.mixins import PaginatedListMixin, RefusedWithReason, ScopedObjectMixin, portal_view
from core.security_log import security_event

from . import services
from .engine import ERROR, KINDS, details_text, kinds_for, shown
from .forms import ConfirmForm, SamePersonForm, UploadForm
from .models import ImportBatch
from .reader import ImportFileError
from .template import template_response

#: rows with errors shown on the preview; the rest are counted
SHOWN_ERRORS = 300
SHOWN_OTHERS = 100


def _kind_or_404(slug: str):
    kind = KINDS.get(slug)
    if kind is None:
        raise Http404
    return kind


def _importable_kind(request, slug: str):
    kind = _kind_or_404(slug)
    if not kind.may_import(request.user):
        reason = kind.refusal(request.user)
        raise RefusedWithReason(reason) if reason else PermissionDenied
    return kind


class BatchListView(PaginatedListMixin, ScopedObjectMixin, ListView):
    model = ImportBatch
    template_name = "imports/importbatch_list.html"
    context_object_name = "batches"
    paginate_by = settings.PAGE_SIZE

    def get_queryset(self):
        return super().get_queryset().select_related("user").defer("report", "parsed", "basis")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(
            importable=sorted(kinds_for(self.request.user), key=lambda k: k.slug), **kwargs
        )
        for batch in context["batches"]:
            kind = KINDS.get(batch.kind)
            batch.kind_label = kind.label if kind else batch.kind
        return context


@portal_view
def batch_upload(request, kind):
    kind = _importable_kind(request, kind).for_user(request.user)
    cancel_url = reverse(kind.list_url_name)
    form = UploadForm(request.POST or None, request.FILES or None, cancel_url=cancel_url)
    if request.method == "POST" and form.is_valid():
        try:
            batch = services.batch_create(kind=kind, upload=form.cleaned_data["file"], user=request.user)
        except ImportFileError as error:
            form.add_error("file", error.message)
            security_event("data.import_refused", kind=kind.slug, code=error.code)
        else:
            security_event("data.import_preview", kind=kind.slug, batch=batch.pk, rows=batch.row_count)
            return redirect(batch)
    return render(
        request, "imports/importbatch_form.html", {"form": form, "kind": kind, "list_url": cancel_url}
    )


@portal_view
def batch_template(request, kind):
    kind = _importable_kind(request, kind)
    return template_response(kind, user=request.user)


def _batch(request, pk, *, rows: bool = False) -> ImportBatch:
    """The batch in the user's scope (404 otherwise); its stored rows only for the views that need them."""
    # The rows' basis is read by the commit only, which locks the batch and reads it again.
    batches = ImportBatch.objects.visible_to(request.user).select_related("user").defer("basis")
    return get_object_or_404(batches if rows else batches.defer("parsed"), pk=pk)


def _may_confirm(request, batch: ImportBatch) -> bool:
    kind = KINDS.get(batch.kind)
    return bool(
        kind and batch.is_preview and batch.user_id == request.user.pk and kind.may_import(request.user)
    )


def _stale(batch: ImportBatch) -> dict | None:
    """The rows that read differently when this preview was last confirmed (it was then planned again),
    as the page names them: "4, 7, 9, …"."""
    stale = batch.report.get("stale") if batch.is_preview else None
    if not stale:
        return None
    rows = ", ".join(str(number) for number in stale["rows"]) + (", …" if stale["more"] else "")
    return {"rows": rows, "count": len(stale["rows"]) + stale["more"]}


@portal_view
def batch_detail(request, pk):
    batch = _batch(request, pk)
    kind = _kind_or_404(batch.kind)
    rows = batch.report.get("rows", [])
    errors = [r for r in rows if r["action"] == ERROR]
    others = [r for r in rows if r["action"] != ERROR]
    choices = [r for r in rows if r.get("same_as")]
    # The report's words in the reader's language (engine.later), its data as stored.
    columns = [
        {**column, "label": shown(column["label"]), "title": shown(column["title"])}
        for column in batch.report.get("columns", [])
    ]
    for row in others[:SHOWN_OTHERS] if columns else ():
        # Each cell beside its column (a total is set in bold): the rows' table draws them in pairs.
        cells = [
            {**cell, "text": shown(cell["text"]), "was": shown(cell["was"])} for cell in row.get("cells", [])
        ]
        row["shown_cells"] = list(zip(columns, cells, strict=False))
    for row in others[:SHOWN_OTHERS]:
        # What a new row will be saved as (the secretaries: gender, role, term), or what an update changes,
        # after its summary.
        row["details_text"] = details_text(row.get("details", []))
    may_confirm = _may_confirm(request, batch)
    return render(
        request,
        "imports/importbatch_detail.html",
        {
            "batch": batch,
            "kind": kind,
            "error_rows": errors[:SHOWN_ERRORS],
            "hidden_errors": max(0, len(errors) - SHOWN_ERRORS),
            "other_rows": others[:SHOWN_OTHERS],
            "hidden_others": max(0, len(others) - SHOWN_OTHERS) + batch.report.get("more", 0),
            "ignored_headers": batch.report.get("ignored_headers", []),
            # What the rows go into (the scores: the framework), as the plan chose it.
            "target": shown(batch.report.get("target", "")),
            # The cells a kind shows beside each row (the scores: every criterion, as it will be saved).
            "columns": columns,
            # The rows that read differently when this preview was last confirmed: it was planned again.
            "stale": _stale(batch),
            "may_confirm": may_confirm,
            "list_url": reverse(kind.list_url_name),
            "same_person_form": SamePersonForm(
                rows=choices, action=reverse("imports:batch_same_person", kwargs={"pk": batch.pk})
            )
            if choices and may_confirm
            else None,
            "confirm_form": ConfirmForm(
                action=reverse("imports:batch_confirm", kwargs={"pk": batch.pk}),
                label=_("Import %(count)s rows")
                % {"count": formats.number_format(batch.row_count, force_grouping=True)},
                preview=batch.report.get("preview", ""),
            )
            if may_confirm and not batch.error_count
            else None,
        },
    )


@require_POST
@portal_view
def batch_same_person(request, pk):
    batch = _batch(request, pk, rows=True)
    if not _may_confirm(request, batch):
        raise PermissionDenied
    rows = [int(value) for value in request.POST.getlist("same_person") if value.isdigit()][:20_000]
    try:
        services.batch_choose_same_person(batch=batch, rows=rows, user=request.user)
    except (ValidationError, ImportFileError) as error:
        messages.error(request, getattr(error, "message", None) or " ".join(error.messages))
    else:
        messages.info(request, _("The rows were checked again with your choices."))
    return redirect(batch)


@require_POST
@portal_view
def batch_confirm(request, pk):
    batch = _batch(request, pk, rows=True)
    if not _may_confirm(request, batch):
        raise PermissionDenied
    if batch.error_count:
        messages.error(request, _("Nothing was imported: correct the rows with errors first."))
        return redirect(batch)
    preview = request.POST.get("preview")  # the preview the page showed (absent: not checked)
    if batch.row_count > settings.IMPORT_JOB_THRESHOLD:
        # A large file is written by the worker, still all its rows or none; the user follows it on the
        # job's page, which links back to this import when it is done.
        job = job_start(
            owner=request.user,
            kind="import",
            title=lambda: (
                _("Import from %(file)s (%(count)s rows)")
                % {
                    "file": batch.file_name,
                    "count": formats.number_format(batch.row_count, force_grouping=True),
                }
            ),
            func=batch_commit_job,
            params={"batch": batch.pk, "preview": preview},
        )
        return redirect(job)
    try:
        batch = services.batch_commit(batch=batch, user=request.user, preview=preview)
    except ImportFileError as error:
        messages.error(request, error.message)
        return redirect(batch)
    except services.StalePreview as error:
        if not error.rows:  # else the preview, checked again, says which rows changed (not twice)
            messages.error(request, " ".join(error.messages))
        return redirect(batch)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(batch)
    security_event("data.import", kind=batch.kind, batch=batch.pk, rows=batch.row_count)
    messages.success(request, _imported(batch))
    return redirect(batch)


def _imported(batch: ImportBatch) -> str:
    return _("Imported from %(file)s: %(new)s new, %(updated)s updated, %(unchanged)s unchanged.") % {
        "file": batch.file_name,
        "new": batch.new_count,
        "updated": batch.updated_count,
        "unchanged": batch.unchanged_count,
    }


def batch_commit_job(*, job, user, batch: int, preview: str | None = None) -> JobResult:
    """The worker's side of `batch_confirm` for a large file: the batch loaded in the owner's scope, the
    same checks, the same all-or-nothing commit of the preview the page showed. A refusal names the
    import's page, where the preview (checked again, if the data changed) is."""
    batch = ImportBatch.objects.visible_to(user).filter(pk=batch).first()
    kind = KINDS.get(batch.kind) if batch is not None else None
    if batch is None or kind is None:
        raise ValidationError(_("This import is no longer there."))
    if not (batch.is_preview and batch.user_id == user.pk and kind.may_import(user)):
        raise ValidationError(_("This import is already done."))
    if batch.error_count:
        raise ValidationError(_("Nothing was imported: correct the rows with errors first."))
    job.report(0, None, force=True)
    try:
        batch = services.batch_commit(batch=batch, user=user, preview=preview)
    except ImportFileError as error:
        raise JobRefused(error.message, url=batch.get_absolute_url()) from error
    except ValidationError as error:
        raise JobRefused(" ".join(error.messages), url=batch.get_absolute_url()) from error
    security_event(
        "data.import", user=user, kind=batch.kind, batch=batch.pk, rows=batch.row_count, job=job.pk
    )
    return JobResult(url=batch.get_absolute_url(), message=_imported(batch))


@portal_view
def batch_file(request, pk):
    """The original file, as uploaded: personal data, so served only within scope and never cached."""
    batch = _batch(request, pk)
    if not batch.file:
        raise Http404
    security_event("data.import_file", batch=batch.pk)
    response = FileResponse(
        batch.file.open("rb"),
        as_attachment=True,
        filename=batch.file_name,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Cache-Control"] = "private, no-store"
    return response
