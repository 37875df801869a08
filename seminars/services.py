"""Writes to seminars, proposals, photos and models/solutions. Each is atomic; history is kept by
django-simple-history for seminars, proposals and models/solutions."""

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import CharField, F, Q, Value
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.text import fold, normalize_name
from core.versioning import check_version, lock_current
from secretaries.portraits import ProcessedImage

from . import totals
from .models import (
    Initiative,
    Photo,
    Programme,
    Proposal,
    Seminar,
    Theme,
    check_held_not_ahead,
    programme_first_year_error,
    programme_period_error,
    proposal_due_error,
    year_bounds,
)

MAX_PHOTOS_PER_SEMINAR = 40
# Files in one upload; Django refuses a request with more (DATA_UPLOAD_MAX_NUMBER_FILES, same number).
MAX_PHOTOS_PER_UPLOAD = 10


def _check_organiser(*, province, district, commune=None) -> None:
    if district is not None and commune is not None:
        raise ValidationError(
            _("An organiser is a district or a commune, not both."), code="district_and_commune"
        )
    if district is not None and district.province_id != province.pk:
        raise ValidationError(_("The district is not in that province."), code="district_outside_province")
    if commune is not None and commune.province_id != province.pk:
        raise ValidationError(_("The commune is not in that province."), code="commune_outside_province")


def check_held_by(*, organiser, day, user=None) -> None:
    """A record dated `day` by its organiser: refused when the organising unit did not exist that day (a
    Huyện đoàn after 30/06/2025, an Đoàn xã before 01/07/2025), or when the user's own unit had ended by
    then (code "unit_ended"). Shown next to the date."""
    if user is not None:
        user.check_may_record_on(day)
    if day is not None:
        check_unit_existed(organiser, first=day, last=day)


def check_unit_existed(organiser, *, first: datetime.date, last: datetime.date) -> None:
    """Something of `organiser` between `first` and `last` (a seminar's day; the first year of a model or
    solution): refused when the unit had ended before `first` (code "unit_ended") or began only after
    `last` (code "unit_not_begun")."""
    if organiser.ended_on is not None and first > organiser.ended_on:
        raise ValidationError(
            _("%(unit)s ended on %(date)s: nothing of it can be dated later.")
            % {"unit": organiser.name, "date": date_format(organiser.ended_on, "SHORT_DATE_FORMAT")},
            code="unit_ended",
        )
    if organiser.began_on is not None and last < organiser.began_on:
        raise ValidationError(
            _("%(unit)s began on %(date)s: nothing of it can be dated earlier.")
            % {"unit": organiser.name, "date": date_format(organiser.began_on, "SHORT_DATE_FORMAT")},
            code="unit_not_begun",
        )


def _lock_organiser(unit) -> None:
    """Lock the organising unit's row: two saves of one unit's record at once (a double click) queue up, and
    the second sees the first when it looks for a twin."""
    type(unit).objects.select_for_update().filter(pk=unit.pk).values_list("pk").first()


def check_not_recorded_twice(seminar: Seminar) -> None:
    """Refuse a second record of one seminar: the same organiser, day and title (whatever the case and the
    diacritics: "Toa dam" is "Tọa đàm" typed without them, as the programmes' names are compared), most
    often a form sent twice. The organiser's row is locked first, so two such saves at once
    (a double click) queue up and the second sees the first. Shown next to the title (code "duplicate")."""
    _lock_organiser(seminar.organiser)
    same_day = Seminar.objects.filter(
        province_id=seminar.province_id,
        district_id=seminar.district_id,
        commune_id=seminar.commune_id,
        held_on=seminar.held_on,
    ).exclude(pk=seminar.pk)
    # The folded titles compared (title_key), as the search finds them.
    twin = same_day.filter(title_key=fold(seminar.title)).only("title", "held_on").first()
    if twin is not None:
        raise ValidationError(
            _("%(unit)s already recorded “%(title)s” held on %(date)s: open it from the list to add to it.")
            % {
                "unit": seminar.organiser_name,
                "title": twin.title,
                "date": date_format(twin.held_on, "SHORT_DATE_FORMAT"),
            },
            code="duplicate",
        )


