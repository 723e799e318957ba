"""The planted-PHI check: prove that no planted value reached a node's store or logs.

A simulated hospital's ``manifest.json`` lists every PHI value planted in every
note. After ingest, this module reads back *everything* the node keeps (every
record of every collection, with base64 attachments decoded, and the log
files) and looks for those values:

- in the stored document made from that very note: every planted value of the note;
- anywhere in the store and logs: the values that identify on their own
  (names of patients and relatives, MRNs, phones, emails, street addresses, SSNs,
  insurance numbers, hospital names). Short or generic values (dates, wards,
  ZIP codes, ages) are checked per document only, since a surrogate or another
  patient's shifted date may equal them by coincidence.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Iterator

from coordinator.demo.manifest import Manifest
from deid.dates import shift_date_text
from node.ingest.build import document_id
from node.ingest.records import RawNote
from node.ingest.sources import discover, read_notes
from node.settings import IngestSection
from node.store import NodeStore

DATES_REFERENCE_YEAR = 2001  # deid/config/default.yaml dates.reference_year: how partial dates are shifted
STOREWIDE_TYPES = frozenset({"PATIENT", "RELATIVE", "MRN", "PHONE", "EMAIL", "ADDRESS", "SSN", "INSURANCE", "HOSPITAL"})
MIN_STOREWIDE_LEN = 4


@dataclass(frozen=True)
class Leak:
    """A planted value found where it must not be (the value itself is not repeated)."""

    where: str
    phi_type: str
    value_length: int


def _strings(value: Any) -> Iterator[str]:
    """Every string inside a record, with base64 attachment data decoded."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            if key == "data" and isinstance(item, str):
                try:
                    yield base64.b64decode(item, validate=True).decode("utf-8", errors="replace")
                except (binascii.Error, ValueError):
                    yield item
            else:
                yield from _strings(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _strings(item)


def _pattern(value: str) -> re.Pattern[str]:
    return re.compile(r"(?<![A-Za-z0-9])" + re.escape(value) + r"(?![A-Za-z0-9])", re.IGNORECASE)


def _source_to_doc_id(export_dir: Path, site_id: str) -> dict[str, str]:
    layout = discover(export_dir)
    return {n.source: document_id(site_id, n) for n in read_notes(layout, IngestSection()) if isinstance(n, RawNote)}


def _match_source(manifest_source: str, reader_sources: dict[str, str]) -> str | None:
    if manifest_source in reader_sources:
        return reader_sources[manifest_source]
    for src, doc_id in reader_sources.items():
        if src.endswith("/" + manifest_source) or src.endswith(manifest_source):
            return doc_id
    return None


def find_planted(manifest: Manifest, export_dir: Path, store: NodeStore, log_paths: Iterable[Path]) -> list[Leak]:
    """Return every place a planted value was found (empty list = the check passes)."""
    site_id = store_site_id(store, manifest)
    reader_sources = _source_to_doc_id(export_dir, site_id)
    texts_by_doc: dict[str, str] = {}
    documents: dict[str, dict] = {}
    everywhere: list[tuple[str, str]] = []
    for collection, record in store.all_records():
        blob = "\n".join(_strings(record))
        everywhere.append((f"{collection}/{record.get('_id')}", blob))
        if collection == "documents":
            texts_by_doc[str(record["_id"])] = blob
            documents[str(record["_id"])] = record
    for path in log_paths:
        if path.exists():
            everywhere.append((f"log {path.name}", path.read_text(encoding="utf-8", errors="replace")))

    shifted_ordinals = {doc_id: _stored_date_ordinal(record) for doc_id, record in documents.items()}
    leaks: list[Leak] = []
    storewide: dict[str, str] = {}
    for note in manifest.notes:
        doc_id = _match_source(note.source, reader_sources)
        blob = texts_by_doc.get(doc_id or "", "")
        # Shifted planted dates are surrogates: blank them before looking for planted dates, since
        # one may read like another planted date ("8/3" + 30 days = "9/2"; "3/6/2012" holds "3/6").
        date_blob = _blank(blob, _shifted_dates(note, shifted_ordinals.get(doc_id or "")))
        for planted in note.planted:
            haystack = date_blob if planted.type == "DATE" else blob
            if haystack and _pattern(planted.value).search(haystack):
                leaks.append(Leak(f"documents/{doc_id}", planted.type, len(planted.value)))
            if planted.type in STOREWIDE_TYPES and len(planted.value) >= MIN_STOREWIDE_LEN:
                storewide[planted.value] = planted.type
    for bad in manifest.bad_inputs:  # quarantined inputs: their PHI must not reach the store either
        for planted in bad.planted:
            if planted.type in STOREWIDE_TYPES and len(planted.value) >= MIN_STOREWIDE_LEN:
                storewide[planted.value] = planted.type
    for value, phi_type in storewide.items():
        pattern = _pattern(value)
        leaks.extend(Leak(where, phi_type, len(value)) for where, blob in everywhere if pattern.search(blob))
    return leaks


def _blank(text: str, values: set[str]) -> str:
    for value in sorted(values, key=len, reverse=True):
        text = _pattern(value).sub(lambda m: " " * len(m.group(0)), text)
    return text


def _stored_date_ordinal(record: dict) -> int | None:
    """The stored (shifted) note date as a day ordinal, if the record has a readable one."""
    shifted = str(record.get("query", {}).get("note_date_shifted") or record.get("resource", {}).get("date") or "")
    try:
        return dt.date.fromisoformat(shifted[:10]).toordinal()
    except ValueError:
        return None


def _shifted_dates(note, shifted_ordinal: int | None) -> set[str]:
    """What each planted date of the note becomes under the note's date shift.

    A shifted date may read exactly like another planted date of the same note ("8/3" + 30 days
    = "9/2"): that is a surrogate, not a leak. A date left unchanged is never in this set (shifts
    are never 0 nor a whole number of years).
    """
    if shifted_ordinal is None or not getattr(note, "date", ""):
        return set()
    try:
        original = dt.date.fromisoformat(str(note.date)[:10])
    except ValueError:
        return set()
    days = shifted_ordinal - original.toordinal()
    out = set()
    for planted in note.planted:
        if planted.type == "DATE":
            shifted = shift_date_text(planted.value, days, reference_year=DATES_REFERENCE_YEAR)
            if shifted and shifted != planted.value:
                out.add(shifted)
    return out


def store_site_id(store: NodeStore, manifest: Manifest) -> str:
    """The site id the node stored under (from any record), else the manifest's."""
    for _, record in store.all_records():
        if "site_id" in record:
            return record["site_id"]
    return manifest.site
