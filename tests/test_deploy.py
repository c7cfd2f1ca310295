"""Fail-closed deployment and the production profile (docs/operations.md).

Every start-up here is a real process with an environment built from nothing, so that what a developer's shell or the
suite's own settings hold cannot leak in: DEBUG off unless asked, the secret key from the variable or the key file,
Django's deployment checks clean with two variables, and the profile that `make serve` runs — gunicorn with WhiteNoise
and the tasks worker — answering pages, the API and static files on SQLite and, when the suite runs on PostgreSQL
(DATABASE_URL), on a database of its own on that server.
"""
from __future__ import annotations

import contextlib
import gzip
import json
import os
import re
import signal
import socket
import stat
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import yaml
from django.test import override_settings
from django.urls import path

from openftz.core import secret_key
from tests.conftest import ROOT, scratch_database

SERVER_URL = os.environ.get("DATABASE_URL", "")
DATABASES = ["sqlite"] + (["postgresql"] if SERVER_URL else [])
GUNICORN = [sys.executable, "-m", "gunicorn", "--config", "python:openftz.gunicorn_conf"]


def new_key() -> str:
    return secret_key.generate()


def run(args: list[str], env: dict, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)


def settings_of(env: dict) -> dict:
    """The settings a process started with exactly ``env`` gets (or its error line)."""
    code = ("import json, django; from django.conf import settings as s; django.setup(); "
            "print(json.dumps({k: getattr(s, k, None) for k in ('DEBUG', 'SECRET_KEY', 'SECURE_SSL_REDIRECT', "
            "'SECURE_HSTS_SECONDS', 'SECURE_HSTS_INCLUDE_SUBDOMAINS', 'SECURE_PROXY_SSL_HEADER', "
            "'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', 'ALLOWED_HOSTS', 'MIDDLEWARE')}))")
    out = run(["-c", code], env | {"DJANGO_SETTINGS_MODULE": "openftz.settings"})
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# — item 1: DEBUG, the secret key, the deployment checks


def test_debug_is_off_unless_openftz_debug_is_1(tmp_path):
    env = {"OPENFTZ_VAR_DIR": str(tmp_path), "OPENFTZ_SECRET_KEY": new_key()}
    production = settings_of(env)
    assert production["DEBUG"] is False
    assert production["SECURE_SSL_REDIRECT"] and production["SECURE_HSTS_SECONDS"] >= 365 * 24 * 3600
    assert production["SECURE_HSTS_INCLUDE_SUBDOMAINS"]
    assert production["SESSION_COOKIE_SECURE"] and production["CSRF_COOKIE_SECURE"]
    assert production["ALLOWED_HOSTS"] == []  # in production only the names given
    assert "whitenoise.middleware.WhiteNoiseMiddleware" in production["MIDDLEWARE"]
    development = settings_of(env | {"OPENFTZ_DEBUG": "1"})
    assert development["DEBUG"] is True and not development["SECURE_SSL_REDIRECT"]
    assert not development["SESSION_COOKIE_SECURE"] and "testserver" in development["ALLOWED_HOSTS"]
    for name, value, message in (("OPENFTZ_DEBUG", "true", "OPENFTZ_DEBUG must be 0 or 1"),
                                 ("OPENFTZ_HSTS_SECONDS", "1y", "a whole number of seconds")):
        refused = run(["manage.py", "check"], env | {name: value})
        assert refused.returncode != 0 and message in refused.stderr and "Traceback" not in refused.stderr


