"""The dated rate table: a rate only when one is on record within the age limit, never a guess; rebuilt from the ECB."""
from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import yaml

from openftz.procurement.rules.money import RateTable, default_rates, from_ecb_csv

ROOT = Path(__file__).resolve().parents[2]
D = dt.date

ECB = """Date,USD,JPY,CNY,RUB,
2024-03-04,1.0850,162.5,7.8100,N/A,
2024-03-01,1.0830,162.1,7.8000,N/A,
2024-02-01,1.0800,160.0,7.7700,N/A,
2024-02-15,1.0760,161.0,7.7500,N/A,
2023-12-29,1.1050,156.3,7.8509,N/A,
"""


def test_the_latest_rate_on_or_before_the_day_within_the_age_limit():
    table = RateTable.parse({"max_age_days": 45, "rates": {"USD": {D(2024, 2, 1): 7.19, D(2024, 3, 1): 7.20}}})
    assert table.to_cny(100, "usd", D(2024, 2, 29)).cny == 719.0
    assert table.to_cny(100, "USD", D(2024, 3, 1)).rate_date == D(2024, 3, 1)
    assert table.to_cny(100, "USD", D(2024, 1, 31)).cny is None          # before the first rate
    assert table.to_cny(100, "USD", D(2024, 4, 16)).cny is None          # 46 days after the last
    assert table.to_cny(100, "NGN", D(2024, 3, 1)).cny is None           # no rate published
    assert table.to_cny(100, None, D(2024, 3, 1)).cny is None            # no currency: unconvertible, never assumed yuan
    assert table.to_cny(100, " ", D(2024, 3, 1)).currency == ""
    assert table.to_cny(100, "RMB", D(2024, 3, 1)).currency == "CNY"


def test_the_shipped_table_has_its_source_and_dates():
    table = default_rates()
    assert "ECB" in table.source and table.max_age_days == 45
    assert {"USD", "EUR", "HKD", "JPY", "MXN", "AUD"} <= set(table.rates)
    usd = table.to_cny(1, "USD", D(2017, 6, 15))
    assert 6.5 < usd.cny < 7.1 and usd.rate_date == D(2017, 6, 1)  # the dollar was worth 6.8 yuan in June 2017


RETIRED = """Date,USD,RUB,HRK,CNY,
2024-03-01,1.0830,N/A,N/A,7.8000,
2022-12-30,1.0666,N/A,7.5365,7.3582,
2022-12-01,1.0404,N/A,7.5375,7.3755,
2022-03-01,1.1134,117.2010,7.5700,7.0320,
2022-02-01,1.1257,86.9175,7.5225,7.1621,
"""


def test_from_ecb_csv_keeps_retired_currencies_for_their_dates():
    """The ECB stopped the rouble on 2022-03-01 and the kuna at the end of 2022: their rates stay for those dates."""
    table = RateTable.parse({"rates": from_ecb_csv(RETIRED, since=D(2022, 1, 1))})
    assert table.to_cny(100, "RUB", D(2022, 2, 10)).cny == float(f"{7.1621 / 86.9175:.6g}") * 100
    assert table.to_cny(1, "RUB", D(2022, 3, 2)).rate_date == D(2022, 3, 1)   # its last fixing, not the month's first
    assert table.to_cny(1, "HRK", D(2022, 12, 31)).rate_date == D(2022, 12, 30)
    assert table.to_cny(1, "RUB", D(2024, 3, 1)).cny is None                  # long after the last fixing: none


def test_the_shipped_table_keeps_bgn_hrk_rub():
    table = default_rates()
    assert 0.08 < table.to_cny(1, "RUB", D(2017, 6, 15)).cny < 0.13   # a rouble was about 0.12 yuan in June 2017
    assert table.to_cny(1, "HRK", D(2016, 7, 1)).cny is not None
    assert table.to_cny(1, "BGN", D(2025, 6, 2)).cny is not None


def test_from_ecb_csv_first_fixing_of_each_month_and_the_latest():
    table = from_ecb_csv(ECB, since=D(2024, 1, 1))
    assert set(table) == {"EUR", "USD", "JPY"}  # RUB has no rate at all since 2024; CNY is the base
    assert list(table["USD"]) == [D(2024, 2, 1), D(2024, 3, 1), D(2024, 3, 4)]
    assert table["EUR"][D(2024, 3, 1)] == 7.8
    assert table["USD"][D(2024, 2, 1)] == float(f"{7.77 / 1.08:.6g}")


def test_rates_from_ecb_writes_a_table_the_checker_reads(tmp_path):
    csv_file = tmp_path / "eurofxref-hist.csv"
    csv_file.write_text(ECB, encoding="utf-8")
    out = tmp_path / "rates.yaml"
    result = subprocess.run([sys.executable, "-m", "openftz.cli", "procurement", "rates-from-ecb", str(csv_file), "--output", str(out),
                             "--since", "2024-01-01"], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert result.returncode == 0, result.stderr
    table = RateTable.parse(yaml.safe_load(out.read_text(encoding="utf-8")))
    assert table.to_cny(10, "JPY", D(2024, 3, 10)).rate_date == D(2024, 3, 4)
    bad = tmp_path / "bad.csv"
    bad.write_text("Date,USD\n2024-01-01,1.1\n", encoding="utf-8")
    refused = subprocess.run([sys.executable, "-m", "openftz.cli", "procurement", "rates-from-ecb", str(bad), "--output", str(out)],
                             capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert refused.returncode == 2 and "CNY" in refused.stderr and "Traceback" not in refused.stderr
