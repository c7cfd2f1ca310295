"""The invoice as a bilingual PDF (发票 PDF), the same layout as the HTML page, through reportlab.

Latin text is set in Helvetica; any run of characters Helvetica cannot draw (Chinese above all) in the Chinese face
of ``openftz.core.pdf`` (embedded when a font is installed, else STSong-Light).
Each label shows its BT/BG id (a PDF has no hover).
"""
from __future__ import annotations

import io
from functools import cache
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

from openftz.core.pdf import LATIN, LongTable, cell, long_table, markup

GREY = colors.HexColor("#52606d")
WIDTH = A4[0] - 30 * mm


@cache
def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("base", fontName=LATIN, fontSize=8, leading=10, alignment=TA_LEFT)
    return {
        "base": base,
        "small": ParagraphStyle("small", parent=base, fontSize=6.5, leading=8, textColor=GREY),
        "title": ParagraphStyle("title", parent=base, fontSize=14, leading=18, spaceAfter=4),
        "h": ParagraphStyle("h", parent=base, fontSize=10.5, leading=14, spaceBefore=8, spaceAfter=3, keepWithNext=1),
        "h4": ParagraphStyle("h4", parent=base, fontSize=9, leading=12, spaceBefore=4, spaceAfter=2, keepWithNext=1),
    }


def _p(text: str, style: str = "base") -> Paragraph:
    return Paragraph(markup(text), _styles()[style])


def _label(item: dict) -> Paragraph:
    term = f' <font size="6" color="#7b8794">{escape(item["term"])}</font>' if item.get("term") else ""
    return Paragraph(f'{markup(item["zh"])}{term}<br/><font size="6.5" color="#52606d">{markup(item["en"])}</font>',
                     _styles()["base"])


def _grid(rows: list[list], widths: list[float], *, header: bool = False, spans: list[int] = ()) -> LongTable:
    """A ruled table of any length; ``spans`` are the indexes (in ``rows``) of full-width rows."""
    h = 1 if header else 0
    return long_table(rows[:h], rows[h:], widths, frozenset(i - h for i in spans))


def _cells(texts: list[str], style: str = "base") -> list:
    """Plain text cells, measured once (see openftz.core.pdf.Text)."""
    return [cell(text, _styles()[style]) for text in texts]


def _fields(fields: list[dict]) -> LongTable:
    """Terms two to a row: label, value, label, value."""
    cells = [[_label(f), cell(f["value"], _styles()["base"])] for f in fields]
    if len(cells) % 2:
        cells.append(["", ""])
    rows = [cells[i] + cells[i + 1] for i in range(0, len(cells), 2)]
    return _grid(rows, [WIDTH * 0.2, WIDTH * 0.3, WIDTH * 0.2, WIDTH * 0.3])


def _table(t: dict) -> LongTable:
    n = len(t["columns"])
    widths = [WIDTH / n] * n
    rows: list[list] = [[_label(c) for c in t["columns"]]]
    spans = []
    for row in t["rows"]:
        rows.append(_cells(row["cells"]))
        if row["details"]:
            text = "    ".join(f'{f["zh"]} {f["en"]} ({f["term"]}): {f["value"]}' for f in row["details"])
            spans.append(len(rows))
            rows.append([cell(text, _styles()["small"])] + [""] * (n - 1))
    return _grid(rows, widths, header=True, spans=spans)