def test_behind_a_tls_proxy_the_redirect_is_off_and_the_forwarded_scheme_is_trusted(tmp_path):
    env = {"OPENFTZ_VAR_DIR": str(tmp_path), "OPENFTZ_SECRET_KEY": new_key(), "OPENFTZ_BEHIND_TLS_PROXY": "1"}
    behind = settings_of(env)
    assert behind["SECURE_SSL_REDIRECT"] is False
    assert behind["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert behind["SESSION_COOKIE_SECURE"] and behind["SECURE_HSTS_SECONDS"] > 0


@pytest.mark.parametrize("entry", ["manage.py", "cli"])
def test_a_key_shorter_than_50_characters_is_refused_at_start_up(tmp_path, entry):
    args = ["manage.py", "check"] if entry == "manage.py" else ["-c", "from openftz.cli import main; main()",
                                                                 "rulebook", "search", "数据"]
    env = {"OPENFTZ_VAR_DIR": str(tmp_path), "OPENFTZ_DEBUG": "1"}
    out = run(args, env | {"OPENFTZ_SECRET_KEY": new_key()[:49]})
    assert out.returncode == (2 if entry == "cli" else 1)
    assert "Traceback" not in out.stderr
    assert "too weak" in out.stderr and "49 characters" in out.stderr and "at least 50" in out.stderr
    # fifty random characters are enough
    assert settings_of(env | {"OPENFTZ_SECRET_KEY": new_key()[:50]})["DEBUG"] is True


def test_a_short_key_file_is_refused_too(tmp_path):
    (tmp_path / "secret_key").write_text("openftz-local-development-key-not-for-production")  # 48 characters
    out = run(["manage.py", "check"], {"OPENFTZ_VAR_DIR": str(tmp_path)})
    assert out.returncode != 0 and "too weak" in out.stderr and "Traceback" not in out.stderr


def test_without_variable_or_key_file_nothing_starts_and_says_what_to_do(tmp_path):
    out = run(["manage.py", "check"], {"OPENFTZ_VAR_DIR": str(tmp_path)})
    assert out.returncode != 0 and "Traceback" not in out.stderr
    assert "OPENFTZ_SECRET_KEY" in out.stderr and "make setup" in out.stderr
    served = subprocess.run(GUNICORN, cwd=ROOT, env={"OPENFTZ_VAR_DIR": str(tmp_path), "PORT": str(free_port())},
                            capture_output=True, text=True, timeout=60)
    assert served.returncode != 0 and "no secret key" in served.stderr


def test_make_setup_writes_a_random_key_file_of_mode_0600_that_settings_read(tmp_path):
    var = tmp_path / "var"
    env = {"OPENFTZ_VAR_DIR": str(var)}
    made = run(["-m", "openftz.core.secret_key"], env)
    assert made.returncode == 0, made.stderr
    path = var / "secret_key"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    key = path.read_text().strip()
    assert re.fullmatch(r"[A-Za-z0-9_-]{64}", key) and len(set(key)) >= 20  # safe in a shell or an .env file
    assert run(["-m", "openftz.core.secret_key"], env).returncode == 0
    assert path.read_text().strip() == key  # written once, kept after
    assert settings_of(env)["SECRET_KEY"] == key
    other = tmp_path / "other"
    assert run(["-m", "openftz.core.secret_key"], {"OPENFTZ_VAR_DIR": str(other)}).returncode == 0
    assert (other / "secret_key").read_text() != path.read_text()  # a key of its own, not a constant
    # the variable wins over the file
    assert settings_of(env | {"OPENFTZ_SECRET_KEY": "v" * 25 + "w" * 25 + "xyz"})["SECRET_KEY"] != key


def test_processes_creating_the_key_file_at_once_end_with_one_whole_key(tmp_path):
    env = {"OPENFTZ_VAR_DIR": str(tmp_path)}
    procs = [subprocess.Popen([sys.executable, "-m", "openftz.core.secret_key"], cwd=ROOT, env=env,
                              stdout=subprocess.PIPE, text=True) for _ in range(6)]
    outs = [p.communicate(timeout=60)[0] for p in procs]
    assert all(p.returncode == 0 for p in procs)
    assert sum("wrote a new" in out for out in outs) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["secret_key"]  # no temporary file left behind
    assert len(secret_key.load(tmp_path, environ={})) == secret_key.GENERATED_LENGTH


def test_check_deploy_is_clean_with_only_the_key_and_the_allowed_hosts():
    env = {"OPENFTZ_SECRET_KEY": new_key(), "OPENFTZ_ALLOWED_HOSTS": "ftz.example.org"}
    out = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], env)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "no issues (0 silenced)" in out.stdout
    # behind a TLS proxy too (the redirect is the proxy's, and said so)
    behind = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], env | {"OPENFTZ_BEHIND_TLS_PROXY": "1"})
    assert behind.returncode == 0 and "no issues (1 silenced)" in behind.stdout
    # and it does fail on what is missing: no host names, DEBUG on, HSTS off
    for change, warning in (({"OPENFTZ_ALLOWED_HOSTS": ""}, "security.W020"), ({"OPENFTZ_DEBUG": "1"}, "security.W018"),
                            ({"OPENFTZ_HSTS_SECONDS": "0"}, "security.W004")):
        failed = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], env | change)
        assert failed.returncode != 0 and warning in failed.stderr


