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

SCHEMAS = Path(__file__).resolve().parents[2] / "data" / "procurement"
SCHEMA_PATH = SCHEMAS / "release-schema-1.1.5.json"
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


def _offline(uri: str):
    raise ValueError(f"OCDS schemas are read from data/procurement, not from {uri}")


def _package_schema(kind: str) -> dict:
    """The structure OCDS 1.1 gives release and record packages (Draft 4), written here from the standard's
    documentation: publishing metadata — ``uri``, ``publishedDate`` and ``publisher`` (with its ``name``) required,
    ``version`` as major.minor, ``extensions`` and ``packages`` as URI lists — around ``releases`` (each a release of
    the vendored 1.1.5 release schema) or ``records`` (an ``ocid`` and its ``releases``, each linked by ``url``,
    ``date`` and ``tag`` or embedded whole, and a ``compiledRelease``). A ``versionedRelease`` is checked to be an
    object, not against the versioned-release schema, which the project does not carry."""
    release = {"$ref": schema()["id"]}
    uri = {"type": "string", "format": "uri"}
    publisher = {"type": "object", "required": ["name"], "properties": {
        "name": {"type": "string"}, "scheme": {"type": ["string", "null"]}, "uid": {"type": ["string", "null"]},
        "uri": {"type": ["string", "null"], "format": "uri"}}}
    linked = {"type": "object", "required": ["url", "date"], "properties": {
        "url": uri, "date": {"type": "string", "format": "date-time"},
        "tag": {"type": "array", "items": {"type": "string"}}}}
    record = {"type": "object", "required": ["ocid", "releases"], "properties": {
        "ocid": {"type": "string"},
        "releases": {"type": "array", "minItems": 1, "items": {"oneOf": [linked, release]}},
        "compiledRelease": release, "versionedRelease": {"type": "object"}}}
    content = ({"releases": {"type": "array", "minItems": 1, "items": release}} if kind == "release" else
               {"records": {"type": "array", "minItems": 1, "items": record}, "packages": {"type": "array", "items": uri}})
    return {"$schema": "http://json-schema.org/draft-04/schema#", "type": "object",
            "required": ["uri", "publisher", "publishedDate", "releases" if kind == "release" else "records"],
            "properties": {"uri": uri, "version": {"type": "string", "pattern": r"^(\d+\.)(\d+)$"},
                           "extensions": {"type": "array", "items": uri}, "publisher": publisher,
                           "license": {"type": ["string", "null"], "format": "uri"},
                           "publicationPolicy": {"type": ["string", "null"], "format": "uri"},
                           "publishedDate": {"type": "string", "format": "date-time"}, **content}}


@cache
def _package_validator(kind: str):
    """A release or record package's validator, the release schema resolved locally (nothing downloaded)."""
    registry = jsonschema_rs.Registry([(schema()["id"], schema())], retriever=_offline)
    return jsonschema_rs.Draft4Validator(_package_schema(kind), registry=registry, retriever=_offline, validate_formats=True)


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
    """Errors of a release or record package against the OCDS 1.1 package structure ([] if valid)."""
    return [{"path": "/".join(str(p) for p in error.instance_path), "message": error.message[:300]}
            for error in _package_validator(kind).iter_errors(package)]
