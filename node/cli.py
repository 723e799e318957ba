"""``fednode``: run a hospital node.

Typical first use::

    fednode --config node.toml init          # data folder, site secret, store
    fednode --config node.toml ingest EXPORT_DIR
    fednode --config node.toml status

Subcommands live in ``node/commands/`` (one module per feature, each with a
``register`` function); add a module there and list it in ``COMMAND_MODULES``.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from typing import Sequence

from node.settings import ConfigError

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

COMMAND_MODULES = ("node.commands.ingest", "node.commands.deid", "node.commands.schema", "node.commands.images",
                   "node.commands.query", "node.commands.deploy", "node.commands.masterdata",
                   "node.commands.network")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="fednode", description=DESCRIPTION, epilog=EPILOG,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--config", metavar="FILE", help="node configuration (TOML)")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def _operator_errors() -> tuple[type[Exception], ...]:
    """Errors that mean 'the operator must fix something': printed as one line, exit 2."""
    from node.ingest.sources import ExportError
    from node.secrets import SecretError
    from node.store import StoreError

    return ConfigError, ExportError, SecretError, StoreError


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except _operator_errors() as exc:
        print(f"fednode: {exc}", file=sys.stderr)
        return 2


def run() -> None:
    """The ``fednode`` console command: :func:`main`, then :func:`node.exit.exit_now`."""
    from node.exit import exit_now

    exit_now(main())


if __name__ == "__main__":
    run()
