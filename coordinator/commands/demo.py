"""``fedcoord demo | simulate``: the local demo network of simulated hospitals."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
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
    if args.engine == "deployment":
        return run_on_network(summaries, Path(args.out), args.rounds, Path(args.cache), not args.quiet, console)
    run_cohort_count(summaries, Path(args.out), args.query_transport, console)
    if args.rounds > 0:
        return train(Path(args.out), args.rounds, Path(args.cache), not args.quiet, console)
    return 0


def run_on_network(summaries, out: Path, rounds: int, cache: Path, progress: bool, console: Console) -> int:
    """The count and the training over a loopback Deployment Engine, as a real network runs them.

    The coordinator (``fedcoord serve``: TLS SuperLink with SuperNode authentication, coordinator
    service) and one ``fednode join`` per hospital, each its own process group with its own data
    folder; they share only the SuperLink's address and the network CA (coordinator/demo/loopback.py
    does the operators' enrolment steps). The count goes through the service's API; the training
    is ``fedcoord train --superlink`` in its own process. Everything is stopped at the end.
    """
    from coordinator.demo.loopback import LoopbackNetwork, enrol, free_port
    from coordinator.governance.keys import load_or_create_key
    from coordinator.governance.permits import issue_permit
    from coordinator.query.demo import DEMO_BY, DEMO_WHERE
    from node.query.fields import FIELDS

    coord = out / "coordinator"
    configs = [Path(s.settings.node.data_dir) / "node.toml" for s in summaries]
    sites = [s.site_id for s in summaries]
    port = free_port()
    enrol(coord, configs, f"127.0.0.1:{port}", feature_cache=cache / "nodes")
    key = load_or_create_key(coord)
    permit = issue_permit(key, requester="demo-researcher", purpose="scientific_research", allowed_fields=sorted(FIELDS),
                          epsilon_budget=10.0, sites=sites, per_site_results=True, permit_id="demo-permit")
    (coord / "permits").mkdir(parents=True, exist_ok=True)
    (coord / "permits" / "demo-permit.json").write_text(permit.model_dump_json())
    net = LoopbackNetwork(coord, configs, out / "network-logs", port, serve_args=["--cache", str(cache)])
    console.print(f"\n[bold]the network[/] (Flower Deployment Engine on loopback): coordinator = fedcoord serve "
                  f"(SuperLink 127.0.0.1:{port}, TLS + SuperNode authentication), one fednode join per hospital "
                  f"(own process group, own data folder, dials out); logs in {out / 'network-logs'}")
    started = time.monotonic()
    with net:
        net.start(sites)
        console.print(f"network up: {', '.join(net.connected_sites())} connected in {time.monotonic() - started:.0f} s; "
                      f"coordinator UI and API on http://127.0.0.1:{net.api_port}/")
        from coordinator.commands.count import print_count

        console.print(f"\n[bold]cross-site cohort count[/] over the network (permit-checked, noised and audited at "
                      f"each node): where {DEMO_WHERE!r} by {', '.join(DEMO_BY)}")
        started = time.monotonic()
        result = net.client().count(permit.model_dump(mode="json"), DEMO_WHERE, list(DEMO_BY), 0.5)
        print_count(result, console, f"Deployment Engine, {time.monotonic() - started:.1f} s")
        if result["error"] is not None:
            return 1
        if rounds <= 0:
            return 0
        console.print(f"\n[bold]federated training[/] over the network: {rounds} rounds, SecAgg+, each hospital on its "
                      f"own store (features cached in {cache / 'nodes'})")
        command = [sys.executable, "-m", "coordinator.cli", "train", "--superlink", net.superlink, "--dir", str(coord),
                   "--rounds", str(rounds), "--name", "demo", "--report", str(out / "training"),
                   *([] if progress else ["--quiet"])]
        code = subprocess.run(command, check=False).returncode
        if code != 0:
            console.print(f"[red bold]federated training failed[/] (exit {code}); see {coord / 'runs' / 'demo'}")
        return code


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
    p.add_argument("--engine", choices=("deployment", "simulation"), default="deployment",
                   help="deployment (default): the count and the training run over a loopback Flower Deployment "
                        "Engine, coordinator and each hospital in its own process group (TLS, node authentication); "
                        "simulation: the quick path, all in this process (Flower's Simulation Engine for training)")
    p.add_argument("--query-transport", choices=("inprocess", "flower"), default="inprocess",
                   help="with --engine simulation: how the cohort count reaches the nodes: direct calls, or Flower's "
                        "Simulation Engine (one virtual SuperNode per hospital; adds ~30 s of Ray start-up)")
    p.set_defaults(func=cmd_demo)
    p = sub.add_parser("simulate", help="only write the simulated hospitals' raw exports (with planted PHI and manifests)")
    p.add_argument("out", metavar="OUT_DIR")
    p.add_argument("--patients", type=int, default=36)
    p.add_argument("--seed", type=int, default=7)
    p.set_defaults(func=cmd_simulate)
