"""Two app nodes behind nginx share everything a user has: the session, and the uploaded files.

`deploy/cluster.py` (what `make cluster` runs) is started on a throw-away PostgreSQL database
(bithu_cluster_test) with a temporary media directory: two gunicorn nodes with production settings and
nginx in front. A user logs in through node 1 and goes on through node 2; a portrait uploaded through
one node is read through the other. Without nginx or PostgreSQL the module is skipped on a developer's
machine and fails under CI.
"""

import html.parser
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from http.cookies import SimpleCookie
from pathlib import Path

import pytest
from django.db import connection, connections

from tests.conftest import jpeg_bytes

# Not for the tests themselves (they reach the database only through the nodes): pytest-django sets up
# its migrated test database only for a session with such a test, and on PostgreSQL the cluster's
# database is a copy of it (seconds, where migrating from scratch takes half a minute).
pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent.parent
NGINX = "/usr/sbin/nginx"
DB_NAME = "bithu_cluster_test"
USERNAME = "huyendoan.cluster"
PASSWORD = "Cum-nut-hai-may-2026"
READY = "cluster ready"

# Made on the cluster's database with the production settings (and so their password hasher).
SEED = f"""
from tests.factories import BranchFactory, CommuneFactory, DistrictFactory, UserFactory, person_with_term
district = DistrictFactory(code="846", name="Huyện Tiểu Cần")
branch = BranchFactory(commune=CommuneFactory(code="29350", name="Xã Hiếu Tử", district=district))
person = person_with_term(branch=branch, full_name="Nguyễn Văn Hai Máy")
UserFactory(username="{USERNAME}", password="{PASSWORD}", role="district_officer", district=district)
print("person", person.pk)
"""


def _unavailable(reason: str):
    # Under CI a missing nginx or PostgreSQL is a broken pipeline, not a reason to pass quietly.
    if os.environ.get("CI"):
        pytest.fail(f"The two-node test cannot run under CI: {reason}", pytrace=False)
    pytest.skip(reason)


def _free_ports(count: int) -> list[int]:
    sockets = [socket.socket() for _ in range(count)]
    try:
        for s in sockets:
            s.bind(("127.0.0.1", 0))
        return [s.getsockname()[1] for s in sockets]
    finally:
        for s in sockets:
            s.close()


def _server_settings() -> dict:
    """The PostgreSQL server to use: the test database's when the suite runs on PostgreSQL."""
    if connection.vendor == "postgresql":
        current = connection.settings_dict
        return {k: current[k.upper()] or "" for k in ("host", "port", "user", "password")}
    return {"host": "127.0.0.1", "port": "5432", "user": "postgres", "password": ""}


def _admin_connection(server: dict):
    import psycopg2

    conn = psycopg2.connect(dbname="postgres", connect_timeout=3, **{k: v for k, v in server.items() if v})
    conn.autocommit = True
    return conn


def _create_database(server: dict) -> bool:
    """Creates DB_NAME, as a copy of the migrated test database when there is one; True if migrated."""
    admin = _admin_connection(server)
    try:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
            if connection.vendor == "postgresql":
                # Migrating from scratch takes ~25 s; the suite's test database is migrated already.
                template = connection.settings_dict["NAME"]
                connections.close_all()
                try:
                    cursor.execute(f'CREATE DATABASE "{DB_NAME}" TEMPLATE "{template}"')
                    return True
                except Exception:  # someone else is connected to it: migrate instead
                    pass
            cursor.execute(f'CREATE DATABASE "{DB_NAME}"')
            return False
    finally:
        admin.close()


def _drop_database(server: dict) -> None:
    admin = _admin_connection(server)
    try:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
    finally:
        admin.close()


def _database_url(server: dict) -> str:
    user = urllib.parse.quote(server["user"] or "postgres")
    password = ":" + urllib.parse.quote(server["password"]) if server["password"] else ""
    return f"postgres://{user}{password}@{server['host'] or '127.0.0.1'}:{server['port'] or 5432}/{DB_NAME}"


@pytest.fixture(scope="module")
def cluster(django_db_setup, django_db_blocker, tmp_path_factory):
    if not Path(NGINX).exists():
        _unavailable("nginx is not installed: apt-get install nginx")
    server = _server_settings()
    with django_db_blocker.unblock():
        try:
            _admin_connection(server).close()
        except Exception as error:
            _unavailable(f"no PostgreSQL on {server['host']}:{server['port']} ({error})")
        migrated = _create_database(server)
    try:
        yield from _run_cluster(server, migrated, tmp_path_factory.mktemp("cluster"))
    finally:
        _drop_database(server)


