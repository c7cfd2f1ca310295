"""Rules of electronic transferable records, as the MLETR states them (SC-28, SH-43). Pure: no database, no HTTP.

A record is in one state; each operation is a signed instruction of a named party, and ``apply`` decides whether that
party may do it now and what the record becomes. The MLETR functions each rule carries out:

- singularity (art. 10(1)(b)(i)): one authoritative record per id, so ``issue`` refuses an id already used;
- exclusive control and identification of the person in control (art. 11): only the holder instructs the control
  operations, only the issuer the issuer's ones;
- transfer of control (art. 11(2)): ``transfer`` and the endorsements (art. 15) change the holder;
  ``transfer_to_platform`` hands control to a party on another eBL platform (DCSA PINT): the record is in transit
  and inoperative until that platform answers, then exported (inoperative here: singularity across platforms) or,
  if it refuses, back with the holder;
- integrity (art. 10(2)): the content is hashed and every change goes to the ledger;
- time and place (art. 13, 14): each instruction states when and where (UN/LOCODE);
- change of medium (art. 17, 18): ``to_paper`` makes the record inoperative with a statement; ``to_electronic`` back;
- reliability (art. 12): sequence numbers refuse replays and stale instructions.
"""
from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field, replace
from typing import Any

from openftz.core import crypto
from openftz.core.citations import cites
from openftz.core.errors import InvalidInput

CITES = cites("SC-28", "SH-43")
KINDS = ("ebl", "ewr")
FORMS = ("straight", "to_order", "blank")
HOLDER_OPS = ("transfer", "transfer_to_platform", "endorse", "endorse_to_order", "blank_endorse", "surrender_for_delivery",
              "surrender_for_amendment", "to_paper")
ISSUER_OPS = ("issue", "accept_surrender", "reject_surrender", "amend", "to_electronic", "void")
OPERATIONS = HOLDER_OPS + ISSUER_OPS
INSTRUCTION_FIELDS = ("record", "op", "seq", "actor", "key_id", "at", "place", "params")
RECORD_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
PARTY_ID = re.compile(r"^[a-z0-9][a-z0-9-]{1,62}$")
SUBJECT_PREFIX = "record:"  # a record's entries in the ledger have the subject "record:<record id>"
UN_LOCODE = re.compile(r"^[A-Z]{2}[A-Z2-9]{3}$")
MAX_STATEMENT = 2000


class Refused(InvalidInput):
    """An operation the rules do not allow now (HTTP 409)."""

    status = 409
    code = "refused"


def refuse(rule: str, zh: str, en: str, *, code: str = "refused", mletr: str = "") -> Refused:
    return Refused(zh, en, code=code, details={"rule": rule, "mletr": mletr, "cites": [c.measure for c in CITES]})


@dataclass(frozen=True, slots=True)
class State:
    """A record as the rules see it (记录状态)."""

    record_id: str
    kind: str
    form: str
    status: str  # active, surrender_requested, surrendered, surrendered_for_amendment, paper, void, pint_pending, exported
    medium: str  # electronic or paper
    issuer: str
    holder: str
    consignee: str | None
    restricted: bool  # after a restrictive endorsement the record passes no further
    transfers: int
    seq: int
    version: int
    pending_surrender: str | None = None  # delivery or amendment
    surrendered_by: str | None = None


@dataclass(frozen=True, slots=True)
class Instruction:
    """A signed instruction: what a party asks the registry to do with a record (指令). The actor signs the RFC 8785
    bytes of the instruction object exactly as it is sent."""

    record_id: str
    op: str
    seq: int
    actor: str
    key_id: str
    at: dt.datetime
    place: str
    params: dict[str, Any]


def _bad(field: str, zh: str, en: str) -> InvalidInput:
    return InvalidInput(zh, en, details={"field": field})


