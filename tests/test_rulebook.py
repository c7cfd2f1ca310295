"""The loaded rulebook: measures, units, crosswalk, classification, export, search."""
import json

import pytest
import yaml

from openftz.rulebook import selectors
from openftz.rulebook.models import CrosswalkLink, Measure, Unit
from openftz.rulebook.overlay import OVERLAY_DIR

pytestmark = pytest.mark.django_db


def test_counts():
    assert Measure.objects.filter(plan="SC", number__isnull=False).count() == 80
    assert Measure.objects.filter(plan="SC", id="SC-closing").exists()
    assert Measure.objects.filter(plan="SH").count() == 117
    assert Unit.objects.count() == 46


def test_export_shape():
    exported = selectors.rulebook_export()["measures"]
    by_id = {m["id"]: m for m in exported}
    sh43 = by_id["SH-43"]
    for key in ("id", "plan", "number", "chapter", "section", "text", "units", "lead_unit", "implements"):
        assert key in sh43
    assert (sh43["plan"], sh43["number"]) == ("SH", 43)
    assert sh43["lead_unit"] == sh43["units"][0]
    assert "implemented_by" in by_id["SC-28"] and "implements" not in by_id["SC-28"]
    assert by_id["SC-closing"]["number"] is None
    json.dumps(exported, ensure_ascii=False)


def test_units_exactly_as_printed_and_leads(plans):
    exported = {m["id"]: m for m in selectors.rulebook_export()["measures"]}
    for parsed in plans["SH"].measures:
        assert exported[parsed.id]["units"] == parsed.units
        assert exported[parsed.id]["lead_unit"] == parsed.units[0]


def test_crosswalk_is_complete():
    sh_ids = set(Measure.objects.filter(plan="SH").values_list("id", flat=True))
    sc_ids = set(Measure.objects.filter(plan="SC").values_list("id", flat=True))
    linked_sh = set(CrosswalkLink.objects.values_list("sh_id", flat=True))
    linked_sc = set(CrosswalkLink.objects.values_list("sc_id", flat=True))
    assert linked_sh == sh_ids
    assert linked_sc == sc_ids
    for n in range(113, 118):
        assert "SC-closing" in [link.sc_id for link in CrosswalkLink.objects.filter(sh_id=f"SH-{n}")]


def test_crosswalk_file_matches_the_database():
    reviewed = yaml.safe_load((OVERLAY_DIR / "crosswalk.yaml").read_text(encoding="utf-8"))
    stored = {}
    for link in CrosswalkLink.objects.order_by("sh__position", "rank"):
        stored.setdefault(link.sh_id, []).append(link.sc_id)
    assert stored == reviewed


def test_every_sh_measure_is_classified_and_titled():
    for m in Measure.objects.all():
        assert m.title_en, m.id
        if m.plan_id == "SH":
            assert m.classification in ("local_authority", "national_approval", "national_rules"), m.id


def test_deadlines_follow_the_classification():
    approval = Measure.objects.filter(classification="national_approval").first()
    rules = Measure.objects.filter(classification="national_rules").first()
    local = Measure.objects.filter(classification="local_authority").first()
    if approval:
        assert str(selectors.measure_deadline(approval)) == "2024-08-03"
    if rules:
        assert str(selectors.measure_deadline(rules)) == "2024-11-26"
    assert selectors.measure_deadline(local) is None


def test_unit_directory():
    units = {u.name: u for u in selectors.units()}
    assert units["临港新片区管委会"].measure_count == 50
    assert units["市商务委(市口岸办)"].same_body_as.name == "市商务委"
    assert all(u.full_name_zh and u.name_en for u in units.values())
    assert selectors.unit_find("上海市商务委员会").name == "市商务委"
    aliases = [a for u in units.values() for a in u.aliases]
    assert len(aliases) == len(set(aliases)), "an alias names two units"


def test_reload_is_idempotent():
    from openftz.rulebook.services import rulebook_load

    before = list(Measure.objects.values_list("id", "text", "position"))
    report = rulebook_load()
    assert report.plans == {"SC": 81, "SH": 117} and report.units == 46
    assert list(Measure.objects.values_list("id", "text", "position")) == before


@pytest.mark.parametrize("query, expected", [
    ("数据出境", "SH-5"),
    ("电子提单", None),
    ("再保险", "SH-11"),
    ("sh-43", "SH-43"),
])
def test_search_finds(query, expected):
    hits = selectors.search(query)
    assert hits, query
    ids = [h.measure.id for h in hits]
    if expected:
        assert expected in ids[:5]
    for h in hits[:3]:
        assert h.match or query.lower().startswith("sh")


def test_search_two_character_terms_and_filters():
    hits = selectors.search("数据", plan="SH")
    assert hits and all(h.measure.plan_id == "SH" for h in hits)
    narrowed = selectors.search("数据", plan="SH", unit="市数据局")
    assert narrowed and len(narrowed) < len(hits)
    assert all("市数据局" in selectors.measure_units(h.measure) for h in narrowed)
    assert all(h.measure.chapter.number == 4 for h in selectors.search("数据", chapter=4))


def test_search_all_terms_must_occur():
    both = {h.measure.id for h in selectors.search("政府采购 供应商")}
    assert both
    assert both <= {h.measure.id for h in selectors.search("政府采购")}
    assert both <= {h.measure.id for h in selectors.search("供应商")}
    assert selectors.search("完全不存在的词语组合xyz") == []


def test_search_ignores_control_characters():
    assert [h.measure.id for h in selectors.search("数据\x00出境")] == [h.measure.id for h in selectors.search("数据 出境")]
    assert selectors.search("\x00\x01") == []


def test_search_treats_control_characters_as_spaces(client):
    """Found by schemathesis: a NUL in the query made SQLite FTS5 fail with 'unterminated string'."""
    from openftz.rulebook.search import terms

    assert terms("数据\x00出境") == ["数据", "出境"]
    assert client.get("/api/rulebook/search", {"q": "00\x00", "limit": 1}).status_code < 500


def test_a_unit_name_with_nul_is_not_found(client):
    """Found by schemathesis on PostgreSQL, which refuses NUL in text: the answer is 404, not 500."""
    assert client.get("/api/rulebook/search", {"q": "数据", "unit": "x\x00"}).status_code == 404
