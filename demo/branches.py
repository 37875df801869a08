"""The Trà Vinh demo: real official units, generated hamlet and quarter branches, demo logins.

Deterministic (seeded), so every `make run` shows the same portal.
"""

import random
from datetime import date

from simple_history.utils import bulk_create_with_history

from accounts.models import User
from branches.divisions import REFORM_DAY
from branches.models import Branch, BranchAttachment, BranchSuccession, Commune
from branches.services import Reattachment, SplitPart, branches_reattach
from core.text import fold
from secretaries.services import branch_split_with_terms, branches_merge_with_terms

DEMO_PROVINCE = "84"

# Typical hamlet (ấp) names of the Mekong delta, and Khmer-origin ones (Sóc …) common in Trà Vinh.
HAMLET_NAMES = [
    "Cây Gòn",
    "Tân Thành",
    "Phú Thọ",
    "Đại Mong",
    "Giồng Lớn",
    "Ba Se",
    "Cầu Tre",
    "Rạch Lọp",
    "Bến Có",
    "Chợ",
    "Mỹ Văn",
    "Trinh Phụ",
    "Cây Da",
    "Te Te",
    "Ô Đùng",
    "Cà Hom",
    "Chông Nô",
    "Sóc Ruộng",
    "Sóc Cụt",
    "Sóc Tre",
    "Cà Săng",
    "Phước Hưng",
    "An Hòa",
    "Bà Mi",
    "Ông Rùm",
    "Giồng Cao",
    "Đông Sơn",
    "Tân Lập",
    "Phú Hòa",
    "Long Hậu",
    "Kinh Xáng",
    "Ngãi Hòa",
    "Mé Rạch",
    "Hiệp Hòa",
    "Cây Xoài",
    "Bình La",
    "Tri Liêm",
    "Xẻo Me",
    "Lò Ngò",
    "Trà Kháo",
    "Đa Lộc",
]


def _branch_names(commune: Commune, count: int, rng: random.Random) -> list[tuple[str, str]]:
    if commune.kind in (Commune.Kind.WARD, Commune.Kind.TOWNSHIP):
        # Urban quarters are numbered: Khóm 1, Khóm 2, …
        return [(f"Khóm {n}", Branch.Kind.QUARTER) for n in range(1, count + 1)]
    names = rng.sample(HAMLET_NAMES, count)
    return [(f"Ấp {name}", Branch.Kind.HAMLET) for name in names]


def populate_branches(*, rng: random.Random, stdout=None) -> int:
    """3–8 branches in every Trà Vinh commune (as it was to 30/06/2025) that has none yet. Vĩnh Long's
    new communes (from 01/07/2025, loaded with their lineage by load_divisions) get none here: the
    branches are re-attached to them by a later step of the reform."""
    communes = Commune.objects.filter(province__code=DEMO_PROVINCE).order_by("code")
    with_branches = set(Branch.objects.filter(commune__in=communes).values_list("commune_id", flat=True))
    # A commune whose branches went into a new commune on 01/07/2025 had branches too.
    with_branches |= set(
        BranchAttachment.objects.filter(commune__in=communes).values_list("commune", flat=True)
    )
    new = []
    for commune in communes:
        if commune.pk in with_branches:
            continue
        for name, kind in _branch_names(commune, rng.randint(3, 8), rng):
            new.append(
                Branch(
                    commune=commune,
                    name=name,
                    name_key=fold(name),
                    kind=kind,
                    member_count=rng.randint(12, 85),
                    founded_on=date(rng.randint(1976, 2015), rng.randint(1, 12), rng.randint(1, 28)),
                )
            )
        # A school branch here and there, as communes have.
        if rng.random() < 0.15:
            name = f"Trường THCS {commune.name.removeprefix('Xã ').removeprefix('Phường ')}"
            new.append(
                Branch(
                    commune=commune,
                    name=name,
                    name_key=fold(name),
                    kind=Branch.Kind.SCHOOL,
                    member_count=rng.randint(20, 60),
                )
            )
    # With their first history record, so the first later edit shows what it changed.
    bulk_create_with_history(new, Branch, batch_size=1000)
    return len(new)


def reattach_branches() -> Reattachment:
    """The reform's step for the demo: on 01/07/2025 the branches of every Trà Vinh commune that went whole
    into one new commune of Vĩnh Long are re-attached to it (their records keep the units of their time).
    Runs after the history is generated, as it happened; a re-run moves nothing."""
    return branches_reattach(on=REFORM_DAY)


# Hamlets re-arranged in 2026: in Xã Tập Ngãi (which absorbed Xã Hiếu Tử), one merge and one split, recorded
# by its commune officer as the portal would, so their pages show "Đã hợp nhất vào …" and "Tách thành …".
TAP_NGAI = "29365"
REARRANGED_ON = date(2026, 4, 1)
MERGED = ("Ấp Xẻo Me", "Ấp Ông Rùm")  # Xẻo Me joins Ông Rùm; Xẻo Me's secretary leads the merged branch
SPLIT = ("Ấp Đại Mong", ("Ấp Đại Mong A", "Ấp Đại Mong B"))


def rearrange_hamlets() -> dict[str, int]:
    """The demo's 2026 merge and split in Xã Tập Ngãi; nothing when done already (or the hamlets are not
    there, as in a demo whose names were generated otherwise)."""
    commune = Commune.objects.get_by_code(TAP_NGAI)
    if BranchSuccession.objects.filter(successor__commune=commune).exists():
        return {"merged": 0, "split": 0}
    officer = User.objects.filter(role=User.Role.COMMUNE_OFFICER, commune=commune).first()
    branches = {b.name: b for b in Branch.objects.filter(commune=commune).active()}
    done = {"merged": 0, "split": 0}
    if officer is None:
        return done
    if all(name in branches for name in MERGED):
        gone, survivor = (branches[name] for name in MERGED)
        branches_merge_with_terms(
            branches=[gone, survivor], on=REARRANGED_ON, user=officer, survivor=survivor, secretary_from=gone
        )
        done["merged"] = 2
    name, (first, second) = SPLIT
    if name in branches:
        whole = branches[name]
        half = whole.member_count // 2 + 5
        parts = [
            SplitPart(name=first, kind=whole.kind, member_count=half),
            SplitPart(name=second, kind=whole.kind, member_count=whole.member_count - half),
        ]
        branch_split_with_terms(branch=whole, parts=parts, on=REARRANGED_ON, user=officer)
        done["split"] = 2
    return done
