"""``openftz procurement check``: formats, bad lines in place, exit status 2 only when nothing could be read."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data" / "procurement"
SHORT = {"ocid": "ocds-t-1", "id": "1", "date": "2025-03-01T00:00:00+08:00", "tag": ["tender"],
         "tender": {"id": "t", "procurementMethod": "open", "tenderPeriod": {"startDate": "2025-03-01", "endDate": "2025-03-15"}}}


def run(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "openftz.cli", "procurement", *args], capture_output=True, cwd=ROOT, timeout=300, input=stdin)


def jsonl(tmp_path: Path, lines: list) -> Path:
    path = tmp_path / "in.jsonl"
    path.write_bytes(b"".join((x if isinstance(x, bytes) else json.dumps(x, ensure_ascii=False).encode()) + b"\n" for x in lines))
    return path


def test_one_line_per_release_with_bad_lines_in_place(tmp_path):
    path = jsonl(tmp_path, [SHORT, b"{not json", b"[1, 2]", {"tender": {}}, b"", {"version": "1.1", "releases": [SHORT, {**SHORT, "ocid": "ocds-t-2"}]},
                            b"\xff\xfe garbage"])
    result = run("check", str(path), "--on", "2025-06-01")
    assert result.returncode == 0, result.stderr
    out = [json.loads(line) for line in result.stdout.decode().splitlines()]
    assert [r["line"] for r in out] == [1, 2, 3, 3, 4, 6, 6, 7]
    assert out[0]["ocid"] == "ocds-t-1"
    assert [f["rule"] for f in out[0]["findings"]] == ["PROC-TENDER-PERIOD"]
    finding = out[0]["findings"][0]
    assert finding["severity"] == "violation" and finding["cites"] == ["SH-75", "SC-51"] and finding["path"] == "tender.tenderPeriod.endDate"
    assert finding["message_zh"] and finding["message_en"]
    assert out[1]["error"]["code"] == "invalid_json"
    assert out[2]["error"]["code"] == "not_an_object" and out[3]["error"]["code"] == "not_an_object"  # an array of two non-releases
    assert out[4]["error"]["code"] == "no_ocid"
    assert [r["ocid"] for r in out[5:7]] == ["ocds-t-1", "ocds-t-2"]
    assert out[7]["error"]["code"] in ("invalid_json", "not_utf8")
    assert result.stderr == b""


@pytest.mark.parametrize("content", [b"", b"\n\n", b"not json at all\n", b"[1]\n\"x\"\n", b"\x00\x01\xff"])
def test_nothing_readable_exits_2_with_one_line(tmp_path, content):
    path = tmp_path / "in.jsonl"
    path.write_bytes(content)
    result = run("check", str(path))
    assert result.returncode == 2
    assert len(result.stderr.decode().strip().splitlines()) == 1 and b"Traceback" not in result.stderr


def test_bad_options_exit_2(tmp_path):
    path = jsonl(tmp_path, [SHORT])
    for args in (["--format", "pdf"], ["--format", "xlsx"], ["--on", "tomorrow"], ["--on", "2020-01-01"]):
        result = run("check", str(path), *args)
        assert result.returncode == 2, args
        assert len(result.stderr.decode().strip().splitlines()) == 1 and b"Traceback" not in result.stderr
    assert run("check", str(tmp_path / "missing.jsonl")).returncode == 2
    for fmt, name in (("xlsx", "report.xlsx"), ("jsonl", "out.jsonl")):
        unwritable = run("check", str(path), "--format", fmt, "--output", str(tmp_path / "no-such-dir" / name))
        assert unwritable.returncode == 2 and b"cannot write" in unwritable.stderr and b"Traceback" not in unwritable.stderr


def test_a_pretty_printed_package_is_one_document():
    result = run("check", str(DATA / "uganda/sample/releases/ocds-rdvc92-1508162377-97080.json"))
    (only,) = [json.loads(line) for line in result.stdout.decode().splitlines()]
    assert only["line"] == 1 and only["ocid"] == "ocds-rdvc92-1508162377"
    assert {f["rule"] for f in only["findings"]} == {"PROC-METHOD-GROUND", "PROC-BILINGUAL"}


def test_two_workers_keep_the_order_of_one(tmp_path):
    docs = [json.loads(p.read_bytes()) for p in sorted(DATA.rglob("*.json")) if p.relative_to(DATA).parts[0] != "real"]
    path = jsonl(tmp_path, docs * 3)
    one = run("check", str(path), "--workers", "1", "--on", "2025-01-01")
    two = run("check", str(path), "--workers", "2", "--on", "2025-01-01")
    assert one.returncode == two.returncode == 0
    assert one.stdout == two.stdout
    assert len(one.stdout.splitlines()) == 3 * 239


def test_table_and_standard_input():
    result = run("check", "-", "--format", "table", "--lang", "en", stdin=json.dumps(SHORT).encode())
    rows = result.stdout.decode().splitlines()
    assert rows[0].split("\t") == ["line", "ocid", "rule", "severity", "cites", "path", "message"]
    assert rows[1].split("\t")[:5] == ["1", "ocds-t-1", "PROC-TENDER-PERIOD", "violation", "SH-75,SC-51"]


def test_xlsx(tmp_path):
    path = jsonl(tmp_path, [SHORT, b"oops"])
    out = tmp_path / "report.xlsx"
    result = run("check", str(path), "--format", "xlsx", "--output", str(out))
    assert result.returncode == 0, result.stderr
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["findings", "errors", "by rule"]
    findings = list(book["findings"].values)
    assert findings[0][:4] == ("行号 / Line", "OCID / OCID", "规则 / Rule", "严重程度 / Severity")
    assert findings[1][2] == "PROC-TENDER-PERIOD" and findings[1][0] == 1
    assert list(book["errors"].values)[1][:2] == (2, "invalid_json")
    by_rule = {row[0]: row for row in list(book["by rule"].values)[1:]}
    assert by_rule["PROC-TENDER-PERIOD"][2] == 1 and by_rule["PROC-TENDER-PERIOD"][5] == 1
    for sheet in book.worksheets:  # every sheet: a frozen, filtered bilingual header, typed numbers, widths
        header = [c.value for c in sheet[1]]
        assert all(" / " in h for h in header) and all(c.font.b for c in sheet[1])
        assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref.startswith("A1:")
        assert all(sheet.column_dimensions[c.column_letter].width >= 8 for c in sheet[1])
    line = book["findings"]["A2"]
    assert line.data_type == "n" and line.number_format == "#,##0"
    assert book["findings"].auto_filter.ref == f"A1:H{book['findings'].max_row}"


def test_rules_lists_every_rule():
    out = run("rules").stdout.decode()
    for rule in ("PROC-METHOD-GROUND", "PROC-TENDER-PERIOD", "PROC-PREQUAL-PERIOD", "PROC-PREQUAL-NOTICE", "PROC-BILINGUAL", "PROC-FREE-DOCS",
                 "PROC-DEBARMENT", "PROC-CHALLENGE", "PROC-DEBRIEF", "PROC-SME-SUBCONTRACT", "PROC-SCOPE"):
        assert rule in out
