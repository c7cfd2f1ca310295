"""Names of files a user downloads: a name that is safe in a header and on a disk, and the header that carries it.

A file name comes from whoever uploaded the file, so it may hold anything: control characters (a CR or LF would
split the header), invisible format characters (a right-to-left override makes ``report‮fdp.exe`` read as
``reportexe.pdf``), path separators. ``safe_filename`` removes them; ``attachment_headers`` builds the
``Content-Disposition`` with Django's ``content_disposition_header`` (RFC 6266: a quoted ASCII name, or an RFC 5987
``filename*`` for any other name).
"""
from __future__ import annotations

import unicodedata

from django.utils.http import content_disposition_header

FALLBACK = "download"
MAX_LENGTH = 200


def safe_filename(name: str, *, fallback: str = FALLBACK) -> str:
    """``name`` without control and format characters (Unicode categories Cc and Cf) and without path separators,
    trimmed of spaces and dots at its ends and cut to ``MAX_LENGTH`` characters keeping its extension; ``fallback``
    when nothing is left."""
    kept = "".join(
        "_" if ch in "/\\" else ch
        for ch in unicodedata.normalize("NFC", name or "")
        if unicodedata.category(ch) not in ("Cc", "Cf")
    ).strip(" .")
    if len(kept) > MAX_LENGTH:
        stem, dot, ext = kept.rpartition(".")
        kept = stem[: MAX_LENGTH - len(ext) - 1] + dot + ext if dot and len(ext) < 16 else kept[:MAX_LENGTH]
    return kept or fallback


def attachment_headers(filename: str) -> dict[str, str]:
    """The headers that make a browser save the response as ``filename`` (made safe) rather than show it."""
    return {"Content-Disposition": content_disposition_header(True, safe_filename(filename))}
