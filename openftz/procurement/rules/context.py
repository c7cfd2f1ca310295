"""The legal numbers in force on one day, read once from ``data/parameters/procurement.yaml`` for a whole run."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from openftz.core.parameters import parameter

from .money import RateTable, default_rates


@dataclass(frozen=True)
class Context:
    on: dt.date
    tender_period_days: int
    tender_period_shortened_min_days: int
    planned_notice_min_days: int
    planned_notice_max_months: int
    electronic_reduction_days: int
    commercial_tender_period_days: int
    commercial_electronic_tender_period_days: int
    prequal_period_days: int
    prequal_period_urgent_days: int
    prequal_goods_services_threshold_cny: float
    prequal_works_threshold_cny: float
    debarment_lookback_years: int
    challenge_window_days: int
    challenge_window_holiday_extension: bool
    rates: RateTable = field(repr=False)

    @classmethod
    def at(cls, on: dt.date, rates: RateTable | None = None) -> "Context":
        """The rules as in force on ``on`` (ParameterError before they took effect)."""
        def value(name: str):
            return parameter("procurement", name).at(on)

        return cls(
            on=on,
            tender_period_days=value("tender_period_days"),
            tender_period_shortened_min_days=value("tender_period_shortened_min_days"),
            planned_notice_min_days=value("planned_notice_min_days"),
            planned_notice_max_months=value("planned_notice_max_months"),
            electronic_reduction_days=value("electronic_reduction_days"),
            commercial_tender_period_days=value("commercial_tender_period_days"),
            commercial_electronic_tender_period_days=value("commercial_electronic_tender_period_days"),
            prequal_period_days=value("prequal_period_days"),
            prequal_period_urgent_days=value("prequal_period_urgent_days"),
            prequal_goods_services_threshold_cny=value("prequal_goods_services_threshold_cny"),
            prequal_works_threshold_cny=value("prequal_works_threshold_cny"),
            debarment_lookback_years=value("debarment_lookback_years"),
            challenge_window_days=value("challenge_window_days"),
            challenge_window_holiday_extension=bool(value("challenge_window_holiday_extension")),
            rates=rates or default_rates(),
        )
