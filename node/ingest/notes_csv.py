"""Reader for notes exported as one CSV file (columns mapped in config)."""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path
from typing import Iterator

from node.ingest.records import BadInput, BadKind, RawNote, parse_note_date
from node.settings import NoteColumns

csv.field_size_limit(sys.maxsize)  # oversized notes are rejected by our own limit, with a reason


def read_notes_csv(path: Path, columns: NoteColumns, max_bytes: int) -> Iterator[RawNote | BadInput]:
    """Yield one note per row. Row ``i`` (0-based, header excluded) is named ``<file>#i``."""
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        yield BadInput(path.name, BadKind.NON_UTF8, f"{path.name}: not UTF-8 (invalid byte at offset {exc.start}); re-export as UTF-8", data)
        return
    reader = csv.DictReader(io.StringIO(text, newline=""))
    needed = [columns.mrn, columns.date, columns.text]
    missing = [c for c in needed if c not in (reader.fieldnames or [])]
    if missing:
        yield BadInput(path.name, BadKind.MISSING_FIELD, f"{path.name}: lacks column(s) {missing}; map them in [ingest.note_columns]", data)
        return
    try:
        for i, row in enumerate(reader):
            yield _row_to_note(row, f"{path.name}#{i}", columns, max_bytes)
    except csv.Error as exc:
        yield BadInput(path.name, BadKind.INVALID_RECORD,
                       f"{path.name}: CSV is malformed after row {reader.line_num} ({exc}); rows before it were read", b"")


def _row_to_note(row: dict[str, str], source: str, columns: NoteColumns, max_bytes: int) -> RawNote | BadInput:
    body = row.get(columns.text) or ""
    raw = body.encode("utf-8")
    if len(raw) > max_bytes:
        return BadInput(source, BadKind.OVERSIZED, f"{source}: {len(raw)} bytes of text, over the {max_bytes}-byte limit", b"")
    if not body.strip():
        return BadInput(source, BadKind.EMPTY, f"{source}: the '{columns.text}' column is empty", raw)
    mrn = (row.get(columns.mrn) or "").strip()
    if not mrn:
        return BadInput(source, BadKind.MISSING_FIELD, f"{source}: empty '{columns.mrn}' column", raw)
    try:
        date = parse_note_date(row.get(columns.date, ""))
    except ValueError as exc:
        return BadInput(source, BadKind.BAD_DATE, f"{source}: {exc}", raw)
    note_type = (row.get(columns.type) or "").strip() or "note"
    return RawNote(source=source, patient_ref=mrn, date=date, note_type=note_type, text=body, raw=raw)