# — error pages: a 500 in production is a plain page, its traceback goes to the log


def _broken_view(request):
    raise RuntimeError("a secret detail of the failure")


urlpatterns = [path("broken", _broken_view)]


@pytest.mark.urls("tests.test_deploy")
def test_a_500_in_production_shows_no_traceback(client):
    client.raise_request_exception = False
    with override_settings(DEBUG=False):
        answer = client.get("/broken")
    assert answer.status_code == 500
    body = answer.content.decode()
    assert "Traceback" not in body and "secret detail" not in body and "RuntimeError" not in body


# — item 2: the production profile


def fetch(url: str, headers: dict | None = None) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=20) as answer:
            return answer.status, {k.lower(): v for k, v in answer.headers.items()}, answer.read()
    except urllib.error.HTTPError as exc:
        return exc.code, {k.lower(): v for k, v in exc.headers.items()}, exc.read()


@contextlib.contextmanager
def started(args: list[str], env: dict, log: Path):
    with open(log, "wb") as out:
        proc = subprocess.Popen(args, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            yield proc
        finally:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
                try:
                    proc.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, signal.SIGKILL)
                    proc.wait()


@pytest.mark.parametrize("kind", DATABASES)
def test_the_production_profile_serves_pages_the_api_and_static_files(tmp_path, kind):
    port = free_port()
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "OPENFTZ_VAR_DIR": str(tmp_path / "var"),
           "OPENFTZ_SECRET_KEY": new_key(), "OPENFTZ_ALLOWED_HOSTS": "127.0.0.1",
           "OPENFTZ_BEHIND_TLS_PROXY": "1",  # plain HTTP here, as behind a proxy that ends TLS
           "HOST": "127.0.0.1", "PORT": str(port), "WEB_CONCURRENCY": "2"}
    with scratch_database(kind, "openftz_serve") as url:
        if url:
            env["DATABASE_URL"] = url
        # what `make serve` runs before the server (make setup migrates; the deploy checks; collectstatic)
        for step in (["manage.py", "migrate", "--noinput"], ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
                     ["manage.py", "collectstatic", "--noinput", "--verbosity", "0"]):
            out = run(step, env, timeout=300)
            assert out.returncode == 0, out.stdout + out.stderr
        with started(GUNICORN, env, tmp_path / "web.log") as web, \
                started([sys.executable, "manage.py", "db_worker"], env, tmp_path / "worker.log") as worker:
            base = f"http://127.0.0.1:{port}"
            for _ in range(150):
                if web.poll() is not None:
                    pytest.fail("gunicorn stopped:\n" + (tmp_path / "web.log").read_text())
                with contextlib.suppress(OSError):
                    if fetch(base + "/healthz")[0] == 200:
                        break
                time.sleep(0.2)
            else:
                pytest.fail("gunicorn did not answer:\n" + (tmp_path / "web.log").read_text())

            status, headers, page = fetch(base + "/")
            assert status == 200 and b"<html" in page.lower()
            status, headers, api = fetch(base + "/api/openapi.json")
            assert status == 200 and json.loads(api)["openapi"].startswith("3.")
            status, headers, listed = fetch(base + "/api/rulebook/measures")
            assert status == 200, listed[:300]

            # a static file the page links to, from WhiteNoise: hashed name, cached for ever, gzip on request
            static = re.findall(r'/static/[^"\']+\.[0-9a-f]{12}\.(?:css|js)', page.decode())
            assert static, "the page links no hashed static file"
            status, headers, body = fetch(base + static[0], {"Accept-Encoding": "gzip"})
            assert status == 200 and "immutable" in headers["cache-control"]
            assert headers.get("content-encoding") == "gzip" and gzip.decompress(body)

            # HTTPS as the proxy reports it: HSTS is sent; not for plain HTTP
            assert "strict-transport-security" in fetch(base + "/healthz", {"X-Forwarded-Proto": "https"})[1]
            assert "strict-transport-security" not in fetch(base + "/healthz")[1]

            # errors: a plain page, no traceback, no settings
            status, _, body = fetch(base + "/no/such/page/")
            assert status == 404 and b"Traceback" not in body and b"DEBUG" not in body
            status, _, body = fetch(base + "/", {"Host": "evil.example"})
            assert status == 400 and b"Traceback" not in body and b"evil.example" not in body
            status, _, body = fetch(base + "/api/rulebook/measures/NOPE-1")
            assert status == 404 and b"Traceback" not in body

            assert worker.poll() is None, (tmp_path / "worker.log").read_text()
        log = (tmp_path / "web.log").read_text()
        assert "Booting worker" in log and "Invalid HTTP_HOST header" in log  # errors reach the server's log


