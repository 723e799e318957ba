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


def _network(tmp_path: Path, store_uri: str, database_name: str, capsys, coordinator_key: str | None = None):
    coord = tmp_path / "coord"
    assert fedcoord(["permit", "key", "--dir", str(coord)]) == 0
    public = capsys.readouterr().out.strip()
    configs = []
    for i, site in enumerate(SITES):
        cfg = _node_toml(tmp_path, site, store_uri, database_name, coordinator_key or public)
        rt = open_node(load_settings(cfg), create=True)
        rt.store.collection("documents").insert_many(synthetic_docs(site, 20, seed=i))
        rt.close()
        configs.append(str(cfg))
    permit = tmp_path / "permit.json"
    assert fedcoord(["permit", "issue", "--dir", str(coord), "--requester", "dr-lee", "--purpose",
                     "scientific_research", "--fields", "age,sex", "--epsilon-budget", "2",
                     "--sites", ",".join(SITES), "--out", str(permit)]) == 0
    capsys.readouterr()
    return coord, configs, permit


def test_permit_files_in_other_encodings(tmp_path: Path, store_uri: str, database_name: str, capsys) -> None:
    coord, configs, permit = _network(tmp_path, store_uri, database_name, capsys)
    text = permit.read_text(encoding="utf-8")
    run = ["count", "--where", "age >= 30", "--nodes", *configs, "--dir", str(coord), "--json"]
    # UTF-16 with a byte-order mark (what Windows editors save): read as such
    utf16 = tmp_path / "permit-utf16.json"
    utf16.write_bytes(text.encode("utf-16"))
    assert fedcoord([*run, "--permit", str(utf16)]) == 0
    assert json.loads(capsys.readouterr().out)["error"] is None
    # not text at all, or Latin-1 bytes that are not UTF-8: one clear line naming the file, exit 2
    for name, data in (("permit-latin1.json", text.replace("dr-lee", "dr-lée").encode("latin-1")),
                       ("permit.bin", b"\x00\x9f\xff" * 100)):
        bad = tmp_path / name
        bad.write_bytes(data)
        assert fedcoord([*run, "--permit", str(bad)]) == 2
        err = capsys.readouterr().err
        assert str(bad) in err and "UTF-8" in err and "Traceback" not in err


def test_count_command_refuses_bad_epsilon_and_where_clearly(tmp_path: Path, store_uri: str, database_name: str,
                                                             capsys) -> None:
    coord, configs, permit = _network(tmp_path, store_uri, database_name, capsys)
    base = ["count", "--permit", str(permit), "--nodes", *configs, "--dir", str(coord)]
    assert fedcoord([*base, "--epsilon", "0.0000004"]) == 2
    assert "--epsilon" in capsys.readouterr().err
    assert fedcoord([*base, "--where", "age >= " + "9" * 5000]) == 2
    err = capsys.readouterr().err
    assert "digits" in err and "--where" in err and "Traceback" not in err


def test_malformed_coordinator_key_in_a_node_config_is_refused_and_audited(tmp_path: Path, store_uri: str,
                                                                         database_name: str, capsys) -> None:
    coord, configs, permit = _network(tmp_path, store_uri, database_name, capsys, coordinator_key="not-a-key!!")
    assert fedcoord(["count", "--permit", str(permit), "--where", "age >= 30", "--nodes", *configs,
                     "--dir", str(coord), "--json"]) == 1
    refused = json.loads(capsys.readouterr().out)["refused"]
    assert set(refused) == set(SITES) and all(r.startswith("config") and "coordinator_public_key" in r
                                              for r in refused.values())
    rt = open_node(load_settings(Path(configs[0])))
    try:
        last = rt.store.collection(AUDIT).find_one({"_id": 0})
    finally:
        rt.close()
    assert last["decision"] == "refused" and last["reason"].startswith("config")
