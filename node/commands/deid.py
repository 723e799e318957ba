"""``fednode deid eval | text``: measure and try the de-identification."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from node.commands import settings_from


def cmd_deid_eval(args: argparse.Namespace) -> int:
    from deid.config import load_deid_config
    from deid.evaluation import evaluate_gold
    from deid.pipeline import Deidentifier

    settings = settings_from(args)
    secret = b"evaluation-only-secret"  # evaluation stores nothing: no site secret needed
    config = load_deid_config(getattr(args, "deid_config", None) or settings.deid.config)
    files = gold_files(Path(args.gold))
    if args.folds and args.half:
        raise SystemExit("--half and --folds do not go together: cross-validation makes its own patient folds")
    if args.folds:
        return _cross_validate(args, config, files)
    deidentifier = Deidentifier(config, secret)
    reports = [evaluate_gold(path, deidentifier, limit=args.limit, half=args.half) for path in files]
    return _print_reports(args, files, reports)


def _cross_validate(args: argparse.Namespace, config, files: list[Path]) -> int:
    from deid.cross_validation import cross_validate

    if args.folds < 2:
        raise SystemExit("--folds needs at least 2 folds")
    reports = []
    for path in files:
        work = Path(args.work) / path.stem
        print(f"cross-validating on {path} ({args.folds} patient folds; fold models in {work}; "
              f"a fold trains in minutes on CPU and is reused when present)", file=sys.stderr)
        reports.append(cross_validate(path, config, args.folds, work, epochs=args.epochs, threads=args.threads))
    return _print_reports(args, files, reports)


def _print_reports(args: argparse.Namespace, files: list[Path], reports: list) -> int:
    """One JSON object (``--json``) or the readable tables of the reports, one per gold file."""
    if args.json:
        out = reports[0].to_json() if len(reports) == 1 else {p.name: r.to_json() for p, r in zip(files, reports)}
        print(json.dumps(out, indent=2))
    else:
        print("\n\n".join(r.to_table() for r in reports))
    return 0


def gold_files(path: Path) -> list[Path]:
    """A gold file, every gold file (``*.jsonl``, ``*.json`` but manifests) in a folder, or a
    Synthea FHIR export folder (``DocumentReference*.ndjson``)."""
    if path.is_file():
        return [path]
    if path.is_dir() and any(path.glob("DocumentReference*.ndjson")):
        return [path]
    if path.is_dir():
        found = sorted(p for p in path.iterdir() if p.suffix in (".json", ".jsonl") and p.name != "package.json")
        if found:
            return found
    raise FileNotFoundError(f"no gold file at {path}: pass a PhysioNet-style .jsonl or presidio-research .json "
                            "file, or a folder holding them")


def cmd_deid_text(args: argparse.Namespace) -> int:
    from deid.config import load_deid_config
    from deid.pipeline import Deidentifier

    settings = settings_from(args)
    text = Path(args.file).read_text(encoding="utf-8") if args.file else sys.stdin.read()
    deidentifier = Deidentifier(load_deid_config(settings.deid.config), b"manual-check-secret")
    result = deidentifier.deidentify(text)
    sys.stdout.write(result.text)
    print(f"\n-- removed: {dict(result.counts_by_type)}", file=sys.stderr)
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    deid = sub.add_parser("deid", help="de-identification tools (evaluate, try on a text)",
                          description="De-identification tools.")
    tools = deid.add_subparsers(dest="deid_command", required=True, metavar="TOOL")
    p = tools.add_parser("eval", help="recall/precision per PHI type against a gold file",
                         description="Evaluate the node's de-identification against a gold standard: "
                                     "PhysioNet deid JSONL ({text, phi:[{start,end,type}]}) or "
                                     "presidio-research JSON ({full_text, spans:[...]}).")
    p.add_argument("--gold", required=True, metavar="FILE|DIR", help="a gold file, or a folder of them "
                   "(e.g. ../shared/data/presidio-research)")
    p.add_argument("--json", action="store_true", help="print one JSON object (recall, precision, notes_per_second, by_type)")
    p.add_argument("--limit", type=int, default=None, metavar="N", help="only the first N notes")
    p.add_argument("--half", choices=("even", "odd"), default=None,
                   help="only the records at even or odd positions (0-based): read the misses of one half, "
                        "report the other")
    p.add_argument("--deid-config", metavar="YAML", default=None,
                   help="de-identification YAML to evaluate instead of [deid] config, e.g. a site overlay "
                        "(deid/config/physionet_gazetteer.yaml)")
    p.add_argument("--folds", type=int, default=0, metavar="K",
                   help="patient-grouped K-fold cross-validation: the learned tagger is retrained without each "
                        "fold and scored on it; prints unseen-fold and tuned-on figures (needs 'patient' per note)")
    p.add_argument("--work", default="runs/deid-cv", metavar="DIR", help="where --folds keeps the fold models")
    p.add_argument("--epochs", type=int, default=None, help="training epochs per fold (--folds; default: the "
                   "shipped model's)")
    p.add_argument("--threads", type=int, default=2, help="training threads (--folds)")
    p.add_argument("--config", metavar="FILE", default=argparse.SUPPRESS)
    p.set_defaults(func=cmd_deid_eval)
    p = tools.add_parser("text", help="de-identify a text file (or stdin) and print the result, for a manual check")
    p.add_argument("file", nargs="?", metavar="FILE")
    p.add_argument("--config", metavar="FILE", default=argparse.SUPPRESS)
    p.set_defaults(func=cmd_deid_text)
    from node.commands.images import register_deid_tool

    register_deid_tool(tools)  # fednode deid image IN OUT
