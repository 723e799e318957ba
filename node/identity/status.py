"""What ``fednode status`` reports about the node's identity (no secrets)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes

from node.identity.keys import CA_CERT, NEXT, NODE_CERT, NODE_CSR, NODE_KEY

RENEW_DAYS = 30


def certificate_status(folder: Path, now: dt.datetime | None = None) -> dict[str, Any]:
    """State of the node's key and certificate: ``missing``, ``awaiting_approval``, ``valid``, ``expiring`` or ``expired``."""
    folder = Path(folder)
    now = now or dt.datetime.now(dt.timezone.utc)
    out: dict[str, Any] = {"folder": str(folder), "key": (folder / NODE_KEY).exists(),
                           "rotation_pending": (folder / NEXT / NODE_CSR).exists()}
    if not out["key"]:
        return {**out, "state": "missing", "next_step": "run `fednode init`"}
    if not (folder / NODE_CERT).exists():
        return {**out, "state": "awaiting_approval",
                "next_step": f"send {folder / NODE_CSR} to the network operator (`fedcoord nodes approve`), "
                             "then `fednode pki install --cert SITE.crt --ca ca.crt`"}
    cert = x509.load_pem_x509_certificate((folder / NODE_CERT).read_bytes())
    days_left = (cert.not_valid_after_utc - now).total_seconds() / 86400
    state = "expired" if days_left <= 0 else "expiring" if days_left < RENEW_DAYS else "valid"
    out.update(state=state, serial=format(cert.serial_number, "x"), not_after=cert.not_valid_after_utc.isoformat(),
               days_left=round(days_left, 1), fingerprint=cert.fingerprint(hashes.SHA256()).hex())
    if (folder / CA_CERT).exists():
        ca = x509.load_pem_x509_certificate((folder / CA_CERT).read_bytes())
        out["ca"] = ca.subject.rfc4514_string()
        out["ca_not_after"] = ca.not_valid_after_utc.isoformat()
    if state != "valid":
        out["next_step"] = "rotate: `fednode pki rotate`, send next/node.csr for approval, then `fednode pki install`"
    return out
