"""Node key pair and certificate signing request.

Files in the node's PKI folder (``[deploy] pki_dir``, default ``<data_dir>/pki``):

- ``node.key`` (0600): EC P-384 private key, PKCS#8 PEM (TLS client identity).
- ``supernode.key`` (0600) / ``supernode.pub``: the *same* key in OpenSSH form,
  which ``flower-supernode --auth-supernode-private-key`` reads; the
  coordinator registers the public half when it approves the CSR.
- ``node.csr``: the request to send to the network operator (public).
- ``node.crt`` / ``ca.crt``: installed after approval (``fednode pki install``).

A rotation (``fednode pki rotate``) writes a new key and CSR under ``next/``;
installing the new certificate moves them into place.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

NODE_KEY, NODE_CSR, NODE_CERT, CA_CERT = "node.key", "node.csr", "node.crt", "ca.crt"
SUPERNODE_KEY, SUPERNODE_PUB = "supernode.key", "supernode.pub"
NEXT = "next"


class IdentityError(RuntimeError):
    """The node's keys or certificates are missing or wrong; the message says what to do."""


@dataclass(frozen=True)
class Identity:
    folder: Path
    created: bool

    @property
    def csr_path(self) -> Path:
        return self.folder / NODE_CSR


def _write(path: Path, data: bytes, mode: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    os.chmod(tmp, mode)
    os.replace(tmp, path)


def _write_key_set(folder: Path, site_id: str, site_name: str) -> None:
    key = ec.generate_private_key(ec.SECP384R1())
    _write(folder / NODE_KEY, key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                serialization.NoEncryption()), 0o600)
    _write(folder / SUPERNODE_KEY, key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.OpenSSH,
                                                     serialization.NoEncryption()), 0o600)
    pub = key.public_key().public_bytes(serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH)
    _write(folder / SUPERNODE_PUB, pub + f" {site_id}\n".encode(), 0o644)
    # The CSR carries only the site id (and a generic unit): the hospital's name stays on the node.
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, site_id),
                         x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, "fednet node")])
    csr = x509.CertificateSigningRequestBuilder().subject_name(subject).sign(key, hashes.SHA384())
    _write(folder / NODE_CSR, csr.public_bytes(serialization.Encoding.PEM), 0o644)


def create_identity(folder: Path, site_id: str, site_name: str = "") -> Identity:
    """Create the node key and CSR in ``folder`` unless a key is already there (idempotent)."""
    folder = Path(folder)
    if (folder / NODE_KEY).exists():
        return Identity(folder, created=False)
    _write_key_set(folder, site_id, site_name)
    return Identity(folder, created=True)


def start_rotation(folder: Path, site_id: str) -> Path:
    """Write a new key and CSR under ``next/`` (the current certificate stays in use); returns the CSR."""
    folder = Path(folder)
    if not (folder / NODE_KEY).exists():
        raise IdentityError(f"no node key in {folder}: run `fednode init` first")
    nxt = folder / NEXT
    if nxt.exists():
        shutil.rmtree(nxt)
    _write_key_set(nxt, site_id, "")
    return nxt / NODE_CSR


def load_key(path: Path) -> ec.EllipticCurvePrivateKey:
    if not path.exists():
        raise IdentityError(f"no node key at {path}: run `fednode init`")
    if os.stat(path).st_mode & 0o077:
        raise IdentityError(f"{path} is readable by others: run `chmod 600 {path}`")
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, ec.EllipticCurvePrivateKey):
        raise IdentityError(f"{path} is not an EC key")
    return key
