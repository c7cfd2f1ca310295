"""``openftz einvoice validate``: one JSON line per file, the table and HTML report, exit statuses."""
import json
import shutil
from pathlib import Path

from typer.testing import CliRunner

from openftz.cli import app

DATA = Path(__file__).resolve().parents[1] / "data" / "einvoice"
VALID = DATA / "en16931-testfiles" / "Invoice-Max_content.xml"
runner = CliRunner()


def _broken(tmp_path: Path) -> Path:
    """A real invoice with its payable amount changed: BR-CO-16 must catch it."""
    path = tmp_path / "broken.xml"
    text = VALID.read_text(encoding="utf-8")
    path.write_text(text.replace('<cbc:PayableAmount currencyID="SEK">12500</cbc:PayableAmount>',
                                 '<cbc:PayableAmount currencyID="SEK">12501</cbc:PayableAmount>'), encoding="utf-8")
    return path


def test_jsonl_one_line_per_file_and_exit_0_when_all_valid():
    result = runner.invoke(app, ["einvoice", "validate", str(DATA / "en16931-testfiles"), "--rules", "en16931"])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(lines) == len(list((DATA / "en16931-testfiles").glob("*.xml")))
    assert all(set(line) >= {"file", "valid", "findings"} and line["valid"] for line in lines)


def test_an_invalid_document_exits_1_with_its_finding(tmp_path):
    result = runner.invoke(app, ["einvoice", "validate", str(VALID), str(_broken(tmp_path)), "--rules", "en16931"])
    assert result.exit_code == 1
    first, second = (json.loads(line) for line in result.stdout.splitlines())
    assert first["valid"] is True and second["valid"] is False
    finding = next(f for f in second["findings"] if f["rule"] == "BR-CO-16")
    assert finding["severity"] == "fatal" and finding["path"] == "/Invoice/cac:LegalMonetaryTotal"
    assert set(finding) >= {"rule", "severity", "message", "path"}


def test_bad_files_are_reported_and_the_run_goes_on(tmp_path):
    (tmp_path / "a-junk.xml").write_bytes(b"\x00\x01\x02 not xml")
    (tmp_path / "b-truncated.xml").write_bytes(VALID.read_bytes()[:500])
    shutil.copy(VALID, tmp_path / "c-good.xml")
    result = runner.invoke(app, ["einvoice", "validate", str(tmp_path), "--rules", "en16931"])
    assert result.exit_code == 1
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["findings"][0]["rule"] for line in lines[:2]] == ["OPENFTZ-XML", "OPENFTZ-XML"]
    assert lines[2]["valid"] is True


def test_nothing_readable_or_bad_usage_exits_2(tmp_path):
    (tmp_path / "junk.xml").write_bytes(b"junk")
    assert runner.invoke(app, ["einvoice", "validate", str(tmp_path / "junk.xml")]).exit_code == 2
    assert runner.invoke(app, ["einvoice", "validate", str(tmp_path / "missing.xml")]).exit_code == 2
    assert runner.invoke(app, ["einvoice", "validate", str(tmp_path / "empty-dir")]).exit_code == 2
    bad = runner.invoke(app, ["einvoice", "validate", str(VALID), "--format", "pdf"])
    assert bad.exit_code == 2 and "--format" in bad.stderr
    assert runner.invoke(app, ["einvoice", "validate", str(VALID), "--rules", "xrechnung"]).exit_code == 2


def test_auto_applies_peppol_to_peppol_documents():
    """The Swedish test documents declare Peppol BIS 3.0 but carry made-up organisation numbers (0007)."""
    result = runner.invoke(app, ["einvoice", "validate", str(VALID)])
    line = json.loads(result.stdout)
    assert result.exit_code == 1 and line["ruleset"] == "peppol"
    assert {f["rule"] for f in line["findings"]} == {"PEPPOL-COMMON-R049"}


def test_table_and_html(tmp_path):
    table = runner.invoke(app, ["einvoice", "validate", str(VALID), str(_broken(tmp_path)), "--format", "table"])
    assert table.exit_code == 1 and "BR-CO-16" in table.stdout and "Invoice-Max_content.xml" in table.stdout
    html = runner.invoke(app, ["einvoice", "validate", str(_broken(tmp_path)), "--format", "html"])
    assert html.exit_code == 1
    assert html.stdout.startswith("<!DOCTYPE html>") and "电子发票校验报告" in html.stdout and "validation report" in html.stdout
    assert "BR-CO-16" in html.stdout and "<script" not in html.stdout and "http" not in html.stdout.split("<body>")[1]
