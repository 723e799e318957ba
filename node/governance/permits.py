"""Data permits and signed query requests (Ed25519, via ``cryptography``).

The coordinator issues a :class:`Permit` (who, purpose, allowed query fields,
ε budget, expiry, sites) and signs it; every query it forwards is a
:class:`QueryRequest` (the signed permit, the query, ε, the participants, a
nonce and a timestamp), signed again. A node checks all of it with
:func:`verify_request` *before doing anything*: signatures (forged), expiry,
scope (site, purpose, fields, ε), and replay (nonce never seen, timestamp fresh;
see :mod:`node.governance.replay`).

Signed bytes are the canonical JSON of a model *without* fields that are
``None``, so an optional field added later (``participant_certificates``) does
not change what an older signer signed.

Purposes are the secondary uses of electronic health data allowed by the
European Health Data Space regulation (EU 2025/327, Art. 53(1)).
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from typing import Any, Literal

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from pydantic import BaseModel, ConfigDict, Field, StrictStr, ValidationError, field_validator

Purpose = Literal[
    "public_interest_health",      # (a) public interest in public and occupational health
    "policy_making",               # (b) policy making and regulatory activities
    "official_statistics",         # (c) statistics
    "education",                   # (d) education or teaching in health or care sectors
    "scientific_research",         # (e) scientific research related to health or care sectors
    "product_development",         # (f) development and innovation of products or services
    "algorithm_training",          # (g) training, testing and evaluating of algorithms
    "personalised_care",           # (h) improving the delivery of care based on others' data
]
"""EHDS secondary-use purposes (Art. 53(1) a-h)."""

PERMIT_CONTEXT = b"fednet-permit-v1\n"
REQUEST_CONTEXT = b"fednet-query-request-v1\n"
UNMASK_CONTEXT = b"fednet-unmask-request-v1\n"
_ID = r"^[A-Za-z0-9][A-Za-z0-9_.:@\-]{0,127}$"


COUNT_PURPOSES_DEFAULT: tuple[str, ...] = (
    "public_interest_health", "policy_making", "official_statistics", "scientific_research")
"""Purposes a node accepts for cohort counts unless its ``[query] count_purposes`` says otherwise."""


class PermitError(PermissionError):
    """A permit or request is refused; ``reason`` is a short code.

    Codes: ``malformed``, ``config`` (this node is misconfigured), ``forged``, ``expired``,
    ``scope``, ``epsilon``, ``keys`` (participant keys), ``replay``, ``budget``, ``audit``.
    """

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


def canonical_bytes(model: BaseModel) -> bytes:
    """Deterministic JSON of a model (sorted keys, no spaces): what gets signed."""
    return json.dumps(model.model_dump(mode="json", exclude_none=True), sort_keys=True,
                      separators=(",", ":")).encode("utf-8")


def _utc(value: dt.datetime) -> dt.datetime:
    return value.replace(tzinfo=dt.timezone.utc) if value.tzinfo is None else value.astimezone(dt.timezone.utc)


class Permit(BaseModel):
    """What a requester may ask, where, until when, and how much privacy budget it may spend."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    permit_id: str = Field(pattern=_ID)
    requester: str = Field(pattern=_ID)
    purpose: Purpose
    allowed_fields: list[StrictStr] = Field(min_length=1)
    epsilon_budget: float = Field(gt=0, le=100)
    sites: list[str] = Field(min_length=1)
    per_site_results: bool = False
    issued_at: dt.datetime
    expires_at: dt.datetime

    @field_validator("issued_at", "expires_at")
    @classmethod
    def _aware(cls, value: dt.datetime) -> dt.datetime:
        return _utc(value)

    @field_validator("allowed_fields")
    @classmethod
    def _known_fields(cls, value: list[str]) -> list[str]:
        from node.query.fields import FIELDS

        unknown = sorted(set(value) - set(FIELDS))
        if unknown:
            raise ValueError(f"unknown query fields {unknown}: use {sorted(FIELDS)}")
        return sorted(set(value))


