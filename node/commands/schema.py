"""``fednode schema-export``: write the store's MongoDB validators."""

from __future__ import annotations

import argparse
from pathlib import Path

from node.commands import add_command


def cmd_schema_export(args: argparse.Namespace) -> int:
    from schemas.jsonschema import export_json_schemas

    for path in export_json_schemas(Path(args.out)):
        print(path)
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = add_command(sub, "schema-export", cmd_schema_export, "write the MongoDB $jsonSchema validators to a folder")
    p.add_argument("out", metavar="OUT_DIR")
