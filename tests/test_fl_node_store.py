"""Federated training reads each node's store, and every run is written to each node's audit log.

Two small nodes are filled the way the demo fills its hospitals: a teaching archive of a few
MedPix cases (canaries planted in every caption and case id, ``fl_tasks.testing``) goes through
the node's real image ingest with burned-in-text OCR off for that archive. Then:

- :class:`~fl_tasks.node_source.NodeStoreSource` gives the images back with their MedPix labels,
  de-identified captions, and without an opted-out patient's images;
- one simulated round of ``run_federated_demo`` (source: the node stores) leaves in each node's
  audit log the permit decision and the round (numbers only), a chain ``fednode audit verify``
  accepts, and no caption text.
"""

from __future__ import annotations

import hashlib
import json
import os
import uuid
from pathlib import Path

import numpy as np
import pytest

from coordinator.demo.network import write_node_config
from coordinator.demo.teaching import write_teaching_archive
from fl_tasks.data import write_node_cases
from fl_tasks.demo import DEMO_NODE_CASES
from fl_tasks.node_source import node_store_source
from fl_tasks.testing import make_canary_medpix, without_markers
from node.governance.optout import OptOutRegistry
from node.images.pipeline import ImageIngestJob
from node.settings import NodeSection, NodeSettings, load_settings
from node.store import open_store
from tests.conftest import SHARED_DATA, TEST_SITE_SECRET
from tests.helpers import node_audit_entries

pytestmark = pytest.mark.slow
SITES = ("site-a", "site-b")
PLANTED = "Reviewed with Dr. Margaret Okonkwo on 04/11/2019, MRN 7731-002-91, call 617-555-0143."
PLANTED_VALUES = ("Okonkwo", "Margaret", "7731-002-91", "617-555-0143", "04/11/2019")


