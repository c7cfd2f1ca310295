"""``openftz work``: what waits for a user across the services (the same items as /work/ and GET /api/work/)."""
from __future__ import annotations

import typer

from openftz.core.cli import check_format, clean_errors, django_setup, fail, format_option, write_json

app = typer.Typer(help="My work (我的工作): what waits for a user across the services.", no_args_is_help=True)


@app.command("list")
@clean_errors
def list_(user: str = typer.Option(..., "--user", help="the user name"),
          language: str = typer.Option("zh-hans", "--language", help="zh-hans or en: the language of the titles"),
          format: str = format_option()):
    """A user's work items, overdue first and then by deadline."""
    check_format(format, ("json", "jsonl"))
    if language not in ("zh-hans", "en"):
        fail(f"error: --language must be zh-hans or en, not {language!r} / 不支持的语言")
    django_setup()
    from django.utils import translation

    from . import selectors

    with translation.override(language):
        work = selectors.work(selectors.user_by_name(user))
        write_json((i.as_dict() for i in work.items), format)
