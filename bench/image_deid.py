"""Image de-identification throughput on the demo's images: header-only vs header + OCR.

Makes one simulated hospital's DICOM images (MedPix 2.0 PNGs, 512x512, with planted
header PHI and a burned-in banner), then de-identifies every image
(a) header only (Annex E + CTP rules + ultrasound regions, no OCR) -- the baseline --,
(b) header + one OCR pass (one rendering, ``original/3``, no verification), and
(c) header + OCR as configured by default (several renderings, union of their boxes,
    whole text lines, then a verification re-OCR of the redacted result),
and prints images/s for each, the ratios to (a), and how many boxes OCR redacted.
With ``--audit`` it also OCRs every stored result the way the demo's planted-image-PHI
check does (coordinator/demo/image_check.py: two page segmentations) and counts the
planted banner values still readable per mode (must be 0 for the default).

    .venv/bin/python bench/image_deid.py [--patients 24] [--per-patient 2] [--seed 7] [--audit]
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import pydicom  # noqa: E402

from coordinator.demo.hospitals import default_network, generate_hospital  # noqa: E402
from coordinator.demo.image_check import pixels_text  # noqa: E402
from coordinator.demo.images import add_images  # noqa: E402
from deid.config import load_deid_config  # noqa: E402
from deid.image.engine import ImageDeidConfig, ImageDeidentifier  # noqa: E402
from deid.pipeline import Deidentifier  # noqa: E402

SECRET = b"bench-site-secret-0123456789"


def run(engine: ImageDeidentifier, files: list[Path]) -> tuple[float, int, list[bytes]]:
    boxes, out = 0, []
    started = time.perf_counter()
    for path in files:
        result = engine.deidentify_dicom(pydicom.dcmread(path))
        out.append(result.dicom_bytes())
        boxes += result.boxes_redacted
    return time.perf_counter() - started, boxes, out


def readable(outputs: list[bytes], banners: list[list[str]]) -> int:
    """Planted banner values the audit OCR still reads in the de-identified pixels."""
    left = 0
    for data, values in zip(outputs, banners):
        text = pixels_text(data, "application/dicom")
        left += sum(bool(re.search(r"(?<![A-Za-z0-9])" + re.escape(v) + r"(?![A-Za-z0-9])", text, re.I))
                    for v in values)
    return left


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, default=24, help="patients of the simulated hospital")
    parser.add_argument("--per-patient", type=int, default=2, help="images per MedPix patient")
    parser.add_argument("--seed", type=int, default=7, help="seed of the simulated hospital")
    parser.add_argument("--audit", action="store_true", help="also count banner values still readable")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        spec = default_network(args.patients, args.seed)[0]
        export = Path(tmp) / spec.site_id
        manifest = generate_hospital(spec, export, args.seed)
        add_images(export, manifest, per_patient=args.per_patient)
        files = sorted((export / "images").glob("*.dcm"))
        by_source = {Path(im.source).name: [p.value for p in im.planted if p.where == "banner"]
                     for im in manifest.images}
        banners = [by_source[f.name] for f in files]
        print(f"{len(files)} demo DICOM images (512x512, banner + planted header), site {spec.site_id}, "
              f"seed {args.seed}, {os.cpu_count()} CPUs")
        started = time.perf_counter()
        text_deid = Deidentifier(load_deid_config(None), SECRET)
        print(f"text de-identifier built in {time.perf_counter() - started:.1f} s (not counted below)")
        default = ImageDeidConfig()
        modes = {
            "header only": ImageDeidConfig(ocr=False),
            "+ OCR 1 pass": ImageDeidConfig(ocr_renderings=("original/3",), ocr_verify_rounds=0),
            "+ OCR default": default,
        }
        engines = {name: ImageDeidentifier(text_deid, SECRET, cfg) for name, cfg in modes.items()}
        run(engines["+ OCR default"], files[:1])  # warm-up: Tesseract, analyzer caches
        results = {name: run(engine, files) for name, engine in engines.items()}
    n = len(files)
    base = results["header only"][0]
    print(f"default OCR: renderings {', '.join(default.ocr_renderings)}; verification "
          f"{', '.join(default.ocr_verify_renderings)} up to {default.ocr_verify_rounds} round(s)")
    audit = f" {'readable':>8}" if args.audit else ""
    print(f"{'mode':<16} {'images':>6} {'seconds':>8} {'images/s':>9} {'x header':>9} {'boxes':>6}{audit}")
    for name, (seconds, boxes, outputs) in results.items():
        left = f" {readable(outputs, banners) if name != 'header only' else '-':>8}" if args.audit else ""
        print(f"{name:<16} {n:>6} {seconds:>8.2f} {n / seconds:>9.2f} {seconds / base:>9.1f} {boxes:>6}{left}")
    one, full = results["+ OCR 1 pass"][0], results["+ OCR default"][0]
    print(f"default OCR costs {full / one:.2f}x one OCR pass ({(full - one) / n * 1000:.0f} ms more an image); "
          f"{(full - base) / n * 1000:.0f} ms an image over header only")
    if args.audit:
        print(f"readable = planted banner values ({sum(map(len, banners))} in all) the demo check's OCR still reads")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
