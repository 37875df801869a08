"""The 2025 reform at national scale: the `seed_scale` step `reform_step`.

What `branches.services.branches_reattach` does for a province, done in bulk for the country: on 01/07/2025
every active branch of an old commune that went whole into one new commune moves to it, its old commune
kept as a dated `BranchAttachment`. Branches of split communes stay where they were (the work list's
business). Row by row with history the service would take many minutes for 100,000 branches; a benchmark
needs the shape, not the history rows, so this writes the same rows in batches.

Where two merged communes both had an "Ấp 1", the incoming one takes its old commune's name in brackets
("Ấp 1 (Hiếu Tử)"), as local authorities commonly do, so that nearly every branch lands in the new world.

The step also creates the benchmark accounts of the new world: `bench.vinhlong` (provincial staff of
today's Vĩnh Long, which reads Trà Vinh's past) and `bench.xa` (the commune officer of the new commune that
absorbed Xã Hiếu Tử).
"""

from collections import defaultdict

from django.contrib.auth import get_user_model
from django.db import transaction

from branches.divisions import NEW_WORLD, OLD_WORLD_LAST_DAY, REFORM_DAY
from branches.models import Branch, BranchAttachment, Commune, Province
from branches.selectors import whole_successors
from core.text import fold

from .branches import BATCH_SIZE, ScaleOptions, _short_name

BENCH_NEW_PROVINCE_CODE = "86"  # Vĩnh Long since 01/07/2025 (Trà Vinh went into it)
BENCH_OLD_COMMUNE_NAME_KEY = "xa hieu tu"  # in Tiểu Cần (846); the new commune that absorbed it is bench.xa's


def branches_reattach_in_bulk(*, batch_size: int = BATCH_SIZE) -> tuple[int, int]:
    """Move the branches of whole-merged communes to their new commune; return (moved, renamed)."""
    successor_of = whole_successors(on=REFORM_DAY)
    short_names = {
        commune.pk: _short_name(commune)
        for commune in Commune.objects.filter(pk__in=list(successor_of)).only("pk", "name")
    }
    taken: dict[int, set[str]] = defaultdict(set)
    for commune, name_key in Branch.objects.filter(commune__in=set(successor_of.values())).values_list(
        "commune", "name_key"
    ):
        taken[commune].add(name_key)
    waiting = (
        Branch.objects.filter(commune__in=list(successor_of), is_active=True)
        .order_by("commune__code", "pk")
        .only("pk", "commune_id", "name", "name_key")
    )
    moved = renamed = 0
    batch: list[Branch] = []

    def flush():
        with transaction.atomic():
            BranchAttachment.objects.bulk_create(
                [
                    BranchAttachment(branch_id=b.pk, commune_id=b.old_commune_id, ended_on=OLD_WORLD_LAST_DAY)
                    for b in batch
                ]
            )
            Branch.objects.bulk_update(batch, ["commune", "name", "name_key"], batch_size=batch_size)
        batch.clear()

    for branch in waiting.iterator(chunk_size=batch_size):
        new_commune = successor_of[branch.commune_id]
        branch.old_commune_id = branch.commune_id
        if branch.name_key in taken[new_commune]:
            branch.name = f"{branch.name} ({short_names[branch.commune_id]})"
            branch.name_key = fold(branch.name)
            renamed += 1
        if branch.name_key in taken[new_commune]:
            continue  # even the bracketed name is taken: left where it was
        taken[new_commune].add(branch.name_key)
        branch.commune_id = new_commune
        batch.append(branch)
        moved += 1
        if len(batch) >= batch_size:
            flush()
    if batch:
        flush()
    return moved, renamed


@transaction.atomic
def users_new_world(*, password: str) -> list[str]:
    User = get_user_model()
    province = Province.objects.filter(NEW_WORLD).get(code=BENCH_NEW_PROVINCE_CODE)
    absorbed = Commune.objects.get(district__code="846", name_key=BENCH_OLD_COMMUNE_NAME_KEY)
    commune = Commune.objects.get(origins__predecessor=absorbed)
    accounts = [
        ("bench.vinhlong", {"role": User.Role.PROVINCIAL_STAFF, "province": province}),
        ("bench.xa", {"role": User.Role.COMMUNE_OFFICER, "commune": commune}),
    ]
    for username, fields in accounts:
        defaults = {"province": None, "district": None, "commune": None, **fields}
        user, _ = User.objects.update_or_create(username=username, defaults=defaults)
        user.set_password(password)
        user.save(update_fields=["password"])
    return [username for username, _ in accounts]


def reform_step(*, options: ScaleOptions, log) -> None:
    if BranchAttachment.objects.filter(ended_on=OLD_WORLD_LAST_DAY).exists():
        log(f"Reform: branches already re-attached ({BranchAttachment.objects.count():,} former communes).")
    else:
        moved, renamed = branches_reattach_in_bulk()
        left = Branch.objects.filter(commune__ended_on=OLD_WORLD_LAST_DAY, is_active=True).count()
        log(
            f"Reform: {moved:,} branches re-attached to their new commune on 01/07/2025 ({renamed:,} took "
            f"their old commune's name in brackets); {left:,} wait in split communes."
        )
    log(f"Users: {', '.join(users_new_world(password=options.password))} (password as given).")
