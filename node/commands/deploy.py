"""``fednode pki | backup | restore | migrate | ui``: run a node in production."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from node.commands import add_command, settings_from


def init_identity(settings, rt) -> list[str]:
    """Part of ``fednode init``: record the store's schema version, create the node key and CSR."""
    from node.identity.keys import create_identity
    from node.migrations import migrate

    lines = [f"{s.source} -> {s.target}: {s.summary} ({n} records)" for s, n in migrate(rt.store)]
    ident = create_identity(settings.pki_dir, settings.node.site_id, settings.node.site_name)
    if ident.created:
        lines.append(f"node key {settings.pki_dir / 'node.key'} (0600) created; next: send {ident.csr_path} to the "
                     "network operator (`fedcoord nodes approve`), then `fednode pki install --cert SITE.crt --ca ca.crt`")
    else:
        lines.append(f"node key in {settings.pki_dir} kept (rotate with `fednode pki rotate`)")
    return lines


def deploy_status(settings, rt) -> dict:
    """Part of ``fednode status``: schema, certificates, connection, privacy budget, last audit entry."""
    from node.identity.connection import client_context, probe
    from node.identity.status import certificate_status
    from node.migrations import MigrationError, plan, stored_version
    from node.webui.views import Unavailable, budget_rows, last_audit_entry

    version = stored_version(rt.store)
    try:
        pending = [f"{m.source} -> {m.target}" for m in plan(version)] if version else []
    except MigrationError as exc:
        pending = [str(exc)]
    certs = certificate_status(settings.pki_dir)
    if not settings.deploy.superlink:
        connection = {"ok": None, "note": "no [deploy] superlink configured"}
    elif certs["state"] in ("missing", "awaiting_approval"):
        connection = {"ok": False, "note": "no certificate installed yet"}
    else:
        pki = settings.pki_dir
        connection = probe(settings.deploy.superlink, client_context(pki / "ca.crt", pki / "node.crt", pki / "node.key"))
    budget = budget_rows(rt)
    return {"schema": {"stored": version, "pending_migrations": pending}, "certificates": certs,
            "connection": connection,
            "privacy_budget": None if isinstance(budget, Unavailable) else
            [{"permit_id": b["permit_id"], "requester": b["requester"], "epsilon_spent": b["spent"]} for b in budget],
            "last_audit_entry": last_audit_entry(rt)}


def cmd_pki_show(args: argparse.Namespace) -> int:
    from node.identity.status import certificate_status

    print(json.dumps(certificate_status(settings_from(args).pki_dir), indent=2))
    return 0


def cmd_pki_install(args: argparse.Namespace) -> int:
    from node.identity.install import install_certificate
    from node.identity.keys import IdentityError

    settings = settings_from(args)
    try:
        path = install_certificate(settings.pki_dir, Path(args.cert).read_bytes(), Path(args.ca).read_bytes(),
                                   settings.node.site_id)
    except (IdentityError, OSError) as exc:
        print(f"fednode pki install: {exc}", file=sys.stderr)
        return 2
    print(f"certificate installed at {path}; the SuperNode key is {settings.pki_dir / 'supernode.key'}")
    return 0


def cmd_pki_rotate(args: argparse.Namespace) -> int:
    from node.identity.keys import IdentityError, start_rotation

    settings = settings_from(args)
    try:
        csr = start_rotation(settings.pki_dir, settings.node.site_id)
    except IdentityError as exc:
        print(f"fednode pki rotate: {exc}", file=sys.stderr)
        return 2
    print(f"new key and request written; send {csr} to the network operator (`fedcoord nodes approve`), then "
          "`fednode pki install --cert SITE.crt --ca ca.crt` (the current certificate stays in use until then)")
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    from node.backup import backup
    from node.runtime import open_node

    settings = settings_from(args)
    rt = open_node(settings)
    try:
        report = backup(rt.store, Path(args.out), site_id=settings.node.site_id, blob_dir=settings.image_blob_dir)
    finally:
        rt.close()
    print(json.dumps(report.to_dict(), indent=2, default=str))
    print(f"backup written to {report.path} (mode 0600). The site secret {settings.secret_path} is NOT in it: "
          "keep an offline copy of the secret too.", file=sys.stderr)
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from node.backup import restore
    from node.runtime import open_node

    settings = settings_from(args)
    rt = open_node(settings)
    try:
        report = restore(rt.store, Path(args.backup), blob_dir=settings.image_blob_dir, replace=args.replace)
    finally:
        rt.close()
    print(json.dumps(report.to_dict(), indent=2, default=str))
    return 0


