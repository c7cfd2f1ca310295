"""The curated overlay in ``data/rulebook/``: reviewed data that the parser cannot know.

- ``crosswalk.yaml``      SH measure → the SC measure(s) it implements
- ``classification.yaml`` each SH measure's class under SH-113, with the words that decide it
- ``titles.yaml``         unofficial English titles of plans, chapters, sections and measures
- ``units.yaml``          the directory of responsible units: full names, English names, kinds, aliases
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from openftz.core.citations import MEASURE_ID
from openftz.core.errors import OpenFTZError

OVERLAY_DIR = Path(__file__).resolve().parents[2] / "data" / "rulebook"
CLASSES = ("local_authority", "national_approval", "national_rules")


class OverlayError(OpenFTZError):
    code = "overlay_error"


@dataclass(frozen=True)
class Overlay:
    crosswalk: dict[str, list[str]]
    classification: dict[str, dict]
    titles: dict
    units: list[dict]


def _read(directory: Path, name: str):
    path = directory / name
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise OverlayError(f"缺少审定数据文件 {name}", f"the reviewed overlay file {name} is missing") from None
    except yaml.YAMLError as exc:
        raise OverlayError(f"{name} 不是有效的 YAML", f"{name} is not valid YAML: {exc}") from None


def _check_ids(ids, origin: str) -> None:
    bad = [i for i in ids if not MEASURE_ID.match(str(i))]
    if bad:
        raise OverlayError(f"{origin} 含无效措施编号 {bad[:5]}", f"{origin} has invalid measure ids {bad[:5]}")


def load_overlay(directory: Path = OVERLAY_DIR) -> Overlay:
    crosswalk = _read(directory, "crosswalk.yaml")
    if not isinstance(crosswalk, dict):
        raise OverlayError("crosswalk.yaml 必须是映射", "crosswalk.yaml must be a mapping")
    _check_ids(list(crosswalk) + [sc for v in crosswalk.values() for sc in (v or [])], "crosswalk.yaml")
    classification = _read(directory, "classification.yaml")
    if not isinstance(classification, dict):
        raise OverlayError("classification.yaml 必须是映射", "classification.yaml must be a mapping")
    _check_ids(classification, "classification.yaml")
    wrong = {k: v for k, v in classification.items() if not isinstance(v, dict) or v.get("class") not in CLASSES}
    if wrong:
        raise OverlayError("classification.yaml 含无效分类", f"classification.yaml: invalid classes for {sorted(wrong)[:5]}")
    titles = _read(directory, "titles.yaml")
    if not isinstance(titles, dict) or titles.get("translation") != "unofficial":
        raise OverlayError("titles.yaml 须注明为非官方译文", "titles.yaml must say translation: unofficial")
    units = (_read(directory, "units.yaml") or {}).get("units")
    if not isinstance(units, list) or not all(isinstance(u, dict) and u.get("name") for u in units):
        raise OverlayError("units.yaml 必须列出单位", "units.yaml must list units with names")
    return Overlay(
        crosswalk={k: list(v or []) for k, v in crosswalk.items()},
        classification=classification,
        titles=titles,
        units=units,
    )
