"""Privacy first: planted PHI must reach neither the store nor the logs.

- The demo network's hospitals (simulated, planted PHI recorded in a manifest),
  ingested end to end: 0 planted values found by the same check the demo prints.
- The 13 Synthea patients of ../shared/data: after ingest of their FHIR export,
  no stored note holds any of their names or birth dates.
- Stored documents are valid FHIR R4 that round-trips.
"""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path

import pytest

from deid.dates import shift_date_text
from node.ingest.pipeline import IngestJob
from node.runtime import open_node
from node.settings import load_settings


@pytest.fixture(scope="module")
def deidentifier():
    from deid.config import load_deid_config
    from deid.pipeline import Deidentifier

    return Deidentifier(load_deid_config(None), b"canary-site-secret-0123456789")


def _settings(tmp_path: Path, site: str, store_uri: str, database: str, site_terms=None):
    settings = load_settings(None, {"FEDNET_NODE__SITE_ID": site, "FEDNET_NODE__DATA_DIR": str(tmp_path / site),
                                    "FEDNET_NODE__STORE_URI": store_uri, "FEDNET_NODE__DATABASE": database,
                                    "FEDNET_INGEST__SHOW_PROGRESS": "false"})
    settings.deid.site_terms = site_terms or {}
    return settings


def test_planted_phi_never_reaches_store_or_logs(tmp_path, shared_data, deidentifier, store_uri, database_name):
    from coordinator.demo.hospitals import default_network, generate_network
    from coordinator.demo.network import site_terms_of
    from coordinator.demo.phi_check import find_planted

    specs = default_network(n_patients=12, seed=11)
    manifests = generate_network(tmp_path / "hospitals", seed=11, specs=specs)
    assert len(manifests) == 3
    total_planted = 0
    for i, (spec, manifest) in enumerate(zip(specs, manifests)):
        settings = _settings(tmp_path / "nodes", manifest.site, store_uri, f"{database_name}_{i}", site_terms_of(spec))
        rt = open_node(settings, create=True)
        try:
            report = IngestJob(settings, rt.store, deidentifier).run(tmp_path / "hospitals" / manifest.site)
            leaks = find_planted(manifest, tmp_path / "hospitals" / manifest.site, rt.store, [rt.log_path])
            assert report.notes_stored > 0
            assert report.quarantined_total >= 1, "each simulated hospital ships bad inputs"
        finally:
            rt.close()
            if store_uri.startswith("mongodb"):
                import pymongo

                pymongo.MongoClient(store_uri).drop_database(f"{database_name}_{i}")
        total_planted += len(manifest.all_planted())
        assert leaks == [], f"{manifest.site}: planted PHI found: {leaks[:10]}"
    assert total_planted > 100, "the canary must actually plant PHI"


def test_phi_check_detects_a_leak(tmp_path, shared_data, store_uri, database_name):
    """The check itself works: with de-identification bypassed, it finds the planted values."""
    from coordinator.demo.hospitals import generate_network
    from coordinator.demo.phi_check import find_planted
    from deid.types import DeidResult

    class NoDeid:  # deliberately leaks: proves the check is not vacuous
        def pseudonym(self, key: str) -> str:
            return "p-" + str(abs(hash(key)))

        def deidentify_batch(self, items):
            return [DeidResult(text=text, replacements=[], date_shift_days=0) for text, _ in items]

    manifest = generate_network(tmp_path / "hospitals", n_patients=6, seed=3)[0]
    settings = _settings(tmp_path / "nodes", manifest.site, store_uri, database_name)
    rt = open_node(settings, create=True)
    try:
        IngestJob(settings, rt.store, NoDeid()).run(tmp_path / "hospitals" / manifest.site)
        leaks = find_planted(manifest, tmp_path / "hospitals" / manifest.site, rt.store, [rt.log_path])
    finally:
        rt.close()
    assert len(leaks) >= len(manifest.notes)
    assert {"PATIENT", "DATE"} <= {leak.phi_type for leak in leaks}


def _synthea_export(tmp_path: Path, shared: Path, max_notes: int | None) -> Path:
    src = shared / "fhir" / "synthea-bulk-10-patients"
    out = tmp_path / "synthea"
    (out / "fhir").mkdir(parents=True)
    (out / "fhir" / "Patient.ndjson").write_bytes((src / "Patient.000.ndjson").read_bytes())
    lines = (src / "DocumentReference.000.ndjson").read_bytes().splitlines(keepends=True)
    (out / "fhir" / "DocumentReference.ndjson").write_bytes(b"".join(lines[:max_notes]))
    return out


