"""What notices say, in which languages, and what the tender documents cost.

PROC-PREQUAL-NOTICE — SH-73 (SC-49): 资格预审公告应包含:采购人信息,如采购人名称、地址和与采购人联系并获得与采购有关文件所必需的
其他信息;采购说明,如……拟采购货物或服务的性质、数量及说明(如数量不可知,则为估计数量),提交参加采购请求的地址和最后日期;资格要求,
如条件清单和简要说明……如采购人有意选择有限数量的合格供应商投标,需说明选择供应商的标准和数量限额等.
PROC-BILINGUAL — SH-77 (SC-53): ……鼓励以中英两种语言公布采购公告. The plan encourages (鼓励) and does not require, so
a notice in one language is ``info``, never a warning or a violation.
PROC-FREE-DOCS — SH-77 (SC-53): 尽可能免费向供应商提供招标文件.
"""
from __future__ import annotations

from typing import Any, Iterator

from openftz.core.findings import Finding

from . import ocds, procedures
from .context import Context
from .periods import request_deadline

NOTICE_RULE = "PROC-PREQUAL-NOTICE"
NOTICE_CITES = ("SH-73", "SC-49")
BILINGUAL_RULE = "PROC-BILINGUAL"
BILINGUAL_CITES = ("SH-77", "SC-53")
FREE_DOCS_RULE = "PROC-FREE-DOCS"
FREE_DOCS_CITES = ("SH-77", "SC-53")

NOTICE_TYPES = ("tenderNotice", "plannedProcurementNotice", "awardNotice", "contractNotice", "clarifications")
NOTICE_NAMES = {"tenderNotice": ("招标(资格预审)公告", "tender notice"), "plannedProcurementNotice": ("采购意向公告", "planned procurement notice"),
                "awardNotice": ("中标(成交)结果公告", "award notice"), "contractNotice": ("合同公告", "contract notice"),
                "clarifications": ("澄清公告", "clarification notice")}


def _entity(release: dict, tender: dict) -> tuple[dict, str]:
    """The procuring entity's party (else the buyer's) and the path it was read from."""
    for ref, where in ((tender.get("procuringEntity"), "tender.procuringEntity"), (release.get("buyer"), "buyer")):
        if isinstance(ref, dict) and ref:
            found = ocds.party(release, ref)
            for i, candidate in ocds.objs(release.get("parties")):
                if candidate.get("id") is not None and candidate.get("id") == ref.get("id"):
                    return found, f"parties[{i}]"
            return found, where
    return {}, "tender.procuringEntity"


def _has_any(holder: Any, *keys: str) -> bool:
    holder = ocds.obj(holder)
    return any(ocds.text(holder.get(k)) for k in keys)


def _selection_criteria(tender: dict) -> bool:
    criteria = ocds.obj(tender.get("selectionCriteria"))
    return bool(ocds.text(criteria.get("description")) or any(ocds.text(c.get("description")) for _, c in ocds.objs(criteria.get("criteria")))
                or ocds.text(ocds.obj(tender.get("secondStage")).get("selectionCriteria")))


def _maximum_candidates(tender: dict) -> float | None:
    """The limit on the number of candidates (second stage extension; ``secondStageDescription`` as some publish it)."""
    for key in ("secondStage", "secondStageDescription"):
        limit = ocds.number(ocds.obj(tender.get(key)).get("maximumCandidates"))
        if limit is not None:
            return limit
    return None


# Release tags of the stages that publish the notice (OCDS 1.1 releaseTag codelist).
TENDER_STAGES = {"planning", "planningUpdate", "tender", "tenderAmendment", "tenderUpdate", "tenderCancellation"}


def _stages(release: dict) -> set[str]:
    """The tags of the releases the data was compiled from (``compiled`` left out; empty when unknown)."""
    tag = release.get("tag")
    return {t.strip() for t in (tag if isinstance(tag, list) else [tag]) if isinstance(t, str) and t.strip()} - {"compiled"}


