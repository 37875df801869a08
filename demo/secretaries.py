"""The Trà Vinh demo's secretaries: people and terms for the demo branches, and the name and profile
generator that `demo.scale.secretaries` uses for the national benchmark data too.

Deterministic for a given random generator and day: terms are placed relative to today, so the
"terms ending soon" list always has entries. The shape follows the province: most branches have a
secretary, a third a deputy, some a predecessor, one in eight none; Khmer secretaries are about a third
in Trà Cú and Cầu Ngang and fewer elsewhere.
"""

import calendar
import random
import unicodedata
from bisect import bisect_right
from datetime import date, timedelta
from itertools import accumulate

from django.db.models import OuterRef, Prefetch, Subquery
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from branches.divisions import REFORM_DAY
from branches.models import Branch
from core.text import fold, name_sort_key
from demo.branches import DEMO_PROVINCE
from secretaries.choices import KHMER, KINH, EducationLevel, Gender, Religion, TheoryLevel
from secretaries.models import Person, Term

TIEU_CAN = "846"
# Share of Khmer secretaries by district code; the rest of the province gets DEFAULT_KHMER_SHARE.
KHMER_SHARE = {"849": 0.35, "848": 0.33}  # Trà Cú, Cầu Ngang
DEFAULT_KHMER_SHARE = 0.10
FEMALE_SHARE = 0.45
MANDATE_MONTHS = 30  # a branch congress elects for two and a half years


class Weighted:
    """A fixed weighted choice, drawn with one random number (rng.choices rebuilds its table each call)."""

    def __init__(self, pairs):
        self.items = [item for item, _weight in pairs]
        self.cumulative = list(accumulate(weight for _item, weight in pairs))
        self.total = self.cumulative[-1]

    def __call__(self, rng: random.Random):
        return self.items[bisect_right(self.cumulative, rng.random() * self.total)]


def _nfc(pairs):
    # Stored names are NFC (Person.save normalises); bulk_create skips save(), so normalise here.
    return [(unicodedata.normalize("NFC", name), weight) for name, weight in pairs]


def _even(names: str):
    return [(name, 1) for name in names.split(", ")]


