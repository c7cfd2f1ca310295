"""The compiled walk (``openftz/einvoice/_walk.pyx``, over libxml2's nodes) builds exactly the model the Python walk
builds from the same tree: on every official document, on seeded mutations of them, on generated documents and on
the XML corners where reading the C nodes could differ from lxml's own reading (mixed text, CDATA, comments,
processing instructions, entity references, namespaces, attributes, many element names)."""
import json
import os
import random
import shutil

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from lxml import etree

from openftz.einvoice import parse as P

from .mutants import dump, mutate, sources
from .test_bad_input import trees

needs_compiled = pytest.mark.skipif(P.CompiledWalk is None, reason="the compiled walk is not built (no C compiler)")
UBL = ('xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2" '
       'xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2" '
       'xmlns:ext="urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2"')
LENIENT = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


def model(root, walker) -> str:
    """The whole model as JSON, in the order the walk built it (dictionaries included)."""
    try:
        return json.dumps(dump(P.build(root, walker=walker)), ensure_ascii=False, default=str)
    except P.UnreadableDocument as exc:
        return f"unreadable: {exc.rule}"


def assert_same(root) -> None:
    assert model(root, P.CompiledWalk) == model(root, P._Walk)


def test_the_compiled_walk_is_used_where_a_compiler_is():
    """``pip install -e .`` (run by ``make``) builds it wherever a C compiler is found, and then parsing uses it."""
    if shutil.which(os.environ.get("CC", "cc")) is None:
        pytest.skip("no C compiler on this machine: the Python walk is used")
    assert P.CompiledWalk is not None and P.WALK is P.CompiledWalk


@needs_compiled
def test_the_same_model_from_every_official_document_and_mutations_of_them():
    rng = random.Random(20261204)
    originals = sources()
    documents = originals + [mutate(data, rng) for data in originals for _ in range(3)]
    for data in documents:
        try:
            root = P.parse_xml(data)
        except P.UnreadableDocument:
            continue
        assert_same(root)
    assert len(documents) > 3000


@needs_compiled
@given(st.lists(trees(), max_size=6), st.sampled_from(["Invoice", "CreditNote"]))
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_the_same_model_from_generated_documents(children, kind):
    data = (f'<{kind} xmlns="urn:oasis:names:specification:ubl:schema:xsd:{kind}-2" {UBL}>'
            + "".join(children) + f"</{kind}>")
    assert_same(P.parse_xml(data.encode()))


CORNERS = {
    "cdata": "<cbc:Note><![CDATA[a < b]]> and more</cbc:Note><cbc:ID><![CDATA[]]></cbc:ID>",
    "text split by a comment": "<cbc:Note>before<!-- c -->after</cbc:Note><cbc:ID>1<?pi x?>2</cbc:ID>",
    "only a comment": "<cbc:ID><!-- c --></cbc:ID><cbc:IssueDate><?pi x?></cbc:IssueDate><cbc:Note/>",
    "comment before the text": "<cbc:ID><!-- c -->X1</cbc:ID>",
    "whitespace": "<cbc:ID> \n\t </cbc:ID><cbc:Note>\n</cbc:Note>",
    "non-ASCII": "<cbc:Note>上海自贸区 — Ünïcödé &#x4E2D;&#38;&lt;</cbc:Note>"
                 '<cac:AccountingSupplierParty><cac:Party><cac:PartyName><cbc:Name>供应商</cbc:Name></cac:PartyName>'
                 '<cbc:EndpointID schemeID="&#x4E2D;&amp;&quot;">a</cbc:EndpointID></cac:Party></cac:AccountingSupplierParty>',
    "attributes": '<cbc:Note xml:lang="zh" xmlns:o="urn:other" o:kind="k" languageID="">x</cbc:Note>'
                  '<cac:LegalMonetaryTotal><cbc:PayableAmount currencyID="" o:x="1" xmlns:o="urn:o">1.005'
                  '</cbc:PayableAmount></cac:LegalMonetaryTotal>',
    "default namespace": '<ID xmlns="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">7</ID>'
                         '<InvoicePeriod xmlns="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2">'
                         '<StartDate xmlns="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">'
                         "2024-01-01</StartDate></InvoicePeriod>",
    "other prefixes": '<b:ID xmlns:b="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">7</b:ID>',
    "no namespace and others": '<ID xmlns="">1</ID><x:Thing xmlns:x="urn:example">t<cbc:Amount>1.234</cbc:Amount>'
                               "</x:Thing><Plain><cbc:ID>2</cbc:ID></Plain>",
    "extensions": "<ext:UBLExtensions><ext:UBLExtension><ext:ExtensionContent><x xmlns='urn:x'>1</x>"
                  "</ext:ExtensionContent></ext:UBLExtension></ext:UBLExtensions>",
    "repeats": "<cbc:Note>1</cbc:Note><cbc:Note>2</cbc:Note><cbc:ID>a</cbc:ID><cbc:Note>3</cbc:Note><cbc:ID>b</cbc:ID>",
    # more element names than the walk remembers per document (256), each twice, in two namespaces
    "many names": "".join(f"<cbc:N{i}>{i}</cbc:N{i}><cac:N{i}><cbc:N{i}>x</cbc:N{i}></cac:N{i}>" for i in range(400)) * 2,
}


@needs_compiled
@pytest.mark.parametrize("body", CORNERS.values(), ids=CORNERS.keys())
@pytest.mark.parametrize("kind", ["Invoice", "CreditNote"])
def test_the_same_model_at_the_corners_of_xml(body, kind):
    root = P.parse_xml(f'<{kind} xmlns="urn:oasis:names:specification:ubl:schema:xsd:{kind}-2" {UBL}>{body}</{kind}>'
                       .encode())
    assert_same(root)


@needs_compiled
def test_entity_references_left_in_the_tree_are_read_as_lxml_reads_them():
    """``parse_xml`` refuses a DOCTYPE, but ``build`` takes any tree: one whose entities were not resolved has
    entity reference nodes in texts and attributes, which the compiled walk hands to lxml to read."""
    data = (f'<!DOCTYPE Invoice [<!ENTITY e "v">]><Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2" '
            f'{UBL}><cbc:Note>a&e;b</cbc:Note><cbc:ID schemeID="x&e;y">1</cbc:ID><cbc:IssueDate>&e;</cbc:IssueDate>'
            "</Invoice>").encode()
    root = etree.fromstring(data, LENIENT)
    invoice = P.build(root, walker=P.CompiledWalk)
    assert invoice.notes[0].text == "a" and invoice.number.attrs == {"schemeID": "xvy"}
    assert_same(root)
