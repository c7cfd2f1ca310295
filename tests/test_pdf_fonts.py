"""The project's PDFs carry their Chinese: an embedded TrueType face where one is installed (CI installs
fonts-wqy-microhei and sets OPENFTZ_REQUIRE_CJK_FONT=1), else the STSong-Light CID font the reader supplies."""
import io
import os

from pypdf import PdfReader

from openftz.core import pdf
from openftz.einvoice.convert import invoice_view, to_pdf
from tests.conftest import ROOT

INVOICE = ROOT / "tests" / "data" / "einvoice" / "en16931-examples" / "ubl-tc434-example1.xml"


def fonts(data: bytes) -> dict[str, bool]:
    """Base font name → whether its glyphs are in the file, over every page."""
    out = {}
    for page in PdfReader(io.BytesIO(data)).pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            descriptor = (descendants[0].get_object() if descendants else font).get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor else {}
            out[str(font["/BaseFont"])] = any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
    return out


def test_chinese_is_embedded_where_a_face_is_installed_else_named():
    if os.environ.get("OPENFTZ_REQUIRE_CJK_FONT") == "1":
        assert pdf.embeds_cjk(), "no Chinese TrueType font found (apt-get install fonts-wqy-microhei)"
    found = fonts(to_pdf(invoice_view(INVOICE.read_bytes())))
    chinese = {name: embedded for name, embedded in found.items() if "Helvetica" not in name}
    assert chinese, found
    if pdf.embeds_cjk():
        assert all(chinese.values()), found  # the subset of the face is in the file
    else:
        assert set(chinese) == {"/STSong-Light"} and not any(chinese.values())


def test_runs_the_latin_face_cannot_draw_go_to_the_chinese_face():
    face = pdf.cjk_font()
    assert pdf.markup("Total 合计 <5>\n€") == f'Total <font name="{face}">合计</font> &lt;5&gt;<br/>€'
