"""The site secret: keys surrogates, date shifts and pseudonyms. It never leaves the node."""

from __future__ import annotations

import os
import secrets
import stat
from pathlib import Path

SECRET_BYTES = 32


class SecretError(RuntimeError):
    """The site secret is missing, unreadable or too widely readable."""


def create_site_secret(path: Path) -> bytes:
    """Create a new random secret at ``path`` with mode 0600 (fails if it exists)."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    value = secrets.token_bytes(SECRET_BYTES)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(value.hex().encode() + b"\n")
    return value


def load_site_secret(path: Path) -> bytes:
    """Read the secret; refuse one that others can read (it would let them re-identify)."""
    if not path.exists():
        raise SecretError(f"no site secret at {path}: run `fednode init` first")
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        raise SecretError(f"site secret {path} has mode {oct(mode)}: run `chmod 600 {path}`")
    try:
        value = bytes.fromhex(path.read_text().strip())
    except ValueError:
        raise SecretError(f"site secret {path} is not hex: restore it from backup") from None
    if len(value) < 16:
        raise SecretError(f"site secret {path} is too short ({len(value)} bytes; need >= 16)")
    return value


def load_or_create_site_secret(path: Path) -> bytes:
    return load_site_secret(path) if path.exists() else create_site_secret(path)
