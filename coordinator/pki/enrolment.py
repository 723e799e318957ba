"""Approve, rotate and revoke node certificates (``fedcoord nodes ...``).

Approval checks the CSR (its own signature, a site id as common name, an EC
key on a NIST curve), signs it with the network CA, registers the node and its
SuperNode public key (the same EC key, in OpenSSH form, which the SuperLink's
``flwr supernode register`` takes), and writes ``<site>.crt`` and
``<site>.supernode.pub`` to send back / register.

Approving a new CSR for a site that already has an active certificate is a
*rotation*: the old certificate is marked ``superseded`` and put on the CRL.
Revocation marks it ``revoked`` and re-signs the CRL; TLS servers built with
:mod:`coordinator.pki.tls` then refuse it at the handshake.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from coordinator.pki.ca import NetworkCA, cert_pem, fingerprint
from coordinator.pki.files import PKIError, write_public
from coordinator.pki.registry import NodeCertificate, NodeRegistry

_SITE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,62}$")
_NIST = (ec.SECP256R1, ec.SECP384R1, ec.SECP521R1)


@dataclass(frozen=True)
class Approval:
    record: NodeCertificate
    cert_path: Path
    supernode_key_path: Path
    superseded: list[str]


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def read_csr(data: bytes, source: str = "CSR") -> tuple[x509.CertificateSigningRequest, str]:
    """Parse and check a node CSR; returns it and its site id.

    Raises
    ------
    PKIError
        Not a PEM CSR, a bad self-signature, no valid site id, or a non-EC key.
    """
    try:
        csr = x509.load_pem_x509_csr(data)
    except ValueError:
        raise PKIError(f"{source} is not a PEM certificate request: send the node's node.csr (from `fednode init`)") from None
    if not csr.is_signature_valid:
        raise PKIError(f"{source}: its signature does not match its key (corrupted or forged)")
    names = csr.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    site_id = str(names[0].value) if names else ""
    if not _SITE.match(site_id):
        raise PKIError(f"{source}: common name {site_id!r} is not a site id (lower-case letters, digits, - and _)")
    key = csr.public_key()
    if not isinstance(key, ec.EllipticCurvePublicKey) or not isinstance(key.curve, _NIST):
        raise PKIError(f"{source}: the key must be EC on a NIST curve (P-256/384/521), as `fednode init` makes")
    return csr, site_id


def supernode_public_key(csr_or_cert) -> str:
    """The node's public key in OpenSSH form (what ``flwr supernode register`` reads)."""
    return csr_or_cert.public_key().public_bytes(serialization.Encoding.OpenSSH,
                                                 serialization.PublicFormat.OpenSSH).decode("ascii")


def approve(ca: NetworkCA, csr_pem: bytes, *, expected_site: str | None = None, days: float = 365,
            source: str = "CSR") -> Approval:
    """Sign a node's CSR, register it (rotating out an older certificate) and write its files."""
    csr, site_id = read_csr(csr_pem, source)
    if expected_site and site_id != expected_site:
        raise PKIError(f"{source} is for site {site_id!r}, not {expected_site!r}: check which node sent it")
    registry = NodeRegistry(ca.folder)
    records = registry.all()
    ssh_key = supernode_public_key(csr)
    for r in records:
        if r.status == "active" and r.supernode_public_key == ssh_key:
            raise PKIError(f"{source}: this key already has an active certificate for {r.site_id}; "
                           "a rotation needs a new key (`fednode pki rotate`)")
    cert = ca.issue_node_certificate(csr, site_id, days=days)
    now = _now()
    superseded = []
    for r in records:
        if r.site_id == site_id and r.status == "active":
            r.status, r.revoked_at, r.reason = "superseded", now, "rotated"
            superseded.append(r.serial)
    record = NodeCertificate(site_id=site_id, serial=format(cert.serial_number, "x"), fingerprint=fingerprint(cert),
                             not_after=cert.not_valid_after_utc, approved_at=now, supernode_public_key=ssh_key)
    records.append(record)
    registry.save(records)
    if superseded:
        ca.write_crl(registry.revoked_serials())
    issued = ca.folder / "issued"
    cert_path, key_path = issued / f"{site_id}.crt", issued / f"{site_id}.supernode.pub"
    write_public(cert_path, cert_pem(cert))
    write_public(key_path, (ssh_key + f" {site_id}\n").encode("ascii"))
    return Approval(record, cert_path, key_path, superseded)


def revoke(ca: NetworkCA, site_id: str, reason: str = "revoked by the operator") -> list[NodeCertificate]:
    """Revoke every active certificate of ``site_id`` and re-sign the CRL.

    Raises
    ------
    PKIError
        If the site has no active certificate.
    """
    registry = NodeRegistry(ca.folder)
    records = registry.all()
    hit = [r for r in records if r.site_id == site_id and r.status == "active"]
    if not hit:
        known = ", ".join(registry.sites()) or "none"
        raise PKIError(f"site {site_id!r} has no active certificate (known sites: {known})")
    now = _now()
    for r in hit:
        r.status, r.revoked_at, r.reason = "revoked", now, reason
    registry.save(records)
    ca.write_crl(registry.revoked_serials())
    return hit
