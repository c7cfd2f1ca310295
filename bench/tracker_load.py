"""Tracker load benchmark: dashboard, task page and public progress under 50 concurrent users on loopback.

It builds its own database in a temporary directory (rulebook, tasks, demo data) with 50 users of its own — 10 in
the coordinator's office, 40 unit officers, two for each of the 20 units with the most tasks — each signed in with a
session of its own, serves the project with gunicorn on 127.0.0.1 with DEBUG off, and drives 50 keep-alive clients
per scenario, one per user, for a fixed time: on the task pages each client asks for the tasks its user may see (all
of them for the coordinator's office, the unit's own for an officer). A warm-up first requests every page of the
scenario as each user, so that the figures are those of pages seen before; the first view of a page after a write
renders it, and is timed apart, one request at a time. The bare page (/healthz: no template, no database) is
measured in the same run as the baseline. Goals: p99 < 150 ms, and at least half the bare page's throughput.

Run: `make bench` (or `.venv/bin/python bench/tracker_load.py [--seconds 8] [--users 50]`).
"""
from __future__ import annotations

import argparse
import http.client
import json
import statistics
import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

from openftz.core import secret_key

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def run(*args: str, env: dict) -> None:
    subprocess.run(args, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


def prepare(env: dict) -> None:
    run(str(BIN / "python"), "manage.py", "migrate", "--noinput", env=env)
    run(str(BIN / "openftz"), "rulebook", "load", env=env)
    run(str(BIN / "openftz"), "tracker", "sync", env=env)
    run(str(BIN / "openftz"), "tracker", "demo", env=env)
    run(str(BIN / "python"), "manage.py", "collectstatic", "--noinput", "--verbosity", "0", env=env)  # DEBUG is off


def wait_until_up(port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection(HOST, port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("the server did not come up")


USERS_SCRIPT = """
import json
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.db.models import Count
from django.middleware.csrf import _get_new_csrf_string
from openftz.rulebook.models import Unit
from openftz.tracker.demo import _user
from openftz.tracker.models import Task

units = list(Unit.objects.annotate(n=Count("tasks")).order_by("-n", "name")[:20])
everything = list(Task.objects.order_by("pk").values_list("pk", flat=True)[:200])
people = [(_user(f"bench-coord-{i}", "coordinator"), everything) for i in range(10)]
for i, unit in enumerate(units * 2):
    own = list(Task.objects.filter(unit=unit).order_by("pk").values_list("pk", flat=True))
    people.append((_user(f"bench-officer-{i}", "unit_officer", unit=unit), own))
out = []
for user, tasks in people:
    session = SessionStore()
    session[SESSION_KEY], session[BACKEND_SESSION_KEY] = str(user.pk), settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    # a browser that has been here before sends its CSRF cookie back with every request
    out.append({"user": user.username, "cookie": f"sessionid={session.session_key}; csrftoken={_get_new_csrf_string()}", "tasks": tasks})
print(json.dumps(out))
"""


def sign_in_users(env: dict) -> list[dict]:
    """The bench's 50 users, each with a session of its own (made as a login would make it), a CSRF cookie as a
    browser keeps one, and the tasks it may see."""
    done = subprocess.run([str(BIN / "python"), "manage.py", "shell", "-c", USERS_SCRIPT], cwd=ROOT, env=env,
                          capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def load(port: int, clients: list[tuple[str, list[str]]], seconds: float) -> dict:
    """One keep-alive client per (cookie, paths) requests its paths in turn for ``seconds``; latencies in ms."""
    users = len(clients)
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds
    start = threading.Barrier(users + 1)

    def client(offset: int) -> None:
        cookie, paths = clients[offset]
        conn = http.client.HTTPConnection(HOST, port, timeout=30)
        mine, bad, i = [], 0, offset
        start.wait()
        while time.monotonic() < stop_at:
            path = paths[i % len(paths)]
            i += 1
            t0 = time.perf_counter()
            try:
                conn.request("GET", path, headers={"Cookie": cookie})
                response = conn.getresponse()
                response.read()
                ok = response.status == 200
            except OSError:
                ok = False
                conn.close()
                conn = http.client.HTTPConnection(HOST, port, timeout=30)
            mine.append((time.perf_counter() - t0) * 1000)
            bad += not ok
        conn.close()
        with lock:
            latencies.extend(mine)
            errors[0] += bad

    threads = [threading.Thread(target=client, args=(n,), daemon=True) for n in range(users)]
    for t in threads:
        t.start()
    t0 = time.monotonic()
    start.wait()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - t0
    latencies.sort()
    pick = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))] if latencies else float("nan")  # noqa: E731
    return {"requests": len(latencies), "errors": errors[0], "rps": len(latencies) / elapsed, "p50": pick(0.50), "p99": pick(0.99)}


def warm(port: int, clients: list[tuple[str, list[str]]], rounds: int = 4) -> None:
    """Every client's paths requested ``rounds`` times, each round over a new keep-alive connection: gunicorn keeps
    a connection with the worker that accepted it, and each worker caches pages of its own, so that over the rounds
    both workers see the pages and the figures are those of pages seen before: steady state."""

    def client(cookie: str, paths: list[str]) -> None:
        for _ in range(rounds):
            conn = http.client.HTTPConnection(HOST, port, timeout=30)
            for path in paths:
                conn.request("GET", path, headers={"Cookie": cookie})
                conn.getresponse().read()
            conn.close()

    threads = [threading.Thread(target=client, args=c, daemon=True) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def first_views(port: int, cookie: str, task_id: int, times: int = 5) -> dict[str, list[float]]:
    """After each of ``times`` real writes (a coordinator's progress report through the task page's one form), the first
    view of the dashboard and of the task page: each renders the page again. Latencies in ms, one request at a time."""
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    path = f"/tracker/tasks/{task_id}/"
    conn.request("GET", path, headers={"Cookie": cookie})
    page = conn.getresponse().read().decode()
    out: dict[str, list[float]] = {"dashboard": [], "task page": []}
    for n in range(times):
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        body = urlencode({"action": "report", "status": "drafting_rules", "progress": 10 + n, "narrative": "bench",
                          "csrfmiddlewaretoken": token})
        conn.request("POST", path, body=body, headers={"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"})
        response = conn.getresponse()
        response.read()
        if response.status != 302:
            raise SystemExit(f"the write was refused: {response.status}")
        for name, url in (("dashboard", "/tracker/dashboard/"), ("task page", path)):
            t0 = time.perf_counter()
            conn.request("GET", url, headers={"Cookie": cookie})
            response = conn.getresponse()
            body_read = response.read().decode()
            out[name].append((time.perf_counter() - t0) * 1000)
            page = body_read if url == path else page
    conn.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=8)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="openftz-bench-") as var:
        env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"} | {
            "OPENFTZ_VAR_DIR": var, "OPENFTZ_DEBUG": "0", "OPENFTZ_SECRET_KEY": secret_key.generate(),
            "OPENFTZ_ALLOWED_HOSTS": HOST, "OPENFTZ_BEHIND_TLS_PROXY": "1",  # plain HTTP on loopback, as behind a TLS proxy
            "DJANGO_SETTINGS_MODULE": "openftz.settings"}
        if os.environ.get("DATABASE_URL"):
            sys.exit("tracker_load builds its own SQLite database: unset DATABASE_URL")
        print("preparing a database with the rulebook, 400 tasks, the demo data and 50 signed-in users …", flush=True)
        prepare(env)
        users = sign_in_users(env)
        port = free_port()
        # 2 cores: 2 worker processes (one per core) × 8 threads, so that requests waiting on SQLite or the
        # network do not hold a core; more processes than cores only adds context switches.
        server = subprocess.Popen([str(BIN / "gunicorn"), "openftz.wsgi", "-b", f"{HOST}:{port}", "-w", str(args.workers), "-k", "gthread",
                                   "--threads", str(args.threads), "--log-level", "warning"], cwd=ROOT, env=env)
        try:
            wait_until_up(port)
            scenarios = [
                ("bare page /healthz (baseline)", [(u["cookie"], ["/healthz"]) for u in users]),
                ("dashboard /tracker/dashboard/", [(u["cookie"], ["/tracker/dashboard/"]) for u in users]),
                ("task page /tracker/tasks/<id>/", [(u["cookie"], [f"/tracker/tasks/{i}/" for i in u["tasks"]]) for u in users]),
                ("public progress /tracker/progress/", [(u["cookie"], ["/tracker/progress/"]) for u in users]),
            ]
            print(f"{len(users)} concurrent users (10 coordinator's office, 40 unit officers of 20 units), each its own session; "
                  f"{args.seconds:.0f} s per scenario, gunicorn {args.workers} × {args.threads} threads, SQLite WAL, DEBUG off")
            print(f"{'scenario':<38} {'requests':>8} {'errors':>6} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8}  vs bare")
            baseline = None
            for name, clients in scenarios:
                warm(port, clients)
                r = load(port, clients, args.seconds)
                baseline = baseline or r["rps"]
                ratio = r["rps"] / baseline
                verdict = "" if name.startswith("bare") else (
                    f"  p99 {'<' if r['p99'] < 150 else '≥'} 150 ms goal; throughput {ratio:.2f} × bare (goal ≥ 0.5)")
                print(f"{name:<38} {r['requests']:>8} {r['errors']:>6} {r['rps']:>8.0f} {r['p50']:>8.1f} {r['p99']:>8.1f}  {ratio:.2f}{verdict}")
            views = first_views(port, users[0]["cookie"], users[0]["tasks"][0])
            for name, times in views.items():
                print(f"first view of the {name} after a write: median {statistics.median(times):.1f} ms, "
                      f"max {max(times):.1f} ms ({len(times)} writes, one request at a time)")
        finally:
            server.terminate()
            server.wait(timeout=20)


if __name__ == "__main__":
    main()
