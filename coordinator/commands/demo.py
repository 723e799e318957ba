"""``fedcoord demo | simulate``: the local demo network of simulated hospitals."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

from rich.console import Console
from rich.table import Table


def cmd_demo(args: argparse.Namespace) -> int:
    from coordinator.demo.network import run_demo

    console = Console(width=None if sys.stdout.isatty() else 110)
    console.print(f"[bold]fednet demo[/]: {args.patients} simulated patients, seed {args.seed}, output in {args.out}")
    summaries = run_demo(Path(args.out), n_patients=args.patients, seed=args.seed, show_progress=not args.quiet,
                         teaching=args.rounds > 0)
    console.print(summary_table(summaries))
    archives = [s.teaching for s in summaries if s.teaching]
    if archives:
        stored = sum(a.images_stored + a.images_already_stored for a in archives)
        console.print(f"teaching archives (each hospital's MedPix train share, the training data): {stored} images "
                      f"ingested in {sum(a.seconds for a in archives):.0f} s, burned-in text OCR off for this "
                      "published de-identified collection (recorded per image); captions de-identified")
    failed = any(s.all_leaks or (s.image_check and not s.image_check.passed) for s in summaries)
    if args.json:
        Path(args.json).write_text(json.dumps([{**s.report.to_dict(), "hospital": s.hospital,
                                                "planted_values": s.planted_values, "leaks": len(s.leaks),
                                                "images": s.images.to_dict() if s.images else None,
                                                "image_leaks": len(s.image_check.leaks) if s.image_check else 0}
                                               for s in summaries], indent=2))
    if failed:
        console.print("[red bold]planted-PHI check FAILED[/]: see the leaks above (types and places; values are not printed)")
        for s in summaries:
            for leak in s.all_leaks[:20]:
                console.print(f"  {s.site_id}: {leak.phi_type} ({leak.value_length} chars) in {leak.where}")
        return 1
    console.print("[green bold]planted-PHI check passed[/]: 0 planted values in any node's store or logs")
    import_public(Path(args.out), args.public_limit, console)
    run_cohort_count(summaries, Path(args.out), args.query_transport, console)
    if args.rounds > 0:
        return train(Path(args.out), args.rounds, Path(args.cache), not args.quiet, console)
    return 0


def train(out: Path, rounds: int, cache: Path, progress: bool, console: Console) -> int:
    """Federated CLIP-style training across the three hospitals (Flower simulation, SecAgg+).

    Runs as its own process (``fedcoord train``), as the coordinator's training service would,
    with a clean interpreter and thread settings of its own. (Process-wide state once leaked
    into training: an ``OMP_THREAD_LIMIT`` set for OCR made torch compute NaN; fixed at the source,
    see ``deid/image/ocr.py`` and ``fl_tasks/train.py:align_torch_threads``.)
    """
    console.print(f"\n[bold]federated training[/]: {rounds} rounds, Flower simulation, SecAgg+ "
                  f"(feature cache in {cache}; the first run caches features, a few minutes)")
    command = [sys.executable, "-m", "coordinator.cli", "train", "--out", str(out), "--cache", str(cache),
               "--rounds", str(rounds), *([] if progress else ["--quiet"])]
    code = subprocess.run(command, check=False).returncode
    if code != 0:
        console.print(f"[red bold]federated training failed[/] (exit {code}); see {out / 'training'}")
    return code


def import_public(out: Path, limit: int | None, console: Console) -> None:
    """The coordinator's public case reports (MedPix 2.0, PMC-Patients), in the nodes' schema."""
    from coordinator.demo.sources import default_shared_data
    from coordinator.public_data import import_public_data, open_public_store

    console.print("\n[bold]coordinator: importing public case reports[/] (public-mode de-identification)")
    store = open_public_store(f"embedded://{(out / 'coordinator' / 'store').resolve()}")
    try:
        report = import_public_data(store, default_shared_data(), ["medpix", "pmc-patients"], limit=limit)
    finally:
        store.close()
    console.print(report.source_table())
    console.print(report.label_table())
    for line in report.survival_lines():
        console.print(line)


def run_cohort_count(summaries, out: Path, transport: str, console: Console) -> None:
    """The coordinator's first question to the network: one permitted, noised cross-site count."""
    from coordinator.query.demo import DEMO_BY, DEMO_WHERE, run_demo_count

    console.print(f"\n[bold]cross-site cohort count[/] (permit-checked, noised, audited; transport: {transport}): "
                  f"where {DEMO_WHERE!r} by {', '.join(DEMO_BY)}")
    result = run_demo_count([s.settings for s in summaries], out / "coordinator", transport=transport)
    result.print(console)


