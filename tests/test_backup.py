"""Backup -> wipe -> restore gives the same store; old backups are migrated on restore."""

from __future__ import annotations

import os
import stat
import tarfile

import pytest

from node.backup import BackupError, backup, restore, verify
from node.governance.audit import AuditLog
from node.migrations import META, migrate, plan, stored_version, MigrationError
from node.runtime import open_node
from node.store.node_store import DOCUMENTS, PATIENTS
from schemas.version import SCHEMA_VERSION
from tests.deploy_fixtures import node_settings, populate


@pytest.fixture(scope="module")
def deidentifier():
    from deid.config import load_deid_config
    from deid.pipeline import Deidentifier

    return Deidentifier(load_deid_config(None), b"test-site-secret-0123456789")


@pytest.fixture
def settings(tmp_path, store_uri, database_name, deidentifier):
    s = node_settings(tmp_path, store_uri, database_name)
    populate(s, deidentifier, tmp_path)
    return s


def _counts(store) -> dict[str, int]:
    return {n: store.count(n) for n in store.collection_names() if not n.startswith("system.")}


def _wipe(store) -> None:
    for name in store.collection_names():
        store.collection(name).drop()


def test_backup_wipe_restore_gives_identical_store(settings, tmp_path):
    rt = open_node(settings)
    try:
        before = _counts(rt.store)
        assert before[DOCUMENTS] >= 4 and before[PATIENTS] == 2 and before["audit_log"] == 4
        assert before["quarantine"] >= 1 and before["optouts"] == 1 and before["privacy_budget"] == 1
        report = backup(rt.store, tmp_path / "b1.tar.gz", site_id="test-site", blob_dir=settings.image_blob_dir)
        assert stat.S_IMODE(os.stat(report.path).st_mode) == 0o600
        assert report.schema_version == SCHEMA_VERSION and report.counts == before

        _wipe(rt.store)
        assert sum(_counts(rt.store).values()) == 0
        restored = restore(rt.store, report.path, blob_dir=settings.image_blob_dir)
        assert _counts(rt.store) == before
        assert restored.counts == before and restored.migrations == []
        # Same content, not just the same counts: a second backup has the same digests.
        again = backup(rt.store, tmp_path / "b2.tar.gz", site_id="test-site")
        assert verify(again.path)["collections"] == verify(report.path)["collections"]
        # The audit chain (HMAC-keyed by the site secret) still verifies after the round trip.
        assert AuditLog(rt.store, rt.secret, "test-site").verify().ok
    finally:
        rt.close()


def test_restore_refuses_damaged_backups_and_occupied_stores(settings, tmp_path):
    rt = open_node(settings)
    try:
        good = backup(rt.store, tmp_path / "b.tar.gz", site_id="test-site").path
        with pytest.raises(BackupError, match="not empty"):
            restore(rt.store, good)
        with pytest.raises(BackupError, match="already exists"):
            backup(rt.store, good, site_id="test-site")
        # Tamper with one record: counts stay, the digest catches it, nothing is written.
        bad = tmp_path / "bad.tar.gz"
        with tarfile.open(good, "r:gz") as src, tarfile.open(bad, "w:gz") as dst:
            for member in src.getmembers():
                data = src.extractfile(member).read()
                if member.name == "collections/audit_log.jsonl":
                    data = data.replace(b"dr-who", b"dr-how", 1)
                member.size = len(data)
                import io
                dst.addfile(member, io.BytesIO(data))
        _wipe(rt.store)
        with pytest.raises(BackupError, match="audit_log is damaged"):
            restore(rt.store, bad)
        assert sum(_counts(rt.store).values()) == 0
        with pytest.raises(BackupError, match="not a readable fednet backup"):
            restore(rt.store, tmp_path / "missing.tar.gz")
    finally:
        rt.close()


def test_old_backup_is_migrated_on_restore(settings, tmp_path, store_uri):
    """A store written at schema 1.0.0 (no keyword tokens) is brought to the current version."""
    rt = open_node(settings)
    try:
        docs = rt.store.collection(DOCUMENTS)
        tokens = {d["_id"]: d["query"]["tokens"] for d in docs.find({}, {"query.tokens": 1})}
        assert any(tokens.values())
        docs.update_many({}, {"$unset": {"query.tokens": ""},
                              "$set": {"schema_version": "1.0.0", "query.schema_version": "1.0.0"}})
        rt.store.collection(PATIENTS).update_many({}, {"$set": {"schema_version": "1.0.0"}})
        rt.store.collection(META).delete_many({})
        assert stored_version(rt.store) == "1.0.0"
        old = backup(rt.store, tmp_path / "old.tar.gz", site_id="test-site")
        assert old.schema_version == "1.0.0"
        _wipe(rt.store)
        report = restore(rt.store, old.path)
        assert report.migrations and report.migrations[0].startswith("1.0.0 -> 1.1.0")
        assert stored_version(rt.store) == SCHEMA_VERSION
        after = {d["_id"]: d["query"]["tokens"] for d in docs.find({}, {"query.tokens": 1})}
        assert after == tokens
        assert set(docs.distinct("schema_version")) == {SCHEMA_VERSION}
        assert migrate(rt.store) == []  # idempotent: nothing left to do
    finally:
        rt.close()


def test_migration_plan_refuses_downgrades_and_unknown_major_steps():
    assert plan(SCHEMA_VERSION) == []
    with pytest.raises(MigrationError, match="newer than this code"):
        plan("99.0.0")
    with pytest.raises(MigrationError, match="major change"):
        plan("0.9.0")
