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
