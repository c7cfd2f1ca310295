"""State changes of the procurement workflow, one function per use case, each in one transaction with its audit entry.

Procedures are kept as OCDS 1.1 releases: every change is a new release (its own id and date), validated against
the 1.1.5 release schema, and the compiled release is recompiled with ocdsmerge in the same transaction.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from ocdsmerge.exceptions import OCDSMergeError

from openftz.core.errors import InvalidInput, NotFound
from openftz.core.parameters import parameter
from openftz.parties.models import Party

from . import ocds, retention
from .models import (AuditEntry, Challenge, ChallengeEvidence, ConfidentialItem, Debarment, Debriefing, Exclusion, Procedure,
                     ProcuringEntity, Release, Stage)
from .permissions import Action, require
from .rules import workflow

SHANGHAI = ZoneInfo("Asia/Shanghai")
STAGE_TAGS = {
    "tenderUpdate": Stage.TENDER, "tenderAmendment": Stage.TENDER,
    "award": Stage.AWARD, "awardUpdate": Stage.AWARD,
    "contract": Stage.CONTRACT, "contractUpdate": Stage.CONTRACT, "contractAmendment": Stage.CONTRACT,
    "implementation": Stage.CONTRACT,
}
MAX_TEXT = 20000


def ocid_prefix() -> str:
    """The publisher's OCDS prefix (``ocds-`` + 6 characters, registered with the Open Contracting Partnership)."""
    return getattr(settings, "OPENFTZ_OCID_PREFIX", "ocds-oftz00")


def _now(when: dt.datetime | None) -> dt.datetime:
    return (when or timezone.now()).astimezone(SHANGHAI)


def _param(name: str, on: dt.date):
    return parameter("procurement", name).at(on)


def _clean_text(value: str, field: str, *, required: bool = False, limit: int = MAX_TEXT) -> str:
    if not isinstance(value, str):
        raise InvalidInput(f"{field} 必须是文本", f"{field} must be text", details={"field": field})
    if "\x00" in value:
        raise InvalidInput(f"{field} 含有 NUL 字符", f"{field} contains a NUL character", details={"field": field})
    value = value.strip()
    if required and not value:
        raise InvalidInput(f"{field} 不能为空", f"{field} is required", details={"field": field})
    if len(value) > limit:
        raise InvalidInput(f"{field} 过长", f"{field} is longer than {limit} characters", details={"field": field})
    return value


def _audit(*, actor, action: str, obj, ocid: str = "", via: str, **details) -> None:
    AuditEntry.objects.create(actor=actor if getattr(actor, "pk", None) else None, actor_name=getattr(actor, "username", ""),
                              action=action, object_type=type(obj).__name__.lower(), object_id=str(obj.pk), ocid=ocid,
                              via=via, details=details)


def _refuse(findings) -> None:
    violations = [f for f in findings if f.severity == "violation"]
    if violations:
        first = violations[0]
        raise InvalidInput(first.message_zh, first.message_en, details={"findings": [f.as_dict() for f in violations]})


def _plain_json(value: Any, field: str, depth: int = 0) -> None:
    """Fragments are stored as JSON: no NUL character anywhere (PostgreSQL refuses them), and no deep nesting."""
    if depth > 12:
        raise InvalidInput(f"{field} 嵌套过深", f"{field} is nested too deeply", details={"field": field})
    if isinstance(value, str):
        if "\x00" in value:
            raise InvalidInput(f"{field} 含有 NUL 字符", f"{field} contains a NUL character", details={"field": field})
    elif isinstance(value, dict):
        for key, item in value.items():
            _plain_json(key, field, depth + 1)
            _plain_json(item, f"{field}.{key}", depth + 1)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            _plain_json(item, f"{field}[{i}]", depth + 1)


def _schema_check(release: dict) -> None:
    errors = ocds.release_errors(release)
    if errors:
        raise InvalidInput("OCDS 发布不符合 1.1.5 发布模式", f"the OCDS release is not valid against the 1.1.5 release schema: "
                           f"{errors[0]['path']}: {errors[0]['message']}", details={"schema_errors": errors[:20]})


# — procuring entities

def entity_party(entity: ProcuringEntity) -> dict:
    """The procuring entity as an OCDS party (SH-73: name, address, contact)."""
    party = {
        "id": f"PE-{entity.pk}", "name": entity.name_zh,
        "address": {"streetAddress": entity.street_address, "locality": entity.locality, "countryName": "中国"},
        "contactPoint": {"name": entity.contact_name},
        "roles": ["buyer", "procuringEntity"],
    }
    if entity.name_en:
        party["name_en"] = entity.name_en
    if entity.postal_code:
        party["address"]["postalCode"] = entity.postal_code
    for key, value in (("email", entity.contact_email), ("telephone", entity.contact_phone)):
        if value:
            party["contactPoint"][key] = value
    return party