def _run_cluster(server: dict, migrated: bool, folder: Path):
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "SECRET_KEY"))}
    environment.update(
        DATABASE_URL=_database_url(server),
        MEDIA_ROOT=str(folder / "media"),
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY="cluster-test-" + uuid.uuid4().hex * 2,
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="false",
        SESSION_COOKIE_SECURE="false",
        CSRF_COOKIE_SECURE="false",
    )
    if not migrated:
        subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=environment, check=True)
    port, node1, node2 = _free_ports(3)
    command = [sys.executable, "deploy/cluster.py", "--port", str(port), "--node-ports", f"{node1},{node2}"]
    command += ["--workers", "1", "--threads", "2", "--no-worker", "--no-migrate", "--state-dir", str(folder)]
    process = subprocess.Popen(
        command, cwd=ROOT, env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    output: list[str] = []
    ready = threading.Event()

    def read():
        for line in process.stdout:
            output.append(line)
            if READY in line:
                ready.set()

    threading.Thread(target=read, daemon=True).start()
    try:
        # The data, while the nodes start.
        seeded = subprocess.run(
            [sys.executable, "manage.py", "shell", "-c", SEED],
            cwd=ROOT,
            env=environment,
            capture_output=True,
            text=True,
        )
        assert seeded.returncode == 0, seeded.stderr
        person = int(seeded.stdout.split("person")[-1])
        started = time.monotonic()
        while not ready.wait(0.2):
            assert process.poll() is None, "deploy/cluster.py stopped:\n" + "".join(output[-40:])
            assert time.monotonic() - started < 90, "no cluster after 90 s:\n" + "".join(output[-40:])
        yield {
            "nginx": f"http://127.0.0.1:{port}",
            "node1": f"http://127.0.0.1:{node1}",
            "node2": f"http://127.0.0.1:{node2}",
            "nodes": {f"127.0.0.1:{node1}", f"127.0.0.1:{node2}"},
            "person": person,
            "media": folder / "media",
        }
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=45)
        except subprocess.TimeoutExpired:
            process.kill()
            raise
    assert "all stopped" in "".join(output[-5:])


class Browser:
    """A few requests with one cookie jar, sent to whichever node the test names; redirects not followed."""

    def __init__(self):
        self.cookies: dict[str, str] = {}
        self.opener = urllib.request.build_opener(_NoRedirect)

    def request(self, url, data=None, headers=None):
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        request = urllib.request.Request(url, data=data, headers=headers)
        try:
            response = self.opener.open(request, timeout=30)
        except urllib.error.HTTPError as error:
            response = error
        with response:
            body = response.read()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return response.status, response.headers, body

    def post_form(self, url, fields, files=None):
        boundary = uuid.uuid4().hex
        parts = []
        for name, value in fields:
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
            )
        for name, (filename, content, content_type) in (files or {}).items():
            head = (
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                f"Content-Type: {content_type}\r\n\r\n"
            )
            parts.append(head.encode() + content + b"\r\n")
        parts.append(f"--{boundary}--\r\n".encode())
        headers = {"Content-Type": f"multipart/form-data; boundary={boundary}"}
        return self.request(url, data=b"".join(parts), headers=headers)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class _FormFields(html.parser.HTMLParser):
    """The fields of the page's form whose action is `action` (or its one multipart form), as a browser
    would send them: inputs (checked boxes only), selected options, text areas; no file inputs."""

    def __init__(self, multipart_only=False):
        super().__init__()
        self.multipart_only = multipart_only
        self.inside = False
        self.fields: list[tuple[str, str]] = []
        self.select = None
        self.textarea = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.inside = not self.multipart_only or a.get("enctype") == "multipart/form-data"
        elif not self.inside or (not a.get("name") and tag != "option"):
            return
        elif tag == "input" and a.get("type") not in {"file", "submit", "button"}:
            if a.get("type") in {"checkbox", "radio"} and "checked" not in a:
                return
            self.fields.append((a["name"], a.get("value") or ("on" if a.get("type") == "checkbox" else "")))
        elif tag == "select":
            self.select = a["name"]
        elif tag == "option" and self.select and "selected" in a:
            self.fields.append((self.select, a.get("value", "")))
        elif tag == "textarea":
            self.textarea = a["name"]
            self.fields.append((a["name"], ""))

    def handle_data(self, data):
        if self.textarea:
            self.fields[-1] = (self.textarea, self.fields[-1][1] + data)

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None


