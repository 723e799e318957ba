"""The ingest job: export folder -> quarantine or de-identified documents in the store.

Guarantees
----------
- Idempotent: a note's store key is the hash of its content (``build.document_id``);
  a note already stored is skipped before de-identification.
- Resumable: documents are written one at a time, each complete, so an
  interrupted run leaves only whole documents and the next run picks up the rest.
- Bad input never stops the batch: it is quarantined with a reason and what to do, and
  named without quoting its file name or id (:mod:`node.ingest.files`); an unexpected
  error on one input quarantines that input (``unexpected_error``) and the batch goes on.
  Only the store failing stops a run.
- Nothing partial: a record is fully built and validated before its single insert.
- Runs are tracked (:mod:`node.ingest.runs`): a run killed mid-way is found and marked
  ``interrupted`` by the next ingest or ``fednode status``.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Protocol, Sequence

from deid.types import DeidResult, PatientContext
from node.ingest.build import document_id, document_record, patient_record
from node.ingest.files import ExportFiles, names_key
from node.ingest.progress import progress
from node.ingest.quarantine import quarantine_input
from node.ingest.records import BadInput, BadKind, InputRef, RawNote, RawPatient
from node.ingest.runs import RunTracker
from node.ingest.sources import discover, read_notes, read_patients
from node.masterdata.terms import SiteTerms
from node.secrets import SecretError, load_site_secret
from node.settings import NodeSettings
from node.store import NodeStore

log = logging.getLogger("fednet.node.ingest")


class Deidentifier(Protocol):
    """What ingest needs from ``deid.pipeline.Deidentifier``."""

    def deidentify_batch(self, items: Sequence[tuple[str, PatientContext | None]]) -> list[DeidResult]: ...

    def pseudonym(self, patient_key: str) -> str: ...


@dataclass
class IngestReport:
    """What one ingest run did. Counts only: safe to print and to log."""

    site_id: str
    run_id: str
    patients_registered: int = 0
    notes_seen: int = 0
    notes_stored: int = 0
    notes_already_stored: int = 0
    quarantined: Counter = field(default_factory=Counter)
    phi_removed: Counter = field(default_factory=Counter)
    seconds: float = 0.0

    @property
    def quarantined_total(self) -> int:
        return sum(self.quarantined.values())

    def to_dict(self) -> dict:
        return {
            "site_id": self.site_id, "run_id": self.run_id, "patients_registered": self.patients_registered,
            "notes_seen": self.notes_seen, "notes_stored": self.notes_stored,
            "notes_already_stored": self.notes_already_stored, "quarantined": dict(self.quarantined),
            "phi_removed": dict(self.phi_removed), "seconds": round(self.seconds, 3),
        }


def patient_context(patient: RawPatient, site_terms: dict[str, list[str]] | dict[str, tuple[str, ...]] | None = None
                    ) -> PatientContext:
    """The per-note deny list: every identifier the hospital already knows for this patient,
    plus the hospital's own terms for this note (``[deid.site_terms]`` and the master data
    found in it: :meth:`node.masterdata.terms.SiteTerms.for_text`)."""
    known: dict[str, tuple[str, ...]] = {}

    def add(kind: str, *values: str) -> None:
        vals = tuple(v.strip() for v in values if v and v.strip())
        if vals:
            known[kind] = known.get(kind, ()) + vals

    add("PERSON", patient.given, patient.family, *patient.given.split(), *patient.family.split())
    add("MRN", patient.mrn)
    add("ID", patient.insurance_id, *patient.other_ids)
    add("PHONE", patient.phone)
    add("EMAIL", patient.email)
    add("ADDRESS", patient.address, patient.city)
    add("ZIP", patient.zip)
    for kind, values in (site_terms or {}).items():
        add(kind.upper(), *values)
    return PatientContext(patient_key=patient.mrn, birth_date=patient.birth_date, known_identifiers=known)


def site_secret_of(settings: NodeSettings) -> bytes | None:
    """The site secret if the node has one (it keys the names of inputs); ``None`` otherwise."""
    try:
        return load_site_secret(settings.secret_path)
    except SecretError:
        return None


class IngestJob:
    """Ingest one export folder into one node store.

    Parameters
    ----------
    settings:
        The node's settings (site id, limits, column maps).
    store:
        An open :class:`~node.store.NodeStore`.
    deidentifier:
        The node's de-identifier (holds the site secret).
    site_secret:
        Keys the names of inputs in quarantine records (default: read from the node's secret file).
    site_terms:
        The site's deny-list terms (default: ``[deid.site_terms]`` plus the imported master data).
    """

    def __init__(self, settings: NodeSettings, store: NodeStore, deidentifier: Deidentifier,
                 site_secret: bytes | None = None, site_terms: SiteTerms | None = None) -> None:
        self.settings = settings
        self.store = store
        self.deid = deidentifier
        self.site_id = settings.node.site_id
        self.secret = site_secret if site_secret is not None else site_secret_of(settings)
        self.names_key = names_key(self.secret)
        self.terms = site_terms if site_terms is not None else SiteTerms.for_node(settings)

    def run(self, export_dir: Path, show_progress: bool | None = None) -> IngestReport:
        started = time.perf_counter()
        report = IngestReport(site_id=self.site_id, run_id=uuid.uuid4().hex[:12])
        files = ExportFiles.of(Path(export_dir), self.secret)
        layout = discover(Path(export_dir), files)
        with RunTracker(self.store, self.settings, report.run_id, "notes") as run:
            log.info("ingest run %s started (site %s)", report.run_id, self.site_id)
            registry = self._register_patients(read_patients(layout, self.settings.ingest, files), report)
            notes = list(read_notes(layout, self.settings.ingest, files))
            show = self.settings.ingest.show_progress if show_progress is None else show_progress
            with progress(len(notes), f"ingest {self.site_id}", enabled=show) as advance:
                pending: list[tuple[str, RawNote, RawPatient]] = []
                for item in notes:
                    report.notes_seen += 1
                    ready = self._screen(item, registry, report)
                    if ready is not None:
                        pending.append(ready)
                    else:
                        advance(1)
                    if len(pending) >= self.settings.ingest.batch_size:
                        self._store_batch(pending, report)
                        advance(len(pending))
                        pending = []
                        run.beat()
                if pending:
                    self._store_batch(pending, report)
                    advance(len(pending))
            report.seconds = time.perf_counter() - started
            run.done(report.to_dict())
        log.info("ingest run %s done: %s", report.run_id, report.to_dict())
        return report

    # -- steps -------------------------------------------------------------------------------
    def _register_patients(self, items: Iterable[RawPatient | BadInput], report: IngestReport) -> dict[str, RawPatient]:
        registry: dict[str, RawPatient] = {}
        for item in items:
            if isinstance(item, BadInput):
                self._quarantine(item, report)
                continue
            try:
                record = patient_record(item, self.deid.pseudonym(item.mrn), self.site_id)
            except Exception as exc:  # noqa: BLE001 - SchemaError, OverflowError...: this patient only
                self._quarantine(BadInput(item.ref or InputRef("patient registration"), BadKind.INVALID_RECORD,
                                          f"the de-identified patient record does not validate ({exc.__class__.__name__}); "
                                          "the patient was not registered"), report)
                continue
            self.store.upsert_patient(record)
            registry[item.mrn] = item
            if item.fhir_id:
                registry[item.fhir_id] = item
            report.patients_registered += 1
        return registry

    def _screen(self, item: RawNote | BadInput, registry: dict[str, RawPatient],
                report: IngestReport) -> tuple[str, RawNote, RawPatient] | None:
        """Quarantine what cannot be ingested; skip what is already stored."""
        if isinstance(item, BadInput):
            self._quarantine(item, report)
            return None
        patient = registry.get(item.patient_ref)
        if patient is None:
            self._quarantine(BadInput(item.ref, BadKind.UNKNOWN_PATIENT,
                                      "its patient is not in this export's patient list",
                                      item.raw or item.text.encode()), report)
            return None
        doc_id = document_id(self.site_id, item)
        if self.store.has_document(doc_id):
            report.notes_already_stored += 1
            return None
        return doc_id, item, patient

    def _context(self, note: RawNote, patient: RawPatient) -> PatientContext:
        return patient_context(patient, self.terms.for_text(note.text))

    def _store_batch(self, batch: list[tuple[str, RawNote, RawPatient]], report: IngestReport) -> None:
        try:
            results = self.deid.deidentify_batch([(note.text, self._context(note, p)) for _, note, p in batch])
        except Exception:  # noqa: BLE001 - isolate the failing note(s) one by one
            log.warning("batch de-identification failed; retrying %d notes one by one", len(batch))
            for one in batch:
                self._store_batch_single(one, report)
            return
        for (doc_id, note, patient), result in zip(batch, results):
            self._store_one(doc_id, note, patient, result, report)

    def _store_batch_single(self, item: tuple[str, RawNote, RawPatient], report: IngestReport) -> None:
        doc_id, note, patient = item
        try:
            result = self.deid.deidentify_batch([(note.text, self._context(note, patient))])[0]
        except Exception as exc:  # noqa: BLE001
            self._quarantine(BadInput(note.ref, BadKind.DEID_FAILED,
                                      f"de-identification failed ({exc.__class__.__name__}); nothing was stored",
                                      note.raw or note.text.encode()), report)
            return
        self._store_one(doc_id, note, patient, result, report)

    def _store_one(self, doc_id: str, note: RawNote, patient: RawPatient, result: DeidResult,
                   report: IngestReport) -> None:
        try:
            record = document_record(doc_id=doc_id, note=note, result=result, patient=patient,
                                     pseudonym=self.deid.pseudonym(patient.mrn), site_id=self.site_id)
        except Exception as exc:  # noqa: BLE001 - SchemaError, OverflowError (a date at the end of time)...
            self._quarantine(BadInput(note.ref, BadKind.INVALID_RECORD,
                                      f"the de-identified record does not validate ({exc.__class__.__name__}); "
                                      "nothing was stored", note.raw or note.text.encode()), report)
            return
        if self.store.insert_document(record):
            report.notes_stored += 1
            report.phi_removed.update(result.counts_by_type)
        else:
            report.notes_already_stored += 1

    def _quarantine(self, bad: BadInput, report: IngestReport) -> None:
        quarantine_input(bad, self.store, self.settings.quarantine_dir, report.run_id, self.names_key)
        report.quarantined[bad.kind.value] += 1
        log.info("quarantined %s: %s", bad.ref.label, bad.kind.value)
