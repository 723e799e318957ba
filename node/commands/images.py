"""``fednode deid image IN OUT`` and ``fednode ingest-images EXPORT``: images at the node.

``deid image`` de-identifies one DICOM or PNG/JPEG file with the node's configuration, so
an operator can check a file by hand (it stores nothing; pseudonyms, UIDs and date shifts
use a check-only secret, not the site's). ``ingest-images`` ingests only the ``images/``
folder of an export (``fednode ingest`` does notes and images).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from rich.console import Console
from rich.table import Table

from node.commands import add_command, settings_from

CHECK_SECRET = b"manual-check-secret"


def cmd_deid_image(args: argparse.Namespace) -> int:
    from deid.config import load_deid_config
    from deid.image.engine import ImageDeidentifier
    from deid.pipeline import Deidentifier
    from node.images.pipeline import image_deid_config
    from node.images.readers import ImageReadError, RawImage, open_dicom, open_picture

    settings = settings_from(args)
    src, out = Path(args.input), Path(args.output)
    if not src.is_file():
        print(f"fednode: {src} is not a file: pass one DICOM, PNG or JPEG file")
        return 2
    raw = src.read_bytes()
    kind = "picture" if src.suffix.lower() in (".png", ".jpg", ".jpeg") else "dicom"
    item = RawImage(src.name, kind, raw)
    text_deid = Deidentifier(load_deid_config(settings.deid.config), CHECK_SECRET)
    engine = ImageDeidentifier(text_deid, CHECK_SECRET, image_deid_config(settings))
    try:
        if kind == "dicom":
            result = engine.deidentify_dicom(open_dicom(item) if not args.allow_no_pixels else _read_any(raw))
            out.write_bytes(result.dicom_bytes())
        else:
            result = engine.deidentify_picture(open_picture(item))
            result.picture.save(out, format="PNG")
    except (ImageReadError, ValueError) as exc:
        print(f"fednode: {src}: {exc}")
        return 2
    if args.json:
        from node.images.build import stored_provenance

        print(json.dumps(stored_provenance(result.provenance()), indent=2))
    else:
        table = Table(title=f"{src.name} -> {out}")
        for col in ("box (x, y, w, h)", "reason", "entity type"):
            table.add_column(col)
        for r in result.redactions:
            table.add_row(str(r.box.as_list()), r.reason, r.entity_type)
        Console().print(table)
        if result.header:
            Console().print(f"header: {result.header.to_dict()}")
    return 0


def _read_any(raw: bytes):
    import io

    import pydicom

    return pydicom.dcmread(io.BytesIO(raw), force=True)


def cmd_ingest_images(args: argparse.Namespace) -> int:
    from node.images.pipeline import ImageIngestJob
    from node.runtime import open_node

    settings = settings_from(args)
    rt = open_node(settings, create=True)
    try:
        report = ImageIngestJob(settings, rt.store, rt.deidentifier(), rt.secret, ocr=False if args.no_ocr else None).run(
            Path(args.export), show_progress=not args.quiet)
    finally:
        rt.close()
    if args.json:
        print(json.dumps(report.to_dict(), indent=2))
    else:
        print_image_report(report)
    return 0


def print_image_report(report, console: Console | None = None) -> None:
    """A table of an :class:`~node.images.pipeline.ImageIngestReport`."""
    table = Table(title=f"images {report.site_id} (run {report.run_id})")
    table.add_column("what")
    table.add_column("count", justify="right")
    table.add_row("images read", str(report.images_seen))
    table.add_row("images stored", str(report.images_stored))
    table.add_row("already stored (skipped)", str(report.images_already_stored))
    table.add_row("boxes redacted", str(report.boxes_redacted))
    table.add_row("burned-in text OCR", "on" if report.ocr else "off")
    for reason, n in sorted(report.redactions.items()):
        table.add_row(f"  by {reason}", str(n))
    for kind, n in sorted(report.quarantined.items()):
        table.add_row(f"quarantined: {kind}", str(n))
    for kind, n in sorted(report.caption_phi_removed.items()):
        table.add_row(f"report PHI removed: {kind}", str(n))
    (console or Console()).print(table)


def run_export_images(settings, runtime, export: Path, quiet: bool):
    """What ``fednode ingest`` runs after the notes: the ``images/`` folder, if any."""
    from node.ingest.files import has_images

    if not has_images(export):
        return None
    from node.images.pipeline import ImageIngestJob

    return ImageIngestJob(settings, runtime.store, runtime.deidentifier(), runtime.secret).run(
        export, show_progress=not quiet)


def register_deid_tool(tools: argparse._SubParsersAction) -> None:
    """Add ``image`` to ``fednode deid`` (called by ``node.commands.deid.register``)."""
    p = tools.add_parser("image", help="de-identify one DICOM or PNG/JPEG file (header and pixels) for a manual check",
                         description="De-identify one DICOM or PNG/JPEG file with the node's [images] and [deid] "
                                     "configuration and write the result; prints each redacted box (never text).")
    p.add_argument("input", metavar="IN")
    p.add_argument("output", metavar="OUT")
    p.add_argument("--json", action="store_true", help="print the provenance as JSON")
    p.add_argument("--allow-no-pixels", action="store_true", help="also accept DICOM objects without pixels (header only)")
    p.add_argument("--config", metavar="FILE", default=argparse.SUPPRESS)
    p.set_defaults(func=cmd_deid_image)


def register(sub: argparse._SubParsersAction) -> None:
    p = add_command(sub, "ingest-images", cmd_ingest_images,
                    "ingest only the images/ folder of an export (DICOM, PNG/JPEG + sidecar)")
    p.add_argument("export", metavar="EXPORT_DIR", help="folder with patients.csv (or fhir/Patient.ndjson) and images/")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.add_argument("--no-ocr", action="store_true",
                   help="skip OCR of burned-in text for this ingest only (an archive known to carry none, e.g. a "
                        "published de-identified teaching collection); recorded in each image's provenance and the "
                        "report; the node's [images] ocr setting is unchanged")
