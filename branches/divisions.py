"""Loading the official provinces, districts and communes (before the July 2025 reform).

The source is the `vietnam-provinces` package, version 0.6.0, whose nested JSON lists 63 provinces,
696 districts and 10,051 communes with their statistics-office codes. Its `division_type` fields are
unreliable (always "huyện" / "xã"), so a unit's kind is read from the prefix of its name instead.

The load is idempotent: existing rows are matched by code, and only their name and kind are brought in
line with the official list. Parents, end dates and successors are left alone, because the 2025
reorganisation is recorded on top of these units and must not be undone by a re-run.
"""

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache

from django.db import transaction
from django.db.models import F
from vietnam_provinces import NESTED_DIVISIONS_JSON_PATH

from core.text import fold, normalize_name

from .models import Commune, District, Province

BATCH_SIZE = 2000

# Folded name prefix → kind. Folded, because the source spells "Thành phố" also as "Thành Phố".
PROVINCE_KINDS = [("thanh pho ", Province.Kind.MUNICIPALITY), ("tinh ", Province.Kind.PROVINCE)]
DISTRICT_KINDS = [
    ("huyen ", District.Kind.RURAL_DISTRICT),
    ("thi xa ", District.Kind.TOWN),
    ("thanh pho ", District.Kind.CITY),
    ("quan ", District.Kind.URBAN_DISTRICT),
]
COMMUNE_KINDS = [
    ("xa ", Commune.Kind.COMMUNE),
    ("phuong ", Commune.Kind.WARD),
    ("thi tran ", Commune.Kind.TOWNSHIP),
    ("dac khu ", Commune.Kind.SPECIAL_ZONE),
]


class UnknownProvinceCode(ValueError):
    """A province code that is not in the official list."""


@dataclass
class LevelCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged


@dataclass
class LoadReport:
    provinces: LevelCounts = field(default_factory=LevelCounts)
    districts: LevelCounts = field(default_factory=LevelCounts)
    communes: LevelCounts = field(default_factory=LevelCounts)

    def levels(self) -> list[tuple[str, LevelCounts]]:
        return [("provinces", self.provinces), ("districts", self.districts), ("communes", self.communes)]

    @property
    def changed(self) -> bool:
        return any(counts.created or counts.updated for _, counts in self.levels())


@dataclass(frozen=True)
class OfficialUnit:
    code: str
    name: str
    kind: str
    parent_code: str | None = None


@dataclass(frozen=True)
class OfficialDivisions:
    provinces: tuple[OfficialUnit, ...]
    districts: tuple[OfficialUnit, ...]
    communes: tuple[OfficialUnit, ...]


def kind_from_name(name: str, prefixes: list[tuple[str, str]]) -> str:
    folded = fold(name) + " "
    for prefix, kind in prefixes:
        if folded.startswith(prefix):
            return kind
    raise ValueError(f"Cannot tell the kind of unit from its name: {name!r}")


@cache
def official_divisions() -> OfficialDivisions:
    """The whole official list, codes zero-padded, each level sorted by code."""
    with open(NESTED_DIVISIONS_JSON_PATH, encoding="utf-8") as source:
        nested = json.load(source)
    provinces, districts, communes = [], [], []
    for province in nested:
        province_code = f"{province['code']:02d}"
        provinces.append(
            OfficialUnit(
                code=province_code,
                name=normalize_name(province["name"]),
                kind=kind_from_name(province["name"], PROVINCE_KINDS),
            )
        )
        for district in province["districts"]:
            district_code = f"{district['code']:03d}"
            districts.append(
                OfficialUnit(
                    code=district_code,
                    name=normalize_name(district["name"]),
                    kind=kind_from_name(district["name"], DISTRICT_KINDS),
                    parent_code=province_code,
                )
            )
            for ward in district["wards"]:
                communes.append(
                    OfficialUnit(
                        code=f"{ward['code']:05d}",
                        name=normalize_name(ward["name"]),
                        kind=kind_from_name(ward["name"], COMMUNE_KINDS),
                        parent_code=district_code,
                    )
                )
    # The JSON is not in code order, and row ids must follow the code order (see Branch.Meta.ordering).
    return OfficialDivisions(
        provinces=tuple(sorted(provinces, key=lambda unit: unit.code)),
        districts=tuple(sorted(districts, key=lambda unit: unit.code)),
        communes=tuple(sorted(communes, key=lambda unit: unit.code)),
    )


