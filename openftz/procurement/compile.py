"""From one JSON value of OCDS data to compiled releases (合并发布), with ocdsmerge and the vendored 1.1.5 schema.

Accepted: a compiled release, a release, a record (``compiledRelease`` and/or ``releases``), a release package
(releases grouped by ``ocid`` and merged), a record package, or a JSON array of releases. OCDS 1.0 data (the
package's ``version``, else the release's, else none) is upgraded to 1.1 first. What cannot be used is yielded as
an ``InputProblem`` in its place, so that one bad release does not hide the others.
"""
from __future__ import annotations

import difflib
import json
import warnings
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Iterator

import ocdsmerge
import ocdsmerge.exceptions
from ocdsmerge.exceptions import OCDSMergeError

from .upgrade import needs_upgrade, upgrade_release

FULL_MERGE = False  # True merges whole releases (the tests compare both ways)
SCHEMA_FILE = Path(__file__).resolve().parents[2] / "data" / "procurement" / "release-schema-1.1.5.json"


@dataclass(frozen=True)
class InputProblem:
    code: str
    message_zh: str
    message_en: str

    def as_dict(self) -> dict:
        return {"code": self.code, "message_zh": self.message_zh, "message_en": self.message_en}


@dataclass(frozen=True)
class Compiled:
    ocid: str
    release: dict
    releases: int  # how many releases were merged into it (0: it came compiled)
    upgraded: bool
    notes: tuple[str, ...] = ()  # what ocdsmerge warned about (e.g. two objects with the same id in one array)


@cache
def merger() -> ocdsmerge.Merger:
    """One merger for the run: the merge rules of the vendored OCDS 1.1.5 release schema (nothing downloaded)."""
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    return ocdsmerge.Merger(schema=schema)


