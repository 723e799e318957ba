"""Reader for a folder of plain-text notes with a header block or a JSON sidecar."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Iterator

from node.ingest.records import BadInput, BadKind, RawNote, parse_note_date

HEADER_END = "---"
_HEADER_KEYS = {"mrn": "mrn", "patient": "mrn", "date": "date", "type": "type", "note type": "type"}


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


def _read_sidecar(path: Path) -> dict[str, str] | None:
    sidecar = path.with_suffix(".json")
    if not sidecar.exists():
        return None
    data = json.loads(sidecar.read_text(encoding="utf-8"))
    return {k: str(v) for k, v in data.items()}


def read_note_file(path: Path, root: Path, max_bytes: int) -> RawNote | BadInput:
    """Read one note file; any problem becomes a :class:`BadInput` with the reason."""
    source = str(path.relative_to(root))
    size = path.stat().st_size
    if size > max_bytes:
        return BadInput(source, BadKind.OVERSIZED, f"{source}: {size} bytes, over the {max_bytes}-byte limit (ingest.max_note_bytes)", b"")
    raw = path.read_bytes()
    if not raw.strip():
        return BadInput(source, BadKind.EMPTY, f"{source}: the file is empty", raw)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return BadInput(source, BadKind.NON_UTF8, f"{source}: not UTF-8 (invalid byte at offset {exc.start}); re-export as UTF-8", raw)
    try:
        sidecar = _read_sidecar(path)
    except (json.JSONDecodeError, UnicodeDecodeError):
        return BadInput(source, BadKind.MALFORMED_JSON, f"{source}: its .json sidecar is not valid UTF-8 JSON", raw)
    if sidecar is not None:
        meta, body = sidecar, text
    else:
        split = split_header(text)
        if split is None:
            return BadInput(source, BadKind.MISSING_FIELD, f"{source}: no header block (MRN:/Date:/Type: then ---) and no .json sidecar", raw)
        meta, body = split
    if not body.strip():
        return BadInput(source, BadKind.EMPTY, f"{source}: the note body is empty", raw)
    if not meta.get("mrn"):
        return BadInput(source, BadKind.MISSING_FIELD, f"{source}: no MRN in the header or sidecar", raw)
    try:
        date = parse_note_date(meta.get("date", ""))
    except ValueError as exc:
        return BadInput(source, BadKind.BAD_DATE, f"{source}: {exc}", raw)
    return RawNote(source=source, patient_ref=meta["mrn"].strip(), date=date,
                   note_type=meta.get("type", "").strip() or "note", text=body, raw=raw)


def read_text_folder(folder: Path, max_bytes: int) -> Iterator[RawNote | BadInput]:
    """Yield every ``*.txt`` note under ``folder`` in a stable (sorted) order."""
    root = folder.parent
    for path in sorted(folder.rglob("*.txt")):
        yield read_note_file(path, root, max_bytes)
