"""Writing key material: atomically, with restrictive permissions."""

from __future__ import annotations

import os
import stat
from pathlib import Path


class PKIError(RuntimeError):
    """A PKI operation cannot proceed; the message names the file or node and what to do."""


def write_private(path: Path, data: bytes) -> None:
    """Write a secret (private key) with mode 0600; refuse to overwrite an existing one."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise PKIError(f"{path} already exists: refusing to overwrite a private key (move it away first)") from None
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)


def write_public(path: Path, data: bytes) -> None:
    """Write a public file (certificate, CSR, CRL, registry) atomically, mode 0644."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    os.chmod(tmp, 0o644)
    os.replace(tmp, path)


def check_private(path: Path) -> None:
    """Refuse a private key that group or others can read."""
    if not path.exists():
        raise PKIError(f"no key at {path}")
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        raise PKIError(f"{path} has mode {oct(mode)}: run `chmod 600 {path}`")
