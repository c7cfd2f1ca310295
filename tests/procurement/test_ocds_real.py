"""The OCDS machinery of the workflow on real published data (tests/data/procurement, see its README)."""
import datetime as dt
import json
from pathlib import Path

import pytest

from openftz.core.errors import InvalidInput
from openftz.procurement import ocds, services

from .conftest import T0, open_procedure

DATA = Path(__file__).resolve().parents[1] / "data" / "procurement"


def load(name):
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def test_real_releases_of_one_process_compile_to_a_valid_compiled_release():
    record = load("mexico/cdmx/sample/records/OCDS-87SD3T-SEFIN-DRM-A-001-2016.json")
    releases = record["releases"]
    compiled = ocds.compile_releases(releases)
    assert compiled["tag"] == ["compiled"] and compiled["ocid"] == "OCDS-87SD3T-SEFIN-DRM-A-001-2016"
    assert compiled["date"] == max(r["date"] for r in releases)  # the latest release wins
    assert compiled["tender"]["title"] == record["compiledRelease"]["tender"]["title"]
    assert ocds.release_errors(compiled) == []


def test_real_data_that_breaks_the_schema_is_found_and_refused_as_a_stage():
    taiwan = load("taiwan/sample/releases/ocid-6as3t2-51179519-ocid-6as3t2-51179519.json")
    paths = {e["path"] for e in ocds.release_errors(taiwan)}
    assert {"", "tag", "date", "tender/procurementMethod", "tender/items/0"} <= paths


def test_a_real_awards_fragment_that_breaks_the_schema_writes_nothing(world):
    procedure = open_procedure(world)
    taiwan = load("taiwan/sample/releases/ocid-6as3t2-51179519-ocid-6as3t2-51179519.json")
    with pytest.raises(InvalidInput) as exc:
        services.procedure_release_add(actor=world["users"]["officer"], procedure=procedure, tag="award", awards=[taiwan["awards"]],
                                       when=T0)
    assert exc.value.details["schema_errors"] and procedure.releases.count() == 1


def test_the_package_structure_judges_packages():
    record = load("mexico/cdmx/sample/records/OCDS-87SD3T-SEFIN-DRM-A-001-2016.json")
    package = {"uri": "https://datos.example/record.json", "publishedDate": "2017-04-05T00:00:00-06:00", "version": "1.1",
               "publisher": {"name": "Secretaría de Finanzas"},
               "records": [{"ocid": record["compiledRelease"]["ocid"], "releases": record["releases"],
                            "compiledRelease": ocds.compile_releases(record["releases"])}]}
    assert ocds.package_errors(package, "record") == []
    broken = {k: v for k, v in package.items() if k != "publisher"} | {"uri": "/relative/path"}
    assert {e["message"] for e in ocds.package_errors(broken, "record")} >= {'"publisher" is a required property',
                                                                             '"/relative/path" is not a "uri"'}
    taiwan = load("taiwan/sample/releases/ocid-6as3t2-51179519-ocid-6as3t2-51179519.json")
    assert ocds.package_errors({**{k: package[k] for k in ("uri", "publishedDate", "version", "publisher")}, "releases": [taiwan]},
                               "release")


def test_a_release_dated_before_the_last_one_is_refused(world):
    procedure = open_procedure(world)
    with pytest.raises(InvalidInput, match="after the previous"):
        services.procedure_release_add(actor=world["users"]["officer"], procedure=procedure, tag="tenderUpdate",
                                       tender={"description": "更正"}, when=T0 - dt.timedelta(days=1))
