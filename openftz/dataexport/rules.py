"""Which pathway a cross-border data transfer needs (数据出境路径判定) — a pure decision function.

The law, in the order it is applied here:
- 《个人信息保护法》(PIPL) Art. 41 and 《数据安全法》(DSL) Art. 36: data is not given to a foreign judicial or
  law-enforcement body without the approval of the competent Chinese authority → ``prohibited``.
- 《促进和规范数据跨境流动规定》(CAC, 2024-03-22, "the Provisions") Art. 2 and 7: important data — only data
  notified or published as such — always needs a CAC security assessment; PIPL Art. 36: so does personal
  information exported by a state organ.
- The Provisions' exemptions: Art. 3 (no personal information and no important data), Art. 4 (collected abroad,
  processed here, sent back), Art. 5(1)-(3) (contract with the individual, cross-border HR, emergency) and
  网络数据安全管理条例 (State Council Decree No. 790, in force 2025-01-01) Art. 35(6) (truly necessary to perform a
  statutory duty or obligation), Art. 6 (an FTZ's negative list: data off the list is free for processors
  registered in the zone that export from within it and are not CIIOs; data on the list takes the mechanism the
  list row sets, where it sets one), Art. 5(4) (non-CIIO, fewer than 100,000 people, no sensitive personal
  information). Art. 5 para. 2: none of these exemptions covers important data.
- Art. 7: CIIOs exporting personal information, and others at 1,000,000 people or 10,000 people's sensitive
  personal information → ``security_assessment``; Art. 8: others at 100,000 people or any sensitive personal
  information → ``standard_contract_or_certification`` (certification under 个人信息出境认证办法 Art. 5 from
  2026-01-01). The triggers of 数据出境安全评估办法 Art. 4 and 个人信息出境标准合同办法 Art. 4 are superseded by
  the Provisions (Art. 13) and are not cited.
People are counted cumulatively since 1 January (Asia/Shanghai) including this transfer; 以上 includes the
number, 不满 excludes it. The thresholds are parameters (data/parameters/dataexport.yaml).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import Any

from openftz.core.citations import cites
from openftz.core.errors import InvalidInput
from openftz.core.parameters import ParameterError, parameter

MEASURES = cites("SH-38", "SH-39", "SH-5", "SC-24", "SC-25", "SC-2")
PATHWAYS = ("prohibited", "security_assessment", "standard_contract_or_certification", "exempt")
PURPOSES = (None, "contract", "hr", "emergency", "statutory_duty")
NEGATIVE_LIST = (None, "off_list", "on_list")
# What a matched row of the zone's negative list requires, as the list sets it: its own pathway, or (its own
# trigger not reached) nothing; None: the list sets no mechanism and the national thresholds apply.
FTZ_MECHANISMS = (None, "security_assessment", "standard_contract_or_certification", "not_triggered")

P = "促进和规范数据跨境流动规定"
NDS = "网络数据安全管理条例"
PICM = "个人信息出境认证办法"
SH_LIST = "中国（上海）自由贸易试验区及临港新片区数据出境负面清单管理办法（试行）"
QA_2025 = "国家网信办 数据出境安全管理政策问答（2025-05-30）"
A_JUDICIAL = ("个人信息保护法 第41条", "数据安全法 第36条")
# Important data: the Provisions Art. 2 (only data notified or published as such), Art. 5 para. 2 (no exemption
# covers it), Art. 7(2) for a processor that is not a CIIO, Art. 7(1) for a CIIO; the Regulations Art. 37.
A_IMPORTANT = {False: (f"{P} 第2条", f"{P} 第5条第2款", f"{P} 第7条第2项", f"{NDS} 第37条"),
               True: (f"{P} 第2条", f"{P} 第5条第2款", f"{P} 第7条第1项", f"{NDS} 第37条")}
A_STATE_ORGAN = ("个人信息保护法 第36条",)
A_NO_PI = (f"{P} 第3条",)
A_ABROAD = (f"{P} 第4条",)
A_PURPOSE = {"contract": (f"{P} 第5条第1项",), "hr": (f"{P} 第5条第2项",), "emergency": (f"{P} 第5条第3项",),
             "statutory_duty": (f"{NDS} 第35条第6项",)}
A_FTZ = (f"{P} 第6条", SH_LIST)
A_SMALL = (f"{P} 第5条第4项",)
A_CIIO = (f"{P} 第7条第1项", "个人信息保护法 第40条")
A_ASSESSMENT = (f"{P} 第7条第2项",)
A_CONTRACT = (f"{P} 第8条", "个人信息保护法 第38条")
A_CERTIFICATION = (f"{PICM} 第5条",)  # cited only on or after the day the certification measures are in force


@dataclass(frozen=True)
class Processor:
    ciio: bool
    state_organ: bool
    ftz_registered: bool  # registered in the China (Shanghai) Pilot FTZ, the Lingang New Area included
    exports_from_zone: bool = False  # and exports the data from within the zone (both are needed for its list)


@dataclass(frozen=True)
class Transfer:
    recipient_foreign_judicial_authority: bool
    important_data: bool
    personal_info_people: int  # non-sensitive, cumulative since 1 January, this transfer included
    sensitive_personal_info_people: int
    collected_abroad_only: bool
    purpose: str | None
    ftz_negative_list: str | None
    judicial_approval: bool = False  # approval of the competent authority for a foreign judicial request
    ftz_list_mechanism: str | None = None  # what the matched negative-list rows require (FTZ_MECHANISMS)
    important_data_notified_on: dt.date | None = None  # the day the processor was told the data is important data


@dataclass(frozen=True)
class Step:
    rule: str
    outcome: str  # applies | not_applicable
    reason_zh: str
    reason_en: str
    cites: tuple[str, ...]


@dataclass
class Assessment:
    pathway: str
    cites: list[str]
    trace: list[Step]
    obligations: list[dict]
    warnings: list[dict] = field(default_factory=list)
    measures: list[str] = field(default_factory=lambda: [c.measure for c in MEASURES])

    def as_dict(self) -> dict:
        return {
            "pathway": self.pathway, "cites": self.cites, "measures": self.measures,
            "trace": [asdict(s) | {"cites": list(s.cites)} for s in self.trace],
            "obligations": self.obligations, "warnings": self.warnings,
        }


@dataclass(frozen=True)
class Thresholds:
    """The legal numbers in force on a day (data/parameters/dataexport.yaml)."""

    contract: int
    assessment: int
    sensitive: int
    validity_years: int
    extension_working_days: int
    pipia_years: int
    statutory_duty_ground: bool = False  # 网络数据安全管理条例 Art. 35(6) in force
    certification_in_force: bool = False  # 个人信息出境认证办法 in force
    day: dt.date | None = None

    @classmethod
    def on(cls, day: dt.date) -> Thresholds:
        def p(name: str, default=ParameterError):
            try:
                return parameter("dataexport", name).at(day)
            except ParameterError:
                if default is ParameterError:
                    raise
                return default

        return cls(p("pi_contract_threshold_people"), p("pi_assessment_threshold_people"), p("sensitive_assessment_threshold_people"),
                   p("assessment_validity_years"), p("assessment_extension_window_working_days"), p("pipia_retention_years"),
                   bool(p("statutory_duty_exemption", False)), bool(p("certification_measures_in_force", False)), day)


# — input ————————————————————————————————————————————————————————————————————————————


def _field(raw: Any, path: str, kind: type, allowed: tuple | None = None, *, required: bool = True, default: Any = None):
    section, _, name = path.partition(".")
    holder = raw.get(section) if isinstance(raw, dict) else None
    if not isinstance(holder, dict):
        raise InvalidInput(f"缺少字段 {section}", f"{section} must be an object", details={"field": section})
    if name not in holder:
        if required:
            raise InvalidInput(f"缺少字段 {path}", f"missing field {path}", details={"field": path})
        return default
    value = holder[name]
    if allowed is not None:
        if value not in allowed:
            raise InvalidInput(f"{path} 的取值无效:{value!r}", f"{path} must be one of {list(allowed)}, not {value!r}", details={"field": path})
        return value
    if kind is int:
        if type(value) is float and value.is_integer():  # JSON has one number type: 5285.0 is the integer 5285
            value = int(value)
        if type(value) is not int:
            raise InvalidInput(f"{path} 须为整数", f"{path} must be a whole number", details={"field": path})
        if value < 0:
            raise InvalidInput(f"{path} 不能为负数", f"{path} must not be negative", details={"field": path})
        return value
    if kind is dt.date:
        if value is None and not required:
            return default
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return value
        try:
            if isinstance(value, str) and len(value) == 10:
                return dt.date.fromisoformat(value)
        except ValueError:
            pass
        raise InvalidInput(f"{path} 须为日期(YYYY-MM-DD)", f"{path} must be a date (YYYY-MM-DD)", details={"field": path})
    if type(value) is not kind:
        raise InvalidInput(f"{path} 须为 {kind.__name__}", f"{path} must be a {kind.__name__}", details={"field": path})
    return value


def parse(raw: Any) -> tuple[Processor, Transfer]:
    """The processor and transfer of an input object, or InvalidInput naming the field that is wrong."""
    if not isinstance(raw, dict):
        raise InvalidInput("输入必须是 JSON 对象", "the input must be a JSON object", details={"field": "$"})
    processor = Processor(
        ciio=_field(raw, "processor.ciio", bool),
        state_organ=_field(raw, "processor.state_organ", bool),
        ftz_registered=_field(raw, "processor.ftz_registered", bool),
        exports_from_zone=_field(raw, "processor.exports_from_zone", bool, required=False, default=False),
    )
    transfer = Transfer(
        recipient_foreign_judicial_authority=_field(raw, "transfer.recipient_foreign_judicial_authority", bool),
        important_data=_field(raw, "transfer.important_data", bool),
        personal_info_people=_field(raw, "transfer.personal_info_people", int),
        sensitive_personal_info_people=_field(raw, "transfer.sensitive_personal_info_people", int),
        collected_abroad_only=_field(raw, "transfer.collected_abroad_only", bool),
        purpose=_field(raw, "transfer.purpose", object, PURPOSES),
        ftz_negative_list=_field(raw, "transfer.ftz_negative_list", object, NEGATIVE_LIST),
        judicial_approval=_field(raw, "transfer.judicial_approval", bool, required=False, default=False),
        ftz_list_mechanism=_field(raw, "transfer.ftz_list_mechanism", object, FTZ_MECHANISMS, required=False, default=None),
        important_data_notified_on=_field(raw, "transfer.important_data_notified_on", dt.date, required=False, default=None),
    )
    return processor, transfer


# — the decision ——————————————————————————————————————————————————————————————————————


def assess(processor: Processor, transfer: Transfer, *, thresholds: Thresholds) -> Assessment:
    """The one pathway this transfer needs, the articles behind it, and every rule evaluated on the way."""
    trace: list[Step] = []
    people, sensitive = transfer.personal_info_people, transfer.sensitive_personal_info_people
    has_pi = people > 0 or sensitive > 0

    def step(rule: str, applies: bool, zh: str, en: str, articles: tuple[str, ...]) -> bool:
        """Record a rule of the law: ``zh``/``en`` say what it provides; a rule that does not apply says so first."""
        if applies:
            trace.append(Step(rule, "applies", zh, en, articles))
        else:
            trace.append(Step(rule, "not_applicable", f"不适用——{zh}", f"does not apply — {en}", articles))
        return applies

    def decide(pathway: str, articles: tuple[str, ...]) -> Assessment:
        return Assessment(pathway, list(articles), trace, obligations(processor, transfer, pathway, has_pi, thresholds))

    important_articles = A_IMPORTANT[processor.ciio]
    contract_articles = A_CONTRACT + (A_CERTIFICATION if thresholds.certification_in_force else ())

    judicial = transfer.recipient_foreign_judicial_authority and not transfer.judicial_approval
    if step("DX-JUDICIAL", judicial,
            "接收方为外国司法或执法机构,且未经主管机关批准:不得提供",
            "the recipient is a foreign judicial or law-enforcement body and the competent authority has not approved: "
            "the data may not be provided", A_JUDICIAL):
        return decide("prohibited", A_JUDICIAL)
    if step("DX-IMPORTANT-DATA", transfer.important_data,
            "包含经告知或公开发布的重要数据:须申报数据出境安全评估,任何豁免均不适用",
            "it holds important data (as notified or published): a CAC security assessment is needed, whatever the exemptions",
            important_articles):
        return decide("security_assessment", important_articles)
    if step("DX-STATE-ORGAN", processor.state_organ and has_pi,
            "国家机关向境外提供个人信息:须进行安全评估",
            "a state organ exports personal information: a security assessment is needed", A_STATE_ORGAN):
        return decide("security_assessment", A_STATE_ORGAN)
    if step("DX-NO-PERSONAL-INFO", not has_pi,
            "不含个人信息和重要数据:免予申报安全评估、订立标准合同或认证",
            "no personal information and no important data: exempt from assessment, contract and certification", A_NO_PI):
        return decide("exempt", A_NO_PI)
    if step("DX-COLLECTED-ABROAD", transfer.collected_abroad_only,
            "在境外收集和产生的个人信息,在境内处理后向境外提供,未引入境内个人信息或重要数据:免予",
            "personal information collected abroad, processed here and sent back, with no domestic personal information: exempt",
            A_ABROAD):
        return decide("exempt", A_ABROAD)
    purpose_articles = A_PURPOSE.get(transfer.purpose or "", ())
    labels = {"contract": ("为订立、履行个人作为一方当事人的合同所必需", "necessary to conclude or perform a contract the individual is party to"),
              "hr": ("按照依法制定的劳动规章制度和集体合同实施跨境人力资源管理所必需", "necessary for cross-border human-resources management under lawful rules"),
              "emergency": ("紧急情况下为保护自然人的生命健康和财产安全所必需", "necessary in an emergency to protect a person's life, health or property"),
              "statutory_duty": ("为履行法定职责或者法定义务确需向境外提供个人信息", "truly necessary to perform a statutory duty or obligation")}
    zh, en = labels.get(transfer.purpose or "", ("未声明第5条第1至3项或网络数据安全管理条例第35条第6项的用途",
                                                 "no purpose under the Provisions Art. 5(1)-(3) or the Regulations Art. 35(6) declared"))
    if transfer.purpose == "statutory_duty" and not thresholds.statutory_duty_ground:
        day = thresholds.day.isoformat() if thresholds.day else "this day"
        purpose_articles = ()
        zh, en = (f"{zh}(网络数据安全管理条例第35条第6项自2025-01-01起施行,{day} 尚无此项依据)",
                  f"{en} (the Regulations Art. 35(6) is in force from 2025-01-01, not yet on {day})")
    if step("DX-PURPOSE", bool(purpose_articles), f"{zh}:免予" if purpose_articles else zh,
            f"{en}: exempt" if purpose_articles else en, purpose_articles or (f"{P} 第5条", f"{NDS} 第35条")):
        return decide("exempt", purpose_articles)
    # The Shanghai FTZ's list (the Lingang New Area included) is for processors registered in the zone that export
    # from within it, and never for CIIOs (SH_LIST; the Provisions Art. 6).
    ftz_applies = (processor.ftz_registered and processor.exports_from_zone and not processor.ciio
                   and transfer.ftz_negative_list is not None)
    off_list = ftz_applies and transfer.ftz_negative_list == "off_list"
    if step("DX-FTZ-NEGATIVE-LIST", off_list,
            "在上海自贸试验区(含临港新片区)登记并在区内开展数据出境的非关键信息基础设施运营者,数据不在负面清单内:免予" if off_list else
            ("数据在自贸试验区负面清单内:按清单和下列规则办理" if ftz_applies else
             "不适用自贸试验区负面清单(未在区内登记、未在区内开展数据出境、为关基运营者或未匹配清单)"),
            "a non-CIIO registered in the Shanghai FTZ (Lingang included) that exports from within the zone, and the data is off "
            "its negative list: exempt" if off_list else
            ("the data is on the FTZ negative list: the rules below apply" if ftz_applies else
             "the FTZ negative list does not apply (not registered in the zone, not exporting from within it, a CIIO, or not matched)"),
            A_FTZ):
        return decide("exempt", A_FTZ)
    listed = ftz_applies and transfer.ftz_negative_list == "on_list" and transfer.ftz_list_mechanism is not None
    mechanism = transfer.ftz_list_mechanism if listed else None
    list_labels = {"security_assessment": ("须申报数据出境安全评估", "a security assessment is needed"),
                   "standard_contract_or_certification": ("订立标准合同或通过认证", "a standard contract or certification"),
                   "not_triggered": ("未达到清单所定条件:免予", "the list's own trigger is not reached: exempt")}
    list_zh, list_en = list_labels.get(mechanism or "", ("", ""))
    if step("DX-FTZ-LIST-MECHANISM", listed,
            f"负面清单对该数据设定了出境方式,代替全国门槛适用:{list_zh}" if listed else "负面清单未对该数据设定出境方式:适用全国门槛",
            f"the negative list sets the mechanism for this data, in place of the national thresholds: {list_en}" if listed else
            "the negative list sets no mechanism for this data: the national thresholds apply", A_FTZ):
        return decide("exempt" if mechanism == "not_triggered" else mechanism, A_FTZ)
    small = not processor.ciio and sensitive == 0 and people < thresholds.contract
    if step("DX-UNDER-100K", small,
            f"非关基运营者当年累计向境外提供不满 {thresholds.contract:,} 人个人信息且不含敏感个人信息({people:,} 人):免予",
            f"a non-CIIO exporting personal information of fewer than {thresholds.contract:,} people this year and no sensitive "
            f"personal information ({people:,} people): exempt", A_SMALL):
        return decide("exempt", A_SMALL)
    if step("DX-CIIO", processor.ciio,
            "关键信息基础设施运营者向境外提供个人信息:须申报安全评估",
            "a critical information infrastructure operator exports personal information: a security assessment is needed", A_CIIO):
        return decide("security_assessment", A_CIIO)
    large = people >= thresholds.assessment or sensitive >= thresholds.sensitive
    if step("DX-ASSESSMENT-THRESHOLD", large,
            f"当年累计 {people:,} 人个人信息、{sensitive:,} 人敏感个人信息,达到 {thresholds.assessment:,} 人或 {thresholds.sensitive:,} 人敏感个人信息以上:须申报安全评估",
            f"this year {people:,} people's personal information and {sensitive:,} people's sensitive personal information: at or above "
            f"{thresholds.assessment:,}, or {thresholds.sensitive:,} sensitive: a security assessment is needed", A_ASSESSMENT):
        return decide("security_assessment", A_ASSESSMENT)
    step("DX-CONTRACT-THRESHOLD", True,
         f"当年累计 {people:,} 人个人信息(10万人以上不满100万人)或不满 {thresholds.sensitive:,} 人敏感个人信息({sensitive:,} 人):订立标准合同或通过认证",
         f"this year {people:,} people's personal information (100,000 up to 1,000,000) or sensitive personal information of fewer "
         f"than {thresholds.sensitive:,} people ({sensitive:,}): a standard contract or certification", contract_articles)
    return decide("standard_contract_or_certification", contract_articles)


def obligations(processor: Processor, transfer: Transfer, pathway: str, has_pi: bool, t: Thresholds) -> list[dict]:
    """What the processor must still do, whatever the pathway: notice, separate consent and the PIPIA (PIPL Arts. 39,
    55-56; the Provisions Art. 10), security and incidents (the Provisions Art. 11); after a security assessment, the
    scope assessed (网络数据安全管理条例 Art. 38); after an important-data notice, the application period (CAC Q&A)."""
    out = []
    if pathway == "prohibited":
        return [{"id": "DX-OBL-APPROVAL", "zh": "向主管机关申请批准后方可提供", "en": "ask the competent authority for approval before providing anything",
                 "cites": list(A_JUDICIAL)}]
    if has_pi:
        out.append({"id": "DX-OBL-NOTICE", "zh": "向个人告知境外接收方的名称、联系方式、处理目的、方式和个人信息种类等,并取得单独同意",
                    "en": "tell the individuals who the foreign recipient is, the purpose, means and kinds of data, and obtain their separate consent",
                    "cites": ["个人信息保护法 第39条", f"{P} 第10条"]})
        out.append({"id": "DX-OBL-PIPIA", "zh": f"事前进行个人信息保护影响评估,报告和处理记录至少保存 {t.pipia_years} 年",
                    "en": f"carry out a personal information protection impact assessment beforehand and keep it and the records at least {t.pipia_years} years",
                    "cites": ["个人信息保护法 第55条", "个人信息保护法 第56条", f"{P} 第10条"]})
    out.append({"id": "DX-OBL-SECURITY", "zh": "采取必要措施保障出境数据安全,发生或可能发生安全事件时及时处置并报告",
                "en": "keep the exported data secure, and handle and report any security incident",
                "cites": [f"{P} 第11条"]})
    if pathway == "security_assessment":
        out.append({"id": "DX-OBL-SCOPE", "zh": "通过评估后,向境外提供个人信息和重要数据不得超出评估时明确的数据出境目的、方式、范围和种类、规模等",
                    "en": "once assessed, exports may not go beyond the purpose, method, scope, kinds and scale stated in the assessment",
                    "cites": [f"{NDS} 第38条"]})
    notified = transfer.important_data_notified_on
    if transfer.important_data and notified is not None:
        from .validity import application_deadline  # the period in force on the day of the notice, as the reminders use

        deadline = application_deadline(notified)
        if deadline is not None:
            out.append({"id": "DX-OBL-IMPORTANT-DATA-APPLICATION", "deadline": deadline.isoformat(),
                        "zh": f"已于 {notified.isoformat()} 被告知数据属于重要数据:继续出境的,应自告知之日起至 {deadline.isoformat()} "
                              "申报数据出境安全评估",
                        "en": f"told on {notified.isoformat()} that the data is important data: to keep exporting it, apply for a "
                              f"security assessment by {deadline.isoformat()}",
                        "cites": [QA_2025, f"{NDS} 第37条"]})
    if pathway == "security_assessment":
        out.append({"id": "DX-OBL-VALIDITY", "zh": f"评估结果有效期 {t.validity_years} 年,届满前 {t.extension_working_days} 个工作日内可申请延长",
                    "en": f"the assessment is valid {t.validity_years} years; ask for an extension within {t.extension_working_days} working days before it ends",
                    "cites": [f"{P} 第9条"]})
    return out


def assess_raw(raw: Any, *, on: dt.date) -> dict:
    """Parse and assess one input object (the batch interface's unit of work)."""
    processor, transfer = parse(raw)
    return assess(processor, transfer, thresholds=Thresholds.on(on)).as_dict()


# — the zone's lists (SH-39, SH-40) ————————————————————————————————————————————————————————


@dataclass(frozen=True)
class ListRow:
    kind: str  # negative_list | important_data
    sector: str
    category: str
    mechanism: str
    trigger_people: int | None = None  # the row's own trigger, where the list sets one
    trigger_sensitive: int | None = None


def match_lists(declared: list[tuple[str, str]], rows: list[ListRow]) -> dict:
    """What a transfer's declared (sector, category) pairs mean under the zone's lists.

    important_data: a declared category is in the important-data catalogue (published, so it counts as important
    data); ftz_negative_list: ``on_list`` when a declared category is on the negative list, ``off_list`` when its
    sector is covered by the list but the category is not, None when the list does not cover the sector.
    """
    declared_set = set(declared)
    important = [r for r in rows if r.kind == "important_data" and (r.sector, r.category) in declared_set]
    on = [r for r in rows if r.kind == "negative_list" and (r.sector, r.category) in declared_set]
    covered = {r.sector for r in rows if r.kind == "negative_list"}
    if on:
        status = "on_list"
    elif declared and all(sector in covered for sector, _ in declared):
        status = "off_list"
    else:
        status = None
    return {"important_data": bool(important), "ftz_negative_list": status,
            "matched": [{"kind": r.kind, "sector": r.sector, "category": r.category, "mechanism": r.mechanism,
                         "trigger_people": r.trigger_people, "trigger_sensitive": r.trigger_sensitive} for r in important + on]}


STRICTNESS = ("not_triggered", "standard_contract_or_certification", "security_assessment")


def list_mechanism(matched: list[dict], people: int, sensitive: int) -> str | None:
    """What the matched negative-list rows require for these counts (the Provisions Art. 6: the list, not the national
    thresholds, says what data on it needs): the strictest mechanism of a row whose own trigger is reached (a row
    without a trigger always applies), ``not_triggered`` when no row's trigger is reached, None when no row matched."""
    rows = [m for m in matched if m["kind"] == "negative_list"]
    if not rows:
        return None

    def applies(row: dict) -> bool:
        if row.get("trigger_people") is None and row.get("trigger_sensitive") is None:
            return True
        return ((row.get("trigger_people") is not None and people >= row["trigger_people"])
                or (row.get("trigger_sensitive") is not None and sensitive >= row["trigger_sensitive"]))

    return max((r["mechanism"] if applies(r) else "not_triggered" for r in rows), key=STRICTNESS.index)
