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

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFError, TTFont

LATIN = "Helvetica"
CID_FALLBACK = "STSong-Light"
EMBEDDED = "OpenFTZ-CJK"
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
