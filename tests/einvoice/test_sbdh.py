"""The Peppol envelope built and opened (no database), participant identifiers, and hostile input as properties."""
from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from openftz.core.errors import InvalidInput
from openftz.einvoice.parse import parse
from openftz.einvoice.participants import Identifiers, directory_key, participant_ids, split
from openftz.einvoice.sbdh import NS, EnvelopeError, build_envelope, open_envelope
from openftz.einvoice.semantic import invoice_tree

from .conftest import INVOICE, LEI, TESTFILES, USCC

LIMIT = 10 * 1024 * 1024
CREATED = dt.datetime(2025, 3, 1, 1, 30, tzinfo=dt.timezone.utc)


def envelope(payload: bytes = None, **kw) -> bytes:
    args = dict(payload=payload or INVOICE.read_bytes(), sender="0007:1234512345", receiver="0007:9876543210",
                instance_id="3739db04-7e4e-4c89-b170-c543dd252249", created_at=CREATED,
                process_id="urn:fdc:peppol.eu:2017:poacc:billing:01:1.0", country_c1="SE", max_bytes=LIMIT)
    args.update(kw)
    return build_envelope(**args)


@pytest.mark.parametrize("path", [INVOICE, TESTFILES / "CreditNote-Max_content.xml", TESTFILES / "Invoice-Max_content.xml"],
                         ids=lambda p: p.name)
def test_build_then_open_gives_back_the_header_and_the_same_invoice(path):
    data = path.read_bytes()
    opened = open_envelope(envelope(data), max_bytes=LIMIT)
    assert (opened.sender, opened.receiver, opened.country_c1) == ("0007:1234512345", "0007:9876543210", "SE")
    assert opened.instance_id == "3739db04-7e4e-4c89-b170-c543dd252249" and opened.created_at == CREATED
    assert opened.type == etree.QName(etree.fromstring(data)).localname and opened.type_version == "2.1"
    assert opened.document_type_id.endswith("##urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0::2.1")
    assert invoice_tree(parse(opened.payload)) == invoice_tree(parse(data))


def test_the_envelope_follows_the_peppol_layout():
    root = etree.fromstring(envelope())
    ns = {"s": NS}
    assert root.findtext("s:StandardBusinessDocumentHeader/s:HeaderVersion", namespaces=ns) == "1.0"
    ident = root.find("s:StandardBusinessDocumentHeader/s:Sender/s:Identifier", ns)
    assert ident.get("Authority") == "iso6523-actorid-upis" and ident.text == "0007:1234512345"
    assert root.findtext("s:StandardBusinessDocumentHeader/s:DocumentIdentification/s:CreationDateAndTime", namespaces=ns) == "2025-03-01T01:30:00Z"
    scopes = [(s.findtext("s:Type", namespaces=ns), s.findtext("s:Identifier", namespaces=ns))
              for s in root.iterfind("s:StandardBusinessDocumentHeader/s:BusinessScope/s:Scope", ns)]
    assert scopes == [("DOCUMENTID", "busdox-docid-qns"), ("PROCESSID", "cenbii-procid-ubl"), ("COUNTRY_C1", None)]
    assert etree.QName(root[1]).localname == "Invoice"


def test_an_invoice_without_its_specification_identifier_cannot_be_enveloped():
    data = INVOICE.read_bytes()
    start, end = data.index(b"<cbc:CustomizationID>"), data.index(b"</cbc:CustomizationID>") + len(b"</cbc:CustomizationID>")
    with pytest.raises(EnvelopeError) as err:
        envelope(data[:start] + data[end:])
    assert err.value.check == "documentid"


def test_participant_identifiers_of_a_party():
    assert participant_ids(Identifiers(lei=LEI, uscc=USCC)) == [f"0199:{LEI}", f"USCC:{USCC}"]
    assert participant_ids(Identifiers(foreign_scheme="GLN", foreign_id="7300010000001")) == ["0088:7300010000001"]
    assert participant_ids(Identifiers(foreign_scheme="0184", foreign_id="DK12345678")) == ["0184:DK12345678"]
    assert participant_ids(Identifiers(foreign_scheme="EORI", foreign_id="DE123")) == []  # no ICD: not addressable
    assert directory_key(f"0199:{LEI.lower()}") == {"lei": LEI}
    assert directory_key("0088:7300010000001") == {"foreign_scheme__in": ["0088", "GLN"], "foreign_id": "7300010000001"}


@pytest.mark.parametrize("bad", ["", "0199", "0199:", "199:X", "ABCD:1", "0199:has space", "9999:1", "USCC:a:b"])
def test_malformed_participants_are_refused(bad):
    with pytest.raises(InvalidInput):
        split(bad)


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.binary(max_size=2000))
def test_any_bytes_open_or_are_refused_cleanly(data):
    try:
        open_envelope(data, max_bytes=LIMIT)
    except InvalidInput:
        pass


TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=80)


@settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.sampled_from(["HeaderVersion", "Identifier", "Standard", "TypeVersion", "InstanceIdentifier", "Type",
                        "CreationDateAndTime", "InstanceIdentifier"]), TEXT, st.integers(0, 3))
def test_any_header_value_opens_or_is_refused_cleanly(element, text, which):
    root = etree.fromstring(envelope())
    found = list(root.iter(f"{{{NS}}}{element}"))
    target = found[which % len(found)]
    try:
        target.text = text
    except ValueError:  # lxml refuses text XML cannot hold (NUL, other control characters)
        return
    data = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    try:
        opened = open_envelope(data, max_bytes=LIMIT)
    except InvalidInput:
        return
    assert opened.sender and opened.receiver and opened.payload


def test_cli_envelope_prints_an_envelope_the_single_window_opens():
    from typer.testing import CliRunner

    from openftz.cli import app

    result = CliRunner().invoke(app, ["einvoice", "envelope", str(INVOICE), "--sender", "0007:1234512345",
                                      "--receiver", f"USCC:{USCC}"])
    assert result.exit_code == 0, result.output
    opened = open_envelope(result.stdout_bytes, max_bytes=LIMIT)
    assert (opened.sender, opened.receiver, opened.country_c1) == ("0007:1234512345", f"USCC:{USCC}", "DK")
    assert invoice_tree(parse(opened.payload)) == invoice_tree(parse(INVOICE.read_bytes()))


def test_cli_envelope_refuses_an_unknown_scheme_with_one_line():
    import subprocess
    import sys

    from ..conftest import ROOT

    result = subprocess.run([sys.executable, "-m", "openftz.cli", "einvoice", "envelope", str(INVOICE), "--sender",
                             "0007:1234512345", "--receiver", "1234:5"], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1 and "1234" in result.stderr
