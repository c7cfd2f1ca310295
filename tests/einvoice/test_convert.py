"""`openftz einvoice convert --to json|html|pdf` on the EN 16931 distribution's own documents, and bad input."""
from __future__ import annotations

import io
import json
import re
import subprocess
import sys

import pytest
import yaml
from lxml import html as lxml_html
from pypdf import PdfReader
from typer.testing import CliRunner

from openftz.cli import app
from openftz.einvoice.convert import invoice_view, to_html, to_json, to_pdf
from openftz.einvoice.layout import shown_terms
from openftz.einvoice.semantic import business_terms
from openftz.einvoice.validate import validate_bytes

from ..conftest import ROOT
from .test_examples import DATA

runner = CliRunner()
EXAMPLES = DATA / "en16931-examples"
TESTFILES = DATA / "en16931-testfiles"
DOCUMENTS = [TESTFILES / "Invoice-Max_content.xml", TESTFILES / "CreditNote-Max_content.xml",
             EXAMPLES / "ubl-tc434-example1.xml", EXAMPLES / "ubl-tc434-creditnote1.xml",
             EXAMPLES / "BIS3_Invoice_positive.XML", TESTFILES / "BIS_Billing_30-Valutor i faktura.xml"]
TERM = re.compile(r"^B[TG]-\d+(-\d)?$")


def leaves(tree: dict) -> set[str]:
    out: set[str] = set()
    for term, value in tree.items():
        if isinstance(value, dict):
            out |= leaves(value)
        elif isinstance(value, list) and value and isinstance(value[0], dict):
            for item in value:
                out |= leaves(item)
        else:
            out.add(term)
    return out


def groups_and_terms(node: dict) -> set[str]:
    out = set(node)
    for value in node.values():
        inner = value["value"]
        if isinstance(inner, dict):
            out |= groups_and_terms(inner)
        elif isinstance(inner, list) and inner and isinstance(inner[0], dict):
            for item in inner:
                out |= groups_and_terms(item)
    return out


def test_every_term_has_an_english_and_a_chinese_name():
    terms = business_terms()
    assert all(TERM.match(t) for t in terms)
    assert all(names["en"] and names["zh"] and re.search(r"[\u4e00-\u9fff]", names["zh"]) for names in terms.values())
    # EN 16931-1 has BT-1…BT-165 (no BT-4) and BG-0…BG-32
    assert {f"BT-{n}" for n in range(1, 166) if n != 4} <= set(terms)
    assert {f"BG-{n}" for n in range(33)} <= set(terms)
    header = yaml.safe_load((ROOT / "data/einvoice/business-terms.yaml").read_text(encoding="utf-8"))
    assert header["zh_unofficial"] is True


@pytest.mark.parametrize("path", DOCUMENTS, ids=[p.name for p in DOCUMENTS])
def test_json_is_keyed_by_business_terms_with_both_names(path):
    data = path.read_bytes()
    view = invoice_view(data)
    body = to_json(view)
    judged = validate_bytes(data)
    assert (body["valid"], body["findings"], body["ruleset"]) == (judged["valid"], judged["findings"], judged["ruleset"])
    assert body["names"]["zh_unofficial"] is True
    seen = groups_and_terms(body["terms"])
    assert seen and all(TERM.match(t) for t in seen)
    for term in seen:
        assert body["terms"].get(term, None) is None or body["terms"][term]["name_zh"] == business_terms()[term]["zh"]
    assert body["terms"]["BT-1"]["value"] == view["tree"]["BT-1"]
    assert body["terms"]["BT-1"]["name_en"] == "Invoice number" and body["terms"]["BT-1"]["name_zh"] == "发票号码"
    json.dumps(body)  # plain JSON throughout


def test_json_reads_the_values_as_written():
    body = to_json(invoice_view((TESTFILES / "Invoice-Max_content.xml").read_bytes()))
    terms = body["terms"]
    assert terms["BT-5"]["value"] == "SEK" and terms["BT-6"]["value"] == "EUR"
    seller = terms["BG-4"]["value"]
    assert seller["BT-27"]["value"] == "The Global Chain Sweden AB"
    assert seller["BG-5"]["value"]["BT-40"]["value"] == "SE"
    line = terms["BG-25"]["value"][0]
    assert line["BT-130"]["value"] == "MTR"
    assert line["BG-31"]["value"]["BT-158-1"]["value"] == ["SSR", "SST"]
    totals = terms["BG-22"]["value"]
    assert totals["BT-112"]["value"] == "12500" and totals["BT-111"]["value"] == "249"


