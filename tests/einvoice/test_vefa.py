"""Agreement with the official EN 16931 unit tests for UBL (CEN/TC 434, VEFA format).

Every <test> is a case: the rules named in <error> must fire on its document and those in <success> must not.
The documents are often partial: a rule applies only where its context exists.
"""
import pytest

from openftz.einvoice.parse import parse
from openftz.einvoice.rules import check

from .vefa import cases

CASES = cases()


def disagreement(case) -> list[str]:
    fired = {f["rule"] for f in check(parse(case.document), "en16931")}
    return [f"{r} fired" for r in case.success if r in fired] + [f"{r} did not fire" for r in case.error if r not in fired]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_official_case(case):
    assert disagreement(case) == [], case.description


def test_agreement_figure(report_figure):
    """The whole suite at once, for the figure in the summary (and a floor it must never fall below)."""
    wrong = {c.id: d for c in CASES if (d := disagreement(c))}
    agreed = len(CASES) - len(wrong)
    report_figure(f"EN 16931 VEFA unit tests (UBL): {agreed}/{len(CASES)} cases agree "
                  f"({100 * agreed / len(CASES):.1f}%), {sum(len(c.error) + len(c.success) for c in CASES)} assertions")
    assert len(CASES) >= 778
    assert agreed == len(CASES), wrong
