"""Code list rules BR-CL-01 … BR-CL-26 (代码表规则): coded values checked against the lists under
``data/einvoice/codelists/`` wherever the coded element occurs in the document."""
from __future__ import annotations

from functools import cache

from ..model import Invoice, Value, boolean_of
from . import codelist, contexts as ctx, rule
from .util import attr_in_list, in_list


def _sites(inv: Invoice, site: str) -> tuple[Value, ...]:
    return inv.syntax.code_sites.get(site, ()) if inv.syntax is not None else ()


@rule("BR-CL-01", when=ctx.site("type_code"))
def br_cl_01(inv: Invoice):
    for v in _sites(inv, "type_code"):
        allowed = codelist("untdid1001-invoice" if v.path.rsplit("/", 1)[-1].startswith("cbc:InvoiceTypeCode")
                           else "untdid1001-creditnote")
        if not in_list(v, allowed):
            yield v.path


@rule("BR-CL-03", when=ctx.site("currency"))
def br_cl_03(inv: Invoice):
    codes = codelist("iso4217")
    for v in _sites(inv, "currency"):
        if v.attrs.get("currencyID") not in codes and not attr_in_list(v, "currencyID", codes):
            yield v.path


@rule("BR-CL-04", when=ctx.site("document_currency"))
def br_cl_04(inv: Invoice):
    for v in _sites(inv, "document_currency"):
        if not in_list(v, codelist("iso4217")):
            yield v.path


@rule("BR-CL-05", when=ctx.site("tax_currency"))
def br_cl_05(inv: Invoice):
    for v in _sites(inv, "tax_currency"):
        if not in_list(v, codelist("iso4217")):
            yield v.path


@rule("BR-CL-06", when=ctx.site("period_code"))
def br_cl_06(inv: Invoice):
    for v in _sites(inv, "period_code"):
        if not in_list(v, codelist("untdid2005")):
            yield v.path


@rule("BR-CL-07", when=ctx.document_references)
def br_cl_07(inv: Invoice):
    docs = list(inv.additional_documents) + [d for line in inv.lines for d in line.document_references]
    for doc in docs:
        if doc.type_code is not None and doc.type_code.text == "130" and doc.id is not None \
                and doc.id.attr("schemeID") is not None and not attr_in_list(doc.id, "schemeID", codelist("untdid1153")):
            yield doc.id.path


@rule("BR-CL-08", when=ctx.notes)
def br_cl_08(inv: Invoice):
    codes = _joined("untdid4451")
    for note in inv.notes:
        # a note may start with its subject code (BT-21) between hashes: "#AAI#text"
        subject = note.text.partition("#")[2]
        if "#" in subject:
            subject = subject.partition("#")[0]
            if len(subject) == 3 and subject not in codes:
                yield note.path


@cache
def _joined(listname: str) -> str:
    """The list as one space-separated text (the subject code test looks for the code in it)."""
    return " " + " ".join(sorted(codelist(listname))) + " "


@rule("BR-CL-10", when=ctx.site("party_id"))
def br_cl_10(inv: Invoice):
    icd = codelist("iso6523-icd")
    for v in _sites(inv, "party_id"):
        scheme = v.attr("schemeID")
        if scheme is None:
            continue
        if attr_in_list(v, "schemeID", icd):
            continue
        sepa_allowed = "/cac:AccountingSupplierParty" in v.path or "/cac:PayeeParty" in v.path
        if not (sepa_allowed and " ".join(scheme.split()) == "SEPA"):
            yield v.path


def _scheme_rule(rule_id: str, site: str, attribute: str, listname: str) -> None:
    def check(inv: Invoice):
        codes = codelist(listname)
        for v in _sites(inv, site):
            code = v.attrs.get(attribute)
            if code is not None and code not in codes and not attr_in_list(v, attribute, codes):
                yield v.path

    check.__name__ = rule_id
    rule(rule_id, when=ctx.site(site))(check)


_scheme_rule("BR-CL-11", "legal_id", "schemeID", "iso6523-icd")
_scheme_rule("BR-CL-13", "classification", "listID", "untdid7143")
_scheme_rule("BR-CL-21", "standard_id", "schemeID", "iso6523-icd")
_scheme_rule("BR-CL-23", "unit", "unitCode", "unece-rec20-rec21")
_scheme_rule("BR-CL-25", "endpoint", "schemeID", "eas")
_scheme_rule("BR-CL-26", "delivery_location", "schemeID", "iso6523-icd")


def _value_rule(rule_id: str, site: str, listname: str, *, upper: bool = False) -> None:
    def check(inv: Invoice):
        codes = codelist(listname)
        for v in _sites(inv, site):
            if (upper or v.text not in codes) and not in_list(v, codes, upper=upper):
                yield v.path

    check.__name__ = rule_id
    rule(rule_id, when=ctx.site(site))(check)


_value_rule("BR-CL-14", "country", "iso3166-1")
_value_rule("BR-CL-15", "origin_country", "iso3166-1")
_value_rule("BR-CL-16", "payment_means", "untdid4461")
_value_rule("BR-CL-17", "tax_category", "untdid5305")
_value_rule("BR-CL-18", "tax_category_line", "untdid5305")
_value_rule("BR-CL-22", "exemption_code", "vatex", upper=True)


def _reason_codes(inv: Invoice, charge: bool):
    acs = list(inv.allowances_charges)
    for line in inv.lines:
        acs.extend(line.allowances_charges)
        if line.price is not None:
            acs.extend(line.price.allowances)
    for ac in acs:
        if boolean_of(ac.indicator) is charge:
            yield from ac.reason_codes


@rule("BR-CL-19", when=ctx.allowances_charges)
def br_cl_19(inv: Invoice):
    for v in _reason_codes(inv, False):
        if not in_list(v, codelist("untdid5189")):
            yield v.path


@rule("BR-CL-20", when=ctx.allowances_charges)
def br_cl_20(inv: Invoice):
    for v in _reason_codes(inv, True):
        if not in_list(v, codelist("untdid7161")):
            yield v.path


@rule("BR-CL-24", when=ctx.site("mime"))
def br_cl_24(inv: Invoice):
    for v in _sites(inv, "mime"):
        mime = v.attr("mimeCode")
        if mime is not None and mime not in codelist("mime"):
            yield v.path