def check_proposals_due(*, held_on, proposals: list[dict]) -> None:
    for data in proposals:
        if data.get("remove"):
            continue
        error = proposal_due_error(held_on=held_on, due_on=data.get("due_on"))
        if error is not None:
            raise error


@transaction.atomic
def seminar_save(
    *,
    seminar: Seminar,
    participants: Iterable,
    themes: list[dict],
    proposals: list[dict],
    user=None,
    version: int | None = None,
) -> Seminar:
    """Save a seminar with its participants, its ordered themes (each {"title", "notes"}) and its proposals
    (each {"id"?, "text", "responsible", "due_on", "status", "result"}), all or nothing.

    Themes are renumbered 1…n in the order given; proposals not listed (or listed with "remove": True) are
    removed. `version` (the seminar's) and each proposal's "version" are those the form was loaded from: a
    stale one is refused (core.versioning.StaleEdit), as the follow-up page may have changed a proposal
    meanwhile."""
    check_version(seminar, version=version)
    _check_organiser(province=seminar.province, district=seminar.district, commune=seminar.commune)
    check_held_by(organiser=seminar.organiser, day=seminar.held_on, user=user)
    check_held_not_ahead(seminar.held_on)
    programme = seminar.programme if seminar.programme_id else None
    if (error := programme_period_error(programme=programme, held_on=seminar.held_on)) is not None:
        raise error
    check_proposals_due(held_on=seminar.held_on, proposals=proposals)
    check_not_recorded_twice(seminar)
    if user is not None and not may_follow_up(user):
        _check_follow_up_unchanged(seminar, proposals, user)
    if seminar.pk is None and user is not None:
        seminar.created_by = user
    before = totals.seminar_before(seminar)
    seminar.save()
    seminar.participants.set(list(participants))
    totals.seminar_changed(seminar, before=before)
    seminar.themes.all().delete()
    Theme.objects.bulk_create(
        Theme(seminar=seminar, order=order, title=theme["title"], notes=theme.get("notes", ""))
        for order, theme in enumerate(themes, start=1)
    )
    kept = []
    for data in proposals:
        if data.get("id"):
            proposal = lock_current(seminar.proposals.all(), pk=data["id"], version=data.get("version"))
            if data.get("remove"):
                continue  # checked, then removed with the others not kept
        else:
            proposal = Proposal(seminar=seminar)
        for field in ("text", "responsible", "due_on", "status", "result"):
            if field in data:
                setattr(proposal, field, data[field])
        proposal.save()
        kept.append(proposal.pk)
    seminar.proposals.exclude(pk__in=kept).delete()
    return seminar


def _check_follow_up_unchanged(seminar: Seminar, proposals: list[dict], user) -> None:
    """For an account that may no longer follow proposals up (its unit ended: check_may_follow_up), saving
    the seminar leaves its proposals' follow-up as it is: no status or result changed, no proposal removed
    (today's units follow them up on the follow-up page), a proposal added only as proposed. Its text,
    unit and due date, the seminar's own record, may still be corrected."""
    stored = {p.pk: p for p in seminar.proposals.all()} if seminar.pk else {}
    kept = set()
    changed = False
    for data in proposals:
        if data.get("remove"):
            continue
        if data.get("id"):
            kept.add(data["id"])
            before = stored.get(data["id"])
            changed |= before is not None and any(
                field in data and data[field] != getattr(before, field) for field in ("status", "result")
            )
        else:
            changed |= data.get("status", Proposal.Status.PROPOSED) != Proposal.Status.PROPOSED
            changed |= bool(data.get("result"))
    if changed or set(stored) - kept:
        raise ValidationError(
            _(
                "%(unit)s ended on %(date)s: a proposal's follow-up (its status, its result, its removal) is "
                "recorded by today's units on the follow-up page. The seminar itself can still be corrected."
            )
            % {"unit": user.unit.name, "date": date_format(user.unit_ended_on, "SHORT_DATE_FORMAT")},
            code="follow_up_elsewhere",
        )