# fmt: off
# Kinh names as common in the Mekong delta.
KINH_SURNAMES = Weighted(
    _nfc(
        [
            ("Nguyễn", 31), ("Trần", 11), ("Lê", 9), ("Phạm", 5), ("Huỳnh", 6), ("Võ", 6), ("Phan", 4),
            ("Trương", 3), ("Đặng", 2), ("Bùi", 2), ("Đỗ", 2), ("Hồ", 3), ("Ngô", 2), ("Dương", 2),
            ("Lý", 2), ("Lâm", 2), ("Đoàn", 1), ("Châu", 1), ("Thái", 1), ("Tô", 1), ("Cao", 1), ("Mai", 1),
        ]
    )
)
KINH_MIDDLE = {
    Gender.MALE: Weighted(
        _nfc(
            [
                ("Văn", 35), ("Minh", 11), ("Thanh", 8), ("Hoàng", 7), ("Hữu", 7), ("Quốc", 7), ("Tấn", 5),
                ("Công", 4), ("Chí", 4), ("Đức", 4), ("Ngọc", 3), ("Trọng", 2), ("Duy", 2), ("Phước", 3),
            ]
        )
    ),
    Gender.FEMALE: Weighted(
        _nfc(
            [
                ("Thị", 45), ("Ngọc", 12), ("Thanh", 6), ("Kim", 6), ("Mỹ", 6), ("Thu", 5), ("Hồng", 5),
                ("Bích", 4), ("Phương", 4), ("Cẩm", 3), ("Diễm", 2), ("Thùy", 2),
            ]
        )
    ),
}
KINH_GIVEN = {
    Gender.MALE: Weighted(
        _nfc(
            _even(
                "Hùng, Dũng, Tâm, Phúc, Khang, Tài, Nghĩa, Hiếu, Toàn, Trung, Tín, Lộc, Phong, Sang, Thịnh, "
                "Nhân, Duy, Khoa, Tuấn, Hải, Long, Bảo, Vũ, Hậu, Quý, Thành, Trí, Huy, Kiệt, Thái, Nam, Đạt, "
                "Hòa, Lợi, Phát, Cường, Tú, Vinh, An, Khánh"
            )
        )
    ),
    Gender.FEMALE: Weighted(
        _nfc(
            _even(
                "Lan, Hương, Hoa, Trang, Linh, Ngân, Thảo, Nhung, Huyền, Diễm, Tuyết, Mai, Yến, Vy, Nhi, "
                "Trinh, Hạnh, Phượng, Thúy, Xuân, Hằng, Loan, Duyên, Quyên, Như, Uyên, Thư, Tiên, My, Trâm, "
                "Hân, Nga, Vân, Oanh, Ngọc"
            )
        )
    ),
}
# Khmer names as Trà Vinh writes them: a Vietnamese-style family name (Thạch, Kim, Sơn …) and a given
# name transcribed from Khmer, often with Thị for women.
KHMER_SURNAMES = Weighted(
    _nfc(
        [
            ("Thạch", 36), ("Kim", 14), ("Sơn", 14), ("Lâm", 7), ("Danh", 5), ("Triệu", 5), ("Châu", 5),
            ("Dương", 4), ("Ngô", 4), ("Lý", 2),
        ]
    )
)
KHMER_GIVEN = {
    Gender.MALE: Weighted(
        _nfc(
            _even(
                "Sa Vát, Sóc Kha, Văn Sóc, Chanh Đa, Sóc Khêm, Ngọc Hoàng, Kim Sang, Sa Rết, Văn Thành, "
                "Ngọc Thuận, Phước Hậu, Rinh, Sô Đa, Văn Tha, Sà Rít, Chanh Thu, Bô Pha, Sa Ron, Minh Tâm"
            )
        )
    ),
    Gender.FEMALE: Weighted(
        _nfc(
            _even(
                "Sa Rươne, Sô Phia, Pha Ly, Ra Ni, Thị Sa Ly, Thị Mỹ Linh, Thị Sô Phol, "
                "Thị Chanh Thy, Thị Kim Hoa, Thị Sa Rên, Thị Ngọc Hân, Sô Kha, Thị Ra Ni, Thị Bô Pha, "
                "Thị Phương Thảo, Thị Kim Sang"
            )
        )
    ),
}
RELIGIONS = {
    KINH: Weighted(
        [
            (Religion.NONE, 74),
            (Religion.BUDDHISM, 13),
            (Religion.CATHOLICISM, 7),
            (Religion.CAO_DAI, 5),
            (Religion.PROTESTANTISM, 1),
        ]
    ),
    # Theravada Buddhism is part of Khmer village life: the pagoda is the hamlet's centre.
    KHMER: Weighted([(Religion.BUDDHISM, 94), (Religion.NONE, 6)]),
}
# fmt: on
E = EducationLevel
# Occupation → (weight, chance of being a party member, education levels).
# fmt: off
OCCUPATIONS = {
    "Nông dân": (26, 0.28, [(E.LOWER_SECONDARY, 30), (E.UPPER_SECONDARY, 55), (E.VOCATIONAL, 10),
                            (E.PRIMARY, 5)]),
    "Buôn bán nhỏ": (12, 0.25, [(E.LOWER_SECONDARY, 25), (E.UPPER_SECONDARY, 60), (E.VOCATIONAL, 10),
                                (E.COLLEGE, 5)]),
    "Công nhân": (10, 0.25, [(E.LOWER_SECONDARY, 25), (E.UPPER_SECONDARY, 60), (E.VOCATIONAL, 15)]),
    "Lao động tự do": (7, 0.2, [(E.LOWER_SECONDARY, 40), (E.UPPER_SECONDARY, 60)]),
    "Nuôi trồng thủy sản": (6, 0.28, [(E.LOWER_SECONDARY, 35), (E.UPPER_SECONDARY, 55),
                                      (E.VOCATIONAL, 10)]),
    "Kinh doanh": (5, 0.3, [(E.UPPER_SECONDARY, 50), (E.COLLEGE, 20), (E.UNIVERSITY, 30)]),
    "Giáo viên": (9, 0.65, [(E.UNIVERSITY, 70), (E.COLLEGE, 28), (E.POSTGRADUATE, 2)]),
    "Công chức xã": (13, 0.75, [(E.UNIVERSITY, 60), (E.VOCATIONAL, 25), (E.COLLEGE, 15)]),
    "Nhân viên y tế": (5, 0.6, [(E.VOCATIONAL, 40), (E.COLLEGE, 30), (E.UNIVERSITY, 30)]),
    "Viên chức": (5, 0.65, [(E.UNIVERSITY, 80), (E.COLLEGE, 15), (E.POSTGRADUATE, 5)]),
    "Công an xã": (1, 0.7, [(E.UPPER_SECONDARY, 40), (E.VOCATIONAL, 40), (E.UNIVERSITY, 20)]),
    "Dân quân thường trực": (1, 0.55, [(E.UPPER_SECONDARY, 70), (E.VOCATIONAL, 30)]),
}
# fmt: on
OCCUPATION = Weighted([(name, weight) for name, (weight, _party, _education) in OCCUPATIONS.items()])
PARTY_SHARE = {name: party for name, (_weight, party, _education) in OCCUPATIONS.items()}
EDUCATION = {name: Weighted(education) for name, (_weight, _party, education) in OCCUPATIONS.items()}
THEORY = {
    True: Weighted(
        [
            (TheoryLevel.ELEMENTARY, 64),
            (TheoryLevel.INTERMEDIATE, 26),
            (TheoryLevel.NONE, 9),
            (TheoryLevel.ADVANCED, 1),
        ]
    ),
    False: Weighted([(TheoryLevel.NONE, 72), (TheoryLevel.ELEMENTARY, 28)]),
}
# Mobile prefixes in use since the 2018 renumbering (Viettel 03x, Mobifone 07x, Vinaphone 08x, and 09x).
# fmt: off
PHONE_PREFIXES = [
    "032", "033", "034", "035", "036", "037", "038", "039", "070", "076", "077", "078", "079", "081",
    "082", "083", "084", "085", "086", "088", "089", "090", "091", "092", "093", "094", "096", "097", "098",
]
# fmt: on
END_REASONS = Weighted(
    [
        ("Chuyển công tác", 30),
        ("Quá tuổi đoàn", 25),
        ("Đi làm ăn xa", 15),
        ("Chuyển nơi cư trú", 10),
        ("Thôi giữ chức vụ theo nguyện vọng cá nhân", 10),
        ("Được điều động làm cán bộ Đoàn xã", 10),
    ]
)
OVER_AGE = "Quá tuổi đoàn"  # a member leaves the Union at 30: such a secretary was at least 30 then
MOVED_HOUSE = "Chuyển nơi cư trú"  # may lead another branch of the district later
PROMOTED = "Được bầu làm Bí thư chi đoàn"