def _shifted_note_dates(shared: Path, deidentifier) -> set[str]:
    """Every ISO date of the Synthea notes, shifted by its own patient's date shift (what a stored note
    may show); the source notes themselves hold no birth date (checked here)."""
    from node.ingest.patients import _mrn_from_identifiers

    src = shared / "fhir" / "synthea-bulk-10-patients"
    patients = [json.loads(line) for line in (src / "Patient.000.ndjson").read_text().splitlines()]
    mrn_of = {f"Patient/{p['id']}": _mrn_from_identifiers(p)[0] for p in patients}
    births = {p["birthDate"] for p in patients}
    out: set[str] = set()
    for line in (src / "DocumentReference.000.ndjson").read_text().splitlines():
        doc = json.loads(line)
        text = base64.b64decode(doc["content"][0]["attachment"]["data"]).decode()
        assert not any(b in text for b in births), "a source note holds a birth date: this test's premise is gone"
        days = deidentifier.date_shift_days(mrn_of[doc["subject"]["reference"]])
        out |= {shift_date_text(d, days) for d in re.findall(r"\b(?:19|20)\d{2}-\d{2}-\d{2}\b", text)}
    return out


def _synthea_identities(shared: Path) -> list[tuple[list[str], str]]:
    people = []
    for line in (shared / "fhir" / "synthea-bulk-10-patients" / "Patient.000.ndjson").read_text().splitlines():
        p = json.loads(line)
        names = [n for nm in p.get("name", []) for n in [*nm.get("given", []), nm.get("family", "")] if n]
        people.append((names, p["birthDate"]))
    return people


@pytest.mark.slow
def test_synthea_names_and_birth_dates_absent(tmp_path, shared_data, deidentifier, store_uri, database_name):
    export = _synthea_export(tmp_path, shared_data, max_notes=None)
    settings = _settings(tmp_path, "synthea", store_uri, database_name)
    rt = open_node(settings, create=True)
    try:
        report = IngestJob(settings, rt.store, deidentifier).run(export)
        docs = list(rt.store.iter_documents())
    finally:
        rt.close()
    assert report.patients_registered == 13 and report.notes_stored == len(docs) >= 1200
    people = _synthea_identities(shared_data)
    shifted = _shifted_note_dates(shared_data, deidentifier)
    for doc in docs:
        text = base64.b64decode(doc["resource"]["content"][0]["attachment"]["data"]).decode()
        for names, birth in people:
            # no source note holds a birth date, so one in a stored note either leaked from the Patient
            # resource or is another date of the notes, shifted onto it by chance (ISO dates are shifted)
            assert birth not in text or birth in shifted, f"birth date {birth} leaked into a stored note"
            for name in names:
                assert not re.search(rf"(?<![A-Za-z]){re.escape(name)}(?![A-Za-z])", text), "a Synthea name survived"
                bare = re.sub(r"\d+$", "", name)  # Synthea's numeric suffix removed: "Sumiko254" -> "Sumiko"
                assert not re.search(rf"(?<![A-Za-z]){re.escape(bare)}(?![A-Za-z])", text), "a Synthea name survived"


def test_stored_documents_are_fhir_r4_that_round_trips(tmp_path, shared_data, deidentifier, store_uri, database_name):
    from fhir.resources.R4B.documentreference import DocumentReference
    from fhir.resources.R4B.patient import Patient

    export = _synthea_export(tmp_path, shared_data, max_notes=20)
    settings = _settings(tmp_path, "synthea", store_uri, database_name)
    rt = open_node(settings, create=True)
    try:
        IngestJob(settings, rt.store, deidentifier).run(export)
        docs = list(rt.store.iter_documents())
        patients = list(rt.store.collection("patients").find({}))
    finally:
        rt.close()
    assert len(docs) == 20 and len(patients) == 13
    for doc in docs:
        model = DocumentReference.model_validate(doc["resource"])
        again = json.loads(model.model_dump_json(exclude_none=True))
        assert DocumentReference.model_validate(again) == model
        assert doc["resource"]["subject"]["reference"] == f"Patient/{doc['patient_pseudonym']}"
    for rec in patients:
        resource = Patient.model_validate(rec["resource"]).model_dump(mode="json", exclude_none=True)
        assert not {"name", "address", "telecom", "birthDate"} & set(resource)
