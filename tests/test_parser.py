"""The plan parser on the two official plans and on excerpts written to exercise each form."""
import collections

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from openftz.rulebook.parser import (
    PlanParseError, cn_number, parse_plan, parse_responsibility, split_responsibility,
)

from .conftest import DATA


def test_state_council_plan(plans):
    sc = plans["SC"]
    assert (sc.doc_number, sc.issuer, sc.signed_on, sc.kind) == ("国发〔2023〕23号", "国务院", "2023-11-26", "总体方案")
    assert sc.title == "全面对接国际高标准经贸规则推进中国(上海)自由贸易试验区高水平制度型开放总体方案"
    numbered = [m for m in sc.measures if m.number]
    assert [m.number for m in numbered] == list(range(1, 81))
    assert [c.title for c in sc.chapters][:3] == ["总体要求", "加快服务贸易扩大开放", "提升货物贸易自由化便利化水平"]
    assert len(sc.chapters) == 8
    assert sc.preamble.startswith("支持中国（上海）自由贸易试验区") and sc.preamble.endswith("制定本方案。")
    assert sc.chapters[0].intro.startswith("以习近平新时代中国特色社会主义思想为指导")
    # The unnumbered closing paragraph is not swallowed by measure 80.
    closing = sc.measures[-1]
    assert closing.id == "SC-closing" and closing.number is None and closing.chapter is None
    assert closing.text.startswith("上海市人民政府要强化主体责任") and closing.text.endswith("重大事项及时向党中央、国务院请示报告。")
    assert numbered[-1].text.endswith("堵塞监管漏洞。")
    by_id = {m.id: m for m in sc.measures}
    assert by_id["SC-51"].chapter_title == "推进政府采购领域改革" and by_id["SC-51"].section_title == "采购程序"
    assert all(not m.units for m in sc.measures)  # the national plan names no responsible units


def test_shanghai_plan(plans):
    sh = plans["SH"]
    assert (sh.doc_number, sh.issuer, sh.signed_on, sh.printed_on) == ("沪府发〔2024〕1号", "上海市人民政府", "2024-02-03", "2024-02-04")
    assert sh.title.startswith("上海市落实《全面对接国际高标准经贸规则") and sh.title.endswith("》的实施方案")
    assert [m.id for m in sh.measures] == [f"SH-{n}" for n in range(1, 118)]
    assert len(sh.chapters) == 9 and sh.chapters[-1].title == "保障措施"
    by_id = {m.id: m for m in sh.measures}
    # Lines and unit names broken across lines and page breaks are joined again.
    assert by_id["SH-1"].text == "鼓励商业银行、非银行支付机构等支付服务提供者推出电子支付系统国际先进标准."
    assert by_id["SH-1"].units == ["中国人民银行上海总部", "金融监管总局上海监管局"]
    assert by_id["SH-5"].units == ["市委网信办", "市公安局", "中国人民银行上海总部", "金融监管总局上海监管局", "上海证监局"]
    assert by_id["SH-99"].units[-2:] == ["浦东新区政府(上海自贸试验区管委会)", "临港新片区管委会"]
    assert by_id["SH-107"].units == ["各有关部门"]
    assert by_id["SH-117"].lead_unit == "浦东新区政府(上海自贸试验区管委会)"
    assert by_id["SH-117"].text.endswith("并对所在单位或部门在年度绩效考核中给予倾斜支持.")
    assert "抄送" not in by_id["SH-117"].text
    assert all(m.units and m.lead_unit == m.units[0] for m in sh.measures)
    units = collections.Counter(u for m in sh.measures for u in m.units)
    assert len(units) == 46
    assert {"市商务委(市口岸办)", "市商务委", "各有关部门"} <= set(units)
    assert units["临港新片区管委会"] == 50


