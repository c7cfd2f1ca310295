"""The China view (中国视图): the items of a fully digitalised e-invoice (数电票) filled from EN 16931 terms.

The mapping itself is data (``data/einvoice/china-mapping.yaml``): each 数电票 item, the terms it comes from, how it
is derived and whether EN 16931 has a counterpart at all. This module only computes the values the rows name, from
the term tree of :mod:`openftz.einvoice.semantic`. It issues nothing and defines no format: a 数电票 exists only
when the tax authority's platform issues it (SC-29: 加强全面数字化的电子发票管理; SH-44).
"""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import cache

import yaml
from stdnum.cn import uscc as _uscc
from stdnum.exceptions import ValidationError as _StdnumError

from openftz.core.citations import cites

from .rules import codelist
from .semantic import DATA, Tree

CITES = cites("SC-29", "SH-44")
CENT = Decimal("0.01")
_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_SMALL = ("仟", "佰", "拾", "")
_BIG = ("", "万", "亿", "万亿")


@cache
def mapping() -> dict:
    return yaml.safe_load((DATA / "china-mapping.yaml").read_text(encoding="utf-8"))


def _values(value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str) and v]
    return [value] if isinstance(value, str) and value else []


def _find(tree: Tree, term: str):
    """The value of ``term`` in ``tree`` or in its nested (non-repeating) groups, depth first."""
    if term in tree:
        return tree[term]
    for value in tree.values():
        if isinstance(value, dict):
            found = _find(value, term)
            if found is not None:
                return found
    return None


def _decimal(text: str | None) -> Decimal | None:
    if not text:
        return None
    try:
        return Decimal(text.strip())
    except InvalidOperation:
        return None


def _money(value: Decimal) -> str:
    return str(value.quantize(CENT, rounding=ROUND_HALF_UP))


def capital_amount(amount: Decimal) -> str:
    """An amount in Chinese capital numerals (中文大写金额), e.g. 1409.50 → 壹仟肆佰零玖元伍角, 100 → 壹佰元整.

    Written the way the payment settlement rules (支付结算办法) prescribe: one 零 for a run of zeros inside the
    number, none at the end of a group, 整 after 元 when there are no 角 and 分, 零 between 元 and 分 when 角 is 0."""
    amount = amount.quantize(CENT, rounding=ROUND_HALF_UP)
    sign = "负" if amount < 0 else ""
    cents = int(abs(amount) * 100)
    yuan, jiao, fen = cents // 100, cents // 10 % 10, cents % 10
    if yuan >= 10 ** 16:
        raise ValueError("amount too large for Chinese capital numerals")
    out = _integer_capital(yuan) + "元" if yuan else ""
    if jiao == 0 and fen == 0:
        return sign + (out or "零元") + "整"
    if jiao:
        out += _DIGITS[jiao] + "角"
    elif yuan:
        out += "零"
    if fen:
        out += _DIGITS[fen] + "分"
    return sign + out


def _integer_capital(n: int) -> str:
    groups = []
    while n:
        groups.append(n % 10000)
        n //= 10000
    out, zero = "", False
    for index in range(len(groups) - 1, -1, -1):
        group = groups[index]
        if group == 0:
            zero = zero or bool(out)
            continue
        for position, char in enumerate(f"{group:04d}"):
            digit = int(char)
            if digit == 0:
                zero = zero or bool(out)
                continue
            if zero:
                out += "零"
                zero = False
            out += _DIGITS[digit] + _SMALL[position]
        out += _BIG[index]
    return out


def uscc_of(candidates: list[str]) -> str | None:
    for candidate in candidates:
        try:
            return _uscc.validate(candidate)
        except _StdnumError:
            continue
    return None


def _item(value: str | None, note_en: str | None = None, note_zh: str | None = None) -> dict:
    return {"value": value, "note_en": note_en, "note_zh": note_zh}


# — derivations: (row, the tree the row reads from, the whole invoice) → {"value", "note_en", "note_zh"} ——————————

def _first(row: dict, tree: Tree, invoice: Tree) -> dict:
    for term in row["from"]:
        values = _values(_find(tree, term))
        if values:
            return _item("; ".join(values))
    return _item(None)


def _none(row: dict, tree: Tree, invoice: Tree) -> dict:
    return _item(None)