_folded: dict[str, str] = {}


def _fold(part: str) -> str:
    # Names repeat a few hundred parts; folding each once keeps 100,000 names fast.
    if part not in _folded:
        _folded[part] = fold(part)
    return _folded[part]


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def years_before(day: date, years: int) -> date:
    return add_months(day, -12 * years)


def mandate_end(started_on: date, today: date) -> date:
    """The expected end of the mandate running today: 30 months after the start, or, for a secretary
    already re-elected once (the first mandate ended over a month ago), 60 months."""
    end = add_months(started_on, MANDATE_MONTHS)
    if end < today - timedelta(days=30):
        end = add_months(started_on, 2 * MANDATE_MONTHS)
    return end


def _between(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randint(0, max(0, (last - first).days)))


def person_draft(
    rng: random.Random,
    *,
    today: date,
    born_from: date,
    born_to: date,
    khmer_share: float,
    occupation: str | None = None,
    nguyen_van: bool = False,
) -> Person:
    """An unsaved person with a plausible profile; province and district are left to the caller.

    name_key, sort_key and phone_digits are set here because bulk_create does not call save().
    `nguyen_van` makes a Kinh man of the Nguyễn Văn … kind, the name search every demo tries first.
    """
    gender = Gender.MALE if nguyen_van or rng.random() >= FEMALE_SHARE else Gender.FEMALE
    ethnicity = KHMER if not nguyen_van and rng.random() < khmer_share else KINH
    if ethnicity == KHMER:
        surname = KHMER_SURNAMES(rng)
        given = KHMER_GIVEN[gender](rng)
        if given.startswith(surname):  # no "Kim Kim Sang"
            given = KHMER_GIVEN[gender](rng)
        parts = [surname, given]
    else:
        surname = "Nguyễn" if nguyen_van else KINH_SURNAMES(rng)
        middle = "Văn" if nguyen_van else KINH_MIDDLE[gender](rng)
        given = KINH_GIVEN[gender](rng)
        while given == middle:  # no "Ngọc Ngọc"
            given = KINH_GIVEN[gender](rng)
        parts = [surname, middle, given]
    born = _between(rng, born_from, born_to)
    occupation = occupation or OCCUPATION(rng)
    party = rng.random() < PARTY_SHARE.get(occupation, 0.4)
    joined = None
    if party:
        # The Party admits from the age of 18.
        joined = _between(rng, add_months(born, 18 * 12), today - timedelta(days=30))
    digits = ""
    if rng.random() < 0.96:
        digits = rng.choice(PHONE_PREFIXES) + f"{rng.randrange(10**7):07d}"
    email = ""
    if rng.random() < 0.35:
        given_key = _fold(given).replace(" ", "")
        email = f"{given_key}{_fold(surname)[0]}{born.year % 100:02d}@gmail.com"
    full_name = " ".join(parts)
    return Person(
        full_name=full_name,
        name_key=" ".join(_fold(part) for part in parts),
        sort_key=name_sort_key(full_name),
        gender=gender,
        date_of_birth=born,
        ethnicity=ethnicity,
        religion=RELIGIONS[ethnicity](rng),
        education_level=EDUCATION[occupation](rng) if occupation in EDUCATION else E.UPPER_SECONDARY,
        political_theory_level=THEORY[party](rng),
        is_party_member=party,
        party_joined_on=joined,
        occupation=occupation,
        phone=f"{digits[:4]} {digits[4:7]} {digits[7:]}" if digits else "",
        phone_digits=digits,
        email=email,
    )


