"""The items a self-assessment report must cover (报告事项), read from ``data/dataexport/report-items.yaml``. Pure.

数据出境安全评估办法 Arts. 5, 8(2) and 9 (the risk self-assessment before a security assessment, and the legal
document with the recipient), 个人信息出境标准合同办法 Arts. 5-6 and 个人信息出境认证办法 (the PIPIA before a standard
contract or a certification) and PIPL Art. 56 (what every PIPIA contains). Which items a report needs follows
from the pathway decided, the mechanism the applicant chose for a standard_contract_or_certification decision,
whether personal information goes abroad, and which instruments are in force on the report's date.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from openftz.core.citations import cites
from openftz.core.errors import InvalidInput

MEASURES = cites("SH-38", "SH-39", "SC-24", "SC-25")
ITEMS_FILE = Path(__file__).resolve().parents[2] / "data" / "dataexport" / "report-items.yaml"
MECHANISMS = ("standard_contract", "certification")  # the two ways of a standard_contract_or_certification decision
TOPIC_KINDS = ("text", "long")
MAX_ANSWER = {"text": 200, "long": 4000}  # characters


@dataclass(frozen=True)
class Instrument:
    key: str
    zh: str
    en: str
    issued: str
    in_force: dt.date


@dataclass(frozen=True)
class Topic:
    key: str
    kind: str  # text | long
    zh: str
    en: str


@dataclass(frozen=True)
class Item:
    id: str
    instrument: Instrument
    article: str
    zh: str
    en: str
    pathways: tuple[str, ...]
    topics: tuple[str, ...]
    personal_information_only: bool = False

    @property
    def citation(self) -> str:
        return f"{self.instrument.zh} {self.article}"


@dataclass(frozen=True)
class Catalogue:
    instruments: dict[str, Instrument]
    topics: dict[str, Topic]
    items: tuple[Item, ...]


def parse_catalogue(raw: object) -> Catalogue:
    """The catalogue of a report-items file; InvalidInput naming what is wrong (a typo must not drop an item)."""
    if not isinstance(raw, dict) or not {"instruments", "topics", "items"} <= set(raw):
        raise InvalidInput("报告事项文件须含 instruments、topics、items", "a report-items file needs instruments, topics and items")
    instruments = {}
    for key, spec in raw["instruments"].items():
        if not isinstance(spec.get("in_force"), dt.date):
            raise InvalidInput(f"文件 {key} 缺少施行日期", f"instrument {key} needs in_force (a date)")
        instruments[key] = Instrument(key, spec["zh"], spec["en"], str(spec.get("issued", "")), spec["in_force"])
    topics = {}
    for key, spec in raw["topics"].items():
        if spec.get("kind") not in TOPIC_KINDS:
            raise InvalidInput(f"主题 {key} 的类型无效", f"topic {key}: kind must be one of {TOPIC_KINDS}")
        topics[key] = Topic(key, spec["kind"], spec["zh"], spec["en"])
    items, seen = [], set()
    for spec in raw["items"]:
        item_id = spec.get("id")
        if item_id in seen:
            raise InvalidInput(f"事项 {item_id} 重复", f"item {item_id} appears twice")
        seen.add(item_id)
        if spec.get("instrument") not in instruments:
            raise InvalidInput(f"事项 {item_id} 的文件未知", f"item {item_id}: unknown instrument {spec.get('instrument')!r}")
        unknown = [t for t in spec.get("topics", []) if t not in topics]
        bad_pathways = [p for p in spec.get("pathways", []) if p not in ("security_assessment", *MECHANISMS)]
        if unknown or bad_pathways or not spec.get("topics") or not spec.get("pathways"):
            raise InvalidInput(f"事项 {item_id} 的主题或路径无效", f"item {item_id}: topics {unknown} or pathways {bad_pathways} unknown, or none given")
        items.append(Item(item_id, instruments[spec["instrument"]], spec["article"], spec["zh"], spec["en"],
                          tuple(spec["pathways"]), tuple(spec["topics"]), bool(spec.get("personal_information_only", False))))
    return Catalogue(instruments, topics, tuple(items))


@cache
def catalogue(path: Path = ITEMS_FILE) -> Catalogue:
    return parse_catalogue(yaml.safe_load(path.read_text(encoding="utf-8")))


def needs_items(pathway: str) -> bool:
    """Only a security assessment or a standard contract / certification has report items to answer."""
    return pathway in ("security_assessment", "standard_contract_or_certification")


def mechanisms_in_force(on: dt.date, cat: Catalogue | None = None) -> tuple[str, ...]:
    """The mechanisms an applicant may choose on ``on`` (certification only once its measures are in force)."""
    cat = cat or catalogue()
    key = {"standard_contract": "scm", "certification": "picm"}
    return tuple(m for m in MECHANISMS if cat.instruments[key[m]].in_force <= on)


def items_for(pathway: str, mechanism: str | None, *, personal_information: bool, on: dt.date,
              cat: Catalogue | None = None) -> list[Item]:
    """The items the report of this decision must cover, in the catalogue's order.

    For a standard_contract_or_certification decision ``mechanism`` selects the standard contract's or the
    certification's items; None (not chosen yet) takes both, so that nothing the applicant may need is left out.
    """
    cat = cat or catalogue()
    if not needs_items(pathway):
        return []
    if pathway == "security_assessment":
        wanted = {"security_assessment"}
    elif mechanism is None:
        wanted = set(mechanisms_in_force(on, cat))
    elif mechanism in mechanisms_in_force(on, cat):
        wanted = {mechanism}
    else:
        raise InvalidInput(f"出境方式 {mechanism!r} 无效或尚未施行", f"mechanism {mechanism!r} is unknown or not in force on {on.isoformat()}",
                           details={"field": "mechanism"})
    return [i for i in cat.items if wanted & set(i.pathways) and i.instrument.in_force <= on
            and (personal_information or not i.personal_information_only)]


def topics_for(items: list[Item], cat: Catalogue | None = None) -> list[Topic]:
    """The topics to ask about, each once, in the order the items first need them."""
    cat = cat or catalogue()
    keys: dict[str, None] = {}
    for item in items:
        keys.update(dict.fromkeys(item.topics))
    return [cat.topics[k] for k in keys]


def clean_answers(raw: dict[str, str], topics: list[Topic]) -> dict[str, str]:
    """The applicant's answers to ``topics``: stripped, blank ones left out (they stay unanswered, never filled in).

    InvalidInput when an answer is too long or holds control characters (NUL included) a report cannot show.
    """
    out = {}
    for topic in topics:
        value = (raw.get(topic.key) or "").replace("\r\n", "\n").strip()
        if not value:
            continue
        if len(value) > MAX_ANSWER[topic.kind]:
            raise InvalidInput(f"「{topic.zh}」过长(最多 {MAX_ANSWER[topic.kind]} 字)",
                               f"the answer on {topic.key} is too long (at most {MAX_ANSWER[topic.kind]} characters)", details={"field": topic.key})
        if any(ord(c) < 32 and c not in "\n\t" for c in value) or (topic.kind == "text" and "\n" in value):
            raise InvalidInput(f"「{topic.zh}」含有不可显示的字符", f"the answer on {topic.key} holds control characters", details={"field": topic.key})
        out[topic.key] = value
    return out


def report_sections(items: list[Item], answers: dict[str, str], cat: Catalogue | None = None) -> list[dict]:
    """The report's item sections, one per instrument: every item with its topics' answers or None (unanswered)."""
    cat = cat or catalogue()
    sections: dict[str, dict] = {}
    for item in items:
        section = sections.setdefault(item.instrument.key, {
            "instrument": item.instrument.key, "zh": item.instrument.zh, "en": item.instrument.en,
            "issued": item.instrument.issued, "items": []})
        section["items"].append({
            "id": item.id, "article": item.article, "citation": item.citation, "zh": item.zh, "en": item.en,
            "answers": [{"topic": t, "zh": cat.topics[t].zh, "en": cat.topics[t].en, "answer": answers.get(t)} for t in item.topics],
            "answered": all(answers.get(t) for t in item.topics),
        })
    return list(sections.values())
