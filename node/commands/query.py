"""``fednode audit verify|show|head|reanchor`` and ``fednode optout add|remove|list``: governance of cohort queries."""

from __future__ import annotations

import argparse
import json

from rich.console import Console
from rich.table import Table

from node.commands import settings_from


def _open(args: argparse.Namespace):
    from node.runtime import open_node

    return open_node(settings_from(args))


def cmd_audit_verify(args: argparse.Namespace) -> int:
    from node.governance.audit import ReceiptsError, open_audit_log, read_receipts

    rt = _open(args)
    try:
        site = rt.settings.node.site_id
        try:
            receipts = [r for path in args.receipts or [] for r in read_receipts(path, site)]
        except ReceiptsError as exc:
            print(f"fednode audit verify: {exc}")
            return 2
        report = open_audit_log(rt.store, rt.secret, rt.settings).verify(receipts)
    finally:
        rt.close()
    if args.json:
        print(json.dumps({"ok": report.ok, "entries": report.entries, "problems": report.problems,
                          "notes": report.notes, "head": report.head, "receipts_checked": len(receipts)}, indent=2))
    elif report.ok:
        anchored = f"; {len(receipts)} receipt(s) of the coordinator found" if receipts else ""
        print(f"audit log intact: {report.entries} entries, hash chain, head and anchor verified{anchored}")
        for note in report.notes:
            print(f"  note: {note}")
    else:
        print(f"audit log TAMPERED: {len(report.problems)} problem(s) in {report.entries} entries")
        for problem in report.problems:
            print(f"  - {problem}")
    return 0 if report.ok else 1


def cmd_audit_head(args: argparse.Namespace) -> int:
    """Print the log's end (site, sequence number, keyed hash): write it down outside the node as an anchor."""
    from node.governance.audit import open_audit_log

    rt = _open(args)
    try:
        log = open_audit_log(rt.store, rt.secret, rt.settings)
        last = log.last(1)
    finally:
        rt.close()
    if not last:
        print("the audit log is empty")
        return 1
    receipt = log.receipt(last[0])
    if args.json:
        print(json.dumps(receipt))
    else:
        print(f"{receipt['site_id']} entry {receipt['seq']} {receipt['hash']} (keep this line outside the node; "
              "`fednode audit verify --receipts FILE` checks the log still holds it)")
    return 0


def cmd_audit_reanchor(args: argparse.Namespace) -> int:
    """Accept the log as it is after an investigation (a restored backup...): recorded as an audit entry."""
    from node.governance.audit import open_audit_log

    if not args.note.strip():
        print("fednode audit reanchor: say why with --note (it is recorded in the audit log)")
        return 2
    rt = _open(args)
    try:
        entry = open_audit_log(rt.store, rt.secret, rt.settings).reanchor(args.note.strip())
    finally:
        rt.close()
    print(f"audit log re-anchored at entry {entry['seq']} ({entry['reason']})")
    return 0


def cmd_audit_show(args: argparse.Namespace) -> int:
    from node.governance.audit import open_audit_log

    rt = _open(args)
    try:
        entries = open_audit_log(rt.store, rt.secret, rt.settings).last(args.last)
    finally:
        rt.close()
    table = Table(title=f"audit log of {rt.settings.node.site_id} (last {len(entries)})")
    for col in ("#", "at", "kind", "requester", "permit", "purpose", "decision", "ε spent", "query / reason"):
        table.add_column(col)
    for e in entries:
        table.add_row(str(e["seq"]), e["at"][:19], e["kind"], str(e.get("requester") or ""), str(e.get("permit_id") or ""),
                      str(e.get("purpose") or ""), e["decision"], f"{e.get('epsilon_spent') or 0:g}",
                      (e.get("reason") or e.get("query") or _numbers(e.get("answer")))[:80])
    Console().print(table)
    return 0


def _numbers(answer: object) -> str:
    """A training round's answer (round, examples, loss: numbers only) as one short line."""
    return json.dumps(answer, separators=(",", ":")) if isinstance(answer, dict) else ""