def instruction_fields(raw: Any) -> dict[str, Any]:
    """The instruction's fields with their JSON types checked; nothing more is read before its signature is checked."""
    if not isinstance(raw, dict):
        raise _bad("instruction", "指令必须是 JSON 对象", "the instruction must be a JSON object")
    missing = [f for f in INSTRUCTION_FIELDS if f not in raw]
    extra = sorted(set(raw) - set(INSTRUCTION_FIELDS))
    if missing or extra:
        raise InvalidInput("指令字段不符", f"instruction fields: missing {missing}, unknown {extra}",
                           details={"missing": missing, "unknown": extra})
    for name in ("record", "op", "actor", "key_id", "at", "place"):
        if not isinstance(raw[name], str):
            raise _bad(name, f"{name} 必须是字符串", f"{name} must be a string")
    if type(raw["seq"]) is not int:
        raise _bad("seq", "序号必须是整数", "seq must be an integer")
    if not isinstance(raw["params"], dict):
        raise _bad("params", "参数必须是 JSON 对象", "params must be a JSON object")
    return raw


def parse_instruction(raw: Any) -> Instruction:
    """A well-formed instruction, or InvalidInput naming the field (time and place are required: MLETR art. 13, 14)."""
    instruction_fields(raw)
    record_id, op, seq, actor, key_id, at, place, params = (raw[f] for f in INSTRUCTION_FIELDS)
    if not RECORD_ID.match(record_id):
        raise _bad("record", "记录编号无效", "record: 1-64 letters, digits, '.', '_' or '-'")
    if op not in OPERATIONS:
        raise _bad("op", "未知操作", f"op must be one of {', '.join(OPERATIONS)}")
    if not 1 <= seq <= 2**31:
        raise _bad("seq", "序号必须是正整数", "seq must be a positive integer")
    if not PARTY_ID.match(actor):
        raise _bad("actor", "操作人编号无效", "actor must be a party id")
    if not re.fullmatch(r"[0-9a-f]{32}", key_id):
        raise _bad("key_id", "密钥编号无效", "key_id must be 32 hexadecimal digits")
    try:
        when = dt.datetime.fromisoformat(at)
    except ValueError:
        raise _bad("at", "时间无效", "at must be an ISO 8601 date-time with its UTC offset") from None
    if when.tzinfo is None or when.utcoffset() is None:
        raise _bad("at", "时间须带时区", "at must carry its UTC offset")
    if not UN_LOCODE.match(place):
        raise _bad("place", "地点须为联合国贸易和运输地点代码(如 CNSHA)", "place must be a UN/LOCODE such as CNSHA")
    return Instruction(record_id, op, seq, actor, key_id, when, place, params)


def check_time(ins: Instruction, *, now: dt.datetime, max_skew_seconds: int) -> None:
    """The stated time must be near the registry's clock (MLETR art. 13; stale instructions are refused)."""
    if abs((ins.at - now).total_seconds()) > max_skew_seconds:
        raise refuse("time", f"指令时间与登记机构时钟相差超过 {max_skew_seconds} 秒",
                     f"the instruction's time is more than {max_skew_seconds} s away from the registry's clock",
                     code="stale_instruction", mletr="art. 13")


def _party_param(ins: Instruction, name: str) -> str:
    value = ins.params.get(name)
    if not isinstance(value, str) or not PARTY_ID.match(value):
        raise _bad(f"params.{name}", f"参数 {name} 须为当事人编号", f"params.{name} must be a party id")
    return value


def _text_param(ins: Instruction, name: str) -> str:
    value = ins.params.get(name)
    if not isinstance(value, str) or not value.strip() or len(value) > MAX_STATEMENT:
        raise _bad(f"params.{name}", f"参数 {name} 须为非空文字(不超过 {MAX_STATEMENT} 字)",
                   f"params.{name} must be a non-empty text of at most {MAX_STATEMENT} characters")
    return value.strip()


def _allowed_params(ins: Instruction, *names: str) -> None:
    extra = sorted(set(ins.params) - set(names))
    if extra:
        raise InvalidInput("含未知参数", f"unknown params for {ins.op}: {extra}", details={"unknown": extra})