def test_the_profile_refuses_to_start_with_debug_on(tmp_path):
    env = {"OPENFTZ_VAR_DIR": str(tmp_path), "OPENFTZ_SECRET_KEY": new_key(), "OPENFTZ_ALLOWED_HOSTS": "127.0.0.1",
           "OPENFTZ_DEBUG": "1", "PORT": str(free_port())}
    out = subprocess.run(GUNICORN, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert out.returncode != 0
    assert "refuses to serve insecurely" in out.stderr and "security.W018" in out.stderr
    assert "Booting worker" not in out.stderr


def test_workers_follow_the_core_count_unless_web_concurrency_says():
    code = ("import json, os; from openftz import gunicorn_conf as c; "
            "print(json.dumps([c.workers, c.bind, c.cores(), c.control_socket_disable]))")
    workers, bind, cores, no_socket = json.loads(run(["-c", code], {}).stdout)
    assert cores == len(os.sched_getaffinity(0)) and workers == 2 * cores + 1 and bind == "127.0.0.1:8000"
    assert no_socket  # two servers on one machine do not share gunicorn's per-user control socket
    workers, bind, *_ = json.loads(run(["-c", code], {"WEB_CONCURRENCY": "3", "HOST": "0.0.0.0", "PORT": "9000"}).stdout)
    assert (workers, bind) == (3, "0.0.0.0:9000")


def test_make_serve_and_the_container_image_run_the_same_commands():
    makefile = (ROOT / "Makefile").read_text()
    serve = makefile.split("\nserve:", 1)[1].split("\n\n", 1)[0]
    dockerfile = (ROOT / "Dockerfile").read_text()
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text())
    assert "--config python:openftz.gunicorn_conf" in serve and "db_worker" in serve
    assert "check --deploy --fail-level WARNING" in serve and "collectstatic --noinput" in serve
    assert re.search(r"^FROM python:3\.11-slim", dockerfile, re.M)
    assert '"--config", "python:openftz.gunicorn_conf"' in dockerfile and "collectstatic --noinput" in dockerfile
    assert "pip install --no-cache-dir -r requirements.txt" in dockerfile
    services = compose["services"]
    assert set(services) == {"postgres", "web", "worker"}
    image, tag = services["postgres"]["image"].split(":")
    assert image == "postgres" and re.fullmatch(r"\d+\.\d+(-\w+)?", tag)  # a pinned release, never "latest"
    assert "db_worker" in " ".join(services["worker"]["command"])
    # the web container prepares the database with the steps of `make setup`, then starts the same gunicorn
    web = services["web"]["command"][-1]
    setup = makefile.split("\nsetup:", 1)[1].split("\n\n", 1)[0]
    steps = [line.strip().removeprefix("$(BIN)/") for line in setup.splitlines()[1:] if "manage.py" in line or "openftz " in line]
    assert len(steps) >= 5 and all(step in web for step in steps)
    assert web.endswith("exec gunicorn --config python:openftz.gunicorn_conf")
    for name in ("web", "worker"):
        env = services[name]["environment"]
        assert env["DATABASE_URL"].startswith("postgres://")
        assert env["OPENFTZ_SECRET_KEY"].startswith("${OPENFTZ_SECRET_KEY:?")  # required, never a default
