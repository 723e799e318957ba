"""``fedcoord import-public`` and ``fedcoord subset``: public case reports in the coordinator."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

DEFAULT_STORE = "runs/coordinator/store"
DEFAULT_DATA = "../shared/data"


def _store_uri(value: str) -> str:
    return value if "://" in value else f"embedded://{Path(value).resolve()}"


def cmd_import(args: argparse.Namespace) -> int:
    from rich.console import Console
    from rich.progress import Progress

    from coordinator.public_data import import_public_data, open_public_store
    from coordinator.public_data.importer import resolve_sources
    from node.store.node_store import StoreError

    console = Console(width=None if sys.stdout.isatty() else 140)
    try:
        sources = resolve_sources(args.sources.split(","))
    except ValueError as exc:
        console.print(f"[red]error:[/] {exc}")
        return 2
    data = Path(args.data)
    if not data.is_dir():
        console.print(f"[red]error:[/] public-data folder {data} not found: pass --data DIR (default {DEFAULT_DATA})")
        return 2
    paths = {"multicare": Path(args.multicare)} if args.multicare else None
    try:
        store = open_public_store(_store_uri(args.store), args.database)
    except StoreError as exc:
        console.print(f"[red]error:[/] {exc}")
        return 2
    with store, Progress(console=console, disable=args.quiet, transient=True) as bar:
        task = bar.add_task("de-identifying (public mode) and storing", total=None)
        report = import_public_data(store, data, sources, paths=paths, limit=args.limit,
                                    progress=lambda src, done, total: bar.update(task, completed=done, total=total,
                                                                                 description=f"{src}: storing"))
    console.print(report.source_table())
    console.print(report.label_table())
    for line in report.survival_lines():
        console.print(line)
    if report.dedup.merges:
        console.print(f"merged {len(report.dedup.merges)} cross-source duplicates, e.g. "
                      + ", ".join(f"{m.merged_source}:{m.merged_id} -> {m.kept_source}:{m.kept_id}"
                                  for m in report.dedup.merges[:5]))
    for r in report.rejected[:20]:
        console.print(f"[yellow]rejected[/] {r.source} {r.where}: {r.reason}")
    console.print(f"done in {report.seconds:.1f} s; store {store.info.kind} {store.info.location}")
    if args.json:
        Path(args.json).write_text(json.dumps(report.to_dict(), indent=1), encoding="utf-8")
    return 0


def cmd_subset(args: argparse.Namespace) -> int:
    from rich.console import Console

    from coordinator.public_data import open_public_store
    from coordinator.subsets import FilterError, create_subset, load_filters, parse_filter
    from node.store.node_store import StoreError

    console = Console(width=None if sys.stdout.isatty() else 140)
    try:
        filters = [parse_filter(f) for f in args.filter]
        if args.filter_json:
            filters += load_filters(Path(args.filter_json))
    except FilterError as exc:
        console.print(f"[red]error:[/] {exc}")
        return 2
    try:
        store = open_public_store(_store_uri(args.store), args.database)
    except StoreError as exc:
        console.print(f"[red]error:[/] {exc}")
        return 2
    with store:
        try:
            result = create_subset(store, Path(args.data), Path(args.out), args.name, filters, args.format,
                                   use=args.use, image_token=args.image_token)
        except (FileExistsError, ValueError) as exc:
            console.print(f"[red]error:[/] {exc}")
            return 2
    console.print(f"subset [bold]{args.name}[/] ({args.format}, use: {args.use}): {result.cases} cases, "
                  f"{result.images} images ({result.images_copied} files copied) -> {result.folder}")
    console.print("files: " + ", ".join(result.files))
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("import-public", help="import public case reports (MedPix 2.0, PMC-Patients, MultiCaRe) "
                                             "into the coordinator's store",
                       description="Read the public case-report datasets, merge duplicates across sources by PMCID "
                                   "case, de-identify their text in public mode (ages < 90, years, eponyms survive) "
                                   "and store them in the shared FHIR schema with provenance and license per record.")
    p.add_argument("--sources", default="medpix,pmc", help="comma list of medpix, pmc, multicare (default medpix,pmc)")
    p.add_argument("--data", default=DEFAULT_DATA, help=f"public-data folder (default {DEFAULT_DATA})")
    p.add_argument("--multicare", metavar="DIR", help="MultiCaRe folder (metadata/cases/case_images tables + "
                                                      "captions_and_labels.csv); default <data>/multicare")
    p.add_argument("--store", default=DEFAULT_STORE, help=f"store folder or mongodb:// URI (default {DEFAULT_STORE})")
    p.add_argument("--database", default="fednet_coordinator")
    p.add_argument("--limit", type=int, help="at most N rows per source")
    p.add_argument("--json", metavar="FILE", help="also write the report as JSON")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("subset", help="write a MultiCaRe-style subset of the public case reports",
                       description="Filter the coordinator's public case reports and write a subset folder with "
                                   "a citations file. Filters: FIELD[:any|all|none][:regex|:partial|:case]=V1,V2 "
                                   "with FIELD in min_year, max_year, license, keywords, mesh_terms, source, min_age, "
                                   "max_age, gender, case_strings, caption, label. Example: "
                                   "--filter label:all=CT,head --filter min_age=40 --filter license:none=CC BY-NC-SA")
    p.add_argument("--filter", action="append", default=[], metavar="FIELD[:OP]=VALUES")
    p.add_argument("--filter-json", metavar="FILE", help="JSON list of MultiCaRe-style filter dicts")
    p.add_argument("--format", choices=("text", "image", "multimodal", "case_series"), default="multimodal")
    p.add_argument("--use", choices=("research", "commercial"), default="research",
                   help="commercial: only rows whose every source license allows commercial use")
    p.add_argument("--image-token", help="token for images in multimodal text (default: <file name>)")
    p.add_argument("--name", required=True, help="subset folder name (must not exist)")
    p.add_argument("--out", default="runs/subsets", help="parent folder (default runs/subsets)")
    p.add_argument("--data", default=DEFAULT_DATA, help="public-data folder the image paths are relative to")
    p.add_argument("--store", default=DEFAULT_STORE)
    p.add_argument("--database", default="fednet_coordinator")
    p.set_defaults(func=cmd_subset)