@pytest.mark.parametrize("path", DOCUMENTS, ids=[p.name for p in DOCUMENTS])
def test_the_layout_shows_every_term_the_document_has(path):
    view = invoice_view(path.read_bytes())
    assert leaves(view["tree"]) <= shown_terms(view["sections"])


@pytest.mark.parametrize("path", DOCUMENTS, ids=[p.name for p in DOCUMENTS])
def test_html_is_a_self_contained_bilingual_page(path):
    view = invoice_view(path.read_bytes())
    page = to_html(view)
    doc = lxml_html.fromstring(page)
    assert not doc.xpath("//script[@src] | //link[@href] | //img[@src] | //iframe")  # nothing fetched from elsewhere
    seller_name = doc.xpath("//dt[@title='BT-27']")
    assert seller_name and "销售方名称" in seller_name[0].text_content() and "Seller name" in seller_name[0].text_content()
    titled = {el.get("title") for el in doc.xpath("//*[@title]")}
    assert leaves(view["tree"]) <= titled  # every term's label carries its id on hover
    assert view["tree"]["BG-4"]["BT-27"] in doc.text_content()
    assert "中国视图" in page and "China view" in page


@pytest.mark.parametrize("path", DOCUMENTS, ids=[p.name for p in DOCUMENTS])
def test_pdf_holds_the_same_terms_in_both_languages(path):
    view = invoice_view(path.read_bytes())
    pdf = to_pdf(view)
    assert pdf.startswith(b"%PDF-")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    squashed = re.sub(r"\s+", "", text)
    for term in ("BT-1", "BT-27", "BT-44", "BT-112"):
        names = business_terms()[term]
        assert names["zh"] in squashed and re.sub(r"\s+", "", names["en"]) in squashed
    assert re.sub(r"\s+", "", view["tree"]["BG-4"]["BT-27"]) in squashed
    assert "中国视图" in squashed


def test_an_invalid_document_converts_with_its_findings():
    data = re.sub(rb"<cbc:PayableAmount currencyID=\"(\w+)\">[^<]*<", rb'<cbc:PayableAmount currencyID="\1">1.00<',
                  (TESTFILES / "Invoice-Min_content_with_VAT.xml").read_bytes(), count=1)
    view = invoice_view(data)
    assert view["valid"] is False and view["fatal"] >= 1
    rules = {f["rule"] for f in view["findings"]}
    assert "BR-CO-16" in rules  # the amount due no longer follows from the totals
    page = to_html(view)
    assert "BR-CO-16" in page and "无效 invalid" in page
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(to_pdf(view))).pages)
    assert "BR-CO-16" in text
    assert {f["rule"] for f in to_json(view)["findings"]} == rules


def run(*args):
    return runner.invoke(app, [str(a) for a in args])


@pytest.mark.parametrize("fmt", ["json", "html", "pdf"])
def test_cli_writes_each_format(tmp_path, fmt):
    out = tmp_path / f"invoice.{fmt}"
    result = run("einvoice", "convert", TESTFILES / "Invoice-Max_content.xml", "--to", fmt, "--output", out)
    assert result.exit_code == 0, result.output
    data = out.read_bytes()
    if fmt == "json":
        assert json.loads(data)["terms"]["BT-1"]["value"] == "2018210"
    elif fmt == "html":
        assert data.startswith(b"<!DOCTYPE html>") and "发票号码".encode() in data
    else:
        assert data.startswith(b"%PDF-")


def test_cli_prints_json_to_standard_output():
    result = run("einvoice", "convert", EXAMPLES / "ubl-tc434-creditnote1.xml", "--to", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["kind"] == "CreditNote"


def run_process(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "openftz.cli", *map(str, args)], capture_output=True, text=True,
                          cwd=ROOT, timeout=120)


@pytest.mark.parametrize("content", [b"", b"\x00\xff binary", b"<html><body>not an invoice</body></html>",
                                     b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>'])
def test_unreadable_input_exits_2_with_one_line(tmp_path, content):
    path = tmp_path / "bad.xml"
    path.write_bytes(content)
    result = run_process("einvoice", "convert", path, "--to", "html")
    assert result.returncode == 2
    assert result.stdout == "" and len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr


def test_bad_options_and_missing_files_exit_2(tmp_path):
    assert run_process("einvoice", "convert", TESTFILES / "Invoice-Max_content.xml", "--to", "docx").returncode == 2
    missing = run_process("einvoice", "convert", tmp_path / "missing.xml", "--to", "json")
    assert missing.returncode == 2 and len(missing.stderr.strip().splitlines()) == 1
