"""A national data set for benchmarks: every commune of the country with about ten branches.

`manage.py seed_scale` runs the steps listed in its SEED_STEPS, in order; each step is a function
`step(*, options: ScaleOptions, log) -> None` that does nothing when its data is there already.
Other apps add their own steps (secretaries, assessments …) to that list.

The data is invented but shaped like the real thing: hamlets ("Ấp 3", "Ấp Cây Gòn") in rural communes,
urban quarters ("Khóm 2") in wards, a school or sector branch here and there. It is generated from a
fixed seed, so two runs produce the same names.
"""

import random
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from simple_history.utils import bulk_create_with_history

from branches.divisions import NEW_WORLD, OLD_WORLD, divisions_2025, divisions_load, official_divisions
from branches.models import Branch, Commune, District, Province
from core.text import fold

BATCH_SIZE = 5000
BENCH_PROVINCE_CODE = "84"  # Trà Vinh
BENCH_DISTRICT_CODE = "846"  # Tiểu Cần

# Typical hamlet names of the Mekong delta, Khmer-derived ones included (Sóc, Ô, Trà …).
# fmt: off
HAMLET_NAMES = [
    "Cây Gòn", "Cây Da", "Cây Xoài", "Cây Me", "Cây Sộp", "Cây Dầu", "Chợ", "Chợ Cũ", "Giồng Lớn",
    "Giồng Trôm", "Giồng Ổi", "Đầu Giồng", "Sóc Chuối", "Sóc Tre", "Sóc Ruộng", "Sóc Cụt", "Ô Chát",
    "Ô Đùng", "Ô Rồng", "Rạch Lọp", "Rạch Gốc", "Rạch Dừa", "Cầu Tre", "Cầu Xây", "Cầu Ván", "Bến Cát",
    "Bến Đò", "Đại Đức", "Đại Mong", "Phước Ngươn", "Phước Hưng", "Tân Lập", "Tân Thành", "Tân Hòa",
    "Tân Phú", "Tân Trung", "Mỹ Thạnh", "Mỹ Hòa", "An Hòa", "An Bình", "An Lộc", "Phú Thọ", "Phú Hòa",
    "Long Thạnh", "Long Hưu", "Bình Tân", "Bình Hòa", "Hòa Lợi", "Hòa Thuận", "Vĩnh Trường",
    "Vĩnh Hưng", "Kinh Xáng", "Kinh Ngang", "Ngã Ba", "Ngã Tư", "Bà Nghệ", "Trà Kháo", "Trà Cuôn",
    "Trà Sất", "Xoài Xiêm", "Lò Gạch", "Bưng Sen", "Cà Săng", "Thông Thảo", "Nhứt", "Nhì", "Chà Và",
    "Kênh Xáng", "Mé Rạch", "Trung Tiến", "Đông Hải", "Tây Hưng",
]
# fmt: on
SCHOOL_LEVELS = ["Tiểu học", "THCS", "THPT"]
SECTOR_UNITS = ["Công an", "Quân sự", "Y tế", "Trạm Y tế"]
FOUNDED_FROM = date(1976, 3, 26)
# Founded by the end of 2015: before any term the secretaries step draws (under ten years before today),
# as a branch's terms start on or after its founding (secretaries.models.check_started_after_founding).
FOUNDED_SPAN_DAYS = (date(2015, 12, 31) - FOUNDED_FROM).days


@dataclass(frozen=True)
class ScaleOptions:
    per_commune: int = 10
    password: str = "bench-mat-khau"
    seed: int = 84


Step = Callable[..., None]


def _short_name(commune: Commune) -> str:
    """The name without its kind: "Xã Hiếu Tử" → "Hiếu Tử"; "Phường 4" stays, "4" would mean nothing."""
    for prefix in ("Thị trấn ", "Phường ", "Xã ", "Đặc khu "):
        if commune.name.startswith(prefix) and not commune.name[len(prefix) :].isdigit():
            return commune.name[len(prefix) :]
    return commune.name


def _settlement_names(rng: random.Random, commune: Commune, count: int) -> list[tuple[str, str]]:
    """`count` distinct (name, kind) pairs of hamlets or urban quarters."""
    if commune.kind == Commune.Kind.WARD:
        return [(f"Khóm {number}", Branch.Kind.QUARTER) for number in range(1, count + 1)]
    # Townships are half town (quarters), half countryside (hamlets).
    quarters = count // 2 if commune.kind == Commune.Kind.TOWNSHIP else 0
    hamlets = count - quarters
    numbered = rng.randint(0, hamlets)
    named = rng.sample(HAMLET_NAMES, min(hamlets - numbered, len(HAMLET_NAMES)))
    numbered = hamlets - len(named)
    result = [(f"Khóm {number}", Branch.Kind.QUARTER) for number in range(1, quarters + 1)]
    result += [(f"Ấp {number}", Branch.Kind.HAMLET) for number in range(1, numbered + 1)]
    result += [(f"Ấp {name}", Branch.Kind.HAMLET) for name in named]
    return result


