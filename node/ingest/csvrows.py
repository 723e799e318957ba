"""One CSV file of an export, row by row, each bad row a :class:`BadInput`, never a crash.

Shared by ``patients.csv`` and the notes CSV: the file is read through :class:`ExportFiles`
(nothing outside the export, size-limited), decoded as UTF-8 (a BOM allowed), its header
checked for the mapped columns; a malformed row ends the file with a reason (the rows before it
are kept), and an exception the row parser did not expect quarantines that row only.
"""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path
from typing import Callable, Iterator, Sequence, TypeVar

from node.ingest.files import ExportFiles, UnsafeInput
from node.ingest.records import BadInput, BadKind, InputRef, unexpected

csv.field_size_limit(sys.maxsize)  # oversized fields are rejected by the readers' own limits, with a reason

T = TypeVar("T")


def read_csv_rows(path: Path, files: ExportFiles, label: str, needed: Sequence[str], columns_section: str,
                  parse_row: Callable[[dict, str, InputRef], T | BadInput],
                  keep_content: bool) -> Iterator[T | BadInput]:
    """Yield ``parse_row(row, "<file name>#<i>", ref)`` for each row of ``path`` (``i`` 0-based, header excluded).

    ``needed``: the mapped column names a row needs (missing ones are named with ``columns_section``,
    where they are mapped). ``keep_content``: whether a whole-file problem quarantines the file's
    bytes (notes) or only says why (patient registrations).
    """
    ref = files.ref(path, label)
    try:
        data = files.read_bytes(path)
    except UnsafeInput as exc:
        yield BadInput(ref, exc.kind, exc.problem)
        return
    content = data if keep_content else b""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        yield BadInput(ref, BadKind.NON_UTF8, f"not UTF-8 (invalid byte at offset {exc.start}); re-export as UTF-8",
                       content)
        return
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        fieldnames = reader.fieldnames or []
    except csv.Error as exc:
        yield BadInput(ref, BadKind.INVALID_RECORD, f"its header row is malformed CSV ({exc.__class__.__name__})",
                       content)
        return
    missing = [c for c in needed if c not in fieldnames]
    if missing:
        yield BadInput(ref, BadKind.MISSING_FIELD, f"lacks column(s) {missing}; map them in [{columns_section}]",
                       content)
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
            yield parse_row(row, f"{Path(path).name}#{i}", row_ref)
        except Exception as exc:  # noqa: BLE001 - one bad row never stops the batch
            yield unexpected(row_ref, exc)
        i += 1