def supplier_party(party: Party, roles: list[str]) -> dict:
    out: dict[str, Any] = {"id": party.pk, "name": party.name_zh, "roles": roles}
    if party.name_en:
        out["name_en"] = party.name_en
    if party.lei:
        out["identifier"] = {"scheme": "XI-LEI", "id": party.lei, "legalName": party.name_zh}
    elif party.uscc:
        out["identifier"] = {"scheme": "CN-USCC", "id": party.uscc, "legalName": party.name_zh}
    return out


@transaction.atomic
def entity_create(*, entity_id: str, name_zh: str, street_address: str, contact_name: str, name_en: str = "",
                  locality: str = "上海市", postal_code: str = "", contact_email: str = "", contact_phone: str = "",
                  supervising_entity_id: str | None = None, is_demo: bool = False) -> ProcuringEntity:
    """Register a procuring entity of the zone (SH-71)."""
    if ProcuringEntity.objects.filter(pk=entity_id).exists():
        raise InvalidInput(f"采购人 {entity_id} 已存在", f"procuring entity {entity_id} already exists", code="conflict", status=409)
    entity = ProcuringEntity(id=entity_id, name_zh=_clean_text(name_zh, "name_zh", required=True, limit=200),
                             name_en=_clean_text(name_en, "name_en", limit=200),
                             street_address=_clean_text(street_address, "street_address", required=True, limit=300),
                             locality=_clean_text(locality, "locality", limit=100), postal_code=_clean_text(postal_code, "postal_code", limit=12),
                             contact_name=_clean_text(contact_name, "contact_name", required=True, limit=100),
                             contact_email=_clean_text(contact_email, "contact_email", limit=254),
                             contact_phone=_clean_text(contact_phone, "contact_phone", limit=40),
                             supervising_entity_id=supervising_entity_id, is_demo=is_demo)
    try:
        entity.full_clean()
    except ValidationError as exc:
        raise InvalidInput("采购人资料无效", f"invalid procuring entity: {exc.message_dict}", details=exc.message_dict) from None
    entity.save(force_insert=True)
    return entity


# — procedures as OCDS releases

@dataclass(frozen=True)
class TenderItem:
    description: str
    quantity: Decimal | None = None
    unit: str = ""
    estimated: bool = False  # SH-73: 如数量不可知,则为估计数量


@dataclass(frozen=True)
class Fee:
    description: str
    amount: Decimal | None = None
    type: str = "document"  # OCDS participationFees: document, deposit, submission, win


def _money(amount: Decimal | None, currency: str) -> dict | None:
    if amount is None:
        return None
    number = int(amount) if amount == amount.to_integral_value() else float(amount)
    return {"amount": number, "currency": currency}


def _store_release(*, procedure: Procedure, release: dict, actor, stage: str | None = None) -> Release:
    """Validate, store and compile one more release of ``procedure``."""
    _schema_check(release)
    date = dt.datetime.fromisoformat(release["date"])
    if procedure.compiled and date <= dt.datetime.fromisoformat(procedure.compiled["date"]):
        raise InvalidInput("发布时间须晚于上一条发布", "a release must be dated after the previous one", details={"date": release["date"]})
    row = Release(procedure=procedure, seq=procedure.release_count + 1, release_id=release["id"], date=date,
                  tags=release["tag"], data=release, recorded_by=actor)
    row.save(force_insert=True)
    # Compiled again from every release, as any reader of the record package would compile it: merging onto the
    # stored compiled release is faster but not always identical (ocdsmerge keeps an emptied object as {} only then).
    try:
        procedure.compiled = ocds.compile_releases([r.data for r in procedure.releases.order_by("seq")])
    except OCDSMergeError as exc:
        raise InvalidInput("该发布无法与此前的发布合并", f"the release cannot be merged with the earlier ones: {exc}",
                           details={"release": release["id"]}) from None
    procedure.release_count = row.seq
    if stage:
        procedure.stage = stage
    procedure.save()
    return row


def procedure_kwargs(data: dict) -> dict:
    """The keyword arguments of ``procedure_create`` from a validated ``ProcedureIn`` (the API's and the CLI's input)."""
    data = dict(data)
    renames = {"entity": "entity_id", "value": "value_amount"}
    out = {renames.get(k, k): v for k, v in data.items() if k not in ("items", "fees")}
    out["items"] = [TenderItem(i["description"], i.get("quantity"), i.get("unit", ""), i.get("estimated", False)) for i in data.get("items") or []]
    out["fees"] = [Fee(f["description"], f.get("amount"), f.get("type", "document")) for f in data.get("fees") or []]
    return out


