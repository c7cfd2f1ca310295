"""The official examples of the Peppol release OpenFTZ follows are valid, and every data file of the Peppol rule set
names that release (release 3.0.19: the Danish CVR rule PEPPOL-COMMON-R042 of earlier releases refused two of them)."""
import re
from pathlib import Path

import pytest

from openftz.einvoice.rules import DATA, RELEASES, rules_of
from openftz.einvoice.validate import validate_bytes

EXAMPLES = Path(__file__).resolve().parents[1] / "data" / "einvoice" / f"peppol-{RELEASES['peppol']}"
DOCUMENTS = sorted(EXAMPLES.glob("*.xml"))


def test_the_release_has_nine_examples():
    assert len(DOCUMENTS) == 9


@pytest.mark.parametrize("path", DOCUMENTS, ids=[p.name for p in DOCUMENTS])
def test_official_example_is_valid_under_peppol(path):
    result = validate_bytes(path.read_bytes())
    assert result["readable"] and result["ruleset"] == "peppol"
    assert [f for f in result["findings"] if f["severity"] == "fatal"] == []
    assert result["valid"] is True


def test_each_rule_names_the_release_of_its_rule_set():
    rules = rules_of("peppol")
    assert {r.release for r in rules if r.ruleset == "peppol"} == {RELEASES["peppol"]}
    assert {r.release for r in rules if r.ruleset == "en16931"} == {RELEASES["en16931"]}


def _releases_named(path: Path) -> set[str]:
    head = "".join(line for line in path.read_text(encoding="utf-8").splitlines(keepends=True) if line.startswith("#"))
    return set(re.findall(r"release (\d+\.\d+\.\d+)", head)) | set(re.findall(r"artefacts (\d+\.\d+\.\d+)", head))


def test_the_data_files_name_the_release_the_rules_follow():
    peppol = [DATA / "peppol-rules.tsv"] + sorted((DATA / "codelists").glob("peppol-*.txt"))
    assert {p.name: _releases_named(p) for p in peppol} == {p.name: {RELEASES["peppol"]} for p in peppol}
    assert _releases_named(DATA / "en16931-rules.tsv") == {RELEASES["en16931"]}