def province_codes_normalize(codes: Iterable[str]) -> list[str]:
    """Validate codes as typed ("84", "1", "01") against the official list; raise on any unknown one."""
    known = [unit.code for unit in official_divisions().provinces]
    result = []
    for raw in codes:
        text = str(raw).strip()
        code = f"{int(text):02d}" if text.isdigit() else text
        if code not in known:
            raise UnknownProvinceCode(
                f"Unknown province code {text or '(empty)'}; known codes are {known[0]}–{known[-1]}: "
                f"{', '.join(known)}."
            )
        if code not in result:
            result.append(code)
    return result


def _sync_level(*, model, units: list[OfficialUnit], parent_fields: dict, counts: LevelCounts) -> None:
    """Create the missing units of one level and update changed names and kinds, in a few queries.

    `parent_fields` maps a unit to the foreign-key values a new row needs (e.g. province_id).
    """
    existing = {
        code: (pk, name, kind)
        for pk, code, name, kind in model.objects.values_list("pk", "code", "name", "kind")
    }
    to_create, to_update = [], []
    for unit in units:
        row = existing.get(unit.code)
        if row is None:
            to_create.append(
                model(
                    code=unit.code,
                    name=unit.name,
                    name_key=fold(unit.name),
                    kind=unit.kind,
                    **parent_fields[unit.code],
                )
            )
        elif (row[1], row[2]) != (unit.name, unit.kind):
            to_update.append(
                # version + 1: an admin change form opened before this update is then refused as stale.
                model(
                    pk=row[0],
                    name=unit.name,
                    name_key=fold(unit.name),
                    kind=unit.kind,
                    version=F("version") + 1,
                )
            )
        else:
            counts.unchanged += 1
    # bulk_create bypasses save(), so name_key is set above; to_create is in code order already.
    model.objects.bulk_create(to_create, batch_size=BATCH_SIZE)
    model.objects.bulk_update(to_update, ["name", "name_key", "kind", "version"], batch_size=BATCH_SIZE)
    counts.created += len(to_create)
    counts.updated += len(to_update)


def _ids_by_code(model, codes: set[str]) -> dict[str, int]:
    return {code: pk for code, pk in model.objects.values_list("code", "pk") if code in codes}


@transaction.atomic
def divisions_load(*, province_codes: list[str] | None = None) -> LoadReport:
    """Load the official units of some provinces (all of them when `province_codes` is None).

    Raises UnknownProvinceCode before writing anything if a code is not in the official list.
    """
    official = official_divisions()
    if province_codes is None:
        wanted = {unit.code for unit in official.provinces}
    else:
        wanted = set(province_codes_normalize(province_codes))

    provinces = [unit for unit in official.provinces if unit.code in wanted]
    districts = [unit for unit in official.districts if unit.parent_code in wanted]
    district_codes = {unit.code for unit in districts}
    communes = [unit for unit in official.communes if unit.parent_code in district_codes]
    province_of_district = {unit.code: unit.parent_code for unit in districts}

    report = LoadReport()
    _sync_level(
        model=Province,
        units=provinces,
        parent_fields={unit.code: {} for unit in provinces},
        counts=report.provinces,
    )
    province_ids = _ids_by_code(Province, wanted)
    _sync_level(
        model=District,
        units=districts,
        parent_fields={unit.code: {"province_id": province_ids[unit.parent_code]} for unit in districts},
        counts=report.districts,
    )
    district_ids = _ids_by_code(District, district_codes)
    _sync_level(
        model=Commune,
        units=communes,
        parent_fields={
            unit.code: {
                "district_id": district_ids[unit.parent_code],
                "province_id": province_ids[province_of_district[unit.parent_code]],
            }
            for unit in communes
        },
        counts=report.communes,
    )
    return report
