"""`make bench`: the portal with national data in PostgreSQL, served by gunicorn as in production.

1. creates (or reuses) the database `bithu_bench` on the local PostgreSQL server, migrates it,
   seeds it with `manage.py seed_scale` (which skips what is already there) and analyses it;
2. collects static files and starts gunicorn (config.wsgi, production settings, 2 workers) on loopback;
3. logs in as each benchmark persona and requests every page of PAGES: a warm-up, then --runs timed
   requests one after another (median and p95 of the client-side wall time), then a short burst from
   --concurrency threads (requests per second); /healthz gets the same treatment, as the floor every
   page is compared with;
4. renders each page once in-process with Django's test client to count its SQL queries;
5. prints a table and writes test-artifacts/bench.json. gunicorn is always stopped at the end.

Only the standard library talks HTTP, so the benchmark needs no dependency of its own.
Usage: .venv/bin/python tests/benchmark/run.py [--runs 30] [--database-url postgres://…]
"""

import argparse
import http.cookiejar
import json
import math
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]
ARTIFACTS = BASE_DIR / "test-artifacts"
DATABASE_NAME = "bithu_bench"

# The accounts seed_scale creates, with the world whose units their pages name; the persona name is what
# the table shows. The administrator sees the whole country: the national worst case of every list and total.
# The old world's accounts read Trà Vinh's and Tiểu Cần's 2019–2025; the new world's work today, in Vĩnh
# Long (which Trà Vinh went into) and in the commune that absorbed Xã Hiếu Tử.
PERSONAS = {
    "administrator": ("bench.quantri", "old"),
    "provincial staff (84, old)": ("bench.tinh", "old"),
    "district officer (846, old)": ("bench.huyen", "old"),
    "provincial staff (86, new)": ("bench.vinhlong", "new"),
    "commune officer (new)": ("bench.xa", "new"),
}

# The key pages, requested for every persona. Placeholders are filled from `page_parameters(world)`; a page
# whose placeholder a world does not have (a district, in the new world) is left out for its personas.
# Later features add their pages here (and a placeholder there if they need one).
PAGES = [
    ("home", "/"),
    ("province list", "/provinces/"),
    ("province", "/provinces/{province_code}/"),
    ("district 846", "/districts/{district_code}/"),
    ("commune", "/communes/{commune_code}/"),
    ("branch list", "/branches/"),
    ("branch search", "/branches/?q=ap+cay"),
    ("branch detail", "/branches/{branch_id}/"),
    ("branch export", "/branches/export.xlsx?commune={commune_id}"),
    ("branches waiting", "/branches/waiting/{staff_only}"),
    ("secretary list", "/secretaries/"),
    ("secretary search", "/secretaries/?q=nguyen+van"),
    ("secretary detail", "/secretaries/{person_id}/"),
    ("vacancies", "/secretaries/vacancies/"),
    ("secretary export", "/secretaries/export.xlsx?{unit_filter}"),
    ("assessment list", "/assessments/"),
    ("assessment summary", "/assessments/summary/"),
    ("assessment summary 2025", "/assessments/summary/?framework={framework_2025_id}"),
    ("summary rolled up", "/assessments/summary/?framework={framework_2025_id}&units=today"),
    ("training needs", "/assessments/training/"),
    ("assessment grid", "/assessments/grid/{commune_code}/"),
    ("seminar list", "/seminars/"),
    ("seminar detail", "/seminars/{seminar_id}/"),
    ("seminar report", "/seminars/report/"),
    ("seminar follow-up", "/seminars/followup/"),
    ("campaign list", "/awards/"),
    ("campaign detail", "/awards/{open_campaign_id}/"),
    ("campaign review", "/awards/{open_campaign_id}/review/"),
    ("nominate", "/awards/{open_campaign_id}/nominate/"),
    ("published list", "/awards/{decided_campaign_id}/commendations/"),
    ("published export", "/awards/{decided_campaign_id}/commendations/export.xlsx"),
    ("commendation statistics", "/awards/statistics/"),
    ("statistics rolled up", "/awards/statistics/?units=today"),
]
HEALTHZ = "/healthz"

# Pages only for some personas (the work list is the provincial staff's and the administrator's).
STAFF_ONLY_PAGES = {"branches waiting"}