@transaction.atomic
def procedure_create(*, actor, entity_id: str, method: str, title: str, title_en: str = "", description: str = "",
                     description_en: str = "", limited_grounds: list[str] = (), rationale: str = "",
                     value_amount: Decimal | None = None, currency: str = "CNY", items: list[TenderItem] = (),
                     tender_period_end: dt.datetime | None = None, submission_details: str = "",
                     eligibility_criteria: str = "", eligibility_criteria_en: str = "", fees: list[Fee] = (),
                     max_candidates: int | None = None, selection_criteria: str = "", exclusion_grounds: str = "",
                     documents: list[dict] = (), when: dt.datetime | None = None, via: str = "service",
                     is_demo: bool = False) -> Procedure:
    """Register a procedure and publish its tender (or pre-qualification) notice as the first OCDS release.

    Open competition is the rule; a limited procedure states its SH-72 ground (SH-72, SC-48); a selective one
    carries the SH-73 items of its pre-qualification notice (SH-73, SC-49). Titles may be given in English too
    (SH-77: 鼓励以中英两种语言公布采购公告). Exclusion grounds for past breaches are stated here or not at all (SH-78).
    """
    try:
        entity = ProcuringEntity.objects.get(pk=entity_id)
    except ProcuringEntity.DoesNotExist:
        raise NotFound(f"没有采购人 {entity_id}", f"there is no procuring entity {entity_id}", details={"entity": entity_id}) from None
    require(actor, Action.CREATE_PROCEDURE, entity)
    now = _now(when)
    grounds = list(limited_grounds)
    _refuse(workflow.method_findings(method, grounds))
    title = _clean_text(title, "title", required=True, limit=300)
    title_en = _clean_text(title_en, "title_en", limit=300)
    exclusion_grounds = _clean_text(exclusion_grounds, "exclusion_grounds")
    ocid = f"{ocid_prefix()}-{now:%Y}-{secrets.token_hex(4).upper()}"
    tender: dict[str, Any] = {"id": f"{ocid}-tender", "title": title, "status": "active", "procurementMethod": method,
                              "procuringEntity": {"id": f"PE-{entity.pk}", "name": entity.name_zh}}
    for key, value, limit in (("title_en", title_en, 300), ("description", description, MAX_TEXT),
                              ("description_en", description_en, MAX_TEXT), ("procurementMethodRationale", rationale, MAX_TEXT),
                              ("submissionMethodDetails", submission_details, 2000),
                              ("eligibilityCriteria", eligibility_criteria, MAX_TEXT),
                              ("eligibilityCriteria_en", eligibility_criteria_en, MAX_TEXT)):
        value = _clean_text(value, key, limit=limit)
        if value:
            tender[key] = value
    scheme = workflow.limited_grounds()["scheme"]
    if grounds:
        labels = workflow.limited_grounds()["grounds"]
        tender["procurementMethodRationaleClassifications"] = [
            {"scheme": scheme, "id": code, "description": labels[code]["zh"]} for code in grounds]
    if value_amount is not None:
        if value_amount < 0 or not value_amount.is_finite():
            raise InvalidInput("预算金额无效", "the value must be a finite amount of at least 0", details={"field": "value"})
        tender["value"] = _money(value_amount, currency)
    if items:
        tender["items"] = []
        for i, item in enumerate(items, start=1):
            entry: dict[str, Any] = {"id": str(i), "description": _clean_text(item.description, "items.description", required=True, limit=2000)}
            if item.quantity is not None:
                if item.quantity < 0 or not item.quantity.is_finite():
                    raise InvalidInput("数量无效", "a quantity must be at least 0", details={"field": f"items[{i - 1}].quantity"})
                entry["quantity"] = float(item.quantity)
            if item.unit:
                entry["unit"] = {"name": _clean_text(item.unit, "items.unit", limit=50)}
            if item.estimated:
                entry["description"] += "(估计数量)"  # SH-73: 如数量不可知,则为估计数量
            tender["items"].append(entry)
    if tender_period_end is not None:
        if not now < tender_period_end < now + dt.timedelta(days=3 * 366):
            raise InvalidInput("截止时间必须晚于发布时间且在三年以内", "the deadline must be after the notice and within three years",
                               details={"field": "tender_period_end"})
        tender["tenderPeriod"] = {"startDate": now.isoformat(), "endDate": tender_period_end.astimezone(SHANGHAI).isoformat()}
    if fees:
        tender["participationFees"] = [
            {"id": str(i), "type": [fee.type], "description": _clean_text(fee.description, "fees.description", required=True, limit=2000),
             **({"value": _money(fee.amount, currency)} if fee.amount is not None else {})}
            for i, fee in enumerate(fees, start=1)]
    if max_candidates is not None:
        if method != "selective":
            raise InvalidInput("只有有限竞争方式才限定合格供应商数量", "only a selective procedure limits the number of candidates",
                               details={"field": "max_candidates"})
        tender["secondStage"] = {"maximumCandidates": max_candidates,
                                 "description": _clean_text(selection_criteria, "selection_criteria", limit=MAX_TEXT)}
    if exclusion_grounds:
        tender.setdefault("documents", []).append({
            "id": "exclusion-grounds", "documentType": "eligibilityCriteria", "title": "拒绝参与的情形(第78条)",
            "description": exclusion_grounds, "language": "zh"})
    for i, doc in enumerate(documents, start=1):
        tender.setdefault("documents", []).append({"id": str(i), **doc})
    release = {"ocid": ocid, "id": f"{ocid}-001", "date": now.isoformat(), "tag": ["tender"], "initiationType": "tender",
               "language": ocds.LANGUAGE, "parties": [entity_party(entity)],
               "buyer": {"id": f"PE-{entity.pk}", "name": entity.name_zh}, "tender": tender}
    if method == "selective":
        _refuse(workflow.prequalification_findings(release))
    procedure = Procedure(ocid=ocid, entity=entity, method=method, title=title, title_en=title_en,
                          exclusion_grounds_stated=bool(exclusion_grounds), exclusion_grounds=exclusion_grounds,
                          started_on=now.date(), compiled={}, created_by=actor, is_demo=is_demo)
    procedure.save(force_insert=True)
    _store_release(procedure=procedure, release=release, actor=actor)
    _audit(actor=actor, action="procedure_create", obj=procedure, ocid=ocid, via=via, method=method, release=release["id"])
    return procedure


