"""The simulated hospitals' images: DICOM made from MedPix 2.0 PNGs, with planted PHI.

For each patient of an export whose notes come from a MedPix case (``origin`` =
``medpix:<case>``), up to ``per_patient`` of that case's images become DICOM files in
``<export>/images/``:

- **header**: the patient's planted identity: Patient Name, ID (MRN), Birth Date, Sex,
  Study Date/Time (the case's note date), Institution Name, Referring Physician,
  Accession Number, and a private tag repeating the name;
- **banner** burned into the pixels (white on a black strip, top left, as a PACS
  screenshot shows it): ``FAMILY, GIVEN  MRN: ...  DOB: MM/DD/YYYY`` and
  ``MM/DD/YYYY HH:MM:SS  <institution>``;
- **report**: the MedPix caption with the patient's name, MRN, institution and date
  planted, in the sidecar ``<file>.json``;
- modality / body part / orientation from the MedPix record (so labels can be checked).

Every planted value is listed in the manifest's ``images`` (``where``: header, banner or
report). Usage::

    from coordinator.demo.images import add_images
    add_images(export_dir, manifest)          # after generate_hospital(...)
"""

from __future__ import annotations

import datetime as dt
import json
import random
from functools import lru_cache
from pathlib import Path
from typing import Any, Collection

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from coordinator.demo.manifest import ImageRecord, Manifest, PlantedImageValue
from coordinator.demo.sources import default_shared_data

MEDPIX_DESCRIPTIONS = Path("medpix2") / "Descriptions.json"
MEDPIX_IMAGES = Path("medpix2") / "images"
IMAGE_SIZE = 512
SECONDARY_CAPTURE = "1.2.840.10008.5.1.4.1.1.7"

_BODY_PART = {"Head": "HEAD", "Spine and Muscles": "SPINE", "Thorax": "CHEST", "Abdomen": "ABDOMEN",
              "Reproductive and Urinary System": "PELVIS"}
_ORIENTATION = {"Axial": [1, 0, 0, 0, 1, 0], "Transverse": [1, 0, 0, 0, 1, 0],
                "Coronal": [1, 0, 0, 0, 0, -1], "Sagittal": [0, 1, 0, 0, 0, -1]}


@lru_cache(maxsize=2)
def medpix_images_by_case(shared: Path) -> dict[str, tuple[dict, ...]]:
    """MedPix ``Descriptions.json`` records grouped by case id (file order)."""
    records = json.loads((shared / MEDPIX_DESCRIPTIONS).read_text(encoding="utf-8"))
    out: dict[str, list[dict]] = {}
    for rec in records:
        out.setdefault(rec["U_id"], []).append(rec)
    return {k: tuple(v) for k, v in out.items()}


def _us_date(day: dt.date) -> str:
    return day.strftime("%m/%d/%Y")


def _banner(img: Image.Image, lines: list[str]) -> Image.Image:
    """Burn ``lines`` into the top-left corner (white text on black strips)."""
    out = img.convert("L")
    draw = ImageDraw.Draw(out)
    font = ImageFont.load_default(size=15)
    y = 4
    for line in lines:
        left, top, right, bottom = draw.textbbox((6, y), line, font=font)
        draw.rectangle((left - 3, top - 3, right + 3, bottom + 3), fill=0)
        draw.text((6, y), line, fill=255, font=font)
        y = bottom + 7
    return out


def _dicom(pixels: np.ndarray, header: dict[str, Any], rng: random.Random):
    from pydicom.dataset import FileDataset, FileMetaDataset
    from pydicom.uid import ExplicitVRLittleEndian, generate_uid

    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = SECONDARY_CAPTURE
    meta.MediaStorageSOPInstanceUID = generate_uid(entropy_srcs=[str(rng.random())])
    meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds = FileDataset("", {}, file_meta=meta, preamble=b"\0" * 128)
    ds.SOPClassUID = SECONDARY_CAPTURE
    ds.SOPInstanceUID = meta.MediaStorageSOPInstanceUID
    ds.StudyInstanceUID = generate_uid(entropy_srcs=[str(rng.random())])
    ds.SeriesInstanceUID = generate_uid(entropy_srcs=[str(rng.random())])
    ds.ConversionType = "WSD"
    for key, value in header.items():
        setattr(ds, key, value)
    ds.add_new(0x00091010, "LO", "FEDNET DEMO")  # private creator
    ds.add_new(0x00091011, "LO", str(header.get("PatientName", "")).replace("^", " "))  # private copy of the name
    ds.set_pixel_data(pixels, "MONOCHROME2", 8, generate_instance_uid=False)
    return ds


