"""The image ingest job: an export's ``images/`` folder -> quarantine or de-identified images.

Same guarantees as the notes' :class:`~node.ingest.pipeline.IngestJob`:

- Idempotent: an image's store key is a keyed hash of its file + sidecar
  (:func:`node.images.build.image_id`); an image already stored is skipped before any work.
- Resumable: per image, the blobs (content-addressed, written atomically) go first, then
  one insert of the complete record; an interrupted run leaves whole records only (and at
  worst an orphan blob, which the next run reuses).
- Bad input never stops the batch: corrupt or truncated files (an unknown VR included),
  objects without pixels, unknown patients, broken sidecars, links out of the export and
  FIFOs are quarantined with a reason and named by label (``images/#<n>.dcm``), never by
  file name; an unexpected error on one image quarantines that image and the batch goes on.
- Never stores the patient's date shift (only shifted dates): it would undo the shift.

Per image: patient lookup (registry of the export), labels from the original header /
sidecar / caption, pixel + header de-identification (:mod:`deid.image`), caption
de-identification with the notes' de-identifier (same pseudonym, date shift and
surrogates per patient), blobs, record.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
import time
import uuid
import warnings
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from pymongo.errors import PyMongoError

from deid.image.engine import ImageDecodeError, ImageDeidConfig, ImageDeidentifier, ImageDeidResult, preview_image
from node.images.blobs import BlobStore, open_blob_store
from node.images.build import image_id, image_record, shifted_study_datetime
from node.images.readers import ImageReadError, RawImage, open_dicom, open_picture, read_images_folder
from node.images.thumbnails import thumbnail_png
from node.ingest.build import patient_record
from node.ingest.files import IMAGE_FOLDER, ExportFiles, has_images, names_key
from node.ingest.pipeline import patient_context
from node.ingest.progress import progress
from node.ingest.quarantine import quarantine_input
from node.ingest.records import BadInput, BadKind, InputRef, RawPatient, unexpected
from node.ingest.runs import RunTracker
from node.ingest.sources import ExportLayout, read_patients
from node.masterdata.terms import SiteTerms
from node.settings import NodeSettings
from node.store import NodeStore
from schemas.labels import Labels, body_region_from, labels_from_dicom, modality_from, normalize_caption, plane_from

log = logging.getLogger("fednet.node.images")

IMAGES = "images"
_INDEXES = ([("patient_pseudonym", 1)], [("query.modality", 1), ("query.body_region", 1)], [("query.plane", 1)])


@dataclass
class ImageIngestReport:
    """What one image ingest run did. Counts only: safe to print and to log."""

    site_id: str
    run_id: str
    images_seen: int = 0
    images_stored: int = 0
    images_already_stored: int = 0
    boxes_redacted: int = 0
    redactions: Counter = field(default_factory=Counter)  # by reason
    quarantined: Counter = field(default_factory=Counter)
    caption_phi_removed: Counter = field(default_factory=Counter)
    seconds: float = 0.0
    ocr: bool = True  # whether burned-in text was OCR'd in this run (node setting or per-ingest choice)

    @property
    def quarantined_total(self) -> int:
        return sum(self.quarantined.values())

    def to_dict(self) -> dict[str, Any]:
        return {"site_id": self.site_id, "run_id": self.run_id, "images_seen": self.images_seen,
                "images_stored": self.images_stored, "images_already_stored": self.images_already_stored,
                "boxes_redacted": self.boxes_redacted, "redactions": dict(self.redactions),
                "quarantined": dict(self.quarantined), "caption_phi_removed": dict(self.caption_phi_removed),
                "ocr": self.ocr, "seconds": round(self.seconds, 3)}


def image_deid_config(settings: NodeSettings) -> ImageDeidConfig:
    """The ``[images]`` settings as the de-identifier's config."""
    s = settings.images
    return ImageDeidConfig(ocr=s.ocr, ctp_rules=s.ctp_rules, us_regions=s.us_regions,
                           max_ocr_frames=s.max_ocr_frames, ocr_min_confidence=s.ocr_min_confidence)


