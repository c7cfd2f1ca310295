"""Every command that lists rows prints one JSON document with ``--format json`` and one object a line with ``jsonl``."""
import io
import json

import pytest
from typer.testing import CliRunner

from openftz.cli import app
from openftz.core.cli import write_json

runner = CliRunner()

LISTS = [
    ["tracker", "tasks"],
    ["tracker", "reports"],
    ["tracker", "risks"],
    ["tracker", "feedback"],
    ["rulebook", "search", "数据出境"],
    ["procurement", "procedures", "list"],
    ["dataexport", "approvals"],
    ["dataexport", "reminders"],
    ["dataexport", "notices"],
]


@pytest.mark.django_db
@pytest.mark.parametrize("command", LISTS, ids=" ".join)
def test_json_is_one_document_and_jsonl_a_line_each(command):
    as_json = runner.invoke(app, [*command, "--format", "json"])
    assert as_json.exit_code == 0, as_json.output
    document = json.loads(as_json.stdout)
    assert isinstance(document, list)
    as_lines = runner.invoke(app, [*command, "--format", "jsonl"])
    assert as_lines.exit_code == 0, as_lines.output
    assert [json.loads(line) for line in as_lines.stdout.splitlines()] == document


@pytest.mark.django_db
def test_a_format_a_command_does_not_print_is_one_line_and_exit_2():
    result = runner.invoke(app, ["tracker", "reports", "--format", "xml"])
    assert result.exit_code == 2
    result = runner.invoke(app, ["procurement", "procedures", "list", "--format", "xml"])
    assert result.exit_code == 2 and len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("rows", [[], [{"a": 1}], [{"a": "数据"}, {"b": [1, 2]}, None]])
def test_write_json_streams_either_shape(rows):
    out = io.StringIO()
    assert write_json(iter(rows), "json", out) == len(rows)
    assert json.loads(out.getvalue()) == rows
    out = io.StringIO()
    write_json(iter(rows), "jsonl", out)
    assert [json.loads(line) for line in out.getvalue().splitlines()] == rows
