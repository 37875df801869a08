"""Secretaries for the national benchmark data set: the `seed_scale` step `secretaries_step`.

About 90% of active branches get a current secretary, 20% a deputy and 15% a past secretary: some
120,000 people and as many terms for the 100,000 branches of the country. Profiles come from the demo's
generator (demo.secretaries.person_draft), without history rows: a benchmark needs the rows, not their
audit trail. Each branch draws from its own seeded generator, so an interrupted run resumes with the
same data it would have made.
"""

import random
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from branches.models import Branch, Commune
from demo.scale.branches import BATCH_SIZE, ScaleOptions
from demo.secretaries import (
    END_REASONS,
    KHMER_SHARE,
    MANDATE_MONTHS,
    OVER_AGE,
    add_months,
    born_range,
    mandate_end,
    occupation_for,
    person_draft,
)
from secretaries.models import Person, Term

TRA_VINH = "84"
# Khmer communities live in the Mekong delta: Sóc Trăng, Trà Vinh, Kiên Giang, Bạc Liêu, An Giang …
KHMER_SHARE_BY_PROVINCE = {
    "94": 0.30,
    "84": 0.10,  # and more in Trà Cú and Cầu Ngang, as in the demo (KHMER_SHARE)
    "91": 0.12,
    "95": 0.08,
    "89": 0.05,
    "92": 0.02,
    "93": 0.02,
    "86": 0.02,
    "96": 0.02,
}
CURRENT_SHARE = 0.90
DEPUTY_SHARE = 0.20
PAST_SHARE = 0.15


def _khmer_share(province_code: str, district_code: str | None) -> float:
    if province_code == TRA_VINH and district_code in KHMER_SHARE:
        return KHMER_SHARE[district_code]
    return KHMER_SHARE_BY_PROVINCE.get(province_code, 0.0)


def _person(
    rng: random.Random, *, today: date, earliest_start: date, over_age_on=None, unit: tuple, occupation
) -> Person:
    province_id, district_id, khmer_share = unit
    born_from, born_to = born_range(today=today, earliest_start=earliest_start, over_age_on=over_age_on)
    person = person_draft(
        rng, today=today, born_from=born_from, born_to=born_to, khmer_share=khmer_share, occupation=occupation
    )
    person.province_id, person.district_id = province_id, district_id
    return person


def secretaries_generate(
    *, branches: list[tuple], units: dict[int, tuple], seed: int, today: date
) -> list[Term]:
    """Unsaved terms, each with its unsaved person, for `branches`: rows of (pk, commune_id, kind, name,
    is_active); `units` maps a commune id to (province_id, district_id, Khmer share)."""
    terms: list[Term] = []
    for pk, commune_id, kind, name, is_active in branches:
        rng = random.Random(seed * 10_000_000 + pk)
        unit = units[commune_id]
        occupation = occupation_for(kind, name)

        current_start = None
        if is_active and rng.random() < CURRENT_SHARE:
            current_start = today - timedelta(days=rng.randint(30, 1826))
            person = _person(rng, today=today, earliest_start=current_start, unit=unit, occupation=occupation)
            terms.append(
                Term(
                    person=person,
                    branch_id=pk,
                    role=Term.Role.SECRETARY,
                    started_on=current_start,
                    expected_end_on=mandate_end(current_start, today),
                )
            )
        if rng.random() < PAST_SHARE:
            ended = (current_start or today) - timedelta(days=rng.randint(1, 200))
            started = ended - timedelta(days=rng.randint(365, 1500))
            reason = END_REASONS(rng)
            person = _person(
                rng,
                today=today,
                earliest_start=started,
                over_age_on=ended if reason == OVER_AGE else None,
                unit=unit,
                occupation=occupation,
            )
            terms.append(
                Term(
                    person=person,
                    branch_id=pk,
                    role=Term.Role.SECRETARY,
                    started_on=started,
                    expected_end_on=add_months(started, MANDATE_MONTHS),
                    ended_on=ended,
                    end_reason=reason,
                )
            )
        if is_active and rng.random() < DEPUTY_SHARE:
            started = today - timedelta(days=rng.randint(30, 1200))
            person = _person(rng, today=today, earliest_start=started, unit=unit, occupation=occupation)
            terms.append(
                Term(
                    person=person,
                    branch_id=pk,
                    role=Term.Role.DEPUTY,
                    started_on=started,
                    expected_end_on=mandate_end(started, today),
                )
            )
    return terms


def secretaries_seed(
    *, branches=None, seed: int = ScaleOptions.seed, today: date | None = None, batch_size: int = BATCH_SIZE
) -> dict[str, int]:
    """People and terms for the branches (a queryset, default all) that come after the last branch with
    terms; return the counts. Branches are taken in id order, in chunks of about `batch_size` people,
    each chunk in its own transaction, so memory stays flat and an interrupted run resumes."""
    today = today or timezone.localdate()
    terms = Term.objects.all() if branches is None else Term.objects.filter(branch__in=branches)
    branches = Branch.objects.all() if branches is None else branches
    done = terms.aggregate(last=Max("branch_id"))["last"] or 0
    columns = ("pk", "commune_id", "kind", "name", "is_active")
    rows = list(branches.filter(pk__gt=done).order_by("pk").values_list(*columns))
    units = {
        commune_id: (province_id, district_id, _khmer_share(province_code, district_code))
        for commune_id, province_id, district_id, province_code, district_code in Commune.objects.values_list(
            "pk", "province_id", "district_id", "province__code", "district__code"
        )
    }
    counts = {"branches": len(rows), "people": 0, "terms": 0}
    # About 1.2 people per branch: chunks of branches that make about `batch_size` people.
    per_chunk = max(1, int(batch_size / 1.25))
    for start in range(0, len(rows), per_chunk):
        new_terms = secretaries_generate(
            branches=rows[start : start + per_chunk], units=units, seed=seed, today=today
        )
        # Every term has a person of its own at this scale.
        people = [term.person for term in new_terms]
        with transaction.atomic():
            # bulk_create fills in the people's ids, and each term's person_id from its person.
            Person.objects.bulk_create(people, batch_size=batch_size)
            Term.objects.bulk_create(new_terms, batch_size=batch_size)
        counts["people"] += len(people)
        counts["terms"] += len(new_terms)
    return counts


def secretaries_step(*, options: ScaleOptions, log) -> None:
    counts = secretaries_seed(seed=options.seed)
    if not counts["terms"]:
        log(
            f"Secretaries: already seeded ({Person.objects.count():,} people, "
            f"{Term.objects.count():,} terms), skipped."
        )
        return
    log(
        f"Secretaries: {counts['people']:,} people and {counts['terms']:,} terms created for "
        f"{counts['branches']:,} branches ({Person.objects.count():,} people in all)."
    )
