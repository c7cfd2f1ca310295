"""Every complete example and test document of the EN 16931 distribution is valid under the CEN rules."""
from pathlib import Path

import pytest

from openftz.einvoice.validate import validate_bytes

DATA = Path(__file__).resolve().parents[1] / "data" / "einvoice"
DOCUMENTS = sorted((DATA / "en16931-examples").iterdir()) + sorted((DATA / "en16931-testfiles").iterdir())


@pytest.mark.parametrize("path", DOCUMENTS, ids=[p.name for p in DOCUMENTS])
def test_example_is_valid(path):
    result = validate_bytes(path.read_bytes(), rules="en16931")
    assert result["readable"] and result["ruleset"] == "en16931"
    assert [f for f in result["findings"] if f["severity"] == "fatal"] == []
    assert result["valid"] is True


def test_the_examples_cover_both_document_kinds():
    kinds = {validate_bytes(p.read_bytes(), rules="en16931")["document"]["kind"] for p in DOCUMENTS}
    assert kinds == {"Invoice", "CreditNote"}