def instruction_parties(ins: Instruction) -> list[str]:
    """The parties an instruction names besides its actor (they must be in the directory)."""
    names = {"transfer": ("to",), "transfer_to_platform": ("to",), "endorse": ("to",), "endorse_to_order": ("to",), "issue": ("holder", "consignee"),
             "to_electronic": ("holder",)}.get(ins.op, ())
    return [ins.params[n] for n in names if isinstance(ins.params.get(n), str)]


def check_document(kind: str, record_id: str, form: str, document: Any, *, size: int, max_bytes: int) -> None:
    """The content: a DCSA eBL 3.0 transport document for ``ebl``, a warehouse receipt for ``ewr`` (SC-28, SH-43)."""
    if not isinstance(document, dict):
        raise _bad("params.document", "记录内容必须是 JSON 对象", "params.document must be a JSON object")
    if size > max_bytes:
        raise _bad("params.document", f"记录内容超过 {max_bytes} 字节", f"the document is larger than {max_bytes} bytes")
    if kind == "ebl":
        if document.get("transportDocumentReference") != record_id:
            raise _bad("params.document.transportDocumentReference", "运输单证编号须与记录编号一致",
                       "transportDocumentReference must equal the record id")
        if document.get("isElectronic") is not True:
            raise _bad("params.document.isElectronic", "电子提单须标明 isElectronic", "an eBL must have isElectronic: true")
        if document.get("transportDocumentTypeCode") not in ("BOL", "SWB"):
            raise _bad("params.document.transportDocumentTypeCode", "单证类型须为 BOL 或 SWB", "transportDocumentTypeCode must be BOL or SWB")
        if document.get("transportDocumentTypeCode") == "SWB":
            raise _bad("params.document.transportDocumentTypeCode", "海运单不是可转让单证",
                       "a sea waybill (SWB) is not a transferable document")
        if document.get("isToOrder") is not (form != "straight"):
            raise _bad("params.document.isToOrder", "isToOrder 须与记录形式一致",
                       "isToOrder must be false for a straight bill and true for a to-order or blank-endorsed one")
    else:
        for name, kind_ in (("receiptNumber", str), ("warehouse", str), ("goodsDescription", str), ("unit", str),
                            ("location", str)):
            if not isinstance(document.get(name), kind_) or not document[name].strip():
                raise _bad(f"params.document.{name}", f"仓单缺少 {name}", f"the warehouse receipt needs {name}")
        if document["receiptNumber"] != record_id:
            raise _bad("params.document.receiptNumber", "仓单编号须与记录编号一致", "receiptNumber must equal the record id")
        quantity = document.get("quantity")
        if isinstance(quantity, bool) or not isinstance(quantity, (int, float)) or not quantity > 0:
            raise _bad("params.document.quantity", "数量须为正数", "quantity must be a positive number")


def new_record(ins: Instruction) -> State:
    """``issue``: the issuer creates the one authoritative record of this id (singularity, MLETR art. 10)."""
    _allowed_params(ins, "kind", "form", "holder", "consignee", "document")
    if ins.seq != 1:
        raise refuse("sequence", "签发指令序号须为 1", "an issue instruction has seq 1", code="stale_sequence", mletr="art. 12")
    kind, form = ins.params.get("kind"), ins.params.get("form")
    if kind not in KINDS:
        raise _bad("params.kind", "记录类型须为 ebl 或 ewr", "params.kind must be ebl or ewr")
    if form not in FORMS:
        raise _bad("params.form", "形式须为 straight、to_order 或 blank", "params.form must be straight, to_order or blank")
    holder = _party_param(ins, "holder")
    consignee = None
    if form == "straight":
        consignee = _party_param(ins, "consignee")
    elif "consignee" in ins.params:
        raise _bad("params.consignee", "指示或空白形式不载收货人", "only a straight record names a consignee")
    return State(ins.record_id, kind, form, "active", "electronic", ins.actor, holder, consignee, False, 0, 1, 1)


