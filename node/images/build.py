"""Turn a de-identified image into the validated ``images`` record (``schemas/imaging.py``).

Everything that reaches the record is de-identified: remapped UIDs, shifted dates,
pseudonym, de-identified caption, vocabulary labels, blob ids, and the provenance of
the redactions (boxes, reasons, entity types). Never the patient's date shift: with it,
anyone who can read the store could undo the shift of every date of that patient
(:func:`stored_provenance` drops it; ``schemas/imaging.py`` refuses a record holding it).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from typing import Any

from deid.image.engine import ImageDeidResult
from deid.image.header import remap_uid
from schemas.imaging import UNSTORED_PROVENANCE_KEYS, build_imaging_study, build_media, make_image_record
from schemas.labels import Labels


def stored_provenance(provenance: Any) -> Any:
    """``provenance`` without :data:`UNSTORED_PROVENANCE_KEYS`, at any depth (a copy)."""
    if isinstance(provenance, dict):
        return {k: stored_provenance(v) for k, v in provenance.items() if k not in UNSTORED_PROVENANCE_KEYS}
    if isinstance(provenance, list):
        return [stored_provenance(v) for v in provenance]
    return provenance


def image_id(secret: bytes, site_id: str, content_hash: str) -> str:
    """Store key of an image: keyed (HMAC) so the key does not confirm a raw file's presence."""
    return hmac.new(secret, f"image\x1f{site_id}\x1f{content_hash}".encode(), hashlib.sha256).hexdigest()


def shifted_study_datetime(ds: Any) -> dt.datetime | None:
    """Study date-time of a **de-identified** dataset (its dates are already shifted)."""
    for date_kw, time_kw in (("StudyDate", "StudyTime"), ("ContentDate", "ContentTime"),
                             ("AcquisitionDate", "AcquisitionTime"), ("SeriesDate", "SeriesTime")):
        value = str(ds.get(date_kw) or "")
        if len(value) == 8 and value.isdigit():
            day = dt.datetime.strptime(value, "%Y%m%d")
            tm = str(ds.get(time_kw) or "")[:6]
            if len(tm) >= 4 and tm[:4].isdigit():
                try:
                    day = day.replace(hour=int(tm[:2]), minute=int(tm[2:4]), second=int(tm[4:6] or 0) if tm[4:6].isdigit() else 0)
                except ValueError:
                    pass
            return day.replace(tzinfo=dt.timezone.utc)
    return None


def image_record(*, record_id: str, site_id: str, pseudonym: str, result: ImageDeidResult, labels: Labels,
                 caption: str, pixels: dict[str, Any], thumbnail: dict[str, Any], sha1: bytes,
                 shifted: dt.datetime | None, frames: int, extra_provenance: dict[str, Any]) -> dict:
    """A complete, validated ``images`` record (raises ``SchemaError`` when invalid)."""
    ds = result.dataset
    short = record_id[:40]
    if ds is not None:
        study_uid = str(ds.get("StudyInstanceUID") or remap_uid(record_id + "/study", b"fednet"))
        series_uid = str(ds.get("SeriesInstanceUID") or remap_uid(record_id + "/series", b"fednet"))
        instance_uid = str(ds.get("SOPInstanceUID") or remap_uid(record_id + "/instance", b"fednet"))
        sop_class = str(ds.get("SOPClassUID") or "") or None
        source_kind = "dicom"
    else:
        study_uid, series_uid, instance_uid = (remap_uid(f"{record_id}/{p}", b"fednet") for p in ("study", "series", "instance"))
        sop_class, source_kind = None, "picture"
    study_id, media_id = f"st-{short}", f"md-{short}"
    study = build_imaging_study(study_id, pseudonym, site_id, study_uid=study_uid, series_uid=series_uid,
                                instance_uid=instance_uid, sop_class_uid=sop_class, modality=labels.modality,
                                body_region=labels.body_region, shifted_start=shifted, frames=frames)
    media = build_media(media_id, pseudonym, site_id, study_id=study_id, blob_id=pixels["blob"],
                        content_type=pixels["content_type"], size=pixels["size"], sha1=sha1,
                        width=pixels.get("width"), height=pixels.get("height"), frames=frames,
                        modality=labels.modality, body_region=labels.body_region, plane=labels.plane,
                        shifted_date=shifted, caption=caption or None)
    return make_image_record(
        _id=record_id, site_id=site_id, patient_pseudonym=pseudonym, study=study, media=media, caption=caption,
        labels=labels.to_dict(), pixels=pixels, thumbnail=thumbnail,
        provenance=stored_provenance({**result.provenance(), **extra_provenance}),
        query={"site_id": site_id, "patient_pseudonym": pseudonym, "modality": labels.modality,
               "body_region": labels.body_region, "plane": labels.plane, "findings": sorted(labels.findings),
               "study_date_shifted": shifted.date().isoformat() if shifted else None, "source_kind": source_kind},
    )
