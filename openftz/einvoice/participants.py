"""Peppol participant identifiers of the parties in the enterprise directory (参与方标识). Pure.

The schemes and their order are data (``data/einvoice/participant-schemes.yaml``): 0199 for an LEI, 0088 for a GLN,
any other four-digit ISO/IEC 6523 ICD for a foreign identifier registered under it, and the zone scheme USCC for a
unified social credit code, which no international scheme covers.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

import yaml
from stdnum.cn import uscc as _uscc

from openftz.core.errors import InvalidInput

from .rules import codelist
from .semantic import DATA

PARTICIPANT = re.compile(r"^([0-9]{4}|USCC):([^\s:][^\s]{0,99})$")
AUTHORITY = "iso6523-actorid-upis"


@cache
def schemes() -> dict:
    return yaml.safe_load((DATA / "participant-schemes.yaml").read_text(encoding="utf-8"))


@dataclass(frozen=True, slots=True)
class Identifiers:
    """The identifiers a directory party has (see :class:`openftz.parties.models.Party`)."""

    uscc: str | None = None
    lei: str | None = None
    foreign_scheme: str | None = None
    foreign_id: str | None = None


def registered_scheme(code: str) -> bool:
    """A four-digit scheme of the ISO/IEC 6523 ICD list or of the EAS list (Peppol's participant schemes are drawn
    from both: 0007, 0088, 0184, 0199 … and 9901-9959)."""
    return code.isdigit() and (code in codelist("iso6523-icd") or code in codelist("eas"))


def _gln_schemes() -> list[str]:
    return next(s["foreign_schemes"] for s in schemes()["schemes"] if s["code"] == "0088")


def participant_ids(ids: Identifiers) -> list[str]:
    """Every participant identifier of a party, the one that names it by default first."""
    out: list[str] = []
    for scheme in schemes()["schemes"]:
        if scheme["party_field"] == "lei" and ids.lei:
            out.append(f"{scheme['code']}:{ids.lei}")
        elif scheme["party_field"] == "uscc" and ids.uscc:
            out.append(f"{scheme['code']}:{ids.uscc}")
        elif scheme["party_field"] == "foreign" and ids.foreign_id and ids.foreign_scheme:
            if scheme["code"] == "ICD":
                if ids.foreign_scheme not in _gln_schemes() and registered_scheme(ids.foreign_scheme):
                    out.append(f"{ids.foreign_scheme}:{ids.foreign_id}")
            elif ids.foreign_scheme in scheme.get("foreign_schemes", ()):
                out.append(f"{scheme['code']}:{ids.foreign_id}")
    return out


def split(participant: str) -> tuple[str, str]:
    """(scheme, value) of ``scheme:value``; InvalidInput if it is not a participant identifier of a known scheme."""
    match = PARTICIPANT.match(participant or "")
    if not match:
        raise InvalidInput(f"参与方标识格式无效: {participant[:120]!r}",
                           f"not a participant identifier (scheme:value, e.g. 0199:LEI): {participant[:120]!r}",
                           code="bad_participant", details={"participant": participant[:120]})
    scheme, value = match.groups()
    if scheme == "USCC" and not _uscc.is_valid(value):
        raise InvalidInput(f"统一社会信用代码无效: {value[:40]}", f"not a valid unified social credit code: {value[:40]}",
                           code="bad_participant", details={"participant": participant[:120]})
    if scheme != "USCC" and not registered_scheme(scheme):
        raise InvalidInput(f"未知的标识体系 {scheme}", f"unknown identifier scheme {scheme} (neither an ICD nor an EAS code)",
                           code="bad_participant", details={"participant": participant[:120]})
    return scheme, value


def directory_key(participant: str) -> dict:
    """The directory lookup a participant identifier stands for: ``{"lei": …}``, ``{"uscc": …}`` or
    ``{"foreign_scheme__in": […], "foreign_id": …}`` (Peppol identifier values compare case-insensitively; LEI
    and USCC are upper case)."""
    scheme, value = split(participant)
    if scheme == "0199":
        return {"lei": value.upper()}
    if scheme == "USCC":
        return {"uscc": value.upper()}
    if scheme == "0088":
        return {"foreign_scheme__in": _gln_schemes(), "foreign_id": value}
    return {"foreign_scheme__in": [scheme], "foreign_id": value}


def endpoint_of(participant: str) -> tuple[str, str]:
    """(schemeID, value) of a ``cbc:EndpointID`` for a participant (the scheme is also its EAS code)."""
    return split(participant)