def render_pdf(view: dict) -> bytes:
    """The PDF bytes of an invoice view (see :func:`openftz.einvoice.convert.invoice_view`)."""
    s = _styles()
    story: list = [_p(f'{view["kind_zh"]} {view["number"] or ""}  {view["kind"]} (EN 16931)', "title")]
    state = "有效 valid" if view["valid"] else "无效 invalid"
    story.append(_p(f'{state} · 规则集 rule set: {view["ruleset"] or "—"} · 错误 fatal: {view["fatal"]} · '
                    f'警告 warnings: {view["warnings"]}'))
    story.append(_p("校验结果 Validation findings", "h"))
    if view["findings"]:
        widths = [WIDTH * 0.14, WIDTH * 0.11, WIDTH * 0.45, WIDTH * 0.30]
        rows = [[_p(h) for h in ("规则 rule", "级别 severity", "说明 message", "位置 path")]]
        severity = {"fatal": _p("错误 fatal"), "warning": _p("警告 warning")}
        for f in view["findings"]:
            message = f'{f.get("message_zh") or ""}\n{f["message"]}'.strip()
            rows.append([cell(f["rule"], s["base"]), severity["fatal" if f["severity"] == "fatal" else "warning"],
                         cell(message, s["base"]), cell(f["path"], s["small"])])
        story.append(_grid(rows, widths, header=True))
    else:
        story.append(_p("无 none"))
    for section in view["sections"]:
        block: list = [Paragraph(f'{markup(section["zh"])} <font color="#52606d">{markup(section["en"])}</font> '
                                 f'<font size="7" color="#7b8794">{escape(section["term"])}</font>', s["h"])]
        if section["fields"]:
            block.append(_fields(section["fields"]))
        for t in section["tables"]:
            if len(section["tables"]) > 1:
                block.append(Paragraph(f'{markup(t["zh"])} <font color="#52606d">{markup(t["en"])}</font>', s["h4"]))
            block.append(_table(t))
        story.extend(block)
    story += _china(view["china"])
    story.append(Spacer(1, 4 * mm))
    story.append(_p("中文术语名称为 OpenFTZ 的非官方译名。The Chinese names of the terms are OpenFTZ's unofficial "
                    "translations of EN 16931-1. Rendered by OpenFTZ from the EN 16931 semantic model (SC-29, SH-44).",
                    "small"))
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=A4, leftMargin=15 * mm, rightMargin=15 * mm, topMargin=14 * mm,
                            bottomMargin=14 * mm, title=f'{view["kind"]} {view["number"] or ""}', author="OpenFTZ",
                            subject="EN 16931 e-invoice rendering")
    doc.build(story, onFirstPage=_footer, onLaterPages=_footer)
    return out.getvalue()


def _china(china: dict) -> list:
    s = _styles()
    out: list = [_p("中国视图：数电票项目对照  China view: the items of a fully digitalised e-invoice (数电票)", "h"),
                 _p(f'{china["notice_zh"]} {china["notice_en"]}', "small"), Spacer(1, 2 * mm)]
    names = {"direct": "直接 direct", "derived": "推导 derived", "partial": "部分 partial", "none": "无 none"}
    rows = [[_p(h) for h in ("数电票项目 item", "本发票 this invoice", "来源 from", "对应 counterpart")]]
    for item in china["items"]:
        value = item["value"] or "—"
        if item["note_zh"]:
            value += f'\n{item["note_zh"]} {item["note_en"]}'
        rows.append([_label(item), cell(value, s["base"]), cell(", ".join(item["from"]) or "—", s["base"]),
                     cell(names[item["counterpart"]], s["base"])])
    out.append(_grid(rows, [WIDTH * 0.32, WIDTH * 0.40, WIDTH * 0.14, WIDTH * 0.14], header=True))
    if china["lines"]:
        out.append(_p("明细行 Lines", "h4"))
        n = len(china["line_items"])
        widths = [WIDTH / n] * n
        rows = [[_label(row) for row in china["line_items"]]]
        rows += [_cells([c["value"] or "—" for c in line["cells"]]) for line in china["lines"]]
        out.append(_grid(rows, widths, header=True))
    out.append(_p("EN 16931 中无对应项 No counterpart in EN 16931", "h4"))
    for item in china["no_counterpart"]:
        out.append(_p(f'• {item["zh"]} {item["en"]}: {item["how_zh"]} {item["how_en"]}', "small"))
    return out


def _footer(canvas, doc) -> None:
    canvas.saveState()
    canvas.setFont(LATIN, 7)
    canvas.setFillColor(GREY)
    canvas.drawString(15 * mm, 8 * mm, "OpenFTZ · EN 16931")
    canvas.drawRightString(A4[0] - 15 * mm, 8 * mm, str(doc.page))
    canvas.restoreState()
