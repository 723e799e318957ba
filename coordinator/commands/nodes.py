"""``fedcoord pki init`` · ``fedcoord nodes approve|list|revoke`` · ``fedcoord ui``."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

DEFAULT_DIR = "var/coordinator"


def _pki(args: argparse.Namespace) -> Path:
    return Path(args.dir) / "pki"


def cmd_pki_init(args: argparse.Namespace) -> int:
    from coordinator.pki.ca import init_ca

    hosts = [h.strip() for h in args.hosts.split(",") if h.strip()]
    hosts += [h for h in ("localhost", "127.0.0.1") if h not in hosts]  # fedcoord serve reaches its SuperLink on loopback
    ca = init_ca(_pki(args), args.network, server_hosts=hosts, days=args.days)
    print(f"network CA '{ca.name}' created in {ca.folder}:\n"
          f"  ca.crt        give to every node (`fednode pki install --ca ca.crt`) and to flower-supernode --root-certificates\n"
          f"  ca.key        0600, never leaves this folder (back it up offline)\n"
          f"  superlink.crt/.key  TLS for flower-superlink --ssl-certfile/--ssl-keyfile/--ssl-ca-certfile ca.crt "
          f"(hosts: {', '.join(hosts)})\n  crl.pem       revocation list (empty)")
    return 0


def cmd_nodes_approve(args: argparse.Namespace) -> int:
    from coordinator.pki.ca import load_ca
    from coordinator.pki.enrolment import approve

    ca = load_ca(_pki(args))
    approval = approve(ca, Path(args.csr).read_bytes(), expected_site=args.site, days=args.days, source=args.csr)
    r = approval.record
    print(f"approved {r.site_id}: certificate {r.serial[:16]}… valid until {r.not_after.date()}")
    if approval.superseded:
        print(f"  rotation: previous certificate(s) {', '.join(s[:16] for s in approval.superseded)} superseded (on the CRL)")
    print(f"  send back: {approval.cert_path} and {ca.folder / 'ca.crt'}\n"
          f"  {_tell_service(args)}")
    return 0


def cmd_nodes_list(args: argparse.Namespace) -> int:
    from rich.console import Console
    from rich.table import Table

    from coordinator.pki.registry import NodeRegistry

    records = NodeRegistry(_pki(args)).all()
    if args.json:
        print(json.dumps([r.model_dump(mode="json") for r in records], indent=2))
        return 0
    table = Table(title=f"node registry ({_pki(args)})")
    for col in ("site", "status", "serial", "expires", "reason"):
        table.add_column(col)
    for r in records:
        table.add_row(r.site_id, r.status, r.serial[:16], r.not_after.date().isoformat(), r.reason or "")
    Console().print(table)
    return 0


def cmd_nodes_revoke(args: argparse.Namespace) -> int:
    from coordinator.pki.ca import load_ca
    from coordinator.pki.enrolment import revoke

    ca = load_ca(_pki(args))
    revoked = revoke(ca, args.site, args.reason)
    print(f"revoked {len(revoked)} certificate(s) of {args.site}; CRL re-signed at {ca.folder / 'crl.pem'}.\n"
          f"  {_tell_service(args)}")
    return 0


def _tell_service(args: argparse.Namespace) -> str:
    """Have a running ``fedcoord serve`` of this folder register exactly the registry's active SuperNode keys."""
    from coordinator.network.client import ServiceClient, ServiceUnavailable

    try:
        report = ServiceClient.for_dir(Path(args.dir)).sync_nodes()
    except ServiceUnavailable:
        return "the SuperLink takes the registry's SuperNode keys when `fedcoord serve` starts"
    return (f"the running SuperLink now accepts the registry's active SuperNode keys (registered "
            f"{report['registered'] or '-'}, unregistered {report['unregistered'] or '-'})")


def cmd_ui(args: argparse.Namespace) -> int:
    import uvicorn

    from coordinator.webui.app import create_app
    from coordinator.webui.views import CoordinatorUIConfig
    from node.settings import load_settings

    if not args.nodes:
        print("fedcoord ui: the coordinator UI of a network is served by `fedcoord serve` (its cohort builder and "
              "training pages talk to the coordinator service); `fedcoord ui --nodes NODE_TOML...` serves it over "
              "nodes on this host, for the demo and tests", file=sys.stderr)
        return 2
    config = CoordinatorUIConfig(Path(args.dir), [load_settings(Path(p)) for p in args.nodes],
                                 public_store_uri=args.public_store or "")
    print(f"coordinator UI: http://{args.host}:{args.port}/", file=sys.stderr)
    uvicorn.run(create_app(config), host=args.host, port=args.port, log_level="warning")
    return 0


def _guard(handler):
    def run(args: argparse.Namespace) -> int:
        from coordinator.pki.files import PKIError

        try:
            return handler(args)
        except (PKIError, OSError) as exc:
            print(f"fedcoord: {exc}", file=sys.stderr)
            return 2
    return run


def _with_dir(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    parser.add_argument("--dir", default=DEFAULT_DIR, help=f"coordinator folder (default {DEFAULT_DIR}); PKI in DIR/pki")
    return parser


def register(sub: argparse._SubParsersAction) -> None:
    pki = sub.add_parser("pki", help="the network's certificate authority")
    pki_sub = pki.add_subparsers(dest="pki_command", required=True, metavar="ACTION")
    p = _with_dir(pki_sub.add_parser("init", help="create the network CA, CRL and the SuperLink's TLS certificate"))
    p.add_argument("--network", default="fednet", help="network name (in the CA's subject)")
    p.add_argument("--hosts", default="localhost,127.0.0.1", help="comma-separated SuperLink host names/IPs")
    p.add_argument("--days", type=float, default=3650, help="CA validity in days (default 10 years)")
    p.set_defaults(func=_guard(cmd_pki_init))

    nodes = sub.add_parser("nodes", help="approve, list and revoke hospital nodes")
    nodes_sub = nodes.add_subparsers(dest="nodes_command", required=True, metavar="ACTION")
    p = _with_dir(nodes_sub.add_parser("approve", help="sign a node's CSR and register its SuperNode key (also rotation)"))
    p.add_argument("csr", metavar="NODE_CSR", help="the node.csr a node operator sent")
    p.add_argument("--site", help="refuse unless the CSR is for this site id")
    p.add_argument("--days", type=float, default=365, help="certificate validity in days (default 365)")
    p.set_defaults(func=_guard(cmd_nodes_approve))
    p = _with_dir(nodes_sub.add_parser("list", help="the node registry"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=_guard(cmd_nodes_list))
    p = _with_dir(nodes_sub.add_parser("revoke", help="revoke a node's certificate (CRL) and registry entry"))
    p.add_argument("site", metavar="SITE_ID")
    p.add_argument("--reason", default="revoked by the network operator")
    p.set_defaults(func=_guard(cmd_nodes_revoke))

    p = _with_dir(sub.add_parser("ui", help="serve the coordinator web UI over nodes on this host (demo, tests; a network: "
                                            "fedcoord serve)"))
    p.add_argument("--nodes", nargs="*", default=[], metavar="NODE_TOML",
                   help="node configs a count opens directly (demo and tests only)")
    p.add_argument("--public-store", help="URI of the coordinator's public-data store")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8480)
    p.set_defaults(func=cmd_ui)