def _write_secret(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(TEST_SITE_SECRET.hex() + "\n")


def _pixel_key(pixels: np.ndarray) -> str:
    return hashlib.sha256(np.ascontiguousarray(pixels).tobytes()).hexdigest()


@pytest.fixture(scope="module")
def network(tmp_path_factory, deidentifier):
    """Two nodes (``<tmp>/nodes/<site>/node.toml``) whose stores hold their ingested teaching archives."""
    from PIL import Image

    tmp = tmp_path_factory.mktemp("fl-nodes")
    data = make_canary_medpix(SHARED_DATA / "medpix2", tmp / "medpix", n_train_cases=6, n_dev_cases=3,
                              max_images_per_case=2)
    records = {r["image"]: r for r in json.loads((data.root / "Descriptions.json").read_text())}
    originals = {}
    for name, rec in records.items():
        with Image.open(data.root / "images" / f"{name}.png") as im:
            originals[_pixel_key(np.asarray(im.convert("L"), dtype=np.uint8))] = rec
    nodes = {}
    for i, site in enumerate(SITES):
        archive = write_teaching_archive(tmp / "teaching" / site, site, data.train_cases[i::2], data.root)
        if i == 0:  # a report line with a provider, a date, an MRN and a phone number, in one sidecar
            sidecar = sorted((archive.folder / "images").glob("*.json"))[0]
            side = json.loads(sidecar.read_text())
            side["caption"] = f"{side['caption']} {PLANTED}"
            sidecar.write_text(json.dumps(side))
        draft = NodeSettings(node=NodeSection(site_id=site, site_name=f"Hospital {site}", data_dir=tmp / "nodes" / site,
                                              database=f"fednet_test_{uuid.uuid4().hex[:10]}"))
        config = write_node_config(draft, draft.node.data_dir / "node.toml")
        settings = load_settings(config)  # as fedcoord train will open it (MONGODB_URI, if set, applies)
        _write_secret(settings.secret_path)
        store = open_store(settings.effective_store_uri, settings.node.database)
        try:
            report = ImageIngestJob(settings, store, deidentifier, TEST_SITE_SECRET, ocr=False).run(
                archive.folder, show_progress=False)
        finally:
            store.close()
        nodes[site] = {"settings": settings, "archive": archive, "report": report, "config": config}
    write_node_cases(tmp / DEMO_NODE_CASES, {site: {"teaching_archive": n["archive"].cases} for site, n in nodes.items()})
    yield {"tmp": tmp, "data": data, "nodes": nodes, "originals": originals}
    if os.environ.get("MONGODB_URI"):
        import pymongo

        client = pymongo.MongoClient(os.environ["MONGODB_URI"])
        for node in nodes.values():
            client.drop_database(node["settings"].node.database)
        client.close()


def test_ingested_archive_comes_back_with_labels_deidentified_captions_and_opt_outs(network, deidentifier):
    node = network["nodes"]["site-a"]
    settings, archive, report = node["settings"], node["archive"], node["report"]
    assert report.images_stored == archive.images and report.quarantined_total == 0
    assert report.ocr is False and report.to_dict()["ocr"] is False  # the per-ingest choice, in the report
    assert settings.images.ocr is True  # ... and not a change of the node's setting
    assert {"PROVIDER", "MRN", "PHONE", "DATE"} <= set(report.caption_phi_removed)

    with node_store_source(settings) as source:
        pairs = list(source)
        store_records = list(source.store.collection("images").find({}, {"provenance": 1}))
    assert len(pairs) == archive.images
    assert all(r["provenance"]["ocr"] is False for r in store_records)  # recorded per image
    for pair in pairs:
        original = network["originals"][_pixel_key(pair.pixels())]  # pixels unchanged by the ingest
        assert pair.labels.region == original["Location Category"]  # MedPix's 5 categories, back again
        assert pair.labels.modality == original["Type"]
        assert pair.group == deidentifier.pseudonym(original["U_id"]) and original["U_id"] not in pair.group
        assert not any(v in pair.caption for v in PLANTED_VALUES), pair.caption
    # only the planted caption changed; the clinical text of the others comes back as it was (the canary
    # sentence appended to every caption is left out: a tagger may take a random marker word for a name)
    raw_captions = {without_markers(r["Description"]["Caption"]) for r in network["originals"].values()}
    assert sum(without_markers(p.caption) in raw_captions for p in pairs) == len(pairs) - 1
    assert any("Reviewed with Dr." in p.caption for p in pairs)  # the report line stays, its PHI replaced

    opted_out = archive.cases[0]
    store = open_store(settings.effective_store_uri, settings.node.database)
    try:
        registry = OptOutRegistry(store)
        registry.add(deidentifier.pseudonym(opted_out))
        with node_store_source(settings) as source:
            kept = list(source)
        registry.remove(deidentifier.pseudonym(opted_out))
    finally:
        store.close()
    dropped = [p for p in pairs if p.group == deidentifier.pseudonym(opted_out)]
    assert dropped and len(kept) == len(pairs) - len(dropped)
    assert deidentifier.pseudonym(opted_out) not in {p.group for p in kept}


@pytest.fixture(scope="module")
def trained(network, deidentifier):
    """One simulated round of the demo's training on the two node stores (site-b with an opt-out)."""
    from fl_tasks.config import ModelConfig, OptimConfig, PrivacyConfig, TrainConfig
    from fl_tasks.demo import run_federated_demo

    node = network["nodes"]["site-b"]
    store = open_store(node["settings"].effective_store_uri, node["settings"].node.database)
    try:
        OptOutRegistry(store).add(deidentifier.pseudonym(node["archive"].cases[0]))
    finally:
        store.close()
    cfg = TrainConfig(model=ModelConfig(image_size=64, image_trainable_blocks=1, embed_dim=32),
                      optim=OptimConfig(local_epochs=1, batch_size=4), privacy=PrivacyConfig(secagg=False), rounds=1)
    tmp = network["tmp"]
    return run_federated_demo(tmp, rounds=1, config=cfg, medpix_dir=network["data"].root, cache_dir=tmp / "cache",
                              centralized=False, progress=False)


def test_every_node_audits_the_run_and_its_round_with_numbers_only(network, trained):
    from node.cli import main as fednode

    assert [r["round"] for r in trained.federated] == [0, 1]
    assert list(trained.sites) == list(SITES)
    site_b = network["nodes"]["site-b"]["archive"]
    assert trained.sites["site-b"]["pairs"] < site_b.images  # its opted-out patient did not train
    canaries = network["data"].canaries
    for site, node in network["nodes"].items():
        entries, ok = node_audit_entries(node["settings"])
        assert ok
        assert fednode(["audit", "verify", "--config", str(node["config"])]) == 0
        runs = [e for e in entries if e["kind"] == "training_run"]
        rounds = [e for e in entries if e["kind"] == "training_round"]
        assert len(runs) == 1 and runs[0]["decision"] == "accepted" and runs[0]["permit_id"]
        assert runs[0]["query"].startswith("training config sha256 ")
        assert len(rounds) == 1 and rounds[0]["decision"] == "update_sent"
        assert rounds[0]["permit_id"] == runs[0]["permit_id"]
        answer = rounds[0]["answer"]
        assert answer["round"] == 1 and answer["examples"] == trained.sites[site]["pairs"]
        assert np.isfinite(answer["loss"]) and set(answer) == {"round", "examples", "loss"}
        # the canaries really are in this node's stored captions, and in none of its audit entries or its log
        with node_store_source(node["settings"]) as source:
            stored = " ".join(p.caption for p in source)
        assert all(c in stored for c in canaries[:2])
        text = json.dumps(entries, default=str) + (node["settings"].log_dir / "node.log").read_text()
        assert not [c for c in canaries if c in text]


def test_a_refused_permit_is_audited_once(network, tmp_path):
    from fl_tasks.client_app import admit_run
    from fl_tasks.config import TrainConfig
    from fl_tasks.node_audit import TrainingAudit
    from fl_tasks.node_training import NodeTraining
    from fl_tasks.permit import PermitError, generate_signing_key, issue_permit, public_pem
    from fl_tasks.run_spec import RunSpec

    settings = network["nodes"]["site-a"]["settings"]
    trusted = generate_signing_key(tmp_path / "coordinator.pem")
    (tmp_path / "coordinator.pub").write_bytes(public_pem(trusted.public_key()))
    forger = generate_signing_key(tmp_path / "forger.pem")
    cfg = TrainConfig()
    node = NodeTraining("site-a", tmp_path, None, tmp_path / "coordinator.pub", settings)  # type: ignore[arg-type]
    forged = RunSpec(train=cfg, permit=issue_permit(forger, cfg.model_dump_json(), ["site-a"], "forged"), sites=["site-a"])
    audit = TrainingAudit.open(settings)
    try:
        before = len(audit.log.entries())
        for _ in range(2):  # Flower rebuilds the client every round: one entry per permit and decision
            with pytest.raises(PermitError, match="signature"):
                admit_run(forged, node, audit)
        entries = audit.log.entries()[before:]
        assert [(e["kind"], e["decision"]) for e in entries] == [("training_run", "refused")]
        assert "signature" in entries[0]["reason"] and entries[0]["permit_id"] is None
        assert audit.log.verify().ok
    finally:
        audit.close()


def test_training_stops_if_a_node_holds_an_evaluation_or_public_case(tmp_path):
    from fl_tasks.data import DataError
    from fl_tasks.demo import check_node_cases

    with pytest.raises(DataError, match="no teaching archive"):
        check_node_cases(tmp_path, set(), ["D1"])
    write_node_cases(tmp_path / DEMO_NODE_CASES, {"site-a": {"teaching_archive": ["T1", "T2"]},
                                                  "site-b": {"teaching_archive": ["T3"], "hospital_images": ["D1"]}})
    with pytest.raises(DataError, match="'site-b' holds 1 case.*dev split"):
        check_node_cases(tmp_path, set(), ["D1"])
    check_node_cases(tmp_path, set(), ["D2"])  # disjoint from the evaluation set: the run goes on
    with pytest.raises(DataError, match="public case"):
        check_node_cases(tmp_path, {"T2"}, ["D2"])  # a warm start pretrained on a node's case
