"""The data export decision, tested as data (scenarios.yaml) and by property."""
import copy
import datetime as dt
import json
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings, strategies as st

from openftz.core.errors import InvalidInput
from openftz.dataexport import rules

TABLE = yaml.safe_load((Path(__file__).parent / "scenarios.yaml").read_text(encoding="utf-8"))
TODAY = dt.date(2026, 6, 1)


def build(case: dict) -> dict:
    raw = copy.deepcopy(TABLE["base"])
    raw["processor"].update(case.get("processor", {}))
    raw["transfer"].update(case.get("transfer", {}))
    return raw


def test_the_table_is_large_enough():
    assert len(TABLE["cases"]) >= 40


@pytest.mark.parametrize("case", TABLE["cases"], ids=[c["name"] for c in TABLE["cases"]])
def test_scenario(case):
    on = dt.date.fromisoformat(str(case["day"])) if "day" in case else TODAY
    result = rules.assess_raw(build(case), on=on)
    assert result["pathway"] == case["pathway"]
    deciding = [s for s in result["trace"] if s["outcome"] == "applies"]
    assert [s["rule"] for s in deciding] == [case["rule"]], "exactly one rule decides, the last one evaluated"
    assert result["trace"][-1]["rule"] == case["rule"]
    assert result["cites"] and all(c in {a for s in result["trace"] for a in s["cites"]} for c in result["cites"])
    assert all(s["reason_zh"] and s["reason_en"] for s in result["trace"])
    if result["pathway"] != "prohibited" and (build(case)["transfer"]["personal_info_people"] or build(case)["transfer"]["sensitive_personal_info_people"]):
        assert {"DX-OBL-NOTICE", "DX-OBL-PIPIA"} <= {o["id"] for o in result["obligations"]}, "obligations remain when exempt"
    if "cites" in case:
        assert result["cites"] == case["cites"]
    obligations = {o["id"]: o for o in result["obligations"]}
    for obligation, articles in case.get("obligations", {}).items():
        assert obligations[obligation]["cites"] == articles
    if "deadline" in case:  # null: no application period was set on the day of the notice
        assert obligations.get("DX-OBL-IMPORTANT-DATA-APPLICATION", {}).get("deadline") == case["deadline"]


@pytest.mark.parametrize("mutate, field", [
    (lambda r: r["transfer"].update(personal_info_people=-1), "transfer.personal_info_people"),
    (lambda r: r["transfer"].update(sensitive_personal_info_people=1.5), "transfer.sensitive_personal_info_people"),
    (lambda r: r["transfer"].update(purpose="tourism"), "transfer.purpose"),
    (lambda r: r["transfer"].update(ftz_negative_list="maybe"), "transfer.ftz_negative_list"),
    (lambda r: r["transfer"].pop("important_data"), "transfer.important_data"),
    (lambda r: r["processor"].update(ciio="no"), "processor.ciio"),
    (lambda r: r["transfer"].update(personal_info_people=True), "transfer.personal_info_people"),
    (lambda r: r.pop("processor"), "processor"),
    (lambda r: r["transfer"].update(ftz_list_mechanism="exempt"), "transfer.ftz_list_mechanism"),
    (lambda r: r["transfer"].update(important_data_notified_on="2026-13-01"), "transfer.important_data_notified_on"),
    (lambda r: r["transfer"].update(important_data_notified_on=20260301), "transfer.important_data_notified_on"),
    (lambda r: r["processor"].update(exports_from_zone="yes"), "processor.exports_from_zone"),
])
def test_bad_input_names_the_field(mutate, field):
    raw = build({})
    mutate(raw)
    with pytest.raises(InvalidInput) as raised:
        rules.assess_raw(raw, on=TODAY)
    assert raised.value.details["field"] == field and raised.value.message_zh and raised.value.message_en


COUNTS = st.integers(min_value=0, max_value=3_000_000)


@settings(max_examples=400, deadline=None)
@given(
    processor=st.fixed_dictionaries({"ciio": st.booleans(), "state_organ": st.booleans(), "ftz_registered": st.booleans(),
                                     "exports_from_zone": st.booleans()}),
    transfer=st.fixed_dictionaries({
        "recipient_foreign_judicial_authority": st.booleans(), "important_data": st.booleans(),
        "personal_info_people": COUNTS, "sensitive_personal_info_people": COUNTS, "collected_abroad_only": st.booleans(),
        "purpose": st.sampled_from(rules.PURPOSES), "ftz_negative_list": st.sampled_from(rules.NEGATIVE_LIST),
        "judicial_approval": st.booleans(), "ftz_list_mechanism": st.sampled_from(rules.FTZ_MECHANISMS),
        "important_data_notified_on": st.none() | st.dates(dt.date(2024, 1, 1), dt.date(2026, 12, 31)).map(dt.date.isoformat),
    }),
    on=st.dates(dt.date(2024, 3, 22), dt.date(2027, 12, 31)),
)
def test_every_input_gets_exactly_one_pathway_and_a_citation(processor, transfer, on):
    result = rules.assess_raw({"processor": processor, "transfer": transfer}, on=on)
    assert result["pathway"] in rules.PATHWAYS
    assert result["cites"]
    assert sum(s["outcome"] == "applies" for s in result["trace"]) == 1
    json.dumps(result, ensure_ascii=False)
    if transfer["important_data"] and not (transfer["recipient_foreign_judicial_authority"] and not transfer["judicial_approval"]):
        assert result["pathway"] == "security_assessment"
    assert_citations_current(result, on)


SUPERSEDED = ("数据出境安全评估办法 第4条", "个人信息出境标准合同办法 第4条", "促进和规范数据跨境流动规定 第13条")


def assert_citations_current(result: dict, on: dt.date) -> None:
    """No article a decision, a rule or an obligation cites is superseded, cut from its article, or not yet in force:
    the thresholds of the Provisions are not cited to the 2022/2023 triggers they replaced, Art. 13 (precedence) is
    no duty, 网络数据安全管理条例 Art. 38 (scope of an assessment) is no security duty, and the certification
    measures are cited by article and only once in force."""
    every = [*result["cites"], *(c for s in result["trace"] for c in s["cites"]), *(c for o in result["obligations"] for c in o["cites"])]
    assert not [c for c in every if c in SUPERSEDED], every
    assert not [c for c in every if c.startswith("个人信息出境认证办法") and (" 第" not in c or on < dt.date(2026, 1, 1))], every
    for obligation in result["obligations"]:
        if obligation["id"] == "DX-OBL-SECURITY":
            assert obligation["cites"] == ["促进和规范数据跨境流动规定 第11条"]
        if "网络数据安全管理条例 第38条" in obligation["cites"]:
            assert obligation["id"] == "DX-OBL-SCOPE" and result["pathway"] == "security_assessment"


@settings(max_examples=200, deadline=None)
@given(st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=5),
                    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=4), max_leaves=12))
def test_arbitrary_json_gets_a_decision_or_a_clear_error(raw):
    try:
        rules.assess_raw(raw, on=TODAY)
    except InvalidInput as exc:
        assert exc.details["field"]


def test_thresholds_are_parameters():
    t = rules.Thresholds.on(TODAY)
    assert (t.contract, t.assessment, t.sensitive) == (100_000, 1_000_000, 10_000)
