"""Amounts in yuan: a dated table of exchange rates (``data/procurement/rates.yaml``), never a guess.

A rate is the one of the latest date on or before the day asked for, if it is not older than the table's
``max_age_days``; otherwise there is none and the caller reports that the amount could not be converted.
"""
from __future__ import annotations

import bisect
import datetime as dt
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

RATES_FILE = Path(__file__).resolve().parents[3] / "data" / "procurement" / "rates.yaml"


@dataclass(frozen=True)
class Conversion:
    cny: float | None          # the amount in yuan, None when no rate could be found
    rate: float | None         # CNY per unit of the currency
    rate_date: dt.date | None  # the date of the rate used
    currency: str


@dataclass(frozen=True)
class RateTable:
    source: str
    max_age_days: int
    rates: dict[str, tuple[tuple[dt.date, ...], tuple[float, ...]]]

    @classmethod
    def parse(cls, raw: Any) -> "RateTable":
        if not isinstance(raw, dict) or not isinstance(raw.get("rates"), dict):
            raise ValueError("a rate table is a mapping with 'rates: {CURRENCY: {date: CNY per unit}}'")
        table = {}
        for currency, series in raw["rates"].items():
            pairs = sorted((d if isinstance(d, dt.date) else dt.date.fromisoformat(str(d)), float(v)) for d, v in series.items())
            table[str(currency).upper()] = (tuple(d for d, _ in pairs), tuple(v for _, v in pairs))
        return cls(source=str(raw.get("source", "")), max_age_days=int(raw.get("max_age_days", 45)), rates=table)

    def to_cny(self, amount: float, currency: str | None, on: dt.date) -> Conversion:
        """The amount in yuan on ``on``. An amount without a currency is not assumed to be yuan: it is unconvertible
        (``currency`` "")."""
        code = (currency or "").strip().upper()
        if not code:
            return Conversion(None, None, None, "")
        if code in ("CNY", "RMB"):
            return Conversion(amount, 1.0, None, "CNY")
        series = self.rates.get(code)
        if series is None:
            return Conversion(None, None, None, code)
        dates, values = series
        i = bisect.bisect_right(dates, on) - 1
        if i < 0 or (on - dates[i]).days > self.max_age_days:
            return Conversion(None, None, None, code)
        return Conversion(amount * values[i], values[i], dates[i], code)


def from_ecb_csv(text: str, *, since: dt.date) -> dict[str, dict[dt.date, float]]:
    """CNY per unit of each currency from the ECB's euro reference rates (``eurofxref-hist.csv``: ``Date,USD,JPY,…``
    with one row per fixing, ``N/A`` where none), as cross rates (CNY per EUR) / (currency per EUR): the first fixing
    of each month since ``since``, the latest fixing, and each currency's last fixing, rounded to 6 significant
    digits. A currency the ECB no longer publishes (BGN, HRK, RUB…) keeps its rates for the dates it had them:
    an amount of 2016 in roubles converts at the rate of 2016; a date after its last fixing finds none."""
    import csv
    import io

    rows = sorted((r for r in csv.DictReader(io.StringIO(text)) if r.get("Date")), key=lambda r: r["Date"])
    rows = [r for r in rows if dt.date.fromisoformat(r["Date"]) >= since]
    if not rows or "CNY" not in rows[-1]:
        raise ValueError("not an ECB reference rate table with a CNY column, or no fixing since the date given")
    chosen, months = [], set()
    for row in rows:
        if row["Date"][:7] not in months:
            months.add(row["Date"][:7])
            chosen.append(row)
    if chosen[-1] is not rows[-1]:
        chosen.append(rows[-1])

    def rate(value: str | None) -> float | None:
        try:
            return float(value) if value not in (None, "", "N/A") else None
        except ValueError:
            return None

    currencies = sorted({c for row in rows for c in row if c and c not in ("Date", "CNY") and rate(row.get(c))})
    last = {}  # each currency's last fixing with both its rate and CNY's
    for row in rows:
        if rate(row.get("CNY")) is None:
            continue
        for code in currencies:
            if rate(row.get(code)):
                last[code] = row
    table: dict[str, dict[dt.date, float]] = {"EUR": {}}

    def put(row: dict, codes) -> None:
        cny = rate(row["CNY"])
        if cny is None:
            return
        day = dt.date.fromisoformat(row["Date"])
        table["EUR"][day] = float(f"{cny:.6g}")
        for code in codes:
            per_eur = rate(row.get(code))
            if per_eur:
                table.setdefault(code, {})[day] = float(f"{cny / per_eur:.6g}")

    for row in chosen:
        put(row, currencies)
    for code, row in last.items():
        put(row, (code,))
    return {code: dict(sorted(series.items())) for code, series in table.items()}


@cache
def default_rates() -> RateTable:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml reads the 4,000-line table ten times faster
    return RateTable.parse(yaml.load(RATES_FILE.read_text(encoding="utf-8"), Loader=loader))
