"""A small populated node for the deployment and UI tests: real ingest plus governance records."""

from __future__ import annotations

from pathlib import Path

from node.settings import NodeSettings, load_settings
from tests.helpers import ALICE, text_export


def node_settings(tmp_path: Path, store_uri: str, database_name: str, site_id: str = "test-site",
                  **extra: str) -> NodeSettings:
    """Settings of a test node; ``extra`` are more ``FEDNET_*`` variables."""
    env = {**extra, "FEDNET_NODE__SITE_ID": site_id, "FEDNET_NODE__DATA_DIR": str(tmp_path / site_id),
           "FEDNET_NODE__STORE_URI": store_uri, "FEDNET_NODE__DATABASE": database_name,
           "FEDNET_INGEST__SHOW_PROGRESS": "false", "FEDNET_INGEST__MAX_NOTE_BYTES": "4000"}
    return load_settings(None, env)


def populate(settings: NodeSettings, deidentifier, tmp_path: Path) -> None:
    """Ingest a two-patient export (with one oversized note quarantined), then write audit,
    budget and opt-out records through the governance APIs."""
    from node.governance.audit import AuditLog
    from node.governance.optout import OptOutRegistry, pseudonym_for_mrn
    from node.disclosure.ledger import BudgetLedger
    from node.ingest.pipeline import IngestJob
    from node.migrations import migrate
    from node.runtime import open_node
    from tests.helpers import note_file

    export = text_export(tmp_path / f"export-{settings.node.site_id}")
    note_file(export / "notes", "huge.txt", ALICE["mrn"], "2023-04-01", "word " * 2000)
    rt = open_node(settings, create=True)
    try:
        migrate(rt.store)
        IngestJob(settings, rt.store, deidentifier).run(export)
        audit = AuditLog(rt.store, rt.secret, settings.node.site_id)
        ledger = BudgetLedger(rt.store)
        for i in range(3):
            ledger.spend("permit-1", "dr-who", 2.0, 0.5)
            audit.append(kind="count", decision="released", requester="dr-who", permit_id="permit-1",
                         purpose="scientific_research", query=f'{{"by":["sex"],"i":{i}}}', epsilon=0.5,
                         answer={"noisy": [12 + i]}, epsilon_spent=0.5)
        audit.append(kind="count", decision="refused", requester="mallory", permit_id="permit-x",
                     reason="forged: not signed by the coordinator")
        OptOutRegistry(rt.store).add(pseudonym_for_mrn(rt.secret, ALICE["mrn"]))
    finally:
        rt.close()
