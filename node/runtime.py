"""Wire a node together from its settings: secret, store, de-identifier, logging."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from node.logs import release_file_logging, setup_file_logging
from node.secrets import load_or_create_site_secret, load_site_secret
from node.settings import NodeSettings
from node.store import NodeStore, open_store


@dataclass
class NodeRuntime:
    settings: NodeSettings
    store: NodeStore
    secret: bytes
    log_path: Path

    def deidentifier(self):
        """Build the de-identifier (loads spaCy and the recognizers: a few seconds)."""
        from deid.config import load_deid_config
        from deid.pipeline import Deidentifier

        return Deidentifier(load_deid_config(self.settings.deid.config), self.secret)

    def close(self) -> None:
        self.store.close()
        release_file_logging(self.log_path)


def open_node(settings: NodeSettings, *, create: bool = False) -> NodeRuntime:
    """Open a node's store and secret; with ``create`` make them if missing (``fednode init``)."""
    settings.node.data_dir.mkdir(parents=True, exist_ok=True)
    secret = load_or_create_site_secret(settings.secret_path) if create else load_site_secret(settings.secret_path)
    log_path = setup_file_logging(settings.log_dir)
    store = open_store(settings.effective_store_uri, settings.node.database)
    store.ensure_schema(_validators())
    return NodeRuntime(settings=settings, store=store, secret=secret, log_path=log_path)


def _validators() -> dict[str, dict]:
    from schemas.jsonschema import mongo_validator

    return {name: mongo_validator(name) for name in ("patients", "documents")}
