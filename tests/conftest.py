"""Shared fixtures.

Storage: every store test takes the ``store_uri`` fixture. By default it is a
fresh embedded store in a temporary folder; with ``MONGODB_URI`` set, the same
tests run unchanged against that real MongoDB (each in a fresh database,
dropped afterwards).
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest

os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("FLWR_TELEMETRY_ENABLED", "0")

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = Path(os.environ.get("FEDNET_SHARED_DATA", REPO.parent / "shared" / "data"))


@pytest.fixture
def shared_data() -> Path:
    if not SHARED_DATA.exists():
        pytest.fail(f"shared data not found at {SHARED_DATA}: clone the project beside ../shared or set FEDNET_SHARED_DATA")
    return SHARED_DATA


TEST_SITE_SECRET = b"test-site-secret-0123456789"


@pytest.fixture(scope="session")
def deidentifier():
    """One text Deidentifier (default config, ``TEST_SITE_SECRET``) per test session: it is slow
    to build. Modules that define their own ``deidentifier`` fixture keep theirs."""
    from deid.config import load_deid_config
    from deid.pipeline import Deidentifier

    return Deidentifier(load_deid_config(None), TEST_SITE_SECRET)


@pytest.fixture
def database_name() -> str:
    return f"fednet_test_{uuid.uuid4().hex[:10]}"


@pytest.fixture
def store_uri(tmp_path: Path, database_name: str):
    """URI of an empty store: embedded in tmp_path, or MONGODB_URI's server."""
    real = os.environ.get("MONGODB_URI")
    if not real:
        yield f"embedded://{tmp_path / 'store'}"
        return
    yield real
    import pymongo

    client = pymongo.MongoClient(real)
    client.drop_database(database_name)
    client.close()


@pytest.fixture(scope="module")
def resources():
    """The default de-identification config's shared resources, for tests of single recognizers."""
    from deid.config import load_deid_config
    from deid.recognizers.base import Resources

    return Resources.from_config(load_deid_config())
