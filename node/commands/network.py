"""``fednode join``: take part in the network (SuperNode + node worker, outbound only)."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from node.commands import add_command, settings_from


def cmd_join(args: argparse.Namespace) -> int:
    from node.network.join import JoinError, join

    config = getattr(args, "config", None)
    if not config:
        print("fednode join: give --config NODE_TOML (the node worker hands it to the node's apps)", file=sys.stderr)
        return 2
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)  # one line per poll otherwise
    try:
        return join(settings_from(args), Path(config))
    except JoinError as exc:
        print(f"fednode join: {exc}", file=sys.stderr)
        return 2


def register(sub: argparse._SubParsersAction) -> None:
    add_command(sub, "join", cmd_join, "join the network: Flower SuperNode (TLS + node key, dials out only) and the "
                "node worker that answers counts and trains",
                description="Run this node's side of the network until stopped: Flower's SuperNode dials out to "
                            "[deploy] superlink over TLS with <pki_dir>/ca.crt and authenticates with "
                            "<pki_dir>/supernode.key (no inbound port); the node worker keeps the query and training "
                            "apps loaded and answers every message (permit-checked, noised, audited here).")
