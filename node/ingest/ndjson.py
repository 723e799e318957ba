"""One NDJSON file of an export, line by line, each bad line a :class:`BadInput`, never a crash.

Shared by the FHIR readers (``Patient.ndjson``, ``DocumentReference.ndjson``): the file is
opened through :class:`ExportFiles` (nothing outside the export, no FIFOs), an over-long line
is skipped without being held in memory, blank lines are ignored, and an exception the reader
did not expect on one line quarantines that line only.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Iterator, TypeVar

from node.ingest.files import ExportFiles, UnsafeInput, iter_lines
from node.ingest.jsonsafe import JsonProblem, loads
from node.ingest.records import BadInput, BadKind, InputRef, unexpected

T = TypeVar("T")


def read_ndjson(path: Path, files: ExportFiles, label: str, line_limit: int, oversize_problem: str,
                parse_line: Callable[[bytes, str, InputRef], T | BadInput]) -> Iterator[T | BadInput]:
    """Yield ``parse_line(raw, "<file name>:<n>", ref)`` for each non-blank line of ``path``.

    ``label`` names the file outside memory; a line over ``line_limit`` bytes becomes an
    ``oversized`` :class:`BadInput` saying ``oversize_problem``.
    """
    file_ref = files.ref(path, label)
    try:
        fh = files.open(path)
    except UnsafeInput as exc:
        yield BadInput(file_ref, exc.kind, exc.problem)
        return
    with fh:
        for lineno, raw in iter_lines(fh, line_limit):
            ref = file_ref.at_line(lineno)
            if raw is None:
                yield BadInput(ref, BadKind.OVERSIZED, oversize_problem)
                continue
            if not raw.strip():
                continue
            try:
                yield parse_line(raw, f"{Path(path).name}:{lineno}", ref)
            except Exception as exc:  # noqa: BLE001 - one bad line never stops the batch
                yield unexpected(ref, exc, raw)


def json_line(raw: bytes, ref: InputRef) -> object | BadInput:
    """The JSON value of one line, or a :class:`BadInput` (not UTF-8, malformed, too deep or too large)."""
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return BadInput(ref, BadKind.NON_UTF8, "line is not UTF-8", raw)
    try:
        return loads(raw)
    except JsonProblem as exc:
        return BadInput(ref, BadKind.MALFORMED_JSON, f"line {exc}", raw)
