"""Reader for notes exported as one CSV file (columns mapped in config)."""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path
from typing import Iterator

from node.ingest.files import ExportFiles, UnsafeInput
from node.ingest.records import BadInput, BadKind, InputRef, RawNote, parse_note_date, unexpected
from node.settings import NoteColumns

csv.field_size_limit(sys.maxsize)  # oversized notes are rejected by our own limit, with a reason


def read_notes_csv(path: Path, columns: NoteColumns, max_bytes: int, files: ExportFiles | None = None,
                   label: str = "notes.csv") -> Iterator[RawNote | BadInput]:
    """Yield one note per row.

    In memory, row ``i`` (0-based, header excluded) is ``<file>#i``; outside it, the row is
    named ``<label> line <n>`` (the line where the row starts).
    """
    files = files or ExportFiles.of(Path(path).parent)
    ref = files.ref(path, label)
    try:
        data = files.read_bytes(path)
    except UnsafeInput as exc:
        yield BadInput(ref, exc.kind, exc.problem)
        return
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        yield BadInput(ref, BadKind.NON_UTF8, f"not UTF-8 (invalid byte at offset {exc.start}); re-export as UTF-8", data)
        return
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        fieldnames = reader.fieldnames or []
    except csv.Error as exc:
        yield BadInput(ref, BadKind.INVALID_RECORD, f"its header row is malformed CSV ({exc.__class__.__name__})", data)
        return
    needed = [columns.mrn, columns.date, columns.text]
    missing = [c for c in needed if c not in fieldnames]
    if missing:
        yield BadInput(ref, BadKind.MISSING_FIELD, f"lacks column(s) {missing}; map them in [ingest.note_columns]", data)
        return
    i = 0
    while True:
        start = reader.line_num + 1
        row_ref = ref.at_line(start)
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error:
            yield BadInput(row_ref, BadKind.INVALID_RECORD,
                           f"CSV is malformed from line {start} on (an unbalanced quote or a NUL byte); "
                           "rows before it were read")
            return
        try:
            yield _row_to_note(row, f"{Path(path).name}#{i}", row_ref, columns, max_bytes)
        except Exception as exc:  # noqa: BLE001 - one bad row never stops the batch
            yield unexpected(row_ref, exc)
        i += 1


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