def apply(state: State | None, ins: Instruction, *, paper_to_electronic_allowed: bool) -> State:
    """What the record becomes after ``ins``; Refused if the rules do not allow it (SC-28, SH-43)."""
    if ins.op == "issue":
        if state is not None:
            raise refuse("singularity", f"记录 {ins.record_id} 已存在", f"record {ins.record_id} already exists: there is one authoritative record per id",
                         code="duplicate_record", mletr="art. 10(1)(b)(i)")
        return new_record(ins)
    if state is None:
        raise refuse("existence", f"没有记录 {ins.record_id}", f"no record {ins.record_id}", code="no_record")
    if ins.seq != state.seq + 1:
        raise refuse("sequence", f"序号应为 {state.seq + 1}", f"seq must be {state.seq + 1} (a replay or stale instruction is refused)",
                     code="stale_sequence", mletr="art. 12")
    step = replace(state, seq=ins.seq)
    if ins.op in HOLDER_OPS:
        return _holder_op(step, ins)
    return _issuer_op(step, ins, paper_to_electronic_allowed)


PINT_ACCEPTED = ("RECE", "DUPE")
PINT_REJECTED = ("BSIG", "BENV")


def pint_outcome(state: State, *, code: str | None, sender: str) -> State:
    """What the receiving platform's answer makes of a record in transit (DCSA PINT 3.0): RECE or DUPE — control has
    passed to the other platform and the record here stays inoperative (``exported``: singularity across platforms);
    BSIG or BENV, or no answer at all after the last retry (``code`` None) — the transfer did not happen and control
    returns to ``sender``, the holder who instructed it."""
    if state.status != "pint_pending":
        raise refuse("pint", "记录不在向其他平台转让途中", "the record is not in transit to another platform", code="not_in_transit")
    if code in PINT_ACCEPTED:
        return replace(state, seq=state.seq + 1, status="exported")
    if code is None or code in PINT_REJECTED:
        return replace(state, seq=state.seq + 1, status="active", holder=sender, transfers=state.transfers - 1)
    raise InvalidInput("未知的 PINT 应答代码", f"unknown PINT response code {code!r}", details={"field": "responseCode"})


def pint_next_attempt(attempts: int, *, now: dt.datetime, retry_minutes: list[int]) -> dt.datetime | None:
    """When to send an envelope again after ``attempts`` failed attempts; None once the retries are spent."""
    if attempts > len(retry_minutes):
        return None
    return now + dt.timedelta(minutes=retry_minutes[attempts - 1])


def _require_active(state: State) -> None:
    if state.status != "active":
        raise refuse("operative", f"记录处于 {state.status} 状态,不能操作", f"the record is {state.status}: no control operation is possible",
                     code="inoperative", mletr="art. 17(2)")