class SignedPermit(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    permit: Permit
    signature: str  # base64 Ed25519 over PERMIT_CONTEXT + canonical_bytes(permit)


class KeyCertificate(BaseModel):
    """A node's secure-sum key bound to its network certificate (see :mod:`node.query.keycert`)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    certificate: str = Field(max_length=16_384, description="the node's PEM certificate, issued by the network CA")
    signature: str = Field(max_length=1024, description="base64 ECDSA signature of the X25519 key by that certificate's key")


class QueryRequest(BaseModel):
    """One count request as forwarded by the coordinator to a node."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    permit: SignedPermit
    query: dict[str, Any]
    epsilon: float = Field(gt=0, le=10)
    participants: dict[str, str] = Field(min_length=1, max_length=1000,
                                         description="site id -> base64 X25519 public key")
    participant_certificates: dict[str, KeyCertificate] | None = Field(
        default=None, description="site id -> that node's key certificate (from its hello)")
    protocol: int | None = Field(default=None, description="secure-sum protocol (2: self-masks + agree/reveal)")
    nonce: str = Field(pattern=r"^[0-9a-f]{32}$")
    issued_at: dt.datetime

    @field_validator("issued_at")
    @classmethod
    def _aware(cls, value: dt.datetime) -> dt.datetime:
        return _utc(value)


class SignedRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    request: QueryRequest
    signature: str


class UnmaskRequest(BaseModel):
    """The secure sum's second step, in two phases, sent to the nodes that answered (the survivors).

    ``agree``: each survivor commits to this one view (survivors, dropped) of the query
    and returns a MAC of it for every other survivor. ``reveal`` (carrying all those
    confirmations): each survivor checks that every other survivor agreed to the same
    view, then reveals its self-mask and its pair masks with the dropped nodes.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    phase: Literal["agree", "reveal"]
    query_nonce: str = Field(pattern=r"^[0-9a-f]{32}$")
    dropped: list[str] = Field(default_factory=list, max_length=1000)
    survivors: list[str] = Field(min_length=1, max_length=1000)
    confirmations: dict[str, dict[str, str]] | None = Field(
        default=None, description="reveal: signer -> {recipient: hex MAC of the view}")
    nonce: str = Field(pattern=r"^[0-9a-f]{32}$")
    issued_at: dt.datetime

    @field_validator("issued_at")
    @classmethod
    def _aware(cls, value: dt.datetime) -> dt.datetime:
        return _utc(value)


class SignedUnmask(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    request: UnmaskRequest
    signature: str


# -- signing (coordinator side) ------------------------------------------------------------------

def sign(private_key: Ed25519PrivateKey, context: bytes, model: BaseModel) -> str:
    return base64.b64encode(private_key.sign(context + canonical_bytes(model))).decode("ascii")


def sign_permit(private_key: Ed25519PrivateKey, permit: Permit) -> SignedPermit:
    return SignedPermit(permit=permit, signature=sign(private_key, PERMIT_CONTEXT, permit))


def sign_request(private_key: Ed25519PrivateKey, request: QueryRequest) -> SignedRequest:
    return SignedRequest(request=request, signature=sign(private_key, REQUEST_CONTEXT, request))


def sign_unmask(private_key: Ed25519PrivateKey, request: UnmaskRequest) -> SignedUnmask:
    return SignedUnmask(request=request, signature=sign(private_key, UNMASK_CONTEXT, request))


# -- verification (node side) --------------------------------------------------------------------

def verify_signature(public_key: Ed25519PublicKey, context: bytes, model: BaseModel, signature: str, what: str) -> None:
    """Raise ``PermitError('forged')`` unless ``signature`` is the coordinator's over ``model``."""
    try:
        public_key.verify(base64.b64decode(signature, validate=True), context + canonical_bytes(model))
    except (InvalidSignature, ValueError):
        raise PermitError("forged", f"{what} is not signed by the network coordinator's key") from None


def check_permit(signed: SignedPermit, public_key: Ed25519PublicKey, site_id: str, now: dt.datetime,
                 clock_skew_s: float = 300.0) -> Permit:
    """Signature, validity window and site of a permit.

    Raises
    ------
    PermitError
        ``forged`` (bad signature), ``expired`` (or not yet valid), ``scope`` (not for this site).
    """
    verify_signature(public_key, PERMIT_CONTEXT, signed.permit, signed.signature, f"permit {signed.permit.permit_id}")
    permit = signed.permit
    skew = dt.timedelta(seconds=clock_skew_s)
    if now >= permit.expires_at:
        raise PermitError("expired", f"permit {permit.permit_id} expired at {permit.expires_at.isoformat()}")
    if now + skew < permit.issued_at:
        raise PermitError("expired", f"permit {permit.permit_id} is not valid before {permit.issued_at.isoformat()}")
    if site_id not in permit.sites:
        raise PermitError("scope", f"permit {permit.permit_id} does not cover site {site_id}")
    return permit


def check_scope(permit: Permit, fields_used: set[str], epsilon: float, max_epsilon_per_query: float) -> None:
    """Fields and ε of one query against the permit and the node's cap (``PermitError('scope')``)."""
    outside = sorted(fields_used - set(permit.allowed_fields))
    if outside:
        raise PermitError("scope", f"permit {permit.permit_id} does not allow the fields {outside}")
    if epsilon > max_epsilon_per_query:
        raise PermitError("scope", f"ε {epsilon} per query is above this node's limit {max_epsilon_per_query}")


def check_purpose(permit: Permit, allowed: list[str] | tuple[str, ...]) -> None:
    """The permit's purpose must be one this node accepts for counts (``PermitError('scope')``)."""
    if permit.purpose not in allowed:
        raise PermitError("scope", f"permit {permit.permit_id} is for the purpose {permit.purpose!r}, which this node "
                                   f"does not accept for cohort counts (it accepts {', '.join(allowed) or 'none'}; "
                                   "[query] count_purposes)")


def check_fresh(issued_at: dt.datetime, now: dt.datetime, max_age_s: float) -> None:
    """A request's timestamp must be within ``max_age_s`` of now (``PermitError('replay')``)."""
    if abs((now - issued_at).total_seconds()) > max_age_s:
        raise PermitError("replay", f"request timestamp {issued_at.isoformat()} is more than {max_age_s:.0f} s "
                                    "from this node's clock: stale or replayed (check both clocks)")


def parse_signed(model: type[BaseModel], data: str | bytes | dict) -> Any:
    """Parse a signed message; malformed input is ``PermitError('malformed')``."""
    try:
        if isinstance(data, (str, bytes)):
            return model.model_validate_json(data)
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = ".".join(str(p) for p in first["loc"])
        raise PermitError("malformed", f"malformed {model.__name__}: {loc}: {first['msg']}") from None


# -- keys ----------------------------------------------------------------------------------------

def public_key_from_b64(text: str) -> Ed25519PublicKey:
    """The coordinator's public key from base64 of its 32 raw bytes.

    Raises
    ------
    PermitError
        ``config``: the text is not base64 of 32 bytes (the node then refuses every request).
    """
    try:
        raw = base64.b64decode(str(text).strip(), validate=True)
        if len(raw) != 32:
            raise ValueError
        return Ed25519PublicKey.from_public_bytes(raw)
    except (ValueError, TypeError):
        raise PermitError("config", "this node's [query] coordinator_public_key is not base64 of 32 raw Ed25519 "
                                    "bytes: set it to what `fedcoord permit key` prints (the node refuses every "
                                    "request until then)") from None


def public_key_b64(key: Ed25519PublicKey | Ed25519PrivateKey) -> str:
    from cryptography.hazmat.primitives import serialization

    pub = key.public_key() if isinstance(key, Ed25519PrivateKey) else key
    raw = pub.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return base64.b64encode(raw).decode("ascii")
