"""The rooms of every app (docs/architecture.md) hold: import-linter's contracts in pyproject.toml are kept.

The second test breaks each contract in a copy of the package and checks that lint-imports says so, so that a
contract that no longer matches anything (a renamed module, a wrong pattern) cannot pass unnoticed.
"""
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _lint(cwd: Path) -> subprocess.CompletedProcess:
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(cwd), "COLUMNS": "300"}
    return subprocess.run([str(LINT_IMPORTS), "--no-cache", "--config", str(ROOT / "pyproject.toml")], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300)


def test_the_import_contracts_are_kept():
    assert LINT_IMPORTS.exists(), "import-linter is not installed: make setup installs requirements-dev.txt"
    result = _lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


BREACHES = {
    "Rules are pure": ("openftz/tracker/rules.py", "from django.db import models"),
    "Selectors only read": ("openftz/tracker/selectors.py", "from openftz.tracker import services"),
    "Pages, API, CLI": ("openftz/tracker/excel.py", "from openftz.tracker.models import Milestone"),
    "core is the shared kernel": ("openftz/core/errors.py", "from openftz.tracker import permissions"),
}


@pytest.mark.parametrize("contract", list(BREACHES))
def test_each_contract_catches_a_breach(tmp_path, contract):
    shutil.copytree(ROOT / "openftz", tmp_path / "openftz", ignore=shutil.ignore_patterns("__pycache__", "*.so", "*.c", "static", "locale"))
    path, line = BREACHES[contract]
    target = tmp_path / path
    target.write_text(target.read_text(encoding="utf-8") + f"\n\ndef _breach():\n    {line}\n", encoding="utf-8")
    result = _lint(tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    broken = [line for line in result.stdout.splitlines() if " BROKEN" in line]
    assert any(line.startswith(contract) for line in broken), result.stdout
