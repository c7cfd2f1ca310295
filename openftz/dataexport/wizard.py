"""The self-assessment wizard's logic: which question to ask next, so that only the questions the answer depends on
are asked, in the order the law decides (the same order as rules.assess). Pure."""
from __future__ import annotations

from dataclasses import dataclass

YES_NO = (("yes", "是", "Yes"), ("no", "否", "No"))


@dataclass(frozen=True)
class Question:
    key: str
    zh: str
    en: str
    kind: str  # yesno | number | choice
    choices: tuple[tuple[str, str, str], ...] = ()


QUESTIONS = {q.key: q for q in (
    Question("recipient_foreign_judicial_authority", "接收方是否为外国司法或执法机构?", "Is the recipient a foreign judicial or law-enforcement body?", "yesno", YES_NO),
    Question("judicial_approval", "是否已取得中华人民共和国主管机关的批准?", "Has the competent authority of the PRC approved the transfer?", "yesno", YES_NO),
    Question("important_data", "数据中是否包含经有关部门告知或公开发布为重要数据的数据?", "Does the data include data notified or published as important data?", "yesno", YES_NO),
    Question("state_organ", "您是否为国家机关?", "Are you a state organ?", "yesno", YES_NO),
    Question("personal_info_people", "自今年1月1日起(含本次)累计向境外提供多少人的个人信息(不含敏感个人信息)?",
             "Since 1 January, this transfer included, personal information of how many people (not sensitive) goes abroad?", "number"),
    Question("sensitive_personal_info_people", "其中累计多少人的敏感个人信息?", "And sensitive personal information of how many people?", "number"),
    Question("collected_abroad_only", "这些个人信息是否均在境外收集和产生、在境内处理后再向境外提供?",
             "Was all of it collected abroad, processed here and sent back abroad?", "yesno", YES_NO),
    Question("purpose", "出境是否出于以下必需?", "Is the transfer necessary for one of these?", "choice", (
        ("contract", "订立、履行个人作为一方当事人的合同(跨境购物、寄递、汇款、支付、开户、订票、签证、考试等)",
         "concluding or performing a contract the individual is party to (shopping, delivery, payment, booking, visas…)"),
        ("hr", "依法实施跨境人力资源管理", "cross-border human-resources management under lawful rules"),
        ("emergency", "紧急情况下保护自然人的生命健康和财产安全", "protecting a person's life, health or property in an emergency"),
        ("statutory_duty", "履行法定职责或者法定义务(网络数据安全管理条例第35条第6项,2025年1月1日起)",
         "performing a statutory duty or obligation (Network Data Security Regulations Art. 35(6), from 1 January 2025)"),
        ("none", "以上都不是", "none of these"))),
    Question("ftz_registered", "您是否在中国(上海)自由贸易试验区(含临港新片区)内登记注册?",
             "Are you registered in the China (Shanghai) Pilot FTZ (the Lingang New Area included)?", "yesno", YES_NO),
    Question("exports_from_zone", "本次数据出境活动是否在上海自贸试验区(含临港新片区)内开展?",
             "Is this export carried out from within the Shanghai Pilot FTZ (the Lingang New Area included)?", "yesno", YES_NO),
    Question("ciio", "您是否为关键信息基础设施运营者?", "Are you a critical information infrastructure operator (CIIO)?", "yesno", YES_NO),
    Question("ftz_negative_list", "按上海自贸试验区及临港新片区数据出境负面清单,这些数据:",
             "Under the negative list of the Shanghai Pilot FTZ and the Lingang New Area, this data is:", "choice", (
        ("on_list", "在清单内", "on the list"), ("off_list", "不在清单内(所属领域为清单覆盖领域)", "off the list, in a sector the list covers"),
        ("none", "清单未覆盖该领域", "in a sector the list does not cover"))),
    Question("ftz_list_mechanism", "清单对这些数据规定的出境方式:", "What the list requires for this data:", "choice", (
        ("security_assessment", "申报数据出境安全评估", "a security assessment"),
        ("standard_contract_or_certification", "订立标准合同或通过认证", "a standard contract or certification"),
        ("not_triggered", "清单规定的条件(如人数)未达到", "the list's own condition (such as a number of people) is not reached"),
        ("none", "清单未规定出境方式(按全国门槛)", "the list sets none (the national thresholds apply)"))),
)}


# Asked after the decision, and only when it is standard_contract_or_certification: which of the two the applicant
# takes decides which report items apply (个人信息出境标准合同办法 Art. 5 or 个人信息出境认证办法), not the pathway.
MECHANISM = Question("mechanism", "您将采用哪种方式？", "Which will you use?", "choice", (
    ("standard_contract", "订立个人信息出境标准合同并备案", "the standard contract, filed with the CAC"),
    ("certification", "通过个人信息保护认证", "personal information protection certification"),
    ("undecided", "尚未决定（报告列出两者的事项）", "not decided yet (the report lists the items of both)")))