def branches_generate(*, communes: Iterable[Commune], per_commune: int, seed: int) -> Iterator[Branch]:
    """Unsaved branches for each commune: on average `per_commune` of them, at least one each.

    Counts vary by −2…+2 around the average in a fixed cycle, so the total is exactly predictable.
    """
    offsets = [-2, 2, -1, 1, 0]
    for index, commune in enumerate(communes):
        rng = random.Random(f"{seed}:{commune.code}")
        count = max(1, per_commune + offsets[index % len(offsets)])
        specials = []
        if count >= 4 and rng.random() < 0.3:
            level = rng.choice(SCHOOL_LEVELS)
            specials.append((f"Chi đoàn Trường {level} {_short_name(commune)}", Branch.Kind.SCHOOL))
        if count >= 4 and rng.random() < 0.2:
            unit = rng.choice(SECTOR_UNITS)
            specials.append((f"Chi đoàn {unit} {_short_name(commune)}", Branch.Kind.SECTOR))
        seen = set()
        for name, kind in _settlement_names(rng, commune, count - len(specials)) + specials:
            name_key = fold(name)
            # The names above are distinct by construction; the unique index would not forgive a slip.
            if name_key in seen:
                continue
            seen.add(name_key)
            founded = FOUNDED_FROM + timedelta(days=rng.randrange(FOUNDED_SPAN_DAYS))
            yield Branch(
                commune_id=commune.pk,
                name=name,
                name_key=name_key,  # bulk_create bypasses save(), which would set it
                kind=kind,
                member_count=rng.randint(8, 65),
                founded_on=founded if rng.random() < 0.7 else None,
                is_active=rng.random() >= 0.02,
            )


def branches_seed(*, per_commune: int, seed: int, batch_size: int = BATCH_SIZE, communes=None) -> int:
    """Create branches for every commune (of `communes`, default all) that has none yet; return how many.

    Work goes in chunks of about `batch_size` branches, each in its own transaction with its history
    rows, so memory stays flat and an interrupted run resumes where it stopped.
    """
    if communes is None:
        communes = Commune.objects.all()
    # A commune whose branches were re-attached to a new one in the 2025 reform is not empty: it has them
    # as former branches. Counting it empty made a seed resumed after the reform step create them again.
    empty = list(
        communes.filter(branches__isnull=True, former_branches__isnull=True)
        .order_by("code")
        .only("pk", "code", "name", "kind")
    )
    communes_per_chunk = max(1, batch_size // max(1, per_commune))
    created = 0
    for start in range(0, len(empty), communes_per_chunk):
        chunk = empty[start : start + communes_per_chunk]
        branches = list(branches_generate(communes=chunk, per_commune=per_commune, seed=seed))
        with transaction.atomic():
            bulk_create_with_history(
                branches, Branch, batch_size=batch_size, default_change_reason="seed_scale"
            )
        created += len(branches)
    return created


# The steps of `manage.py seed_scale`.


def divisions_step(*, options: ScaleOptions, log) -> None:
    present = (Province.objects.filter(OLD_WORLD).count(), Province.objects.filter(NEW_WORLD).count())
    if present == (len(official_divisions().provinces), len(divisions_2025().provinces)):
        log(f"Divisions: all {present[0]} + {present[1]} provinces of both worlds present, not reloaded.")
        return
    report = divisions_load(province_codes=None)
    log(
        "Divisions: loaded "
        + ", ".join(f"{counts.created} {level} created" for level, counts in report.levels())
        + "."
    )


def branches_step(*, options: ScaleOptions, log) -> None:
    # The benchmark's branches are still those of the old world (until they are re-attached to the new
    # communes, a later step of the 2025 reform).
    old_world = Commune.objects.filter(OLD_WORLD)
    empty = old_world.filter(branches__isnull=True, former_branches__isnull=True).count()
    if not empty:
        log(f"Branches: every commune has branches already ({Branch.objects.count():,} in all), skipped.")
        return
    created = branches_seed(per_commune=options.per_commune, seed=options.seed, communes=old_world)
    log(f"Branches: {created:,} created in {empty:,} communes ({Branch.objects.count():,} in all).")


@transaction.atomic
def users_step(*, options: ScaleOptions, log) -> None:
    """The benchmark personas, with the given password (set again on every run)."""
    User = get_user_model()
    accounts = [
        # Django admin's pages are the administrator's too (as the demo's quantri): staff and superuser.
        (
            "bench.quantri",
            {
                "role": User.Role.ADMINISTRATOR,
                "province": None,
                "district": None,
                "is_staff": True,
                "is_superuser": True,
            },
        ),
        (
            "bench.tinh",
            {
                "role": User.Role.PROVINCIAL_STAFF,
                "province": Province.objects.get(code=BENCH_PROVINCE_CODE),
                "district": None,
            },
        ),
        (
            "bench.huyen",
            {
                "role": User.Role.DISTRICT_OFFICER,
                "province": None,
                "district": District.objects.get(code=BENCH_DISTRICT_CODE),
            },
        ),
    ]
    for username, fields in accounts:
        user, _ = User.objects.update_or_create(username=username, defaults=fields)
        user.set_password(options.password)
        user.save(update_fields=["password"])
    log(f"Users: {', '.join(username for username, _ in accounts)} (password as given).")
