"""Shared fixtures: the rulebook is loaded once into the test database.

Tests that need a live server run in transactions that are flushed afterwards, so they are moved
to the end of the run and load the rulebook themselves.
"""
from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from hypothesis import settings as hypothesis_settings

# CI runs the property tests on a fixed sequence of examples, so that a submission's result does not depend on the
# draw; a developer's run draws afresh each time and goes on finding new cases.
hypothesis_settings.register_profile("ci", derandomize=True)
if os.environ.get("CI"):
    hypothesis_settings.load_profile("ci")

DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).resolve().parents[1]

# Commands that tests start with a var/ directory of their own (OPENFTZ_VAR_DIR) find no key file there: they are
# given this run's secret key through the environment, as a deployment passes it (openftz/core/secret_key.py).
os.environ.setdefault("OPENFTZ_SECRET_KEY", django_settings.SECRET_KEY)


def pytest_collection_modifyitems(config, items):
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    from openftz.rulebook.services import rulebook_load

    with django_db_blocker.unblock():
        rulebook_load()


@pytest.fixture(scope="session")
def plans():
    """Both official plans, parsed (no database)."""
    from openftz.rulebook.services import parse_plans

    return {code: doc for code, (doc, _) in parse_plans().items()}


def pytest_terminal_summary(terminalreporter, config):
    figures = config.stash.get(FIGURES, None)
    if figures:
        terminalreporter.section("OpenFTZ figures")
        for line in figures:
            terminalreporter.write_line(line)


FIGURES = pytest.StashKey[list]()


@pytest.fixture
def report_figure(request):
    """Lines printed in the summary at the end of the run (e.g. the aligner's precision and recall)."""

    def add(line: str) -> None:
        request.config.stash.setdefault(FIGURES, []).append(line)

    return add


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Tests create many users; Django's production hasher is slow on purpose, the tests need not be."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# — real browser tests: Debian's chromium + chromedriver, skipped where they are not installed unless
#   OPENFTZ_REQUIRE_BROWSER=1 (as CI sets), then a missing browser fails the run.
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")


@pytest.fixture
def browser():
    """A headless Chromium driven by selenium, with a fresh profile."""
    if not (CHROMIUM and CHROMEDRIVER):
        if os.environ.get("OPENFTZ_REQUIRE_BROWSER") == "1":
            pytest.fail("chromium and chromedriver are required (apt-get install chromium chromium-driver)")
        pytest.skip("chromium/chromedriver not installed")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    profile = tempfile.mkdtemp(prefix="openftz-chromium-")
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                 "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 f"--user-data-dir={profile}", "--window-size=1280,1000", "--lang=zh-CN",
                 "--force-prefers-reduced-motion"):  # no smooth scrolling (Bootstrap's default) under a click
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.implicitly_wait(5)
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)




@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache (the database is rolled back between tests, the cache is not)."""
    from django.core.cache import cache

    cache.clear()


@contextlib.contextmanager
def scratch_database(kind: str, prefix: str):
    """For a test that starts its own processes: None for SQLite (each process uses its own var dir), or the URL of a
    new database on DATABASE_URL's server, dropped afterwards."""
    if kind == "sqlite":
        yield None
        return
    import psycopg
    from psycopg import sql

    server = os.environ["DATABASE_URL"]
    name = f"{prefix}_{os.getpid()}"
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield server.rsplit("/", 1)[0] + "/" + name
    finally:
        with psycopg.connect(server, autocommit=True) as admin:
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
