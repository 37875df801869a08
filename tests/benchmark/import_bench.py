"""Benchmark of the Excel import: 10,000 secretaries with their terms (preview, then commit), not run by the
test suite.

1. uses DATABASE_URL if given (PostgreSQL: the figures that count), else a fresh SQLite file in /tmp;
   migrates it (in a child process) and builds a province of 100 communes × 100 branches and a provincial
   staff account;
2. writes a 10,000-row workbook as the template lays it out (in a child process, shared strings as Excel
   writes them);
3. times the preview (read the file, match every row, store the batch) and the commit (re-check the stored
   rows under lock, bulk writes with history), counting the SQL queries of each, and the process's
   resident size before the import and at its peak (with --tracemalloc, also the traced Python peaks).

Usage: .venv/bin/python tests/benchmark/import_bench.py [--rows 10000] [--database-url postgres://…]
The issue's targets: preview ≤ 30 s, commit ≤ 30 s on PostgreSQL, peak memory ≤ 300 MB, queries
independent of the number of rows.
"""

import argparse
import datetime
import gc
import multiprocessing
import os
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]


def _resident_mb() -> float:
    with open("/proc/self/status") as status:
        line = next(line for line in status if line.startswith("VmRSS:"))
    return int(line.split()[1]) / 1024


def write_workbook(path: Path, rows: int, communes: list[str]) -> None:
    """A workbook as Excel saves one (shared strings), not openpyxl's write-only one (inline strings, which
    openpyxl reads several times slower), laid out as the template."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Dữ liệu"
    sheet.append(["Danh sách bí thư chi đoàn"])
    sheet.append(
        ["Họ và tên", "Giới tính", "Ngày sinh", "Dân tộc", "Tôn giáo", "Trình độ học vấn",
         "Trình độ lý luận chính trị", "Đảng viên", "Nghề nghiệp", "Số điện thoại", "Email", "Xã",
         "Chi đoàn", "Bắt đầu nhiệm kỳ"]
    )  # fmt: skip
    for n in range(rows):
        sheet.append(
            [f"Nguyễn Văn Thử {n:05d}", "Nam", datetime.datetime(1990 + n % 15, 1 + n % 12, 1), "Kinh",
             "Không", "12/12", "Sơ cấp", "Có" if n % 3 else "Không", "Nông dân", f"09{n:08d}", "",
             communes[n % 100], f"Ấp Thử {n // 100:03d}", "01/10/2025"]
        )  # fmt: skip
    workbook.save(path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument(
        "--tracemalloc", action="store_true", help="also trace Python allocations (slower, more memory)"
    )
    args = parser.parse_args()
    if not args.database_url:
        path = Path(tempfile.gettempdir()) / "bithu_import_bench.sqlite3"
        path.unlink(missing_ok=True)
        args.database_url = f"sqlite:///{path}"
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    sys.path.insert(0, str(BASE_DIR))

    # Migrated by a child process: the migration state would otherwise stay in this one's memory figures.
    subprocess.run(
        [sys.executable, str(BASE_DIR / "manage.py"), "migrate", "-v0"], check=True, env=os.environ
    )

    import django

    django.setup()
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import translation

    from accounts.models import User
    from branches.models import Branch, Commune, Province
    from core.importing import services
    from core.importing.engine import KINDS
    from core.text import fold
    from secretaries.models import Person, Term

    translation.activate("vi")
    reform = datetime.date(2025, 7, 1)
    province, _ = Province.objects.get_or_create(
        code="99", defaults={"name": "Tỉnh Thử Tải", "began_on": reform}
    )
    communes = []
    for i in range(100):
        commune, _ = Commune.objects.get_or_create(
            code=f"{99000 + i:05d}",
            defaults={"name": f"Xã Thử {i:03d}", "province": province, "began_on": reform},
        )
        communes.append(commune)
    if not Branch.objects.filter(commune__province=province).exists():
        branches = [
            Branch(commune=c, name=f"Ấp Thử {i:03d}", name_key=fold(f"Ấp Thử {i:03d}"))
            for c in communes
            for i in range((args.rows + 99) // 100)
        ]
        Branch.objects.bulk_create(branches, batch_size=2000)
    user, _ = User.objects.get_or_create(
        username="bench.nhap", defaults={"role": User.Role.PROVINCIAL_STAFF, "province": province}
    )

    # The file is written by a child process, so that building it does not count in this one's memory.
    path = Path(tempfile.gettempdir()) / "bithu_import_bench.xlsx"
    child = multiprocessing.get_context("fork").Process(
        target=write_workbook, args=(path, args.rows, [c.name for c in communes])
    )
    child.start()
    child.join()
    content = path.read_bytes()
    upload = SimpleUploadedFile("bench.xlsx", content)
    print(f"database: {connection.vendor} ({args.database_url.split('@')[-1]})")
    print(f"file: {args.rows:,} rows, {len(content) / 2**20:.1f} MB")

    gc.collect()
    baseline = _resident_mb()
    if args.tracemalloc:
        tracemalloc.start()
    started, cpu = time.perf_counter(), time.process_time()
    with CaptureQueriesContext(connection) as preview_queries:
        batch = services.batch_create(kind=KINDS["secretaries"], upload=upload, user=user)
    preview_seconds, preview_cpu = time.perf_counter() - started, time.process_time() - cpu
    _, preview_peak = tracemalloc.get_traced_memory() if args.tracemalloc else (0, 0)
    if args.tracemalloc:
        tracemalloc.reset_peak()
    assert batch.error_count == 0, batch.report["rows"][:3]
    started, cpu = time.perf_counter(), time.process_time()
    with CaptureQueriesContext(connection) as commit_queries:
        batch = services.batch_commit(batch=batch, user=user)
    commit_seconds, commit_cpu = time.perf_counter() - started, time.process_time() - cpu
    _, commit_peak = tracemalloc.get_traced_memory() if args.tracemalloc else (0, 0)
    tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux
    people = Person.objects.filter(province=province).count()
    terms = Term.objects.filter(branch__commune__province=province, ended_on__isnull=True).count()
    traced = (
        f", traced peaks {preview_peak / 2**20:.0f} / {commit_peak / 2**20:.0f} MB"
        if args.tracemalloc
        else ""
    )
    print(f"preview: {preview_seconds:.1f} s ({preview_cpu:.1f} s of CPU), {len(preview_queries)} queries")
    print(
        f"commit:  {commit_seconds:.1f} s ({commit_cpu:.1f} s of CPU), {len(commit_queries)} queries{traced}"
    )
    print(f"resident size of the process: {baseline:.0f} MB before the import, at most {rss:.0f} MB")
    print(
        f"stored: {people:,} people, {terms:,} current terms; batch {batch.pk} {batch.get_status_display()}"
    )


if __name__ == "__main__":
    main()
