"""Issuing permits: the coordinator signs what a data-access body granted."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Iterable

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from node.governance.permits import Permit, SignedPermit, sign_permit


def issue_permit(key: Ed25519PrivateKey, *, requester: str, purpose: str, allowed_fields: Iterable[str],
                 epsilon_budget: float, sites: Iterable[str], valid_days: float = 30.0,
                 per_site_results: bool = False, permit_id: str | None = None,
                 now: dt.datetime | None = None) -> SignedPermit:
    """Create and sign a permit.

    Parameters
    ----------
    key:
        The coordinator's signing key.
    requester:
        Who may ask (an account id; recorded in every node's audit log).
    purpose:
        One of the EHDS purposes (:data:`node.governance.permits.Purpose`).
    allowed_fields:
        Query fields the requester may use (conditions and breakdowns).
    epsilon_budget:
        Total ε the requester may spend *at each site* under this permit.
    sites:
        Site ids the permit covers.
    valid_days:
        Validity from ``now``.
    per_site_results:
        Whether nodes may release their own (noisy, thresholded) counts; otherwise
        only the secure-sum total is learned.

    Raises
    ------
    pydantic.ValidationError
        If a value is invalid (unknown purpose or field, non-positive budget...).
    """
    now = now or dt.datetime.now(dt.timezone.utc)
    permit = Permit(
        permit_id=permit_id or f"permit-{uuid.uuid4().hex[:16]}",
        requester=requester, purpose=purpose, allowed_fields=list(allowed_fields),
        epsilon_budget=epsilon_budget, sites=sorted(set(sites)), per_site_results=per_site_results,
        issued_at=now, expires_at=now + dt.timedelta(days=valid_days),
    )
    return sign_permit(key, permit)
