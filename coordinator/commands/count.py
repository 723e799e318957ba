"""``fedcoord permit key|issue`` and ``fedcoord count``: governed cross-site cohort counts."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

DEFAULT_DIR = "var/coordinator"


def cmd_permit_key(args: argparse.Namespace) -> int:
    from coordinator.governance.keys import load_or_create_key
    from node.governance.permits import public_key_b64

    key = load_or_create_key(Path(args.dir))
    print(public_key_b64(key))
    print(f"(set it as [query] coordinator_public_key in every node's TOML; private key in {args.dir}/coordinator.key)",
          file=sys.stderr)
    return 0


def cmd_permit_issue(args: argparse.Namespace) -> int:
    from pydantic import ValidationError

    from coordinator.governance.keys import load_or_create_key
    from coordinator.governance.permits import issue_permit

    key = load_or_create_key(Path(args.dir), create=False)
    try:
        permit = issue_permit(key, requester=args.requester, purpose=args.purpose,
                              allowed_fields=[f.strip() for f in args.fields.split(",") if f.strip()],
                              epsilon_budget=args.epsilon_budget, sites=[s.strip() for s in args.sites.split(",")],
                              valid_days=args.days, per_site_results=args.per_site)
    except ValidationError as exc:
        print(f"fedcoord permit issue: {exc.errors()[0]['loc']}: {exc.errors()[0]['msg']}", file=sys.stderr)
        return 2
    text = permit.model_dump_json(indent=2)
    if args.out:
        Path(args.out).write_text(text)
        print(f"permit {permit.permit.permit_id} for {args.requester} written to {args.out}")
    else:
        print(text)
    return 0


MAX_PERMIT_BYTES = 1_000_000


def read_permit_file(path: Path):
    """A signed permit from a file: UTF-8 (with or without BOM) or UTF-16 with a BOM (e.g. Windows editors).

    Raises
    ------
    PermitError
        ``malformed``: the file is missing, too large, not text in those encodings, or not a signed
        permit; the message names the file and what to do.
    """
    from node.governance.permits import PermitError, SignedPermit, parse_signed

    try:
        with Path(path).open("rb") as fh:
            data = fh.read(MAX_PERMIT_BYTES + 1)
    except OSError as exc:
        raise PermitError("malformed", f"cannot read permit file {path}: {exc.strerror or exc}") from None
    if len(data) > MAX_PERMIT_BYTES:
        raise PermitError("malformed", f"permit file {path} is larger than {MAX_PERMIT_BYTES} bytes: it is not a "
                                       "permit (`fedcoord permit issue --out FILE` writes one)")
    try:
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            text = data.decode("utf-16")
        else:
            text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise PermitError("malformed", f"permit file {path} is not UTF-8 (or UTF-16 with a byte-order mark) text: "
                                       "re-export it with `fedcoord permit issue --out FILE`, or save it as UTF-8"
                          ) from None
    try:
        return parse_signed(SignedPermit, text)
    except PermitError as exc:
        raise PermitError("malformed", f"permit file {path}: {exc}") from None


def cmd_count(args: argparse.Namespace) -> int:
    from rich.console import Console

    from coordinator.governance.keys import CoordinatorKeyError, load_or_create_key
    from coordinator.governance.receipts import ReceiptBook
    from coordinator.query.count import run_count
    from coordinator.query.transport import InProcessTransport
    from node.disclosure.epsilon import EpsilonError, epsilon_micro
    from node.governance.permits import PermitError
    from node.query.spec import QueryError
    from node.query.where import query_from_cli
    from node.settings import ConfigError, load_settings

    console = Console()
    try:
        key = load_or_create_key(Path(args.dir), create=False)
        permit = read_permit_file(Path(args.permit))
        query = query_from_cli(args.where, args.by)
        epsilon_micro(args.epsilon)
        nodes = [load_settings(Path(c)) for c in args.nodes or []]
    except QueryError as exc:
        print(f"fedcoord count: --where {args.where!r}: {exc}", file=sys.stderr)
        return 2
    except EpsilonError as exc:
        print(f"fedcoord count: --epsilon: {exc}", file=sys.stderr)
        return 2
    except (PermitError, ConfigError, CoordinatorKeyError, OSError) as exc:
        print(f"fedcoord count: {exc}", file=sys.stderr)
        return 2
    if args.superlink:
        return _count_deployed(args, permit, query, console)
    if not nodes:
        print("fedcoord count: give --nodes (nodes on this machine) or --superlink HOST:PORT", file=sys.stderr)
        return 2
    if args.simulate:
        from coordinator.query.flower_server import simulate_count

        job = {"permit": permit.model_dump(mode="json"),
               "query": query.model_dump(mode="json", by_alias=True, exclude_none=True),
               "epsilon": args.epsilon, "key_dir": args.dir}
        result = simulate_count(nodes, job)
    else:
        from node.query.service import service_for
        from node.runtime import open_node

        runtimes = [open_node(s) for s in nodes]
        try:
            services = {rt.settings.node.site_id: service_for(rt) for rt in runtimes}
            result = run_count(InProcessTransport(services), key, permit, query, args.epsilon,
                               receipts=ReceiptBook(Path(args.dir)))
        finally:
            for rt in runtimes:
                rt.close()
    if args.json:
        print(json.dumps(result.to_dict(), indent=2))
    else:
        result.print(console)
    return 0 if result.error is None else 1


def _count_deployed(args: argparse.Namespace, permit, query, console) -> int:
    """``--superlink``: the count goes to the coordinator service (``fedcoord serve``) of ``--dir``,
    whose long-running query run carries it over the Deployment Engine; print the result."""
    from coordinator.network.client import ServiceClient, ServiceUnavailable

    try:
        client = ServiceClient.for_dir(Path(args.dir), args.superlink, args.service)
        client.timeout_s = args.timeout
        result = client.count(permit.model_dump(mode="json"), args.where, args.by, args.epsilon)
    except ServiceUnavailable as exc:
        print(f"fedcoord count: {exc}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print_count(result, console)
    return 0 if result["error"] is None else 1


def print_count(result: dict, console, title: str = "Deployment Engine") -> None:
    """A count result as the service returns it (``CountResult.to_dict()``): per-site columns where
    the permit allows, the network total from the secure sum, who is not in it and why."""
    from rich.table import Table

    table = Table(title=f"{result['query']} ({title})")
    table.add_column("cell")
    sites = sorted(result["per_site"] or {})
    for site in sites:
        table.add_column(site, justify="right")
    table.add_column("network (secure sum)", justify="right")
    labels = ["total"] + [" / ".join(c["cell"]) for c in result["cells"]]
    network = [result["total"]] + [c["count"] for c in result["cells"]]
    for i, label in enumerate(labels):
        table.add_row(label, *[str(result["per_site"][s][i]) for s in sites], str(network[i]))
    std = result["noise"]["total_std"]
    table.caption = (f"discrete Laplace noise per site; network total std ≈ {std:.1f}; counts < {result['threshold']} "
                     f"shown as <{result['threshold']}") if std else None
    console.print(table)
    console.print(f"sites: {', '.join(result['contributing_sites']) or '-'}; refused: {result['refused'] or '-'}; "
                  f"dropped: {result['dropped'] or '-'}" + (f"\n[red]{result['error']}[/]" if result["error"] else ""))


def register(sub: argparse._SubParsersAction) -> None:
    permit = sub.add_parser("permit", help="the coordinator's signing key and data permits")
    permit_sub = permit.add_subparsers(dest="permit_command", required=True, metavar="ACTION")
    key = permit_sub.add_parser("key", help="create (once) and print the coordinator's public key for node configs")
    key.add_argument("--dir", default=DEFAULT_DIR, help=f"coordinator folder (default {DEFAULT_DIR})")
    key.set_defaults(func=cmd_permit_key)
    issue = permit_sub.add_parser("issue", help="issue a signed permit (EHDS purpose, fields, ε budget, sites, expiry)")
    issue.add_argument("--dir", default=DEFAULT_DIR, help=f"coordinator folder (default {DEFAULT_DIR})")
    issue.add_argument("--requester", required=True)
    issue.add_argument("--purpose", required=True,
                       help="public_interest_health, policy_making, official_statistics, education, "
                            "scientific_research, product_development, algorithm_training, personalised_care")
    issue.add_argument("--fields", required=True, help="comma-separated query fields, e.g. sex,age,term,modality")
    issue.add_argument("--epsilon-budget", type=float, required=True, help="total ε per site under this permit")
    issue.add_argument("--sites", required=True, help="comma-separated site ids")
    issue.add_argument("--days", type=float, default=30.0, help="validity in days (default 30)")
    issue.add_argument("--per-site", action="store_true", help="allow per-site (noisy, thresholded) results")
    issue.add_argument("--out", help="write the permit to this file (default: print)")
    issue.set_defaults(func=cmd_permit_issue)

    count = sub.add_parser("count", help="count patients across sites under a permit (noisy, thresholded, audited)",
                           description="Run one cross-site cohort count. Prints a table per site (where the permit "
                                       "allows) and the network total from the secure sum with its noise scale.")
    count.add_argument("--permit", required=True, help="signed permit file (fedcoord permit issue --out)")
    count.add_argument("--where", default="", help="condition, e.g. \"age >= 60 and text contains 'glioma'\"")
    count.add_argument("--by", action="append", default=[], help="break down by a field (up to two: --by sex --by age_band)")
    count.add_argument("--epsilon", type=float, default=0.5, help="ε each site spends on this query (default 0.5)")
    count.add_argument("--nodes", nargs="+", metavar="NODE_TOML",
                       help="the nodes' configuration files (nodes on this machine)")
    count.add_argument("--superlink", metavar="HOST:PORT",
                       help="count over the Flower Deployment Engine: through the coordinator service (fedcoord "
                            "serve --dir DIR) running that SuperLink on this host; the hospitals' SuperNodes dial in")
    count.add_argument("--service", metavar="URL", help="with --superlink: the service's API (default: from "
                                                        "DIR/service/service.json)")
    count.add_argument("--timeout", type=float, default=180.0, help="with --superlink: seconds to wait for the result")
    count.add_argument("--simulate", action="store_true",
                       help="carry the messages through Flower's Simulation Engine (one SuperNode per node)")
    count.add_argument("--dir", default=DEFAULT_DIR, help=f"coordinator folder with its key (default {DEFAULT_DIR})")
    count.add_argument("--json", action="store_true", help="print the result as JSON")
    count.set_defaults(func=cmd_count)