def occupation_for(branch_kind: str, branch_name: str) -> str | None:
    """A school branch is led by a teacher, a sector branch by someone of that sector."""
    if branch_kind == Branch.Kind.SCHOOL:
        return "Giáo viên"
    if branch_kind == Branch.Kind.SECTOR:
        if "Công an" in branch_name:
            return "Công an xã"
        if "Quân sự" in branch_name:
            return "Dân quân thường trực"
        if "Y tế" in branch_name:
            return "Nhân viên y tế"
    return None


def born_range(*, today: date, earliest_start: date, over_age_on: date | None = None) -> tuple[date, date]:
    """Birth dates that make a person 20–35 today and at least 18 when their first term began
    (at least 30 on `over_age_on`, when they left for being over the Union's age)."""
    born_from = years_before(today, 36) + timedelta(days=1)
    born_to = min(years_before(today, 20), years_before(earliest_start, 18))
    if over_age_on is not None:
        born_to = min(born_to, years_before(over_age_on, 30))
    return born_from, max(born_from, born_to)


class _Cast:
    """The people and terms of the demo, built branch by branch before one bulk insert."""

    def __init__(self, rng: random.Random, today: date):
        self.rng = rng
        self.today = today
        self.people: list[Person] = []
        self.terms: list[Term] = []
        self.movers: dict[int | None, list[tuple[Person, date]]] = {}  # district → (person, ended_on)
        self.nguyen_van_in_tieu_can = False
        self.counts = dict.fromkeys(["secretaries", "deputies", "past_terms", "vacancies"], 0)

    def person(self, branch: Branch, *, earliest_start: date, over_age_on=None, nguyen_van=False) -> Person:
        commune = branch.commune
        district_code = commune.district.code if commune.district else ""
        born_from, born_to = born_range(
            today=self.today, earliest_start=earliest_start, over_age_on=over_age_on
        )
        person = person_draft(
            self.rng,
            today=self.today,
            born_from=born_from,
            born_to=born_to,
            khmer_share=KHMER_SHARE.get(district_code, DEFAULT_KHMER_SHARE),
            occupation=occupation_for(branch.kind, branch.name),
            nguyen_van=nguyen_van,
        )
        person.province_id, person.district_id = commune.province_id, commune.district_id
        self.people.append(person)
        return person

    def term(self, person, branch, role, started_on, expected_end_on, ended_on=None, end_reason=""):
        self.terms.append(
            Term(
                person=person,
                branch=branch,
                role=role,
                started_on=started_on,
                expected_end_on=expected_end_on,
                ended_on=ended_on,
                end_reason=end_reason,
            )
        )

    def past_secretary(self, branch: Branch, ended_on: date) -> None:
        rng = self.rng
        started = ended_on - timedelta(days=rng.randint(365, 1500))
        reason = END_REASONS(rng)
        person = self.person(
            branch, earliest_start=started, over_age_on=ended_on if reason == OVER_AGE else None
        )
        self.term(
            person,
            branch,
            Term.Role.SECRETARY,
            started,
            add_months(started, MANDATE_MONTHS),
            ended_on,
            reason,
        )
        self.counts["past_terms"] += 1
        if reason == MOVED_HOUSE:
            self.movers.setdefault(branch.commune.district_id, []).append((person, ended_on))

    def mover(self, branch: Branch, starting_on: date) -> Person | None:
        """A past secretary who moved within the district and now leads another branch."""
        pool = self.movers.get(branch.commune.district_id, [])
        for index, (person, ended_on) in enumerate(pool):
            if ended_on < starting_on:
                del pool[index]
                return person
        return None

    def branch(self, branch: Branch) -> None:
        rng, today = self.rng, self.today
        in_tieu_can = branch.commune.district is not None and branch.commune.district.code == TIEU_CAN
        secretary_started = secretary_expected = None
        if rng.random() < 0.12:
            self.counts["vacancies"] += 1
            # Half the vacancies are recent: the last secretary left and nobody is elected yet.
            if rng.random() < 0.5:
                self.past_secretary(branch, today - timedelta(days=rng.randint(20, 400)))
        else:
            started = secretary_started = today - timedelta(days=rng.randint(730, 1826))
            expected = secretary_expected = mandate_end(started, today)
            person = self.mover(branch, started) if rng.random() < 0.3 else None
            if person is None:
                promoted = rng.random() < 0.15
                deputy_started = started - timedelta(days=rng.randint(365, 900))
                nguyen_van = in_tieu_can and not self.nguyen_van_in_tieu_can
                person = self.person(
                    branch, earliest_start=deputy_started if promoted else started, nguyen_van=nguyen_van
                )
                if promoted:
                    # Deputy first, elected secretary at the next congress.
                    self.term(
                        person,
                        branch,
                        Term.Role.DEPUTY,
                        deputy_started,
                        add_months(deputy_started, MANDATE_MONTHS),
                        started - timedelta(days=1),
                        PROMOTED,
                    )
                    self.counts["past_terms"] += 1
            if in_tieu_can and person.full_name.startswith("Nguyễn Văn "):
                self.nguyen_van_in_tieu_can = True
            self.term(person, branch, Term.Role.SECRETARY, started, expected)
            self.counts["secretaries"] += 1
            if rng.random() < 0.35:
                self.past_secretary(branch, started - timedelta(days=rng.randint(1, 45)))
        if rng.random() < 1 / 3:
            if secretary_started is not None and rng.random() < 0.6:
                # Elected at the same congress as the secretary.
                started, expected = secretary_started, secretary_expected
            else:
                started = today - timedelta(days=rng.randint(60, 900))
                expected = secretary_expected or mandate_end(started, today)
            person = self.person(branch, earliest_start=started)
            self.term(person, branch, Term.Role.DEPUTY, started, expected)
            self.counts["deputies"] += 1


