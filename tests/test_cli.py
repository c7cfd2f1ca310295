"""The `openftz rulebook` commands, including what they do with bad input."""
import json
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from openftz.cli import app

from .conftest import DATA, ROOT

runner = CliRunner()


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "openftz.cli", *args], capture_output=True, text=True, cwd=ROOT, timeout=120)


def test_parse_prints_the_export_shape():
    result = runner.invoke(app, ["rulebook", "parse", str(DATA / "excerpt-forms.txt"), "--plan", "X"])
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert body["document"]["doc_number"] == "某府办发〔2025〕7号"
    first = body["measures"][0]
    assert first["id"] == "X-1" and first["lead_unit"] == "市商务委(市口岸办)" and first["chapter"] == "优化通关服务"


def test_parse_official_plan():
    result = runner.invoke(app, ["rulebook", "parse", str(ROOT / "data/plans/shanghai-implementation-plan-2024.txt")])
    body = json.loads(result.stdout)
    assert len(body["measures"]) == 117 and body["measures"][0]["id"] == "SH-1"


@pytest.mark.parametrize("content", [b"", b"\x00\x01\x02binary\xff", "一、总体\n1.措施".encode("gb18030"), "not a plan at all".encode()])
def test_parse_bad_input_exits_2_with_one_line(tmp_path, content):
    path = tmp_path / "input.txt"
    path.write_bytes(content)
    result = run_cli("rulebook", "parse", str(path))
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:"), result.stderr


def test_parse_missing_file_exits_2(tmp_path):
    result = run_cli("rulebook", "parse", str(tmp_path / "missing.txt"))
    assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1


@pytest.mark.django_db
def test_export_and_search():
    result = runner.invoke(app, ["rulebook", "export"])
    assert result.exit_code == 0, result.output
    measures = json.loads(result.stdout)["measures"]
    assert sum(m["plan"] == "SC" and m["number"] is not None for m in measures) == 80
    assert sum(m["plan"] == "SH" for m in measures) == 117
    assert all(m["implements"] for m in measures if m["plan"] == "SH")
    assert all(m["implemented_by"] for m in measures if m["plan"] == "SC")
    found = runner.invoke(app, ["rulebook", "search", "数据出境", "--json"])
    assert found.exit_code == 0
    assert any(json.loads(line)["id"] == "SH-5" for line in found.stdout.splitlines())