def cmd_migrate(args: argparse.Namespace) -> int:
    from node.migrations import migrate, plan, stored_version
    from node.runtime import open_node

    settings = settings_from(args)
    rt = open_node(settings)
    try:
        version = stored_version(rt.store)
        if args.dry_run:
            steps = plan(version) if version else []
            print(json.dumps({"stored": version, "steps": [f"{s.source} -> {s.target}: {s.summary}" for s in steps]},
                             indent=2))
            return 0
        done = migrate(rt.store)
    finally:
        rt.close()
    for step, n in done:
        print(f"{step.source} -> {step.target}: {step.summary} ({n} records)")
    if not done:
        print(f"store already at schema {version or 'current (empty store)'}: nothing to do")
    return 0


def cmd_ui(args: argparse.Namespace) -> int:
    import uvicorn

    from node.webui.app import create_app

    settings = settings_from(args)
    host = args.host or settings.deploy.ui_host
    port = args.port or settings.deploy.ui_port
    if host not in ("127.0.0.1", "localhost", "::1"):
        print(f"warning: the node UI will listen on {host}, not only this machine; it has no login of its own — "
              "put it behind the hospital's authenticating reverse proxy", file=sys.stderr)
    print(f"node UI for {settings.node.site_id}: http://{host}:{port}/", file=sys.stderr)
    uvicorn.run(create_app(settings), host=host, port=port, log_level="warning")
    return 0


def _migration_errors():
    from node.backup import BackupError
    from node.migrations import MigrationError

    return BackupError, MigrationError


def _guard(handler):
    def run(args: argparse.Namespace) -> int:
        try:
            return handler(args)
        except _migration_errors() as exc:
            print(f"fednode: {exc}", file=sys.stderr)
            return 2
    return run


def register(sub: argparse._SubParsersAction) -> None:
    pki = sub.add_parser("pki", help="the node's key and certificate (show, install, rotate)")
    pki_sub = pki.add_subparsers(dest="pki_command", required=True, metavar="ACTION")
    add_command(pki_sub, "show", cmd_pki_show, "show the node's certificate state and expiry")
    p = add_command(pki_sub, "install", cmd_pki_install, "install the certificate returned by `fedcoord nodes approve`")
    p.add_argument("--cert", required=True, help="SITE.crt from the network operator")
    p.add_argument("--ca", required=True, help="the network CA certificate (ca.crt)")
    add_command(pki_sub, "rotate", cmd_pki_rotate, "make a new key and certificate request (rotation)")

    p = add_command(sub, "backup", _guard(cmd_backup), "write a backup of the node store to one file (mode 0600)")
    p.add_argument("out", metavar="FILE", help="new backup file, e.g. /backup/fednet-$(date +%%F).tar.gz")
    p = add_command(sub, "restore", _guard(cmd_restore), "restore a backup (checked first), then migrate its schema")
    p.add_argument("backup", metavar="FILE")
    p.add_argument("--replace", action="store_true", help="drop the store's current data first")
    p = add_command(sub, "migrate", _guard(cmd_migrate), "bring the store to this version's schema")
    p.add_argument("--dry-run", action="store_true", help="only list the steps")
    p = add_command(sub, "ui", cmd_ui, "serve the operator web UI (localhost only by default)")
    p.add_argument("--host", help="listen address (default [deploy] ui_host = 127.0.0.1)")
    p.add_argument("--port", type=int, help="port (default [deploy] ui_port = 8470)")