def _holder_op(state: State, ins: Instruction) -> State:
    _require_active(state)
    if ins.actor != state.holder:
        raise refuse("exclusive_control", "只有控制人可以操作", f"only the person in control ({state.holder}) may {ins.op}",
                     code="not_in_control", mletr="art. 11")
    if ins.op in ("transfer", "transfer_to_platform", "endorse", "endorse_to_order"):
        if ins.op == "transfer_to_platform":
            _allowed_params(ins, "to", "platform")
            if not isinstance(ins.params.get("platform"), str) or not re.fullmatch(r"[A-Z]{2,4}", ins.params["platform"]):
                raise _bad("params.platform", "平台代码须为 DCSA 平台代码(如 BOLE)", "params.platform must be a DCSA platform code such as BOLE")
        else:
            _allowed_params(ins, "to")
        to = _party_param(ins, "to")
        if to == state.holder:
            raise refuse("transfer", "不能转让给自己", "the record cannot be transferred to its holder")
        if state.restricted:
            raise refuse("restrictive_endorsement", "限制性背书后不能再转让", "after a restrictive endorsement the record passes no further",
                         mletr="art. 15")
        if ins.op in ("transfer", "transfer_to_platform"):
            if state.form == "to_order":
                raise refuse("negotiation", "指示记录须背书转让", "a to-order record passes by endorsement, not by transfer alone", mletr="art. 15")
            if state.form == "straight" and to != state.consignee:
                raise refuse("straight", "记名记录只能交给收货人", f"a straight record passes only to its consignee ({state.consignee})")
            if ins.op == "transfer_to_platform":  # in transit to the other platform: inoperative here until it answers
                return replace(state, holder=to, transfers=state.transfers + 1, status="pint_pending")
            return replace(state, holder=to, transfers=state.transfers + 1)
        if state.form == "straight":
            raise refuse("straight", "记名记录不能背书", "a straight record cannot be endorsed", mletr="art. 15")
        if ins.op == "endorse":
            if state.form != "to_order":
                raise refuse("endorsement", "空白背书记录可直接转让", "a blank-endorsed record passes by transfer; endorse it to order to name a holder")
            return replace(state, holder=to, restricted=True, transfers=state.transfers + 1)
        return replace(state, holder=to, form="to_order", transfers=state.transfers + 1)
    if ins.op == "blank_endorse":
        _allowed_params(ins)
        if state.form != "to_order":
            raise refuse("endorsement", "只有指示记录可以空白背书", "only a to-order record can be endorsed in blank", mletr="art. 15")
        return replace(state, form="blank")
    if ins.op in ("surrender_for_delivery", "surrender_for_amendment"):
        _allowed_params(ins)
        if ins.op == "surrender_for_delivery" and state.form == "straight" and ins.actor != state.consignee:
            raise refuse("straight", "记名记录须由收货人交回提货", "a straight record is surrendered for delivery by its consignee")
        purpose = "delivery" if ins.op == "surrender_for_delivery" else "amendment"
        return replace(state, status="surrender_requested", pending_surrender=purpose, surrendered_by=ins.actor, holder=state.issuer)
    _allowed_params(ins, "statement")
    _text_param(ins, "statement")
    return replace(state, status="paper", medium="paper")


def _issuer_op(state: State, ins: Instruction, paper_to_electronic_allowed: bool) -> State:
    if ins.actor != state.issuer:
        raise refuse("issuer", "只有签发人可以操作", f"only the issuer ({state.issuer}) may {ins.op}", code="not_issuer", mletr="art. 11")
    if ins.op in ("accept_surrender", "reject_surrender"):
        if state.status != "surrender_requested":
            raise refuse("surrender", "没有待处理的交回", "no surrender is pending")
        if ins.op == "reject_surrender":
            _allowed_params(ins, "reason")
            _text_param(ins, "reason")
            return replace(state, status="active", holder=state.surrendered_by, pending_surrender=None, surrendered_by=None)
        _allowed_params(ins)
        return replace(state, status="surrendered" if state.pending_surrender == "delivery" else "surrendered_for_amendment")
    if ins.op == "amend":
        _allowed_params(ins, "document", "reason")
        _text_param(ins, "reason")
        if state.status != "surrendered_for_amendment":
            raise refuse("amendment", "须先交回以便修改", "a record is amended only after its surrender for amendment was accepted")
        return replace(state, status="active", holder=state.surrendered_by, pending_surrender=None, surrendered_by=None,
                       version=state.version + 1)
    if ins.op == "to_electronic":
        _allowed_params(ins, "holder", "statement")
        _text_param(ins, "statement")
        if not paper_to_electronic_allowed:
            raise refuse("change_of_medium", "不允许由纸质换回电子", "changing back from paper is not allowed", mletr="art. 18")
        if state.status != "paper":
            raise refuse("change_of_medium", "记录不是纸质状态", "the record is not on paper", mletr="art. 18")
        return replace(state, status="active", medium="electronic", holder=_party_param(ins, "holder"))
    _allowed_params(ins, "reason")
    _text_param(ins, "reason")
    _require_active(state)
    if state.transfers:
        raise refuse("void", "已转让的记录不能作废", "a record that has been transferred cannot be voided by its issuer")
    return replace(state, status="void")


