"""The coordinator's copy of every audit receipt the nodes returned: an anchor outside each node.

Each node's answer carries ``{"site_id", "seq", "hash"}`` of the audit entry it
wrote for that request (:meth:`node.governance.audit.AuditLog.receipt`). The
coordinator appends them, one JSON object a line, to ``audit_receipts.jsonl`` in
its folder. A node operator who wants to prove the node's log was neither
truncated nor replaced takes this file (or the lines for their site) and runs
``fednode audit verify --receipts audit_receipts.jsonl``: every receipt must still
be in the log with the same hash. The coordinator cannot forge receipts (the
hashes are keyed with the node's site secret), and the node cannot quietly drop
an entry the coordinator holds a receipt for.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path
from typing import Any, Iterable

RECEIPTS = "audit_receipts.jsonl"


class ReceiptBook:
    """Append-only receipts file in the coordinator's folder."""

    def __init__(self, folder: Path) -> None:
        self.path = Path(folder) / RECEIPTS

    def record(self, receipts: Iterable[dict[str, Any]], *, query_nonce: str | None = None) -> int:
        """Append receipts (``site_id``, ``seq``, ``hash``; others ignored); returns how many were written."""
        at = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
        lines = []
        for r in receipts:
            if not isinstance(r, dict) or not isinstance(r.get("seq"), int) or not isinstance(r.get("hash"), str):
                continue
            lines.append(json.dumps({"site_id": str(r.get("site_id")), "seq": r["seq"], "hash": r["hash"][:128],
                                     "query_nonce": query_nonce, "at": at}, separators=(",", ":")))
        if not lines:
            return 0
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        with os.fdopen(fd, "a", encoding="utf-8") as fh:
            fh.write("\n".join(lines) + "\n")
        return len(lines)

    def all(self, site_id: str | None = None) -> list[dict[str, Any]]:
        from node.governance.audit import read_receipts

        return read_receipts(self.path, site_id) if self.path.exists() else []
