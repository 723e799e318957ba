"""The demo network: simulated hospitals, one node each, and the coordinator's view of them.

``run_demo`` generates the hospitals' raw exports (with planted PHI), runs a
node per hospital on the embedded store, ingests each export, runs the
planted-PHI check against each node's store and logs, and returns one row per
node for the table that ``fedcoord demo`` prints.
"""

from __future__ import annotations

import os
import shutil
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from coordinator.demo.hospitals import default_network, generate_network
from coordinator.demo.manifest import Manifest
from coordinator.demo.phi_check import Leak, find_planted
from node.ingest.pipeline import IngestJob, IngestReport
from node.runtime import open_node
from node.settings import load_settings


@dataclass
class NodeSummary:
    """What the coordinator shows per node after the demo's ingest."""

    site_id: str
    hospital: str
    export_kind: str
    report: IngestReport
    planted_values: int
    leaks: list[Leak] = field(default_factory=list)


def node_settings(site_id: str, hospital: str, data_dir: Path, show_progress: bool,
                  site_terms: dict[str, list[str]] | None = None):
    """Settings of one simulated node: packaged defaults + FEDNET_* overrides + these keys.

    ``site_terms`` are the hospital's own place names, as its operator would list them in
    ``[deid.site_terms]`` of the node's TOML.
    """

    environ = dict(os.environ)
    environ["FEDNET_NODE__SITE_ID"] = site_id
    environ["FEDNET_NODE__SITE_NAME"] = hospital
    environ["FEDNET_NODE__DATA_DIR"] = str(data_dir)
    environ["FEDNET_NODE__DATABASE"] = f"fednet_{site_id}"  # one database per node, also on a shared server
    environ["FEDNET_INGEST__SHOW_PROGRESS"] = "true" if show_progress else "false"
    settings = load_settings(None, environ)
    if site_terms:
        settings.deid.site_terms = site_terms
    return settings


def site_terms_of(spec) -> dict[str, list[str]]:
    """What a hospital's operator would configure as its own place names."""
    return {"HOSPITAL": [spec.name, spec.short_name, *spec.facilities],
            "LOCATION": [*spec.wards, *spec.pavilions]}


def run_demo(out_dir: Path, n_patients: int = 36, seed: int = 7, fresh: bool = True,
             show_progress: bool = True) -> list[NodeSummary]:
    """Generate the network and ingest every hospital into its own node store."""
    if fresh and out_dir.exists():
        shutil.rmtree(out_dir)
    exports = out_dir / "hospitals"
    specs = {spec.site_id: spec for spec in default_network(n_patients=n_patients, seed=seed)}
    manifests = generate_network(exports, n_patients=n_patients, seed=seed, specs=list(specs.values()))
    summaries = []
    for manifest in manifests:
        export_dir = exports / manifest.site
        settings = node_settings(manifest.site, manifest.name, out_dir / "nodes" / manifest.site, show_progress,
                                 site_terms_of(specs[manifest.site]))
        runtime = open_node(settings, create=True)
        try:
            report = IngestJob(settings, runtime.store, runtime.deidentifier()).run(export_dir)
            leaks = find_planted(manifest, export_dir, runtime.store, [runtime.log_path])
        finally:
            runtime.close()
        summaries.append(NodeSummary(manifest.site, manifest.name, manifest.export_kind, report,
                                     planted_values=len(manifest.all_planted()), leaks=leaks))
    return summaries


def phi_types(summaries: list[NodeSummary]) -> list[str]:
    total: Counter = Counter()
    for s in summaries:
        total.update(s.report.phi_removed)
    return [t for t, _ in total.most_common()]


def load_manifest(export_dir: Path) -> Manifest:
    return Manifest.load(export_dir / "manifest.json")