def page_parameters(world: str) -> dict[str, str]:
    """Real ids for the placeholders of PAGES, per world.

    Old: a commune of Tiểu Cần (Hiếu Tử) and one of its former branches, the district itself, a person of
    Tiểu Cần who is a branch's secretary now, Tiểu Cần's latest seminar, Trà Vinh's latest and last decided
    campaigns. New: the commune bench.xa works for (it absorbed Hiếu Tử), one of its branches and current
    secretaries, today's Vĩnh Long's latest seminar and open campaign, Trà Vinh's last decided one (history
    that Vĩnh Long reads). Both: the 2025 framework."""
    from django.contrib.auth import get_user_model

    from assessments.models import Framework
    from awards.models import Campaign
    from branches.models import Branch, BranchAttachment, District
    from secretaries.models import Person, Term
    from seminars.models import Seminar

    district = District.objects.get(code="846")
    old_province = district.province
    framework_2025 = Framework.objects.filter(year=2025).order_by("province_id").first()
    if framework_2025 is None:
        sys.exit("The bench database has no 2025 assessment framework; seeding failed?")
    old_campaigns = Campaign.objects.filter(province=old_province)
    decided = old_campaigns.filter(status=Campaign.Status.DECIDED).order_by("-year").first()
    if decided is None:
        sys.exit("The bench database has no decided campaign in Trà Vinh; seeding failed?")
    if world == "old":
        communes = district.communes.order_by("code")
        commune = communes.filter(name_key="xa hieu tu").first() or communes.first()
        former = BranchAttachment.objects.filter(commune=commune).values("branch")
        branch = Branch.objects.filter(pk__in=former).order_by("pk").first() or (
            Branch.objects.filter(commune=commune).order_by("pk").first()
        )
        people = Person.objects.filter(district=district)
        # Tiểu Cần's branches are Vĩnh Long's communes' since 01/07/2025: found through their former commune.
        current = Term.objects.current().secretaries().filter(branch__attachments__commune__district=district)
        seminars = Seminar.objects.filter(district=district)
        province = old_province
        open_campaign = old_campaigns.exclude(status=Campaign.Status.DRAFT).order_by("-year").first()
        unit = {"district_code": district.code, "unit_filter": f"district={district.pk}"}
    else:
        commune = get_user_model().objects.get(username="bench.xa").commune
        province = commune.province
        branch = Branch.objects.filter(commune=commune, is_active=True).order_by("pk").first()
        people = Person.objects.all()
        current = Term.objects.current().secretaries().filter(branch__commune=commune)
        seminars = Seminar.objects.filter(province=province)
        open_campaign = (
            Campaign.objects.filter(province=province, status=Campaign.Status.OPEN).order_by("-year").first()
        )
        unit = {"unit_filter": f"commune={commune.pk}"}
    person = people.filter(terms__in=current).order_by("pk").first()
    seminar = seminars.order_by("-held_on", "-pk").first()
    missing = [
        name
        for name, value in {
            "branch": branch,
            "current secretary": person,
            "seminar": seminar,
            "open campaign": open_campaign,
        }.items()
        if value is None
    ]
    if missing:
        sys.exit(f"The bench database has no {', '.join(missing)} in the {world} world; seeding failed?")
    return {
        **unit,
        "province_code": province.code,
        "open_campaign_id": str(open_campaign.pk),
        "decided_campaign_id": str(decided.pk),
        "framework_2025_id": str(framework_2025.pk),
        "commune_code": commune.code,
        "commune_id": str(commune.pk),
        "branch_id": str(branch.pk),
        "person_id": str(person.pk),
        "seminar_id": str(seminar.pk),
    }


def persona_pages(persona: str, world: str, parameters: dict[str, str]) -> list[tuple[str, str]]:
    pages = []
    for page, path in PAGES:
        if page in STAFF_ONLY_PAGES and not ("staff" in persona or persona == "administrator"):
            continue
        try:
            pages.append((page, path.format(staff_only="", **parameters)))
        except KeyError:  # a placeholder this world has not (its districts)
            continue
    return pages


@dataclass
class Measurement:
    persona: str | None  # None: anonymous (healthz)
    page: str
    path: str
    status: int | None = None
    queries: int | None = None
    median_ms: float | None = None
    p95_ms: float | None = None
    requests_per_s: float | None = None
    ratio_to_healthz: float | None = None
    bytes: int | None = None
    errors: list[str] = field(default_factory=list)


