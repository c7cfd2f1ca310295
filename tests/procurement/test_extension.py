"""The OpenFTZ OCDS extension (data/procurement/extension/) is a real extension: its JSON Merge Patch applied to
the OCDS 1.1.5 release schema gives a schema that accepts the extension's fields and refuses wrong values."""
from __future__ import annotations

import json
from pathlib import Path

import jsonschema_rs
import pytest

ROOT = Path(__file__).resolve().parents[2]
EXTENSION = ROOT / "data" / "procurement" / "extension"


def merge_patch(target, patch):
    """RFC 7386 JSON Merge Patch, as OCDS applies an extension's release-schema.json."""
    if not isinstance(patch, dict):
        return patch
    out = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            out.pop(key, None)
        else:
            out[key] = merge_patch(out.get(key), value)
    return out


@pytest.fixture(scope="module")
def validator():
    core = json.loads((ROOT / "data/procurement/release-schema-1.1.5.json").read_text(encoding="utf-8"))
    schema = merge_patch(core, json.loads((EXTENSION / "release-schema.json").read_text(encoding="utf-8")))
    return jsonschema_rs.Draft4Validator(schema)


def release(**tender) -> dict:
    return {"ocid": "ocds-ext-1", "id": "1", "date": "2025-03-01T00:00:00+08:00", "tag": ["tender"], "initiationType": "tender",
            "tender": {"id": "t", **tender}}


def test_extension_metadata():
    meta = json.loads((EXTENSION / "extension.json").read_text(encoding="utf-8"))
    assert {"name", "description", "documentationUrl", "compatibility"} <= set(meta)
    assert meta["name"]["en"] and meta["description"]["zh"]


def test_extension_fields_validate(validator):
    data = release(
        scopeExclusion="stateSecret",
        exclusionGrounds=[{"id": "g1", "type": "priorMaterialBreach", "documentId": "doc-1"}],
        exclusions=[{"id": "x1", "supplier": {"id": "s1", "name": "甲公司"}, "ground": "priorMaterialBreach",
                     "breachDate": "2023-01-10T00:00:00+08:00", "contractWithBuyerOrRelated": True, "remedied": False, "evidenceDocumentId": "ev-1"}],
        challenges=[{"id": "c1", "author": {"id": "s2", "name": "乙公司"}, "subject": "result", "knownDate": "2025-03-01T00:00:00+08:00",
                     "date": "2025-03-09T00:00:00+08:00", "inWriting": True, "status": "answered"}],
        debriefings=[{"id": "d1", "supplier": {"id": "s3", "name": "丙公司"}, "requestDate": "2025-04-01T00:00:00+08:00",
                      "answerDate": "2025-04-05T00:00:00+08:00", "content": ["reasons"], "containsTradeSecrets": False}],
        subcontractingTerms={"allowed": False, "description": "不允许分包"},
    )
    errors = [e.message for e in validator.iter_errors(data)]
    assert errors == []


@pytest.mark.parametrize("tender", [
    {"scopeExclusion": "topSecret"},
    {"challenges": [{"id": "c1", "subject": "price"}]},
    {"debriefings": [{"id": "d1", "content": ["gossip"]}]},
    {"exclusions": [{"id": "x1", "remedied": "no"}]},
])
def test_wrong_values_are_refused(validator, tender):
    assert not validator.is_valid(release(**tender))


def _codes(name: str) -> list[str]:
    import csv

    with (EXTENSION / "codelists" / name).open(encoding="utf-8", newline="") as f:
        return [row["Code"] for row in csv.DictReader(f)]


def _with_codelists(node):
    if isinstance(node, dict):
        if "codelist" in node:
            yield node
        for value in node.values():
            yield from _with_codelists(value)


def test_every_codelist_is_listed_and_matches_its_closed_enum():
    meta = json.loads((EXTENSION / "extension.json").read_text(encoding="utf-8"))
    assert sorted(meta["codelists"]) == sorted(p.name for p in (EXTENSION / "codelists").glob("*.csv"))
    schema = json.loads((EXTENSION / "release-schema.json").read_text(encoding="utf-8"))
    used = set()
    for field in _with_codelists(schema):
        used.add(field["codelist"])
        enum = field["enum"] if "enum" in field else field["items"]["enum"]
        assert [c for c in enum if c is not None] == _codes(field["codelist"]) and field["openCodelist"] is False
    assert used | {"methodRationale.csv"} == set(meta["codelists"])


def test_the_method_rationale_codelist_is_the_scheme_the_rule_reads():
    import yaml

    grounds = yaml.safe_load((ROOT / "data/procurement/grounds.yaml").read_text(encoding="utf-8"))
    assert _codes("methodRationale.csv") == list(grounds["grounds"])
