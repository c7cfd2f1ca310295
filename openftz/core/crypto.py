"""Commercial cryptography (商用密码) and its international peers, in one place.

- hashes: SM3 (GB/T 32905, through tongsuopy) and SHA-256;
- signatures: SM2 with SM3 (GB/T 32918, through tongsuopy's ``EVP_DigestSign``, which uses the default
  distinguishing identifier ``1234567812345678`` of GB/T 35276), Ed25519 (RFC 8032) and ECDSA P-256 with SHA-256
  (the ES256 of DCSA's PINT), the last two through cryptography;
- canonical JSON: RFC 8785 (JCS), so that a signed or hashed object has exactly one byte form.

SC-12…SC-14 and SH-22…SH-26 favour commercial cryptography, so SM2/SM3 are the defaults.
Nothing here touches the database: the standalone verifier uses it as it is.
"""
from __future__ import annotations

import base64
import hashlib
import json
from typing import Any

import rfc8785
from cryptography.exceptions import InvalidSignature as _CryptoInvalid
from cryptography.exceptions import UnsupportedAlgorithm as _CryptoUnsupported
from cryptography.hazmat.primitives import serialization as _ser
from cryptography.hazmat.primitives import hashes as _hashes
from cryptography.hazmat.primitives.asymmetric import ec as _ec
from cryptography.hazmat.primitives.asymmetric import ed25519
from tongsuopy.crypto import hashes as _ts_hashes
from tongsuopy.crypto import serialization as _ts_ser
from tongsuopy.crypto.asymciphers import ec as _ts_ec
from tongsuopy.crypto.exceptions import InternalError as _TongsuoInternal
from tongsuopy.crypto.exceptions import InvalidSignature as _TongsuoInvalid
from tongsuopy.crypto.exceptions import UnsupportedAlgorithm as _TongsuoUnsupported

from .citations import cites

CITES = cites("SC-12", "SC-13", "SH-22", "SH-23")
HASHES: tuple[str, ...] = ("sm3", "sha256")
ALGORITHMS: tuple[str, ...] = ("SM2", "Ed25519", "P-256")


class CryptoError(ValueError):
    """A key, hash name or canonical form that cannot be used."""


_SAFE_INTEGER = 2**53 - 1


def _plain(obj: Any) -> bool:
    """True if ``obj`` holds only what the standard json module writes exactly as RFC 8785 does: strings of the Basic
    Multilingual Plane without surrogates (so that sorting by code point is sorting by UTF-16 code unit, §3.2.3),
    integers within ±(2**53 - 1), booleans, null, arrays and objects with string keys. Floats are left to rfc8785
    (ECMAScript number formatting differs from Python's)."""
    stack = [obj]
    while stack:
        item = stack.pop()
        kind = type(item)
        if kind is str:
            if not item.isascii() and any(ch > "\uffff" or "\ud800" <= ch <= "\udfff" for ch in item):
                return False
        elif kind is dict:
            for key, value in item.items():
                if type(key) is not str:
                    return False
                stack.append(key)
                stack.append(value)
        elif kind is list:
            stack.extend(item)
        elif kind is int:
            if not -_SAFE_INTEGER <= item <= _SAFE_INTEGER:
                return False
        elif item is not None and kind is not bool:
            return False
    return True


def canonical_json(obj: Any) -> bytes:
    """RFC 8785 bytes of ``obj`` (CryptoError for NaN, infinities and integers beyond ±2**53).

    Plain data (see ``_plain``; every instruction, event and tree head the registry signs) goes through the C-coded
    json module, which then writes the same bytes as RFC 8785 — the property tests check this against rfc8785 —
    at a fraction of the cost; anything else through rfc8785 itself."""
    if _plain(obj):
        return json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")
    try:
        return rfc8785.dumps(obj)
    except (rfc8785.CanonicalizationError, TypeError, UnicodeEncodeError) as exc:
        raise CryptoError(f"not canonicalisable as JSON: {exc}") from None


def digest(name: str, data: bytes) -> bytes:
    if name == "sm3":
        h = _ts_hashes.Hash(_ts_hashes.SM3())
        h.update(data)
        return h.finalize()
    if name == "sha256":
        return hashlib.sha256(data).digest()
    raise CryptoError(f"unknown hash {name!r} (expected one of {HASHES})")


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def unb64(text: str) -> bytes:
    try:
        return base64.b64decode(text.encode("ascii"), validate=True)
    except (ValueError, UnicodeEncodeError):
        raise CryptoError("not valid base64") from None


def generate_private_key(algorithm: str) -> str:
    """A new private key as PKCS#8 PEM."""
    if algorithm == "SM2":
        key = _ts_ec.generate_private_key(_ts_ec.SM2())
        pem = key.private_bytes(_ts_ser.Encoding.PEM, _ts_ser.PrivateFormat.PKCS8, _ts_ser.NoEncryption())
    elif algorithm == "Ed25519":
        pem = ed25519.Ed25519PrivateKey.generate().private_bytes(_ser.Encoding.PEM, _ser.PrivateFormat.PKCS8, _ser.NoEncryption())
    elif algorithm == "P-256":
        pem = _ec.generate_private_key(_ec.SECP256R1()).private_bytes(_ser.Encoding.PEM, _ser.PrivateFormat.PKCS8, _ser.NoEncryption())
    else:
        raise CryptoError(f"unknown signature algorithm {algorithm!r} (expected one of {ALGORITHMS})")
    return pem.decode("ascii")


