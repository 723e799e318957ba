"""FHIR R4 ImagingStudy / Media builders and the ``images`` record of a node store.

Same conventions as :mod:`schemas.resources` (R4B models, validated, JSON ``dict`` out,
``meta`` with site, schema version and ``PSEUDED``). What they hold is de-identified:

- ImagingStudy: the remapped study/series/instance UIDs, the DICOM modality code, the
  body region, the **shifted** study date-time, the SOP class, frame count.
- Media: the stored (de-identified) pixels as an Attachment that points to the node's
  blob store (``urn:fednet:blob:sha256:<hex>``, with size and SHA-1 as FHIR asks), the
  modality, the plane/view, the body region, width/height/frames, the shifted date and
  the **de-identified** caption or report as ``note``; ``partOf`` the ImagingStudy.

The record (:class:`ImageRecord`) adds the normalized labels (:mod:`schemas.labels`),
pixel and thumbnail blob references and the de-identification provenance (boxes,
reasons, entity types; never text).
"""

from __future__ import annotations

import base64
from datetime import date, datetime, timezone
from typing import Any

from fhir.resources.R4B.annotation import Annotation
from fhir.resources.R4B.attachment import Attachment
from fhir.resources.R4B.codeableconcept import CodeableConcept
from fhir.resources.R4B.coding import Coding
from fhir.resources.R4B.identifier import Identifier
from fhir.resources.R4B.imagingstudy import ImagingStudy, ImagingStudySeries, ImagingStudySeriesInstance
from fhir.resources.R4B.media import Media
from fhir.resources.R4B.reference import Reference
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from schemas.resources import SchemaError, _as_instant, _check, _describe, _meta, dump_resource, parse_resource
from schemas.resources import _CONTENT_HASH, _FHIR_ID
from schemas.version import SCHEMA_VERSION

__all__ = [
    "DICOM_SYSTEM",
    "BODY_REGION_SYSTEM",
    "PLANE_SYSTEM",
    "BLOB_URL_PREFIX",
    "blob_url",
    "build_imaging_study",
    "build_media",
    "ImageRecord",
    "ImageQueryFields",
    "make_image_record",
]

DICOM_SYSTEM = "http://dicom.nema.org/resources/ontology/DCM"
"""Code system of DICOM modality codes (CT, MR, US...)."""
SOP_CLASS_SYSTEM = "urn:ietf:rfc:3986"
"""System of SOP class UIDs (as ``urn:oid:``)."""
BODY_REGION_SYSTEM = "urn:fednet:body-region"
"""Code system of the normalized body regions of :mod:`schemas.labels`."""
PLANE_SYSTEM = "urn:fednet:plane"
"""Code system of the normalized planes/views of :mod:`schemas.labels`."""
MEDIA_TYPE_SYSTEM = "http://terminology.hl7.org/CodeSystem/media-type"
BLOB_URL_PREFIX = "urn:fednet:blob:"
"""Attachment URL prefix of pixels kept in the node's blob store (GridFS or files)."""

_SHA256 = r"^sha256:[0-9a-f]{64}$"


def blob_url(blob_id: str) -> str:
    """``urn:fednet:blob:sha256:<hex>`` for a blob id ``sha256:<hex>``."""
    return BLOB_URL_PREFIX + blob_id


def _uid_identifier(uid: str) -> Identifier:
    return Identifier(system="urn:dicom:uid", value=f"urn:oid:{uid}")


def _modality_coding(modality: str | None) -> Coding | None:
    return Coding(system=DICOM_SYSTEM, code=modality) if modality else None


