"""Chinese in the project's PDFs (reportlab): the face, and text split into runs the Latin face can draw.

A Chinese TrueType face is embedded (the subset used) when one is installed — the file named by
``OPENFTZ_PDF_CJK_FONT``, or one of Debian's ``fonts-wqy-microhei``, ``fonts-wqy-zenhei``, ``fonts-arphic-uming`` —
so that the document shows the same glyphs on every reader and can be archived as it is. Without one, Adobe's
STSong-Light CID font is named and the reader supplies the glyphs (Acrobat and most viewers carry it; a reader with no
Chinese font shows boxes). Latin text is set in Helvetica.
"""
from __future__ import annotations

import os
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfbase.ttfonts import TTFError, TTFont
from reportlab.platypus import Flowable

LATIN = "Helvetica"
CID_FALLBACK = "STSong-Light"
EMBEDDED = "OpenFTZ-CJK"
RULE = colors.HexColor("#cbd2d9")
HEAD = colors.HexColor("#f0f4f8")
SPAN_SHADE = colors.HexColor("#fafbfc")
CANDIDATES = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
)


@cache
def cjk_font() -> str:
    """The name of the registered Chinese face: the embedded TrueType one if a font file is found, else STSong-Light."""
    named = os.environ.get("OPENFTZ_PDF_CJK_FONT", "")
    for path in (named, *CANDIDATES):
        if path and Path(path).is_file():
            try:
                pdfmetrics.registerFont(TTFont(EMBEDDED, path, subfontIndex=0))
            except TTFError:  # not TrueType outlines (e.g. an OpenType CFF font), or unreadable
                continue
            return EMBEDDED
    pdfmetrics.registerFont(UnicodeCIDFont(CID_FALLBACK))
    return CID_FALLBACK


def embeds_cjk() -> bool:
    return cjk_font() == EMBEDDED


@cache
def _latin_drawable(char: str) -> bool:
    """Helvetica (WinAnsi encoding) draws the characters of Windows-1252."""
    try:
        char.encode("cp1252")
        return True
    except UnicodeEncodeError:
        return False


def markup(text: str) -> str:
    """Escaped paragraph markup for a paragraph in Helvetica: runs it cannot draw (Chinese above all) in the Chinese
    face; newlines become line breaks."""
    face = cjk_font()
    out: list[str] = []
    run, latin = "", True
    for char in str(text):
        ok = char == "\n" or _latin_drawable(char)
        if ok != latin and run:
            out.append(escape(run) if latin else f'<font name="{face}">{escape(run)}</font>')
            run = ""
        latin = ok
        run += char
    if run:
        out.append(escape(run) if latin else f'<font name="{face}">{escape(run)}</font>')
    return "".join(out).replace("\n", "<br/>")


def chinese(text: str) -> str:
    """Escaped markup for a paragraph set in the Chinese face (which draws Latin letters too); newlines as breaks."""
    return escape(str(text)).replace("\n", "<br/>")


# Tables of any length (长表格), set in time proportional to their rows.
#
# A reportlab Table that runs over several pages is split page by page, and every split goes over every row left
# again (heights, spans, a new table of the rest): n rows over p pages cost n·p, which made an 18,000-line invoice run for
# minutes and 2,000 lines take 35 s; a Paragraph per cell (markup parsed, measured, drawn through the canvas
# state) cost about a millisecond more per cell. ``LongTable`` measures each cell once, with ``Text`` (plain text
# broken into lines by cached character widths), fills each page with the rows that fit, splits a row taller than
# a page between its lines (a 5,000-character name wraps instead of raising LayoutError), and draws a page's text
# in one text object and its rules in one path.

CELL_PADDING = 3  # points, left and right, as in the tables' style
CELL_V_PADDING = 2  # points, above and below
KEEP_ROW_HEIGHT = 300  # points: a row up to this tall moves to the next page whole rather than split


@cache
def _advances(face: str) -> dict[str, float]:
    """Advance widths at size 1 of the characters met so far in ``face`` (measured once each)."""
    return {}


def _advance(face: str, char: str) -> float:
    table = _advances(face)
    width = table.get(char)
    if width is None:
        width = table[char] = stringWidth(char, face, 1)
    return width