def check_may_follow_up(user) -> None:
    """A follow-up is recorded today: not by an account whose unit has ended (code "unit_ended"), which
    reads its proposals while the province follows them up."""
    user.check_may_record_on(timezone.localdate())


def may_follow_up(user) -> bool:
    """Whether the follow-up page offers this account its form (proposal_update checks again)."""
    try:
        check_may_follow_up(user)
    except ValidationError:
        return False
    return True


@transaction.atomic
def proposal_update(
    *, proposal: Proposal, status: str, result: str = "", version: int | None = None, user=None
) -> Proposal:
    """Record a proposal's follow-up (the rule of who may: `check_may_follow_up`)."""
    if user is not None:
        check_may_follow_up(user)
    check_version(proposal, version=version)
    proposal.status = status
    proposal.result = result
    proposal.save(update_fields=["status", "result", "updated_at"])
    return proposal


@transaction.atomic
def photos_add(
    *, seminar: Seminar, images: list[ProcessedImage], captions: list[str] | None = None
) -> list[Photo]:
    """Store already verified and re-encoded images (secretaries.portraits.image_process)."""
    if seminar.photos.count() + len(images) > MAX_PHOTOS_PER_SEMINAR:
        raise ValidationError(
            _("A seminar keeps at most %(max)s photos.") % {"max": MAX_PHOTOS_PER_SEMINAR},
            code="too_many_photos",
        )
    captions = captions or [""] * len(images)
    photos = []
    stored = []
    try:
        for processed, caption in zip(images, captions, strict=True):
            photo = Photo(seminar=seminar, caption=caption)
            photo.image.save(processed.image.name, processed.image, save=False)
            photo.thumbnail.save(processed.thumbnail.name, processed.thumbnail, save=False)
            stored += [photo.image, photo.thumbnail]
            photo.save()
            photos.append(photo)
    except Exception:
        for file in stored:  # nothing half-written: no file without its row
            file.storage.delete(file.name)
        raise
    return photos


@transaction.atomic
def photo_remove(*, photo: Photo) -> None:
    files = [(f.storage, f.name) for f in (photo.image, photo.thumbnail) if f]
    photo.delete()
    transaction.on_commit(lambda: [storage.delete(name) for storage, name in files])


def check_may_delete_seminar(seminar: Seminar, user) -> None:
    """An account that may no longer follow proposals up (its unit ended: check_may_follow_up) removes none
    of them (_check_follow_up_unchanged), so not a seminar that has some either: today's province follows
    them up, and may (code "follow_up_elsewhere"). One without proposals it deletes."""
    if user is not None and not may_follow_up(user) and seminar.proposals.exists():
        raise ValidationError(
            _(
                "%(unit)s ended on %(date)s: today's provincial Union follows this seminar's proposals up, "
                "and can delete it if it was recorded by mistake."
            )
            % {"unit": user.unit.name, "date": date_format(user.unit_ended_on, "SHORT_DATE_FORMAT")},
            code="follow_up_elsewhere",
        )


@transaction.atomic
def seminar_delete(*, seminar: Seminar, user=None) -> None:
    """Delete a seminar recorded by mistake, with its themes, proposals and photos (their files once the
    deletion is committed); its participants' attendance of that year is recomputed, and the models and
    solutions linked to it stay, without it. Its history and its proposals' keep a deletion row
    (django-simple-history). Refused by check_may_delete_seminar."""
    seminar = Seminar.objects.select_for_update().get(pk=seminar.pk)
    check_may_delete_seminar(seminar, user)
    years, people = totals.seminar_before(seminar)
    files = [
        (f.storage, f.name) for photo in seminar.photos.all() for f in (photo.image, photo.thumbnail) if f
    ]
    seminar.delete()
    totals.attendance_refresh(years=years, people=people)
    transaction.on_commit(lambda: [storage.delete(name) for storage, name in files])


@transaction.atomic
def initiative_delete(*, initiative: Initiative) -> None:
    """Delete a model or solution recorded by mistake: its links to communes, branches and seminars go with
    it, those records stay. Its history keeps a deletion row."""
    Initiative.objects.select_for_update().get(pk=initiative.pk).delete()