def _party(party_id: Any, field: str) -> Party:
    if not isinstance(party_id, str):
        raise InvalidInput(f"{field} 必须是当事人编号", f"{field} must be a party id", details={"field": field})
    try:
        return Party.objects.get(pk=party_id)
    except Party.DoesNotExist:
        raise InvalidInput(f"企业名录中没有 {party_id}", f"there is no party {party_id} in the directory", details={"field": field}) from None


@transaction.atomic
def procedure_release_add(*, actor, procedure: Procedure, tag: str, tender: dict | None = None,
                          awards: list[dict] | None = None, contracts: list[dict] | None = None,
                          tenderers: list[str] = (), when: dt.datetime | None = None, via: str = "service") -> Release:
    """Publish the next stage of a procedure as a new OCDS release (tender update, award, contract, …).

    ``tender``, ``awards`` and ``contracts`` are OCDS fragments; suppliers and tenderers are parties of the
    enterprise directory named by id, written into the release's ``parties`` with their roles.
    """
    procedure = Procedure.objects.select_for_update().get(pk=procedure.pk)
    require(actor, Action.ADD_RELEASE, procedure)
    if procedure.ended_on:
        raise InvalidInput("采购已结束,不能再发布", "the procedure has ended: no further release", code="procedure_ended", status=409)
    if tag not in STAGE_TAGS:
        raise InvalidInput(f"不支持的发布标签 {tag}", f"unsupported release tag {tag!r} (one of {sorted(STAGE_TAGS)})", details={"field": "tag"})
    now = _now(when)
    seq = procedure.release_count + 1
    release: dict[str, Any] = {"ocid": procedure.ocid, "id": f"{procedure.ocid}-{seq:03d}", "date": now.isoformat(), "tag": [tag],
                               "initiationType": "tender", "language": ocds.LANGUAGE}
    compiled = procedure.compiled
    for key, value in (("tender", tender), ("awards", awards), ("contracts", contracts)):
        _plain_json(value, key)
    if isinstance(tender, dict):
        for key in ("procurementMethod", "procurementMethodRationaleClassifications", "procuringEntity", "tenderers"):
            if key in tender:
                raise InvalidInput(f"不能在更新中改变 {key}", f"{key} is fixed when the procedure is registered",
                                   details={"field": f"tender.{key}"})
        tender = {**tender, "id": compiled["tender"]["id"]}
    for key, value in (("tender", tender), ("awards", awards), ("contracts", contracts)):
        if value is not None:
            release[key] = value
    _schema_check(release)  # the fragments as sent, before anything is read from them
    parties: dict[str, dict] = {}
    for i, party_id in enumerate(tenderers):
        party = _party(party_id, f"tenderers[{i}]")
        parties[party.pk] = supplier_party(party, ["tenderer"])
    if tenderers:
        release.setdefault("tender", {})["tenderers"] = [{"id": p["id"], "name": p["name"]} for p in parties.values()]
        release["tender"]["numberOfTenderers"] = len(parties)
        release["tender"]["id"] = compiled["tender"]["id"]
    known_awards = {a["id"] for a in compiled.get("awards", [])}
    for i, award in enumerate(release.get("awards", [])):
        award.setdefault("date", now.isoformat())
        award.setdefault("status", "active")
        for j, ref in enumerate(award.get("suppliers", [])):
            party = _party(ref.get("id"), f"awards[{i}].suppliers[{j}].id")
            roles = sorted(set(parties.get(party.pk, {}).get("roles", [])) | {"supplier"}
                           | ({"tenderer"} if party.pk in _tenderer_ids(compiled) else set()))
            parties[party.pk] = supplier_party(party, roles)
            award["suppliers"][j] = {"id": party.pk, "name": party.name_zh}
        known_awards.add(str(award["id"]))
    for i, contract in enumerate(release.get("contracts", [])):
        if str(contract["awardID"]) not in known_awards:
            raise InvalidInput(f"合同引用了不存在的授标 {contract['awardID']}", f"the contract names an unknown award {contract['awardID']}",
                               details={"field": f"contracts[{i}].awardID"})
    if parties:
        release["parties"] = list(parties.values())
    row = _store_release(procedure=procedure, release=release, actor=actor, stage=STAGE_TAGS[tag])
    _audit(actor=actor, action="release_add", obj=procedure, ocid=procedure.ocid, via=via, release=row.release_id, tag=tag)
    return row


