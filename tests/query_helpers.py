"""Builders for cohort-query tests: synthetic documents with known query fields, keys, permits, node services."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from coordinator.governance.permits import issue_permit
from node.governance.permits import public_key_b64
from node.query.service import NodeQueryService
from node.settings import QuerySection
from node.store import open_store
from schemas.ages import age_band

TERMS = ["glioma", "pneumonia", "hypertension", "diabetes mellitus", "atrial fibrillation"]
WORDS = ["mri", "head", "left", "frontal", "mass", "stable", "follow", "cough", "fever", "biopsy"]
NOTE_TYPES = ["radiology_report", "progress_note", "discharge_summary", "nursing_note"]
ALL_FIELDS = ["sex", "site", "age", "age_band", "note_type", "term", "text", "note_date", "modality", "body_region"]


def synthetic_docs(site_id: str, n_patients: int, notes_per_patient: int = 3, seed: int = 0) -> list[dict]:
    """Documents records with only what queries read (``patient_pseudonym`` + ``query.*``)."""
    rng = random.Random(seed)
    docs = []
    for p in range(n_patients):
        pseudonym = f"PX-{site_id[:3].upper()}{p:06d}"
        sex = rng.choice(["female", "male"])
        age0 = rng.randint(0, 88)
        for k in range(notes_per_patient):
            age = min(90, age0 + k)
            text_words = rng.sample(WORDS, 4)
            terms = sorted(set(rng.sample(TERMS, rng.randint(0, 2))))
            day = dt.date(2030, 1, 1) + dt.timedelta(days=rng.randint(0, 900))
            docs.append({
                "_id": f"{site_id}-{p}-{k}", "patient_pseudonym": pseudonym, "site_id": site_id,
                "query": {"site_id": site_id, "patient_pseudonym": pseudonym, "sex": sex, "age_at_note": age,
                          "age_band": age_band(age), "note_type": rng.choice(NOTE_TYPES),
                          "note_date_shifted": day.isoformat(), "terms": terms,
                          "tokens": sorted(set(text_words + [w for t in terms for w in t.split()])),
                          "text_length": 100},
            })
    return docs


def open_filled_store(uri: str, database: str, docs: list[dict]):
    store = open_store(uri, database)
    store.ensure_schema()
    if docs:
        store.collection("documents").insert_many(docs)
    return store


@dataclass
class Network:
    key: Ed25519PrivateKey
    services: dict[str, NodeQueryService]
    stores: list


def query_config(key: Ed25519PrivateKey, **overrides) -> QuerySection:
    return QuerySection(coordinator_public_key=public_key_b64(key), **overrides)


def site_secret(site: str) -> bytes:
    return (site * 8).encode()[:32].ljust(32, b"0")


def make_service(store, site: str, key: Ed25519PrivateKey, clock=None, pki_dir=None, anchor_path=None,
                 **overrides) -> NodeQueryService:
    files = {k: v for k, v in (("pki_dir", pki_dir), ("anchor_path", anchor_path)) if v is not None}
    service = NodeQueryService(store, site_secret(site), site, query_config(key, **overrides), **files)
    if clock is not None:
        service.clock = clock
    return service


def signed_request(key, permit, query, epsilon: float, participants: dict[str, str], *, nonce: str | None = None,
                   certificates: dict | None = None, issued_at=None, protocol: int | None = 2) -> dict:
    """A count request as the coordinator (honest or not) would sign it, as it travels (JSON dict)."""
    import secrets

    from node.governance.permits import QueryRequest, sign_request

    extra = {"participant_certificates": certificates} if certificates is not None else {}
    if protocol is not None and "protocol" in QueryRequest.model_fields:  # (the helper also runs on older code)
        extra["protocol"] = protocol
    req = QueryRequest(permit=permit, query=query.model_dump(mode="json", by_alias=True, exclude_none=True),
                       epsilon=epsilon, participants=participants, nonce=nonce or secrets.token_hex(16),
                       issued_at=issued_at or dt.datetime.now(dt.timezone.utc), **extra)
    return sign_request(key, req).model_dump(mode="json", exclude_none=True)


def signed_unmask(key, phase: str, query_nonce: str, survivors, dropped=(), confirmations=None) -> dict:
    import secrets

    from node.governance.permits import UnmaskRequest, sign_unmask

    req = UnmaskRequest(phase=phase, query_nonce=query_nonce, survivors=sorted(survivors), dropped=sorted(dropped),
                        confirmations=confirmations, nonce=secrets.token_hex(16),
                        issued_at=dt.datetime.now(dt.timezone.utc))
    return sign_unmask(key, req).model_dump(mode="json", exclude_none=True)


def enrol(tmp_path, sites: list[str], ca=None):
    """A network CA and an installed certificate for each site; returns ``(ca, {site: pki_dir})``."""
    from coordinator.pki.ca import init_ca
    from coordinator.pki.enrolment import approve
    from node.identity.install import install_certificate
    from node.identity.keys import create_identity

    ca = ca or init_ca(tmp_path / "coord-pki", "testnet")
    dirs = {}
    for site in sites:
        folder = tmp_path / "pki" / site
        ident = create_identity(folder, site)
        approval = approve(ca, ident.csr_path.read_bytes())
        install_certificate(folder, approval.cert_path.read_bytes(), (ca.folder / "ca.crt").read_bytes(), site)
        dirs[site] = folder
    return ca, dirs


def permit_for(key, sites, *, fields=ALL_FIELDS, budget=5.0, per_site=False, days=30.0, requester="dr-lee",
               now=None, purpose="scientific_research"):
    return issue_permit(key, requester=requester, purpose=purpose, allowed_fields=fields, epsilon_budget=budget,
                        sites=sites, valid_days=days, per_site_results=per_site, now=now)