# Asked after the decision when the counts were not (important data decides first): PIPL Art. 56's PIPIA items
# apply only when personal information goes abroad.
PERSONAL_INFORMATION = Question("exports_personal_information", "出境数据中是否包含个人信息？",
                                "Does the data exported include personal information?", "yesno", YES_NO)
AFTER_DECISION = {q.key: q for q in (MECHANISM, PERSONAL_INFORMATION)}


def question_of(key: str) -> Question:
    return QUESTIONS.get(key) or AFTER_DECISION[key]


def exports_personal_information(answers: dict[str, str]) -> bool | None:
    """Whether personal information goes abroad, as far as the answers tell; None when they do not."""
    if "personal_info_people" in answers:
        return int(answers["personal_info_people"]) > 0 or int(answers.get("sensitive_personal_info_people") or 0) > 0
    if PERSONAL_INFORMATION.key in answers:
        return answers[PERSONAL_INFORMATION.key] == "yes"
    return None


def item_question(answers: dict[str, str], pathway: str) -> Question | None:
    """After the decision, what the report items still depend on (never the pathway): the mechanism of a
    standard_contract_or_certification decision, and whether personal information goes abroad."""
    if pathway == "standard_contract_or_certification" and MECHANISM.key not in answers:
        return MECHANISM
    if exports_personal_information(answers) is None:
        return PERSONAL_INFORMATION
    return None


def next_question(answers: dict[str, str]) -> Question | None:
    """The next question whose answer the decision still depends on, or None when the decision is known."""

    def ask(key: str) -> Question | None:
        return QUESTIONS[key] if key not in answers else None

    if q := ask("recipient_foreign_judicial_authority"):
        return q
    if answers["recipient_foreign_judicial_authority"] == "yes":
        if q := ask("judicial_approval"):
            return q
        if answers["judicial_approval"] == "no":
            return None
    if q := ask("important_data"):
        return q
    if answers["important_data"] == "yes":
        return None
    for key in ("state_organ", "personal_info_people", "sensitive_personal_info_people"):
        if q := ask(key):
            return q
    has_pi = int(answers["personal_info_people"]) > 0 or int(answers["sensitive_personal_info_people"]) > 0
    if not has_pi or answers["state_organ"] == "yes":
        return None
    if q := ask("collected_abroad_only"):
        return q
    if answers["collected_abroad_only"] == "yes":
        return None
    if q := ask("purpose"):
        return q
    if answers["purpose"] != "none":
        return None
    if q := ask("ftz_registered"):
        return q
    if answers["ftz_registered"] == "yes" and (q := ask("exports_from_zone")):
        return q
    if q := ask("ciio"):
        return q
    # The zone's list is for processors registered in the zone that export from within it, never for CIIOs.
    if answers["ftz_registered"] == "yes" and answers["exports_from_zone"] == "yes" and answers["ciio"] == "no":
        if q := ask("ftz_negative_list"):
            return q
        if answers["ftz_negative_list"] == "on_list":
            return ask("ftz_list_mechanism")
    return None


def to_input(answers: dict[str, str]) -> dict:
    """The batch-interface input for the answers given; facts never asked did not matter and take their default."""
    yes = lambda key: answers.get(key) == "yes"  # noqa: E731
    choice = lambda key: None if answers.get(key) in (None, "none") else answers[key]  # noqa: E731
    return {
        "processor": {"ciio": yes("ciio"), "state_organ": yes("state_organ"), "ftz_registered": yes("ftz_registered"),
                      "exports_from_zone": yes("exports_from_zone")},
        "transfer": {
            "recipient_foreign_judicial_authority": yes("recipient_foreign_judicial_authority"),
            "judicial_approval": yes("judicial_approval"), "important_data": yes("important_data"),
            "personal_info_people": int(answers.get("personal_info_people") or 0),
            "sensitive_personal_info_people": int(answers.get("sensitive_personal_info_people") or 0),
            "collected_abroad_only": yes("collected_abroad_only"), "purpose": choice("purpose"),
            "ftz_negative_list": choice("ftz_negative_list"), "ftz_list_mechanism": choice("ftz_list_mechanism"),
        },
    }


def clean(raw: dict[str, str]) -> dict[str, str]:
    """Keep only well-formed answers to known questions (the rest are asked again)."""
    out = {}
    for key, question in (*QUESTIONS.items(), *AFTER_DECISION.items()):
        value = (raw.get(key) or "").strip()
        if not value:
            continue
        if question.kind == "number":
            if value.isdigit() and len(value) <= 10:
                out[key] = str(int(value))
        elif value in {c[0] for c in question.choices}:
            out[key] = value
    return out


def mechanism_of(answers: dict[str, str]) -> str | None:
    """The mechanism chosen for a standard_contract_or_certification decision; None when undecided or not asked."""
    value = answers.get(MECHANISM.key)
    return None if value in (None, "undecided") else value
