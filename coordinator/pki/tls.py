"""Mutual-TLS contexts on the network CA, with revocation checked at connection.

Two layers refuse a node:

1. The TLS handshake itself (:func:`server_context`): the client certificate
   must chain to the network CA (a certificate from any other CA fails) and
   must not be on the CRL (``VERIFY_CRL_CHECK_LEAF``).
2. :class:`NodeGate`, after the handshake: the certificate's serial must be an
   *active* entry of the node registry, read at every connection, so a
   revocation applies at once even to a server whose context predates the CRL.

The SuperLink (Flower) authenticates SuperNodes by their registered EC key
instead of client certificates; :mod:`coordinator.pki.enrolment` registers the
same key, and revocation must also ``flwr supernode unregister`` it (the CLI
prints the command).
"""

from __future__ import annotations

import ssl
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509

from coordinator.pki.ca import CA_CERT, CRL, SERVER_CERT, SERVER_KEY
from coordinator.pki.registry import NodeCertificate, NodeRegistry
from node.identity.connection import client_context  # noqa: F401  (the node side, re-exported for tests)


class NodeRefused(PermissionError):
    """A connecting node passed TLS but is not an active node of the registry."""


def server_context(pki_dir: Path) -> ssl.SSLContext:
    """A TLS server context that requires a client certificate of the network CA, not revoked."""
    pki_dir = Path(pki_dir)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    ctx.load_cert_chain(pki_dir / SERVER_CERT, pki_dir / SERVER_KEY)
    ctx.load_verify_locations(cafile=str(pki_dir / CA_CERT))
    ctx.verify_mode = ssl.CERT_REQUIRED
    if (pki_dir / CRL).exists():
        ctx.load_verify_locations(cafile=str(pki_dir / CRL))
        ctx.verify_flags |= ssl.VERIFY_CRL_CHECK_LEAF
    return ctx


@dataclass
class NodeGate:
    """Checks a connected peer against the node registry (layer 2)."""

    pki_dir: Path

    def check(self, tls_socket: ssl.SSLSocket) -> NodeCertificate:
        der = tls_socket.getpeercert(binary_form=True)
        if not der:
            raise NodeRefused("no client certificate presented")
        cert = x509.load_der_x509_certificate(der)
        record = NodeRegistry(self.pki_dir).by_serial(cert.serial_number)
        if record is None:
            raise NodeRefused(f"certificate {cert.serial_number:x} is not in the node registry")
        if record.status != "active":
            raise NodeRefused(f"certificate of {record.site_id} is {record.status} ({record.reason})")
        return record
