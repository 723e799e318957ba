"""Node configuration: defaults, operator file, environment overrides, clear errors."""

from __future__ import annotations


import pytest

from node.settings import ConfigError, load_settings


def test_defaults_load_without_a_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    s = load_settings(None, {})
    assert s.node.site_id == "site-local" and s.node.data_dir == tmp_path / "var" / "node"
    assert s.effective_store_uri == f"embedded://{tmp_path / 'var' / 'node' / 'store'}"
    assert s.ingest.note_columns.text == "text"


def test_file_then_environment_override(tmp_path):
    cfg = tmp_path / "node.toml"
    cfg.write_text('[node]\nsite_id = "aurelia"\nsite_name = "St. Aurelia"\ndata_dir = "data"\n'
                   '[ingest.note_columns]\ntext = "note_text"\n')
    s = load_settings(cfg, {"FEDNET_NODE__STORE_URI": "mongodb://db.local:27017", "FEDNET_INGEST__BATCH_SIZE": "8"})
    assert s.node.site_id == "aurelia" and s.node.data_dir == tmp_path / "data"  # relative to the file
    assert s.ingest.note_columns.text == "note_text" and s.ingest.note_columns.mrn == "mrn"
    assert s.effective_store_uri == "mongodb://db.local:27017" and s.ingest.batch_size == 8


def test_mongodb_uri_is_the_store_of_last_resort(tmp_path):
    s = load_settings(None, {"MONGODB_URI": "mongodb://ci:27017"})
    assert s.effective_store_uri == "mongodb://ci:27017"
    explicit = load_settings(None, {"MONGODB_URI": "mongodb://ci:27017", "FEDNET_NODE__STORE_URI": "mongodb://mine"})
    assert explicit.effective_store_uri == "mongodb://mine"


@pytest.mark.parametrize("content, needle", [
    ('[node]\nsite_id = "Bad Site!"\n', "node.site_id"),
    ('[ingest]\nmax_note_bytes = -1\n', "ingest.max_note_bytes"),
    ('[ingest]\nunknown_key = 1\n', "ingest.unknown_key"),
    ('[node\n', "not valid TOML"),
])
def test_invalid_config_names_the_key(tmp_path, content, needle):
    cfg = tmp_path / "node.toml"
    cfg.write_text(content)
    with pytest.raises(ConfigError, match=needle.replace(".", r"\.")) as err:
        load_settings(cfg, {})
    assert str(cfg) in str(err.value)


def test_missing_file_says_so(tmp_path):
    with pytest.raises(ConfigError, match="does not exist"):
        load_settings(tmp_path / "nope.toml", {})
