"""``fednode masterdata import | show | remove``: the site's staff, facilities and towns as deny lists.

The lists are validated (a bad row refuses the whole file, naming file and line), kept on the
node's own disk only (``<data_dir>/masterdata/``, 0600) and used by every later ingest: each
note's de-identification denies the staff names (``PROVIDER``), hospitals and buildings
(``HOSPITAL``), wards and units (``WARD``) and towns (``LOCATION``) it contains. Output and
the log show counts only, never a name. Formats: ``node/ingest/FORMATS.md``.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from node.commands import settings_from

log = logging.getLogger("fednet.node.masterdata")


def cmd_import(args: argparse.Namespace) -> int:
    from node.logs import setup_file_logging
    from node.masterdata.readers import MasterDataError, read_facilities, read_staff, read_towns
    from node.masterdata.storage import MasterData, load_masterdata, save_list
    from node.masterdata.terms import SiteTerms, deid_ambiguity

    given = {"staff": args.staff, "facilities": args.facilities, "towns": args.towns}
    if not any(given.values()):
        print("fednode: pass at least one of --staff, --facilities, --towns (CSV files; see node/ingest/FORMATS.md)",
              file=sys.stderr)
        return 2
    settings = settings_from(args)
    readers = {"staff": read_staff, "facilities": read_facilities, "towns": read_towns}
    parsed, failed = {}, False
    for name, path in given.items():  # validate everything before writing anything
        if not path:
            continue
        try:
            parsed[name] = readers[name](Path(path))
        except MasterDataError as exc:
            print(f"fednode: {exc}", file=sys.stderr)
            failed = True
    if failed:
        print("fednode: nothing was imported; fix the files and run the command again", file=sys.stderr)
        return 2
    setup_file_logging(settings.log_dir)
    current = load_masterdata(settings.node.data_dir)
    for name, rows in parsed.items():
        save_list(settings.node.data_dir, name, rows)
    merged = MasterData(**{n: tuple(parsed.get(n, getattr(current, n))) for n in ("staff", "facilities", "towns")})
    terms = SiteTerms.build({}, merged, deid_ambiguity(settings.deid.config))
    counts = {name: len(rows) for name, rows in parsed.items()}
    log.info("master data imported: %s rows; deny terms by type %s; %d single words held back",
             counts, terms.counts, terms.held_back)
    for name, n in counts.items():
        print(f"{name}: {n} rows imported (replacing the previous list)")
    print(f"deny terms by type: {dict(sorted(terms.counts.items()))}; {terms.held_back} single words held back "
          "(also ordinary English or clinical words: denied only in full names or after a title)")
    print(f"kept in {settings.node.data_dir / 'masterdata'} (0600); used by every ingest from now on")
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    import json

    from node.masterdata.storage import load_masterdata

    settings = settings_from(args)
    master = load_masterdata(settings.node.data_dir)
    print(json.dumps({"rows": master.counts(), "imported_at": master.imported_at}, indent=2))
    return 0


def cmd_remove(args: argparse.Namespace) -> int:
    from node.masterdata.storage import remove_list

    settings = settings_from(args)
    names = [n for n in ("staff", "facilities", "towns") if getattr(args, n)]
    if not names:
        print("fednode: pass --staff, --facilities and/or --towns", file=sys.stderr)
        return 2
    for name in names:
        print(f"{name}: {'removed' if remove_list(settings.node.data_dir, name) else 'was not imported'}")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    md = sub.add_parser("masterdata", help="import the site's staff roster, facilities/wards and towns as deny lists",
                        description="The site's own master data, redacted in every note it ingests. "
                                    "Formats: node/ingest/FORMATS.md, 'Site master data'.")
    tools = md.add_subparsers(dest="masterdata_command", required=True, metavar="ACTION")
    p = tools.add_parser("import", help="validate CSV files and replace the lists they give",
                         description="Validate the CSV files (a bad row refuses its whole file, naming file and line) "
                                     "and replace the lists given; the others stay as they are.")
    p.add_argument("--staff", metavar="CSV", help="staff roster: family[,given][,other_names]")
    p.add_argument("--facilities", metavar="CSV", help="hospitals, clinics, buildings, wards, units: name,kind[,aliases]")
    p.add_argument("--towns", metavar="CSV", help="local towns and neighbourhoods: name[,aliases]")
    p.add_argument("--config", metavar="FILE", default=argparse.SUPPRESS)
    p.set_defaults(func=cmd_import)
    p = tools.add_parser("show", help="how many rows each list holds (never the names)")
    p.add_argument("--config", metavar="FILE", default=argparse.SUPPRESS)
    p.set_defaults(func=cmd_show)
    p = tools.add_parser("remove", help="delete imported lists")
    for name in ("staff", "facilities", "towns"):
        p.add_argument(f"--{name}", action="store_true")
    p.add_argument("--config", metavar="FILE", default=argparse.SUPPRESS)
    p.set_defaults(func=cmd_remove)