def cmd_optout(args: argparse.Namespace) -> int:
    from node.governance.optout import OptOutRegistry, pseudonym_for_mrn

    rt = _open(args)
    try:
        registry = OptOutRegistry(rt.store)
        if args.action == "list":
            rows = registry.list()
            print(json.dumps([{"pseudonym": r["_id"], "since": r["at"].isoformat()} for r in rows], indent=2))
            return 0
        if bool(args.mrn) == bool(args.pseudonym):
            print("fednode optout: give exactly one of --mrn or --pseudonym")
            return 2
        pseudonym = args.pseudonym or pseudonym_for_mrn(rt.secret, args.mrn, rt.settings.deid.config)
        if args.action == "add":
            new = registry.add(pseudonym)
            print(f"{pseudonym}: {'opted out from now on' if new else 'had already opted out'} "
                  "(excluded from every count and training set)")
        else:
            removed = registry.remove(pseudonym)
            print(f"{pseudonym}: {'opt-out withdrawn' if removed else 'was not opted out'}")
    finally:
        rt.close()
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    audit = sub.add_parser("audit", help="check or show the hash-chained audit log of query requests and training runs")
    audit_sub = audit.add_subparsers(dest="audit_command", required=True, metavar="ACTION")
    verify = audit_sub.add_parser("verify", help="detect edited, removed, added, reordered or truncated entries and an "
                                                 "emptied or replaced log (exit 1 if any)")
    verify.add_argument("--config", metavar="FILE", default=argparse.SUPPRESS, help="node configuration (TOML)")
    verify.add_argument("--json", action="store_true", help="print the report as JSON")
    verify.add_argument("--receipts", action="append", metavar="FILE",
                        help="JSON lines of receipts kept outside the node (the coordinator's audit_receipts.jsonl, "
                             "saved `fednode audit head --json` lines): each must still be in the log")
    verify.set_defaults(func=cmd_audit_verify)
    head = audit_sub.add_parser("head", help="print the log's last entry number and keyed hash, to keep outside the node")
    head.add_argument("--config", metavar="FILE", default=argparse.SUPPRESS, help="node configuration (TOML)")
    head.add_argument("--json", action="store_true", help="one JSON line (what --receipts reads)")
    head.set_defaults(func=cmd_audit_head)
    reanchor = audit_sub.add_parser("reanchor", help="accept the log as it is now, after investigating a mismatch "
                                                     "(e.g. an older backup restored); recorded in the log")
    reanchor.add_argument("--config", metavar="FILE", default=argparse.SUPPRESS, help="node configuration (TOML)")
    reanchor.add_argument("--note", required=True, help="why (recorded in the new audit entry)")
    reanchor.set_defaults(func=cmd_audit_reanchor)
    show = audit_sub.add_parser("show", help="print the last entries (requester, permit, decision, ε, query)")
    show.add_argument("--config", metavar="FILE", default=argparse.SUPPRESS, help="node configuration (TOML)")
    show.add_argument("--last", type=int, default=20)
    show.set_defaults(func=cmd_audit_show)

    optout = sub.add_parser("optout", help="the opt-out registry: patients excluded from all counts and training")
    optout_sub = optout.add_subparsers(dest="action", required=True, metavar="ACTION")
    for action, help_ in (("add", "register a patient's opt-out"), ("remove", "withdraw an opt-out"),
                          ("list", "list opted-out pseudonyms")):
        p = optout_sub.add_parser(action, help=help_)
        p.add_argument("--config", metavar="FILE", default=argparse.SUPPRESS, help="node configuration (TOML)")
        if action != "list":
            p.add_argument("--mrn", help="the patient's MRN (only its keyed pseudonym is stored)")
            p.add_argument("--pseudonym", help="the patient's pseudonym, if known")
        else:
            p.set_defaults(mrn=None, pseudonym=None)
        p.set_defaults(func=cmd_optout)