def medium_statement(ins: Instruction, *, received_at: dt.datetime) -> str:
    """The statement recorded at a change of medium (MLETR art. 17(3), 18(3)), with the party's own words."""
    when = received_at.isoformat(timespec="seconds")
    if ins.op == "to_paper":
        head = (f"电子可转让记录 {ins.record_id} 已于 {when} 在 {ins.place} 由 {ins.actor} 转换为纸质单证,电子记录自此失效。"
                f" / Electronic transferable record {ins.record_id} was replaced by a paper document at {when} in {ins.place} "
                f"on the instruction of {ins.actor}; the electronic record is inoperative from then on.")
    else:
        head = (f"纸质单证已于 {when} 在 {ins.place} 交回并失效,记录 {ins.record_id} 恢复为电子形式。"
                f" / The paper document was surrendered and made inoperative at {when} in {ins.place}; record "
                f"{ins.record_id} is electronic again.")
    return f"{head} {ins.params['statement'].strip()}"


# --- the state a record's ledger entries imply (账本所证明的状态) -------------------------------------------------
#
# Every ledger entry of a record carries the state it left the record in (``event["state"]`` with ``kind``, ``seq``,
# ``version`` and ``document_hash`` beside it), so that the stored row can be checked against the ledger: cheaply on
# each instruction (the row against the record's last entry) and fully by replaying every signed instruction with
# these rules (``replay``). Entries written before the state carried every field hold only holder, form, status and
# medium: the fields they lack are derived by the replay, or left unchecked by ``disagreements``.

SUBJECT_PREFIX = "record:"  # a record's entries in the ledger have the subject record:<id>
STATE_FACTS = ("kind", "form", "status", "medium", "issuer", "holder", "consignee", "restricted", "transfers", "seq",
               "version", "pending_surrender", "surrendered_by", "document_hash")
_ENTRY_TOP_FACTS = ("kind", "seq", "version", "document_hash")
PINT_OUTCOMES = ("pint_accepted", "pint_rejected", "pint_undeliverable")


def ledger_state(state: State) -> dict[str, Any]:
    """The "state after" an entry records: every field of the record an instruction is decided on, besides kind, seq
    and version, which the entry holds beside it (SC-28, SH-43: integrity, MLETR art. 10(2))."""
    return {"form": state.form, "status": state.status, "medium": state.medium, "issuer": state.issuer,
            "holder": state.holder, "consignee": state.consignee, "restricted": state.restricted,
            "transfers": state.transfers, "pending_surrender": state.pending_surrender,
            "surrendered_by": state.surrendered_by}


def state_facts(state: State, document_hash: str | None) -> dict[str, Any]:
    """A state as the facts compared with the ledger (the stored row's or a replayed one)."""
    return {"kind": state.kind, "seq": state.seq, "version": state.version, "document_hash": document_hash} | ledger_state(state)


def entry_facts(event: dict) -> dict[str, Any]:
    """The facts one ledger entry states about its record after it: those an older entry lacks are absent."""
    recorded = event.get("state") if isinstance(event.get("state"), dict) else {}
    facts = {name: event[name] for name in _ENTRY_TOP_FACTS if name in event}
    facts.update({name: recorded[name] for name in STATE_FACTS if name in recorded and name not in _ENTRY_TOP_FACTS})
    return facts


def disagreements(stored: dict[str, Any], recorded: dict[str, Any]) -> list[str]:
    """The fields, in ``STATE_FACTS`` order, whose stored value differs from the one recorded (unrecorded ones are
    not compared)."""
    return [name for name in STATE_FACTS if name in recorded and stored.get(name) != recorded[name]]


def _state_from(facts: dict[str, Any], record_id: str) -> State | None:
    if any(name not in facts for name in STATE_FACTS):
        return None
    return State(record_id, facts["kind"], facts["form"], facts["status"], facts["medium"], facts["issuer"], facts["holder"],
                 facts["consignee"], facts["restricted"], facts["transfers"], facts["seq"], facts["version"],
                 facts["pending_surrender"], facts["surrendered_by"])


@dataclass
class Replay:
    """What a record's ledger entries imply: the facts of its state after the last entry (``None`` without entries),
    every inconsistency found on the way, and the facts that no entry records and were taken as assumed."""

    facts: dict[str, Any] | None = None
    problems: list[str] = field(default_factory=list)
    assumed: list[str] = field(default_factory=list)
    last_index: int | None = None