def _ocid(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def _is_compiled(release: dict) -> bool:
    tag = release.get("tag")
    return tag == "compiled" or (isinstance(tag, list) and "compiled" in tag)


def _id(reference: Any) -> str | int | None:
    ref_id = reference.get("id") if isinstance(reference, dict) else None
    return ref_id if isinstance(ref_id, (str, int)) else None


# The fields the rules read (``True``: the whole value; a dict: those keys of an object; a one-item list: that spec
# for every object of an array; a key ending in ``_*``: its OCDS language variants, ``title_en``, ``title_zh``…).
# Every array item keeps its ``id``, by which ocdsmerge matches items across releases.
_DOCUMENT = {"id": True, "documentType": True, "datePublished": True, "language": True, "title": True, "title_*": True, "url": True}
READ_SPEC: dict = {
    "ocid": True, "id": True, "date": True, "tag": True, "language": True, "buyer": True,
    "planning": {"budget": {"amount": True}, "documents": [_DOCUMENT]},
    "parties": [{"id": True, "name": True, "identifier": True, "address": True, "contactPoint": True}],
    "awards": [{"id": True, "date": True}],
    "tender": {
        "id": True, "title": True, "title_*": True, "description": True, "description_*": True,
        "procurementMethod": True, "procurementMethodDetails": True, "procurementMethodRationale": True, "procurementMethodRationaleClassifications": True,
        "mainProcurementCategory": True, "value": True, "tenderPeriod": True, "expressionOfInterestDeadline": True,
        "procedure": True, "hasRecurrence": True, "procuringEntity": True, "documents": [_DOCUMENT],
        "milestones": [{"id": True, "type": True, "dueDate": True}], "items": [{"id": True, "description": True, "quantity": True}],
        "submissionMethod": True, "submissionMethodDetails": True, "eligibilityCriteria": True, "conditionsForParticipation": True,
        "commercialGoodsOrServices": True, "selectionCriteria": True,
        "otherRequirements": True, "secondStage": True, "secondStageDescription": True, "participationFees": True,
        "lots": [{"id": True, "suitability": True}], "subcontractingTerms": True, "scopeExclusion": True,
        "exclusionGrounds": True, "exclusions": True, "challenges": True, "debriefings": True,
    },
}


class _Fields:
    """A compiled ``READ_SPEC`` entry for an object: the keys to keep (with their own specs) and the variant prefixes."""

    __slots__ = ("keys", "prefixes")

    def __init__(self, spec: dict):
        self.keys = {k: _compile_spec(v) for k, v in spec.items() if not k.endswith("_*")}
        self.prefixes = tuple(k[:-1] for k in spec if k.endswith("_*"))


class _Items:
    __slots__ = ("item",)

    def __init__(self, spec: list):
        self.item = _compile_spec(spec[0])


def _compile_spec(spec: Any) -> Any:
    if spec is True:
        return True
    return _Items(spec) if isinstance(spec, list) else _Fields(spec)


def _project(value: Any, spec: Any) -> Any:
    if spec is True:
        return value
    if type(spec) is _Items:
        if not isinstance(value, list):
            return _emptied(value)
        return [_project(item, spec.item) if isinstance(item, dict) else item for item in value]
    if not isinstance(value, dict):
        return _emptied(value)
    keys, prefixes = spec.keys, spec.prefixes
    out = {}
    for k, v in value.items():
        sub = keys.get(k)
        if sub is not None:
            out[k] = v if sub is True else _project(v, sub)
        elif prefixes and isinstance(k, str) and k.startswith(prefixes):
            out[k] = v
    return out


def _emptied(value: Any) -> Any:
    """A value of the wrong type (an array where the schema has an object, or the reverse): the rules read nothing
    from it, so only its type is kept — an empty one — for merging to see."""
    return type(value)() if isinstance(value, (dict, list)) else value


_READ = _compile_spec(READ_SPEC)


_TENDER_KEYS = tuple(k for k in READ_SPEC["tender"] if not k.endswith("_*"))


def _keep_misspelt(release: dict, out: dict) -> None:
    """Keep a tender key that looks like a misspelling of one the rules read (``tederPeriod``), so that the rules
    can report it as a data problem instead of a field that is missing."""
    tender, kept = release.get("tender"), out.get("tender")
    if not isinstance(tender, dict) or not isinstance(kept, dict):
        return
    for key, value in tender.items():
        if isinstance(key, str) and key not in kept and difflib.get_close_matches(key, _TENDER_KEYS, n=1, cutoff=0.85):
            kept[key] = value


def for_rules(release: dict, party_ids: set) -> dict:
    """The fields of a release the rules read (``READ_SPEC``); a party that neither ``buyer`` nor
    ``tender.procuringEntity`` refers to keeps only its ``id``, so that every party keeps its place (paths such as
    ``parties[3].address`` in a finding point into the compiled release as a whole merge makes it).

    Merging is path by path and array items are matched by ``id``, so merging these fields gives them exactly the
    values a merge of the whole releases would, at a fraction of the cost: contracts, bids, items' classifications
    and the other parties are most of a release. ``tests/procurement`` checks it: every rule case and the real data
    give the same findings merged whole and merged this way.
    """
    out = _project(release, _READ)
    _keep_misspelt(release, out)
    parties = out.get("parties")
    if isinstance(parties, list):
        out["parties"] = [{"id": p["id"]} if isinstance(p, dict) and "id" in p and _id(p) not in party_ids else p for p in parties]
    return out


def _stages(releases: list[dict]) -> list[str]:
    """The tags of the releases merged (``tender``, ``award``…), in order of first appearance, ``compiled`` left out."""
    seen: dict[str, None] = {}
    for release in releases:
        tag = release.get("tag")
        for value in (tag if isinstance(tag, list) else [tag]):
            if isinstance(value, str) and value.strip() and value != "compiled":
                seen.setdefault(value.strip(), None)
    return list(seen)


def _with_stages(compiled: dict, stages: list[str]) -> dict:
    """The compiled release, its ``tag`` ``["compiled"]`` followed by the tags of the releases it was compiled from, so
    that the rules can tell an award-only publication from one that holds the tender notice."""
    if stages:
        compiled["tag"] = ["compiled", *stages]
    return compiled


def _merge(ocid: str, releases: list[dict], version: Any) -> Compiled | InputProblem:
    upgraded = needs_upgrade(version)
    if upgraded:
        releases = [upgrade_release(r) for r in releases]
    if len(releases) == 1 and _is_compiled(releases[0]):
        return Compiled(ocid, releases[0], 0, upgraded)
    if not FULL_MERGE:
        party_ids = {_id(r.get("buyer")) for r in releases} | {_id(r["tender"].get("procuringEntity")) for r in releases if isinstance(r.get("tender"), dict)}
        releases = [for_rules(r, party_ids - {None}) for r in releases]
    stages = _stages(releases)
    if len(releases) == 1:
        alone = compiled_alone(releases[0])
        if alone is not None:
            return Compiled(ocid, _with_stages(alone, stages), 1, upgraded)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", ocdsmerge.exceptions.OCDSMergeWarning)
            compiled = merger().create_compiled_release(releases)
    except (OCDSMergeError, TypeError, ValueError, RecursionError) as exc:
        return InputProblem("cannot_merge", f"无法合并 {ocid} 的发布: {exc}", f"the releases of {ocid} cannot be merged: {exc}")
    notes = tuple(dict.fromkeys(str(w.message) for w in caught if issubclass(w.category, ocdsmerge.exceptions.OCDSMergeWarning)))
    return Compiled(ocid, _with_stages(compiled, stages), len(releases), upgraded, notes)


def _plain(value: Any) -> bool:
    """No null, no empty object or array, and in every array of objects either none has an ``id`` or all have
    distinct string or integer ones: what ocdsmerge leaves as it is when it compiles a single release."""
    stack = [value]
    while stack:
        item = stack.pop()
        if item is None or item == {} or item == []:
            return False
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            objects = [x for x in item if isinstance(x, dict)]
            if objects:
                ids = [(type(x["id"]), x["id"]) for x in objects if "id" in x]
                if ids and (len(ids) != len(objects) or not all(isinstance(i, (str, int)) for _, i in ids)
                            or len(set(ids)) != len(ids)):
                    return False
            stack.extend(item)
    return True


def compiled_alone(release: dict) -> dict | None:
    """The compiled release of a process published as one release, as ocdsmerge makes it — the release itself with
    ``tag`` ``["compiled"]`` and ``id`` ``<ocid>-<date>`` — when the release is plain (see ``_plain``); None
    otherwise, and ocdsmerge compiles it. Most processes in real data are one release, and this is most of the
    checker's time saved; ``tests/procurement`` checks it gives exactly what ocdsmerge gives."""
    body = {k: v for k, v in release.items() if k not in ("tag", "id", "date")}
    if not _plain(body) or not isinstance(release.get("ocid"), str):
        return None
    date = release.get("date")
    if date is not None and (not isinstance(date, str) or not date):
        return None
    out = {"tag": ["compiled"], "id": f"{release['ocid']}-{date}"}
    if date is not None:
        out["date"] = date
    out.update(body)
    return out


def _releases(items: list, version: Any, where_zh: str, where_en: str) -> Iterator[Compiled | InputProblem]:
    """Group releases by ocid (in order of first appearance) and merge each group."""
    groups: dict[str, list[dict]] = {}
    for i, release in enumerate(items):
        if not isinstance(release, dict):
            yield InputProblem("not_an_object", f"{where_zh}第 {i + 1} 项不是 JSON 对象", f"item {i + 1} of {where_en} is not a JSON object")
            continue
        ocid = _ocid(release.get("ocid"))
        if ocid is None:
            yield InputProblem("no_ocid", f"{where_zh}第 {i + 1} 项发布缺少 ocid", f"release {i + 1} of {where_en} has no ocid")
            continue
        groups.setdefault(ocid, []).append(release)
    for ocid, group in groups.items():
        yield _merge(ocid, group, version if version is not None else group[0].get("version"))


def _record(record: dict, version: Any, index: int | None) -> Compiled | InputProblem:
    where_zh = f"第 {index + 1} 条记录" if index is not None else "该记录"
    where_en = f"record {index + 1}" if index is not None else "the record"
    compiled = record.get("compiledRelease")
    ocid = _ocid(record.get("ocid")) or (_ocid(compiled.get("ocid")) if isinstance(compiled, dict) else None)
    if isinstance(compiled, dict):
        if ocid is None:
            return InputProblem("no_ocid", f"{where_zh}缺少 ocid", f"{where_en} has no ocid")
        release_version = version if version is not None else compiled.get("version")
        upgraded = needs_upgrade(release_version)
        return Compiled(ocid, upgrade_release(compiled) if upgraded else compiled, 0, upgraded)
    releases = record.get("releases")
    full = [r for r in releases if isinstance(r, dict) and "url" not in r] if isinstance(releases, list) else []
    if not full:
        return InputProblem("no_releases", f"{where_zh}既无 compiledRelease,也无可合并的完整发布(仅有链接)",
                            f"{where_en} has no compiledRelease and no full releases to merge (only linked ones)")
    ocid = ocid or _ocid(full[0].get("ocid"))
    if ocid is None:
        return InputProblem("no_ocid", f"{where_zh}缺少 ocid", f"{where_en} has no ocid")
    return _merge(ocid, [{**r, "ocid": ocid} for r in full], version if version is not None else full[0].get("version"))


def compiled_releases(value: Any) -> Iterator[Compiled | InputProblem]:
    """The compiled releases in one JSON value, in order, each bad part replaced by its problem."""
    if isinstance(value, list):
        yield from _releases(value, None, "该数组", "the array")
        return
    if not isinstance(value, dict):
        yield InputProblem("not_an_object", "不是 JSON 对象(应为发布、记录、发布包或记录包)",
                           "not a JSON object (expected a release, a record, a release package or a record package)")
        return
    version = value.get("version")
    if isinstance(value.get("records"), list):
        for i, record in enumerate(value["records"]):
            if isinstance(record, dict):
                yield _record(record, version, i)
            else:
                yield InputProblem("not_an_object", f"第 {i + 1} 条记录不是 JSON 对象", f"record {i + 1} is not a JSON object")
        return
    if "compiledRelease" in value or ("releases" in value and _ocid(value.get("ocid"))):
        yield _record(value, version, None)
        return
    if isinstance(value.get("releases"), list):
        yield from _releases(value["releases"], version, "发布包", "the release package")
        return
    ocid = _ocid(value.get("ocid"))
    if ocid is None:
        yield InputProblem("no_ocid", "该发布缺少 ocid(也不是发布包或记录包)", "the release has no ocid (nor is it a release or record package)")
        return
    yield _merge(ocid, [value], version)