class Text(Flowable):
    """Plain text broken into lines once, by its own measure: Latin runs in Helvetica, the rest in the Chinese face;
    lines break at spaces, between any two Chinese characters, and inside a word longer than the line. Far cheaper
    than a Paragraph (no markup, measured once), and it splits between lines when a table row is taller than a page.
    """

    def __init__(self, text: str, size: float = 8, leading: float = 10, color=None, *, lines=None):
        super().__init__()
        self.text, self.size, self.leading, self.color = str(text), size, leading, color
        self._lines: list[list[tuple[str, str]]] | None = lines
        self._width: float | None = None if lines is None else -1

    def _break(self, width: float) -> list[list[tuple[str, str]]]:
        cjk, size = cjk_font(), self.size
        limit = max(width, size) / size  # in units of the size
        lines: list[list[tuple[str, str]]] = []
        for paragraph in self.text.split("\n"):
            if paragraph.isascii() and stringWidth(paragraph, LATIN, 1) <= limit:  # the common case: one Latin line
                lines.append([(LATIN, paragraph)] if paragraph else [])
                continue
            line: list[tuple[str, float]] = []  # (char, advance) of the line being filled; faces chosen when drawn
            used, last_space = 0.0, -1
            for char in paragraph:
                face = LATIN if _latin_drawable(char) else cjk
                adv = _advance(face, char)
                if used + adv > limit and line:
                    if char == " ":  # a space at the break is dropped
                        lines.append(_runs(line, cjk))
                        line, used, last_space = [], 0.0, -1
                        continue
                    if last_space >= 0 and _latin_drawable(char):  # break at the last space of the line
                        rest = line[last_space + 1:]
                        lines.append(_runs(line[:last_space], cjk))
                        line, used = rest, sum(a for _, a in rest)
                    else:  # Chinese, or a word longer than the line: break here
                        lines.append(_runs(line, cjk))
                        line, used = [], 0.0
                    last_space = -1
                    if char == " ":
                        continue
                if char == " ":
                    last_space = len(line)
                line.append((char, adv))
                used += adv
            lines.append(_runs(line, cjk))
        return lines

    def wrap(self, avail_width, avail_height):
        if self._width != -1 and self._width != avail_width:
            self._lines, self._width = self._break(avail_width), avail_width
        self.width, self.height = avail_width, len(self._lines) * self.leading
        return self.width, self.height

    def split(self, avail_width, avail_height):
        self.wrap(avail_width, avail_height)
        n = int(avail_height // self.leading)
        if n <= 0 or n >= len(self._lines):
            return [] if n <= 0 else [self]
        return [Text(self.text, self.size, self.leading, self.color, lines=self._lines[:n]),
                Text(self.text, self.size, self.leading, self.color, lines=self._lines[n:])]

    def draw(self):
        text = self.canv.beginText()
        self.draw_at(text, 0, self.height)
        self.canv.drawText(text)

    def draw_at(self, text, x: float, top: float, state: list | None = None) -> None:
        """Write the lines into the text object ``text``, the first line's top at ``top``; ``state`` ([colour,
        face]) is what the text object holds already, so that unchanged settings are not written again."""
        state = state if state is not None else [None, None]
        color = self.color or colors.black
        if state[0] != color:
            text.setFillColor(color)
            state[0] = color
        y = top - self.size
        for line in self._lines:
            if line:
                text.setTextOrigin(x, y)
                for face, run in line:
                    if state[1] != (face, self.size):
                        text.setFont(face, self.size)
                        state[1] = (face, self.size)
                    text.textOut(run)
            y -= self.leading


def _runs(line: list[tuple[str, float]], cjk: str) -> list[tuple[str, str]]:
    """A line's characters as runs of one face each."""
    out: list[tuple[str, str]] = []
    for char, _ in line:
        face = LATIN if _latin_drawable(char) else cjk
        if out and out[-1][0] == face:
            out[-1] = (face, out[-1][1] + char)
        else:
            out.append((face, char))
    return out


def cell(text: str, style: ParagraphStyle) -> Text:
    """A table cell for ``text`` in the size, leading and colour of ``style``."""
    return Text("" if text is None else text, style.fontSize, style.leading, style.textColor)


class LongTable(Flowable):
    """Rows set page by page in time proportional to their number (see above).

    Each cell is a plain string (set as :class:`Text` in 8-point Helvetica), a :class:`Text`, or any flowable (a
    label's paragraph); each cell is measured once. ``header`` rows repeat at the top of each page; ``spans`` are the
    indexes (in ``rows``) of rows whose first cell spans the whole width (shaded). A row taller than a page is split
    between its lines."""

    def __init__(self, header: list[list], rows: list[list], widths: list[float], spans: frozenset[int] = frozenset(),
                 *, prepared=None):
        super().__init__()
        self.widths, self.spans = widths, spans
        self.header, self.rows = header, rows
        self._prepared = prepared  # (header rows, body rows), each row (height, cells, shaded, full width)

    def _row(self, cells: list, shaded: bool) -> tuple:
        if shaded:
            cells = [_as_flowable(cells[0])]
            widths = [sum(self.widths)]
        else:
            cells = [_as_flowable(c) for c in cells]
            widths = self.widths
        height = max(c.wrap(w - 2 * CELL_PADDING, 1e9)[1] for c, w in zip(cells, widths, strict=True))
        return (height + 2 * CELL_V_PADDING, cells, shaded)

    def _prepare(self):
        if self._prepared is None:
            header = [self._row(r, False) for r in self.header]
            body = [self._row(r, i in self.spans) for i, r in enumerate(self.rows)]
            self._prepared = (header, body)
            self.header = self.rows = None
        return self._prepared

    def wrap(self, avail_width, avail_height):
        header, body = self._prepare()
        self.width = sum(self.widths)
        self.height = sum(r[0] for r in header) + sum(r[0] for r in body)
        return self.width, self.height

    def split(self, avail_width, avail_height):
        header, body = self._prepare()
        used = sum(r[0] for r in header)
        n = 0
        while n < len(body) and used + body[n][0] <= avail_height:
            used += body[n][0]
            n += 1
        if n == len(body):
            return [self]
        if n == 0:  # not even one row fits: a tall row is split between its lines, a short one goes on whole
            if body[0][0] <= KEEP_ROW_HEIGHT:
                return []
            first, rest = _split_row(body[0], avail_height - used, self.widths)
            if first is None:
                return []
            return [LongTable([], [], self.widths, prepared=(header, [first])),
                    LongTable([], [], self.widths, prepared=(header, [rest] + body[1:]))]
        return [LongTable([], [], self.widths, prepared=(header, body[:n])),
                LongTable([], [], self.widths, prepared=(header, body[n:]))]

    def draw(self):
        header, body = self._prepare()
        canvas, total = self.canv, sum(self.widths)
        edges = [0.0]
        for w in self.widths:
            edges.append(edges[-1] + w)
        text, state = canvas.beginText(), [None, None]
        segments, top = [], self.height
        run_top = None  # the top of the run of rows with inner column rules
        canvas.saveState()
        for i, (height, cells, shaded) in enumerate(header + body):
            if shaded or i < len(header):
                canvas.setFillColor(HEAD if i < len(header) else SPAN_SHADE)
                canvas.rect(0, top - height, total, height, stroke=0, fill=1)
            columns = [(0.0, total)] if shaded else list(zip(edges, edges[1:]))
            for c, (left, right) in zip(cells, columns):
                if isinstance(c, Text):
                    c.draw_at(text, left + CELL_PADDING, top - CELL_V_PADDING, state)
                else:
                    c.drawOn(canvas, left + CELL_PADDING, top - CELL_V_PADDING - c.height)
            if shaded and run_top is not None:  # a full-width row ends the column rules above it
                segments += [(x, run_top, x, top) for x in edges[1:-1]]
                run_top = None
            elif not shaded and run_top is None:
                run_top = top
            segments.append((0, top, total, top))
            top -= height
        if run_top is not None:
            segments += [(x, run_top, x, top) for x in edges[1:-1]]
        segments += [(0, top, total, top), (0, self.height, 0, top), (total, self.height, total, top)]
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.4)
        canvas.lines(segments)
        canvas.restoreState()
        canvas.drawText(text)