class ImageIngestJob:
    """Ingest the ``images/`` folder of one export into one node store.

    Parameters
    ----------
    settings:
        The node's settings (site id, ``[images]``, ``[ingest]`` column maps).
    store:
        An open :class:`~node.store.NodeStore`.
    deidentifier:
        The node's text de-identifier (captions; pseudonyms; date shifts; its analyzer reads OCR text).
    site_secret:
        The site secret (keys UIDs and record ids).
    blobs:
        Where pixels go; default GridFS on MongoDB, files under ``<data_dir>/images`` otherwise.
    site_terms:
        The site's deny-list terms (default: ``[deid.site_terms]`` plus the imported master data).
    ocr:
        OCR of burned-in text for this ingest only: ``None`` follows the node's ``[images] ocr``
        setting; ``False`` skips it for an archive known to carry no burned-in text (a published,
        already de-identified teaching collection), ``True`` forces it. The choice is recorded in
        every stored image's provenance (``ocr``) and in the run's report; the node setting is
        unchanged. Header de-identification, CTP rules, ultrasound regions and caption
        de-identification run either way.
    """

    def __init__(self, settings: NodeSettings, store: NodeStore, deidentifier: Any, site_secret: bytes,
                 blobs: BlobStore | None = None, ocr: bool | None = None, site_terms: SiteTerms | None = None):
        self.settings = settings
        self.store = store
        self.deid = deidentifier
        self.secret = bytes(site_secret)
        self.names_key = names_key(self.secret)
        self.terms = site_terms if site_terms is not None else SiteTerms.for_node(settings)
        self.site_id = settings.node.site_id
        config = image_deid_config(settings)
        self.images = ImageDeidentifier(deidentifier, self.secret, config if ocr is None else replace(config, ocr=ocr))
        self.blobs = blobs or open_blob_store(store, settings.image_blob_dir)
        for keys in _INDEXES:
            store.collection(IMAGES).create_index(keys)

    def run(self, export_dir: Path, show_progress: bool | None = None) -> ImageIngestReport:
        started = time.perf_counter()
        export_dir = Path(export_dir)
        report = ImageIngestReport(site_id=self.site_id, run_id=uuid.uuid4().hex[:12], ocr=self.images.config.ocr)
        files = ExportFiles.of(export_dir, self.secret)
        with RunTracker(self.store, self.settings, report.run_id, "images") as run:
            registry = self._register_patients(files, report)
            items = list(read_images_folder(files.root / IMAGE_FOLDER, self.settings.images.max_image_bytes, files))
            show = self.settings.ingest.show_progress if show_progress is None else show_progress
            log.info("image ingest run %s started (site %s, %d files, burned-in text OCR %s%s)", report.run_id,
                     self.site_id, len(items), "on" if report.ocr else "off",
                     "" if report.ocr == self.settings.images.ocr else " for this ingest")
            with progress(len(items), f"images {self.site_id}", enabled=show) as advance:
                for item in items:
                    report.images_seen += 1
                    if isinstance(item, BadInput):
                        self._quarantine(item, report)
                    else:
                        self._ingest_one(item, registry, report)
                    advance(1)
                    run.beat()
            report.seconds = time.perf_counter() - started
            run.done(report.to_dict())
        log.info("image ingest run %s done: %s", report.run_id, report.to_dict())
        return report

    # -- steps -------------------------------------------------------------------------------
    def _register_patients(self, files: ExportFiles, report: ImageIngestReport) -> dict[str, RawPatient]:
        found = lambda p: p if os.path.lexists(p) else None  # noqa: E731
        layout = ExportLayout(patient_csv=found(files.root / "patients.csv"),
                              patient_fhir=found(files.root / "fhir" / "Patient.ndjson"),
                              note_folder=None, note_csvs=(), note_fhir=None)
        registry: dict[str, RawPatient] = {}
        for item in read_patients(layout, self.settings.ingest, files):
            if isinstance(item, BadInput):  # usually already quarantined by the notes job: count only if new
                if quarantine_input(item, self.store, self.settings.quarantine_dir, report.run_id, self.names_key):
                    report.quarantined[item.kind.value] += 1
                continue
            pseudonym = self.deid.pseudonym(item.mrn)
            if not self.store.has_patient(pseudonym):
                try:
                    record = patient_record(item, pseudonym, self.site_id)
                except Exception as exc:  # noqa: BLE001 - this patient only
                    bad = BadInput(item.ref or InputRef("patient registration"), BadKind.INVALID_RECORD,
                                   f"the de-identified patient record does not validate ({exc.__class__.__name__}); "
                                   "the patient was not registered")
                    if quarantine_input(bad, self.store, self.settings.quarantine_dir, report.run_id, self.names_key):
                        report.quarantined[bad.kind.value] += 1
                    continue
                self.store.upsert_patient(record)
            registry[item.mrn] = item
            if item.fhir_id:
                registry[item.fhir_id] = item
        return registry

    def _ingest_one(self, item: RawImage, registry: dict[str, RawPatient], report: ImageIngestReport) -> None:
        record_id = image_id(self.secret, self.site_id, item.content_hash)
        if self.store.collection(IMAGES).count_documents({"_id": record_id}, limit=1):
            report.images_already_stored += 1
            return
        try:
            with warnings.catch_warnings():  # pydicom's warnings quote header values (names, dates) on stderr
                warnings.simplefilter("ignore")
                record, result, phi = self._build(item, record_id, registry)
        except ImageReadError as exc:
            self._quarantine(BadInput(item.ref, exc.kind, exc.problem, item.raw), report)
            return
        except ImageDecodeError as exc:
            self._quarantine(BadInput(item.ref, BadKind.CORRUPT_IMAGE, f"{exc}; re-export it (or uncompressed)",
                                      item.raw), report)
            return
        except (ValueError, TypeError, OverflowError) as exc:  # schema / de-identification: nothing stored
            self._quarantine(BadInput(item.ref, BadKind.INVALID_RECORD,
                                      f"the de-identified image record does not validate "
                                      f"({exc.__class__.__name__}); nothing was stored", item.raw), report)
            return
        except PyMongoError:
            raise  # the store failing stops the run (the next run resumes)
        except Exception as exc:  # noqa: BLE001 - one bad image never stops the batch
            self._quarantine(unexpected(item.ref, exc, item.raw), report)
            return
        try:
            self.store.collection(IMAGES).insert_one(record)
        except Exception as exc:  # noqa: BLE001 - DuplicateKeyError from a concurrent run
            if exc.__class__.__name__ != "DuplicateKeyError":
                raise
            report.images_already_stored += 1
            return
        report.images_stored += 1
        report.boxes_redacted += result.boxes_redacted
        report.redactions.update(r.reason for r in result.redactions)
        report.caption_phi_removed.update(phi)

    def _build(self, item: RawImage, record_id: str, registry: dict[str, RawPatient]) -> tuple[dict, ImageDeidResult, Counter]:
        ds = open_dicom(item) if item.kind == "dicom" else None
        picture = open_picture(item) if item.kind == "picture" else None
        ref = item.patient_ref or (str(ds.get("PatientID") or "").strip() if ds is not None else "")
        patient = registry.get(ref)
        if patient is None:
            raise ImageReadError(BadKind.UNKNOWN_PATIENT,
                                 "its patient (sidecar mrn / DICOM Patient ID) is not in this export's patient list")
        try:
            real_date = item.sidecar_date()
        except ValueError as exc:
            raise ImageReadError(BadKind.BAD_DATE, f"sidecar date: {exc}") from None
        context = patient_context(patient, self.terms.for_text(item.caption))
        labels = self._labels(item, ds)
        if ds is not None:
            result = self.images.deidentify_dicom(ds, context)
            shifted = (real_date + dt.timedelta(days=result.date_shift_days)) if real_date else shifted_study_datetime(ds)
            stored = result.dicom_bytes() if result.has_pixels else b""
            pixels_meta = {"content_type": "application/dicom", "width": int(ds.get("Columns") or 0) or None,
                           "height": int(ds.get("Rows") or 0) or None}
            frames = int(ds.get("NumberOfFrames") or 1)
        else:
            result = self.images.deidentify_picture(picture, context)
            shifted = real_date + dt.timedelta(days=result.date_shift_days) if real_date else None
            stored = result.png_bytes()
            pixels_meta = {"content_type": "image/png", "width": result.picture.width, "height": result.picture.height}
            frames = 1
        if shifted is not None and shifted.tzinfo is None:
            shifted = shifted.replace(tzinfo=dt.timezone.utc)
        caption, phi = "", Counter()
        if item.caption.strip():
            text = self.deid.deidentify(item.caption, context)
            caption, phi = text.text, text.counts_by_type
            labels = labels.merged(normalize_caption(caption))
        thumb_png, tw, th = thumbnail_png(preview_image(result), self.settings.images.thumbnail_px)
        pixels = {"blob": self.blobs.put(stored, pixels_meta["content_type"]), "size": len(stored), **pixels_meta}
        thumbnail = {"blob": self.blobs.put(thumb_png, "image/png"), "content_type": "image/png",
                     "size": len(thumb_png), "width": tw, "height": th}
        record = image_record(
            record_id=record_id, site_id=self.site_id, pseudonym=self.deid.pseudonym(patient.mrn), result=result,
            labels=labels, caption=caption, pixels=pixels, thumbnail=thumbnail,
            sha1=hashlib.sha1(stored).digest(), shifted=shifted, frames=frames,  # noqa: S324 - FHIR Attachment.hash
            extra_provenance={"source_kind": item.kind, "ocr": self.images.config.ocr,
                              "caption_phi_removed": dict(phi)},
        )
        return record, result, phi

    @staticmethod
    def _labels(item: RawImage, ds: Any) -> Labels:
        hints = Labels(modality=modality_from(item.sidecar.get("modality")),
                       body_region=body_region_from(item.sidecar.get("body_part") or item.sidecar.get("body_region")),
                       plane=plane_from(item.sidecar.get("view") or item.sidecar.get("plane")))
        return hints.merged(labels_from_dicom(ds)) if ds is not None else hints

    def _quarantine(self, bad: BadInput, report: ImageIngestReport) -> None:
        quarantine_input(bad, self.store, self.settings.quarantine_dir, report.run_id, self.names_key)
        report.quarantined[bad.kind.value] += 1
        log.info("quarantined %s: %s", bad.ref.label, bad.kind.value)


def ingest_images(settings: NodeSettings, store: NodeStore, deidentifier: Any, site_secret: bytes,
                  export_dir: Path, show_progress: bool | None = None, ocr: bool | None = None) -> ImageIngestReport | None:
    """Ingest ``export_dir/images`` if the export has one (``None`` when it has not).

    This is what ``fednode ingest`` and the demo call after the notes. ``ocr``: burned-in text
    OCR for this ingest only (``None``: the node's ``[images] ocr``; see :class:`ImageIngestJob`).
    """
    if not has_images(export_dir):
        return None
    return ImageIngestJob(settings, store, deidentifier, site_secret, ocr=ocr).run(export_dir, show_progress)