def _tenderer_ids(compiled: dict) -> set[str]:
    return {str(t.get("id")) for t in (compiled.get("tender") or {}).get("tenderers") or []}


def awarded_ids(compiled: dict) -> set[str]:
    return {str(s.get("id")) for a in compiled.get("awards") or [] if a.get("status") != "cancelled" for s in a.get("suppliers") or []}


@transaction.atomic
def procedure_end(*, actor, procedure: Procedure, status: str, ended_on: dt.date | None = None,
                  when: dt.datetime | None = None, via: str = "service") -> Procedure:
    """End the procurement (采购结束): the last release, and the day from which its records are kept 15 years (SH-81)."""
    procedure = Procedure.objects.select_for_update().get(pk=procedure.pk)
    require(actor, Action.ADD_RELEASE, procedure)
    if procedure.ended_on:
        raise InvalidInput("采购已结束", "the procedure has already ended", code="procedure_ended", status=409)
    if status not in ("complete", "cancelled", "unsuccessful"):
        raise InvalidInput("结束状态无效", "the end status is complete, cancelled or unsuccessful", details={"field": "status"})
    now = _now(when)
    ended_on = ended_on or now.date()
    if ended_on > now.date() or ended_on < procedure.started_on:
        raise InvalidInput("结束日期无效", "the end date must be between the start of the procedure and today", details={"field": "ended_on"})
    seq = procedure.release_count + 1
    release = {"ocid": procedure.ocid, "id": f"{procedure.ocid}-{seq:03d}", "date": now.isoformat(),
               "tag": ["tenderCancellation" if status == "cancelled" else "tenderUpdate"], "initiationType": "tender",
               "language": ocds.LANGUAGE, "tender": {"id": procedure.compiled["tender"]["id"], "status": status}}
    _store_release(procedure=procedure, release=release, actor=actor, stage=Stage.ENDED)
    procedure.refresh_from_db()
    procedure.ended_on = ended_on
    procedure.retain_until = workflow.retain_until(ended_on=ended_on, retention_years=_param("record_retention_years", ended_on))
    procedure.save(update_fields=["ended_on", "retain_until", "updated_at"])
    _audit(actor=actor, action="procedure_end", obj=procedure, ocid=procedure.ocid, via=via, status=status,
           ended_on=ended_on.isoformat(), retain_until=procedure.retain_until.isoformat())
    return procedure


@transaction.atomic
def confidential_mark(*, actor, procedure: Procedure, supplier_id: str, text: str, note: str = "",
                      via: str = "service") -> ConfidentialItem:
    """Mark a passage of a supplier's tender as its trade secret, so no debriefing answer discloses it (SH-80)."""
    require(actor, Action.MARK_CONFIDENTIAL, procedure)
    supplier = _party(supplier_id, "supplier")
    if supplier.pk not in _tenderer_ids(procedure.compiled) | awarded_ids(procedure.compiled):
        raise InvalidInput("该供应商未参加本次采购", "the supplier did not tender in this procedure", details={"field": "supplier"})
    item = ConfidentialItem(procedure=procedure, supplier=supplier, text=_clean_text(text, "text", required=True, limit=500),
                            note=_clean_text(note, "note", limit=300), marked_by=actor)
    item.save(force_insert=True)
    _audit(actor=actor, action="confidential_mark", obj=item, ocid=procedure.ocid, via=via, supplier=supplier.pk)
    return item


# — challenges (质疑, SH-86) and their review by the independent review body (SH-85)

def _supplier_of(actor) -> Party:
    profile = getattr(actor, "procurement_profile", None)
    return profile.party


@dataclass(frozen=True)
class Upload:
    name: str
    content: bytes


def _evidence_store(*, actor, challenge: Challenge, upload: Upload, on: dt.date) -> ChallengeEvidence:
    name = _clean_text(upload.name, "evidence", required=True, limit=200).replace("/", "_").replace("\\", "_")
    content_type, findings = workflow.evidence_check(name=name, content=upload.content, max_bytes=_param("evidence_max_bytes", on))
    _refuse(findings)
    evidence = ChallengeEvidence(procedure_id=challenge.procedure_id, challenge=challenge, file_name=name, content_type=content_type,
                                 size=len(upload.content), sha256=hashlib.sha256(upload.content).hexdigest(),
                                 content=upload.content, uploaded_by=actor)
    evidence.save(force_insert=True)
    return evidence


