"""Quarantine: keep a rejected input aside, with a reason, without touching the store's data.

The record in the store holds source, kind, reason and hash, never the content.
The raw bytes go to ``<data_dir>/quarantine/<hash>.bin`` (mode 0600) so the
operator can inspect and fix them; that folder is PHI at rest on the hospital's
own disk, like the export it came from.
"""

from __future__ import annotations

import os
from pathlib import Path

from node.ingest.records import BadInput
from node.store import NodeStore


def quarantine_input(bad: BadInput, store: NodeStore, folder: Path, run_id: str) -> bool:
    """Record ``bad``; return ``False`` when the same input was already quarantined."""
    key = bad.content_hash
    file_name = ""
    if bad.raw:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        path = folder / f"{key}.bin"
        if not path.exists():
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as fh:
                fh.write(bad.raw)
        file_name = path.name
    return store.quarantine(
        {"_id": key, "source": bad.source, "kind": bad.kind.value, "reason": bad.reason,
         "file": file_name, "run_id": run_id}
    )