def _describe(value: Any) -> str:
    return "none" if value is None else repr(value)


def _document_digest(document: Any) -> str:
    return crypto.digest("sm3", crypto.canonical_json(document)).hex()


def _derive(state: State | None, event: dict, sender: str | None) -> tuple[State, str | None]:
    """The state one entry's signed instruction leads to from ``state`` by these rules, and the content hash."""
    op = event.get("op")
    if op in OPERATIONS:
        ins = parse_instruction(json.loads(event["instruction"]))
        if ins.record_id != event.get("record") or ins.op != op:
            raise ValueError("its signed instruction names another record or operation")
        # the registry accepted it under the parameters then in force: the history is replayed, not re-decided
        after = apply(state, ins, paper_to_electronic_allowed=True)
        document_hash = _document_digest(ins.params["document"]) if op in ("issue", "amend") else None
        return after, document_hash
    if op in PINT_OUTCOMES:
        if state is None or sender is None:
            raise ValueError("no transfer to another platform precedes it")
        code = json.loads(event["instruction"]).get("responseCode")
        if (op == "pint_undeliverable") != (code is None) or (code is not None and (op == "pint_accepted") != (code in PINT_ACCEPTED)):
            raise ValueError(f"its response code {code!r} does not fit {op}")
        return pint_outcome(state, code=code, sender=sender), None
    raise ValueError(f"unknown operation {op!r}")


def replay(record_id: str, entries: list[tuple[int, dict]], *, assume: dict[str, Any] | None = None) -> Replay:
    """Fold a record's ledger entries (index, event), in log order, into the state they imply (SC-28, SH-43).

    Each signed instruction is applied again with ``apply`` (a PINT answer with ``pint_outcome``) to the state its
    predecessors left, and the state the entry records is compared with the derived one. A record received by DCSA
    PINT starts from its first entry's recorded state; an older entry that does not record a field the replay needs
    (the issuer of a received record) takes it from ``assume`` — the stored row — and the field is named in
    ``assumed``. Pure: the caller reads the entries."""
    result = Replay()
    state: State | None = None
    document_hash: str | None = None
    sender: str | None = None
    for index, event in entries:
        result.last_index = index
        recorded = entry_facts(event)
        where = f"ledger entry {index} (seq {event.get('seq')}, {event.get('op')})"
        if event.get("record") != record_id:
            result.problems.append(f"{where}: belongs to record {event.get('record')!r}")
            continue
        derived: dict[str, Any] | None = None
        try:
            if event.get("op") == "pint_receive":
                if state is not None or recorded.get("seq") != 1 or recorded.get("version") != 1:
                    raise ValueError("a record is received from another platform only as its first entry, seq 1, version 1")
                facts = {"restricted": False, "transfers": 0, "pending_surrender": None, "surrendered_by": None,
                         "consignee": recorded.get("holder") if recorded.get("form") == "straight" else None} | recorded
                for name in STATE_FACTS:
                    if name not in facts and assume and name in assume:
                        facts[name] = assume[name]
                        result.assumed.append(name)
                derived = facts
            else:
                after, new_hash = _derive(state, event, sender)
                if event.get("op") == "transfer_to_platform":
                    sender = state.holder if state else None
                derived = state_facts(after, new_hash or document_hash)
        except (InvalidInput, ValueError, KeyError, TypeError, AttributeError) as exc:
            message = exc.message_en if isinstance(exc, InvalidInput) else str(exc)
            result.problems.append(f"{where}: cannot be replayed: {message}")
        if derived is not None:
            for name in disagreements(derived, recorded):
                result.problems.append(f"{where}: records {name} = {_describe(recorded[name])} where its signed "
                                       f"instruction implies {_describe(derived[name])}")
            facts = derived
        else:  # carry on from what the entry records, over what was known before
            facts = (state_facts(state, document_hash) if state else {}) | recorded
        state, document_hash = _state_from(facts, record_id), facts.get("document_hash")
        result.facts = facts
        if state is None:
            result.problems.append(f"{where}: the state after it is not fully known; the replay stops here")
            break
    return result
