"""Install the certificate the network operator returned (``fednode pki install``)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from node.identity.keys import CA_CERT, NEXT, NODE_CERT, NODE_CSR, NODE_KEY, SUPERNODE_KEY, SUPERNODE_PUB, \
    IdentityError, _write, load_key


def _public_bytes(key) -> bytes:
    return key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)


def verify_chain(cert: x509.Certificate, ca: x509.Certificate) -> None:
    """The certificate is signed by ``ca`` and ``ca`` is a self-signed CA."""
    try:
        ca.public_key().verify(cert.signature, cert.tbs_certificate_bytes, ec.ECDSA(cert.signature_hash_algorithm))
    except InvalidSignature:
        raise IdentityError("the certificate is not signed by the given network CA (ca.crt): "
                            "ask the network operator for the right pair") from None
    bc = ca.extensions.get_extension_for_class(x509.BasicConstraints).value
    if not bc.ca:
        raise IdentityError("ca.crt is not a CA certificate")


def install_certificate(folder: Path, cert_pem: bytes, ca_pem: bytes, site_id: str) -> Path:
    """Check the certificate (matches our key, pending rotation key, or fails; chains to ``ca``; site) and install it.

    Returns the installed certificate's path.
    """
    folder = Path(folder)
    try:
        cert = x509.load_pem_x509_certificate(cert_pem)
        ca = x509.load_pem_x509_certificate(ca_pem)
    except ValueError:
        raise IdentityError("the certificate or CA file is not PEM: pass the .crt files from `fedcoord nodes approve`") from None
    cn = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    if not cn or cn[0].value != site_id:
        raise IdentityError(f"the certificate is for {cn[0].value if cn else '?'!r}, this node is {site_id!r}")
    verify_chain(cert, ca)
    nxt = folder / NEXT
    if nxt.exists() and _public_bytes(load_key(nxt / NODE_KEY).public_key()) == _public_bytes(cert.public_key()):
        for name in (NODE_KEY, SUPERNODE_KEY, SUPERNODE_PUB, NODE_CSR):
            os.replace(nxt / name, folder / name)
        shutil.rmtree(nxt)
    elif _public_bytes(load_key(folder / NODE_KEY).public_key()) != _public_bytes(cert.public_key()):
        raise IdentityError("the certificate does not match this node's key (node.key): was it issued for "
                            "this node's latest node.csr?")
    _write(folder / NODE_CERT, cert_pem, 0o644)
    _write(folder / CA_CERT, ca_pem, 0o644)
    return folder / NODE_CERT
