"""The report items as data: every list the measures give, complete, selected by pathway, answers never invented."""
import copy
import datetime as dt

import pytest
import yaml
from hypothesis import given, strategies as st

from openftz.core.errors import InvalidInput
from openftz.dataexport import report_items
from openftz.dataexport.report_items import ITEMS_FILE, items_for

ON = dt.date(2026, 6, 1)


def ids(items):
    return [i.id for i in items]


def test_every_list_of_the_measures_is_there_in_full():
    cat = report_items.catalogue()
    by_article = {}
    for item in cat.items:
        by_article.setdefault((item.instrument.key, item.article.split("第", 2)[1]), []).append(item.id)
    assert by_article[("dsam", "5条")] == [f"DSAM-5.{n}" for n in range(1, 7)]  # 数据出境安全评估办法 Art. 5 (1)-(6)
    assert by_article[("dsam", "9条")] == [f"DSAM-9.{n}" for n in range(1, 7)]  # the legal document, Art. 9 (1)-(6)
    assert by_article[("scm", "5条")] == [f"SCM-5.{n}" for n in range(1, 7)]  # 个人信息出境标准合同办法 Art. 5 (1)-(6)
    assert by_article[("picm", "6条")] == [f"PICM-6.{n}" for n in range(1, 7)]
    assert by_article[("pipl", "56条")] == ["PIPL-56.1", "PIPL-56.2", "PIPL-56.3"]
    for item in cat.items:
        assert item.zh and item.en and item.article.startswith("第") and item.topics
        assert item.citation.startswith(item.instrument.zh)


def test_a_security_assessment_needs_the_self_assessment_the_legal_document_and_the_pipia():
    with_pi = ids(items_for("security_assessment", None, personal_information=True, on=ON))
    assert with_pi[:6] == [f"DSAM-5.{n}" for n in range(1, 7)] and "DSAM-8.2" in with_pi and "DSAM-9.6" in with_pi
    assert with_pi[-3:] == ["PIPL-56.1", "PIPL-56.2", "PIPL-56.3"]
    assert not any(i.startswith(("SCM", "PICM")) for i in with_pi)
    # important data without personal information: no PIPIA under PIPL Art. 56
    assert not any(i.startswith("PIPL") for i in ids(items_for("security_assessment", None, personal_information=False, on=ON)))


def test_contract_or_certification_follows_the_mechanism_chosen():
    contract = ids(items_for("standard_contract_or_certification", "standard_contract", personal_information=True, on=ON))
    certification = ids(items_for("standard_contract_or_certification", "certification", personal_information=True, on=ON))
    undecided = ids(items_for("standard_contract_or_certification", None, personal_information=True, on=ON))
    assert contract[:6] == [f"SCM-5.{n}" for n in range(1, 7)] and "SCM-6" in contract and not any(i.startswith("PICM") for i in contract)
    assert certification[:6] == [f"PICM-6.{n}" for n in range(1, 7)] and not any(i.startswith("SCM") for i in certification)
    assert set(undecided) == set(contract) | set(certification)


def test_certification_items_only_once_its_measures_are_in_force():
    before = dt.date(2025, 12, 31)
    assert report_items.mechanisms_in_force(before) == ("standard_contract",)
    assert not any(i.startswith("PICM") for i in ids(items_for("standard_contract_or_certification", None, personal_information=True, on=before)))
    with pytest.raises(InvalidInput) as error:
        items_for("standard_contract_or_certification", "certification", personal_information=True, on=before)
    assert error.value.details == {"field": "mechanism"}
    assert report_items.mechanisms_in_force(dt.date(2026, 1, 1)) == ("standard_contract", "certification")


@pytest.mark.parametrize("pathway", ["exempt", "prohibited"])
def test_no_items_without_a_mechanism_to_apply_for(pathway):
    assert items_for(pathway, None, personal_information=True, on=ON) == []


def test_each_topic_is_asked_once_and_serves_several_items():
    items = items_for("security_assessment", None, personal_information=True, on=ON)
    topics = [t.key for t in report_items.topics_for(items)]
    assert len(topics) == len(set(topics))
    assert topics[0] == "purpose"
    assert {i.id for i in items if "purpose" in i.topics} == {"DSAM-5.1", "PIPL-56.1"}
    assert {"recipient_name", "recipient_country", "foreign_law", "terms_onward_transfer", "rights_channels"} <= set(topics)


def test_unanswered_items_stay_unanswered():
    items = items_for("standard_contract_or_certification", "standard_contract", personal_information=True, on=ON)
    sections = report_items.report_sections(items, {"purpose": "客户服务", "recipient_name": "Acme GmbH"})
    flat = {i["id"]: i for s in sections for i in s["items"]}
    assert flat["SCM-5.1"]["answered"] and flat["SCM-5.1"]["answers"][0]["answer"] == "客户服务"
    recipient = flat["SCM-5.3"]
    assert not recipient["answered"]
    assert [a["answer"] for a in recipient["answers"]] == ["Acme GmbH", None, None]
    assert [s["instrument"] for s in sections] == ["scm", "pipl"]


def test_answers_are_cleaned_and_bad_ones_refused():
    topics = report_items.topics_for(items_for("security_assessment", None, personal_information=True, on=ON))
    assert report_items.clean_answers({"purpose": "  a\r\nb  ", "other": "   ", "unknown": "x"}, topics) == {"purpose": "a\nb"}
    for bad in ({"purpose": "x\x00y"}, {"purpose": "x" * 4001}, {"recipient_name": "two\nlines"}):
        with pytest.raises(InvalidInput):
            report_items.clean_answers(bad, topics)


@given(st.dictionaries(st.sampled_from(list(report_items.catalogue().topics) + ["junk"]), st.text(max_size=300), max_size=8))
def test_any_answers_are_kept_verbatim_or_refused(raw):
    topics = report_items.topics_for(items_for("standard_contract_or_certification", None, personal_information=True, on=ON))
    try:
        cleaned = report_items.clean_answers(raw, topics)
    except InvalidInput as exc:
        assert exc.details["field"] in raw
        return
    assert set(cleaned) <= set(raw) - {"junk"}
    assert all(value and value == raw[key].replace("\r\n", "\n").strip() for key, value in cleaned.items())


def test_a_broken_catalogue_is_refused():
    raw = yaml.safe_load(ITEMS_FILE.read_text(encoding="utf-8"))
    for breakage in (
        lambda d: d["items"][0]["topics"].append("no_such_topic"),
        lambda d: d["items"].append(copy.deepcopy(d["items"][0])),
        lambda d: d["items"][0].update(pathways=["exempt"]),
        lambda d: d["topics"]["purpose"].update(kind="essay"),
        lambda d: d["instruments"]["dsam"].pop("in_force"),
    ):
        broken = copy.deepcopy(raw)
        breakage(broken)
        with pytest.raises(InvalidInput):
            report_items.parse_catalogue(broken)
