"""Parse and validate the master-data CSVs. Errors name the file, line and column, never a value.

Formats (``node/ingest/FORMATS.md``, "Site master data"): UTF-8, a header row, and

- ``staff.csv``: ``family`` (required), ``given``, ``other_names`` (``;``-separated:
  nicknames, former names);
- ``facilities.csv``: ``name`` and ``kind`` (required; ``hospital``, ``clinic``,
  ``facility``, ``building``, ``ward`` or ``unit``), ``aliases`` (``;``-separated);
- ``towns.csv``: ``name`` (required), ``aliases`` (``;``-separated).

Other columns are ignored (an HR export may carry many). A file with any bad row is refused
as a whole, so a list is never half imported.
"""

from __future__ import annotations

import csv
import io
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path

MAX_FILE_BYTES = 50_000_000
MAX_ROWS = 500_000
MAX_VALUE_CHARS = 120
MAX_ERRORS = 20
FACILITY_KINDS = ("hospital", "clinic", "facility", "building", "ward", "unit")
_LETTER = re.compile(r"[^\W\d_]")


class MasterDataError(ValueError):
    """A master-data file is refused; ``errors`` lists ``<file> line <n>: <problem>``."""

    def __init__(self, file: str, errors: list[str], total: int | None = None):
        self.file, self.errors = file, errors
        total = len(errors) if total is None else total
        more = f"\n  ... and {total - len(errors)} more" if total > len(errors) else ""
        super().__init__(f"{file}: refused ({total} problem{'s' if total != 1 else ''}); nothing of it was "
                         "imported:\n  " + "\n  ".join(errors) + more)


@dataclass(frozen=True)
class StaffMember:
    family: str
    given: str = ""
    other_names: tuple[str, ...] = ()


@dataclass(frozen=True)
class Facility:
    name: str
    kind: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Town:
    name: str
    aliases: tuple[str, ...] = ()


@dataclass
class _Errors:
    file: str
    shown: list[str] = field(default_factory=list)
    total: int = 0

    def add(self, line: int | None, problem: str) -> None:
        self.total += 1
        if len(self.shown) < MAX_ERRORS:
            self.shown.append(f"{self.file} line {line}: {problem}" if line else f"{self.file}: {problem}")

    def raise_if_any(self) -> None:
        if self.total:
            raise MasterDataError(self.file, self.shown, self.total)


def _read_text(path: Path) -> str:
    """The file as text; refuses non-regular files (a FIFO would hang), huge files, non-UTF-8."""
    name = path.name
    try:
        st = os.stat(path)
    except OSError as exc:
        raise MasterDataError(name, [f"{name}: cannot be read ({exc.__class__.__name__}): pass an existing CSV file"]) from None
    if not stat.S_ISREG(st.st_mode):
        raise MasterDataError(name, [f"{name}: not a regular file (a folder, FIFO or device): pass a CSV file"])
    if st.st_size > MAX_FILE_BYTES:
        raise MasterDataError(name, [f"{name}: {st.st_size} bytes, over the {MAX_FILE_BYTES}-byte limit"])
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    with os.fdopen(fd, "rb") as fh:
        data = fh.read(MAX_FILE_BYTES + 1)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise MasterDataError(name, [f"{name} line {line}: not UTF-8 (invalid byte at offset {exc.start}); "
                                     "save the file as UTF-8"]) from None


