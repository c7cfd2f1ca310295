"""From OCDS input to compiled releases: packages, records, merging with ocdsmerge, the 1.0 → 1.1 upgrade."""
from __future__ import annotations

from hypothesis import given, settings, strategies as st

from openftz.procurement.compile import Compiled, InputProblem, compiled_releases
from openftz.procurement.upgrade import needs_upgrade, upgrade_release

TENDER = {"ocid": "ocds-x-1", "id": "1", "date": "2025-03-01T00:00:00Z", "tag": ["tender"],
          "tender": {"id": "t", "procurementMethod": "open", "title": "A", "tenderPeriod": {"startDate": "2025-03-01", "endDate": "2025-03-20"}}}
AMENDMENT = {"ocid": "ocds-x-1", "id": "2", "date": "2025-03-05T00:00:00Z", "tag": ["tenderAmendment"],
             "tender": {"id": "t", "tenderPeriod": {"endDate": "2025-04-15"}}}


def test_a_release_package_is_merged_per_ocid_latest_value_wins():
    package = {"version": "1.1", "releases": [AMENDMENT, TENDER, {**TENDER, "ocid": "ocds-x-2"}]}
    out = list(compiled_releases(package))
    assert [c.ocid for c in out] == ["ocds-x-1", "ocds-x-2"]
    first = out[0]
    # "compiled", then the tags of the releases it came from (in input order), so that rules see which stages were published
    assert first.releases == 2 and first.release["tag"] == ["compiled", "tenderAmendment", "tender"]
    assert first.release["tender"]["tenderPeriod"] == {"startDate": "2025-03-01", "endDate": "2025-04-15"}
    assert first.release["tender"]["title"] == "A"


def test_a_record_package_uses_the_compiled_release_or_merges_full_releases():
    package = {"version": "1.1", "records": [
        {"ocid": "ocds-x-1", "releases": [{"url": "https://example.org/1.json", "date": "2025-03-01"}],
         "compiledRelease": {**TENDER, "tag": ["compiled"]}},
        {"ocid": "ocds-x-3", "releases": [{**TENDER, "ocid": "ocds-x-3"}]},
        {"ocid": "ocds-x-4", "releases": [{"url": "https://example.org/4.json", "date": "2025-03-01"}]},
        "not a record",
    ]}
    out = list(compiled_releases(package))
    assert isinstance(out[0], Compiled) and out[0].releases == 0
    assert isinstance(out[1], Compiled) and out[1].releases == 1
    assert isinstance(out[2], InputProblem) and out[2].code == "no_releases"
    assert isinstance(out[3], InputProblem) and out[3].code == "not_an_object"


def test_problems_in_place():
    assert [p.code for p in compiled_releases(42)] == ["not_an_object"]
    assert [p.code for p in compiled_releases({"tender": {}})] == ["no_ocid"]
    package = {"version": "1.1", "releases": [{"id": "1", "date": "2025-01-01"}, TENDER, [1]]}
    assert [getattr(x, "code", "ok") for x in compiled_releases(package)] == ["no_ocid", "not_an_object", "ok"]
    two = {"version": "1.1", "releases": [TENDER, {**AMENDMENT, "date": None}]}
    assert [p.code for p in compiled_releases(two)] == ["cannot_merge"]


def test_an_array_of_releases_and_a_bare_compiled_release():
    assert [c.ocid for c in compiled_releases([TENDER, AMENDMENT])] == ["ocds-x-1"]
    compiled = {**TENDER, "tag": ["compiled"], "version": "1.1"}
    (only,) = compiled_releases(compiled)
    assert only.release is compiled and not only.upgraded


def test_versions_that_need_the_upgrade():
    assert needs_upgrade(None) and needs_upgrade("1.0") and needs_upgrade("1.0.1")
    assert not needs_upgrade("1.1") and not needs_upgrade("1.1.5")


def test_the_10_upgrade_moves_organizations_into_parties():
    release = {
        "ocid": "ocds-x-9", "date": "2016-01-01T00:00:00Z",
        "buyer": {"identifier": {"scheme": "MX-RFC", "id": "ABC123"}, "name": "Secretaría", "address": {"locality": "CDMX"}},
        "tender": {"procuringEntity": {"identifier": {"scheme": "MX-RFC", "id": "ABC123"}, "name": "Secretaría"},
                   "tenderers": [{"name": "Proveedor S.A.", "contactPoint": {"email": "p@example.mx"}}]},
        "awards": [{"id": "a", "suppliers": [{"name": "Proveedor S.A.", "contactPoint": {"email": "p@example.mx"}}]}],
        "contracts": [{"id": "c", "implementation": {"transactions": [
            {"id": "t1", "amount": {"amount": 10, "currency": "MXN"}, "providerOrganization": {"scheme": "MX-RFC", "id": "ABC123", "legalName": "Secretaría"},
             "receiverOrganization": {"scheme": "MX-RFC", "id": "PRO999"}}]}}],
    }
    out = upgrade_release(release)
    assert out["buyer"] == {"id": "MX-RFC-ABC123", "name": "Secretaría"}
    assert out["tender"]["procuringEntity"] == {"id": "MX-RFC-ABC123", "name": "Secretaría"}
    parties = {p["id"]: p for p in out["parties"]}
    assert parties["MX-RFC-ABC123"]["roles"] == ["buyer", "procuringEntity", "payer"]
    assert parties["MX-RFC-ABC123"]["address"] == {"locality": "CDMX"}
    assert parties["Proveedor S.A."]["roles"] == ["tenderer", "supplier"]
    transaction = out["contracts"][0]["implementation"]["transactions"][0]
    assert transaction["value"] == {"amount": 10, "currency": "MXN"} and "amount" not in transaction
    assert transaction["payee"] == {"id": "MX-RFC-PRO999"}
    assert parties["MX-RFC-PRO999"]["roles"] == ["payee"]


