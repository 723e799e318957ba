"""``fednode`` subcommands, one module per feature.

Each module exposes ``register(sub: argparse._SubParsersAction) -> None`` and is
listed in :data:`node.cli.COMMAND_MODULES`. Commands import heavy dependencies
inside their handler, so ``fednode --help`` stays fast.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Callable

from node.settings import NodeSettings, load_settings

Handler = Callable[[argparse.Namespace], int]


def settings_from(args: argparse.Namespace) -> NodeSettings:
    """The node settings for a command: ``--config FILE`` (if given) + FEDNET_* overrides."""
    config = getattr(args, "config", None)
    return load_settings(Path(config) if config else None)


def add_command(sub: argparse._SubParsersAction, name: str, handler: Handler, help_: str,
                description: str | None = None) -> argparse.ArgumentParser:
    """Add a subcommand that also accepts ``--config`` after its name."""
    parser = sub.add_parser(name, help=help_, description=description or help_)
    parser.add_argument("--config", metavar="FILE", default=argparse.SUPPRESS, help="node configuration (TOML)")
    parser.set_defaults(func=handler)
    return parser
