"""Reader for a folder of plain-text notes with a header block or a JSON sidecar."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterator

from node.ingest.files import ExportFiles, UnsafeInput
from node.ingest.jsonsafe import JsonProblem, loads_object
from node.ingest.records import BadInput, BadKind, InputRef, RawNote, parse_note_date, unexpected

HEADER_END = "---"
FOLDER_LABEL = "notes"
MAX_SIDECAR_BYTES = 1_000_000
_HEADER_KEYS = {"mrn": "mrn", "patient": "mrn", "date": "date", "type": "type", "note type": "type"}
_SIDECAR_KEYS = ("mrn", "date", "type")


def split_header(text: str) -> tuple[dict[str, str], str] | None:
    """Split ``Key: value`` lines ending at a ``---`` line from the body.

    Returns ``None`` when the text has no header block.
    """
    lines = text.splitlines(keepends=True)
    meta: dict[str, str] = {}
    for i, line in enumerate(lines[:20]):
        stripped = line.strip()
        if stripped == HEADER_END:
            return meta, "".join(lines[i + 1:])
        key, sep, value = stripped.partition(":")
        if not sep or key.strip().lower() not in _HEADER_KEYS:
            return None
        meta[_HEADER_KEYS[key.strip().lower()]] = value.strip()
    return None


class _SidecarProblem(Exception):
    def __init__(self, kind: BadKind, problem: str):
        super().__init__(problem)
        self.kind, self.problem = kind, problem


def _read_sidecar(path: Path, files: ExportFiles) -> dict[str, str] | None:
    """The note's ``.json`` sidecar as strings (``None`` when there is none)."""
    sidecar = path.with_suffix(".json")
    if not files.exists(sidecar):
        return None
    try:
        data = loads_object(files.read_bytes(sidecar, MAX_SIDECAR_BYTES, "sidecar limit"))
    except UnsafeInput as exc:
        raise _SidecarProblem(exc.kind, f"its .json sidecar: {exc.problem}") from None
    except JsonProblem as exc:
        raise _SidecarProblem(BadKind.MALFORMED_JSON, f"its .json sidecar {exc}") from None
    meta: dict[str, str] = {}
    for key in _SIDECAR_KEYS:
        value = data.get(key)
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, (str, int)):
            raise _SidecarProblem(BadKind.MALFORMED_JSON, f'its .json sidecar\'s "{key}" is not a string')
        meta[key] = str(value)
    return meta


def read_note_file(path: Path, files: ExportFiles, ref: InputRef, max_bytes: int) -> RawNote | BadInput | None:
    """Read one note file; any problem becomes a :class:`BadInput` with the reason.

    Returns ``None`` for a link to a folder inside the export (its notes are read where
    they really are).
    """
    try:
        if files.check(path) == "dir":
            if os.path.islink(path):
                return None
            return BadInput(ref, BadKind.UNREADABLE, "a folder the node cannot list")
        raw = files.read_bytes(path, max_bytes, "ingest.max_note_bytes")
    except UnsafeInput as exc:
        return BadInput(ref, exc.kind, exc.problem)
    try:
        return _note_from_bytes(path, files, ref, raw)
    except Exception as exc:  # noqa: BLE001 - one bad input never stops the batch
        return unexpected(ref, exc, raw)


def _note_from_bytes(path: Path, files: ExportFiles, ref: InputRef, raw: bytes) -> RawNote | BadInput:
    if not raw.strip():
        return BadInput(ref, BadKind.EMPTY, "the file is empty", raw)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return BadInput(ref, BadKind.NON_UTF8, f"not UTF-8 (invalid byte at offset {exc.start}); re-export as UTF-8", raw)
    try:
        sidecar = _read_sidecar(path, files)
    except _SidecarProblem as exc:
        return BadInput(ref, exc.kind, exc.problem, raw)
    if sidecar is not None:
        meta, body = sidecar, text
    else:
        split = split_header(text)
        if split is None:
            return BadInput(ref, BadKind.MISSING_FIELD, "no header block (MRN:/Date:/Type: then ---) and no .json sidecar", raw)
        meta, body = split
    if not body.strip():
        return BadInput(ref, BadKind.EMPTY, "the note body is empty", raw)
    if not meta.get("mrn", "").strip():
        return BadInput(ref, BadKind.MISSING_FIELD, "no MRN in the header or sidecar", raw)
    try:
        date = parse_note_date(meta.get("date", ""))
    except ValueError as exc:
        return BadInput(ref, BadKind.BAD_DATE, str(exc), raw)
    return RawNote(source=files.relative(path), patient_ref=meta["mrn"].strip(), date=date,
                   note_type=meta.get("type", "").strip() or "note", text=body, raw=raw, ref=ref)


def read_text_folder(folder: Path, max_bytes: int, files: ExportFiles | None = None) -> Iterator[RawNote | BadInput]:
    """Yield every ``*.txt`` note under ``folder`` in a stable (sorted) order.

    ``files`` is the export's :class:`ExportFiles` (default: ``folder``'s parent, unkeyed names).
    """
    files = files or ExportFiles.of(Path(folder).parent)
    problem = files.folder_problem(folder, FOLDER_LABEL, "notes")
    if problem is not None:
        yield problem
        return
    for i, path in enumerate(files.walk(folder, lambda name: name.endswith(".txt")), start=1):
        item = read_note_file(path, files, files.ordinal_ref(FOLDER_LABEL, i, path), max_bytes)
        if item is not None:
            yield item
