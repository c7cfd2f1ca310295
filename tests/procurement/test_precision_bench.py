"""The labelled sample of real releases and the precision benchmark that reads it (bench/procurement_precision.py)."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import yaml

from openftz.procurement.rules import RULES

ROOT = Path(__file__).resolve().parents[2]
LABELS = ROOT / "tests" / "data" / "procurement" / "labelled.yaml"


def _bench():
    spec = importlib.util.spec_from_file_location("procurement_precision", ROOT / "bench" / "procurement_precision.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_label_names_a_rule_a_verdict_and_a_reason_and_its_release_is_in_the_repository():
    items = yaml.safe_load(LABELS.read_text(encoding="utf-8"))["items"]
    assert len(items) >= 150
    data = ROOT / "tests" / "data" / "procurement"
    for item in items:
        assert item["rule"] in RULES and item["expect"] in ("violation", "warning", "info", "none"), item
        assert item["reason"].strip(), item
        assert (data / item["file"]).is_file() or (data / "real" / item["file"]).is_file(), item["file"]


def test_the_sample_holds_the_cases_the_issue_names():
    reasons = " ".join(i["reason"] for i in yaml.safe_load(LABELS.read_text(encoding="utf-8"))["items"])
    for words in ("request for quotations", "publicly announced selection", "coded open", "before its start", "tederPeriod",
                  "identifier.legalName", "OCDS 1.1", "GPA XI:5"):
        assert words in reasons, words


def test_the_benchmark_runs_on_the_repositorys_copy_and_prints_precision_and_recall(capsys):
    assert _bench().main(["--data", str(ROOT / "tests" / "data" / "procurement"), "--quiet"]) == 0
    out = capsys.readouterr().out
    assert "labelled sample: 168 (release, rule) pairs of 79 releases" in out
    assert "precision" in out and "recall" in out and "PROC-TENDER-PERIOD" in out
