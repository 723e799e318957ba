"""``fednode``: run a hospital node.

Typical first use::

    fednode init --config node.toml          # create the data folder, site secret and store
    fednode ingest EXPORT_DIR --config node.toml
    fednode status --config node.toml
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Callable, Sequence

from rich.console import Console
from rich.table import Table

from node.settings import ConfigError, load_settings

DESCRIPTION = """\
fednode runs one hospital's node of the federated health-data network.
It ingests the hospital's clinical notes, removes identifying information
(de-identification), stores the result in the shared FHIR schema in the
node's local MongoDB, and will only ever release aggregate answers.
Raw patient data never leaves the node.
"""

EPILOG = """\
configuration: --config FILE (TOML; see node/config/default.toml), overridden by
FEDNET_<SECTION>__<KEY> environment variables, e.g. FEDNET_NODE__STORE_URI.
"""


def _settings(args: argparse.Namespace):
    return load_settings(Path(args.config) if args.config else None)


def cmd_init(args: argparse.Namespace) -> int:
    from node.runtime import open_node

    settings = _settings(args)
    rt = open_node(settings, create=True)
    print(f"node {settings.node.site_id} ready: data in {settings.node.data_dir}, "
          f"store {rt.store.info.kind} ({rt.store.info.location}), secret {settings.secret_path} (0600)")
    rt.close()
    return 0


def cmd_ingest(args: argparse.Namespace) -> int:
    from node.ingest.pipeline import IngestJob
    from node.runtime import open_node

    settings = _settings(args)
    rt = open_node(settings, create=True)
    try:
        report = IngestJob(settings, rt.store, rt.deidentifier()).run(Path(args.export), show_progress=not args.quiet)
    finally:
        rt.close()
    if args.json:
        print(json.dumps(report.to_dict(), indent=2))
    else:
        print_ingest_report(report)
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

    settings = _settings(args)
    rt = open_node(settings)
    try:
        status = {
            "site_id": settings.node.site_id,
            "store": {"kind": rt.store.info.kind, "location": rt.store.info.location},
            "patients": rt.store.count(PATIENTS), "documents": rt.store.count(DOCUMENTS),
            "quarantined": rt.store.count(QUARANTINE), "ingest_runs": len(rt.store.runs()),
        }
    finally:
        rt.close()
    print(json.dumps(status, indent=2))
    return 0


def cmd_quarantine(args: argparse.Namespace) -> int:
    from node.runtime import open_node

    rt = open_node(_settings(args))
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


def cmd_deid_eval(args: argparse.Namespace) -> int:
    from deid.config import load_deid_config
    from deid.evaluation import evaluate_gold
    from deid.pipeline import Deidentifier

    settings = _settings(args)
    secret = b"evaluation-only-secret"  # evaluation never stores anything: no site secret needed
    deidentifier = Deidentifier(load_deid_config(settings.deid.config), secret)
    report = evaluate_gold(Path(args.gold), deidentifier, limit=args.limit)
    print(json.dumps(report.to_json(), indent=2) if args.json else report.to_table())
    return 0


def cmd_deid_text(args: argparse.Namespace) -> int:
    from deid.config import load_deid_config
    from deid.pipeline import Deidentifier

    settings = _settings(args)
    text = Path(args.file).read_text(encoding="utf-8") if args.file else sys.stdin.read()
    deidentifier = Deidentifier(load_deid_config(settings.deid.config), b"manual-check-secret")
    result = deidentifier.deidentify(text)
    sys.stdout.write(result.text)
    print(f"\n-- removed: {dict(result.counts_by_type)}", file=sys.stderr)
    return 0


def cmd_schema_export(args: argparse.Namespace) -> int:
    from schemas.jsonschema import export_json_schemas

    for path in export_json_schemas(Path(args.out)):
        print(path)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="fednode", description=DESCRIPTION, epilog=EPILOG,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--config", metavar="FILE", help="node configuration (TOML)")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def add(name: str, func: Callable[[argparse.Namespace], int], help_: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_, description=help_)
        p.add_argument("--config", metavar="FILE", default=argparse.SUPPRESS, help="node configuration (TOML)")
        p.set_defaults(func=func)
        return p

    add("init", cmd_init, "create the node's data folder, site secret and store")
    p = add("ingest", cmd_ingest, "ingest a hospital export folder (patients + notes), de-identifying every note")
    p.add_argument("export", metavar="EXPORT_DIR", help="folder in the format of node/ingest/FORMATS.md")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    add("status", cmd_status, "show what the node's store holds")
    add("quarantine", cmd_quarantine, "list quarantined inputs with the reason for each")
    p = add("schema-export", cmd_schema_export, "write the MongoDB $jsonSchema validators to a folder")
    p.add_argument("out", metavar="OUT_DIR")

    deid = sub.add_parser("deid", help="de-identification tools (evaluate, try on a text)")
    deid_sub = deid.add_subparsers(dest="deid_command", required=True, metavar="TOOL")
    p = deid_sub.add_parser("eval", help="recall/precision per PHI type against a gold file",
                            description="Evaluate the node's de-identification against a gold standard: "
                                        "PhysioNet deid JSONL ({text, phi:[{start,end,type}]}) or "
                                        "presidio-research JSON ({full_text, spans:[...]}).")
    p.add_argument("--gold", required=True, metavar="FILE")
    p.add_argument("--json", action="store_true", help="print one JSON object (recall, precision, notes_per_second, by_type)")
    p.add_argument("--limit", type=int, default=None, metavar="N", help="only the first N notes")
    p.add_argument("--config", metavar="FILE", default=argparse.SUPPRESS)
    p.set_defaults(func=cmd_deid_eval)
    p = deid_sub.add_parser("text", help="de-identify a text file (or stdin) and print the result, for a manual check")
    p.add_argument("file", nargs="?", metavar="FILE")
    p.add_argument("--config", metavar="FILE", default=argparse.SUPPRESS)
    p.set_defaults(func=cmd_deid_text)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except ConfigError as exc:
        print(f"fednode: configuration error: {exc}", file=sys.stderr)
        return 2
    except Exception as exc:  # noqa: BLE001 - turn known operator errors into one clear line
        from node.ingest.sources import ExportError
        from node.secrets import SecretError
        from node.store import StoreError

        if isinstance(exc, (ExportError, SecretError, StoreError)):
            print(f"fednode: {exc}", file=sys.stderr)
            return 2
        raise


if __name__ == "__main__":
    raise SystemExit(main())
