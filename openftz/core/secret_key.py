"""Django's SECRET_KEY: from ``OPENFTZ_SECRET_KEY``, or else from a random key file under ``var/`` — never a constant.

``make setup`` writes the file (``python -m openftz.core.secret_key``); settings read it. This module imports no Django
settings, so that it can run before there is a key to start Django with.
"""
from __future__ import annotations

import os
import secrets
import string
import sys
from pathlib import Path

VARIABLE = "OPENFTZ_SECRET_KEY"
FILE_NAME = "secret_key"
# Django's own deploy check (security.W009) asks for at least 50 characters, 5 of them different
MIN_LENGTH = 50
MIN_UNIQUE = 5
# letters, digits, "-" and "_": 6 bits a character, 384 bits in all, and nothing a shell, an .env file or compose's
# interpolation would read as syntax (Django's own generator also draws "$", "&", "(" …)
ALPHABET = string.ascii_letters + string.digits + "-_"
GENERATED_LENGTH = 64


class SecretKeyError(Exception):
    """No usable key: the message says what to do."""


def var_dir(environ: dict | None = None) -> Path:
    """Where the project keeps its files: ``OPENFTZ_VAR_DIR``, else ``var/`` beside ``manage.py``."""
    environ = os.environ if environ is None else environ
    return Path(environ.get("OPENFTZ_VAR_DIR", Path(__file__).resolve().parents[2] / "var"))


def key_path(directory: Path) -> Path:
    return Path(directory) / FILE_NAME


def generate() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(GENERATED_LENGTH))


def check(key: str, source: str) -> str:
    if len(key) < MIN_LENGTH or len(set(key)) < MIN_UNIQUE:
        raise SecretKeyError(
            f"the secret key from {source} is too weak (密钥强度不足): it has {len(key)} characters ({len(set(key))} different); "
            f"at least {MIN_LENGTH} ({MIN_UNIQUE} different) are required. Generate one with "
            f"`python -m openftz.core.secret_key --print`.")
    return key


def load(directory: Path, environ: dict | None = None) -> str:
    """The key from the environment, else from the key file; refuses a missing or weak key."""
    environ = os.environ if environ is None else environ
    if environ.get(VARIABLE):
        return check(environ[VARIABLE], VARIABLE)
    path = key_path(directory)
    try:
        key = path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        raise SecretKeyError(
            f"no secret key (未设置密钥): set {VARIABLE} (at least {MIN_LENGTH} random characters), or run `make setup`, "
            f"which writes a random key to {path} (mode 0600).") from None
    return check(key, str(path))


def ensure_file(directory: Path) -> tuple[Path, bool]:
    """Write a random key file (mode 0600) unless one exists; returns (path, created).

    The key is written to a private temporary file first, then linked into place: a reader never sees a half-written
    key, and of two processes creating it at once, the second keeps the first one's key.
    """
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    path = key_path(directory)
    if path.exists():
        return path, False
    tmp = directory / f".{FILE_NAME}.{os.getpid()}.{secrets.token_hex(4)}"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="ascii") as fh:
            fh.write(generate() + "\n")
            fh.flush()
            os.fsync(fh.fileno())
        try:
            os.link(tmp, path)
        except FileExistsError:
            return path, False
        return path, True
    finally:
        tmp.unlink(missing_ok=True)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv == ["--print"]:
        print(generate())
        return 0
    if argv:
        print("usage: python -m openftz.core.secret_key [--print]", file=sys.stderr)
        return 2
    if os.environ.get(VARIABLE):
        print(f"{VARIABLE} is set; no key file is needed")
        return 0
    path, created = ensure_file(var_dir())
    print(f"{'wrote a new' if created else 'kept the'} secret key file {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