@transaction.atomic
def challenge_evidence_add(*, actor, challenge: Challenge, uploads: list[Upload], via: str = "service") -> list[ChallengeEvidence]:
    """The supplier adds evidence files to its open challenge; kept with it (SH-81)."""
    challenge = Challenge.objects.select_for_update().get(pk=challenge.pk)
    require(actor, Action.WITHDRAW_CHALLENGE, challenge)  # the challenger's own, like a withdrawal
    if challenge.status in workflow.FINAL_CHALLENGE_STATUSES:
        raise InvalidInput("质疑已处理完毕", "the challenge is closed", code="invalid_transition", status=409)
    if not uploads:
        raise InvalidInput("没有文件", "no file was sent", details={"field": "files"})
    today = _now(None).date()
    stored = [_evidence_store(actor=actor, challenge=challenge, upload=u, on=today) for u in uploads]
    _audit(actor=actor, action="challenge_evidence", obj=challenge, ocid=challenge.procedure.ocid, via=via,
           files=[{"name": e.file_name, "sha256": e.sha256, "size": e.size} for e in stored])
    return stored


@transaction.atomic
def challenge_file(*, actor, procedure: Procedure, grounds: str, knew_on: dt.date, evidence: str = "",
                   files: list[Upload] = (), when: dt.datetime | None = None, via: str = "service",
                   is_demo: bool = False) -> Challenge:
    """A supplier challenges a procedure in writing (SH-86), with its evidence as text and files. A late challenge is
    recorded as late, never lost."""
    require(actor, Action.FILE_CHALLENGE, procedure)
    now = _now(when)
    grounds = _clean_text(grounds, "grounds", required=True)
    evidence = _clean_text(evidence, "evidence")
    if knew_on < dt.date(2000, 1, 1):
        raise InvalidInput("知道权益受损的日期无效", "the day of knowledge is not a plausible date", details={"field": "knew_on"})
    timeliness = workflow.challenge_timeliness(knew_on=knew_on, filed_on=now.date(),
                                               window_days=_param("challenge_window_days", now.date()),
                                               extend_past_rest_days=bool(_param("challenge_window_holiday_extension", now.date())))
    _refuse(timeliness.findings)
    challenge = Challenge(procedure=procedure, supplier=_supplier_of(actor), filed_by=actor, grounds=grounds, knew_on=knew_on,
                          evidence=evidence, filed_at=now, filed_on=now.date(), deadline=timeliness.deadline,
                          late=timeliness.late, is_demo=is_demo)
    challenge.save(force_insert=True)
    stored = [_evidence_store(actor=actor, challenge=challenge, upload=u, on=now.date()) for u in files]
    _audit(actor=actor, action="challenge_file", obj=challenge, ocid=procedure.ocid, via=via, late=timeliness.late,
           deadline=timeliness.deadline.isoformat(), findings=[f.as_dict() for f in timeliness.findings],
           files=[{"name": e.file_name, "sha256": e.sha256, "size": e.size} for e in stored])
    return challenge


def _challenge_move(*, actor, challenge: Challenge, action: str, permission: Action, via: str, **changes) -> Challenge:
    challenge = Challenge.objects.select_for_update().get(pk=challenge.pk)
    require(actor, permission, challenge)
    target, findings = workflow.challenge_transition(status=challenge.status, action=action, late=challenge.late)
    if target is None:
        raise InvalidInput(findings[0].message_zh, findings[0].message_en, code="invalid_transition", status=409,
                           details={"findings": [f.as_dict() for f in findings]})
    before = challenge.status
    challenge.status = target
    for key, value in changes.items():
        setattr(challenge, key, value)
    challenge.save()
    _audit(actor=actor, action=f"challenge_{action}", obj=challenge, ocid=challenge.procedure.ocid, via=via,
           status_before=before, status=target)
    return challenge


@transaction.atomic
def challenge_route(*, actor, challenge: Challenge, action: str, reason: str = "", when: dt.datetime | None = None,
                    via: str = "service") -> Challenge:
    """The review body accepts a challenge for review, or rejects it as late or inadmissible (SH-85)."""
    if action not in ("accept", "reject_late", "reject_inadmissible"):
        raise InvalidInput("受理操作无效", "the routing action is accept, reject_late or reject_inadmissible", details={"field": "action"})
    reason = _clean_text(reason, "reason", required=action == "reject_inadmissible")
    now = _now(when)
    changes: dict[str, Any] = {"routing_reason": reason, "routed_at": now, "routed_by": actor}
    if action != "accept":  # a rejection is the decision
        changes |= {"decided_on": now.date(), "decided_by": actor, "decision_text": reason or "逾期提出 / filed late"}
    return _challenge_move(actor=actor, challenge=challenge, action=action, permission=Action.ROUTE_CHALLENGE, via=via, **changes)


@transaction.atomic
def challenge_decide(*, actor, challenge: Challenge, outcome: str, decision_text: str, decided_on: dt.date | None = None,
                     when: dt.datetime | None = None, via: str = "service") -> Challenge:
    """The review body decides a challenge it accepted: upheld or dismissed, with its reasons and date (SH-85)."""
    if outcome not in ("uphold", "dismiss"):
        raise InvalidInput("裁决结果无效", "the outcome is uphold or dismiss", details={"field": "outcome"})
    now = _now(when)
    decided_on = decided_on or now.date()
    if decided_on > now.date() or decided_on < challenge.filed_on:
        raise InvalidInput("裁决日期无效", "the decision date must be between the filing and today", details={"field": "decided_on"})
    return _challenge_move(actor=actor, challenge=challenge, action=outcome, permission=Action.DECIDE_CHALLENGE, via=via,
                           decision_text=_clean_text(decision_text, "decision_text", required=True), decided_on=decided_on,
                           decided_by=actor)


