"""E-invoice benchmark: documents validated per second beside a bare lxml parse of the same bytes, same run.

The official EN 16931 example and test documents are repeated to at least 2,000 documents; each is validated
(safe parse, one-pass model build, every rule of its rule set) and, separately, only parsed by lxml with the same
hardened parser, and validated again with the pure-Python walk where the compiled one is in use, in alternating rounds (`--rounds N`, default 5; the medians are reported); a bare parse by the
standard library's C ElementTree (expat) is timed in the same rounds for reference — the validator does not use it:
its elements are cheaper to walk, but its parse alone costs about twice lxml's. Also times a generated, valid
5,000-line invoice (four VAT categories and rates, line and document allowances and charges, the VAT breakdown).
The machine's load average is printed with the figures, and the ratio of the processor time the process itself
spent (which another process's load on a shared machine moves less than the wall clock). Optional: `--profile`
prints a cProfile summary.
Then the same for real invoices as a sender writes them: the nine official example invoices and credit notes of
Peppol BIS Billing 3.0 (the release the Peppol rule set follows, `tests/data/einvoice/peppol-<release>/`), repeated
to at least 2,000 documents, each validated by `validate_bytes` (the whole service: size limit, safe parse, model,
the rule set its specification identifier selects — Peppol) beside a bare lxml parse of the same bytes, in the
same alternating rounds. Both sets are printed.
Run: `.venv/bin/python bench/einvoice.py` (part of `make bench`).
"""
from __future__ import annotations

import cProfile
import os
import pstats
import statistics
import sys
import time
import xml.etree.ElementTree as ElementTree
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from lxml import etree  # noqa: E402

from openftz.einvoice.parse import WALK, CompiledWalk, _parser, _Walk, build, parse, parse_xml  # noqa: E402
from openftz.einvoice.rules import RELEASES, check  # noqa: E402
from openftz.einvoice.validate import validate_bytes  # noqa: E402

DATA = ROOT / "tests" / "data" / "einvoice"
TARGET = 2000