def programme_records(programme: Programme) -> tuple[int, int]:
    """How many seminars and models or solutions belong to `programme`, whoever's they are."""
    return programme.seminars.count(), programme.initiatives.count()


@transaction.atomic
def programme_delete(*, programme: Programme) -> None:
    """Delete a programme recorded by mistake, only while no seminar or model or solution belongs to it
    (theirs would lose their programme: code "programme_in_use"). Its history keeps a deletion row."""
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    seminars, initiatives = programme_records(programme)
    if seminars or initiatives:
        raise ValidationError(programme_in_use(seminars, initiatives), code="programme_in_use")
    programme.delete()


def programme_in_use(seminars: int, initiatives: int) -> str:
    """Why a programme with records is not deleted: "The programme still has 2 seminars and 1 model or
    solution: …"."""
    seminars_said = ngettext("%(count)s seminar", "%(count)s seminars", seminars) % {"count": seminars}
    models_said = ngettext("%(count)s model or solution", "%(count)s models or solutions", initiatives) % {
        "count": initiatives
    }
    if seminars and initiatives:
        records = _("%(seminars)s and %(models)s") % {"seminars": seminars_said, "models": models_said}
    else:
        records = seminars_said if seminars else models_said
    return _(
        "The programme still has %(records)s: move them to another programme, or to none, before deleting it."
    ) % {"records": records}


@transaction.atomic
def initiative_save(
    *, initiative: Initiative, communes, branches, seminars, version: int | None = None, user=None
) -> Initiative:
    """Save a model/solution with the units applying it and its related seminars, all or nothing.
    A stale `version` (the one the form was loaded from) is refused (core.versioning.StaleEdit). Its
    period starts on 1 January of its first year, which the user's unit must reach; its organiser must have
    existed in that year (check_unit_existed, as a seminar's day: codes "unit_ended", "unit_not_begun"), and
    the period ends by its organiser's end as a programme's does (check_ends_with_unit); its programme runs
    in its first year (models.programme_first_year_error, code "programme_outside_period")."""
    check_version(initiative, version=version)
    _check_organiser(province=initiative.province, district=initiative.district, commune=initiative.commune)
    if initiative.from_year:
        first, last = year_bounds(initiative.from_year)
        if user is not None:
            user.check_may_record_on(first)
        check_unit_existed(initiative.organiser, first=first, last=last)
    check_ends_with_unit(initiative)
    programme = initiative.programme if initiative.programme_id else None
    if (error := programme_first_year_error(programme=programme, from_year=initiative.from_year)) is not None:
        raise error
    initiative.save()
    initiative.communes.set(list(communes))
    initiative.branches.set(list(branches))
    initiative.seminars.set(list(seminars))
    return initiative


@transaction.atomic
def programme_save(*, programme: Programme, version: int | None = None, user=None) -> Programme:
    """Save a programme (chương trình) as its unit keeps it, by the rules of a model/solution's period: a
    stale `version` is refused (core.versioning.StaleEdit); its period starts on 1 January of its first
    year, which the user's unit must reach (an ended unit's account starts none after its end); its organiser
    must have existed in that year (check_unit_existed: codes "unit_ended", "unit_not_begun") and the period
    ends by its end (check_ends_with_unit); a changed period still covers the programme's seminars and models
    (_check_period_keeps_records)."""
    check_version(programme, version=version)
    _check_organiser(province=programme.province, district=programme.district, commune=programme.commune)
    first, last = year_bounds(programme.from_year)
    if user is not None:
        user.check_may_record_on(first)
    organiser = programme.organiser
    check_unit_existed(organiser, first=first, last=last)
    check_ends_with_unit(programme)
    if programme.pk is not None:
        _check_period_keeps_records(programme)
    _check_programme_not_twice(programme)
    programme.save()
    return programme