def test_labelled_and_free_forms():
    doc = parse_plan((DATA / "excerpt-forms.txt").read_bytes(), plan="X")
    assert (doc.doc_number, doc.issuer, doc.signed_on, doc.printed_on, doc.kind) == (
        "某府办发〔2025〕7号", "某某市人民政府办公厅", "2025-03-01", "2025-03-02", "若干措施")
    got = [(m.id, m.chapter, m.section, m.units, m.lead_unit) for m in doc.measures]
    assert got == [
        ("X-1", 1, 1, ["市商务委(市口岸办)", "某某海关", "市交通委"], "市商务委(市口岸办)"),
        ("X-2", 1, 1, ["市交通委", "市商务委", "某某海关"], "市交通委"),
        ("X-3", 1, 2, ["人民银行某某分行"], "人民银行某某分行"),
        ("X-4", 2, None, ["市商务委", "市财政局"], "市商务委"),
        ("X-5", 2, None, ["各有关部门"], "各有关部门"),
    ]
    assert doc.measures[0].text == "推行进口货物“提前申报”,压缩整体通关时间."


def test_wrapped_lines_page_breaks_and_letterhead():
    doc = parse_plan((DATA / "excerpt-wrapped.txt").read_text(encoding="utf-8"))
    assert (doc.plan, doc.doc_number, doc.issuer, doc.title) == ("SH", "沪某发〔2025〕3号", "上海某某委员会", "某某领域对接国际规则实施方案")
    first, second, third = doc.measures
    assert first.units == ["市委网信办", "浦东新区政府(上海自贸试验区管委会)", "临港新片区管委会"]
    assert first.text.endswith("编制数据出境负面清单并动态更新.")
    assert second.units == ["市税务局", "市商务委(市口岸办)"]
    assert third.text == "试点电子仓单,支持以电子仓单开展质押融资,金额５０００万元以上的项目单独报备."
    assert third.units == ["各有关部门"]


def test_traditional_characters_are_read_as_simplified():
    doc = parse_plan((DATA / "excerpt-traditional.txt").read_bytes())
    assert doc.doc_number == "国发〔2025〕9号" and doc.title == "某某自由贸易试验区提升方案"
    assert doc.chapters[0].title == "总体要求"
    assert [(m.units, m.lead_unit) for m in doc.measures] == [
        (["市商务委", "市发展改革委"], "市商务委"),
        (["市委网信办", "市公安局"], "市委网信办"),
    ]


@pytest.mark.parametrize("clause, units, lead", [
    ("责任单位:市商务委、市财政局", ["市商务委", "市财政局"], "市商务委"),
    ("市交通委牵头负责,上海海关配合", ["市交通委", "上海海关"], "市交通委"),
    ("责任单位:工业和信息化部、国家发展和改革委员会", ["工业和信息化部", "国家发展和改革委员会"], "工业和信息化部"),
    ("市商务委、市财政局及其派出机构按职责分工负责", ["市商务委", "市财政局及其派出机构"], "市商务委"),
    ("责任单位：市商务委（市口岸办）、上海海关", ["市商务委(市口岸办)", "上海海关"], "市商务委(市口岸办)"),
    ("牵头单位:市数据局;责任单位:市委网信办、市数据局", ["市数据局", "市委网信办"], "市数据局"),
    ("牵头单位：市司法局；配合单位：市高院，市检察院", ["市司法局", "市高院", "市检察院"], "市司法局"),
    ("市交通委牵头,上海海关、市商务委配合", ["市交通委", "上海海关", "市商务委"], "市交通委"),
    ("市知识产权局牵头负责", ["市知识产权局"], "市知识产权局"),
    ("市发展改革委、市财政局按职责分工负责", ["市发展改革委", "市财政局"], "市发展改革委"),
    ("各有关部门按职责分工负责", ["各有关部门"], "各有关部门"),
    ("浦东新区政府(上海自贸试验区管委会)负责", ["浦东新区政府(上海自贸试验区管委会)"], "浦东新区政府(上海自贸试验区管委会)"),
])
def test_responsibility_forms(clause, units, lead):
    read = parse_responsibility(clause)
    assert (read.units, read.lead) == (units, lead)


