"""The demo network: simulated hospitals, one node each, and the coordinator's view of them.

``run_demo`` generates the hospitals' raw exports (with planted PHI), runs a
node per hospital on the embedded store, ingests each export, runs the
planted-PHI check against each node's store and logs, then (with ``teaching``)
ingests each hospital's teaching archive (its MedPix training share:
``coordinator/demo/teaching.py``), and returns one row per node for the table
that ``fedcoord demo`` prints. Each node's configuration is written to
``<node>/node.toml`` (``fednode --config`` and ``fedcoord train`` open it).
"""

from __future__ import annotations

import json
import os
import shutil
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Collection, Mapping


from coordinator.demo.hospitals import HospitalSpec, default_network, generate_network
from coordinator.demo.image_check import ImageCheck, check_planted_images
from coordinator.demo.images import add_images
from coordinator.demo.manifest import Manifest
from coordinator.demo.phi_check import Leak, find_planted
from coordinator.demo.sources import default_shared_data
from coordinator.demo.teaching import (TEACHING, TeachingArchive, ingest_teaching_archive, node_eligible_cases,
                                       write_teaching_archives)
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
    teaching: ImageIngestReport | None = None  # the teaching archive's ingest (OCR off for it)

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


def write_node_config(settings: NodeSettings, path: Path) -> Path:
    """The node's TOML, as its operator would keep it: the keys :func:`node_settings` sets.

    Packaged defaults and ``FEDNET_*`` / ``MONGODB_URI`` overrides do the rest when it is loaded
    (``fednode --config <node>/node.toml audit verify``, ``fedcoord train``).
    """
    q = lambda v: json.dumps(v, ensure_ascii=False)  # noqa: E731 - a JSON string is a TOML basic string
    n = settings.node
    lines = ["[node]", f"site_id = {q(n.site_id)}", f"site_name = {q(n.site_name)}",
             f"data_dir = {q(str(Path(n.data_dir).resolve()))}", f"database = {q(n.database)}", "",
             "[ingest]", f"show_progress = {'true' if settings.ingest.show_progress else 'false'}", "",
             "[deid.site_terms]", *[f"{q(kind)} = {q(list(values))}" for kind, values in settings.deid.site_terms.items()]]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def generate_exports(exports: Path, n_patients: int, seed: int,
                     image_cases: Collection[str] | None = None) -> list[tuple[HospitalSpec, Manifest]]:
    """Write each simulated hospital's raw export (notes, then images) with its manifest.

    ``image_cases``: MedPix cases whose images may become the hospitals' DICOM (default all).
    """
    specs = default_network(n_patients=n_patients, seed=seed)
    manifests = generate_network(exports, seed=seed, specs=specs)
    for manifest in manifests:
        add_images(exports / manifest.site, manifest, cases=image_cases)
    return list(zip(specs, manifests))


def image_cases_of(manifest: Manifest) -> set[str]:
    """MedPix cases of a hospital's planted-PHI images (its patients' ``origin``)."""
    with_images = {img.mrn for img in manifest.images}
    return {str(p["origin"]).split(":", 1)[1] for p in manifest.patients
            if p["mrn"] in with_images and str(p.get("origin", "")).startswith("medpix:")}


def run_node(spec: HospitalSpec, manifest: Manifest, export_dir: Path, data_dir: Path, show_progress: bool,
             ocr_check: bool = True, teaching: TeachingArchive | None = None) -> NodeSummary:
    """One hospital's node: ingest notes and images, check the planted PHI, then ingest its teaching archive."""
    settings = node_settings(manifest.site, manifest.name, data_dir, show_progress, site_terms_of(spec))
    write_node_config(settings, Path(data_dir) / "node.toml")
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
        archive = (ingest_teaching_archive(settings, runtime.store, deidentifier, runtime.secret, teaching.folder,
                                           show_progress) if teaching else None)
    finally:
        runtime.close()
    return NodeSummary(manifest.site, manifest.name, manifest.export_kind, report,
                       planted_values=len(manifest.all_planted()), leaks=leaks, images=images,
                       image_check=image_check, settings=settings, teaching=archive)


def run_demo(out_dir: Path, n_patients: int = 36, seed: int = 7, fresh: bool = True,
             show_progress: bool = True, ocr_check: bool = True, teaching: bool = False,
             medpix: Path | None = None) -> list[NodeSummary]:
    """Generate the network and run every hospital's node on its own embedded store.

    Hospital images come only from node-eligible MedPix cases (train split, not public). With
    ``teaching`` each hospital also gets its teaching archive (its MedPix training share,
    ``<out_dir>/teaching/``), ingested by its node after the planted-PHI check: what
    ``fedcoord train`` trains on.
    """
    if fresh and out_dir.exists():
        shutil.rmtree(out_dir)
    medpix = Path(medpix) if medpix else default_shared_data() / "medpix2"
    exports = out_dir / "hospitals"
    network = generate_exports(exports, n_patients, seed, image_cases=node_eligible_cases(medpix))
    archives: Mapping[str, TeachingArchive] = {}
    if teaching:
        archives = write_teaching_archives(out_dir / TEACHING, medpix,
                                           {m.site: image_cases_of(m) for _, m in network})
    return [run_node(spec, manifest, exports / manifest.site, out_dir / "nodes" / manifest.site, show_progress,
                     ocr_check, archives.get(manifest.site))
            for spec, manifest in network]


def phi_types(summaries: list[NodeSummary]) -> list[str]:
    total: Counter = Counter()
    for s in summaries:
        total.update(s.report.phi_removed)
    return [t for t, _ in total.most_common()]


def load_manifest(export_dir: Path) -> Manifest:
    return Manifest.load(export_dir / "manifest.json")
