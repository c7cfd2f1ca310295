"""Safe names of downloaded files and the header that carries them (openftz/core/downloads.py)."""
from openftz.core.downloads import FALLBACK, MAX_LENGTH, attachment_headers, safe_filename


def test_control_format_and_separator_characters_are_removed():
    assert safe_filename("report\r\n.pdf") == "report.pdf"
    assert safe_filename("invoice\u202efdp.exe") == "invoicefdp.exe"  # no right-to-left override
    assert safe_filename("../../etc/passwd") == "_.._etc_passwd"
    assert safe_filename("a\x00b\tc.txt") == "abc.txt"


def test_empty_names_fall_back_and_long_names_keep_their_extension():
    assert safe_filename("") == safe_filename("\r\n") == safe_filename(" . ") == FALLBACK
    long = safe_filename("细" * 500 + ".pdf")
    assert len(long) == MAX_LENGTH and long.endswith(".pdf")


def test_attachment_headers_quote_ascii_and_encode_the_rest():
    assert attachment_headers('say "hi".pdf') == {"Content-Disposition": 'attachment; filename="say \\"hi\\".pdf"'}
    assert attachment_headers("细则\n.pdf") == {"Content-Disposition": "attachment; filename*=utf-8''%E7%BB%86%E5%88%99.pdf"}
