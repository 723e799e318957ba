"""The network certificate authority (``fedcoord pki init``).

Files in the PKI folder:

- ``ca.key`` (0600) / ``ca.crt``: the network CA (EC P-384, 10 years by default).
- ``superlink.key`` (0600) / ``superlink.crt``: the SuperLink's TLS server certificate.
- ``crl.pem``: the certificate revocation list, re-signed on every revocation.

Node certificates are client certificates (``clientAuth``) whose subject
common name is the node's site id.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from coordinator.pki.files import PKIError, check_private, write_private, write_public

CA_KEY, CA_CERT, CRL = "ca.key", "ca.crt", "crl.pem"
SERVER_KEY, SERVER_CERT = "superlink.key", "superlink.crt"
CURVE = ec.SECP384R1


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def new_key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(CURVE())


def key_pem(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


def cert_pem(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


def fingerprint(cert: x509.Certificate) -> str:
    return cert.fingerprint(hashes.SHA256()).hex()


@dataclass
class NetworkCA:
    """The network CA loaded from its folder."""

    folder: Path
    key: ec.EllipticCurvePrivateKey
    cert: x509.Certificate

    @property
    def name(self) -> str:
        return self.cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value

    # -- issuing ----------------------------------------------------------------------------
    def _builder(self, subject: x509.Name, public_key, days: float) -> x509.CertificateBuilder:
        now = _now()
        return (x509.CertificateBuilder().subject_name(subject).issuer_name(self.cert.subject)
                .public_key(public_key).serial_number(x509.random_serial_number())
                .not_valid_before(now - dt.timedelta(minutes=5)).not_valid_after(now + dt.timedelta(days=days))
                .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
                .add_extension(x509.KeyUsage(digital_signature=True, key_encipherment=False, content_commitment=False,
                                             data_encipherment=False, key_agreement=True, key_cert_sign=False,
                                             crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
                .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
                .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(self.key.public_key()),
                               critical=False))

    def issue_node_certificate(self, csr: x509.CertificateSigningRequest, site_id: str,
                               days: float = 365) -> x509.Certificate:
        """Sign a node's CSR as a client certificate for ``site_id`` (its subject CN)."""
        subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, site_id),
                             x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, "fednet node")])
        builder = self._builder(subject, csr.public_key(), days).add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CLIENT_AUTH]), critical=False)
        return builder.sign(self.key, hashes.SHA384())

    def issue_server_certificate(self, hostnames: Iterable[str], days: float = 825) -> tuple[bytes, x509.Certificate]:
        """A TLS server key and certificate for the SuperLink / coordinator service."""
        hostnames = list(hostnames)
        key = new_key()
        alt: list[x509.GeneralName] = []
        for host in hostnames:
            try:
                alt.append(x509.IPAddress(ipaddress.ip_address(host)))
            except ValueError:
                alt.append(x509.DNSName(host))
        subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, hostnames[0])])
        cert = (self._builder(subject, key.public_key(), days)
                .add_extension(x509.SubjectAlternativeName(alt), critical=False)
                .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
                .sign(self.key, hashes.SHA384()))
        return key_pem(key), cert

    # -- revocation -------------------------------------------------------------------------
    def write_crl(self, revoked: Iterable[tuple[int, dt.datetime]], days: float = 30) -> Path:
        """Re-sign the CRL with every revoked serial; returns its path."""
        now = _now()
        builder = (x509.CertificateRevocationListBuilder().issuer_name(self.cert.subject)
                   .last_update(now - dt.timedelta(minutes=5)).next_update(now + dt.timedelta(days=days)))
        for serial, when in revoked:
            builder = builder.add_revoked_certificate(
                x509.RevokedCertificateBuilder().serial_number(serial).revocation_date(when).build())
        crl = builder.sign(self.key, hashes.SHA384())
        path = self.folder / CRL
        write_public(path, crl.public_bytes(serialization.Encoding.PEM))
        return path

    def load_crl(self) -> x509.CertificateRevocationList | None:
        path = self.folder / CRL
        return x509.load_pem_x509_crl(path.read_bytes()) if path.exists() else None


def init_ca(folder: Path, network: str, *, server_hosts: Iterable[str] = ("localhost", "127.0.0.1"),
            days: float = 3650) -> NetworkCA:
    """Create the network CA, an empty CRL and the SuperLink's server certificate in ``folder``.

    Raises
    ------
    PKIError
        If a CA already exists there (a new CA would orphan every node certificate).
    """
    folder = Path(folder)
    if (folder / CA_KEY).exists():
        raise PKIError(f"a network CA already exists in {folder}: keep it (every node certificate chains to it)")
    key = new_key()
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, f"{network} network CA"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, network)])
    now = _now()
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(minutes=5))
            .not_valid_after(now + dt.timedelta(days=days))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, key_encipherment=False, content_commitment=False,
                                         data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                         crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .sign(key, hashes.SHA384()))
    write_private(folder / CA_KEY, key_pem(key))
    write_public(folder / CA_CERT, cert_pem(cert))
    ca = NetworkCA(folder, key, cert)
    ca.write_crl([])
    server_key, server_cert = ca.issue_server_certificate(server_hosts)
    write_private(folder / SERVER_KEY, server_key)
    write_public(folder / SERVER_CERT, cert_pem(server_cert))
    return ca


def load_ca(folder: Path) -> NetworkCA:
    """Load the CA from ``folder`` (``PKIError`` if missing or too widely readable)."""
    folder = Path(folder)
    if not (folder / CA_KEY).exists():
        raise PKIError(f"no network CA in {folder}: run `fedcoord pki init` first")
    check_private(folder / CA_KEY)
    key = serialization.load_pem_private_key((folder / CA_KEY).read_bytes(), password=None)
    cert = x509.load_pem_x509_certificate((folder / CA_CERT).read_bytes())
    if not isinstance(key, ec.EllipticCurvePrivateKey):
        raise PKIError(f"{folder / CA_KEY} is not an EC private key")
    return NetworkCA(folder, key, cert)