def check_ends_with_unit(record: Programme | Initiative) -> None:
    """A unit that has ended runs nothing past its end: its programme, or its model or solution, ends in
    that year at the latest, not later nor "still running" (code "ends_after_unit", shown by the last
    year)."""
    ended = record.organiser.ended_on
    if ended is None or (record.to_year is not None and record.to_year <= ended.year):
        return
    if isinstance(record, Programme):
        message = _("%(unit)s ended on %(date)s: its programme ends in %(year)s at the latest.")
    else:
        message = _("%(unit)s ended on %(date)s: its model or solution ends in %(year)s at the latest.")
    raise ValidationError(
        message
        % {
            "unit": record.organiser_name,
            "date": date_format(ended, "SHORT_DATE_FORMAT"),
            "year": ended.year,
        },
        code="ends_after_unit",
    )


def _check_period_keeps_records(programme: Programme) -> None:
    """A programme's new period still covers its seminars' days and its models' first years (the rule
    seminar_save and initiative_save keep): one that leaves some outside is refused, saying how many and
    which years, next to the year to move (codes "records_before_period", "records_after_period")."""
    inside = Q(year__gte=programme.from_year)
    if programme.to_year is not None:
        inside &= Q(year__lte=programme.to_year)
    kind = {"output_field": CharField()}
    seminars = (
        Seminar.objects.filter(programme=programme)
        .annotate(year=ExtractYear("held_on"), kind=Value("seminar", **kind))
        .exclude(inside)
        .values_list("kind", "year")
    )
    initiatives = (
        Initiative.objects.filter(programme=programme)
        .annotate(year=F("from_year"), kind=Value("model", **kind))
        .exclude(inside)
        .values_list("kind", "year")
    )
    outside = list(seminars.order_by().union(initiatives.order_by(), all=True))  # one query
    before = [(k, y) for k, y in outside if y < programme.from_year]
    after = [(k, y) for k, y in outside if y > programme.from_year]
    errors = []
    if before:
        message = _("%(records)s: the programme's period must start in %(year)s at the latest.")
        year = min(y for _k, y in before)
        errors.append(
            ValidationError(
                message % {"records": _records_said(before), "year": year}, code="records_before_period"
            )
        )
    if after:
        message = _("%(records)s: the programme's period must run to %(year)s at least.")
        year = max(y for _k, y in after)
        errors.append(
            ValidationError(
                message % {"records": _records_said(after), "year": year}, code="records_after_period"
            )
        )
    if errors:
        raise ValidationError(errors)


def _records_said(records: list[tuple[str, int]]) -> str:
    """ "2 seminars of the programme were held in 2026; 1 model or solution … began in 2025", of
    (kind, year) pairs."""
    said = []
    seminar_years = sorted(y for k, y in records if k == "seminar")
    if seminar_years:
        count = len(seminar_years)
        said.append(
            ngettext(
                "%(count)s seminar of the programme was held in %(years)s",
                "%(count)s seminars of the programme were held in %(years)s",
                count,
            )
            % {"count": count, "years": ", ".join(map(str, sorted(set(seminar_years))))}
        )
    model_years = sorted(y for k, y in records if k == "model")
    if model_years:
        count = len(model_years)
        said.append(
            ngettext(
                "%(count)s model or solution of the programme began in %(years)s",
                "%(count)s models or solutions of the programme began in %(years)s",
                count,
            )
            % {"count": count, "years": ", ".join(map(str, sorted(set(model_years))))}
        )
    return "; ".join(said)


def _check_programme_not_twice(programme: Programme) -> None:
    """Refuse a second programme of one unit under the same name (whatever its case and diacritics), most
    often a form sent twice; the organiser's row is locked first, as for a seminar (code "duplicate")."""
    _lock_organiser(programme.organiser)
    twin = (
        Programme.objects.filter(
            province_id=programme.province_id,
            district_id=programme.district_id,
            commune_id=programme.commune_id,
            title_key=fold(normalize_name(programme.name)),
        )
        .exclude(pk=programme.pk)
        .first()
    )
    if twin is not None:
        raise ValidationError(
            _("%(unit)s already has the programme “%(name)s”: open it from the list.")
            % {"unit": programme.organiser_name, "name": twin.name},
            code="duplicate",
        )
