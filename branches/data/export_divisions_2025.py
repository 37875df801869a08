"""Export the 2025 units and the conversion table from `vietnam-provinces` into divisions-2025.json.gz.

Run with Python >= 3.12 in a throw-away virtualenv (the portal itself never imports the package's 2026
releases; see README.md beside this file):

    python3.12 -m venv /tmp/vp312 && /tmp/vp312/bin/pip install vietnam-provinces==2026.9.0
    /tmp/vp312/bin/python branches/data/export_divisions_2025.py

The output holds facts only (official names and codes, and which old unit became which new one), sorted,
so a re-run on the same package version writes the same bytes.
"""

import gzip
import json
import sys
from pathlib import Path

import vietnam_provinces
from vietnam_provinces import NESTED_DIVISIONS_JSON_PATH
from vietnam_provinces import _province_conversion_2025 as province_table
from vietnam_provinces import _ward_conversion_2025 as ward_table

OUTPUT = Path(__file__).with_name("divisions-2025.json.gz")


def main() -> None:
    nested = json.loads(Path(NESTED_DIVISIONS_JSON_PATH).read_text(encoding="utf-8"))
    provinces = sorted([f"{p['code']:02d}", p["name"]] for p in nested)
    communes = sorted([f"{w['code']:05d}", w["name"], f"{p['code']:02d}"] for p in nested for w in p["wards"])
    province_lineage = sorted(
        [f"{old:02d}", f"{new.code:02d}"]
        for old, entry in province_table.OLD_TO_NEW.items()
        for new in entry.new_provinces
    )
    commune_lineage = sorted(
        [f"{old:05d}", f"{new.code:05d}", entry.old_ward.is_partly_merged]
        for old, entry in ward_table.OLD_TO_NEW.items()
        for new in entry.new_wards
    )
    data = {
        "provenance": {
            "package": "vietnam-provinces",
            "version": vietnam_provinces.__version__,
            "data_retrieved": vietnam_provinces.__data_version__,
            "source": "General Statistics Office of Viet Nam (Cục Thống kê): the 2025 list of units and its "
            f"conversion table {ward_table.SOURCE}",
            "effective_on": ward_table.EFFECTIVE_DATE,
        },
        "provinces": provinces,
        "communes": communes,
        "province_lineage": province_lineage,
        "commune_lineage": commune_lineage,
    }
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    # mtime=0: the same data gives the same file, so git sees no change on a re-run.
    with open(OUTPUT, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as out:
        out.write(text.encode("utf-8"))
    print(
        f"{OUTPUT.name}: {len(provinces)} provinces, {len(communes)} communes, "
        f"{len(province_lineage)} province and {len(commune_lineage)} commune lineage rows",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