# Setting up: database, settings, server.


def database_url(explicit: str | None) -> str:
    """The bench database's URL, creating the database if needed; the role that works is found by trying."""
    import psycopg2

    if explicit:
        return explicit
    failures = []
    for user in ("postgres", "root", os.environ.get("USER") or "postgres"):
        try:
            connection = psycopg2.connect(host="127.0.0.1", port=5432, user=user, dbname="postgres")
        except psycopg2.OperationalError as error:
            failures.append(f"{user}: {str(error).strip()}")
            continue
        connection.autocommit = True  # CREATE DATABASE cannot run inside a transaction
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE_NAME])
            if cursor.fetchone() is None:
                print(f"Creating database {DATABASE_NAME} as {user}.")
                cursor.execute(f'CREATE DATABASE "{DATABASE_NAME}"')
        connection.close()
        return f"postgres://{user}@127.0.0.1:5432/{DATABASE_NAME}"
    sys.exit("No PostgreSQL on 127.0.0.1:5432 that lets us in:\n  " + "\n  ".join(failures))


def analyze(url: str) -> None:
    """Fresh planner statistics: right after a bulk load autovacuum has not run yet, and without
    statistics PostgreSQL picks sequential scans that production (analysed long ago) would not."""
    import psycopg2

    started = time.monotonic()
    connection = psycopg2.connect(url)
    connection.autocommit = True  # VACUUM cannot run inside a transaction
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    connection.close()
    print(f"VACUUM ANALYZE ({time.monotonic() - started:.1f} s)", flush=True)


def production_environment(url: str) -> dict[str, str]:
    """Production settings, minus HTTPS: the benchmark talks plain HTTP over loopback."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": "bench-only-secret-key-not-for-any-real-deployment",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": url,
        "SECURE_SSL_REDIRECT": "false",
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        "LOG_LEVEL": "WARNING",
    }


def manage(environment: dict[str, str], *arguments: str) -> None:
    print(f"$ manage.py {' '.join(arguments)}", flush=True)
    started = time.monotonic()
    subprocess.run([sys.executable, "manage.py", *arguments], cwd=BASE_DIR, env=environment, check=True)
    print(f"  ({time.monotonic() - started:.1f} s)", flush=True)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_gunicorn(environment: dict[str, str], port: int, log_path: Path) -> subprocess.Popen:
    log = open(log_path, "w")  # noqa: SIM115 — stays open for the life of the server
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--timeout",
            "120",
        ],
        cwd=BASE_DIR,
        env=environment,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {server.returncode}; see {log_path}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{HEALTHZ}", timeout=2) as response:
                if response.status == 200:
                    return server
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    server.terminate()
    raise RuntimeError(f"gunicorn did not answer {HEALTHZ} within 30 s; see {log_path}")


def stop(server: subprocess.Popen | None) -> None:
    if server is None or server.poll() is not None:
        return
    server.terminate()
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


# HTTP with the standard library.


class NoRedirect(urllib.request.HTTPRedirectHandler):
    """A page that redirects (e.g. to the login) is a finding, not something to follow silently."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


def opener_for(jar: http.cookiejar.CookieJar) -> urllib.request.OpenerDirector:
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect())


def fetch(opener, url: str) -> tuple[int, int, float]:
    """(status, body size, seconds) of one GET, the body read to the end."""
    started = time.perf_counter()
    try:
        with opener.open(url, timeout=120) as response:
            body = response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        body = error.read()
        status = error.code
    return status, len(body), time.perf_counter() - started


def log_in(base: str, username: str, password: str) -> http.cookiejar.CookieJar:
    jar = http.cookiejar.CookieJar()
    opener = opener_for(jar)
    with opener.open(f"{base}/accounts/login/", timeout=30) as response:
        response.read()
    csrf = next((cookie.value for cookie in jar if cookie.name == "csrftoken"), None)
    if not csrf:
        raise RuntimeError("The login page set no csrftoken cookie.")
    form = urllib.parse.urlencode({"username": username, "password": password, "csrfmiddlewaretoken": csrf})
    request = urllib.request.Request(f"{base}/accounts/login/", data=form.encode(), method="POST")
    try:
        with opener.open(request, timeout=30) as response:
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    # Django answers a successful login with a redirect; a 200 is the form again, with an error.
    if status != 302 or not any(cookie.name == "sessionid" for cookie in jar):
        raise RuntimeError(f"Logging in as {username} failed (HTTP {status}); wrong --password?")
    _second_step(opener, jar, base, username)
    return jar


