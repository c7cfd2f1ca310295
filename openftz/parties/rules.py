"""Rules of the enterprise directory: identifiers and key validity. Pure functions, no database.

- Unified social credit code (统一社会信用代码, GB 32100) checked with ``stdnum.cn.uscc``; LEI (ISO 17442) with
  ``stdnum.lei``; foreign identifiers carry their scheme.
- Keys: SM2 (commercial cryptography, SH-24), Ed25519 or ECDSA P-256 (ES256 for DCSA PINT) — the registry imposes no particular algorithm (SC-13, SH-23).
  A key signs only between its validity dates and before its revocation.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from stdnum import lei as _lei
from stdnum.cn import uscc as _uscc
from stdnum.exceptions import ValidationError as _StdnumError

from openftz.core.citations import cites
from openftz.core.crypto import ALGORITHMS, CryptoError, key_id, normalise_public_key
from openftz.core.errors import InvalidInput

PARTY_ID = re.compile(r"^[a-z0-9][a-z0-9-]{1,62}$")
KEY_ID = re.compile(r"^[0-9a-f]{32}$")
SCHEME = re.compile(r"^[A-Z0-9][A-Z0-9._-]{1,31}$")
PLATFORM_SCHEME = "DCSA-EBL-PLATFORM"  # eBL platforms carry their DCSA platform code under this scheme
IDENTIFIER_CITES = cites("SH-43")
KEY_CITES = cites("SC-13", "SH-23", "SH-24")


@dataclass(frozen=True, slots=True)
class Identifiers:
    uscc: str | None
    lei: str | None
    foreign_scheme: str | None
    foreign_id: str | None


def clean_identifiers(*, uscc: str | None, lei: str | None, foreign_scheme: str | None, foreign_id: str | None) -> Identifiers:
    """Validated, compact identifiers; at least one identifier is required (SH-43: parties must be identifiable)."""
    uscc = (uscc or "").strip() or None
    lei = (lei or "").strip() or None
    foreign_scheme = (foreign_scheme or "").strip().upper() or None
    foreign_id = (foreign_id or "").strip() or None
    if uscc:
        try:
            uscc = _uscc.validate(uscc)
        except _StdnumError:
            raise InvalidInput(f"统一社会信用代码无效: {uscc}", f"invalid unified social credit code: {uscc}",
                               details={"field": "uscc", "cites": ["SH-43"]}) from None
    if lei:
        try:
            lei = _lei.validate(lei)
        except _StdnumError:
            raise InvalidInput(f"LEI 无效: {lei}", f"invalid LEI: {lei}", details={"field": "lei", "cites": ["SH-43"]}) from None
    if bool(foreign_scheme) != bool(foreign_id):
        raise InvalidInput("境外标识须同时给出体系和编号", "a foreign identifier needs both its scheme and its value",
                           details={"field": "foreign_id"})
    if foreign_scheme and not SCHEME.match(foreign_scheme):
        raise InvalidInput(f"标识体系名称无效: {foreign_scheme}", f"invalid identifier scheme: {foreign_scheme}",
                           details={"field": "foreign_scheme"})
    if foreign_id and len(foreign_id) > 64:
        raise InvalidInput("境外标识过长", "the foreign identifier is longer than 64 characters", details={"field": "foreign_id"})
    if not (uscc or lei or foreign_id):
        raise InvalidInput("至少需要一个标识(统一社会信用代码、LEI 或境外标识)",
                           "at least one identifier is needed (USCC, LEI or a foreign identifier)",
                           details={"cites": ["SH-43"]})
    return Identifiers(uscc, lei, foreign_scheme, foreign_id)


def clean_party_id(party_id: str) -> str:
    if not PARTY_ID.match(party_id or ""):
        raise InvalidInput(f"当事人编号无效: {party_id!r}", f"invalid party id {party_id!r}: 2-63 lowercase letters, digits or '-'",
                           details={"field": "id"})
    return party_id


@dataclass(frozen=True, slots=True)
class CleanKey:
    kid: str
    algorithm: str
    public_key: str


def clean_public_key(*, algorithm: str, public_key: str) -> CleanKey:
    """A public key of a supported algorithm, normalised, with its key id (SC-13, SH-23: no algorithm is imposed)."""
    if algorithm not in ALGORITHMS:
        raise InvalidInput(f"不支持的签名算法: {algorithm}", f"unsupported signature algorithm: {algorithm} (SM2, Ed25519 or P-256)",
                           details={"field": "algorithm"})
    try:
        pem = normalise_public_key(algorithm, public_key)
    except CryptoError as exc:
        raise InvalidInput("公钥无法读取", f"unreadable public key: {exc}", details={"field": "public_key"}) from None
    return CleanKey(key_id(pem), algorithm, pem)


@dataclass(frozen=True, slots=True)
class KeyFacts:
    kid: str
    party_id: str
    valid_from: dt.datetime
    valid_until: dt.datetime
    revoked_at: dt.datetime | None


def key_usable(key: KeyFacts, *, party_id: str, at: dt.datetime) -> None:
    """Refuse a key that is not the party's, not yet valid, expired or revoked at ``at`` (SH-24 key management)."""
    if key.party_id != party_id:
        raise InvalidInput(f"密钥 {key.kid} 不属于 {party_id}", f"key {key.kid} does not belong to {party_id}",
                           code="key_not_owned", status=403, details={"kid": key.kid})
    if key.revoked_at is not None and at >= key.revoked_at:
        raise InvalidInput(f"密钥 {key.kid} 已于 {key.revoked_at.isoformat()} 撤销", f"key {key.kid} was revoked at {key.revoked_at.isoformat()}",
                           code="key_revoked", status=403, details={"kid": key.kid})
    if at < key.valid_from or at >= key.valid_until:
        raise InvalidInput(f"密钥 {key.kid} 在 {at.isoformat()} 不在有效期内", f"key {key.kid} is not valid at {at.isoformat()}",
                           code="key_expired", status=403, details={"kid": key.kid})
