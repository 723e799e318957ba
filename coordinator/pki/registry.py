"""The node registry: which nodes the network knows, their certificates and SuperNode keys.

One JSON file (``nodes.json`` in the PKI folder), rewritten atomically. Each
certificate ever issued stays listed, so rotation and revocation keep history:

``{"site_id": ..., "status": "active" | "revoked" | "superseded", "serial": hex,
"fingerprint": sha256 hex, "not_after": iso, "approved_at": iso,
"revoked_at": iso | null, "reason": str | null, "supernode_public_key": "ecdsa-sha2-... "}``
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict

from coordinator.pki.files import write_public

REGISTRY = "nodes.json"
Status = Literal["active", "revoked", "superseded"]


class NodeCertificate(BaseModel):
    """One issued node certificate."""

    model_config = ConfigDict(extra="forbid")

    site_id: str
    status: Status = "active"
    serial: str
    fingerprint: str
    not_after: dt.datetime
    approved_at: dt.datetime
    revoked_at: dt.datetime | None = None
    reason: str | None = None
    supernode_public_key: str

    @property
    def serial_int(self) -> int:
        return int(self.serial, 16)


class NodeRegistry:
    """The registry file of one PKI folder."""

    def __init__(self, folder: Path) -> None:
        self.path = Path(folder) / REGISTRY

    def all(self) -> list[NodeCertificate]:
        if not self.path.exists():
            return []
        return [NodeCertificate.model_validate(r) for r in json.loads(self.path.read_text(encoding="utf-8"))]

    def save(self, records: list[NodeCertificate]) -> None:
        data = [r.model_dump(mode="json") for r in records]
        write_public(self.path, (json.dumps(data, indent=2) + "\n").encode("utf-8"))

    def active(self, site_id: str | None = None) -> list[NodeCertificate]:
        return [r for r in self.all() if r.status == "active" and (site_id is None or r.site_id == site_id)]

    def by_serial(self, serial: int) -> NodeCertificate | None:
        return next((r for r in self.all() if r.serial_int == serial), None)

    def sites(self) -> list[str]:
        return sorted({r.site_id for r in self.all()})

    def revoked_serials(self) -> list[tuple[int, dt.datetime]]:
        return [(r.serial_int, r.revoked_at or r.approved_at) for r in self.all() if r.status != "active"]