def build_imaging_study(
    study_id: str,
    patient_pseudonym: str,
    site_id: str,
    *,
    study_uid: str,
    series_uid: str,
    instance_uid: str,
    sop_class_uid: str | None,
    modality: str | None,
    body_region: str | None,
    shifted_start: datetime | date | None,
    frames: int = 1,
) -> dict[str, Any]:
    """A de-identified FHIR R4 ImagingStudy with one series and one instance.

    Parameters
    ----------
    study_id:
        Resource id (a valid FHIR id).
    patient_pseudonym:
        ``subject = Patient/<pseudonym>``.
    study_uid, series_uid, instance_uid:
        The **remapped** DICOM UIDs (for a picture: UIDs derived from its content hash).
    sop_class_uid:
        SOP class of the instance (e.g. Secondary Capture), if known.
    modality, body_region:
        Normalized labels (``None`` when unknown: the series gets modality ``OT``).
    shifted_start:
        Study date-time after the patient's date shift.
    frames:
        Number of frames of the instance.

    Raises
    ------
    SchemaError
        If an argument is invalid.
    """
    _check(_FHIR_ID, study_id, "study_id")
    _check(_FHIR_ID, patient_pseudonym, "patient_pseudonym")
    try:
        instance = ImagingStudySeriesInstance(
            uid=instance_uid, number=1,
            sopClass=Coding(system=SOP_CLASS_SYSTEM, code=f"urn:oid:{sop_class_uid or '1.2.840.10008.5.1.4.1.1.7'}"),
        )
        series = ImagingStudySeries(
            uid=series_uid, number=1, modality=_modality_coding(modality or "OT"),
            bodySite=Coding(system=BODY_REGION_SYSTEM, code=body_region) if body_region else None,
            numberOfInstances=1, instance=[instance],
        )
        study = ImagingStudy(
            id=study_id, meta=_meta(site_id), identifier=[_uid_identifier(study_uid)], status="available",
            modality=[_modality_coding(modality or "OT")], subject=Reference(reference=f"Patient/{patient_pseudonym}"),
            started=_as_instant(shifted_start) if shifted_start else None,
            numberOfSeries=1, numberOfInstances=1, series=[series],
            description=None,
        )
    except ValidationError as exc:
        raise SchemaError(f"invalid ImagingStudy/{study_id}: {_describe(exc)}") from exc
    out = dump_resource(study)
    if frames > 1:
        out.setdefault("extension", []).append({"url": "urn:fednet:fhir:StructureDefinition/frames", "valueInteger": frames})
    return out


def build_media(
    media_id: str,
    patient_pseudonym: str,
    site_id: str,
    *,
    study_id: str,
    blob_id: str,
    content_type: str,
    size: int,
    sha1: bytes,
    width: int | None,
    height: int | None,
    frames: int,
    modality: str | None,
    body_region: str | None,
    plane: str | None,
    shifted_date: datetime | date | None,
    caption: str | None,
) -> dict[str, Any]:
    """A de-identified FHIR R4 Media for one stored image.

    The pixels are not inline: ``content.url`` names the blob (``urn:fednet:blob:sha256:..``)
    with its ``size`` and ``hash`` (base64 SHA-1 of the stored bytes, as FHIR defines it).
    ``note`` holds the de-identified caption or report.

    Raises
    ------
    SchemaError
        If an argument is invalid.
    """
    _check(_FHIR_ID, media_id, "media_id")
    _check(_FHIR_ID, study_id, "study_id")
    try:
        media = Media(
            id=media_id, meta=_meta(site_id), status="completed",
            type=CodeableConcept(coding=[Coding(system=MEDIA_TYPE_SYSTEM, code="image", display="Image")]),
            modality=CodeableConcept(coding=[_modality_coding(modality)]) if modality else None,
            view=CodeableConcept(coding=[Coding(system=PLANE_SYSTEM, code=plane)]) if plane else None,
            bodySite=CodeableConcept(coding=[Coding(system=BODY_REGION_SYSTEM, code=body_region)]) if body_region else None,
            subject=Reference(reference=f"Patient/{patient_pseudonym}"),
            partOf=[Reference(reference=f"ImagingStudy/{study_id}")],
            createdDateTime=_as_instant(shifted_date) if shifted_date else None,
            width=width or None, height=height or None, frames=frames or None,
            content=Attachment(contentType=content_type, url=blob_url(blob_id), size=size,
                               hash=base64.b64encode(sha1)),
            note=[Annotation(text=caption)] if caption else None,
        )
    except ValidationError as exc:
        raise SchemaError(f"invalid Media/{media_id}: {_describe(exc)}") from exc
    return dump_resource(media)


