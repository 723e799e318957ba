"""Reader for notes exported as one CSV file (columns mapped in config)."""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

from node.ingest.csvrows import read_csv_rows
from node.ingest.files import ExportFiles
from node.ingest.records import BadInput, BadKind, InputRef, RawNote, parse_note_date
from node.settings import NoteColumns


def read_notes_csv(path: Path, columns: NoteColumns, max_bytes: int, files: ExportFiles | None = None,
                   label: str = "notes.csv") -> Iterator[RawNote | BadInput]:
    """Yield one note per row.

    In memory, row ``i`` (0-based, header excluded) is ``<file>#i``; outside it, the row is
    named ``<label> line <n>`` (the line where the row starts).
    """
    files = files or ExportFiles.of(Path(path).parent)
    yield from read_csv_rows(path, files, label, [columns.mrn, columns.date, columns.text], "ingest.note_columns",
                             lambda row, source, ref: _row_to_note(row, source, ref, columns, max_bytes),
                             keep_content=True)


def _row_to_note(row: dict, source: str, ref: InputRef, columns: NoteColumns, max_bytes: int) -> RawNote | BadInput:
    body = row.get(columns.text) or ""
    raw = body.encode("utf-8")
    if len(raw) > max_bytes:
        return BadInput(ref, BadKind.OVERSIZED, f"{len(raw)} bytes of text, over the {max_bytes}-byte limit "
                                                "(ingest.max_note_bytes)")
    if not body.strip():
        return BadInput(ref, BadKind.EMPTY, f"the '{columns.text}' column is empty", raw)
    mrn = (row.get(columns.mrn) or "").strip()
    if not mrn:
        return BadInput(ref, BadKind.MISSING_FIELD, f"empty '{columns.mrn}' column", raw)
    try:
        date = parse_note_date(row.get(columns.date) or "")
    except ValueError as exc:
        return BadInput(ref, BadKind.BAD_DATE, str(exc), raw)
    note_type = (row.get(columns.type) or "").strip() or "note"
    return RawNote(source=source, patient_ref=mrn, date=date, note_type=note_type, text=body, raw=raw, ref=ref)