def _title(row: dict, tree: Tree, invoice: Tree) -> dict:
    code = _find(invoice, "BT-3")
    if not code:
        return _item(None)
    if code in codelist("untdid1001-creditnote"):  # the credit note type codes of EN 16931 (BR-CL-01)
        return _item(f"{code}: 贷记 / credit", "corresponds to a red-letter invoice (红字发票)", "对应红字发票")
    return _item(f"{code}: 发票 / invoice", "special or ordinary VAT invoice: to be chosen on issue",
                 "增值税专用发票或普通发票：开具时选择")


def _currency(row: dict, tree: Tree, invoice: Tree) -> dict:
    currency = _find(invoice, "BT-5")
    accounting = _find(invoice, "BT-6")
    if currency == "CNY":
        return _item("CNY")
    if accounting == "CNY":
        return _item(currency, "VAT also stated in CNY (BT-6, BT-111)", "另以人民币列示增值税（BT-6、BT-111）")
    return _item(currency, "not CNY: amounts must be converted before a 数电票 is issued",
                 "非人民币：开具数电票前须折算")


def _tax_id(row: dict, tree: Tree, invoice: Tree) -> dict:
    candidates = [v for term in row["from"] for v in _values(_find(tree, term))]
    code = uscc_of(candidates)
    if code:
        return _item(code, "unified social credit code (check character verified)", "统一社会信用代码（校验位正确）")
    vat = _values(_find(tree, row["fallback"]))
    fallback = vat[0] if vat else (candidates[0] if candidates else None)
    if fallback:
        return _item(fallback, "foreign identifier, not a Chinese taxpayer identification number",
                     "境外标识，非中国纳税人识别号")
    return _item(None)


def _address_phone(row: dict, tree: Tree, invoice: Tree) -> dict:
    group, phone = row["from"]
    address = tree.get(group) or {}
    parts = []
    for value in address.values():
        parts += _values(value)
    parts += _values(tree.get(phone) or _find(tree, phone))
    return _item(" ".join(parts) or None)


def _bank_account(row: dict, tree: Tree, invoice: Tree) -> dict:
    for means in invoice.get("BG-16") or []:
        for account in means.get("BG-17") or []:
            text = " ".join(v for v in (account.get("BT-86"), account.get("BT-84")) if v)
            if text:
                return _item(text, "BT-86 is a provider identifier such as a BIC, not a bank name",
                             "BT-86 为支付服务机构标识（如 BIC），非银行名称")
    return _item(None)


def _classification(row: dict, tree: Tree, invoice: Tree) -> dict:
    codes = _values(_find(tree, "BT-158"))
    schemes = _find(tree, "BT-158-1")
    schemes = schemes if isinstance(schemes, list) else [schemes] * len(codes)
    for code, scheme in zip(codes, schemes, strict=False):
        if scheme == "ZZZ" and len(code) == 19 and code.isdigit():
            return _item(code, "by bilateral agreement (scheme ZZZ), not a standard code list",
                         "依双方约定（体系 ZZZ），非标准代码表")
    if codes:
        shown = ", ".join(f"{scheme or '?'} {code}" for code, scheme in zip(codes, schemes, strict=False))
        return _item(None, f"classification {shown} is not a Chinese tax classification code",
                     f"分类 {shown} 不是税收分类编码")
    return _item(None)


def _specification(row: dict, tree: Tree, invoice: Tree) -> dict:
    names = {"规格型号", "规格", "型号", "specification", "model"}
    for attribute in _find(tree, "BG-32") or []:
        if str(attribute.get("BT-160", "")).strip().lower() in names and attribute.get("BT-161"):
            return _item(attribute["BT-161"])
    return _item(None)


def _unit(row: dict, tree: Tree, invoice: Tree) -> dict:
    code = _find(tree, "BT-130")
    if not code:
        return _item(None)
    name = mapping()["units"].get(code)
    return _item(f"{name} ({code})" if name else code)


def _unit_price(row: dict, tree: Tree, invoice: Tree) -> dict:
    price = _decimal(_find(tree, "BT-146"))
    if price is None:
        return _item(None)
    base = _decimal(_find(tree, "BT-149"))
    if base not in (None, Decimal(0), Decimal(1)):
        return _item(str((price / base).normalize()), f"BT-146 {price} per {base} (BT-149)",
                     f"BT-146 {price} 每 {base}（BT-149）")
    return _item(str(price))


