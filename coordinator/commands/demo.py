"""``fedcoord demo | simulate``: the local demo network of simulated hospitals."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from rich.console import Console
from rich.table import Table


def cmd_demo(args: argparse.Namespace) -> int:
    from coordinator.demo.network import phi_types, run_demo

    console = Console()
    console.print(f"[bold]fednet demo[/]: {args.patients} simulated patients, seed {args.seed}, output in {args.out}")
    summaries = run_demo(Path(args.out), n_patients=args.patients, seed=args.seed, show_progress=not args.quiet)
    types = phi_types(summaries)
    table = Table(title="nodes after ingest (embedded store)")
    table.add_column("node")
    table.add_column("export")
    for col in ("patients", "notes ingested", "quarantined", *[f"PHI {t}" for t in types],
                "planted values", "planted found in store/logs"):
        table.add_column(col, justify="right")
    failed = False
    for s in summaries:
        r = s.report
        leaks = len(s.leaks)
        failed |= leaks > 0
        table.add_row(f"{s.site_id} ({s.hospital})", s.export_kind, str(r.patients_registered),
                      str(r.notes_stored + r.notes_already_stored), str(r.quarantined_total),
                      *[str(r.phi_removed.get(t, 0)) for t in types], str(s.planted_values),
                      f"[red]{leaks}[/]" if leaks else "[green]0[/]")
    console.print(table)
    quarantine = Table(title="quarantined inputs by reason")
    quarantine.add_column("node")
    quarantine.add_column("reason")
    quarantine.add_column("count", justify="right")
    for s in summaries:
        for kind, n in sorted(s.report.quarantined.items()):
            quarantine.add_row(s.site_id, kind, str(n))
    console.print(quarantine)
    if args.json:
        Path(args.json).write_text(json.dumps([{**s.report.to_dict(), "hospital": s.hospital,
                                                "planted_values": s.planted_values, "leaks": len(s.leaks)}
                                               for s in summaries], indent=2))
    if failed:
        console.print("[red bold]planted-PHI check FAILED[/]: see the leaks above (types and places; values are not printed)")
        for s in summaries:
            for leak in s.leaks[:20]:
                console.print(f"  {s.site_id}: {leak.phi_type} ({leak.value_length} chars) in {leak.where}")
        return 1
    console.print("[green bold]planted-PHI check passed[/]: 0 planted values in any node's store or logs")
    return 0


def cmd_simulate(args: argparse.Namespace) -> int:
    from coordinator.demo.hospitals import generate_network

    for m in generate_network(Path(args.out), n_patients=args.patients, seed=args.seed):
        print(f"{m.site}: {m.name} ({m.export_kind}), {len(m.patients)} patients, {len(m.notes)} notes, "
              f"{len(m.bad_inputs)} bad inputs -> {Path(args.out) / m.site}")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("demo", help="run a local network of simulated hospitals and check that no planted PHI survives",
                       description="Generate three simulated hospitals with planted PHI, run a node for each on the "
                                   "embedded store, ingest, and check that no planted value reached any store or log.")
    p.add_argument("--out", default="runs/demo", help="output folder (default: runs/demo; wiped first)")
    p.add_argument("--patients", type=int, default=36, help="simulated patients across all hospitals (default 36)")
    p.add_argument("--seed", type=int, default=7, help="seed of the simulation (default 7)")
    p.add_argument("--json", metavar="FILE", help="also write the per-node summary as JSON")
    p.add_argument("--quiet", action="store_true", help="no progress bars")
    p.set_defaults(func=cmd_demo)
    p = sub.add_parser("simulate", help="only write the simulated hospitals' raw exports (with planted PHI and manifests)")
    p.add_argument("out", metavar="OUT_DIR")
    p.add_argument("--patients", type=int, default=36)
    p.add_argument("--seed", type=int, default=7)
    p.set_defaults(func=cmd_simulate)