def _load_private(algorithm: str, private_pem: str):
    try:
        if algorithm == "SM2":
            key = _ts_ser.load_pem_private_key(private_pem.encode("ascii"), None)
            if not isinstance(key.curve, _ts_ec.SM2):
                raise CryptoError("not an SM2 private key")
            return key
        if algorithm == "Ed25519":
            key = _ser.load_pem_private_key(private_pem.encode("ascii"), None)
            if not isinstance(key, ed25519.Ed25519PrivateKey):
                raise CryptoError("not an Ed25519 private key")
            return key
        if algorithm == "P-256":
            key = _ser.load_pem_private_key(private_pem.encode("ascii"), None)
            if not isinstance(key, _ec.EllipticCurvePrivateKey) or not isinstance(key.curve, _ec.SECP256R1):
                raise CryptoError("not a P-256 private key")
            return key
    except (ValueError, TypeError, UnicodeEncodeError, AttributeError, _CryptoUnsupported, _TongsuoUnsupported) as exc:
        raise CryptoError(f"cannot read the {algorithm} private key: {exc}") from None
    raise CryptoError(f"unknown signature algorithm {algorithm!r} (expected one of {ALGORITHMS})")


def _load_public(algorithm: str, public_pem: str):
    try:
        if algorithm == "SM2":
            key = _ts_ser.load_pem_public_key(public_pem.encode("ascii"))
            if not isinstance(getattr(key, "curve", None), _ts_ec.SM2):
                raise CryptoError("not an SM2 public key")
            return key
        if algorithm == "Ed25519":
            key = _ser.load_pem_public_key(public_pem.encode("ascii"))
            if not isinstance(key, ed25519.Ed25519PublicKey):
                raise CryptoError("not an Ed25519 public key")
            return key
        if algorithm == "P-256":
            key = _ser.load_pem_public_key(public_pem.encode("ascii"))
            if not isinstance(key, _ec.EllipticCurvePublicKey) or not isinstance(key.curve, _ec.SECP256R1):
                raise CryptoError("not a P-256 public key")
            return key
    except (ValueError, TypeError, UnicodeEncodeError, _CryptoUnsupported, _TongsuoUnsupported) as exc:
        raise CryptoError(f"cannot read the {algorithm} public key: {exc}") from None
    raise CryptoError(f"unknown signature algorithm {algorithm!r} (expected one of {ALGORITHMS})")


def public_key_pem(algorithm: str, private_pem: str) -> str:
    key = _load_private(algorithm, private_pem).public_key()
    if algorithm == "SM2":
        pem = key.public_bytes(_ts_ser.Encoding.PEM, _ts_ser.PublicFormat.SubjectPublicKeyInfo)
    else:
        pem = key.public_bytes(_ser.Encoding.PEM, _ser.PublicFormat.SubjectPublicKeyInfo)
    return pem.decode("ascii")


def normalise_public_key(algorithm: str, public_pem: str) -> str:
    """The PEM re-encoded from the parsed key (CryptoError if it is not a key of that algorithm)."""
    key = _load_public(algorithm, public_pem)
    if algorithm == "SM2":
        return key.public_bytes(_ts_ser.Encoding.PEM, _ts_ser.PublicFormat.SubjectPublicKeyInfo).decode("ascii")
    return key.public_bytes(_ser.Encoding.PEM, _ser.PublicFormat.SubjectPublicKeyInfo).decode("ascii")


def key_id(public_pem: str) -> str:
    """A key's identifier: the first 16 bytes of SM3 over its PEM text, in hex."""
    return digest("sm3", public_pem.strip().encode("ascii")).hex()[:32]


def sign(algorithm: str, private_pem: str, data: bytes) -> bytes:
    key = _load_private(algorithm, private_pem)
    if algorithm == "SM2":
        return key.sign(data, _ts_ec.ECDSA(_ts_hashes.SM3()))
    if algorithm == "P-256":
        return key.sign(data, _ec.ECDSA(_hashes.SHA256()))
    return key.sign(data)


def verify(algorithm: str, public_pem: str, signature: bytes, data: bytes) -> bool:
    """True if ``signature`` is the key's signature of ``data``; CryptoError only for an unreadable key."""
    key = _load_public(algorithm, public_pem)
    try:
        if algorithm == "SM2":
            key.verify(signature, data, _ts_ec.ECDSA(_ts_hashes.SM3()))
        elif algorithm == "P-256":
            key.verify(signature, data, _ec.ECDSA(_hashes.SHA256()))
        else:
            key.verify(signature, data)
    except (_TongsuoInvalid, _CryptoInvalid):
        return False
    except _TongsuoInternal:  # tongsuopy's answer to a signature that is not even DER: a bad signature too
        return False
    return True
