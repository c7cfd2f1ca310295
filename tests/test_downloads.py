"""Download file names (openftz.core.downloads): any string gives one safe Content-Disposition value, and every
page that serves a file uses it — an envelope id with a line break or a quote no longer breaks or extends it."""
from __future__ import annotations

import re
from email.message import Message
from email.utils import collapse_rfc2231_value

from hypothesis import given, settings, strategies as st

from openftz.core.downloads import ascii_filename, content_disposition, safe_filename


def parsed(value: str) -> list:
    message = Message()
    message["Content-Disposition"] = value
    return message.get_params(header="content-disposition")


@settings(max_examples=400, deadline=None)
@given(st.text(max_size=300), st.booleans())
def test_any_name_gives_one_safe_value_that_parses_back(name, attachment):
    value = content_disposition(name, attachment=attachment)
    assert "\r" not in value and "\n" not in value and value.isascii() and value.isprintable()
    params = parsed(value)
    assert params[0] == ("attachment" if attachment else "inline", "")
    assert [key for key, _ in params[1:]] in (["filename"], ["filename", "filename"])
    fallback = params[1][1]
    assert fallback == ascii_filename(name) and re.fullmatch(r"[A-Za-z0-9._()+\- ]+", fallback)
    offered = collapse_rfc2231_value(params[2][1]) if len(params) == 3 else fallback
    assert offered == safe_filename(name)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp", "Zs"),
                                      blacklist_characters="/\\."), min_size=1, max_size=100))
def test_a_printable_name_reaches_the_browser_unchanged(name):
    import unicodedata

    name = unicodedata.normalize("NFC", name)
    params = parsed(content_disposition(name))
    offered = collapse_rfc2231_value(params[2][1]) if len(params) == 3 else params[1][1]
    assert offered == name


def test_injection_attempts_are_neutralised():
    value = content_disposition('envelope-a"; filename="evil.exe\r\nSet-Cookie: s=1.xml')
    assert value.count("filename=") == 1 and value.count("filename*=") == 1 and "\r" not in value
    assert 'evil.exe"' not in value
    assert [k for k, _ in parsed(value)] == ["attachment", "filename", "filename"]


def test_chinese_and_long_names():
    value = content_disposition("发票 2024.pdf")
    assert value.endswith("filename*=UTF-8''%E5%8F%91%E7%A5%A8%202024.pdf")
    long = safe_filename("x" * 1000 + ".pdf")
    assert long.endswith(".pdf") and len(long) == 150
    assert content_disposition("") == 'attachment; filename="download"'
    assert "/" not in safe_filename("../../etc/passwd")


def test_no_view_writes_content_disposition_by_hand():
    """Every file served goes through the one function (a new download view included)."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[1] / "openftz"
    offenders = []
    for path in root.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        if path.name != "downloads.py" and ("Content-Disposition" in text or "content_disposition_header" in text):
            offenders.append(str(path.relative_to(root)))
    assert offenders == []
