"""tools/peppol_release.py reads a release's Schematron: the release number, the PEPPOL-* asserts and the
restricted code lists the Peppol rules read; and the project's data agree with what it would write."""
import importlib.util
from pathlib import Path

from openftz.einvoice.rules import DATA, RELEASES

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("peppol_release", ROOT / "tools" / "peppol_release.py")
tool = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(tool)

LISTS = "".join(f'<let name="{key}" value="tokenize(\'{" ".join(codes)}\', \'\\s\')"/>'
                for key, codes in (("ISO4217", ["EUR", "SEK"]), ("MIMECODE", ["application/pdf"]), ("UNCL2005", ["3"]),
                                   ("UNCL5189", ["95"]), ("UNCL7161", ["FC"]), ("eaid", ["0088", "0192"])))
SCHEMATRON = f"""<?xml version="1.0" encoding="UTF-8"?>
<!-- Last update: 2030 May release 9.8.7. -->
<schema xmlns="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt2">
  <pattern>{LISTS}
    <rule context="cbc:InvoiceTypeCode">
      <assert id="PEPPOL-EN16931-P0100" test="$profile != '01' or (some $code in tokenize('380 381', '\\s') satisfies normalize-space(text()) = $code)" flag="fatal">Invoice type code MUST be set according to the profile.</assert>
    </rule>
    <rule context="cbc:CreditNoteTypeCode">
      <assert id="PEPPOL-EN16931-P0101" test="$profile != '01' or (some $code in tokenize('381', '\\s') satisfies normalize-space(text()) = $code)" flag="fatal">Credit note type code MUST be
        set according to the profile.</assert>
    </rule>
    <rule context="cac:AccountingSupplierParty/cac:Party[$supplierCountry = 'NO']">
      <assert id="NO-R-002" test="true()" flag="warning">A national rule, not read.</assert>
    </rule>
  </pattern>
</schema>
"""


def test_the_schematron_is_read(tmp_path):
    path = tmp_path / "peppol.sch"
    path.write_text(SCHEMATRON, encoding="utf-8")
    release, rules, lists = tool.read_schematron(path)
    assert release == "9.8.7"
    assert rules == [("PEPPOL-EN16931-P0100", "fatal", "Invoice type code MUST be set according to the profile."),
                     ("PEPPOL-EN16931-P0101", "fatal", "Credit note type code MUST be set according to the profile.")]
    assert lists["peppol-invoice-type-01"] == ["380", "381"]
    assert lists["peppol-eas"] == ["0088", "0192"]
    assert "release 9.8.7" in tool.rules_text(release, rules).splitlines()[1]


def test_the_data_files_are_as_the_tool_writes_them():
    """What the tool would write from the release's Schematron is what the data files hold (their headers and rows)."""
    rows = [tuple(line.split("\t")) for line in (DATA / "peppol-rules.tsv").read_text(encoding="utf-8").splitlines()
            if line and not line.startswith("#")]
    assert (DATA / "peppol-rules.tsv").read_text(encoding="utf-8") == tool.rules_text(RELEASES["peppol"], rows)
    for name in tool.LISTS:
        text = (DATA / "codelists" / f"{name}.txt").read_text(encoding="utf-8")
        codes = [line for line in text.splitlines() if line and not line.startswith("#")]
        assert text == tool.list_text(RELEASES["peppol"], name, codes)
