"""OCDS 1.1: validating releases against the 1.1.5 release schema, compiling them with ocdsmerge, packaging.

The schema is the project's copy (``data/procurement/release-schema-1.1.5.json``), so nothing is downloaded.
Texts follow the OCDS 1.1 language-key form: ``title`` in the release's ``language`` (zh), ``title_en`` beside it.
"""
from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema_rs
import ocdsmerge

SCHEMA_PATH = Path(__file__).resolve().parents[2] / "data" / "procurement" / "release-schema-1.1.5.json"
VERSION = "1.1"
LANGUAGE = "zh"
# OCDS extensions whose fields the workflow writes (the release schema allows additional properties).
EXTENSIONS = {
    "tender.procurementMethodRationaleClassifications": "Procurement method rationale classifications",
    "tender.participationFees": "Participation fees",
    "tender.secondStage": "Second stage description",
}


@cache
def schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


@cache
def _validator():
    return jsonschema_rs.Draft4Validator(schema(), validate_formats=True)


@cache
def _merger() -> ocdsmerge.Merger:
    return ocdsmerge.Merger(schema=schema())


def release_errors(release: Any) -> list[dict]:
    """Schema errors of one release: ``[{"path": "tender/procurementMethod", "message": …}]`` ([] if valid)."""
    return [{"path": "/".join(str(p) for p in error.instance_path), "message": error.message[:300]}
            for error in _validator().iter_errors(release)]


def compile_releases(releases: list[dict]) -> dict:
    """The compiled release (the current state of the process) of releases sorted by date."""
    return _merger().create_compiled_release(releases)


def text(obj: dict | None, field: str, lang: str) -> tuple[str, bool]:
    """The value of ``field`` in ``lang`` ('zh' or 'en') and whether it is given; never a translation."""
    obj = obj or {}
    value = obj.get(field) if lang == LANGUAGE else obj.get(f"{field}_{lang}")
    return (value or ""), bool(value)


def release_package(releases: list[dict], *, uri: str, published: str, publisher: dict) -> dict:
    return {"uri": uri, "version": VERSION, "publishedDate": published, "publisher": publisher, "releases": releases}


def record_package(ocid: str, releases: list[dict], compiled: dict, *, uri: str, published: str, publisher: dict,
                   release_uri: str) -> dict:
    """A record package: the releases linked (url + date + tag) and embedded, with the compiled release."""
    return {
        "uri": uri, "version": VERSION, "publishedDate": published, "publisher": publisher,
        "packages": [release_uri],
        "records": [{"ocid": ocid, "releases": releases, "compiledRelease": compiled}],
    }


def package_errors(package: Any, kind: str) -> list[dict]:
    """Errors of a release or record package: its envelope (OCDS 1.1 package rules) and every release in it."""
    if not isinstance(package, dict):
        return [{"path": "", "message": "a package is a JSON object"}]
    errors = [{"path": key, "message": f"{key} is required"} for key in ("uri", "publishedDate", "publisher", "version")
              if key not in package]
    if not isinstance(package.get("publisher"), dict) or not package.get("publisher", {}).get("name"):
        errors.append({"path": "publisher/name", "message": "publisher.name is required"})
    if kind == "release":
        releases = package.get("releases")
        if not isinstance(releases, list) or not releases:
            return errors + [{"path": "releases", "message": "releases must be a non-empty array"}]
        for i, release in enumerate(releases):
            errors += [{"path": f"releases/{i}/{e['path']}", "message": e["message"]} for e in release_errors(release)]
        return errors
    records = package.get("records")
    if not isinstance(records, list) or not records:
        return errors + [{"path": "records", "message": "records must be a non-empty array"}]
    for i, record in enumerate(records):
        if not isinstance(record, dict) or not record.get("ocid") or not isinstance(record.get("releases"), list):
            errors.append({"path": f"records/{i}", "message": "a record needs an ocid and releases"})
            continue
        for j, release in enumerate(record["releases"]):
            errors += [{"path": f"records/{i}/releases/{j}/{e['path']}", "message": e["message"]} for e in release_errors(release)]
        if "compiledRelease" in record:
            errors += [{"path": f"records/{i}/compiledRelease/{e['path']}", "message": e["message"]}
                       for e in release_errors(record["compiledRelease"])]
    return errors
