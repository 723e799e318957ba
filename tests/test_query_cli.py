"""The query commands end to end: coordinator key, permit, `fedcoord count`, `fednode audit verify`, opt-out."""

from __future__ import annotations

import json
from pathlib import Path

from coordinator.cli import main as fedcoord
from node.cli import main as fednode
from node.governance.audit import AUDIT
from node.runtime import open_node
from node.settings import load_settings
from tests.query_helpers import synthetic_docs

SITES = ["hospital-a", "hospital-b"]


def _node_toml(tmp: Path, site: str, store_uri: str, database: str, coordinator_key: str) -> Path:
    path = tmp / f"{site}.toml"
    uri = store_uri if store_uri.startswith("mongodb") else f"embedded://{tmp / site / 'store'}"
    path.write_text(f'[node]\nsite_id = "{site}"\nsite_name = "{site}"\ndata_dir = "{tmp / site}"\n'
                    f'store_uri = "{uri}"\ndatabase = "{database}_{site}"\n\n'
                    f'[query]\ncoordinator_public_key = "{coordinator_key}"\nmin_cell_count = 5\n'
                    'min_secure_sum_sites = 2\n')
    return path


def test_count_audit_and_optout_commands(tmp_path: Path, store_uri: str, database_name: str, capsys) -> None:
    coord = tmp_path / "coord"
    assert fedcoord(["permit", "key", "--dir", str(coord)]) == 0
    public = capsys.readouterr().out.strip()
    configs = []
    for i, site in enumerate(SITES):
        cfg = _node_toml(tmp_path, site, store_uri, database_name, public)
        rt = open_node(load_settings(cfg), create=True)
        rt.store.collection("documents").insert_many(synthetic_docs(site, 30, seed=i))
        rt.close()
        configs.append(str(cfg))
    permit = tmp_path / "permit.json"
    assert fedcoord(["permit", "issue", "--dir", str(coord), "--requester", "dr-lee", "--purpose",
                     "scientific_research", "--fields", "age,sex,term", "--epsilon-budget", "2",
                     "--sites", ",".join(SITES), "--per-site", "--out", str(permit)]) == 0
    capsys.readouterr()
    assert fedcoord(["count", "--permit", str(permit), "--where", "age >= 30", "--by", "sex", "--epsilon", "1",
                     "--nodes", *configs, "--dir", str(coord), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["contributing_sites"] == SITES and result["error"] is None
    assert [c["cell"] for c in result["cells"]] == [["female"], ["male"], ["other"], ["unknown"]]
    assert all(isinstance(c["count"], int) or c["count"] == "<5" for c in result["cells"])
    # a field outside the permit: every node refuses, nothing is counted
    assert fedcoord(["count", "--permit", str(permit), "--where", "modality = MR", "--nodes", *configs,
                     "--dir", str(coord), "--json"]) == 1
    refused = json.loads(capsys.readouterr().out)["refused"]
    assert set(refused) == set(SITES) and all(r.startswith("scope") for r in refused.values())
    # a malformed expression is a clear one-line error
    assert fedcoord(["count", "--permit", str(permit), "--where", "age >>= 3", "--nodes", *configs,
                     "--dir", str(coord)]) == 2

    # per node: the count, its agree and reveal steps, then the refusal
    receipts = coord / "audit_receipts.jsonl"
    assert fednode(["audit", "verify", "--config", configs[0], "--receipts", str(receipts)]) == 0
    out = capsys.readouterr().out
    assert "4 entries" in out and "4 receipt(s)" in out
    rt = open_node(load_settings(Path(configs[0])))
    rt.store.collection(AUDIT).update_one({"_id": 0}, {"$set": {"decision": "refused"}})
    rt.close()
    assert fednode(["audit", "verify", "--config", configs[0]]) == 1
    assert "TAMPERED" in capsys.readouterr().out

    assert fednode(["optout", "add", "--mrn", "4471-553-20", "--config", configs[1]]) == 0
    out = capsys.readouterr().out
    assert "opted out" in out and "4471-553-20" not in out
    assert fednode(["optout", "list", "--config", configs[1]]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 1
