"""Loading the official provinces, districts and communes: both worlds and the lineage between them.

- The old world (to 30 June 2025): 63 provinces, 696 districts and 10,051 communes, from the
  `vietnam-provinces` package, version 0.6.0 (its nested JSON). Its `division_type` fields are unreliable
  (always "huyện" / "xã"), so a unit's kind is read from the prefix of its name instead.
- The new world (from 1 July 2025): 34 provinces and 3,321 communes, wards and special zones, no districts,
  and the statistics office's conversion table (old commune → new commune(s), "partly"), from the file
  `branches/data/divisions-2025.json.gz`, exported from `vietnam-provinces` 2026.9.0 by the script beside
  it (that release needs Python ≥ 3.12; see branches/data/README.md and docs/divisions.md).

A unit is matched by its code within its own world: old units are the rows without a start date, new ones
the rows that began on 1 July 2025. So a new commune that reuses an old commune's code is another row, and
the old one keeps its name, district and records. The load is idempotent: it creates what is missing, puts
names, kinds and dates right, adds the missing lineage rows and counts the rest as unchanged; parents are
set only when a unit is created.
"""

import datetime
import gzip
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from django.db import transaction
from django.db.models import F, Q
from vietnam_provinces import NESTED_DIVISIONS_JSON_PATH

from core.text import fold, normalize_name

from .models import Commune, CommuneSuccession, District, Province, ProvinceSuccession

BATCH_SIZE = 2000

#: The 2025 reform: the old units' last day and the new units' first.
OLD_WORLD_LAST_DAY = datetime.date(2025, 6, 30)
REFORM_DAY = datetime.date(2025, 7, 1)
DATA_2025 = Path(__file__).parent / "data" / "divisions-2025.json.gz"

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
    new_provinces: LevelCounts = field(default_factory=LevelCounts)
    new_communes: LevelCounts = field(default_factory=LevelCounts)
    province_lineage: LevelCounts = field(default_factory=LevelCounts)
    commune_lineage: LevelCounts = field(default_factory=LevelCounts)
    #: conversion-table rows naming an old commune that is not in the old list (skipped)
    lineage_unmatched: int = 0

    def levels(self) -> list[tuple[str, LevelCounts]]:
        return [
            ("provinces", self.provinces),
            ("districts", self.districts),
            ("communes", self.communes),
            ("provinces 2025", self.new_provinces),
            ("communes 2025", self.new_communes),
            ("province lineage", self.province_lineage),
            ("commune lineage", self.commune_lineage),
        ]

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


@dataclass(frozen=True)
class Lineage:
    old_code: str
    new_code: str
    partly: bool


@dataclass(frozen=True)
class Divisions2025:
    provenance: dict
    provinces: tuple[OfficialUnit, ...]
    communes: tuple[OfficialUnit, ...]
    province_lineage: tuple[Lineage, ...]
    commune_lineage: tuple[Lineage, ...]


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


@cache
def divisions_2025() -> Divisions2025:
    """The new world and the conversion table, from the committed file (no network, no 3.12 needed)."""
    with gzip.open(DATA_2025, "rt", encoding="utf-8") as source:
        data = json.load(source)
    provinces = tuple(
        OfficialUnit(code=code, name=normalize_name(name), kind=kind_from_name(name, PROVINCE_KINDS))
        for code, name in data["provinces"]
    )
    communes = tuple(
        OfficialUnit(
            code=code,
            name=normalize_name(name),
            kind=kind_from_name(name, COMMUNE_KINDS),
            parent_code=province_code,
        )
        for code, name, province_code in data["communes"]
    )
    # An old province whose communes went into several new provinces went into each only partly.
    targets: dict[str, int] = {}
    for old, _new in data["province_lineage"]:
        targets[old] = targets.get(old, 0) + 1
    return Divisions2025(
        provenance=data["provenance"],
        provinces=tuple(sorted(provinces, key=lambda unit: unit.code)),
        communes=tuple(sorted(communes, key=lambda unit: unit.code)),
        province_lineage=tuple(Lineage(old, new, targets[old] > 1) for old, new in data["province_lineage"]),
        commune_lineage=tuple(
            Lineage(old, new, bool(partly)) for old, new, partly in data["commune_lineage"]
        ),
    )


