"""Find what an export folder holds and read it in a fixed order: patients first, then notes.

Entries are found by name (``os.lstat``-level): a ``patients.csv`` that is a dangling link,
a FIFO or a link out of the export is still *found*, so that its reader quarantines it with
a reason (see :mod:`node.ingest.files`) instead of silently ignoring it or hanging on it.
"""

from __future__ import annotations

import fnmatch
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from node.ingest.files import ExportFiles, UnsafeInput
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


def _found(path: Path) -> Path | None:
    return path if os.path.lexists(path) else None


def _folder(files: ExportFiles, path: Path) -> Path | None:
    """``path`` if it is a folder, or an entry that must be quarantined; ``None`` for a plain file."""
    if not os.path.lexists(path):
        return None
    try:
        return path if files.check(path) == "dir" else None
    except UnsafeInput:
        return path


def note_csv_label(path: Path, ordinal: int) -> str:
    """``notes.csv``, or ``notes*.csv #<n>`` for the others (their names may hold PHI)."""
    return "notes.csv" if path.name == "notes.csv" else f"notes*.csv #{ordinal}"


def discover(export_dir: Path, files: ExportFiles | None = None) -> ExportLayout:
    """Look for the files of ``node/ingest/FORMATS.md`` in ``export_dir``."""
    export_dir = Path(export_dir)
    if not export_dir.is_dir():
        raise ExportError(f"{export_dir} is not a folder: pass the hospital export folder")
    files = files or ExportFiles.of(export_dir)
    root = files.root
    try:
        names = sorted(os.listdir(root))
    except OSError as exc:
        raise ExportError(f"{export_dir} cannot be listed ({exc.__class__.__name__}): give the node's user read "
                          "access") from None
    layout = ExportLayout(
        patient_csv=_found(root / "patients.csv"),
        patient_fhir=_found(root / "fhir" / "Patient.ndjson"),
        note_folder=_folder(files, root / "notes"),
        note_csvs=tuple(root / n for n in names if fnmatch.fnmatchcase(n, "notes*.csv")),
        note_fhir=_found(root / "fhir" / "DocumentReference.ndjson"),
    )
    if layout.is_empty:
        raise ExportError(
            f"{export_dir} holds no notes: expected notes/*.txt, notes*.csv or fhir/DocumentReference.ndjson "
            "(see node/ingest/FORMATS.md)"
        )
    if not (layout.patient_csv or layout.patient_fhir):
        raise ExportError(f"{export_dir} holds no patients.csv or fhir/Patient.ndjson: patients must be registered first")
    return layout


def read_patients(layout: ExportLayout, cfg: IngestSection, files: ExportFiles | None = None) -> Iterator[RawPatient | BadInput]:
    if layout.patient_csv:
        yield from read_patients_csv(layout.patient_csv, cfg.patient_columns, files)
    if layout.patient_fhir:
        yield from read_fhir_patients(layout.patient_fhir, files)


def read_notes(layout: ExportLayout, cfg: IngestSection, files: ExportFiles | None = None) -> Iterator[RawNote | BadInput]:
    if layout.note_folder:
        yield from read_text_folder(layout.note_folder, cfg.max_note_bytes, files)
    for i, path in enumerate(layout.note_csvs, start=1):
        yield from read_notes_csv(path, cfg.note_columns, cfg.max_note_bytes, files, note_csv_label(path, i))
    if layout.note_fhir:
        yield from read_fhir_documents(layout.note_fhir, cfg.max_note_bytes, files)
