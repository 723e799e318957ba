"""Secure-sum keys bound to the network PKI, so the coordinator cannot substitute a participant's key.

The coordinator collects the nodes' X25519 keys (``hello``) and lists them in the
signed request. If it could list a key of its own for site ``b``, node ``a``'s
pair mask with "``b``" would be one the coordinator can compute, and ``a``'s
masked value would open up. So each enrolled node signs its X25519 key with its
network identity key (``node.key``, the key of the certificate the network CA
issued it, see :mod:`node.identity`) and sends the signature with its
certificate; every other node checks, before it spends anything, that

1. the certificate is signed by the network CA this node trusts (its ``ca.crt``),
   is valid now, and is issued to exactly that site id (subject CN);
2. the X25519 key listed for that site is the one the certificate's key signed.

``[query] participant_key_certificates``: ``auto`` (default) requires this of every
other participant as soon as this node has its own certificate installed (every
deployed node does: the SuperLink needs it), ``required`` always (a node without a
certificate then refuses every count), ``off`` never (single-machine demos).
What remains: whoever controls the network CA could issue a second certificate for
a site; every answer's audit entry records the fingerprints of the certificates the
node accepted, so such a certificate is evidence (docs/queries.md).
"""

from __future__ import annotations

import base64
import datetime as dt
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from node.governance.permits import KeyCertificate
from node.query.masking import ParticipantKeyError

CONTEXT = b"fednet-securesum-key-v1\n"


def _message(site_id: str, public_b64: str) -> bytes:
    return CONTEXT + site_id.encode("utf-8") + b"\n" + public_b64.encode("ascii")


def load_network_ca(pki_dir: Path | None) -> x509.Certificate | None:
    """The network CA certificate this node trusts (``ca.crt``), if installed."""
    if pki_dir is None:
        return None
    path = Path(pki_dir) / "ca.crt"
    try:
        return x509.load_pem_x509_certificate(path.read_bytes())
    except (OSError, ValueError):
        return None


def make_key_certificate(pki_dir: Path | None, site_id: str, public_b64: str) -> KeyCertificate | None:
    """This node's key certificate, if it has a certificate (``node.crt``) matching its ``node.key``."""
    if pki_dir is None:
        return None
    from cryptography.hazmat.primitives import serialization

    from node.identity.keys import NODE_CERT, IdentityError, load_key

    folder = Path(pki_dir)
    try:
        cert_pem = (folder / NODE_CERT).read_bytes()
        cert = x509.load_pem_x509_certificate(cert_pem)
        key = load_key(folder / "node.key")
    except (OSError, ValueError, IdentityError):
        return None
    spki = serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    if key.public_key().public_bytes(*spki) != cert.public_key().public_bytes(*spki):
        return None  # a certificate of another key (e.g. mid-rotation): do not claim it
    signature = key.sign(_message(site_id, public_b64), ec.ECDSA(hashes.SHA384()))
    return KeyCertificate(certificate=cert_pem.decode("ascii"), signature=base64.b64encode(signature).decode("ascii"))


def verify_key_certificate(site_id: str, public_b64: str, cert: KeyCertificate | None, ca: x509.Certificate,
                           now: dt.datetime) -> str:
    """Check that ``public_b64`` is ``site_id``'s secure-sum key, certified by the network CA.

    Returns
    -------
    str
        The SHA-256 fingerprint of the participant's certificate (for the audit log).

    Raises
    ------
    ParticipantKeyError
        If there is no certificate, it does not chain to ``ca``, is expired, names another
        site, or did not sign this key.
    """
    from node.identity.install import verify_chain
    from node.identity.keys import IdentityError

    if cert is None:
        raise ParticipantKeyError(site_id, "no key certificate: its secure-sum key is not bound to a network "
                                           "certificate (is the node enrolled, `fednode pki install`?)")
    try:
        parsed = x509.load_pem_x509_certificate(cert.certificate.encode("ascii"))
    except (ValueError, UnicodeEncodeError):
        raise ParticipantKeyError(site_id, "its key certificate is not a PEM certificate") from None
    try:
        verify_chain(parsed, ca)
    except (IdentityError, ValueError, TypeError, x509.ExtensionNotFound):
        raise ParticipantKeyError(site_id, "its certificate is not issued by this network's CA") from None
    if not parsed.not_valid_before_utc <= now <= parsed.not_valid_after_utc:
        raise ParticipantKeyError(site_id, "its certificate is not valid now (expired or not yet valid)")
    cn = parsed.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    if not cn or cn[0].value != site_id:
        raise ParticipantKeyError(site_id, f"its certificate is issued to {cn[0].value if cn else '?'!r}, not to it")
    public = parsed.public_key()
    if not isinstance(public, ec.EllipticCurvePublicKey):
        raise ParticipantKeyError(site_id, "its certificate does not hold an EC key")
    try:
        public.verify(base64.b64decode(cert.signature, validate=True), _message(site_id, public_b64),
                      ec.ECDSA(hashes.SHA384()))
    except (InvalidSignature, ValueError):
        raise ParticipantKeyError(site_id, "the secure-sum key listed for it is not the one its certificate "
                                           "signed (substituted key)") from None
    return parsed.fingerprint(hashes.SHA256()).hex()
