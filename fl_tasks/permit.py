"""Run permits: a coordinator-signed statement of what a training run may do.

Until the query issue's permits land, every run carries a signed run config: the
coordinator signs (Ed25519, ``cryptography``) a JSON payload naming the run, the hash of its
exact :class:`~fl_tasks.config.TrainConfig`, the digest of the initial global model (a
warm-start checkpoint's parameters; empty = the fresh head that config builds), the sites it
may use and an expiry. Each node checks the signature against the coordinator key it trusts,
that the config it is asked to run is the one signed, that it is listed, and that the permit
is still valid - and refuses to train otherwise. In round 1 it also checks that the global
parameters it receives are the signed initial model (:func:`parameters_digest`), so a
coordinator cannot start a permitted run from another model than the one the permit names.
"""

from __future__ import annotations

import base64
import hashlib
import json
import time
import uuid
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Sequence

import numpy as np
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey


class PermitError(PermissionError):
    """A node refuses a run: the permit is missing, forged, expired or does not cover this run."""


class InitialModelMismatch(PermitError):
    """Round 1's global parameters are not the initial model the permit signs."""


@dataclass(frozen=True)
class Permit:
    permit_id: str
    purpose: str
    config_sha256: str
    sites: tuple[str, ...]
    issued_at: float
    expires_at: float
    initial_sha256: str = ""  # parameters_digest of round 1's global model; "" = the config's fresh head


def config_digest(config_json: str) -> str:
    return hashlib.sha256(config_json.encode("utf-8")).hexdigest()


def parameters_digest(arrays: Sequence[np.ndarray]) -> str:
    """SHA-256 of a model's trainable parameters (shapes + float32 values, in wire order)."""
    h = hashlib.sha256()
    for a in arrays:
        a = np.ascontiguousarray(np.asarray(a, dtype="<f4"))
        h.update(json.dumps(list(a.shape)).encode("ascii"))
        h.update(a.tobytes())
    return h.hexdigest()


def generate_signing_key(path: Path) -> Ed25519PrivateKey:
    """Create the coordinator's signing key (PEM, 0600) and its public key beside it (``.pub``)."""
    key = Ed25519PrivateKey.generate()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                       serialization.NoEncryption()))
    path.chmod(0o600)
    path.with_suffix(".pub").write_bytes(public_pem(key.public_key()))
    return key


def public_pem(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)


def load_public_key(path: Path) -> Ed25519PublicKey:
    key = serialization.load_pem_public_key(Path(path).read_bytes())
    if not isinstance(key, Ed25519PublicKey):
        raise PermitError(f"{path}: not an Ed25519 public key; give the node the coordinator's .pub file")
    return key


def issue_permit(key: Ed25519PrivateKey, config_json: str, sites: list[str], purpose: str,
                 valid_seconds: float = 24 * 3600, initial_sha256: str = "") -> str:
    """Sign a permit for running ``config_json`` on ``sites``; returns the token (``payload.signature``).

    ``initial_sha256``: :func:`parameters_digest` of the initial global parameters when the run
    starts from a checkpoint (warm start); empty when it starts from the config's fresh head.
    """
    now = time.time()
    permit = Permit(permit_id=uuid.uuid4().hex, purpose=purpose, config_sha256=config_digest(config_json),
                    sites=tuple(sites), issued_at=now, expires_at=now + valid_seconds, initial_sha256=initial_sha256)
    payload = json.dumps(asdict(permit), sort_keys=True).encode("utf-8")
    return f"{_b64(payload)}.{_b64(key.sign(payload))}"


def verify_permit(token: str, trusted: Ed25519PublicKey, config_json: str, site_id: str,
                  now: float | None = None) -> Permit:
    """Check a permit token for this node and this run config; raise :class:`PermitError` if it fails."""
    try:
        payload_b64, sig_b64 = token.split(".")
        payload, signature = _unb64(payload_b64), _unb64(sig_b64)
    except (ValueError, AttributeError) as exc:
        raise PermitError("run permit is malformed (expected 'payload.signature'); ask the coordinator to reissue it") from exc
    try:
        trusted.verify(signature, payload)
    except InvalidSignature as exc:
        raise PermitError("run permit signature does not verify against the trusted coordinator key") from exc
    data = json.loads(payload)
    permit = Permit(**{**data, "sites": tuple(data["sites"])})
    if permit.config_sha256 != config_digest(config_json):
        raise PermitError(f"permit {permit.permit_id} was signed for another training configuration")
    if site_id not in permit.sites:
        raise PermitError(f"permit {permit.permit_id} does not cover site {site_id!r}")
    if (now or time.time()) > permit.expires_at:
        raise PermitError(f"permit {permit.permit_id} expired; ask the coordinator for a new one")
    return permit


def _b64(b: bytes) -> str:
    return base64.urlsafe_b64encode(b).decode("ascii").rstrip("=")


def _unb64(s: str) -> bytes:
    return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))
