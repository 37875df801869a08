"""`make bench`: every page, for every persona who may open it, on national data in PostgreSQL, served by
gunicorn with the production settings and config/gunicorn.conf.py.

1. creates (or reuses) the database `bithu_bench` on the local PostgreSQL server, migrates it, seeds it
   with `manage.py seed_scale` (which skips what is already there) and analyses it (--skip-setup: none of
   that, for a second run on the same data); collects static files;
2. builds the plan (tests/benchmark/plan.py): every page of the URLconf that answers a GET, for every
   persona, with real ids of each persona's world, plus Django admin's index, changelists and change pages
   for the administrator; starts gunicorn on loopback;
3. logs in as each persona (password, then the code of an authenticator the bench gives them, as a phone
   would show it) and asks each page once: 403/404 is "not allowed" (recorded, not a failure), a redirect
   or 4xx is noted, 5xx is an error; a page that answers 200 gets its warm-up, then timed requests on a
   keep-alive connection, each followed by one /healthz on another connection (page, healthz, page,
   healthz…), so the page's ratio to healthz compares figures taken at the same moment;
4. the throughput run: 16 keep-alive connections for 60 s on one list and on the first screen, logged in
   as the commune officer (requests per second, latency percentiles, errors);
5. stops gunicorn, then renders every measured page again in this process with Django's test client
   against the same database: its SQL queries and SQL time (connection.execute_wrapper) and its template
   time (django.template.base.Template.render, the SQL run while rendering taken out);
6. checks the budgets (plan.Budgets), prints a table and the violations, writes test-artifacts/bench.json.

Exits 0 even when a budget fails or a page errors (the summary says so); with --strict, 1 then.
Only the standard library talks HTTP, so the benchmark needs no dependency of its own.
Usage: .venv/bin/python tests/benchmark/run.py [--only NAME] [--persona NAME] [--runs 10] [--skip-setup]
"""

import argparse
import http.client
import http.cookiejar
import json
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
if str(BASE_DIR) not in sys.path:
    sys.path.insert(0, str(BASE_DIR))

from tests.benchmark.plan import (  # noqa: E402 — the project's root must be importable first
    ERROR,
    HEALTHZ,
    MEASURED,
    NOT_ALLOWED,
    PAGES,
    PERSONAS,
    SKIPPED,
    Budgets,
    PageFigures,
    ThroughputFigures,
    admin_pages,
    build_plan,
    check_budgets,
    classify,
    percentile,
    persona_summaries,
    summarise,
)

ARTIFACTS = BASE_DIR / "test-artifacts"
DATABASE_NAME = "bithu_bench"
GUNICORN_CONF = BASE_DIR / "config" / "gunicorn.conf.py"

# The throughput run: one list and the first screen (a dashboard of counts), for the most numerous user.
THROUGHPUT_PERSONA = "commune officer (new)"
THROUGHPUT_PAGES = [("branch list", "/branches/", "list"), ("home", "/", "dashboard")]