def province_codes_normalize(codes: Iterable[str]) -> list[str]:
    """Validate codes as typed ("84", "1", "01") against the official lists; raise on any unknown one."""
    known = sorted(
        {unit.code for unit in official_divisions().provinces}
        | {unit.code for unit in divisions_2025().provinces}
    )
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


def _sync_level(
    *, model, world, units: list[OfficialUnit], dates: dict, parent_fields: dict, counts: LevelCounts
) -> None:
    """Create the missing units of one level of one world and put changed names, kinds and dates right,
    in a few queries. `world` selects that world's rows, `dates` holds its began_on/ended_on, and
    `parent_fields` maps a unit to the foreign-key values a new row needs (e.g. province_id)."""
    existing = {
        code: (pk, name, kind, began, ended)
        for pk, code, name, kind, began, ended in model.objects.filter(world).values_list(
            "pk", "code", "name", "kind", "began_on", "ended_on"
        )
    }
    wanted_dates = (dates["began_on"], dates["ended_on"])
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
                    **dates,
                    **parent_fields[unit.code],
                )
            )
        elif (row[1], row[2], *row[3:]) != (unit.name, unit.kind, *wanted_dates):
            to_update.append(
                # version + 1: an admin change form opened before this update is then refused as stale.
                model(
                    pk=row[0],
                    name=unit.name,
                    name_key=fold(unit.name),
                    kind=unit.kind,
                    version=F("version") + 1,
                    **dates,
                )
            )
        else:
            counts.unchanged += 1
    # Ending the old units first frees their codes for the new units (unique among current units).
    # bulk_create bypasses save(), so name_key is set above; to_create is in code order already.
    model.objects.bulk_update(
        to_update, ["name", "name_key", "kind", "began_on", "ended_on", "version"], batch_size=BATCH_SIZE
    )
    model.objects.bulk_create(to_create, batch_size=BATCH_SIZE)
    counts.created += len(to_create)
    counts.updated += len(to_update)


def _ids_by_code(model, world) -> dict[str, int]:
    return dict(model.objects.filter(world).values_list("code", "pk"))


def _sync_lineage(*, model, rows: list[tuple[int, int, bool]], counts: LevelCounts) -> None:
    """Add the missing succession rows and put `on`/`partly` right; rows added by hand are kept."""
    existing = {
        (pred, succ): (pk, on, partly)
        for pk, pred, succ, on, partly in model.objects.values_list(
            "pk", "predecessor_id", "successor_id", "on", "partly"
        )
    }
    to_create, to_update = [], []
    for pred, succ, partly in rows:
        row = existing.get((pred, succ))
        if row is None:
            to_create.append(model(predecessor_id=pred, successor_id=succ, on=REFORM_DAY, partly=partly))
        elif (row[1], row[2]) != (REFORM_DAY, partly):
            to_update.append(model(pk=row[0], on=REFORM_DAY, partly=partly))
        else:
            counts.unchanged += 1
    model.objects.bulk_update(to_update, ["on", "partly"], batch_size=BATCH_SIZE)
    model.objects.bulk_create(to_create, batch_size=BATCH_SIZE)
    counts.created += len(to_create)
    counts.updated += len(to_update)


OLD_WORLD = Q(began_on__isnull=True)
NEW_WORLD = Q(began_on=REFORM_DAY)
OLD_DATES = {"began_on": None, "ended_on": OLD_WORLD_LAST_DAY}
NEW_DATES = {"began_on": REFORM_DAY, "ended_on": None}


