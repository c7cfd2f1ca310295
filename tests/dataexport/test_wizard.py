"""The wizard asks only what the decision depends on, and its report carries the decision."""
import pytest

from openftz.dataexport import rules, wizard

BASE = {"recipient_foreign_judicial_authority": "no", "important_data": "no", "state_organ": "no",
        "personal_info_people": "150000", "sensitive_personal_info_people": "0", "collected_abroad_only": "no",
        "purpose": "none", "ftz_registered": "no", "ciio": "no"}


def walk(truth: dict) -> list[str]:
    """Answer the wizard from ``truth`` until it stops; the keys asked, in order."""
    answers, asked = {}, []
    while (q := wizard.next_question(answers)) is not None:
        asked.append(q.key)
        answers[q.key] = truth[q.key]
    return asked


def test_judicial_no_approval_stops_after_two_questions():
    assert walk({**BASE, "recipient_foreign_judicial_authority": "yes", "judicial_approval": "no"}) == [
        "recipient_foreign_judicial_authority", "judicial_approval"]


def test_important_data_stops_early():
    assert walk({**BASE, "important_data": "yes"}) == ["recipient_foreign_judicial_authority", "important_data"]


def test_contract_purpose_never_asks_about_the_ftz():
    asked = walk({**BASE, "purpose": "contract"})
    assert asked[-1] == "purpose" and "ftz_registered" not in asked and "ciio" not in asked


def test_negative_list_asked_only_of_ftz_non_ciio_exporting_from_the_zone():
    zone = {**BASE, "ftz_registered": "yes", "exports_from_zone": "yes"}
    assert walk({**zone, "ftz_negative_list": "off_list"})[-4:] == ["ftz_registered", "exports_from_zone", "ciio", "ftz_negative_list"]
    assert "ftz_negative_list" not in walk({**zone, "ciio": "yes"})
    assert "ftz_negative_list" not in walk({**zone, "exports_from_zone": "no"})
    assert "ftz_negative_list" not in walk(BASE) and "exports_from_zone" not in walk(BASE)


def test_the_lists_mechanism_is_asked_only_for_data_on_the_list():
    zone = {**BASE, "ftz_registered": "yes", "exports_from_zone": "yes"}
    assert walk({**zone, "ftz_negative_list": "on_list", "ftz_list_mechanism": "security_assessment"})[-1] == "ftz_list_mechanism"
    assert "ftz_list_mechanism" not in walk({**zone, "ftz_negative_list": "off_list"})


def test_a_statutory_duty_is_a_purpose_that_ends_the_questions():
    import datetime as dt

    asked = walk({**BASE, "purpose": "statutory_duty"})
    assert asked[-1] == "purpose" and "ftz_registered" not in asked
    answers = {k: {**BASE, "purpose": "statutory_duty"}[k] for k in asked}
    result = rules.assess_raw(wizard.to_input(answers), on=dt.date(2026, 6, 1))
    assert result["pathway"] == "exempt" and result["cites"] == ["网络数据安全管理条例 第35条第6项"]
    assert {"zh", "en"} <= set(vars(wizard.QUESTIONS["exports_from_zone"])) and "临港" in wizard.QUESTIONS["ftz_registered"].zh
    assert "Lingang" in wizard.QUESTIONS["exports_from_zone"].en


@pytest.mark.parametrize("truth", [
    BASE, {**BASE, "personal_info_people": "0"}, {**BASE, "ciio": "yes"}, {**BASE, "personal_info_people": "1000000"},
    {**BASE, "ftz_registered": "yes", "exports_from_zone": "yes", "ftz_negative_list": "off_list"}, {**BASE, "collected_abroad_only": "yes"},
    {**BASE, "ftz_registered": "yes", "exports_from_zone": "no", "ftz_negative_list": "off_list"},
    {**BASE, "ftz_registered": "yes", "exports_from_zone": "yes", "ftz_negative_list": "on_list", "ftz_list_mechanism": "not_triggered"},
    {**BASE, "purpose": "statutory_duty"},
    {**BASE, "state_organ": "yes"}, {**BASE, "recipient_foreign_judicial_authority": "yes", "judicial_approval": "yes"},
])
def test_unasked_facts_do_not_change_the_decision(truth):
    """Deciding on the answers given equals deciding on all the facts: the questions skipped did not matter."""
    import datetime as dt

    answers = {}
    while (q := wizard.next_question(answers)) is not None:
        answers[q.key] = truth[q.key]
    full = {**{k: "no" for k in wizard.QUESTIONS}, "purpose": "none", "ftz_negative_list": "none", "ftz_list_mechanism": "none", **truth}
    on = dt.date(2026, 6, 1)
    assert rules.assess_raw(wizard.to_input(answers), on=on)["pathway"] == rules.assess_raw(wizard.to_input(full), on=on)["pathway"]


def test_clean_drops_malformed_answers():
    assert wizard.clean({"personal_info_people": "-5", "important_data": "maybe", "ciio": "yes", "other": "x"}) == {"ciio": "yes"}
