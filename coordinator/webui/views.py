"""Data for the coordinator UI pages (no HTML here): registry, training runs, public data."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from node.webui.views import Unavailable


class TrainingBackend(Protocol):
    """Starts federated training runs and says how they are doing (the coordinator service)."""

    def start(self, *, rounds: int, dp: bool, name: str | None) -> str:
        """Start a run (SecAgg+ on; DP if asked) over the connected nodes; returns its name."""
        ...

    def statuses(self) -> dict[str, str]:
        """Run name -> running / finished / failed."""
        ...


@dataclass
class CoordinatorUIConfig:
    """Where the coordinator UI reads from.

    Attributes
    ----------
    coord_dir:
        The coordinator folder: ``coordinator.key``, ``pki/`` (CA + node registry),
        ``permits/`` (signed permit files), ``runs/`` (training runs).
    node_configs:
        Settings of the nodes a count can reach from this host (``fedcoord ui --nodes``).
    public_store_uri, public_database:
        The coordinator's public-data store, if any.
    """

    coord_dir: Path
    node_configs: list = field(default_factory=list)
    public_store_uri: str = ""
    public_database: str = "fednet_coordinator"

    @property
    def pki_dir(self) -> Path:
        return self.coord_dir / "pki"

    @property
    def permit_dir(self) -> Path:
        return self.coord_dir / "permits"

    @property
    def runs_dir(self) -> Path:
        return self.coord_dir / "runs"


def registry_rows(config: CoordinatorUIConfig, now: dt.datetime | None = None) -> dict[str, Any]:
    from coordinator.pki.registry import NodeRegistry

    now = now or dt.datetime.now(dt.timezone.utc)
    rows = []
    for r in NodeRegistry(config.pki_dir).all():
        rows.append({"site_id": r.site_id, "status": r.status, "serial": r.serial[:16],
                     "not_after": r.not_after.date().isoformat(),
                     "days_left": int((r.not_after - now).total_seconds() // 86400),
                     "approved_at": r.approved_at.isoformat(timespec="seconds"),
                     "revoked_at": r.revoked_at.isoformat(timespec="seconds") if r.revoked_at else "",
                     "reason": r.reason or "", "key": r.supernode_public_key.split()[0]})
    return {"ca": (config.pki_dir / "ca.crt").exists(), "rows": sorted(rows, key=lambda r: (r["site_id"], r["approved_at"]))}


# -- training runs ---------------------------------------------------------------------------------

METRICS_FILES = ("metrics.jsonl", "metrics.json")


def _read_metrics(run_dir: Path) -> list[dict[str, Any]]:
    """Per-round metrics: ``metrics.jsonl`` (one object per round) or ``metrics.json`` (a list)."""
    for name in METRICS_FILES:
        path = run_dir / name
        if not path.exists():
            continue
        text = path.read_text(encoding="utf-8")
        if name.endswith(".jsonl"):
            return [json.loads(line) for line in text.splitlines() if line.strip()]
        data = json.loads(text)
        return data if isinstance(data, list) else list(data.get("rounds", []))
    return []


def training_runs(config: CoordinatorUIConfig) -> list[dict[str, Any]]:
    """Runs under ``<coord_dir>/runs/<run_id>/`` with their per-round metric series."""
    runs = []
    if not config.runs_dir.is_dir():
        return runs
    for run_dir in sorted(p for p in config.runs_dir.iterdir() if p.is_dir()):
        rounds = _read_metrics(run_dir)
        if not rounds:
            continue
        series: dict[str, list[tuple[float, float]]] = {}
        for i, row in enumerate(rounds, 1):
            x = float(row.get("round", i))
            for key, value in row.items():
                if key != "round" and isinstance(value, (int, float)) and not isinstance(value, bool):
                    series.setdefault(key, []).append((x, float(value)))
        info = {}
        if (run_dir / "run.json").exists():
            info = json.loads((run_dir / "run.json").read_text(encoding="utf-8"))
        runs.append({"run_id": run_dir.name, "rounds": len(rounds), "series": series, "info": info,
                     "last": rounds[-1]})
    return runs


# -- public data -----------------------------------------------------------------------------------

def public_data(config: CoordinatorUIConfig) -> dict[str, Any] | Unavailable:
    """Records per source and license in the coordinator's public-data store."""
    try:
        from coordinator.public_data.store import DOCUMENTS, IMAGES, open_public_store
    except ImportError as exc:
        return Unavailable("public-data store", "coordinator.public_data.store", f"{exc.__class__.__name__}: {exc}")
    if not config.public_store_uri:
        return {"configured": False}
    store = open_public_store(config.public_store_uri, config.public_database)
    try:
        by_source, by_license = Counter(), Counter()
        for doc in store.collection(DOCUMENTS).find({}, {"provenance.source": 1, "provenance.license": 1}):
            prov = doc.get("provenance") or {}
            by_source[prov.get("source", "?")] += 1
            by_license[prov.get("license", "?")] += 1
        images = store.count(IMAGES)
    finally:
        store.close()
    return {"configured": True, "by_source": sorted(by_source.items()), "by_license": sorted(by_license.items()),
            "documents": sum(by_source.values()), "images": images}


def subsets(config: CoordinatorUIConfig) -> list[dict[str, Any]] | Unavailable:
    """Subsets created by ``fedcoord subset`` (issue 6), when that module publishes a listing."""
    try:
        from coordinator.subsets import list_subsets  # type: ignore[attr-defined]
    except ImportError as exc:
        return Unavailable("subset list", "coordinator.subsets.list_subsets", f"{exc.__class__.__name__}: {exc}")
    return list(list_subsets(config.coord_dir))