def _second_step(opener, jar, base: str, username: str) -> None:
    """The code step, as a person types it from their phone: administrators and provincial staff must
    pass it before any page (the benchmark accounts get an authenticator here when they have none)."""
    from django.contrib.auth import get_user_model

    from accounts.mfa import mfa_required
    from tests.login import totp_code, totp_device

    user = get_user_model().objects.get(username=username)
    # Optional for officers, but once they have an authenticator (the in-process query count below gives
    # every persona one) the code step is theirs too.
    if not mfa_required(user) and not user.totpdevice_set.filter(confirmed=True).exists():
        return
    code = totp_code(totp_device(user))
    csrf = next(cookie.value for cookie in jar if cookie.name == "csrftoken")
    form = urllib.parse.urlencode({"code": code, "csrfmiddlewaretoken": csrf})
    request = urllib.request.Request(f"{base}/accounts/verify/", data=form.encode(), method="POST")
    try:
        with opener.open(request, timeout=30) as response:
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    if status != 302:
        raise RuntimeError(f"The second step for {username} failed (HTTP {status}).")


def p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def measure(jar, url: str, result: Measurement, *, runs: int, warmup: int, burst: int, threads: int):
    opener = opener_for(jar)
    statuses = set()
    for _ in range(warmup):
        statuses.add(fetch(opener, url)[0])
    timings = []
    for _ in range(runs):
        status, size, seconds = fetch(opener, url)
        statuses.add(status)
        timings.append(seconds)
        result.bytes = size
    result.median_ms = statistics.median(timings) * 1000
    result.p95_ms = p95(timings) * 1000

    # Throughput: `threads` clients, each with its own connection, share a fixed number of requests.
    lock = threading.Lock()
    remaining = [burst]

    def client():
        own = opener_for(jar)
        while True:
            with lock:
                if remaining[0] <= 0:
                    return
                remaining[0] -= 1
            status = fetch(own, url)[0]
            with lock:
                statuses.add(status)

    workers = [threading.Thread(target=client) for _ in range(threads)]
    started = time.perf_counter()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    result.requests_per_s = burst / (time.perf_counter() - started)
    result.status = max(statuses) if statuses else None
    if statuses != {200}:
        result.errors.append(f"HTTP statuses seen: {sorted(statuses)}")


# Query counts, in-process.


