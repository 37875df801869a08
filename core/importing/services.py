"""Writes of the import log: a batch is created from an upload (the preview), re-planned when the user
chooses "same person", and committed: all its rows in one transaction, re-checked inside it, or none."""

from __future__ import annotations

import os

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .engine import (
    ERROR,
    KINDS,
    NEW,
    UNCHANGED,
    UPDATED,
    ImportKind,
    ParsedRow,
    Plan,
    header_matcher,
    parse_rows,
    rows_from_json,
    rows_to_json,
)
from .models import ImportBatch
from .reader import read_sheet

#: outcomes kept in the report beyond the rows with errors (the preview shows a sample of the rest)
KEPT_OUTCOMES = 500
CHANGE_ORDER = {UPDATED: 0, NEW: 1, UNCHANGED: 2}


def _read(kind: ImportKind, file, *, size: int) -> tuple[list[ParsedRow], list[str]]:
    sheet = read_sheet(file, size=size, looks_like_header=header_matcher(kind))
    return parse_rows(kind, sheet)


def _plan(kind: ImportKind, rows, ignored, *, user, options: dict, lock: bool = False) -> Plan:
    plan = kind.plan(rows=rows, user=user, options=options, lock=lock)
    # The file's columns no kind reads, then those the kind's plan left out for this user (its own reason).
    plan.ignored_headers = [*ignored, *plan.ignored_headers]
    return plan


def _store(batch: ImportBatch, plan: Plan) -> None:
    counts = plan.counts
    batch.row_count = len(plan.outcomes)
    batch.new_count, batch.updated_count = counts["new"], counts["updated"]
    batch.unchanged_count, batch.error_count = counts["unchanged"], counts["error"]
    errors = [o for o in plan.outcomes if o.action == ERROR]
    # What the file changes before what it leaves as it is, each in the file's order: the preview shows the
    # first rows of a long file, and a re-imported export is mostly "unchanged".
    others = sorted((o for o in plan.outcomes if o.action != ERROR), key=lambda o: CHANGE_ORDER[o.action])
    batch.report = {
        "rows": [o.as_json() for o in errors + others[:KEPT_OUTCOMES]],
        "more": max(0, len(others) - KEPT_OUTCOMES),
        "ignored_headers": plan.ignored_headers,
    }


def _clean_name(name: str) -> str:
    return os.path.basename((name or "").replace("\\", "/"))[:200] or "import.xlsx"


def batch_create(*, kind: ImportKind, upload, user) -> ImportBatch:
    """Read and check the upload; keep it with its preview. Raises ImportFileError for a file refused as a
    whole. Nothing but the batch is written."""
    rows, ignored = _read(kind, upload, size=upload.size)
    parsed = {"rows": rows_to_json(rows), "ignored_headers": ignored}  # as read, before the plan's checks
    plan = _plan(kind, rows, ignored, user=user, options={})
    batch = ImportBatch(
        parsed=parsed,
        kind=kind.slug,
        file_name=_clean_name(upload.name),
        file_size=upload.size,
        user=user,
        **ImportBatch.scope_of(user),
    )
    _store(batch, plan)
    upload.seek(0)
    with transaction.atomic():
        batch.file.save("import.xlsx", upload, save=False)
        batch.save()
    return batch


def _replan(batch: ImportBatch, *, user, lock: bool = False) -> Plan:
    """The stored rows checked again against the records as they are now (the file itself never changes:
    its rows as read are kept on the batch, so it is not parsed again)."""
    kind = KINDS[batch.kind]
    if batch.parsed:
        rows, ignored = rows_from_json(batch.parsed["rows"]), batch.parsed["ignored_headers"]
    else:
        with batch.file.open("rb") as stored:
            rows, ignored = _read(kind, stored, size=batch.file_size)
    return _plan(kind, rows, ignored, user=user, options=batch.options, lock=lock)


@transaction.atomic
def batch_choose_same_person(*, batch: ImportBatch, rows: list[int], user) -> ImportBatch:
    """The user says these rows are people already in the portal: they update them instead of adding."""
    if not batch.is_preview:
        raise ValidationError(_("This import is already done."), code="already_committed")
    batch.options = {**batch.options, "same_person": sorted(set(rows))}
    _store(batch, _replan(batch, user=user))
    batch.save()
    return batch


class _Refused(Exception):
    def __init__(self, plan: Plan):
        self.plan = plan


def batch_commit(*, batch: ImportBatch, user) -> ImportBatch:
    """Write every row, or none. The file is planned again inside the transaction, with the kind's rows
    locked, so what changed since the preview (a secretary appointed meanwhile) is refused, not
    overwritten."""
    kind = KINDS[batch.kind]
    try:
        with transaction.atomic():
            locked = ImportBatch.objects.select_for_update().get(pk=batch.pk)
            if not locked.is_preview:
                raise ValidationError(_("This import is already done."), code="already_committed")
            plan = _replan(locked, user=user, lock=True)
            if plan.has_errors:
                raise _Refused(plan)
            # simple-history keeps 100 characters of a reason.
            reason = (_("Imported from file %(name)s") % {"name": locked.file_name})[:100]
            kind.commit(plan=plan, user=user, reason=reason)
            _store(locked, plan)
            locked.parsed = {}  # no longer needed: the original file stays, and the report
            locked.status = ImportBatch.Status.COMMITTED
            locked.committed_at = timezone.now()
            locked.save()
            return locked
    except IntegrityError as error:
        # The database's own rules (one current secretary per branch…) refused what the check let through:
        # something changed in between that the check could not lock.
        raise ValidationError(
            _("Nothing was imported: the records changed meanwhile. Upload the file again."), code="conflict"
        ) from error
    except _Refused as refused:
        _store(batch, refused.plan)
        batch.save()
        raise ValidationError(
            _("Nothing was imported: some rows have errors now. Correct the file and upload it again."),
            code="rows_refused",
        ) from None