def page_parameters(world: str) -> dict[str, str]:
    """Real ids for the placeholders of PAGES, per world; a placeholder with nothing to fill it is left out
    (its pages are "no data" for the world's personas).

    Old: a commune of Tiểu Cần (Hiếu Tử) and one of its former branches, the district itself, a person of
    Tiểu Cần who is a branch's secretary now, Tiểu Cần's latest seminar, Trà Vinh's latest and last decided
    campaigns. New: the commune bench.xa works for (it absorbed Hiếu Tử), one of its branches and current
    secretaries, today's Vĩnh Long's latest seminar and open campaign, Trà Vinh's last decided one (history
    that Vĩnh Long reads). Both: the 2025 framework, and the other objects (assessment, nomination,
    commendation, model) taken from what the world's narrowest persona sees, so that all of its personas may
    open them."""
    from django.contrib.auth import get_user_model

    from assessments.models import Assessment, Framework
    from awards.models import Campaign, Commendation, Nomination
    from branches.models import Branch, BranchAttachment, District
    from core.importing.engine import KINDS
    from secretaries.models import Person, Term
    from seminars.models import Initiative, Programme, Seminar

    User = get_user_model()
    district = District.objects.get(code="846")
    old_province = district.province
    framework_2025 = Framework.objects.filter(year=2025).order_by("province_id").first()
    old_campaigns = Campaign.objects.filter(province=old_province)
    decided = old_campaigns.filter(status=Campaign.Status.DECIDED).order_by("-year").first()
    if world == "old":
        narrowest = User.objects.get(username="bench.huyen")
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
        narrowest = User.objects.get(username="bench.xa")
        commune = narrowest.commune
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
    term = current.filter(person=person).first() if person else None

    def latest(model):
        return model.objects.visible_to(narrowest).order_by("-pk").first()

    found = {
        "province_code": province.code,
        "commune_code": commune.code,
        "commune_id": commune.pk,
        "framework_2025_id": framework_2025,
        "decided_campaign_id": decided,
        "open_campaign_id": open_campaign,
        "branch_id": branch,
        "person_id": person,
        "term_id": term,
        "seminar_id": seminars.order_by("-held_on", "-pk").first(),
        "assessment_id": latest(Assessment),
        "nomination_id": latest(Nomination),
        "commendation_id": latest(Commendation),
        "initiative_id": latest(Initiative),
        "programme_id": latest(Programme),
        "import_kind": next(iter(sorted(KINDS)), None),
    }
    parameters = dict(unit)
    for name, value in found.items():
        if value is not None:
            parameters[name] = str(getattr(value, "pk", value))
    return parameters


def registered_admin_models() -> list[tuple[str, str, str | None]]:
    """(app_label, model_name, pk of its first object or None) of every model in Django admin."""
    from django.contrib import admin

    models = []
    for model in admin.site._registry:
        # An unmanaged model has no table to take an object from (django-rq's queue dashboard).
        managed = model._meta.managed and not model._meta.proxy
        pk = model._default_manager.order_by("pk").values_list("pk", flat=True).first() if managed else None
        models.append((model._meta.app_label, model._meta.model_name, None if pk is None else str(pk)))
    return models


@dataclass
class Measurement:
    persona: str
    role: str
    page: str
    kind: str
    path: str | None
    outcome: str | None = None
    status: int | None = None
    bytes: int | None = None
    samples: int = 0
    median_ms: float | None = None
    p95_ms: float | None = None
    healthz_median_ms: float | None = None
    ratio_to_healthz: float | None = None
    # In-process (Django test client, same database): the fastest of --profile-runs renders.
    queries: int | None = None
    server_ms: float | None = None
    sql_ms: float | None = None
    template_ms: float | None = None
    notes: list[str] = field(default_factory=list)


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


#: the benchmark's own Redis database (cache and job queue): the jobs its exports start (no worker runs them)
#: never reach the queue `make run`'s worker serves, and it is emptied before each run
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")


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
        "REDIS_URL": REDIS_URL,
    }


def manage(environment: dict[str, str], *arguments: str) -> None:
    print(f"$ manage.py {' '.join(arguments)}", flush=True)
    started = time.monotonic()
    subprocess.run([sys.executable, "manage.py", *arguments], cwd=BASE_DIR, env=environment, check=True)
    print(f"  ({time.monotonic() - started:.1f} s)", flush=True)