def check_prequal_notice(release: dict, ctx: Context) -> Iterator[Finding]:
    tender = ocds.obj(release.get("tender"))
    if procedures.resolve(tender).code != "selective":
        return
    entity, entity_path = _entity(release, tender)
    missing: list[tuple[str, str, str, str]] = []  # severity, zh, en, path
    if not ocds.organisation_name(entity):
        missing.append(("violation", "采购人名称", "the procuring entity's name", f"{entity_path}.name"))
    address = ocds.obj(entity.get("address"))
    if not _has_any(address, "streetAddress", "locality", "region", "postalCode"):
        missing.append(("violation", "采购人地址", "the procuring entity's address", f"{entity_path}.address"))
    if not _has_any(entity.get("contactPoint"), "email", "telephone", "url", "faxNumber"):
        missing.append(("violation", "联系采购人的方式(电话、电子邮件或网址)", "how to contact the procuring entity (telephone, email or web address)",
                        f"{entity_path}.contactPoint"))
    items = list(ocds.objs(tender.get("items")))
    if not (ocds.text(tender.get("description")) or any(ocds.text(item.get("description")) for _, item in items)):
        missing.append(("violation", "拟采购货物或服务的性质及说明", "a description of the goods or services to be procured", "tender.description"))
    if not any(ocds.number(item.get("quantity")) is not None for _, item in items):
        missing.append(("warning", "拟采购数量(如不可知,则为估计数量)", "the quantity to be procured (an estimate if it is not known)", "tender.items"))
    if request_deadline(tender) is None:
        # OCDS 1.1 has no field for it (expressionOfInterestDeadline came with OCDS 1.2): its absence from 1.1 data
        # says nothing about the notice, so it is a data problem to check by hand, not a violation.
        missing.append(("warning", "提交参加采购请求的最后日期(OCDS 1.1 无此字段,请人工核对公告)",
                        "the deadline for requests to participate (OCDS 1.1 has no field for it: check the notice by hand)",
                        "tender.expressionOfInterestDeadline"))
    if not ocds.text(tender.get("submissionMethodDetails")) and not ocds.lst(tender.get("submissionMethod")):
        missing.append(("warning", "提交参加采购请求的地址或方式", "where or how to submit requests to participate", "tender.submissionMethodDetails"))
    if not (ocds.text(tender.get("eligibilityCriteria")) or ocds.text(tender.get("conditionsForParticipation")) or _selection_criteria(tender) or ocds.lst(ocds.obj(tender.get("otherRequirements")).get("qualificationSystemConditions"))):
        missing.append(("violation", "资格要求(条件清单和简要说明)", "the conditions for participation (a list and short description)", "tender.eligibilityCriteria"))
    limit = _maximum_candidates(tender)
    if limit is not None and not _selection_criteria(tender):
        missing.append(("violation", f"选择有限数量(至多 {limit:g} 家)合格供应商的标准", f"the criteria for selecting the limited number (at most {limit:g}) of qualified suppliers",
                        "tender.selectionCriteria"))
    attached = next((i for i, d in ocds.documents(tender, "tenderNotice") if ocds.text(d.get("url"))), None)
    stages = _stages(release)
    for severity, zh, en, path in missing:
        if stages and not stages & TENDER_STAGES and severity == "violation":
            # Only award or contract releases were published (Taiwan's award notices): they are not the notice, so
            # what they lack says nothing of what the notice stated.
            shown = ", ".join(sorted(stages))
            yield Finding.of(NOTICE_RULE, "warning", f"数据仅含 {shown} 阶段的发布,不含资格预审公告;其中未载明{zh},请人工核对公告",
                             f"the data holds only {shown} releases, not the pre-qualification notice; they do not state {en}: "
                             "check the notice by hand", cites=NOTICE_CITES, path=path)
            continue
        if attached is not None and severity == "violation":
            # The notice itself is published as a document: the structured fields are not the notice, so what they
            # lack the notice may well state — a check by hand, not a violation.
            yield Finding.of(NOTICE_RULE, "warning", f"资格预审公告的数据未载明{zh};公告文件已附(tender.documents[{attached}]),请人工核对",
                             f"the data of the pre-qualification notice does not state {en}; the notice is attached "
                             f"(tender.documents[{attached}]): check it by hand", cites=NOTICE_CITES, path=path)
            continue
        yield Finding.of(NOTICE_RULE, severity, f"资格预审公告未载明{zh}", f"the pre-qualification notice does not state {en}", cites=NOTICE_CITES, path=path)


def _language(code: Any) -> str | None:
    raw = ocds.text(code)
    if raw is None:
        return None
    return raw.replace("_", "-").split("-")[0].lower()


def _variants(holder: dict, field: str) -> set[str]:
    """Languages of OCDS language variants of a field (``title_en``, ``title_zh-Hans``)."""
    prefix = f"{field}_"
    return {_language(key[len(prefix):]) for key, value in holder.items() if key.startswith(prefix) and ocds.text(value)} - {None}


def check_bilingual(release: dict, ctx: Context) -> Iterator[Finding]:
    tender = ocds.obj(release.get("tender"))
    if not tender:
        return
    default = _language(release.get("language")) or "en"  # OCDS: the release's language, English when unstated
    by_type: dict[str, tuple[set[str], int]] = {}
    for i, doc in ocds.documents(tender, *NOTICE_TYPES):
        kind = next(t for t in NOTICE_TYPES if ocds.document_type(t) == ocds.document_type(doc.get("documentType")))
        languages, first = by_type.get(kind, (set(), i))
        languages.add(_language(doc.get("language")) or default)
        languages |= _variants(doc, "title")
        by_type[kind] = (languages, first)
    if not by_type:
        if not ocds.text(tender.get("title")) and not ocds.text(tender.get("description")):
            return
        by_type["tender"] = ({default} | _variants(tender, "title") | _variants(tender, "description"), -1)
    for kind, (languages, first) in by_type.items():
        if {"zh", "en"} <= languages:
            continue
        zh_name, en_name = NOTICE_NAMES.get(kind, ("采购公告", "procurement notice"))
        shown = ", ".join(sorted(languages))
        path = "tender.title" if first < 0 else f"tender.documents[{first}].language"
        yield Finding.of(BILINGUAL_RULE, "info",
                         f"{zh_name}仅以 {shown} 发布;鼓励以中英两种语言公布采购公告",
                         f"the {en_name} is published only in {shown}; notices in both Chinese and English are encouraged",
                         cites=BILINGUAL_CITES, path=path)


def check_free_docs(release: dict, ctx: Context) -> Iterator[Finding]:
    tender = ocds.obj(release.get("tender"))
    for i, fee in ocds.objs(tender.get("participationFees")):
        types = fee.get("type")
        types = types if isinstance(types, list) else [types]
        if "document" not in types:
            continue
        value = ocds.obj(fee.get("value"))
        amount = ocds.number(value.get("amount"))
        if amount is not None and amount <= 0:
            continue
        shown = f"{amount:,.2f} {ocds.text(value.get('currency')) or ''}".strip() if amount is not None else "未载明金额"
        shown_en = f"{amount:,.2f} {ocds.text(value.get('currency')) or ''}".strip() if amount is not None else "an unstated amount"
        yield Finding.of(FREE_DOCS_RULE, "warning",
                         f"获取招标文件须付费({shown});应尽可能免费向供应商提供招标文件",
                         f"suppliers pay {shown_en} for the tender documents; they should be free where possible",
                         cites=FREE_DOCS_CITES, path=f"tender.participationFees[{i}]")