def populate_secretaries(*, rng: random.Random, today: date | None = None) -> dict[str, int]:
    """People and terms for the active Trà Vinh demo branches; nothing if the province has people."""
    counts = dict.fromkeys(["people", "terms", "secretaries", "deputies", "past_terms", "vacancies"], 0)
    if Person.objects.filter(province__code=DEMO_PROVINCE).exists():
        return counts
    cast = _Cast(rng, today or timezone.localdate())
    branches = (
        Branch.objects.filter(commune__province__code=DEMO_PROVINCE, is_active=True)
        .select_related("commune__district")
        .order_by("commune__code", "pk")
    )
    for branch in branches:
        cast.branch(branch)
    # With their first history record, so the first later edit shows what it changed.
    bulk_create_with_history(cast.people, Person, batch_size=1000)
    bulk_create_with_history(cast.terms, Term, batch_size=1000)
    return {**counts, **cast.counts, "people": len(cast.people), "terms": len(cast.terms)}


def file_under_todays_units() -> int:
    """People first appointed on or after the reform's day were recorded by today's units: the portal files
    a person under the unit of the branch they lead (secretaries.services.term_appoint), where the demo drew
    them under the old ones. Run once the branches are re-attached; returns how many moved. A branch still
    waiting for its new commune keeps its people where they are."""
    first_start = Term.objects.filter(person=OuterRef("pk")).order_by("started_on").values("started_on")[:1]
    people = (
        Person.objects.annotate(first_start=Subquery(first_start))
        .filter(first_start__gte=REFORM_DAY)
        .prefetch_related(Prefetch("terms", queryset=Term.objects.select_related("branch__commune")))
    )
    moved = 0
    for person in people:
        term = max(person.terms.all(), key=lambda t: (t.ended_on is None, t.started_on))
        commune = term.branch.commune
        if commune.began_on is None or (person.province_id, person.district_id) == (
            commune.province_id,
            commune.district_id,
        ):
            continue
        Person.objects.filter(pk=person.pk).update(province=commune.province_id, district=commune.district_id)
        moved += 1
    return moved