def _rate(row: dict, tree: Tree, invoice: Tree) -> dict:
    code = _find(tree, "BT-151")
    rate = _decimal(_find(tree, "BT-152"))
    if code == "E":
        return _item("免税", "exempt (category E)", "免税（类别 E）")
    if code == "O":
        return _item("不征税", "outside the scope of VAT (category O)", "不属于增值税征税范围（类别 O）")
    if code == "Z":
        return _item("0%")
    if code in ("S", "L", "M") and rate is not None:
        return _item(f"{rate.normalize():f}%")
    if code:
        return _item(code, f"VAT category {code} has no 数电票 rate label", f"增值税类别 {code} 在数电票上无对应税率标识")
    return _item(None)


def _line_tax(row: dict, tree: Tree, invoice: Tree) -> dict:
    amount = _decimal(_find(tree, "BT-131"))
    rate = _decimal(_find(tree, "BT-152"))
    if amount is None or rate is None:
        return _item(None)
    return _item(_money(amount * rate / 100), "computed: BT-131 × BT-152 / 100", "计算所得：BT-131 × BT-152 / 100")


def _total_tax(row: dict, tree: Tree, invoice: Tree) -> dict:
    total = _find(invoice, "BT-110")
    accounting = _find(invoice, "BT-111")
    if accounting and _find(invoice, "BT-6") == "CNY":
        return _item(total, f"in CNY: {accounting} (BT-111)", f"人民币：{accounting}（BT-111）")
    return _item(total)


def _capital(row: dict, tree: Tree, invoice: Tree) -> dict:
    amount = _decimal(_find(invoice, "BT-112"))
    if amount is None:
        return _item(None)
    currency = _find(invoice, "BT-5")
    if currency != "CNY":
        return _item(None, f"the invoice is in {currency}, not CNY", f"发票币种为 {currency}，非人民币")
    try:
        return _item(capital_amount(amount))
    except ValueError:
        return _item(None, "amount too large", "金额过大")


def _remarks(row: dict, tree: Tree, invoice: Tree) -> dict:
    parts = []
    for note in invoice.get("BG-1") or []:
        text = note.get("BT-22", "")
        parts.append(f"[{note['BT-21']}] {text}" if note.get("BT-21") else text)
    parts += _values(invoice.get("BT-20"))
    return _item("\n".join(p for p in parts if p) or None)


def _preceding(row: dict, tree: Tree, invoice: Tree) -> dict:
    refs = [r["BT-25"] for r in invoice.get("BG-3") or [] if r.get("BT-25")]
    return _item("; ".join(refs) or None)


DERIVATIONS = {
    "first": _first, "none": _none, "title": _title, "currency": _currency, "tax_id": _tax_id, "address_phone": _address_phone,
    "bank_account": _bank_account, "classification": _classification, "specification": _specification,
    "unit": _unit, "unit_price": _unit_price, "rate": _rate, "line_tax": _line_tax, "total_tax": _total_tax,
    "capital_amount": _capital, "remarks": _remarks, "preceding": _preceding,
}
_SCOPE = {"seller": "BG-4", "buyer": "BG-7"}


def _row(row: dict) -> dict:
    return {k: row[k] for k in ("zh", "en", "at", "from", "counterpart", "how_en", "how_zh")}


def china_view(invoice: Tree) -> dict:
    """Every 数电票 item with the value this invoice gives it: document items once, line items per line."""
    rows = mapping()["rows"]
    items = []
    for row in rows:
        if row["at"] == "line":
            continue
        scope = (invoice.get(_SCOPE[row["at"]]) or {}) if row["at"] in _SCOPE else invoice
        items.append({**_row(row), **DERIVATIONS[row["derive"]](row, scope, invoice)})
    line_rows = [row for row in rows if row["at"] == "line"]
    lines = []
    for line in invoice.get("BG-25") or []:
        cells = [{"zh": row["zh"], "en": row["en"], **DERIVATIONS[row["derive"]](row, line, invoice)} for row in line_rows]
        lines.append({"id": line.get("BT-126"), "cells": cells})
    return {
        "notice_en": "A mapping for reading, not a 数电票: only the tax authority's platform issues one (and assigns its number).",
        "notice_zh": "此为对照视图，并非数电票：数电票只能由电子发票服务平台开具并赋予号码。",
        "source": mapping()["source"],
        "cites": [c.measure for c in CITES],
        "items": items,
        "line_items": [_row(row) for row in line_rows],
        "lines": lines,
        "no_counterpart": [{"zh": r["zh"], "en": r["en"], "how_en": r["how_en"], "how_zh": r["how_zh"]}
                           for r in rows if r["counterpart"] == "none"],
    }
