"""The name a downloaded file is saved under (下载文件名): one ``Content-Disposition`` value built from any string.

A file name can come from outside — a sender's envelope id, an uploaded document's name, an evidence file — and a
line break in it broke the header (and so the download) for both parties, while a quote let it add parameters of
its own. ``content_disposition`` therefore

* removes control characters (line breaks included, and the Unicode line and paragraph separators) and path
  separators, and shortens a very long name (keeping its extension);
* gives an ASCII fallback ``filename="…"`` (RFC 6266 §4.3) in which every character outside a small safe set —
  quotes and backslashes among them — is replaced by ``_``;
* adds ``filename*=UTF-8''…`` (RFC 6266 / RFC 8187, formerly RFC 5987) with the whole name percent-encoded when the
  fallback differs from it, so that a Chinese name reaches the browser intact.

The value is plain ASCII with no quote, backslash or semicolon other than its own, so it always parses back to the
disposition and the one file name. Django's ``content_disposition_header`` writes either form but passes a line
break in an ASCII name through (the response then fails), hence this function.
"""
from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

MAX_NAME_CHARS = 150  # a longer name is cut (its extension kept): browsers and file systems cap names near 255 bytes
FALLBACK = "download"
_UNSAFE_ASCII = re.compile(r"[^A-Za-z0-9._()+\- ]")
# RFC 8187 attr-char: ALPHA / DIGIT / "!" / "#" / "$" / "&" / "+" / "-" / "." / "^" / "_" / "`" / "|" / "~"
_ATTR_CHARS = "!#$&+-.^_`|~"


def safe_filename(name: str) -> str:
    """``name`` without control characters, line or paragraph separators and path separators, whitespace runs as
    one space, at most ``MAX_NAME_CHARS`` characters; ``download`` if nothing is left."""
    kept = []
    for char in unicodedata.normalize("NFC", str(name)):
        category = unicodedata.category(char)
        if category in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp") or char in "/\\":
            kept.append(" " if category in ("Cc", "Zl", "Zp") else "_" if char in "/\\" else "")
        else:
            kept.append(char)
    text = " ".join("".join(kept).split()).strip(" .")
    if len(text) > MAX_NAME_CHARS:
        stem, dot, ext = text.rpartition(".")
        ext = dot + ext if dot and 0 < len(ext) <= 10 and stem else ""
        text = text[:MAX_NAME_CHARS - len(ext)].rstrip(" .") + ext
    return text or FALLBACK


def ascii_filename(name: str) -> str:
    """An ASCII stand-in for ``safe_filename(name)``: accents dropped, every other unsafe character ``_``."""
    text = safe_filename(name)
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    if len(folded) < len(text) / 2:  # mostly not Latin (Chinese, say): keep the shape with underscores
        folded = "".join(c if c.isascii() else "_" for c in text)
    folded = _UNSAFE_ASCII.sub("_", folded).strip(" .")
    return folded if folded.strip("_") else FALLBACK + _extension(text)


def _extension(name: str) -> str:
    stem, dot, ext = name.rpartition(".")
    return f".{ext}" if dot and stem and ext.isascii() and ext.isalnum() and len(ext) <= 10 else ""


def content_disposition(name: str, *, attachment: bool = True) -> str:
    """The ``Content-Disposition`` value that offers ``name`` (any string) as the file name."""
    kind = "attachment" if attachment else "inline"
    text = safe_filename(name)
    fallback = ascii_filename(text)
    value = f'{kind}; filename="{fallback}"'
    if fallback != text:
        value += f"; filename*=UTF-8''{quote(text, safe=_ATTR_CHARS)}"
    return value


def offer(response, name: str, *, attachment: bool = True):
    """Set the response's ``Content-Disposition`` to offer ``name``; returns the response."""
    response["Content-Disposition"] = content_disposition(name, attachment=attachment)
    return response