@transaction.atomic
def divisions_load(*, province_codes: list[str] | None = None) -> LoadReport:
    """Load the official units of both worlds, and their lineage, for some provinces (all when
    `province_codes` is None). A code selects the old province and the new province that have it, and
    the new provinces an old one went into: "84" loads Trà Vinh to 2025 and Vĩnh Long (86) from 2025.

    Raises UnknownProvinceCode before writing anything if a code is not in the official lists.
    """
    official, new = official_divisions(), divisions_2025()
    if province_codes is None:
        wanted = {unit.code for unit in official.provinces} | {unit.code for unit in new.provinces}
    else:
        wanted = set(province_codes_normalize(province_codes))

    provinces = [unit for unit in official.provinces if unit.code in wanted]
    districts = [unit for unit in official.districts if unit.parent_code in wanted]
    district_codes = {unit.code for unit in districts}
    communes = [unit for unit in official.communes if unit.parent_code in district_codes]
    province_of_district = {unit.code: unit.parent_code for unit in districts}
    new_wanted = wanted | {row.new_code for row in new.province_lineage if row.old_code in wanted}
    new_provinces = [unit for unit in new.provinces if unit.code in new_wanted]
    new_communes = [unit for unit in new.communes if unit.parent_code in new_wanted]

    report = LoadReport()
    _sync_level(
        model=Province,
        world=OLD_WORLD,
        units=provinces,
        dates=OLD_DATES,
        parent_fields={unit.code: {} for unit in provinces},
        counts=report.provinces,
    )
    province_ids = _ids_by_code(Province, OLD_WORLD)
    _sync_level(
        model=District,
        world=OLD_WORLD,
        units=districts,
        dates=OLD_DATES,
        parent_fields={unit.code: {"province_id": province_ids[unit.parent_code]} for unit in districts},
        counts=report.districts,
    )
    district_ids = _ids_by_code(District, OLD_WORLD)
    _sync_level(
        model=Commune,
        world=OLD_WORLD,
        units=communes,
        dates=OLD_DATES,
        parent_fields={
            unit.code: {
                "district_id": district_ids[unit.parent_code],
                "province_id": province_ids[province_of_district[unit.parent_code]],
            }
            for unit in communes
        },
        counts=report.communes,
    )
    _sync_level(
        model=Province,
        world=NEW_WORLD,
        units=new_provinces,
        dates=NEW_DATES,
        parent_fields={unit.code: {} for unit in new_provinces},
        counts=report.new_provinces,
    )
    new_province_ids = _ids_by_code(Province, NEW_WORLD)
    _sync_level(
        model=Commune,
        world=NEW_WORLD,
        units=new_communes,
        dates=NEW_DATES,
        parent_fields={
            unit.code: {"province_id": new_province_ids[unit.parent_code]} for unit in new_communes
        },
        counts=report.new_communes,
    )

    # Lineage between the units now present (a partial load links what it has; a later one adds more).
    _sync_lineage(
        model=ProvinceSuccession,
        rows=_lineage_rows(new.province_lineage, province_ids, new_province_ids),
        counts=report.province_lineage,
    )
    old_commune_ids, new_commune_ids = _ids_by_code(Commune, OLD_WORLD), _ids_by_code(Commune, NEW_WORLD)
    _sync_lineage(
        model=CommuneSuccession,
        rows=_lineage_rows(new.commune_lineage, old_commune_ids, new_commune_ids),
        counts=report.commune_lineage,
    )
    known_old = {unit.code for unit in official.communes}
    report.lineage_unmatched = sum(1 for row in new.commune_lineage if row.old_code not in known_old)
    return report


def _lineage_rows(lineage, old_ids: dict[str, int], new_ids: dict[str, int]) -> list[tuple[int, int, bool]]:
    return [
        (old_ids[row.old_code], new_ids[row.new_code], row.partly)
        for row in lineage
        if row.old_code in old_ids and row.new_code in new_ids
    ]
