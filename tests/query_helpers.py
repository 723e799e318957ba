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


def make_service(store, site: str, key: Ed25519PrivateKey, clock=None, **overrides) -> NodeQueryService:
    secret = (site * 8).encode()[:32].ljust(32, b"0")
    service = NodeQueryService(store, secret, site, query_config(key, **overrides))
    if clock is not None:
        service.clock = clock
    return service


def permit_for(key, sites, *, fields=ALL_FIELDS, budget=5.0, per_site=False, days=30.0, requester="dr-lee",
               now=None, purpose="scientific_research"):
    return issue_permit(key, requester=requester, purpose=purpose, allowed_fields=fields, epsilon_budget=budget,
                        sites=sites, valid_days=days, per_site_results=per_site, now=now)