def port_is_free(port: int) -> bool:
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def start_gunicorn(
    environment: dict[str, str], port: int, workers: int | None, threads: int | None, log_path: Path
) -> subprocess.Popen:
    """gunicorn as production runs it (config/gunicorn.conf.py), on loopback; --workers/--threads only
    when asked for (the config reads GUNICORN_WORKERS and GUNICORN_THREADS)."""
    environment = dict(environment)
    if workers:
        environment["GUNICORN_WORKERS"] = str(workers)
    if threads:
        environment["GUNICORN_THREADS"] = str(threads)
    log = open(log_path, "w")  # noqa: SIM115 — stays open for the life of the server
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "-c",
            str(GUNICORN_CONF),
            "--bind",
            f"127.0.0.1:{port}",
            # Its own control socket: the default path is shared by every gunicorn of the machine.
            "--control-socket",
            str(log_path.with_suffix(".ctl")),
            "config.wsgi",
        ],
        cwd=BASE_DIR,
        env=environment,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    # Each worker imports Django on its own (no preload, as in production): slow on two busy cores.
    deadline = time.monotonic() + 120
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
    raise RuntimeError(f"gunicorn did not answer {HEALTHZ} within 120 s; see {log_path}")


def gunicorn_shape(workers: int | None, threads: int | None) -> dict:
    """The workers and threads the server runs with: what config/gunicorn.conf.py makes of the
    environment (read from the file, so the report follows it)."""
    environment = dict(os.environ)
    if workers:
        environment["GUNICORN_WORKERS"] = str(workers)
    if threads:
        environment["GUNICORN_THREADS"] = str(threads)
    saved = dict(os.environ)
    os.environ.update(environment)
    try:
        namespace: dict = {}
        exec(compile(GUNICORN_CONF.read_text(), str(GUNICORN_CONF), "exec"), namespace)
    finally:
        os.environ.clear()
        os.environ.update(saved)
    return {
        key: namespace.get(key)
        for key in ("workers", "worker_class", "threads", "timeout", "max_requests", "max_requests_jitter")
    }


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
    """The login answers with a redirect: it is read, not followed."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


def _post(opener, url: str, form: dict) -> int:
    request = urllib.request.Request(url, data=urllib.parse.urlencode(form).encode(), method="POST")
    try:
        with opener.open(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def log_in(base: str, username: str, password: str) -> str:
    """A session as after a person's full login; returns its Cookie header."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect())
    with opener.open(f"{base}/accounts/login/", timeout=30) as response:
        response.read()
    csrf = next((cookie.value for cookie in jar if cookie.name == "csrftoken"), None)
    if not csrf:
        raise RuntimeError("The login page set no csrftoken cookie.")
    form = {"username": username, "password": password, "csrfmiddlewaretoken": csrf}
    status = _post(opener, f"{base}/accounts/login/", form)
    # Django answers a successful login with a redirect; a 200 is the form again, with an error.
    if status != 302 or not any(cookie.name == "sessionid" for cookie in jar):
        raise RuntimeError(f"Logging in as {username} failed (HTTP {status}); wrong --password?")
    _second_step(opener, jar, base, username)
    return "; ".join(f"{cookie.name}={cookie.value}" for cookie in jar)


def _second_step(opener, jar, base: str, username: str) -> None:
    """The code step, as a person types it from their phone. Administrators (Django admin included) and
    provincial staff must pass it before any page (accounts/mfa.py); the bench gives every account an
    authenticator (tests/login.py) so that the officers take the same step, as the in-process renders'
    login does."""
    from django.contrib.auth import get_user_model

    from tests.login import totp_code, totp_device

    user = get_user_model().objects.get(username=username)
    device = totp_device(user)
    csrf = next(cookie.value for cookie in jar if cookie.name == "csrftoken")
    # A code is good once (django-otp remembers the last step used): a second run within the same 30 s
    # gives the next step's code, which the device accepts too (its tolerance is one step).
    for offset in (0, 1):
        status = _post(
            opener,
            f"{base}/accounts/verify/",
            {"code": totp_code(device, offset), "csrfmiddlewaretoken": csrf},
        )
        if status == 302:
            return
        time.sleep(1.1)  # the device's throttle after a wrong code
    raise RuntimeError(f"The second step for {username} failed (HTTP {status}).")


