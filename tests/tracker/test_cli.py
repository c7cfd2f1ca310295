"""`openftz tracker …` commands."""
import json

import pytest
from typer.testing import CliRunner

from openftz.cli import app
from openftz.tracker.models import DemoMark, Report

runner = CliRunner()
pytestmark = pytest.mark.django_db


def test_tasks_json_contract(tasks):
    """--format json is one JSON document (an array); --format jsonl the same rows, one object a line."""
    result = runner.invoke(app, ["tracker", "tasks", "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    lines = runner.invoke(app, ["tracker", "tasks", "--format", "jsonl"])
    assert [json.loads(line) for line in lines.stdout.splitlines()] == rows
    assert len(rows) == 400
    sample = next(r for r in rows if r["measure"] == "SH-12" and r["lead"])
    assert {"measure", "unit", "lead", "status", "progress", "due"} <= set(sample)
    assert sample["status"] == "not_started" and sample["progress"] == 0
    assert all(r["due"] is None or len(r["due"]) == 10 for r in rows)


def test_sync_tick_and_demo(db):
    assert "400 created" in runner.invoke(app, ["tracker", "sync"]).stdout
    tick = runner.invoke(app, ["tracker", "tick"])
    assert tick.exit_code == 0 and "red" in tick.stdout
    demo = runner.invoke(app, ["tracker", "demo"])
    assert demo.exit_code == 0, demo.output
    assert "coordinator" in demo.stdout and "演示数据" in demo.stdout and DemoMark.objects.exists()
    assert Report.objects.exists()
    again = runner.invoke(app, ["tracker", "demo"])
    assert again.exit_code == 2 and "already holds data" in again.output
    assert runner.invoke(app, ["tracker", "demo", "--if-empty"]).exit_code == 0


def test_export_and_import_round_trip(tasks, tmp_path):
    path = tmp_path / "tracker.xlsx"
    assert runner.invoke(app, ["tracker", "export", str(path)]).exit_code == 0
    result = runner.invoke(app, ["tracker", "import", str(path)])
    assert result.exit_code == 0 and "imported: 0 task(s)" in result.stdout


def test_import_bad_file_exits_2(tasks, tmp_path):
    path = tmp_path / "bad.xlsx"
    path.write_bytes(b"garbage")
    result = runner.invoke(app, ["tracker", "import", str(path)])
    assert result.exit_code == 2 and "not a valid Excel workbook" in result.output
