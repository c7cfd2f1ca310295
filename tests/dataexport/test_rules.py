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
    result = rules.assess_raw(build(case), on=TODAY)
    assert result["pathway"] == case["pathway"]
    deciding = [s for s in result["trace"] if s["outcome"] == "applies"]
    assert [s["rule"] for s in deciding] == [case["rule"]], "exactly one rule decides, the last one evaluated"
    assert result["trace"][-1]["rule"] == case["rule"]
    assert result["cites"] and all(c in {a for s in result["trace"] for a in s["cites"]} for c in result["cites"])
    assert all(s["reason_zh"] and s["reason_en"] for s in result["trace"])
    if result["pathway"] != "prohibited" and (build(case)["transfer"]["personal_info_people"] or build(case)["transfer"]["sensitive_personal_info_people"]):
        assert {"DX-OBL-NOTICE", "DX-OBL-PIPIA"} <= {o["id"] for o in result["obligations"]}, "obligations remain when exempt"


@pytest.mark.parametrize("mutate, field", [
    (lambda r: r["transfer"].update(personal_info_people=-1), "transfer.personal_info_people"),
    (lambda r: r["transfer"].update(sensitive_personal_info_people=1.5), "transfer.sensitive_personal_info_people"),
    (lambda r: r["transfer"].update(purpose="tourism"), "transfer.purpose"),
    (lambda r: r["transfer"].update(ftz_negative_list="maybe"), "transfer.ftz_negative_list"),
    (lambda r: r["transfer"].pop("important_data"), "transfer.important_data"),
    (lambda r: r["processor"].update(ciio="no"), "processor.ciio"),
    (lambda r: r["transfer"].update(personal_info_people=True), "transfer.personal_info_people"),
    (lambda r: r.pop("processor"), "processor"),
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
    processor=st.fixed_dictionaries({"ciio": st.booleans(), "state_organ": st.booleans(), "ftz_registered": st.booleans()}),
    transfer=st.fixed_dictionaries({
        "recipient_foreign_judicial_authority": st.booleans(), "important_data": st.booleans(),
        "personal_info_people": COUNTS, "sensitive_personal_info_people": COUNTS, "collected_abroad_only": st.booleans(),
        "purpose": st.sampled_from(rules.PURPOSES), "ftz_negative_list": st.sampled_from(rules.NEGATIVE_LIST),
        "judicial_approval": st.booleans(),
    }),
)
def test_every_input_gets_exactly_one_pathway_and_a_citation(processor, transfer):
    result = rules.assess_raw({"processor": processor, "transfer": transfer}, on=TODAY)
    assert result["pathway"] in rules.PATHWAYS
    assert result["cites"]
    assert sum(s["outcome"] == "applies" for s in result["trace"]) == 1
    json.dumps(result, ensure_ascii=False)
    if transfer["important_data"] and not (transfer["recipient_foreign_judicial_authority"] and not transfer["judicial_approval"]):
        assert result["pathway"] == "security_assessment"


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