class Session:
    """One keep-alive connection, as a browser tab: the person's cookies on every request."""

    def __init__(self, port: int, cookie: str = "", timeout: float = 120):
        self.port, self.cookie, self.timeout = port, cookie, timeout
        self.connection: http.client.HTTPConnection | None = None
        self.headers = {"Accept-Language": "vi", **({"Cookie": cookie} if cookie else {})}

    def get(self, path: str) -> tuple[int, int, float]:
        """(status, body size, seconds) of one GET, the body read to the end. An idle connection the server
        has closed is opened again once (the time of that request includes the new connection)."""
        for attempt in (1, 2):
            if self.connection is None:
                self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
            started = time.perf_counter()
            try:
                self.connection.request("GET", path, headers=self.headers)
                response = self.connection.getresponse()
                body = response.read()
            except (http.client.RemoteDisconnected, ConnectionError, http.client.BadStatusLine):
                self.close()
                if attempt == 2:
                    raise
                continue
            except BaseException:  # a timeout: the connection is in no state for another request
                self.close()
                raise
            elapsed = time.perf_counter() - started
            if response.will_close:
                self.close()
            return response.status, len(body), elapsed
        raise AssertionError("unreachable")

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None


def measure(session: Session, floor: Session, result: Measurement, args) -> None:
    """Ask once (the answer decides the outcome); for a 200, warm up, then page and healthz by turns."""
    try:
        status, size, _seconds = session.get(result.path)
    except OSError as error:
        result.outcome, result.notes = ERROR, [f"no answer: {error!r}"]
        return
    result.status, result.bytes, result.outcome = status, size, classify(status)
    if result.outcome != MEASURED:
        if result.outcome == ERROR:
            result.notes.append(f"HTTP {status}")
        return
    for _ in range(args.warmup - 1):  # the first request was one
        session.get(result.path)
    page_ms, healthz_ms, statuses = [], [], set()
    started = time.monotonic()
    for run in range(args.runs):
        status, size, seconds = session.get(result.path)
        statuses.add(status)
        page_ms.append(seconds * 1000)
        healthz_ms.append(floor.get(HEALTHZ)[2] * 1000)
        # Slow pages stop at --page-seconds once they have --min-runs samples: the run stays short.
        if run + 1 >= args.min_runs and time.monotonic() - started > args.page_seconds:
            break
    result.samples = len(page_ms)
    result.median_ms, result.p95_ms = summarise(page_ms).values()
    result.healthz_median_ms = statistics.median(healthz_ms)
    result.ratio_to_healthz = result.median_ms / result.healthz_median_ms
    if statuses != {200}:
        result.notes.append(f"HTTP statuses while timing: {sorted(statuses)}")
        if any(code >= 500 for code in statuses):
            result.outcome = ERROR


def throughput(port: int, cookie: str, path: str, connections: int, seconds: float) -> dict:
    """wrk-style: `connections` keep-alive connections, each asking again once answered, for `seconds`."""
    latencies: list[list[float]] = [[] for _ in range(connections)]
    errors = [0] * connections
    gate = threading.Barrier(connections + 1)
    window = {}

    def client(index: int) -> None:
        session = Session(port, cookie, timeout=60)
        gate.wait()
        while time.perf_counter() < window["end"]:
            try:
                status, _size, elapsed = session.get(path)
            except OSError:
                errors[index] += 1
                session.close()
                continue
            latencies[index].append(elapsed * 1000)
            if status != 200:
                errors[index] += 1
        session.close()

    workers = [threading.Thread(target=client, args=(index,)) for index in range(connections)]
    for worker in workers:
        worker.start()
    window["start"] = time.perf_counter()
    window["end"] = window["start"] + seconds
    gate.wait()
    for worker in workers:
        worker.join()
    elapsed = time.perf_counter() - window["start"]
    every = [value for own in latencies for value in own]
    return {
        "connections": connections,
        "seconds": round(elapsed, 1),
        "requests": len(every),
        "requests_per_s": len(every) / elapsed,
        "errors": sum(errors),
        "latency_ms": {
            name: round(percentile(every, fraction), 1)
            for name, fraction in (("p50", 0.5), ("p90", 0.9), ("p99", 0.99), ("max", 1.0))
        }
        if every
        else {},
    }