def make_image(record: dict, patient: dict, study: dt.datetime, institution: str, referring: str,
               shared: Path, rng: random.Random) -> tuple[Any, list[PlantedImageValue], str]:
    """One DICOM dataset from a MedPix image record; its planted values; the report text."""
    png = Image.open(shared / MEDPIX_IMAGES / f"{record['image']}.png")
    png = png.convert("L").resize((IMAGE_SIZE, IMAGE_SIZE), Image.LANCZOS)
    birth = dt.date.fromisoformat(patient["birth_date"])
    given, family, mrn = patient["given"], patient["family"], patient["mrn"]
    line1 = f"{family.upper()}, {given.upper()}   MRN: {mrn}   DOB: {_us_date(birth)}"
    line2 = f"{_us_date(study.date())} {study.strftime('%H:%M:%S')}   {institution}"
    pixels = np.asarray(_banner(png, [line1, line2]))
    desc = record.get("Description") or {}
    header: dict[str, Any] = {
        "PatientName": f"{family}^{given}", "PatientID": mrn, "PatientBirthDate": birth.strftime("%Y%m%d"),
        "PatientSex": "F" if patient.get("sex") == "female" else "M",
        "StudyDate": study.strftime("%Y%m%d"), "StudyTime": study.strftime("%H%M%S"),
        "SeriesDate": study.strftime("%Y%m%d"), "ContentDate": study.strftime("%Y%m%d"),
        "InstitutionName": institution, "ReferringPhysicianName": referring.replace(" ", "^", 1) if referring else "",
        "AccessionNumber": f"A{rng.randrange(10**7, 10**8)}", "StudyID": str(rng.randrange(1000, 9999)),
        "Modality": "MR" if record.get("Type") == "MR" else "CT",
        "BodyPartExamined": _BODY_PART.get(record.get("Location Category", ""), ""),
        "StudyDescription": str(desc.get("Modality") or ""),
        "PixelSpacing": [0.5, 0.5], "SeriesNumber": 1, "InstanceNumber": 1,
    }
    if desc.get("Plane") in _ORIENTATION:
        header["ImageOrientationPatient"] = _ORIENTATION[desc["Plane"]]
    ds = _dicom(pixels, header, rng)
    planted = [
        PlantedImageValue("PATIENT", given, "header"), PlantedImageValue("PATIENT", family, "header"),
        PlantedImageValue("MRN", mrn, "header"), PlantedImageValue("DATE", header["PatientBirthDate"], "header"),
        PlantedImageValue("DATE", header["StudyDate"], "header"), PlantedImageValue("HOSPITAL", institution, "header"),
        PlantedImageValue("ID", header["AccessionNumber"], "header"),
        PlantedImageValue("PATIENT", family.upper(), "banner"), PlantedImageValue("PATIENT", given.upper(), "banner"),
        PlantedImageValue("MRN", mrn, "banner"), PlantedImageValue("DATE", _us_date(birth), "banner"),
        PlantedImageValue("DATE", _us_date(study.date()), "banner"),
        PlantedImageValue("TIME", study.strftime("%H:%M:%S"), "banner"), PlantedImageValue("HOSPITAL", institution, "banner"),
    ]
    if referring:
        planted.append(PlantedImageValue("PROVIDER", referring.split()[-1], "header"))
    caption = " ".join(str(desc.get("Caption") or "").split())
    report = (f"{caption} Images of {given} {family} (MRN {mrn}) acquired at {institution} on "
              f"{_us_date(study.date())}.")
    planted += [PlantedImageValue("PATIENT", f"{given} {family}", "report"), PlantedImageValue("MRN", mrn, "report"),
                PlantedImageValue("HOSPITAL", institution, "report"),
                PlantedImageValue("DATE", _us_date(study.date()), "report")]
    return ds, planted, report


def add_images(export_dir: Path, manifest: Manifest, per_patient: int = 2, seed: int | None = None,
               shared_data: Path | None = None, cases: Collection[str] | None = None) -> list[ImageRecord]:
    """Write ``images/`` for the MedPix patients of one export and add them to its manifest.

    Parameters
    ----------
    export_dir:
        The hospital export (holds ``manifest.json``; ``images/`` is created).
    manifest:
        Its manifest (updated in place and saved again).
    per_patient:
        Images per patient at most (the MedPix case's first ones).
    seed:
        Seed (default: the manifest's); the same seed gives the same files.
    cases:
        MedPix cases whose images may be used (default: all). The demo passes the train cases
        that are not public (``coordinator.demo.teaching.node_eligible_cases``): node images
        are training data, never evaluation or warm-start cases.

    Returns
    -------
    list of ImageRecord
        The ground truth of the images written.
    """
    shared = Path(shared_data) if shared_data else default_shared_data()
    by_case = medpix_images_by_case(shared)
    rng = random.Random(f"{manifest.seed if seed is None else seed}:{manifest.site}:images")
    folder = Path(export_dir) / "images"
    folder.mkdir(parents=True, exist_ok=True)
    note_dates: dict[str, str] = {}
    providers: dict[str, str] = {}
    for note in manifest.notes:
        note_dates.setdefault(note.mrn, note.date)
        providers.setdefault(note.mrn, next((p.value for p in note.planted if p.type == "PROVIDER"), ""))
    records: list[ImageRecord] = []
    for patient in manifest.patients:
        origin = str(patient.get("origin", ""))
        if not origin.startswith("medpix:") or patient["mrn"] not in note_dates:
            continue
        case = origin.split(":", 1)[1]
        if cases is not None and case not in cases:
            continue
        day = dt.date.fromisoformat(note_dates[patient["mrn"]])
        for rec in by_case.get(case, ())[:per_patient]:
            study = dt.datetime.combine(day, dt.time(rng.randint(7, 19), rng.randint(0, 59), rng.randint(0, 59)))
            doctor = providers.get(patient["mrn"], "")
            ds, planted, report = make_image(rec, patient, study, manifest.name, doctor,
                                             shared, rng)
            name = f"img_{len(records) + 1:04d}"
            ds.save_as(folder / f"{name}.dcm", enforce_file_format=True)
            (folder / f"{name}.json").write_text(json.dumps({"report": report}, ensure_ascii=False) + "\n",
                                                 encoding="utf-8")
            records.append(ImageRecord(f"images/{name}.dcm", patient["mrn"], day.isoformat(),
                                       f"medpix:{rec['image']}", planted))
    manifest.images = records
    manifest.save(Path(export_dir) / "manifest.json")
    return records
