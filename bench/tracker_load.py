"""Tracker load benchmark: dashboard, task page and public progress under 50 concurrent users on loopback.

It builds its own database in a temporary directory (rulebook, tasks, demo data), serves the project with
gunicorn on 127.0.0.1 with DEBUG off, logs the coordinator in once, and drives 50 keep-alive clients per
scenario for a fixed time, after a warm-up that requests every page of the scenario over ten connections (so the
figures are those of pages seen before; the first view of a page after a change renders it, and is timed apart).
The bare page (/healthz: no template, no database) is measured in the same run as the baseline. Goals: p99 < 150 ms,
and at least half the bare page's throughput.

Run: `make bench` (or `.venv/bin/python bench/tracker_load.py [--seconds 8] [--users 50]`).
"""
from __future__ import annotations

import argparse
import http.client
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


def login(port: int) -> str:
    """The coordinator's cookie header (session + CSRF), from a real login through the login form."""
    conn = http.client.HTTPConnection(HOST, port, timeout=10)
    conn.request("GET", "/tracker/login/")
    response = conn.getresponse()
    page = response.read().decode()
    csrf = re.search(r"csrftoken=([^;]+)", response.getheader("Set-Cookie", "")).group(1)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    body = urlencode({"username": "coordinator", "password": "openftz-demo", "csrfmiddlewaretoken": token, "next": "/tracker/"})
    conn.request("POST", "/tracker/login/", body=body, headers={
        "Content-Type": "application/x-www-form-urlencoded", "Cookie": f"csrftoken={csrf}", "Referer": f"http://{HOST}:{port}/tracker/login/"})
    response = conn.getresponse()
    response.read()
    session = re.search(r"sessionid=([^;]+)", response.getheader("Set-Cookie", "") or "")
    if response.status != 302 or not session:
        raise SystemExit(f"login failed: {response.status}")
    return f"csrftoken={csrf}; sessionid={session.group(1)}"


def load(port: int, paths: list[str], cookie: str, users: int, seconds: float) -> dict:
    """``users`` keep-alive clients request ``paths`` in turn for ``seconds``; latencies in ms."""
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds
    start = threading.Barrier(users + 1)

    def client(offset: int) -> None:
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


def warm(port: int, paths: list[str], cookie: str, connections: int = 10, rounds: int = 4) -> None:
    """Every path requested ``rounds`` times over each of ``connections`` keep-alive connections (which the two
    workers share between them), so that the figures are those of pages seen before: steady state."""

    def client() -> None:
        conn = http.client.HTTPConnection(HOST, port, timeout=30)
        for _ in range(rounds):
            for path in paths:
                conn.request("GET", path, headers={"Cookie": cookie})
                conn.getresponse().read()
        conn.close()

    threads = [threading.Thread(target=client, daemon=True) for _ in range(connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=8.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="openftz-bench-") as var:
        env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"} | {
            "OPENFTZ_VAR_DIR": var, "OPENFTZ_DEBUG": "0", "OPENFTZ_SECRET_KEY": "bench-" + os.urandom(16).hex(),
            "DJANGO_SETTINGS_MODULE": "openftz.settings"}
        if os.environ.get("DATABASE_URL"):
            sys.exit("tracker_load builds its own SQLite database: unset DATABASE_URL")
        print("preparing a database with the rulebook, 400 tasks and the demo data …", flush=True)
        prepare(env)
        port = free_port()
        # 2 cores: 2 worker processes (one per core) × 8 threads, so that requests waiting on SQLite or the
        # network do not hold a core; more processes than cores only adds context switches.
        server = subprocess.Popen([str(BIN / "gunicorn"), "openftz.wsgi", "-b", f"{HOST}:{port}", "-w", "2", "-k", "gthread",
                                   "--threads", "8", "--log-level", "warning"], cwd=ROOT, env=env)
        try:
            wait_until_up(port)
            cookie = login(port)
            from_db = subprocess.run([str(BIN / "openftz"), "tracker", "tasks", "--format", "json"], cwd=ROOT, env=env,
                                     capture_output=True, text=True, check=True).stdout.splitlines()
            task_ids = [re.search(r'"id": (\d+)', line).group(1) for line in from_db][:200]
            scenarios = [
                ("bare page /healthz (baseline)", ["/healthz"]),
                ("dashboard /tracker/dashboard/", ["/tracker/dashboard/"]),
                ("task page /tracker/tasks/<id>/", [f"/tracker/tasks/{i}/" for i in task_ids]),
                ("public progress /tracker/progress/", ["/tracker/progress/"]),
            ]
            print(f"{args.users} concurrent users, {args.seconds:.0f} s per scenario, gunicorn 2 × 8 threads, SQLite WAL, DEBUG off")
            print(f"{'scenario':<38} {'requests':>8} {'errors':>6} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8}  vs bare")
            baseline = None
            for name, paths in scenarios:
                warm(port, paths, cookie)
                r = load(port, paths, cookie, args.users, args.seconds)
                baseline = baseline or r["rps"]
                ratio = r["rps"] / baseline
                verdict = "" if name.startswith("bare") else (
                    f"  p99 {'<' if r['p99'] < 150 else '≥'} 150 ms goal; throughput {ratio:.2f} × bare (goal ≥ 0.5)")
                print(f"{name:<38} {r['requests']:>8} {r['errors']:>6} {r['rps']:>8.0f} {r['p50']:>8.1f} {r['p99']:>8.1f}  {ratio:.2f}{verdict}")
        finally:
            server.terminate()
            server.wait(timeout=20)


if __name__ == "__main__":
    main()
