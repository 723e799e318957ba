"""Image de-identification throughput on the demo's images: header-only vs header + OCR.

Makes one simulated hospital's DICOM images (MedPix 2.0 PNGs, 512x512, with planted
header PHI and a burned-in banner), then de-identifies every image
(a) header only (Annex E + CTP rules + ultrasound regions, no OCR) -- the baseline -- and
(b) header + OCR (Tesseract through presidio-image-redactor, the node's analyzer),
and prints images/s for both, the ratio, and how many banner boxes OCR redacted.

    .venv/bin/python bench/image_deid.py [--patients 24] [--per-patient 2]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import pydicom  # noqa: E402

from coordinator.demo.hospitals import default_network, generate_hospital  # noqa: E402
from coordinator.demo.images import add_images  # noqa: E402
from deid.config import load_deid_config  # noqa: E402
from deid.image.engine import ImageDeidConfig, ImageDeidentifier  # noqa: E402
from deid.pipeline import Deidentifier  # noqa: E402

SECRET = b"bench-site-secret-0123456789"


def run(engine: ImageDeidentifier, files: list[Path]) -> tuple[float, int]:
    boxes = 0
    started = time.perf_counter()
    for path in files:
        result = engine.deidentify_dicom(pydicom.dcmread(path))
        result.dicom_bytes()
        boxes += result.boxes_redacted
    return time.perf_counter() - started, boxes


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, default=24, help="patients of the simulated hospital")
    parser.add_argument("--per-patient", type=int, default=2, help="images per MedPix patient")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        spec = default_network(args.patients, 7)[0]
        export = Path(tmp) / spec.site_id
        manifest = generate_hospital(spec, export, 7)
        add_images(export, manifest, per_patient=args.per_patient)
        files = sorted((export / "images").glob("*.dcm"))
        print(f"{len(files)} demo DICOM images (512x512, banner + planted header), site {spec.site_id}")
        started = time.perf_counter()
        text_deid = Deidentifier(load_deid_config(None), SECRET)
        print(f"text de-identifier built in {time.perf_counter() - started:.1f} s (not counted below)")
        header_only = ImageDeidentifier(text_deid, SECRET, ImageDeidConfig(ocr=False))
        with_ocr = ImageDeidentifier(text_deid, SECRET, ImageDeidConfig(ocr=True))
        run(with_ocr, files[:1])  # warm-up: Tesseract process, analyzer caches
        t_header, b_header = run(header_only, files)
        t_ocr, b_ocr = run(with_ocr, files)
    n = len(files)
    print(f"{'mode':<16} {'images':>6} {'seconds':>8} {'images/s':>9} {'boxes':>6}")
    print(f"{'header only':<16} {n:>6} {t_header:>8.2f} {n / t_header:>9.1f} {b_header:>6}")
    print(f"{'header + OCR':<16} {n:>6} {t_ocr:>8.2f} {n / t_ocr:>9.2f} {b_ocr:>6}")
    print(f"OCR costs {t_ocr / t_header:.0f}x the header-only time ({(t_ocr - t_header) / n * 1000:.0f} ms an image)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