def form_fields(body: bytes, multipart_only=False) -> list[tuple[str, str]]:
    parser = _FormFields(multipart_only)
    parser.feed(body.decode())
    return parser.fields


def log_in(browser: Browser, base: str) -> None:
    status, _, body = browser.request(f"{base}/accounts/login/")
    assert status == 200
    token = dict(form_fields(body))["csrfmiddlewaretoken"]
    fields = [("csrfmiddlewaretoken", token), ("username", USERNAME), ("password", PASSWORD)]
    status, headers, _ = browser.post_form(f"{base}/accounts/login/", fields)
    assert status == 302, "the login was refused"
    assert headers["Location"] == "/"


def test_a_session_begun_on_one_node_goes_on_on_the_other(cluster):
    browser = Browser()
    log_in(browser, cluster["node1"])
    # The same cookie, the other node: the session is in the database, signed with the shared key.
    status, _, body = browser.request(f"{cluster['node2']}/")
    assert status == 200
    assert "Huyện Tiểu Cần" in body.decode()
    status, _, _ = browser.request(f"{cluster['node2']}/secretaries/{cluster['person']}/")
    assert status == 200
    # Logging out on node 2 ends the session for node 1 too.
    status, _, body = browser.request(f"{cluster['node2']}/")
    token = browser.cookies["csrftoken"]
    status, _, _ = browser.post_form(f"{cluster['node2']}/accounts/logout/", [("csrfmiddlewaretoken", token)])
    assert status == 302
    status, headers, _ = browser.request(f"{cluster['node1']}/")
    assert status == 302 and headers["Location"].startswith("/accounts/login/")


def test_a_portrait_uploaded_through_one_node_is_served_by_the_other(cluster):
    browser = Browser()
    log_in(browser, cluster["node2"])
    edit = f"{cluster['node2']}/secretaries/{cluster['person']}/edit/"
    status, _, body = browser.request(edit)
    assert status == 200
    photo = jpeg_bytes(size=(300, 400), color=(10, 120, 200))
    status, headers, body = browser.post_form(
        edit,
        form_fields(body, multipart_only=True),
        files={"portrait": ("chan-dung.jpg", photo, "image/jpeg")},
    )
    assert status == 302, body.decode()[:2000]

    # Node 1 finds the file that node 2 stored (the shared MEDIA_ROOT), through the scoped view only.
    status, headers, portrait = browser.request(
        f"{cluster['node1']}/secretaries/{cluster['person']}/portrait/"
    )
    assert status == 200
    assert headers["Content-Type"] == "image/jpeg"
    assert headers["Cache-Control"] == "private, no-store"
    assert portrait.startswith(b"\xff\xd8")
    stored = list((cluster["media"] / "portraits").iterdir())
    assert portrait in [path.read_bytes() for path in stored]
    status, _, thumbnail = browser.request(
        f"{cluster['node1']}/secretaries/{cluster['person']}/portrait/thumbnail/"
    )
    assert status == 200 and thumbnail.startswith(b"\xff\xd8")
    # Through nginx too, whichever node answers; and never to someone who is not logged in.
    status, _, again = browser.request(f"{cluster['nginx']}/secretaries/{cluster['person']}/portrait/")
    assert status == 200 and again == portrait
    status, _, _ = Browser().request(f"{cluster['node1']}/secretaries/{cluster['person']}/portrait/")
    assert status == 302


def test_nginx_sends_requests_to_both_nodes_and_whitenoise_serves_the_static_files(cluster):
    browser = Browser()
    answered = set()
    for _ in range(6):
        status, headers, body = browser.request(f"{cluster['nginx']}/healthz")
        assert status == 200 and body == b"ok"
        answered.add(headers["X-Bithu-Node"])
    assert answered == cluster["nodes"]

    status, _, body = browser.request(f"{cluster['nginx']}/accounts/login/")
    assert status == 200
    stylesheet = next(
        part.split('"')[0]
        for part in body.decode().split('href="')[1:]
        if part.split('"')[0].endswith(".css")
    )
    # The collected file under its hashed name, cached for ever (whitenoise), the same from both nodes.
    assert stylesheet.startswith("/static/")
    served = [browser.request(f"{node}{stylesheet}") for node in (cluster["node1"], cluster["node2"])]
    assert [s[0] for s in served] == [200, 200]
    assert served[0][2] == served[1][2]
    assert "immutable" in served[0][1]["Cache-Control"]