def _rows(path: Path, required: tuple[str, ...], optional: tuple[str, ...]):
    """``(errors, [(line, {column: value})])`` of a CSV with the given columns (case-insensitive)."""
    errors = _Errors(path.name)
    reader = csv.reader(io.StringIO(_read_text(path), newline=""), strict=True)
    try:
        header = next(reader, None)
    except csv.Error:
        errors.add(1, "the header row is malformed CSV")
        errors.raise_if_any()
    if not header:
        errors.add(None, f"empty file: expected a header row with {', '.join(required)}")
        errors.raise_if_any()
    columns = [h.strip().lower() for h in header]
    missing = [c for c in required if c not in columns]
    if missing:
        errors.add(1, f"lacks column(s) {', '.join(missing)} (the header row has {len(columns)} columns; "
                      f"expected {', '.join(required + optional)})")
        errors.raise_if_any()
    wanted = {c: columns.index(c) for c in required + optional if c in columns}
    rows = []
    while True:
        line = reader.line_num + 1
        try:
            values = next(reader)
        except StopIteration:
            break
        except csv.Error:
            errors.add(line, "malformed CSV from this line on (an unbalanced quote or a NUL byte)")
            break
        if not any(v.strip() for v in values):
            continue  # blank line
        if len(rows) >= MAX_ROWS:
            errors.add(line, f"more than {MAX_ROWS} rows")
            break
        rows.append((line, {c: (values[i].strip() if i < len(values) else "") for c, i in wanted.items()}))
    return errors, rows


def _check_term(errors: _Errors, line: int, column: str, value: str) -> bool:
    """Whether ``value`` can be a deny-list term (the problem is recorded, the value never quoted)."""
    if len(value) > MAX_VALUE_CHARS:
        errors.add(line, f"'{column}' is longer than {MAX_VALUE_CHARS} characters")
        return False
    letters = len(_LETTER.findall(value))
    if letters == 0:
        errors.add(line, f"'{column}' has no letters")
        return False
    digits = sum(c.isdigit() for c in value)
    if digits >= 4 and letters <= 3:
        errors.add(line, f"'{column}' looks like a number, not a name (it would redact that number everywhere)")
        return False
    return True


def _split(errors: _Errors, line: int, column: str, value: str) -> tuple[str, ...]:
    parts = tuple(p.strip() for p in value.split(";") if p.strip())
    return tuple(p for p in parts if _check_term(errors, line, column, p))


def read_staff(path: Path) -> list[StaffMember]:
    """The staff roster (``family`` required, ``given``, ``other_names``).

    Raises
    ------
    MasterDataError
        Naming each bad line (up to 20) and what is wrong with it.
    """
    errors, rows = _rows(Path(path), ("family",), ("given", "other_names"))
    out = []
    for line, row in rows:
        family, given = row.get("family", ""), row.get("given", "")
        if not family:
            errors.add(line, "empty 'family' column")
            continue
        ok = _check_term(errors, line, "family", family) and (not given or _check_term(errors, line, "given", given))
        others = _split(errors, line, "other_names", row.get("other_names", ""))
        if ok:
            out.append(StaffMember(family=family, given=given, other_names=others))
    errors.raise_if_any()
    return out


def read_facilities(path: Path) -> list[Facility]:
    """Hospitals, clinics, buildings, wards and units (``name``, ``kind``, ``aliases``)."""
    errors, rows = _rows(Path(path), ("name", "kind"), ("aliases",))
    out = []
    for line, row in rows:
        name, kind = row.get("name", ""), row.get("kind", "").lower()
        if not name:
            errors.add(line, "empty 'name' column")
            continue
        if kind not in FACILITY_KINDS:
            errors.add(line, f"'kind' must be one of {', '.join(FACILITY_KINDS)}")
            continue
        aliases = _split(errors, line, "aliases", row.get("aliases", ""))
        if _check_term(errors, line, "name", name):
            out.append(Facility(name=name, kind=kind, aliases=aliases))
    errors.raise_if_any()
    return out


def read_towns(path: Path) -> list[Town]:
    """Local towns, villages and neighbourhoods (``name``, ``aliases``)."""
    errors, rows = _rows(Path(path), ("name",), ("aliases",))
    out = []
    for line, row in rows:
        name = row.get("name", "")
        if not name:
            errors.add(line, "empty 'name' column")
            continue
        aliases = _split(errors, line, "aliases", row.get("aliases", ""))
        if _check_term(errors, line, "name", name):
            out.append(Town(name=name, aliases=aliases))
    errors.raise_if_any()
    return out
