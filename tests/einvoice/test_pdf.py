"""The invoice PDF of a large or odd document: time proportional to its lines, long texts wrapped, a limit that
refuses what is too large with a 4xx / exit 2, and one parse of the document for validation and rendering."""
from __future__ import annotations

import copy
import io
import re
import time

import pytest
from django.test import override_settings
from lxml import etree
from pypdf import PdfReader
from typer.testing import CliRunner

from openftz.cli import app
from openftz.core.errors import OpenFTZError
from openftz.einvoice import parse as parse_module
from openftz.einvoice.convert import invoice_view, pdf_rows, to_pdf

from .conftest import INVOICE, send

UBL = {"cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
       "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"}


def with_lines(n: int) -> bytes:
    """OpenPeppol's positive example with its first invoice line repeated to ``n`` lines (each with its own id)."""
    root = etree.fromstring(INVOICE.read_bytes())
    lines = root.findall("cac:InvoiceLine", UBL)
    template = lines[0]
    for line in lines:
        root.remove(line)
    anchor = root.index(root.find("cac:LegalMonetaryTotal", UBL)) + 1
    for i in range(n):
        line = copy.deepcopy(template)
        line.find("cbc:ID", UBL).text = str(i + 1)
        line.find("cac:Item/cbc:Name", UBL).text = f"Item number {i + 1} of a long delivery"
        root.insert(anchor + i, line)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def pdf_text(pdf: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_pdf_time_grows_in_proportion_to_the_lines():
    """8 times the lines take at most about 8 times the processor time (a reportlab table split page by page went
    over every row left at each page: 1,600 lines took about 25 times as long as 200)."""
    small, large = invoice_view(with_lines(200)), invoice_view(with_lines(1600))
    to_pdf(small)  # fonts load once

    def cpu(view) -> float:
        start = time.process_time()
        to_pdf(view)
        return time.process_time() - start

    ratio = cpu(large) / min(cpu(small) for _ in range(2))
    assert ratio < 12, ratio


def test_every_line_is_in_the_pdf_in_order():
    pdf = to_pdf(invoice_view(with_lines(300)))
    text = re.sub(r"\s+", " ", pdf_text(pdf))  # a name wraps inside its cell
    positions = [text.find(f"Item number {i} of") for i in (1, 150, 300)]
    assert -1 not in positions and positions == sorted(positions)
    assert len(PdfReader(io.BytesIO(pdf)).pages) > 5


def test_long_texts_wrap_instead_of_failing():
    """A 5,000-character seller name and a 3,000-character invoice number (one word) are set across lines and
    pages (reportlab raised LayoutError for a table row taller than a page)."""
    data = INVOICE.read_bytes()
    name = " ".join(f"Name{i:04d}" for i in range(556))[:5000]
    number = "N" * 3000
    data = data.replace(b"<cbc:RegistrationName>Company A</cbc:RegistrationName>",
                        f"<cbc:RegistrationName>{name}</cbc:RegistrationName>".encode())
    data = data.replace(b"<cbc:ID>12345</cbc:ID>", f"<cbc:ID>{number}</cbc:ID>".encode(), 1)
    text = pdf_text(to_pdf(invoice_view(data))).replace("\n", "")
    assert "Name0000 Name0001" in text and "Name0554" in text
    assert "N" * 40 in text
    assert text.count("N") >= 3000


def test_a_chinese_long_name_wraps_between_characters():
    data = INVOICE.read_bytes().replace(b"<cbc:RegistrationName>Company A</cbc:RegistrationName>",
                                        ("<cbc:RegistrationName>" + "上海自由贸易试验区" * 300 +
                                         "</cbc:RegistrationName>").encode())
    assert "自由贸易" in pdf_text(to_pdf(invoice_view(data)))


@override_settings(EINVOICE_PDF_MAX_ROWS=100)
def test_a_pdf_over_the_row_limit_is_refused_before_rendering():
    view = invoice_view(with_lines(200))
    assert pdf_rows(view) > 200
    with pytest.raises(OpenFTZError) as caught:
        to_pdf(view)
    assert caught.value.status == 413 and caught.value.code == "too_large_for_pdf"
    assert caught.value.details == {"rows": pdf_rows(view), "limit": 100}


@override_settings(EINVOICE_PDF_MAX_ROWS=100)
def test_the_cli_refuses_a_pdf_over_the_limit_with_exit_2(tmp_path):
    source = tmp_path / "big.xml"
    source.write_bytes(with_lines(200))
    result = CliRunner().invoke(app, ["einvoice", "convert", str(source), "--to", "pdf", "-o", str(tmp_path / "o.pdf")])
    assert result.exit_code == 2
    assert "too_large_for_pdf" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "o.pdf").exists()


def test_the_page_refuses_a_pdf_over_the_limit_with_413(exchange):
    sent = send(exchange["seller"], with_lines(150)).json()
    with override_settings(EINVOICE_PDF_MAX_ROWS=100):
        page = exchange["buyer"].get(f"/einvoice/messages/{sent['id']}/invoice.pdf")
    assert page.status_code == 413
    assert "PDF" in page.content.decode()
    assert exchange["buyer"].get(f"/einvoice/messages/{sent['id']}/invoice.pdf").status_code == 200


def count_builds(monkeypatch) -> list:
    calls = []
    original = parse_module.build

    def counted(root, **kwargs):
        calls.append(root)
        return original(root, **kwargs)

    monkeypatch.setattr(parse_module, "build", counted)
    return calls


def test_a_rendering_parses_the_document_once(monkeypatch):
    calls = count_builds(monkeypatch)
    invoice_view(with_lines(20))
    assert len(calls) == 1


def test_the_inbox_parses_the_invoice_once_for_validation_and_its_terms(exchange, monkeypatch):
    calls = count_builds(monkeypatch)
    response = send(exchange["seller"], INVOICE.read_bytes())
    assert response.status_code == 201, response.content
    assert len(calls) == 1


def test_a_message_is_read_without_its_envelope_until_the_envelope_is_downloaded(exchange):
    """The envelope holds the invoice again: a page or PDF of the message does not load that second copy."""
    from openftz.einvoice import selectors

    sent = send(exchange["seller"], INVOICE.read_bytes()).json()
    message = selectors.message_get(sent["id"])
    assert "envelope" in message.get_deferred_fields() and "payload" not in message.get_deferred_fields()
    assert bytes(message.envelope).startswith(b"<")
