"""``fednode init | ingest | status | quarantine``: set up a node and feed it."""

from __future__ import annotations

import argparse
import json
import sys
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
        report = IngestJob(settings, rt.store, rt.deidentifier(), rt.secret).run(Path(args.export),
                                                                               show_progress=not args.quiet)
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
    from node.ingest.runs import reconcile_runs, run_summary
    from node.masterdata.storage import load_masterdata
    from node.runtime import open_node
    from node.store.node_store import DOCUMENTS, PATIENTS, QUARANTINE

    settings = settings_from(args)
    rt = open_node(settings)
    try:
        reconcile_runs(rt.store, settings)  # a run killed mid-way is marked interrupted here
        runs = run_summary(rt.store)
        status = {
            "site_id": settings.node.site_id,
            "store": {"kind": rt.store.info.kind, "location": rt.store.info.location},
            "patients": rt.store.count(PATIENTS), "documents": rt.store.count(DOCUMENTS),
            "quarantined": rt.store.count(QUARANTINE), "ingest_runs": sum(runs["by_status"].values()),
            "ingest_runs_by_status": runs["by_status"], "interrupted_runs": runs["interrupted"],
            "masterdata": load_masterdata(settings.node.data_dir).counts(),
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
    located = locate_inputs(Path(args.locate), rt.secret, rows) if args.locate else {}
    table = Table(title=f"quarantine ({len(rows)} inputs)")
    columns = ("source", "kind", "reason", "what to do", "kept as") + (("path in export",) if args.locate else ())
    for col in columns:
        table.add_column(col)
    for row in rows:
        cells = [row["source"], row["kind"], row["reason"], row.get("action", ""), row.get("file", "")]
        if args.locate:
            cells.append(located.get(row.get("source_key") or "", "(not in this export)"))
        table.add_row(*cells)
    Console().print(table)
    if args.locate:
        print("(the 'path in export' column shows real file names, which may hold PHI: it is printed here only, "
              "never stored or logged)", file=sys.stderr)
    return 0


def locate_inputs(export_dir: Path, secret: bytes, rows: list[dict]) -> dict[str, str]:
    """``source_key -> path within export_dir`` for the quarantined inputs found in that export."""
    from node.ingest.files import ExportFiles

    wanted = {r.get("source_key") for r in rows if r.get("source_key")}
    files = ExportFiles.of(export_dir, secret)
    out: dict[str, str] = {}
    candidates = [files.root / "notes", files.root / "images", files.root / "fhir", *files.walk(files.root, lambda n: True)]
    for path in candidates:
        key = files.key_of(path)
        if key in wanted:
            out[key] = files.relative(path)
    return out


def register(sub: argparse._SubParsersAction) -> None:
    add_command(sub, "init", cmd_init, "create the node's data folder, site secret and store")
    p = add_command(sub, "ingest", cmd_ingest, "ingest a hospital export folder (patients + notes), de-identifying every note")
    p.add_argument("export", metavar="EXPORT_DIR", help="folder in the format of node/ingest/FORMATS.md")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    add_command(sub, "status", cmd_status, "show what the node's store holds")
    p = add_command(sub, "quarantine", cmd_quarantine, "list quarantined inputs with the reason for each and what to do",
                    description="List quarantined inputs: label (never the file name), kind, reason, what to do, "
                                "and the copy kept under <data_dir>/quarantine/ (0600).")
    p.add_argument("--locate", metavar="EXPORT_DIR",
                   help="also show where each input is in this export folder (prints real file names, which may "
                        "hold PHI, on this terminal only)")
