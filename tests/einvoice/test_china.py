"""The China view: the mapping as data, the derivations it names, and `openftz einvoice china-view`."""
from __future__ import annotations

import json
import re
from decimal import Decimal

import pytest
from typer.testing import CliRunner

from openftz.cli import app
from openftz.einvoice.china import DERIVATIONS, capital_amount, china_view, mapping
from openftz.einvoice.convert import invoice_view
from openftz.einvoice.semantic import business_terms

from .test_examples import DATA

TESTFILES = DATA / "en16931-testfiles"
SELLER_USCC = "91310115MA1H7GXK00"
BUYER_USCC = "91310000MA1FL4Y200"

# The examples of 支付结算办法 (中国人民银行, 附件一《正确填写票据和结算凭证的基本规定》); where the rules allow two
# forms (an optional 零), the form this implementation writes is the second one they give.
CAPITALS = [
    ("1409.50", "壹仟肆佰零玖元伍角"),
    ("6007.14", "陆仟零柒元壹角肆分"),
    ("1680.32", "壹仟陆佰捌拾元叁角贰分"),
    ("107000.53", "壹拾万零柒仟元伍角叁分"),
    ("16409.02", "壹万陆仟肆佰零玖元零贰分"),
    ("325.04", "叁佰贰拾伍元零肆分"),
    ("100", "壹佰元整"),
    ("0.50", "伍角"),
    ("100000000", "壹亿元整"),
    ("100000001", "壹亿零壹元整"),
    ("-15", "负壹拾伍元整"),
]


def chinese_invoice() -> bytes:
    """A real EN 16931 test invoice made Chinese: in CNY, seller and buyer with unified social credit codes."""
    data = (TESTFILES / "Invoice-Min_content_with_VAT.xml").read_bytes()
    data = data.replace(b"SEK", b"CNY")
    data = data.replace(b"<cbc:RegistrationName>S\xc3\xa4ljbolaget AB</cbc:RegistrationName>",
                        "<cbc:RegistrationName>上海某某贸易有限公司</cbc:RegistrationName>"
                        f"<cbc:CompanyID>{SELLER_USCC}</cbc:CompanyID>".encode())
    data = data.replace(b"<cbc:RegistrationName>Centrala Ink\xc3\xb6ps Handelsbolag</cbc:RegistrationName>",
                        "<cbc:RegistrationName>某某科技（上海）有限公司</cbc:RegistrationName>"
                        f"<cbc:CompanyID>{BUYER_USCC}</cbc:CompanyID>".encode())
    assert SELLER_USCC.encode() in data and BUYER_USCC.encode() in data
    return data


def item(view: dict, zh: str) -> dict:
    return next(i for i in view["items"] if i["zh"] == zh)


def cell(line: dict, zh: str) -> dict:
    return next(c for c in line["cells"] if c["zh"] == zh)


def test_the_mapping_is_complete_data():
    rows = mapping()["rows"]
    terms = business_terms()
    assert len({r["zh"] for r in rows}) == len(rows)
    for row in rows:
        assert row["zh"] and row["en"] and row["how_en"] and row["how_zh"]
        assert row["at"] in ("header", "seller", "buyer", "line", "totals", "other")
        assert row["counterpart"] in ("direct", "derived", "partial", "none")
        assert row["derive"] in DERIVATIONS
        assert all(t in terms for t in row["from"]), row["zh"]
        assert (row["counterpart"] == "none") == (row["from"] == []), row["zh"]
    mapped = {r["zh"] for r in rows}
    assert {"购买方名称", "销售方名称", "项目名称", "商品和服务税收分类编码", "数量", "单位", "单价", "金额", "税率/征收率",
            "税额", "价税合计（小写）", "开票日期", "币种", "备注"} <= mapped


@pytest.mark.parametrize("amount, words", CAPITALS)
def test_capital_numerals(amount, words):
    assert capital_amount(Decimal(amount)) == words


def test_a_chinese_invoice_fills_the_items():
    view = invoice_view(chinese_invoice())
    china = view["china"]
    assert item(china, "销售方名称")["value"] == "上海某某贸易有限公司"
    assert item(china, "销售方统一社会信用代码/纳税人识别号")["value"] == SELLER_USCC
    assert item(china, "购买方统一社会信用代码/纳税人识别号")["value"] == BUYER_USCC
    assert item(china, "币种")["value"] == "CNY"
    total = view["tree"]["BG-22"]["BT-112"]
    assert item(china, "价税合计（小写）")["value"] == total
    assert item(china, "价税合计（大写）")["value"] == capital_amount(Decimal(total))
    assert item(china, "合计税额")["value"] == view["tree"]["BG-22"]["BT-110"]
    for source, line in zip(view["tree"]["BG-25"], china["lines"], strict=True):
        amount, rate = Decimal(source["BT-131"]), Decimal(source["BG-30"]["BT-152"])
        assert cell(line, "金额")["value"] == source["BT-131"]
        assert cell(line, "税额")["value"] == str((amount * rate / 100).quantize(Decimal("0.01")))
        assert cell(line, "税率/征收率")["value"] == f"{rate.normalize():f}%"
    assert all(i["value"] is None for i in china["items"] if i["counterpart"] == "none")
    assert {i["zh"] for i in china["no_counterpart"]} == {r["zh"] for r in mapping()["rows"] if r["counterpart"] == "none"}


def test_a_foreign_invoice_says_what_does_not_carry_over():
    china = invoice_view((TESTFILES / "Invoice-Max_content.xml").read_bytes())["china"]
    seller_id = item(china, "销售方统一社会信用代码/纳税人识别号")
    assert seller_id["value"] == "SE123456789001" and "foreign identifier" in seller_id["note_en"]
    assert item(china, "价税合计（大写）")["value"] is None  # SEK: no capital numerals
    assert "not CNY" in item(china, "币种")["note_en"]
    first, second = china["lines"]
    assert cell(first, "单位")["value"] == "米 (MTR)"
    assert cell(second, "税率/征收率")["value"] == "免税"  # VAT category E
    classification = cell(first, "商品和服务税收分类编码")
    assert classification["value"] is None and "is not a Chinese tax classification code" in classification["note_en"]


def test_a_tax_classification_code_by_bilateral_agreement():
    data = chinese_invoice().replace(
        b"<cac:ClassifiedTaxCategory>",
        b'<cac:CommodityClassification><cbc:ItemClassificationCode listID="ZZZ">1090511010000000000'
        b"</cbc:ItemClassificationCode></cac:CommodityClassification><cac:ClassifiedTaxCategory>", 1)
    view = invoice_view(data)
    assert cell(view["china"]["lines"][0], "商品和服务税收分类编码")["value"] == "1090511010000000000"


def test_remarks_join_notes_and_payment_terms():
    tree = invoice_view((TESTFILES / "Invoice-Max_content.xml").read_bytes())["tree"]
    remarks = item(china_view(tree), "备注")["value"]
    assert tree["BG-1"][0]["BT-22"] in remarks and tree["BT-20"] in remarks


def test_cli_china_view_prints_json():
    result = CliRunner().invoke(app, ["einvoice", "china-view", str(TESTFILES / "Invoice-Max_content.xml")])
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert body["cites"] == ["SC-29", "SH-44"] and body["lines"]
    assert re.search("数电票", body["notice_zh"])
