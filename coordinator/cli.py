"""``fedcoord``: the coordinator side of the network.

Subcommands live in ``coordinator/commands/`` (one module per feature, each with
a ``register`` function); add a module there and list it in ``COMMAND_MODULES``.
"""

from __future__ import annotations

import argparse
import importlib
from typing import Sequence

DESCRIPTION = """\
fedcoord runs the coordinator of the federated health-data network: the hub
that knows the hospital nodes, asks them for aggregate answers and drives
federated training. It never sees patient-level data.

`fedcoord demo` builds a local network of simulated hospitals, runs one node
per hospital on the embedded store, ingests each hospital's raw notes
(de-identifying them) and checks that none of the PHI planted in them reached
any node's store or logs.
"""

COMMAND_MODULES = ("coordinator.commands.demo", "coordinator.commands.count", "coordinator.commands.nodes",
                   "coordinator.commands.public_data", "coordinator.commands.train", "coordinator.commands.network")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="fedcoord", description=DESCRIPTION,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


def run() -> None:
    """The ``fedcoord`` console command: :func:`main`, then :func:`node.exit.exit_now`."""
    from node.exit import exit_now

    exit_now(main())


if __name__ == "__main__":
    run()
