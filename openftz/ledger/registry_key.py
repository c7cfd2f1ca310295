"""The registry's own signing keys. They are never committed.

- the registry key signs tree heads: ``OPENFTZ_REGISTRY_KEY`` (a PKCS#8 PEM) with ``OPENFTZ_REGISTRY_KEY_ALGORITHM``
  (SM2, Ed25519 or P-256; default SM2);
- the platform key signs the registry's DCSA PINT envelopes and answers as a JWS: ``OPENFTZ_PINT_KEY`` with
  ``OPENFTZ_PINT_KEY_ALGORITHM`` (Ed25519 or P-256, the algorithms of PINT, or SM2 between domestic platforms that
  agree on it; default Ed25519).

Without the variables each is generated on first use under ``var/<name>-<alg>.pem`` (mode 0600).
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache

from django.conf import settings

from openftz.core import crypto
from openftz.core.citations import cites

CITES = cites("SH-24")


@dataclass(frozen=True)
class RegistryKey:
    algorithm: str
    private_pem: str
    public_pem: str
    kid: str

    def sign(self, data: bytes) -> bytes:
        return crypto.sign(self.algorithm, self.private_pem, data)


def _load_or_create(name: str, variable: str, default: str, allowed: tuple[str, ...]) -> RegistryKey:
    algorithm = os.environ.get(f"{variable}_ALGORITHM", default)
    if algorithm not in allowed:
        raise crypto.CryptoError(f"{variable}_ALGORITHM must be one of {allowed}")
    pem = os.environ.get(variable)
    if not pem:
        path = settings.VAR_DIR / f"{name}-{algorithm.lower()}.pem"
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pem = path.read_text(encoding="ascii")
        else:
            pem = crypto.generate_private_key(algorithm)
            with os.fdopen(fd, "w") as fh:
                fh.write(pem)
    public = crypto.public_key_pem(algorithm, pem)
    return RegistryKey(algorithm, pem, public, crypto.key_id(public))


@cache
def registry_key() -> RegistryKey:
    return _load_or_create("registry-key", "OPENFTZ_REGISTRY_KEY", "SM2", crypto.ALGORITHMS)


@cache
def platform_key() -> RegistryKey:
    return _load_or_create("pint-key", "OPENFTZ_PINT_KEY", "Ed25519", ("Ed25519", "P-256", "SM2"))