class ImageQueryFields(BaseModel):
    """Flat fields of an image for aggregate queries."""

    model_config = ConfigDict(extra="forbid")

    schema_version: str = SCHEMA_VERSION
    site_id: str
    patient_pseudonym: str = Field(pattern=_FHIR_ID)
    modality: str | None = None
    body_region: str | None = None
    plane: str | None = None
    findings: list[str] = Field(default_factory=list)
    study_date_shifted: str | None = Field(default=None, pattern=r"^\d{4}-\d{2}-\d{2}$")
    source_kind: str = Field(pattern=r"^(dicom|picture)$")


class BlobRef(BaseModel):
    """A blob in the node's blob store."""

    model_config = ConfigDict(extra="forbid")

    blob: str = Field(pattern=_SHA256)
    content_type: str
    size: int = Field(ge=0)
    width: int | None = None
    height: int | None = None


#: Provenance keys an images record may never hold (schema 1.3.0): see ``ImageRecord.provenance``.
UNSTORED_PROVENANCE_KEYS = frozenset({"date_shift_days"})


class ImageRecord(BaseModel):
    """An ``images`` record: the de-identified image's resources, labels, blobs, provenance."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    id: str = Field(alias="_id", pattern=_CONTENT_HASH, description="Keyed hash of the raw input + site.")
    schema_version: str = SCHEMA_VERSION
    site_id: str
    patient_pseudonym: str = Field(pattern=_FHIR_ID)
    study: dict[str, Any]
    media: dict[str, Any]
    caption: str = Field(default="", description="De-identified caption or report (also Media.note).")
    labels: dict[str, Any]
    pixels: BlobRef
    thumbnail: BlobRef
    provenance: dict[str, Any] = Field(description="Redactions (box, reason, entity type), header actions; never text, "
                                                   "never the date shift (schema 1.3.0).")
    query: ImageQueryFields
    ingested_at: datetime

    @field_validator("provenance")
    @classmethod
    def _no_date_shift(cls, value: dict[str, Any]) -> dict[str, Any]:
        """The patient's date shift would undo the shift of every stored date of that patient."""
        stack: list[Any] = [value]
        while stack:
            item = stack.pop()
            if isinstance(item, dict):
                if any(k in UNSTORED_PROVENANCE_KEYS for k in item):
                    raise ValueError("provenance holds the date shift (date_shift_days): never store it")
                stack.extend(item.values())
            elif isinstance(item, list):
                stack.extend(item)
        return value

    @field_validator("study")
    @classmethod
    def _valid_study(cls, value: dict[str, Any]) -> dict[str, Any]:
        parse_resource(value, "ImagingStudy")
        return value

    @field_validator("media")
    @classmethod
    def _valid_media(cls, value: dict[str, Any]) -> dict[str, Any]:
        parse_resource(value, "Media")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> "ImageRecord":
        subject = f"Patient/{self.patient_pseudonym}"
        if self.study.get("subject", {}).get("reference") != subject or self.media.get("subject", {}).get("reference") != subject:
            raise ValueError("study/media subject is not Patient/<patient_pseudonym>")
        if self.media.get("content", {}).get("url") != blob_url(self.pixels.blob):
            raise ValueError("media.content.url does not name the pixels blob")
        if self.query.site_id != self.site_id or self.query.patient_pseudonym != self.patient_pseudonym:
            raise ValueError("query.site_id/patient_pseudonym differ from the record's")
        return self

    def to_mongo(self) -> dict[str, Any]:
        data = self.model_dump(mode="json", by_alias=True)
        data["ingested_at"] = self.ingested_at
        return data


def make_image_record(**fields: Any) -> dict[str, Any]:
    """Validate and return an ``images`` record (fields of :class:`ImageRecord`).

    Raises
    ------
    SchemaError
        If the record or its resources are invalid.
    """
    fields.setdefault("ingested_at", datetime.now(timezone.utc))
    try:
        record = ImageRecord(**fields)
    except ValidationError as exc:
        raise SchemaError(f"invalid images record {fields.get('_id')!r}: {exc}") from exc
    return record.to_mongo()
