"""What every ``openftz <app>`` command shares: Django set-up on demand, and bad input as one line + exit 2."""
from __future__ import annotations

import functools
import os

import typer

from .errors import OpenFTZError


def django_setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "openftz.settings")
    import django
    from django.core.exceptions import ImproperlyConfigured

    try:
        django.setup()
    except ImproperlyConfigured as exc:  # e.g. no secret key (openftz/settings.py): one line, not a traceback
        fail(f"OpenFTZ cannot start (无法启动): {exc}")


def fail(message: str) -> None:
    typer.echo(message, err=True)
    raise typer.Exit(2)


def clean_errors(fn):
    """Turn the errors a user can cause into one line on stderr and exit status 2."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except OpenFTZError as exc:
            fail(exc.one_line())

    return wrapper