def summary_table(summaries) -> Table:
    """One column per node, one row per figure: fits a terminal however many PHI types there are."""
    from coordinator.demo.network import phi_types

    hospitals = "; ".join(f"{s.site_id} = {s.hospital}" for s in summaries)
    table = Table(title="demo network: nodes after ingest (embedded store)", caption=hospitals)
    table.add_column("", no_wrap=True)
    for s in summaries:
        table.add_column(f"{s.site_id}\n({s.export_kind} export)", justify="right")
    table.add_column("total", justify="right")

    def row(label: str, values: list[int], style: str = "") -> None:
        table.add_row(label, *[str(v) for v in values], str(sum(values)), style=style)

    reports = [s.report for s in summaries]
    row("patients registered", [r.patients_registered for r in reports])
    row("notes ingested", [r.notes_stored + r.notes_already_stored for r in reports])
    row("notes quarantined", [r.quarantined_total for r in reports])
    for kind in sorted({k for r in reports for k in r.quarantined}):
        row(f"  quarantined: {kind}", [r.quarantined.get(kind, 0) for r in reports], style="dim")
    row("PHI entities removed", [sum(r.phi_removed.values()) for r in reports])
    for kind in phi_types(summaries):
        row(f"  {kind}", [r.phi_removed.get(kind, 0) for r in reports], style="dim")
    row("planted PHI values in notes", [s.planted_values for s in summaries])
    leaks = [len(s.leaks) for s in summaries]
    row("  found in store/logs (must be 0)", leaks, style="red bold" if any(leaks) else "green bold")
    images = [s.images for s in summaries]
    row("images ingested", [i.images_stored + i.images_already_stored if i else 0 for i in images])
    row("images quarantined", [i.quarantined_total if i else 0 for i in images])
    row("burned-in text boxes redacted", [i.boxes_redacted if i else 0 for i in images])
    checks = [s.image_check for s in summaries]
    row("planted PHI values in images (header, banner, report)", [c.values_checked if c else 0 for c in checks])
    image_leaks = [len(c.leaks) if c else 0 for c in checks]
    row("  found in store/logs/OCR of stored pixels (must be 0)", image_leaks,
        style="red bold" if any(image_leaks) else "green bold")
    if any(s.teaching for s in summaries):
        teaching = [s.teaching for s in summaries]
        row("teaching-archive images (training share, OCR off)",
            [t.images_stored + t.images_already_stored if t else 0 for t in teaching])
        row("  quarantined", [t.quarantined_total if t else 0 for t in teaching], style="dim")
        row("  caption PHI entities removed", [sum(t.caption_phi_removed.values()) if t else 0 for t in teaching],
            style="dim")
    return table


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
    p.add_argument("--public-limit", type=int, default=None, metavar="N",
                   help="import at most N public case reports per source (default: all)")
    p.add_argument("--rounds", type=int, default=3,
                   help="federated training rounds (default 3); 0 skips training and the hospitals' teaching "
                        "archives (their MedPix training shares)")
    p.add_argument("--cache", default="runs/cache", help="feature cache kept across demo runs (default runs/cache)")
    p.add_argument("--query-transport", choices=("inprocess", "flower"), default="inprocess",
                   help="how the cohort count reaches the nodes: direct calls, or Flower's Simulation Engine "
                        "(one virtual SuperNode per hospital; adds ~30 s of Ray start-up)")
    p.set_defaults(func=cmd_demo)
    p = sub.add_parser("simulate", help="only write the simulated hospitals' raw exports (with planted PHI and manifests)")
    p.add_argument("out", metavar="OUT_DIR")
    p.add_argument("--patients", type=int, default=36)
    p.add_argument("--seed", type=int, default=7)
    p.set_defaults(func=cmd_simulate)