CO_LEADS = "市政府办公室、市审批制度改革领导小组办公室牵头，市级各有关部门及各县市区政府按职责分工负责"


@pytest.mark.parametrize("clause", [CO_LEADS, "市政府辦公室、市審批制度改革領導小組辦公室牽頭，市級各有關部門及各縣市區政府按職責分工負責"])
def test_co_leads_all_lead_and_conjunctions_split_units(clause):
    """Both units before 牵头 lead, the first is the lead unit; 及 joins two units after it (also in traditional script)."""
    doc = parse_plan(f"一、总体要求\n1.推进审批制度改革。({clause})\n".encode())
    measure = doc.measures[0]
    assert measure.units == ["市政府办公室", "市审批制度改革领导小组办公室", "市级各有关部门", "各县市区政府"]
    assert measure.leads == ["市政府办公室", "市审批制度改革领导小组办公室"]
    assert measure.lead_unit == "市政府办公室"


def test_labelled_lead_units_all_lead():
    read = parse_responsibility("牵头单位:市商务委、市发展改革委;责任单位:市财政局和市税务局")
    assert read.units == ["市商务委", "市发展改革委", "市财政局", "市税务局"]
    assert read.leads == ["市商务委", "市发展改革委"]


@pytest.mark.parametrize("text", ["ESG", "以下简称上海自贸试验区", "含临港新片区", ""])
def test_parentheses_that_are_not_clauses(text):
    assert parse_responsibility(text) is None
    body, clause, read = split_responsibility(f"开发环境、社会和治理({text})")
    assert clause is None and read is None


def test_measure_numbers_must_follow_in_sequence():
    doc = parse_plan("一、总则\n1.第一项措施,期限不少于\n3.5个工作日的不算编号.\n5.编号跳跃的行属于上一条.\n2.第二项措施.\n")
    assert [(m.number, m.text) for m in doc.measures] == [
        (1, "第一项措施,期限不少于3.5个工作日的不算编号.5.编号跳跃的行属于上一条."),
        (2, "第二项措施."),
    ]


@pytest.mark.parametrize("numeral, value", [("一", 1), ("九", 9), ("十", 10), ("十二", 12), ("二十", 20), ("二十三", 23)])
def test_chinese_numerals(numeral, value):
    assert cn_number(numeral) == value


@pytest.mark.parametrize("data, says", [
    (b"", "empty"),
    (b"   \n\n  ", "empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
    ("一、总体要求\n1.措施".encode("gbk"), "not UTF-8"),
    ("这是一段普通的文字,没有任何编号的措施。\n第二行。".encode(), "no numbered measures"),
])
def test_bad_input_is_refused_with_a_reason(data, says):
    with pytest.raises(PlanParseError) as raised:
        parse_plan(data)
    assert says in raised.value.message_en and raised.value.message_zh


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=st.sampled_from(list("一二三四五六七八九十、()（）１２３.．:：;；,，\n 　责任单位牵头负责配合按职责分工各有关部门市商务委〔〕号年月日关于印发《》的通知0123456789abc")) | st.characters(), max_size=400))
def test_arbitrary_text_never_crashes_the_parser(text):
    try:
        doc = parse_plan(text)
    except PlanParseError:
        return
    assert all(m.id for m in doc.measures)


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=300))
def test_arbitrary_bytes_never_crash_the_parser(data):
    try:
        parse_plan(data)
    except PlanParseError:
        pass


@pytest.mark.parametrize("text, canonical", [
    ("沪府规〔2024〕3号", "沪府规〔2024〕3号"), ("沪府规 〔２０２４〕３号", "沪府规〔2024〕3号"), ("国发[2023]23号", "国发〔2023〕23号"),
    ("第三号", None), ("沪府规〔24〕3号", None), ("", None),
])
def test_document_numbers(text, canonical):
    from openftz.rulebook.parser import doc_number

    assert doc_number(text) == canonical
