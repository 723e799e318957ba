"""Cross-site counts carried by Flower (Simulation Engine, one virtual SuperNode per node): same protocol, real Flower."""

from __future__ import annotations

from pathlib import Path

import pytest

from coordinator.query.demo import run_demo_count
from node.runtime import open_node
from node.settings import load_settings
from tests.query_helpers import synthetic_docs

SITES = ["hospital-a", "hospital-b", "hospital-c"]


@pytest.mark.slow
def test_count_over_flower_simulation_matches_the_nodes_audit(tmp_path: Path, store_uri: str, database_name: str,
                                                              monkeypatch) -> None:
    monkeypatch.setenv("FLWR_HOME", str(tmp_path / "flwr"))
    nodes = []
    for i, site in enumerate(SITES):
        env = {"FEDNET_NODE__SITE_ID": site, "FEDNET_NODE__SITE_NAME": site, "FEDNET_NODE__DATA_DIR": str(tmp_path / site),
               "FEDNET_NODE__DATABASE": f"{database_name}_{i}"}
        if store_uri.startswith("mongodb"):
            env["FEDNET_NODE__STORE_URI"] = store_uri
        settings = load_settings(None, env)
        rt = open_node(settings, create=True)
        rt.store.collection("documents").insert_many(synthetic_docs(site, 30, seed=i))
        rt.close()
        nodes.append(settings)
    result = run_demo_count(nodes, tmp_path / "coord", where="age >= 0", by=("sex",), epsilon=1.0,
                            transport="flower")
    assert result.error is None and result.contributing == SITES
    noisy = []
    for settings in nodes:
        rt = open_node(settings)
        from node.governance.audit import AuditLog

        log = AuditLog(rt.store, rt.secret, settings.node.site_id)
        entries = log.entries()
        count = [e for e in entries if e["kind"] == "count"][-1]
        assert log.verify().ok and count["decision"] == "released"
        assert [e["decision"] for e in entries[-2:]] == ["agreed", "unmasked"]  # the unmask step, both phases
        assert count["hash"] == result.receipts[settings.node.site_id]
        noisy.append(count["answer"]["noisy"])
        rt.close()
    # the network table is the sum of the values each node released, made consistent (post-processing)
    from node.disclosure.consistency import make_consistent
    from node.disclosure.sensitivity import table_shape
    from node.query.where import query_from_cli

    summed = [sum(column) for column in zip(*noisy)]
    expected = make_consistent(summed, table_shape(query_from_cli("age >= 0", ["sex"]), 2))
    assert result.total.value == expected[0] == sum(expected[1:])
