"""Citations: every rule, parameter and service that carries out a measure names it."""
from __future__ import annotations

import re
from dataclasses import dataclass

MEASURE_ID = re.compile(r"^(SC|SH)-(?:[1-9]\d{0,2}|closing)$")


@dataclass(frozen=True, slots=True)
class Citation:
    """A reference to one measure of the two plans, e.g. ``Citation("SH-75")``."""

    measure: str

    def __post_init__(self) -> None:
        if not MEASURE_ID.match(self.measure):
            raise ValueError(f"not a measure id: {self.measure!r} (expected SC-1…SC-80, SC-closing, SH-1…SH-117)")

    @property
    def plan(self) -> str:
        return self.measure.split("-", 1)[0]

    def __str__(self) -> str:
        return self.measure


def cites(*measure_ids: str) -> tuple[Citation, ...]:
    """``cites("SH-75", "SC-51")`` — validated citations in the order given."""
    return tuple(Citation(m) for m in measure_ids)
