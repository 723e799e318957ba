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


from coordinator.demo.hospitals import HospitalSpec, default_network, generate_network
from coordinator.demo.image_check import ImageCheck, check_planted_images
from coordinator.demo.images import add_images
from coordinator.demo.manifest import Manifest
from coordinator.demo.phi_check import Leak, find_planted
from node.images.blobs import open_blob_store
from node.images.pipeline import ImageIngestReport, ingest_images
from node.ingest.pipeline import IngestJob, IngestReport
from node.runtime import open_node
from node.settings import NodeSettings, load_settings


@dataclass
class NodeSummary:
    """What the coordinator shows per node after the demo's ingest."""

    site_id: str
    hospital: str
    export_kind: str
    report: IngestReport
    planted_values: int
    leaks: list[Leak] = field(default_factory=list)
    images: ImageIngestReport | None = None
    image_check: ImageCheck | None = None
    settings: NodeSettings | None = None

    @property
    def all_leaks(self) -> list[Leak]:
        return [*self.leaks, *(self.image_check.leaks if self.image_check else [])]


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


def generate_exports(exports: Path, n_patients: int, seed: int) -> list[tuple[HospitalSpec, Manifest]]:
    """Write each simulated hospital's raw export (notes, then images) with its manifest."""
    specs = default_network(n_patients=n_patients, seed=seed)
    manifests = generate_network(exports, seed=seed, specs=specs)
    for manifest in manifests:
        add_images(exports / manifest.site, manifest)
    return list(zip(specs, manifests))


def run_node(spec: HospitalSpec, manifest: Manifest, export_dir: Path, data_dir: Path, show_progress: bool,
             ocr_check: bool = True) -> NodeSummary:
    """One hospital's node: ingest notes and images, then check the planted PHI."""
    settings = node_settings(manifest.site, manifest.name, data_dir, show_progress, site_terms_of(spec))
    runtime = open_node(settings, create=True)
    try:
        deidentifier = runtime.deidentifier()
        report = IngestJob(settings, runtime.store, deidentifier).run(export_dir)
        images = ingest_images(settings, runtime.store, deidentifier, runtime.secret, export_dir, show_progress)
        leaks = find_planted(manifest, export_dir, runtime.store, [runtime.log_path])
        image_check = None
        if manifest.images:
            blobs = open_blob_store(runtime.store, settings.image_blob_dir)
            image_check = check_planted_images(manifest, export_dir, runtime.store, blobs, runtime.secret,
                                               settings.node.site_id, [runtime.log_path], ocr=ocr_check)
    finally:
        runtime.close()
    return NodeSummary(manifest.site, manifest.name, manifest.export_kind, report,
                       planted_values=len(manifest.all_planted()), leaks=leaks, images=images,
                       image_check=image_check, settings=settings)


def run_demo(out_dir: Path, n_patients: int = 36, seed: int = 7, fresh: bool = True,
             show_progress: bool = True, ocr_check: bool = True) -> list[NodeSummary]:
    """Generate the network and run every hospital's node on its own embedded store."""
    if fresh and out_dir.exists():
        shutil.rmtree(out_dir)
    exports = out_dir / "hospitals"
    return [run_node(spec, manifest, exports / manifest.site, out_dir / "nodes" / manifest.site, show_progress,
                     ocr_check)
            for spec, manifest in generate_exports(exports, n_patients, seed)]


def phi_types(summaries: list[NodeSummary]) -> list[str]:
    total: Counter = Counter()
    for s in summaries:
        total.update(s.report.phi_removed)
    return [t for t, _ in total.most_common()]


def load_manifest(export_dir: Path) -> Manifest:
    return Manifest.load(export_dir / "manifest.json")
