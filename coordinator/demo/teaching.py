"""Each demo hospital's teaching archive: its share of the MedPix 2.0 train split, as an image export.

What federated training reads is each node's store. The demo gives every simulated hospital a
non-IID share of the MedPix train split (:func:`fl_tasks.data.non_iid_shares`: a neuro centre,
a thorax/abdomen hospital, a spine & urology clinic) as a teaching-archive export that its node
ingests like any other export (``node/ingest/FORMATS.md``, "Images")::

    <out>/teaching/<site>/patients.csv          one registered patient per MedPix case (mrn = case id, sex)
    <out>/teaching/<site>/images/<image>.png    the MedPix image, as published
    <out>/teaching/<site>/images/<image>.json   sidecar: mrn, date, caption, modality, body_part, view
    <out>/teaching/node_cases.json              which cases reach each node (coordinator-side ground truth)

- **Labels**: :func:`schemas.labels.labels_from_medpix` (the mapping the coordinator's public
  import uses); the node normalizes them again and stores them with the image.
- **Which cases**: the train split only (dev is the evaluation set), never the coordinator's
  public cases (:func:`fl_tasks.data.public_cases`, a warm start's pretraining data), and never a
  case whose images a hospital already holds as planted-PHI DICOM (a case reaches one node once).
- **Ingest**: :func:`ingest_teaching_archive`, the node's image ingest with burned-in-text OCR
  off for this archive only (a published, de-identified collection without banners; OCR costs
  about 2.5 s an image here); captions are de-identified like any report.
"""

from __future__ import annotations

import csv
import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Mapping

from fl_tasks.data import NODE_CASES_FILE, load_splits, non_iid_shares, public_cases, write_node_cases
from schemas.labels import labels_from_medpix

TEACHING = "teaching"
ARCHIVE_DATE = "2019-07-01"
"""Study date of every archive image: MedPix 2.0 records carry none, the archive's export date stands in."""


@dataclass(frozen=True)
class TeachingArchive:
    """One hospital's teaching-archive export: where it is and what it holds (counts, case ids)."""

    site_id: str
    folder: Path
    cases: tuple[str, ...]
    images: int


def node_eligible_cases(medpix: Path) -> frozenset[str]:
    """MedPix cases whose images may reach a demo node: the train split minus the public cases."""
    return frozenset(load_splits(medpix)["train"]) - frozenset(public_cases(medpix))


def _records_by_case(medpix: Path) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for rec in json.loads((Path(medpix) / "Descriptions.json").read_text(encoding="utf-8")):
        out.setdefault(str(rec["U_id"]), []).append(rec)
    return out


def _sidecar(case: str, rec: dict[str, Any]) -> dict[str, str]:
    labels = labels_from_medpix(rec)
    caption = " ".join(str((rec.get("Description") or {}).get("Caption") or "").split())
    return {"mrn": case, "date": ARCHIVE_DATE, "caption": caption, "modality": labels.modality or "",
            "body_part": labels.body_region or "", "view": labels.plane or ""}


def write_teaching_archive(folder: Path, site_id: str, cases: Iterable[str], medpix: Path,
                           max_images_per_case: int | None = None) -> TeachingArchive:
    """Write one hospital's archive export (patients + PNG images with sidecars) for ``cases``.

    Parameters
    ----------
    folder : Path
        Export folder to create (``patients.csv``, ``images/``).
    site_id : str
        The hospital.
    cases : Iterable[str]
        MedPix case ids (``U_id``); each becomes a registered patient whose MRN is the case id.
    medpix : Path
        The MedPix 2.0 folder (``Descriptions.json``, ``images/``).
    max_images_per_case : int | None
        Keep at most this many images of a case (tests); ``None`` keeps all.
    """
    by_case = _records_by_case(medpix)
    images = Path(folder) / "images"
    images.mkdir(parents=True, exist_ok=True)
    kept, n_images = [], 0
    with (Path(folder) / "patients.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["mrn", "given", "family", "sex", "birth_date"])
        for case in sorted(set(cases)):
            records = by_case.get(case, [])[:max_images_per_case]
            if not records:
                continue
            sex = str((records[0].get("Description") or {}).get("Sex") or "unknown")
            writer.writerow([case, "", "", sex, ""])  # an archive knows no names or birth dates
            for rec in records:
                name = str(rec["image"])
                shutil.copyfile(Path(medpix) / "images" / f"{name}.png", images / f"{name}.png")
                (images / f"{name}.json").write_text(json.dumps(_sidecar(case, rec), ensure_ascii=False) + "\n",
                                                     encoding="utf-8")
                n_images += 1
            kept.append(case)
    return TeachingArchive(site_id, Path(folder), tuple(kept), n_images)


def write_teaching_archives(out: Path, medpix: Path, hospital_image_cases: Mapping[str, Iterable[str]],
                            seed: int = 0) -> dict[str, TeachingArchive]:
    """Deal the node-eligible train cases to the demo hospitals and write each one's archive.

    Parameters
    ----------
    out : Path
        The demo's ``teaching/`` folder.
    medpix : Path
        The MedPix 2.0 folder.
    hospital_image_cases : Mapping[str, Iterable[str]]
        Per site, the MedPix cases of its planted-PHI DICOM images (dealt to no archive).
    seed : int
        Seed of :func:`fl_tasks.data.non_iid_shares` (the skew of the demo hospitals).

    Returns
    -------
    dict[str, TeachingArchive]
        By site id; ``<out>/node_cases.json`` records every case that reaches each node.
    """
    held = {c for cases in hospital_image_cases.values() for c in cases}
    excluded = set(public_cases(medpix)) | held
    shares = non_iid_shares(medpix, "train", seed=seed, exclude_cases=excluded)
    archives = {s.site_id: write_teaching_archive(Path(out) / s.site_id, s.site_id, s.cases, medpix) for s in shares}
    write_node_cases(Path(out) / NODE_CASES_FILE,
                     {site: {"teaching_archive": a.cases, "hospital_images": tuple(hospital_image_cases.get(site, ()))}
                      for site, a in archives.items()})
    return archives


def ingest_teaching_archive(settings, store, deidentifier, site_secret: bytes, folder: Path,
                            show_progress: bool | None = None):
    """The node's image ingest of its teaching archive, burned-in-text OCR off for this ingest only.

    Returns the :class:`~node.images.pipeline.ImageIngestReport` (``ocr`` is ``False``; so is
    every stored image's ``provenance.ocr``).
    """
    from node.images.pipeline import ingest_images

    return ingest_images(settings, store, deidentifier, site_secret, Path(folder), show_progress, ocr=False)
