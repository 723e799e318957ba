"""``fednode init | ingest | status | quarantine``: set up a node and feed it."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from rich.console import Console
from rich.table import Table

from node.commands import add_command, settings_from


def cmd_init(args: argparse.Namespace) -> int:
    from node.runtime import open_node

    settings = settings_from(args)
    rt = open_node(settings, create=True)
    print(f"node {settings.node.site_id} ready: data in {settings.node.data_dir}, "
          f"store {rt.store.info.kind} ({rt.store.info.location}), secret {settings.secret_path} (0600)")
    from node.commands.deploy import init_identity  # schema version, node key + certificate request

    try:
        for line in init_identity(settings, rt):
            print(line)
    finally:
        rt.close()
    return 0


def cmd_ingest(args: argparse.Namespace) -> int:
    from node.ingest.pipeline import IngestJob
    from node.runtime import open_node

    settings = settings_from(args)
    rt = open_node(settings, create=True)
    from node.commands.images import print_image_report, run_export_images

    try:
        report = IngestJob(settings, rt.store, rt.deidentifier()).run(Path(args.export), show_progress=not args.quiet)
        images = run_export_images(settings, rt, Path(args.export), args.quiet)  # the export's images/, if any
    finally:
        rt.close()
    if args.json:
        print(json.dumps({**report.to_dict(), "images": images.to_dict() if images else None}, indent=2))
    else:
        print_ingest_report(report)
        if images:
            print_image_report(images)
    return 0


def print_ingest_report(report, console: Console | None = None) -> None:
    console = console or Console()
    table = Table(title=f"ingest {report.site_id} (run {report.run_id})")
    table.add_column("what")
    table.add_column("count", justify="right")
    table.add_row("patients registered", str(report.patients_registered))
    table.add_row("notes read", str(report.notes_seen))
    table.add_row("notes stored", str(report.notes_stored))
    table.add_row("already stored (skipped)", str(report.notes_already_stored))
    for kind, n in sorted(report.quarantined.items()):
        table.add_row(f"quarantined: {kind}", str(n))
    for kind, n in sorted(report.phi_removed.items()):
        table.add_row(f"PHI removed: {kind}", str(n))
    console.print(table)


def cmd_status(args: argparse.Namespace) -> int:
    from node.runtime import open_node
    from node.store.node_store import DOCUMENTS, PATIENTS, QUARANTINE

    settings = settings_from(args)
    rt = open_node(settings)
    try:
        status = {
            "site_id": settings.node.site_id,
            "store": {"kind": rt.store.info.kind, "location": rt.store.info.location},
            "patients": rt.store.count(PATIENTS), "documents": rt.store.count(DOCUMENTS),
            "quarantined": rt.store.count(QUARANTINE), "ingest_runs": len(rt.store.runs()),
        }
        from node.commands.deploy import deploy_status  # schema, certificates, connection, budget, audit

        status.update(deploy_status(settings, rt))
    finally:
        rt.close()
    print(json.dumps(status, indent=2, default=str))
    return 0


def cmd_quarantine(args: argparse.Namespace) -> int:
    from node.runtime import open_node

    rt = open_node(settings_from(args))
    try:
        rows = rt.store.list_quarantine()
    finally:
        rt.close()
    table = Table(title=f"quarantine ({len(rows)} inputs)")
    for col in ("source", "kind", "reason", "file"):
        table.add_column(col)
    for row in rows:
        table.add_row(row["source"], row["kind"], row["reason"], row.get("file", ""))
    Console().print(table)
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    add_command(sub, "init", cmd_init, "create the node's data folder, site secret and store")
    p = add_command(sub, "ingest", cmd_ingest, "ingest a hospital export folder (patients + notes), de-identifying every note")
    p.add_argument("export", metavar="EXPORT_DIR", help="folder in the format of node/ingest/FORMATS.md")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    add_command(sub, "status", cmd_status, "show what the node's store holds")
    add_command(sub, "quarantine", cmd_quarantine, "list quarantined inputs with the reason for each")
