"""The coordinator's Ed25519 signing key (permits and query requests).

Stored as an unencrypted PKCS#8 PEM file with mode 0600 in the coordinator's
folder (``coordinator.key``). Nodes are configured with the public key
(``[query] coordinator_public_key``, base64 of the 32 raw bytes), which
``fedcoord permit key`` prints.
"""

from __future__ import annotations

import os
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

KEY_FILE = "coordinator.key"


class CoordinatorKeyError(RuntimeError):
    """The coordinator key cannot be read or created; the message says which file and what to do."""


def load_or_create_key(folder: Path, create: bool = True) -> Ed25519PrivateKey:
    """The coordinator key in ``folder`` (created 0600 when missing and ``create``)."""
    path = Path(folder) / KEY_FILE
    if path.exists():
        try:
            key = serialization.load_pem_private_key(path.read_bytes(), password=None)
        except (ValueError, TypeError) as exc:
            raise CoordinatorKeyError(f"{path} is not a PEM Ed25519 private key ({exc.__class__.__name__}): restore it "
                            "from backup; a new key invalidates every issued permit") from None
        if not isinstance(key, Ed25519PrivateKey):
            raise CoordinatorKeyError(f"{path} holds a {type(key).__name__}, not an Ed25519 key")
        return key
    if not create:
        raise CoordinatorKeyError(f"no coordinator key at {path}: run `fedcoord permit key --dir {folder}` first")
    path.parent.mkdir(parents=True, exist_ok=True)
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(pem)
    return key