def _as_flowable(cell) -> Flowable:
    if isinstance(cell, Flowable):
        return cell
    return Text("" if cell is None else cell)


def _split_row(row: tuple, avail: float, widths: list[float]) -> tuple:
    """A row taller than the space left, as the part that fits and the rest: each cell taller than the space split
    between its lines (a paragraph too), the others whole in the first part."""
    height, cells, shaded = row
    inner = avail - 2 * CELL_V_PADDING
    widths = [sum(widths)] if shaded else widths
    first, rest, rest_height = [], [], 0.0
    for c, w in zip(cells, widths, strict=True):
        if c.height > inner:
            parts = c.split(w - 2 * CELL_PADDING, inner)
            if len(parts) != 2:
                for cell_ in cells:  # a paragraph that could not split forgets its lines: measure again
                    cell_.wrap(cell_.width, 1e9)
                return None, None
            for part in parts:
                part.wrap(w - 2 * CELL_PADDING, 1e9)
            first.append(parts[0])
            rest.append(parts[1])
            rest_height = max(rest_height, parts[1].height)
        else:
            first.append(c)
            empty = Text("")
            empty.wrap(w - 2 * CELL_PADDING, 1e9)
            rest.append(empty)
    return (inner + 2 * CELL_V_PADDING, first, shaded), (rest_height + 2 * CELL_V_PADDING, rest, shaded)


def long_table(header: list[list], rows: list[list], widths: list[float], spans=frozenset()) -> LongTable:
    return LongTable(header, rows, widths, frozenset(spans))
