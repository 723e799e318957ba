"""Quarantine: keep a rejected input aside, with a reason, without touching the store's data.

The record in the store holds the input's label (``notes/#3.txt``, ``fhir/Patient.ndjson
line 7``: never its file name or FHIR id), the keyed hash of its path (``source_key``),
kind, reason, what to do (``action``) and the name of the kept copy; never the content.
The raw bytes go to ``<data_dir>/quarantine/<id>.bin`` (mode 0600, folder 0700) so the
operator can inspect and fix them; that folder is PHI at rest on the hospital's own disk,
like the export it came from. Ids are keyed hashes (site secret), so neither the record
nor the file name confirms a guess of the content.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from pathlib import Path

from node.ingest.records import BadInput
from node.store import NodeStore


def quarantine_id(bad: BadInput, key: bytes = b"") -> str:
    """Stable id of a rejected input: its file (keyed path hash), line and content."""
    where = f"{bad.ref.key or bad.ref.label}\x1f{bad.ref.line or 0}\x1f{bad.kind.value}".encode()
    if key:
        return hmac.new(key, where + b"\x1f" + bad.raw, hashlib.sha256).hexdigest()
    return hashlib.sha256(where + b"\x1f" + bad.raw).hexdigest()


def quarantine_input(bad: BadInput, store: NodeStore, folder: Path, run_id: str, key: bytes = b"") -> bool:
    """Record ``bad``; return ``False`` when the same input was already quarantined.

    ``key`` is :func:`node.ingest.files.names_key` of the site secret.
    """
    qid = quarantine_id(bad, key)
    file_name = ""
    if bad.raw:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        path = folder / f"{qid}.bin"
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # the same input, kept by an earlier run
            pass
        else:
            with os.fdopen(fd, "wb") as fh:
                fh.write(bad.raw)
        file_name = path.name
    return store.quarantine(
        {"_id": qid, "source": bad.ref.label, "source_key": bad.ref.key, "line": bad.ref.line,
         "kind": bad.kind.value, "reason": bad.reason, "action": bad.kind.action, "file": file_name, "run_id": run_id}
    )
