"""Shared fixtures: the rulebook is loaded once into the test database.

Tests that need a live server run in transactions that are flushed afterwards, so they are moved
to the end of the run and load the rulebook themselves.
"""
from __future__ import annotations

from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).resolve().parents[1]


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
