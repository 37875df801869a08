"""Writes of the import log: a batch is created from an upload (the preview), re-planned when the user
chooses "same person", and committed: all its rows in one transaction, re-checked inside it, or none."""

from __future__ import annotations

import os
import uuid

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
#: the rows a stale preview names (the others are counted)
SHOWN_STALE = 20


def _read(kind: ImportKind, file, *, size: int) -> tuple[list[ParsedRow], list[str]]:
    sheet = read_sheet(file, size=size, looks_like_header=header_matcher(kind))
    return parse_rows(kind, sheet)


def _plan(kind: ImportKind, rows, ignored, *, user, options: dict, lock: bool = False) -> Plan:
    plan = kind.plan(rows=rows, user=user, options=options, lock=lock)
    plan.target = plan.target or kind.target
    # The file's columns no kind reads, then those the kind's plan left out for this user (its own reason).
    plan.ignored_headers = [*ignored, *plan.ignored_headers]
    return plan


def _store(batch: ImportBatch, plan: Plan, *, stale: list[int] | None = None) -> None:
    """Keep `plan` as the batch's preview; `stale`: the rows that read differently when it was confirmed
    (the page says so until the preview is planned again)."""
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
        "target": plan.target,
    }
    if plan.columns:  # what the rows' cells are (the scores' criteria): the others' reports stay as they were
        batch.report["columns"] = plan.columns
    # Which preview a page shows: its confirmation says so (ConfirmForm), and confirms no other.
    batch.report["preview"] = uuid.uuid4().hex[:16]
    if stale:
        batch.report["stale"] = {"rows": stale[:SHOWN_STALE], "more": max(0, len(stale) - SHOWN_STALE)}
    batch.basis = plan.basis


def _clean_name(name: str) -> str:
    return os.path.basename((name or "").replace("\\", "/"))[:200] or "import.xlsx"


def batch_create(*, kind: ImportKind, upload, user) -> ImportBatch:
    """Read and check the upload; keep it with its preview. Raises ImportFileError for a file refused as a
    whole. Nothing but the batch is written."""
    kind = kind.for_user(user)
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
    kind = KINDS[batch.kind].for_user(user)
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


class StalePreview(ValidationError):
    """The records changed after the preview: nothing was imported, and the preview now says what a
    confirmation would do with the records as they are."""

    def __init__(self, rows: list[int]):
        self.rows = rows
        super().__init__(
            _(
                "The data changed after the preview: nothing was imported. The preview has been checked "
                "again against the data as it is now: read it before you confirm, or upload the file again."
            ),
            code="stale_preview",
        )


def _stale_rows(stored: dict, plan: Plan) -> list[int]:
    """The rows whose outcome or records differ from the preview's. A preview kept before its rows'
    basis was (stored empty) differs in every row: it is checked again rather than trusted."""
    now = plan.basis
    return sorted(
        int(number) for number in now.keys() | stored.keys() if now.get(number) != stored.get(number)
    )


def batch_commit(*, batch: ImportBatch, user, preview: str | None = None) -> ImportBatch:
    """Write every row, or none: exactly what the preview showed. The file is planned again inside the
    transaction, with the records its rows are decided on locked, and written only when that plan has no
    error (a secretary appointed meanwhile) and every row does what it did on the preview, to the same
    records at the same versions. Otherwise nothing is written, and the new plan becomes the preview, so
    that a newer save is never overwritten by a page that did not show it.

    `preview`: the preview the confirming page showed (`report["preview"]`); None: not checked (a
    confirmation without it, as a script's)."""
    kind = KINDS[batch.kind]
    try:
        with transaction.atomic():
            locked = ImportBatch.objects.select_for_update().get(pk=batch.pk)
            if not locked.is_preview:
                raise ValidationError(_("This import is already done."), code="already_committed")
            if preview is not None and preview != locked.report.get("preview", ""):
                # Planned again since that page was drawn: the stored preview is the newer one, unread.
                raise StalePreview([])
            plan = _replan(locked, user=user, lock=True)
            refusal = None
            if plan.has_errors:
                refusal = ValidationError(
                    _(
                        "Nothing was imported: some rows have errors now. Correct the file and upload it "
                        "again."
                    ),
                    code="rows_refused",
                )
                _store(locked, plan)
            elif stale := _stale_rows(locked.basis, plan):
                refusal = StalePreview(stale)
                _store(locked, plan, stale=stale)
            else:
                # simple-history keeps 100 characters of a reason.
                reason = (_("Imported from file %(name)s") % {"name": locked.file_name})[:100]
                kind.commit(plan=plan, user=user, reason=reason)
                _store(locked, plan)
                locked.parsed = {}  # no longer needed: the original file stays, and the report
                locked.status = ImportBatch.Status.COMMITTED
                locked.committed_at = timezone.now()
            # A refusal keeps its new preview (and the rows stay unwritten): the batch row is still locked,
            # so a confirmation waiting on it reads this preview, not the one it was shown.
            locked.save()
    except IntegrityError as error:
        # The database's own rules (one current secretary per branch…) refused what the check let through:
        # something changed in between that the check could not lock.
        raise ValidationError(
            _("Nothing was imported: the records changed meanwhile. Upload the file again."), code="conflict"
        ) from error
    if refusal is not None:
        raise refusal
    return locked
