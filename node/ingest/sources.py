"""Find what an export folder holds and read it in a fixed order: patients first, then notes."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from node.ingest.notes_csv import read_notes_csv
from node.ingest.notes_fhir import read_fhir_documents
from node.ingest.notes_text import read_text_folder
from node.ingest.patients import read_fhir_patients, read_patients_csv
from node.ingest.records import BadInput, RawNote, RawPatient
from node.settings import IngestSection


class ExportError(ValueError):
    """The folder is not a hospital export this node understands."""


@dataclass(frozen=True)
class ExportLayout:
    patient_csv: Path | None
    patient_fhir: Path | None
    note_folder: Path | None
    note_csvs: tuple[Path, ...]
    note_fhir: Path | None

    @property
    def is_empty(self) -> bool:
        return not (self.note_folder or self.note_csvs or self.note_fhir)


def discover(export_dir: Path) -> ExportLayout:
    """Look for the files of ``node/ingest/FORMATS.md`` in ``export_dir``."""
    if not export_dir.is_dir():
        raise ExportError(f"{export_dir} is not a folder: pass the hospital export folder")
    found = lambda p: p if p.exists() else None  # noqa: E731
    layout = ExportLayout(
        patient_csv=found(export_dir / "patients.csv"),
        patient_fhir=found(export_dir / "fhir" / "Patient.ndjson"),
        note_folder=found(export_dir / "notes") if (export_dir / "notes").is_dir() else None,
        note_csvs=tuple(sorted(export_dir.glob("notes*.csv"))),
        note_fhir=found(export_dir / "fhir" / "DocumentReference.ndjson"),
    )
    if layout.is_empty:
        raise ExportError(
            f"{export_dir} holds no notes: expected notes/*.txt, notes*.csv or fhir/DocumentReference.ndjson "
            "(see node/ingest/FORMATS.md)"
        )
    if not (layout.patient_csv or layout.patient_fhir):
        raise ExportError(f"{export_dir} holds no patients.csv or fhir/Patient.ndjson: patients must be registered first")
    return layout


def read_patients(layout: ExportLayout, cfg: IngestSection) -> Iterator[RawPatient | BadInput]:
    if layout.patient_csv:
        yield from read_patients_csv(layout.patient_csv, cfg.patient_columns)
    if layout.patient_fhir:
        yield from read_fhir_patients(layout.patient_fhir)


def read_notes(layout: ExportLayout, cfg: IngestSection) -> Iterator[RawNote | BadInput]:
    if layout.note_folder:
        yield from read_text_folder(layout.note_folder, cfg.max_note_bytes)
    for path in layout.note_csvs:
        yield from read_notes_csv(path, cfg.note_columns, cfg.max_note_bytes)
    if layout.note_fhir:
        yield from read_fhir_documents(layout.note_fhir, cfg.max_note_bytes)