@transaction.atomic
def challenge_withdraw(*, actor, challenge: Challenge, reason: str = "", via: str = "service") -> Challenge:
    """The supplier withdraws its challenge, e.g. after consultation with the procuring entity (SH-85: 鼓励…磋商解决)."""
    return _challenge_move(actor=actor, challenge=challenge, action="withdraw", permission=Action.WITHDRAW_CHALLENGE, via=via,
                           routing_reason=_clean_text(reason, "reason"))


@transaction.atomic
def challenge_statement(*, actor, challenge: Challenge, statement: str, via: str = "service") -> Challenge:
    """The procuring entity's written statement on a challenge against its procedure (SH-86: 向采购人提出质疑)."""
    challenge = Challenge.objects.select_for_update().get(pk=challenge.pk)
    require(actor, Action.STATE_ON_CHALLENGE, challenge)
    if challenge.status in workflow.FINAL_CHALLENGE_STATUSES:
        raise InvalidInput("质疑已处理完毕", "the challenge is closed", code="invalid_transition", status=409)
    challenge.entity_statement = _clean_text(statement, "statement", required=True)
    challenge.save(update_fields=["entity_statement"])
    _audit(actor=actor, action="challenge_statement", obj=challenge, ocid=challenge.procedure.ocid, via=via)
    return challenge


# — debriefing (SH-80)

@transaction.atomic
def debriefing_request(*, actor, procedure: Procedure, question: str = "", when: dt.datetime | None = None,
                       via: str = "service", is_demo: bool = False) -> Debriefing:
    """An unsuccessful supplier asks why its tender was not selected; the answer is due within the parameter's days."""
    require(actor, Action.REQUEST_DEBRIEFING, procedure)
    supplier = _supplier_of(actor)
    compiled = procedure.compiled
    _refuse(workflow.debriefing_eligibility(supplier=supplier.pk, tenderers=sorted(_tenderer_ids(compiled)),
                                            awarded=sorted(awarded_ids(compiled)), has_award=bool(compiled.get("awards"))))
    if Debriefing.objects.filter(procedure=procedure, supplier=supplier).exists():
        raise InvalidInput("已就本次采购提出过请求", "the supplier has already asked for a debriefing in this procedure",
                           code="conflict", status=409)
    now = _now(when)
    debriefing = Debriefing(procedure=procedure, supplier=supplier, requested_by=actor, question=_clean_text(question, "question"),
                            requested_at=now, requested_on=now.date(),
                            due_on=workflow.debriefing_due(requested_on=now.date(), answer_days=_param("debriefing_answer_days", now.date())),
                            is_demo=is_demo)
    debriefing.save(force_insert=True)
    _audit(actor=actor, action="debriefing_request", obj=debriefing, ocid=procedure.ocid, via=via, due_on=debriefing.due_on.isoformat())
    return debriefing


def debriefing_check(*, debriefing: Debriefing, answer: str) -> list:
    """The trade secrets of other suppliers that ``answer`` would disclose (SH-80), as Findings."""
    marked = list(debriefing.procedure.confidential_items.select_related("supplier"))
    return workflow.confidential_disclosures(answer=answer, items=[(i.supplier_id, i.text) for i in marked],
                                             requester=debriefing.supplier_id, names={i.supplier_id: i.supplier.name_zh for i in marked})


@transaction.atomic
def debriefing_answer(*, actor, debriefing: Debriefing, answer: str, when: dt.datetime | None = None,
                      via: str = "service") -> Debriefing:
    """The procuring entity answers: the reasons, or the advantages of the successful tender, without trade secrets."""
    debriefing = Debriefing.objects.select_for_update().get(pk=debriefing.pk)
    require(actor, Action.ANSWER_DEBRIEFING, debriefing)
    if debriefing.answered_at:
        raise InvalidInput("已答复", "the request has been answered", code="conflict", status=409)
    answer = _clean_text(answer, "answer", required=True)
    disclosures = debriefing_check(debriefing=debriefing, answer=answer)
    if disclosures:
        raise InvalidInput(disclosures[0].message_zh, disclosures[0].message_en, code="trade_secret",
                           details={"findings": [f.as_dict() for f in disclosures]})
    now = _now(when)
    debriefing.answer, debriefing.answered_at, debriefing.answered_on, debriefing.answered_by = answer, now, now.date(), actor
    debriefing.save()
    _audit(actor=actor, action="debriefing_answer", obj=debriefing, ocid=debriefing.procedure.ocid, via=via,
           overdue=workflow.debriefing_overdue(due_on=debriefing.due_on, answered_on=now.date(), today=now.date()))
    return debriefing


