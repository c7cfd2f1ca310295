"""The registry's own signing key, which signs tree heads. It is never committed.

``OPENFTZ_REGISTRY_KEY`` (a PKCS#8 PEM) with ``OPENFTZ_REGISTRY_KEY_ALGORITHM`` (SM2 or Ed25519, default SM2) supply
it from the environment; otherwise it is generated on first use under ``var/registry-key-<alg>.pem`` (mode 0600).
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


@cache
def registry_key() -> RegistryKey:
    algorithm = os.environ.get("OPENFTZ_REGISTRY_KEY_ALGORITHM", "SM2")
    if algorithm not in crypto.ALGORITHMS:
        raise crypto.CryptoError(f"OPENFTZ_REGISTRY_KEY_ALGORITHM must be one of {crypto.ALGORITHMS}")
    pem = os.environ.get("OPENFTZ_REGISTRY_KEY")
    if not pem:
        path = settings.VAR_DIR / f"registry-key-{algorithm.lower()}.pem"
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
