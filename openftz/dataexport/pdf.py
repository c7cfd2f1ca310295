"""The self-assessment report as a bilingual PDF, rendered on the server with reportlab.

Chinese is set in the Chinese face of ``openftz.core.pdf`` (a TrueType font embedded when one is installed, else
Adobe's STSong-Light, which the reader supplies); English in Helvetica, with any run of characters Helvetica lacks
switched to the Chinese face. Chinese paragraphs break between any two characters (wordWrap CJK), English ones
between words.
"""
from __future__ import annotations

import io
from functools import cache

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer

from openftz.core.pdf import LATIN, chinese, cjk_font, markup

GREY = colors.HexColor("#555555")
OUTCOME = {"applies": ("适用", "applies"), "not_applicable": ("不适用", "does not apply")}


@cache
def _styles() -> dict[str, ParagraphStyle]:
    zh = ParagraphStyle("zh", fontName=cjk_font(), fontSize=10.5, leading=15, wordWrap="CJK")
    en = ParagraphStyle("en", fontName=LATIN, fontSize=9, leading=12.5, textColor=GREY, spaceAfter=3)
    return {
        "title": ParagraphStyle("title", parent=zh, fontSize=17, leading=23, spaceAfter=2),
        "title_en": ParagraphStyle("title_en", parent=en, fontSize=11, leading=15, spaceAfter=6),
        "h2": ParagraphStyle("h2", parent=zh, fontSize=13, leading=18, spaceBefore=10),
        "h2_en": ParagraphStyle("h2_en", parent=en, fontSize=10, leading=13, spaceAfter=4),
        "h3": ParagraphStyle("h3", parent=zh, fontSize=11.5, leading=16, spaceBefore=6),
        "zh": zh, "en": en,
        "decision": ParagraphStyle("decision", parent=zh, fontSize=12.5, leading=18, textColor=colors.HexColor("#0b4f8a")),
        "answer": ParagraphStyle("answer", parent=zh, leftIndent=8 * mm, fontSize=10, leading=14, textColor=colors.black),
        "answer_en": ParagraphStyle("answer_en", parent=en, leftIndent=8 * mm, fontName=LATIN, fontSize=9.5, leading=13,
                                    textColor=colors.black),
        "label": ParagraphStyle("label", parent=en, leftIndent=4 * mm, fontSize=8.5, leading=11, spaceAfter=0),
        "unanswered": ParagraphStyle("unanswered", parent=zh, leftIndent=8 * mm, fontSize=10, textColor=colors.HexColor("#b00020")),
        "small": ParagraphStyle("small", parent=en, fontSize=8, leading=10.5),
    }


def _has_cjk(text: str) -> bool:
    return any("\u2e80" <= c <= "\u9fff" or "\uf900" <= c <= "\ufaff" or "\uff00" <= c <= "\uffef" for c in text)


def _pair(story: list, zh: str, en: str, zh_style: str = "zh", en_style: str = "en") -> None:
    s = _styles()
    story.append(Paragraph(chinese(zh), s[zh_style]))
    story.append(Paragraph(markup(en), s[en_style]))


def _heading(story: list, zh: str, en: str) -> None:
    _pair(story, zh, en, "h2", "h2_en")


def _free_text(text: str) -> Paragraph:
    """The applicant's own words, in whichever language they wrote."""
    s = _styles()
    return Paragraph(chinese(text), s["answer"]) if _has_cjk(text) else Paragraph(markup(text), s["answer_en"])


def render(report: dict) -> bytes:
    """The PDF of a report built by ``report.build``."""
    s = _styles()
    story: list = []
    story.append(Paragraph("数据出境自评估报告", s["title"]))
    story.append(Paragraph("Cross-border data export: self-assessment report", s["title_en"]))
    story.append(Paragraph(markup(f"日期 Date: {report['date'].isoformat()} · OpenFTZ · 决策辅助，不构成法律意见 / "
                                  "a decision aid, not a legal opinion"), s["small"]))

    _heading(story, "结论", "Decision")
    _pair(story, report["decision"]["zh"], report["decision"]["en"], "decision")
    story.append(Paragraph(markup("依据 Legal basis: " + "；".join(report["cites"])), s["en"]))
    story.append(Paragraph(markup("落实的方案措施 Plan measures carried out: " + ", ".join(report["measures"])), s["en"]))
    if report["validity"]:
        _pair(story, report["validity"]["zh"], report["validity"]["en"])
    if report["mechanism"]:
        _pair(story, "采用方式：" + report["mechanism"]["zh"], "Mechanism chosen: " + report["mechanism"]["en"])

    _heading(story, "声明的事实", "Facts declared")
    for fact in report["facts"]:
        _pair(story, f"{fact['question_zh']} —— {fact['answer_zh']}", f"{fact['question_en']} — {fact['answer_en']}")

    if report["sections"]:
        _heading(story, "报告事项", "Report items")
        _pair(story, f"相关办法要求评估的事项共 {report['items_total']} 项，其中 {report['items_unanswered']} 项未作答或未答全。",
              f"{report['items_total']} items required by the measures; {report['items_unanswered']} not (fully) answered.")
        for section in report["sections"]:
            story.append(Paragraph(chinese(f"《{section['zh']}》"), s["h3"]))
            story.append(Paragraph(markup(f"{section['en']} ({section['issued']})"), s["en"]))
            for item in section["items"]:
                block = [Paragraph(chinese(f"{item['id']}  {item['article']}：{item['zh']}"), s["zh"]),
                         Paragraph(markup(item["en"]), s["en"])]
                for answer in item["answers"]:
                    block.append(Paragraph(markup(f"{answer['zh']} / {answer['en']}"), s["label"]))
                    if answer["answer"]:
                        block.append(_free_text(answer["answer"]))
                    else:
                        block.append(Paragraph("未作答 / Not answered", s["unanswered"]))
                block.append(Spacer(1, 2 * mm))
                story.append(KeepTogether(block))

    _heading(story, "已评估的规则", "Rules evaluated")
    for n, step in enumerate(report["trace"], start=1):
        zh_outcome, en_outcome = OUTCOME.get(step["outcome"], (step["outcome"], step["outcome"]))
        _pair(story, f"{n}. {step['rule']}（{zh_outcome}）{step['reason_zh']}",
              f"{step['reason_en']} ({en_outcome}; {'; '.join(step['cites'])})")

    _heading(story, "仍须履行的义务", "Obligations that remain")
    for obligation in report["obligations"]:
        _pair(story, f"• {obligation['zh']}", f"{obligation['en']} ({'; '.join(obligation['cites'])})")
    _pair(story, report["retention"]["zh"], report["retention"]["en"])

    if report["warnings"]:
        _heading(story, "提示", "Warnings")
        for warning in report["warnings"]:
            _pair(story, f"• {warning['zh']}", warning["en"])

    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm, topMargin=18 * mm, bottomMargin=18 * mm,
                            title="数据出境自评估报告 / Data export self-assessment report", author="OpenFTZ",
                            subject=report["decision"]["en"], lang="zh-CN")
    doc.build(story, onFirstPage=_footer, onLaterPages=_footer)
    return buffer.getvalue()


def _footer(canvas, doc) -> None:
    canvas.saveState()
    canvas.setFont(cjk_font(), 8)
    canvas.setFillColor(GREY)
    canvas.drawString(20 * mm, 10 * mm, f"OpenFTZ 数据出境自评估报告 | 第 {doc.page} 页 / page {doc.page}")
    canvas.restoreState()