# — the debarment register and exclusions (SH-78)

@transaction.atomic
def debarment_record(*, actor, supplier_id: str, entity_id: str, contract_reference: str, breach_on: dt.date,
                     decided_on: dt.date, grounds: str, material: bool = True, remedied: bool = False,
                     via: str = "service", is_demo: bool = False) -> Debarment:
    """Enter a supplier's material breach of a procurement contract in the register (SH-78)."""
    try:
        entity = ProcuringEntity.objects.get(pk=entity_id)
    except ProcuringEntity.DoesNotExist:
        raise NotFound(f"没有采购人 {entity_id}", f"there is no procuring entity {entity_id}", details={"entity": entity_id}) from None
    require(actor, Action.RECORD_DEBARMENT, entity)
    supplier = _party(supplier_id, "supplier")
    if breach_on < dt.date(1990, 1, 1):
        raise InvalidInput("违约日期无效", "the breach date is not a plausible date", details={"field": "breach_on"})
    if decided_on < breach_on or decided_on > retention.today():
        raise InvalidInput("决定日期无效", "the decision date must be on or after the breach and not in the future", details={"field": "decided_on"})
    debarment = Debarment(supplier=supplier, entity=entity, contract_reference=_clean_text(contract_reference, "contract_reference", required=True, limit=200),
                          breach_on=breach_on, decided_on=decided_on, grounds=_clean_text(grounds, "grounds", required=True),
                          material=material, remedied=remedied, recorded_by=actor, is_demo=is_demo)
    debarment.save(force_insert=True)
    _audit(actor=actor, action="debarment_record", obj=debarment, via=via, supplier=supplier.pk, entity=entity.pk)
    return debarment


def related_entities(entity: ProcuringEntity) -> frozenset[str]:
    """Units in a management relation with ``entity`` (存在管理关系的单位): those above it and those it manages."""
    related, up = set(), entity.supervising_entity
    while up is not None and up.pk not in related:
        related.add(up.pk)
        up = up.supervising_entity
    frontier = [entity.pk]
    while frontier:
        below = list(ProcuringEntity.objects.filter(supervising_entity_id__in=frontier).exclude(pk__in=related).values_list("pk", flat=True))
        related.update(below)
        frontier = below
    related.discard(entity.pk)
    return frozenset(related)


def exclusion_assess(*, procedure: Procedure, debarment: Debarment) -> workflow.ExclusionDecision:
    return workflow.exclusion_decision(
        breach_on=debarment.breach_on, procedure_started_on=procedure.started_on, grounds_stated=procedure.exclusion_grounds_stated,
        remedied=debarment.remedied, material=debarment.material, breach_entity=debarment.entity_id,
        procuring_entity=procedure.entity_id, related_entities=related_entities(procedure.entity),
        lookback_years=_param("debarment_lookback_years", procedure.started_on))


@transaction.atomic
def supplier_exclude(*, actor, procedure: Procedure, debarment: Debarment, via: str = "service") -> Exclusion:
    """Exclude a registered supplier from a procedure, only where SH-78 allows it."""
    require(actor, Action.EXCLUDE_SUPPLIER, procedure)
    decision = exclusion_assess(procedure=procedure, debarment=debarment)
    _refuse(decision.findings)
    if Exclusion.objects.filter(procedure=procedure, supplier=debarment.supplier).exists():
        raise InvalidInput("该供应商已被拒绝参与本次采购", "the supplier is already excluded from this procedure", code="conflict", status=409)
    exclusion = Exclusion(procedure=procedure, supplier=debarment.supplier, debarment=debarment,
                          findings=[f.as_dict() for f in decision.findings], decided_by=actor)
    exclusion.save(force_insert=True)
    _audit(actor=actor, action="supplier_exclude", obj=exclusion, ocid=procedure.ocid, via=via, debarment=debarment.pk)
    return exclusion


# — deletion (SH-81)

def record_delete(*, actor, obj, via: str = "service") -> None:
    """Delete a procedure record: only a superuser may (anyone else: 403, and nothing is written — a refusal the
    role already decides is not a retention event, and anyone signed in could otherwise fill the audit trail);
    for a superuser it is refused (and audited) before the retention period ends. A procedure is destroyed with
    all its records."""
    require(actor, Action.DESTROY_EXPIRED)
    retention.guard_delete(actor=actor, obj=obj, via=via)
    with transaction.atomic():
        ocid = obj.ocid if isinstance(obj, Procedure) else obj.procedure.ocid
        if isinstance(obj, Procedure):
            ChallengeEvidence.objects.filter(procedure=obj).delete()
            for related in (obj.exclusions, obj.confidential_items, obj.debriefings, obj.challenges, obj.releases):
                related.all().delete()
        kind, pk = type(obj).__name__.lower(), str(obj.pk)
        obj.delete()
        AuditEntry.objects.create(actor=actor, actor_name=actor.username, action="destroy_expired", object_type=kind,
                                  object_id=pk, ocid=ocid, via=via, details={})