def test_upgraded_10_package_is_checked_with_its_parties():
    from datetime import date

    from openftz.procurement.rules import Context, check_release

    package = {"version": "1.0", "releases": [{
        "ocid": "ocds-x-10", "id": "1", "date": "2016-01-01T00:00:00Z", "tag": ["tender"],
        "tender": {"id": "t", "procurementMethod": "selective", "description": "Servicios", "items": [{"id": "1", "quantity": 2}],
                   "procuringEntity": {"name": "Ayuntamiento", "address": {"streetAddress": "Calle 1"}, "contactPoint": {"email": "a@example.org"}},
                   "expressionOfInterestDeadline": "2016-02-01T00:00:00Z", "submissionMethod": ["electronicSubmission"],
                   "eligibilityCriteria": "Registro de proveedores"}}]}
    (compiled,) = compiled_releases(package)
    assert compiled.upgraded
    findings = [f for f in check_release(compiled.release, Context.at(date(2025, 1, 1))) if f.rule == "PROC-PREQUAL-NOTICE"]
    assert findings == []


def test_merging_only_what_the_rules_read_changes_no_finding(monkeypatch):
    """The real data, merged whole and merged in the parts the rules read, gives the same findings."""
    import datetime as dt
    from pathlib import Path

    from openftz.procurement import compile as compile_module
    from openftz.procurement.check import check_line
    from openftz.procurement.rules import Context

    ctx = Context.at(dt.date(2025, 1, 1))
    files = sorted((Path(__file__).resolve().parents[1] / "data" / "procurement").rglob("*.json"))

    def run():
        return [(r.get("ocid"), r.get("findings"), r.get("error")) for path in files for r in check_line(path.read_bytes(), 1, ctx)]

    parts = run()
    monkeypatch.setattr(compile_module, "FULL_MERGE", True)
    assert run() == parts


def test_paths_into_parties_are_those_of_the_whole_compiled_release():
    """The procuring entity is the second party: its finding says parties[1], merged whole or in part."""
    import datetime as dt

    from openftz.procurement import compile as compile_module
    from openftz.procurement.rules import Context, check_release

    release = {"ocid": "ocds-x-p", "id": "1", "date": "2025-03-01T00:00:00Z", "tag": ["tender"],
               "parties": [{"id": "s1", "name": "Supplier", "address": {"locality": "Lyon"}, "roles": ["tenderer"]},
                           {"id": "pe", "name": "Entity", "address": {"locality": "上海"}, "roles": ["procuringEntity"]}],
               "tender": {"id": "t", "procurementMethod": "selective", "procuringEntity": {"id": "pe", "name": "Entity"}}}
    ctx = Context.at(dt.date(2025, 1, 1))
    paths = []
    for full in (False, True):
        compile_module.FULL_MERGE = full
        try:
            (compiled,) = compiled_releases({"version": "1.1", "releases": [dict(release)]})
        finally:
            compile_module.FULL_MERGE = False
        paths.append([f.path for f in check_release(compiled.release, ctx) if f.rule == "PROC-PREQUAL-NOTICE"])
    assert paths[0] == paths[1]
    assert "parties[1].contactPoint" in paths[0]


def _releases_of(value):
    if isinstance(value, dict) and isinstance(value.get("releases"), list):
        return [r for r in value["releases"] if isinstance(r, dict)]
    if isinstance(value, dict) and isinstance(value.get("records"), list):
        return [r for rec in value["records"] if isinstance(rec, dict) for r in rec.get("releases") or [] if isinstance(r, dict)]
    return [value] if isinstance(value, dict) and "ocid" in value else []


def test_a_single_plain_release_compiles_to_what_ocdsmerge_makes_of_it():
    """The fast path for a process of one release gives exactly ocdsmerge's compiled release, on the real data."""
    import json
    from pathlib import Path

    from openftz.procurement.compile import compiled_alone, merger

    taken = 0
    for path in sorted((Path(__file__).resolve().parents[1] / "data" / "procurement").rglob("*.json")):
        for release in _releases_of(json.loads(path.read_bytes())):
            alone = compiled_alone(release)
            if alone is not None:
                taken += 1
                assert alone == merger().create_compiled_release([release]), path
    assert taken >= 40


_SCALAR = st.one_of(st.integers(-5, 5), st.text(max_size=3), st.booleans())
_OBJECT = st.recursive(
    st.dictionaries(st.sampled_from(["a", "b", "id", "title", "value"]), _SCALAR | st.none(), min_size=1, max_size=3),
    lambda inner: st.dictionaries(st.sampled_from(["a", "b", "items", "x"]), inner | st.lists(_SCALAR, min_size=1, max_size=3)
                                  | st.lists(inner.map(lambda d: d), min_size=1, max_size=3), min_size=1, max_size=3),
    max_leaves=12)


@settings(max_examples=300, deadline=None)
@given(_OBJECT, st.lists(st.integers(0, 4), max_size=4))
def test_the_fast_path_agrees_with_ocdsmerge_or_steps_aside(body, ids):
    """On generated releases — with arrays of objects with and without ids, repeated ids, nulls and empties — the
    fast path either declines or gives ocdsmerge's result."""
    import warnings

    from openftz.procurement.compile import compiled_alone, merger

    release = {"ocid": "ocds-x-1", "id": "r", "date": "2025-01-01T00:00:00Z", "tag": ["tender"], **body}
    release["parties"] = [{"id": str(i), "name": "n"} for i in ids] + ([{"name": None}] if len(ids) == 1 else [])
    alone = compiled_alone(release)
    if alone is not None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            assert alone == merger().create_compiled_release([release])
