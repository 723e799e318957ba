"""Small real nodes for the multi-process network tests and ``bench/network.py``.

Each node has its own folder and store with (1) synthetic notes whose query fields are known
(``tests.query_helpers.synthetic_docs``) for counts and (2) a teaching archive of a few MedPix
cases (canaries planted in captions and case ids) through the node's real image ingest (OCR
off for that archive), for training. Nothing about the network is set up here: that is
:mod:`coordinator.demo.loopback`.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path

from coordinator.demo.network import write_node_config
from coordinator.demo.teaching import write_teaching_archive
from fl_tasks.testing import CanaryFolder, make_canary_medpix
from node.settings import NodeSection, NodeSettings, load_settings
from tests.query_helpers import synthetic_docs


@dataclass
class SmallNodes:
    configs: list[Path]
    sites: list[str]
    medpix: CanaryFolder


def build_nodes(root: Path, medpix_src: Path, sites: list[str], *, patients: int = 30,
                train_cases_per_site: int = 3, dev_cases: int = 4, database_prefix: str = "") -> SmallNodes:
    """``<root>/nodes/<site>/node.toml`` per site, each store filled (see the module docstring)."""
    from node.images.pipeline import ImageIngestJob
    from node.runtime import open_node

    data = make_canary_medpix(medpix_src, root / "medpix", n_train_cases=train_cases_per_site * len(sites),
                              n_dev_cases=dev_cases, max_images_per_case=2)
    prefix = database_prefix or f"fednet_net_{uuid.uuid4().hex[:8]}"
    configs = []
    for i, site in enumerate(sites):
        archive = write_teaching_archive(root / "teaching" / site, site, data.train_cases[i::len(sites)], data.root)
        # each node its own site secret (pseudonyms, secure-sum key); its own de-identifier keyed by it
        draft = NodeSettings(node=NodeSection(site_id=site, site_name=f"Hospital {site}", data_dir=root / "nodes" / site,
                                              database=f"{prefix}_{i}"))
        config = write_node_config(draft, draft.node.data_dir / "node.toml")
        settings = load_settings(config)
        runtime = open_node(settings, create=True)
        try:
            runtime.store.collection("documents").insert_many(synthetic_docs(site, patients, seed=i))
            ImageIngestJob(settings, runtime.store, runtime.deidentifier(), runtime.secret, ocr=False).run(archive.folder,
                                                                                                 show_progress=False)
        finally:
            runtime.close()
        configs.append(config)
    return SmallNodes(configs, list(sites), data)