def count_queries(results: list[Measurement], usernames: dict[str, str]) -> None:
    """Render each page once with Django's test client against the bench database and count queries."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from tests.login import login_verified

    User = get_user_model()
    clients = {}
    for persona, username in usernames.items():
        client = Client(HTTP_HOST="127.0.0.1")
        login_verified(client, User.objects.get(username=username))
        clients[persona] = client
    clients[None] = Client(HTTP_HOST="127.0.0.1")
    for result in results:
        client = clients[result.persona]
        try:
            with CaptureQueriesContext(connection) as queries:
                response = client.get(result.path)
                if response.streaming:
                    b"".join(response.streaming_content)
                response.close()
            result.queries = len(queries)
        except Exception as error:  # a broken page must not hide the others' figures
            result.errors.append(f"in-process render failed: {error!r}")


# Reporting.


def table(results: list[Measurement]) -> str:
    header = ("persona", "page", "HTTP", "queries", "median ms", "p95 ms", "req/s", "× healthz")
    rows = [header]
    for r in results:
        rows.append(
            (
                r.persona or "-",
                r.page,
                str(r.status or "-"),
                "-" if r.queries is None else str(r.queries),
                f"{r.median_ms:.1f}" if r.median_ms is not None else "-",
                f"{r.p95_ms:.1f}" if r.p95_ms is not None else "-",
                f"{r.requests_per_s:.1f}" if r.requests_per_s is not None else "-",
                f"{r.ratio_to_healthz:.1f}" if r.ratio_to_healthz is not None else "-",
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = []
    for index, row in enumerate(rows):
        cells = [
            cell.ljust(width) if column < 2 else cell.rjust(width)
            for column, (cell, width) in enumerate(zip(row, widths, strict=True))
        ]
        lines.append("  ".join(cells))
        if index == 0:
            lines.append("  ".join("-" * width for width in widths))
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=30, help="timed requests per page (default 30)")
    parser.add_argument("--warmup", type=int, default=3, help="untimed requests first (default 3)")
    parser.add_argument(
        "--burst", type=int, default=20, help="requests for the throughput figure (default 20)"
    )
    parser.add_argument(
        "--concurrency", type=int, default=2, help="client threads for throughput (default 2)"
    )
    parser.add_argument("--password", default="bench-mat-khau", help="password of the benchmark accounts")
    parser.add_argument("--database-url", help=f"default: postgres on 127.0.0.1, database {DATABASE_NAME}")
    parser.add_argument("--json", type=Path, default=ARTIFACTS / "bench.json", help="where to write results")
    parser.add_argument(
        "--only", action="append", default=[], help="measure only pages whose name contains this (repeatable)"
    )
    args = parser.parse_args()
    if not (1 <= args.runs <= 1000 and 0 <= args.burst <= 1000 and 1 <= args.concurrency <= 8):
        parser.error("keep --runs 1–1000, --burst 0–1000 and --concurrency 1–8: this runs on one machine")

    ARTIFACTS.mkdir(exist_ok=True)
    url = database_url(args.database_url)
    environment = production_environment(url)
    manage(environment, "migrate", "--noinput", "-v", "0")
    manage(environment, "seed_scale", "--password", args.password)
    analyze(url)
    manage(environment, "collectstatic", "--noinput", "-v", "0")

    # The same settings in this process, for the page parameters and the query counts.
    os.environ.update(environment)
    sys.path.insert(0, str(BASE_DIR))
    import django

    django.setup()
    from branches.models import Branch, Commune

    parameters = {world: page_parameters(world) for world in ("old", "new")}
    results = [Measurement(persona=None, page="healthz", path=HEALTHZ)]
    for persona, (_username, world) in PERSONAS.items():
        for page, path in persona_pages(persona, world, parameters[world]):
            if args.only and not any(word in page for word in args.only):
                continue
            results.append(Measurement(persona=persona, page=page, path=path))

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = None
    started = time.monotonic()
    try:
        server = start_gunicorn(environment, port, ARTIFACTS / "bench-gunicorn.log")
        jars = {None: http.cookiejar.CookieJar()}
        for persona, (username, _world) in PERSONAS.items():
            jars[persona] = log_in(base, username, args.password)
        for result in results:
            print(f"  {result.persona or 'anonymous'}: {result.path}", flush=True)
            measure(
                jars[result.persona],
                base + result.path,
                result,
                runs=args.runs,
                warmup=args.warmup,
                burst=args.burst,
                threads=args.concurrency,
            )
    finally:
        stop(server)
    elapsed = time.monotonic() - started

    count_queries(results, {persona: username for persona, (username, _world) in PERSONAS.items()})
    floor = results[0].median_ms
    for result in results:
        if result.median_ms is not None and floor:
            result.ratio_to_healthz = result.median_ms / floor

    print()
    print(
        f"{Branch.objects.count():,} branches in {Commune.objects.count():,} communes; "
        f"{args.runs} timed requests per page after {args.warmup} warm-up, throughput over {args.burst} "
        f"requests from {args.concurrency} threads; gunicorn with 2 workers on loopback; {elapsed:.0f} s."
    )
    print(table(results))
    failures = [r for r in results if r.errors]
    for r in failures:
        print(f"! {r.persona or 'anonymous'} {r.path}: {'; '.join(r.errors)}")

    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(
        json.dumps(
            {
                "when": datetime.now().astimezone().isoformat(timespec="seconds"),
                "database": url,
                "branches": Branch.objects.count(),
                "communes": Commune.objects.count(),
                "runs": args.runs,
                "warmup": args.warmup,
                "burst": args.burst,
                "concurrency": args.concurrency,
                "gunicorn_workers": 2,
                "results": [asdict(r) for r in results],
            },
            ensure_ascii=False,
            indent=2,
        )
    )
    print(
        f"Written to {args.json.relative_to(BASE_DIR) if args.json.is_relative_to(BASE_DIR) else args.json}."
    )
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