def documents() -> list[bytes]:
    files = sorted((DATA / "en16931-examples").iterdir()) + sorted((DATA / "en16931-testfiles").iterdir())
    docs = [p.read_bytes() for p in files]
    return (docs * (TARGET // len(docs) + 1))[:max(TARGET, len(docs))]


def peppol_documents() -> list[bytes]:
    """The official examples of the Peppol release the rule set follows, repeated to at least TARGET."""
    docs = [p.read_bytes() for p in sorted((DATA / f"peppol-{RELEASES['peppol']}").glob("*.xml"))]
    return (docs * (TARGET // len(docs) + 1))[:max(TARGET, len(docs))]


def validate_bytes_all(docs: list[bytes]) -> int:
    """``validate_bytes`` of each document, as the service and the CLI call it (rule set ``auto``)."""
    return sum(not validate_bytes(data)["valid"] for data in docs)


def validate_all(docs: list[bytes]) -> int:
    invalid = 0
    for data in docs:
        findings = check(parse(data, max_bytes=20 * 1024 * 1024), "en16931")
        invalid += any(f["severity"] == "fatal" for f in findings)
    return invalid


def validate_all_python_walk(docs: list[bytes]) -> None:
    """The same validation with the pure-Python walk, for comparison where the compiled one is in use."""
    for data in docs:
        check(build(parse_xml(data, max_bytes=20 * 1024 * 1024), walker=_Walk), "en16931")


def parse_all(docs: list[bytes]) -> None:
    parser = _parser()
    for data in docs:
        etree.fromstring(data, parser)


def parse_all_elementtree(docs: list[bytes]) -> None:
    """A timing reference only, on the project's own test files: untrusted input is never parsed this way."""
    for data in docs:
        ElementTree.fromstring(data)


# The generated invoice's VAT categories, by line: (code, rate, exemption reason); most lines standard rated.
CATEGORIES = (("S", 25, None), ("S", 25, None), ("S", 25, None), ("S", 12, None), ("Z", 0, None),
              ("S", 25, None), ("E", 0, "Exempt financial service"), ("S", 12, None))
CENT = Decimal("0.01")


def _money(d: Decimal) -> str:
    return str(d.quantize(CENT, rounding=ROUND_HALF_UP))


def _category(tag: str, code: str, rate: int) -> str:
    percent = "" if code == "O" else f"<cbc:Percent>{rate}</cbc:Percent>"
    return f"<cac:{tag}><cbc:ID>{code}</cbc:ID>{percent}<cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:{tag}>"


def big_invoice(lines: int) -> bytes:
    """A realistic invoice of ``lines`` lines that is valid under EN 16931: lines in four VAT categories and rates
    (standard 25 % and 12 %, zero rated, exempt), an allowance on every tenth line, a document allowance and a
    charge, the VAT breakdown per category and rate, totals that add up, full parties and a credit transfer."""
    taxable: dict[tuple[str, int], Decimal] = {}
    body = []
    for n in range(1, lines + 1):
        code, rate, _reason = CATEGORIES[n % len(CATEGORIES)]
        quantity, price = 1 + n % 7, Decimal("10.00") + Decimal("1.25") * (n % 13)
        allowance = Decimal("1.00") if n % 10 == 0 else Decimal(0)
        net = quantity * price - allowance
        taxable[code, rate] = taxable.get((code, rate), Decimal(0)) + net
        line_allowance = ("<cac:AllowanceCharge><cbc:ChargeIndicator>false</cbc:ChargeIndicator>"
                          "<cbc:AllowanceChargeReasonCode>95</cbc:AllowanceChargeReasonCode>"
                          "<cbc:AllowanceChargeReason>Discount</cbc:AllowanceChargeReason>"
                          f'<cbc:Amount currencyID="EUR">{_money(allowance)}</cbc:Amount></cac:AllowanceCharge>'
                          if allowance else "")
        body.append(
            f'<cac:InvoiceLine><cbc:ID>{n}</cbc:ID><cbc:InvoicedQuantity unitCode="C62">{quantity}</cbc:InvoicedQuantity>'
            f'<cbc:LineExtensionAmount currencyID="EUR">{_money(net)}</cbc:LineExtensionAmount>'
            f"<cac:OrderLineReference><cbc:LineID>{n}</cbc:LineID></cac:OrderLineReference>{line_allowance}"
            f"<cac:Item><cbc:Description>Article {n}, pack of {quantity}</cbc:Description><cbc:Name>Article {n}</cbc:Name>"
            f"<cac:SellersItemIdentification><cbc:ID>A-{n:05d}</cbc:ID></cac:SellersItemIdentification>"
            f'{_category("ClassifiedTaxCategory", code, rate)}</cac:Item>'
            f'<cac:Price><cbc:PriceAmount currencyID="EUR">{_money(price)}</cbc:PriceAmount></cac:Price></cac:InvoiceLine>')
    line_total = sum(taxable.values(), Decimal(0))
    discount, freight = Decimal("50.00"), Decimal("20.00")
    taxable["S", 25] += freight - discount
    subtotals, tax_total = [], Decimal(0)
    for (code, rate), amount in taxable.items():
        tax = (amount * rate / 100).quantize(CENT, rounding=ROUND_HALF_UP)
        tax_total += tax
        reason = next(r for c, _rate, r in CATEGORIES if c == code)
        category = _category("TaxCategory", code, rate)
        if reason:
            category = category.replace("<cac:TaxScheme>", f"<cbc:TaxExemptionReason>{reason}</cbc:TaxExemptionReason><cac:TaxScheme>")
        subtotals.append(f'<cac:TaxSubtotal><cbc:TaxableAmount currencyID="EUR">{_money(amount)}</cbc:TaxableAmount>'
                         f'<cbc:TaxAmount currencyID="EUR">{_money(tax)}</cbc:TaxAmount>{category}</cac:TaxSubtotal>')
    exclusive = line_total - discount + freight
    party = ("<cac:Party><cbc:EndpointID schemeID=\"0088\">{gln}</cbc:EndpointID>"
             "<cac:PartyName><cbc:Name>{name}</cbc:Name></cac:PartyName><cac:PostalAddress><cbc:StreetName>{street}</cbc:StreetName>"
             "<cbc:CityName>{city}</cbc:CityName><cbc:PostalZone>{zone}</cbc:PostalZone>"
             "<cac:Country><cbc:IdentificationCode>{country}</cbc:IdentificationCode></cac:Country></cac:PostalAddress>"
             "<cac:PartyTaxScheme><cbc:CompanyID>{vat}</cbc:CompanyID><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:PartyTaxScheme>"
             "<cac:PartyLegalEntity><cbc:RegistrationName>{name}</cbc:RegistrationName></cac:PartyLegalEntity>"
             "<cac:Contact><cbc:Name>Accounts</cbc:Name><cbc:ElectronicMail>accounts@example.com</cbc:ElectronicMail></cac:Contact></cac:Party>")
    seller = party.format(gln="4035811991021", name="Lieferant GmbH", street="Hauptstraße 1", city="Hamburg", zone="20095",
                          country="DE", vat="DE123456789")
    buyer = party.format(gln="3001234567890", name="Acheteur SARL", street="1 rue de Rivoli", city="Paris", zone="75001",
                         country="FR", vat="FR12345678901")

    def document_level(charge: bool, amount: Decimal, code: str, reason: str) -> str:
        return (f"<cac:AllowanceCharge><cbc:ChargeIndicator>{str(charge).lower()}</cbc:ChargeIndicator>"
                f"<cbc:AllowanceChargeReasonCode>{code}</cbc:AllowanceChargeReasonCode>"
                f"<cbc:AllowanceChargeReason>{reason}</cbc:AllowanceChargeReason>"
                f'<cbc:Amount currencyID="EUR">{_money(amount)}</cbc:Amount>{_category("TaxCategory", "S", 25)}</cac:AllowanceCharge>')

    head = f"""<?xml version="1.0" encoding="UTF-8"?>
<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
 xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
 xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
<cbc:CustomizationID>urn:cen.eu:en16931:2017</cbc:CustomizationID><cbc:ID>BIG-{lines}</cbc:ID>
<cbc:IssueDate>2024-02-03</cbc:IssueDate><cbc:DueDate>2024-03-04</cbc:DueDate><cbc:InvoiceTypeCode>380</cbc:InvoiceTypeCode>
<cbc:Note>Generated benchmark invoice</cbc:Note><cbc:DocumentCurrencyCode>EUR</cbc:DocumentCurrencyCode>
<cbc:BuyerReference>PO-2024-0042</cbc:BuyerReference>
<cac:InvoicePeriod><cbc:StartDate>2024-01-01</cbc:StartDate><cbc:EndDate>2024-01-31</cbc:EndDate></cac:InvoicePeriod>
<cac:OrderReference><cbc:ID>PO-2024-0042</cbc:ID></cac:OrderReference>
<cac:AccountingSupplierParty>{seller}</cac:AccountingSupplierParty>
<cac:AccountingCustomerParty>{buyer}</cac:AccountingCustomerParty>
<cac:Delivery><cbc:ActualDeliveryDate>2024-01-31</cbc:ActualDeliveryDate></cac:Delivery>
<cac:PaymentMeans><cbc:PaymentMeansCode>58</cbc:PaymentMeansCode><cbc:PaymentID>BIG-{lines}</cbc:PaymentID>
<cac:PayeeFinancialAccount><cbc:ID>DE89370400440532013000</cbc:ID></cac:PayeeFinancialAccount></cac:PaymentMeans>
<cac:PaymentTerms><cbc:Note>30 days net</cbc:Note></cac:PaymentTerms>
{document_level(False, discount, "95", "Volume discount")}{document_level(True, freight, "FC", "Freight")}
<cac:TaxTotal><cbc:TaxAmount currencyID="EUR">{_money(tax_total)}</cbc:TaxAmount>{"".join(subtotals)}</cac:TaxTotal>
<cac:LegalMonetaryTotal><cbc:LineExtensionAmount currencyID="EUR">{_money(line_total)}</cbc:LineExtensionAmount>
<cbc:TaxExclusiveAmount currencyID="EUR">{_money(exclusive)}</cbc:TaxExclusiveAmount>
<cbc:TaxInclusiveAmount currencyID="EUR">{_money(exclusive + tax_total)}</cbc:TaxInclusiveAmount>
<cbc:AllowanceTotalAmount currencyID="EUR">{_money(discount)}</cbc:AllowanceTotalAmount>
<cbc:ChargeTotalAmount currencyID="EUR">{_money(freight)}</cbc:ChargeTotalAmount>
<cbc:PayableAmount currencyID="EUR">{_money(exclusive + tax_total)}</cbc:PayableAmount></cac:LegalMonetaryTotal>
"""
    return (head + "".join(body) + "</Invoice>").encode()


def timed(fn, *args) -> float:
    start = time.perf_counter()
    fn(*args)
    return time.perf_counter() - start


def timed_cpu(fn, *args) -> tuple[float, float]:
    """Wall-clock and processor time of one call."""
    start, cpu = time.perf_counter(), time.process_time()
    fn(*args)
    return time.perf_counter() - start, time.process_time() - cpu


def validate_one(data: bytes):
    invoice = parse(data)
    return invoice, check(invoice, "en16931")


def main() -> None:
    rounds = int(sys.argv[sys.argv.index("--rounds") + 1]) if "--rounds" in sys.argv else 5
    docs = documents()
    load = os.getloadavg()[0]
    validate_all(docs[:50])  # warm up: rule tables and code lists load once
    # Alternate them, round after round, so that a change in the machine's load touches all alike; the ratio of
    # each round is taken, and the median of the rounds reported (the best beside it).
    bare, validated, elementtree, cpu_ratios, python_walk = [], [], [], [], []
    for _ in range(rounds):
        (wall, bare_cpu), (wall_validated, validated_cpu) = timed_cpu(parse_all, docs), timed_cpu(validate_all, docs)
        bare.append(wall)
        validated.append(wall_validated)
        cpu_ratios.append(validated_cpu / bare_cpu)
        elementtree.append(timed(parse_all_elementtree, docs))
        if CompiledWalk is not None:
            python_walk.append(timed(validate_all_python_walk, docs))
    ratios = [v / b for b, v in zip(bare, validated)]
    n = len(docs)
    b, v = statistics.median(bare), statistics.median(validated)
    print(f"einvoice: {n} documents (the {len(set(docs))} official examples and test files, repeated); "
          f"{rounds} alternating rounds, medians (best in brackets); the walk: "
          f"{'compiled (openftz/einvoice/_walk.pyx)' if WALK is CompiledWalk else 'Python (no compiled walk built)'}")
    print(f"  bare lxml parse:            {n / b:8.0f} docs/s  ({1e6 * b / n:6.0f} µs/doc)  [{n / min(bare):.0f} docs/s]")
    e, e_ratio = statistics.median(elementtree), statistics.median([t / b for b, t in zip(bare, elementtree)])
    print(f"  bare ElementTree parse:     {n / e:8.0f} docs/s  ({1e6 * e / n:6.0f} µs/doc)  [{n / min(elementtree):.0f} "
          f"docs/s]  = {e_ratio:.1f}x the bare lxml parse (reference only)")
    print(f"  parse + model + all rules:  {n / v:8.0f} docs/s  ({1e6 * v / n:6.0f} µs/doc)  [{n / min(validated):.0f} docs/s]"
          f"  = {statistics.median(ratios):.1f}x the bare parse  [{min(ratios):.1f}x]")
    if python_walk:
        w = statistics.median(python_walk)
        print(f"  the same, Python walk:      {n / w:8.0f} docs/s  ({1e6 * w / n:6.0f} µs/doc)  [{n / min(python_walk):.0f} "
              f"docs/s]  = {statistics.median([t / b for b, t in zip(bare, python_walk)]):.1f}x the bare parse")
    print(f"  processor time of the process: validation {statistics.median(cpu_ratios):.1f}x the bare parse's  "
          f"[{min(cpu_ratios):.1f}x]")
    print(f"  invalid under en16931: {validate_all(docs)} of {n}")
    big = big_invoice(5000)
    invoice, findings = validate_one(big)
    times = sorted(timed(validate_one, big) for _ in range(3))
    categories = sorted({(c.code_norm, c.rate.text if c.rate is not None else "") for c in invoice.line_tax_categories})
    print(f"  5,000-line invoice ({len(big) / 1e6:.1f} MB; {len(invoice.lines)} lines in VAT categories "
          f"{', '.join(f'{c} {r}%' for c, r in categories)}; {len(invoice.vat_breakdown)} VAT breakdowns; "
          f"{sum(len(line.allowances_charges) for line in invoice.lines)} line and "
          f"{len(invoice.allowances_charges)} document allowances and charges):")
    print(f"    {times[1]:.3f} s (median of 3), {len(findings)} findings, "
          f"{sum(f['severity'] == 'fatal' for f in findings)} fatal")
    print(f"  load average of the machine (1 min): {load:.1f} before, {os.getloadavg()[0]:.1f} after "
          f"({os.cpu_count()} CPUs)")
    peppol_set(rounds)
    if "--profile" in sys.argv:
        profiler = cProfile.Profile()
        profiler.runcall(validate_all, docs)
        profiler.runcall(validate_bytes_all, peppol_documents())
        pstats.Stats(profiler).sort_stats("tottime").print_stats(15)


def peppol_set(rounds: int) -> None:
    """``validate_bytes`` on the official Peppol examples beside a bare lxml parse of the same bytes."""
    docs = peppol_documents()
    load = os.getloadavg()[0]
    validate_bytes_all(docs[:50])
    bare, validated, cpu_ratios = [], [], []
    for _ in range(rounds):
        (wall, bare_cpu), (wall_validated, validated_cpu) = timed_cpu(parse_all, docs), timed_cpu(validate_bytes_all, docs)
        bare.append(wall)
        validated.append(wall_validated)
        cpu_ratios.append(validated_cpu / bare_cpu)
    ratios = [v / b for b, v in zip(bare, validated)]
    n = len(docs)
    b, v = statistics.median(bare), statistics.median(validated)
    print(f"peppol: {n} documents (the {len(set(docs))} official examples of Peppol BIS Billing 3.0 release "
          f"{RELEASES['peppol']}, repeated); {rounds} alternating rounds, medians (best in brackets)")
    print(f"  bare lxml parse:            {n / b:8.0f} docs/s  ({1e6 * b / n:6.0f} µs/doc)  [{n / min(bare):.0f} docs/s]")
    print(f"  validate_bytes (peppol):    {n / v:8.0f} docs/s  ({1e6 * v / n:6.0f} µs/doc)  [{n / min(validated):.0f} docs/s]"
          f"  = {statistics.median(ratios):.1f}x the bare parse  [{min(ratios):.1f}x]")
    print(f"  processor time of the process: validation {statistics.median(cpu_ratios):.1f}x the bare parse's  "
          f"[{min(cpu_ratios):.1f}x]")
    print(f"  invalid under peppol: {validate_bytes_all(docs)} of {n}")
    print(f"  load average of the machine (1 min): {load:.1f} before, {os.getloadavg()[0]:.1f} after "
          f"({os.cpu_count()} CPUs)")


if __name__ == "__main__":
    main()