# In-process: queries, SQL time, template time.


class Probe:
    """Counts and times what one request spends in SQL and in templates. Templates render inside one
    another ({% include %}, crispy): only the outermost render is timed, and the SQL run while a template
    renders (a lazy queryset) is counted as SQL, not as template time."""

    def __init__(self):
        self.queries = 0
        self.sql = 0.0
        self.sql_in_templates = 0.0
        self.templates = 0.0
        self.depth = 0

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            elapsed = time.perf_counter() - started
            self.queries += 1
            self.sql += elapsed
            if self.depth:
                self.sql_in_templates += elapsed

    def template_ms(self) -> float:
        return (self.templates - self.sql_in_templates) * 1000


_probe: list[Probe | None] = [None]


def instrument_templates() -> None:
    from django.template.base import Template

    original = Template.render

    def render(self, context):
        probe = _probe[0]
        if probe is None:
            return original(self, context)
        probe.depth += 1
        started = time.perf_counter()
        try:
            return original(self, context)
        finally:
            probe.depth -= 1
            if probe.depth == 0:
                probe.templates += time.perf_counter() - started

    Template.render = render


def profile(results: list[Measurement], runs: int) -> None:
    """Render each measured page `runs` times with Django's test client; keep the fastest render's figures."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client

    from tests.login import login_verified

    instrument_templates()
    User = get_user_model()
    clients = {}
    for persona in PERSONAS:
        client = Client(HTTP_HOST="127.0.0.1", HTTP_ACCEPT_LANGUAGE="vi")
        login_verified(client, User.objects.get(username=persona.username))
        clients[persona.name] = client
    for result in results:
        if result.outcome != MEASURED:
            continue
        best = None
        for _ in range(runs):
            probe = Probe()
            _probe[0] = probe
            started = time.perf_counter()
            try:
                with connection.execute_wrapper(probe):
                    response = clients[result.persona].get(result.path)
                    if response.streaming:
                        b"".join(response.streaming_content)
                    response.close()
            except Exception as error:  # a broken page must not hide the others' figures
                result.notes.append(f"in-process render failed: {error!r}")
                break
            finally:
                _probe[0] = None
            total = time.perf_counter() - started
            if best is None or total < best[0]:
                best = (total, probe)
        if best is not None:
            total, probe = best
            result.server_ms = total * 1000
            result.queries = probe.queries
            result.sql_ms = probe.sql * 1000
            result.template_ms = probe.template_ms()


# Reporting.


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f}" if value >= 100 else f"{value:.1f}"


def table(results: list[Measurement], healthz: Measurement) -> str:
    header = ("persona", "page", "HTTP", "med ms", "p95 ms", "×hz", "q", "srv ms", "sql ms", "tpl ms")
    rows = [header]
    for r in [healthz, *results]:
        rows.append(
            (
                r.persona,
                r.page,
                str(r.status or "-"),
                _ms(r.median_ms),
                _ms(r.p95_ms),
                "-" if r.ratio_to_healthz is None else f"{r.ratio_to_healthz:.1f}",
                "-" if r.queries is None else str(r.queries),
                _ms(r.server_ms),
                _ms(r.sql_ms),
                _ms(r.template_ms),
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = []
    for index, row in enumerate(rows):
        cells = [
            cell.ljust(width) if column < 2 else cell.rjust(width)
            for column, (cell, width) in enumerate(zip(row, widths, strict=True))
        ]
        lines.append("  ".join(cells).rstrip())
        if index == 0:
            lines.append("  ".join("-" * width for width in widths))
    return "\n".join(lines)


def parse_arguments():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=10, help="timed requests per page at most (default 10)")
    parser.add_argument(
        "--min-runs", type=int, default=5, help="timed requests per page at least (default 5)"
    )
    parser.add_argument(
        "--page-seconds",
        type=float,
        default=2.0,
        help="stop timing a page after this long once it has --min-runs samples (default 2)",
    )
    parser.add_argument("--warmup", type=int, default=2, help="untimed requests first (default 2)")
    parser.add_argument(
        "--profile-runs",
        type=int,
        default=2,
        help="in-process renders per page, the fastest kept (default 2)",
    )
    parser.add_argument(
        "--throughput-seconds", type=float, default=60, help="per throughput page; 0 skips it (default 60)"
    )
    parser.add_argument("--connections", type=int, default=16, help="for the throughput run (default 16)")
    parser.add_argument(
        "--throughput-persona", default=THROUGHPUT_PERSONA, help=f"default: {THROUGHPUT_PERSONA}"
    )
    parser.add_argument(
        "--only", action="append", default=[], help="only pages whose name contains this (repeatable)"
    )
    parser.add_argument(
        "--persona", action="append", default=[], help="only personas whose name contains this (repeatable)"
    )
    parser.add_argument("--no-admin", action="store_true", help="leave out Django admin's pages")
    parser.add_argument(
        "--time-limit",
        type=float,
        default=0,
        help="seconds for the page timings; the pages not reached by then are reported as skipped",
    )
    parser.add_argument("--workers", type=int, help="gunicorn workers (default: config/gunicorn.conf.py's)")
    parser.add_argument("--threads", type=int, help="gunicorn threads per worker (default: the config's)")
    parser.add_argument("--port", type=int, default=8105, help="gunicorn's port, or the next if busy (8105)")
    parser.add_argument("--skip-setup", action="store_true", help="no migrate, seed_scale nor VACUUM ANALYZE")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a page errors or a budget fails")
    parser.add_argument("--password", default="bench-mat-khau", help="password of the benchmark accounts")
    parser.add_argument("--database-url", help=f"default: postgres on 127.0.0.1, database {DATABASE_NAME}")
    parser.add_argument("--json", type=Path, default=ARTIFACTS / "bench.json", help="where to write results")
    args = parser.parse_args()
    if not (1 <= args.min_runs <= args.runs <= 1000 and 1 <= args.warmup <= 100):
        parser.error("keep 1 ≤ --min-runs ≤ --runs ≤ 1000 and 1 ≤ --warmup ≤ 100")
    if not (1 <= args.connections <= 64 and 0 <= args.throughput_seconds <= 600):
        parser.error("keep --connections 1–64 and --throughput-seconds 0–600: this runs on one machine")
    return args


def main() -> int:
    args = parse_arguments()
    ARTIFACTS.mkdir(exist_ok=True)
    url = database_url(args.database_url)
    environment = production_environment(url)
    if not args.skip_setup:
        manage(environment, "migrate", "--noinput", "-v", "0")
        manage(environment, "seed_scale", "--password", args.password)
        analyze(url)
    manage(environment, "collectstatic", "--noinput", "-v", "0")
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()  # the jobs and cache of the previous run

    # The same settings in this process, for the plan's ids, the logins and the in-process renders.
    os.environ.update(environment)
    import django

    django.setup()
    from branches.models import Branch, Commune

    parameters = {world: page_parameters(world) for world in ("old", "new")}
    pages = list(PAGES) if args.no_admin else [*PAGES, *admin_pages(registered_admin_models())]
    plan = build_plan(PERSONAS, pages, parameters, only=args.only, persona_filter=args.persona)
    roles = {persona.name: persona.role for persona in PERSONAS}
    results = [
        Measurement(p.persona, roles[p.persona], p.page, p.kind, p.path, outcome=p.outcome) for p in plan
    ]
    # Page by page, each for every persona: the table compares personas side by side, and a run cut short
    # by --time-limit has covered every persona on the pages it reached (Django admin's come last).
    order = {entry.name: index for index, entry in enumerate(pages)}
    results.sort(key=lambda r: order[r.page])
    healthz = Measurement("anonymous", "", "healthz", "healthz", HEALTHZ)
    shape = gunicorn_shape(args.workers, args.threads)
    port = args.port if port_is_free(args.port) else args.port + 1
    to_ask = [r for r in results if r.path]
    print(
        f"{len(to_ask)} pages to ask ({len(results) - len(to_ask)} not allowed or without data); gunicorn "
        f"{shape['workers']} workers × {shape['threads']} threads on :{port}.",
        flush=True,
    )

    server = None
    throughputs = []
    started = time.monotonic()
    try:
        server = start_gunicorn(
            environment, port, args.workers, args.threads, ARTIFACTS / "bench-gunicorn.log"
        )
        cookies = {
            persona.name: log_in(f"http://127.0.0.1:{port}", persona.username, args.password)
            for persona in PERSONAS
            if any(r.persona == persona.name for r in to_ask) or persona.name == args.throughput_persona
        }
        floor = Session(port)
        # The floor alone first, for the table's first row.
        healthz_ms = [floor.get(HEALTHZ)[2] * 1000 for _ in range(args.warmup + 20)][args.warmup :]
        healthz.status, healthz.samples = 200, len(healthz_ms)
        healthz.median_ms, healthz.p95_ms = summarise(healthz_ms).values()
        sessions = {name: Session(port, cookie) for name, cookie in cookies.items()}
        pages_started = time.monotonic()
        for index, result in enumerate(to_ask, 1):
            if args.time_limit and time.monotonic() - pages_started > args.time_limit:
                for left in to_ask[index - 1 :]:
                    left.outcome = SKIPPED
                print(f"  --time-limit reached: {len(to_ask) - index + 1} pages skipped.", flush=True)
                break
            try:
                measure(sessions[result.persona], floor, result, args)
            except KeyboardInterrupt:  # Ctrl-C: report what was measured so far
                for left in to_ask[index - 1 :]:
                    left.outcome = SKIPPED
                print(f"  Interrupted: {len(to_ask) - index + 1} pages skipped.", flush=True)
                args.throughput_seconds = 0
                break
            print(
                f"  [{index}/{len(to_ask)}] {result.persona}: {result.path} → {result.outcome}"
                + (f" {result.median_ms:.1f} ms" if result.median_ms is not None else "")
                + (f" ({'; '.join(result.notes)})" if result.notes else ""),
                flush=True,
            )
        for session in [floor, *sessions.values()]:
            session.close()
        if args.throughput_seconds and args.throughput_persona in cookies:
            for name, path, kind in THROUGHPUT_PAGES:
                print(f"  throughput: {name} ({path}), {args.connections} connections…", flush=True)
                figures = throughput(
                    port, cookies[args.throughput_persona], path, args.connections, args.throughput_seconds
                )
                throughputs.append({"page": name, "path": path, "kind": kind, **figures})
    finally:
        stop(server)
    http_seconds = time.monotonic() - started

    print("In-process renders (Django test client)…", flush=True)
    profile(results, args.profile_runs)

    figures = [
        PageFigures(r.persona, r.page, r.role, r.median_ms, r.p95_ms, r.ratio_to_healthz, r.queries)
        for r in results
        if r.outcome == MEASURED
    ]
    budgets = Budgets()
    violations = check_budgets(
        figures,
        [
            ThroughputFigures(t["page"], t["kind"], t["requests_per_s"], t["errors"], t["latency_ms"])
            for t in throughputs
        ],
        budgets,
    )
    errors = [r for r in results if r.outcome == ERROR]

    print()
    print(
        f"{Branch.objects.count():,} branches in {Commune.objects.count():,} communes; up to {args.runs} "
        f"timed requests per page (at least {args.min_runs}, {args.page_seconds:g} s) after {args.warmup} "
        f"warm-up, each followed by /healthz; gunicorn {shape['workers']}×{shape['threads']} "
        f"({shape['worker_class']}); HTTP part {http_seconds:.0f} s."
    )
    print(table([r for r in results if r.outcome not in (NOT_ALLOWED, SKIPPED) and r.path], healthz))
    for persona in PERSONAS:
        skipped = [r for r in results if r.persona == persona.name and r.outcome != MEASURED]
        if not skipped:
            continue
        by_outcome: dict[str, list[str]] = {}
        for r in skipped:
            label = r.outcome + (f" ({r.status})" if r.status else "")
            by_outcome.setdefault(label, []).append(r.page)
        for label, names in sorted(by_outcome.items()):
            if label == SKIPPED:
                print(f"  {persona.name} — {SKIPPED}: {len(names)} pages")
                continue
            shown = ", ".join(n for n in names if not n.startswith("admin ")) or ""
            admin_count = sum(n.startswith("admin ") for n in names)
            extra = f"{', ' if shown else ''}{admin_count} admin pages" if admin_count else ""
            print(f"  {persona.name} — {label}: {shown}{extra}")
    for t in throughputs:
        latency = ", ".join(f"{k} {v} ms" for k, v in t["latency_ms"].items())
        print(
            f"Throughput {t['page']} ({args.throughput_persona}): {t['requests_per_s']:.1f} req/s over "
            f"{t['seconds']} s with {t['connections']} connections, {t['errors']} errors; {latency}."
        )
    summaries = persona_summaries(figures, budgets)
    for summary in summaries:
        print(f"  {summary}")
    print(
        f"\nBudgets: median ≤ {budgets.median_ms:g} ms, p95 ≤ {budgets.p95_ms:g} ms, officers' and staff's "
        f"pages ≤ {budgets.ratio_to_healthz:g}× healthz, ≤ {budgets.max_queries} queries, the list ≥ "
        f"{budgets.list_requests_per_s:g} req/s with no error."
    )
    for r in errors:
        print(f"! ERROR {r.persona} {r.path}: {'; '.join(r.notes)}")
    # One line per page: its failed budgets side by side.
    by_subject: dict[str, list[str]] = {}
    for violation in violations:
        by_subject.setdefault(violation.subject, []).append(
            str(violation).removeprefix(violation.subject + ": ")
        )
    for subject, failed in by_subject.items():
        print(f"! {subject}: {', '.join(failed)}")
    print(
        f"{len(errors)} pages with errors; "
        f"{sum(not s.startswith('throughput: ') for s in by_subject)} of {len(figures)} measured pages and "
        f"{sum(s.startswith('throughput: ') for s in by_subject)} of {len(throughputs)} throughput runs "
        f"over a budget, {len(violations)} violations in all."
    )

    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(
        json.dumps(
            {
                "when": datetime.now().astimezone().isoformat(timespec="seconds"),
                "database": url,
                "branches": Branch.objects.count(),
                "communes": Commune.objects.count(),
                "options": {k: str(v) if isinstance(v, Path) else v for k, v in vars(args).items()},
                "gunicorn": shape,
                "budgets": {
                    k: sorted(v) if isinstance(v, frozenset) else v for k, v in asdict(budgets).items()
                },
                "healthz": asdict(healthz),
                "results": [asdict(r) for r in results],
                "throughput": throughputs,
                "personas": [asdict(summary) for summary in summaries],
                "violations": [asdict(v) | {"text": str(v)} for v in violations],
                "errors": [f"{r.persona} {r.path}" for r in errors],
            },
            ensure_ascii=False,
            indent=2,
        )
    )
    print(
        f"Written to {args.json.relative_to(BASE_DIR) if args.json.is_relative_to(BASE_DIR) else args.json}."
    )
    return 1 if args.strict and (errors or violations) else 0


if __name__ == "__main__":
    sys.exit(main())
