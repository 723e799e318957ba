"""Records of public case-report data (MedPix 2.0, PMC-Patients, MultiCaRe, ROCO) in the coordinator.

The coordinator keeps published, already de-identified case reports in the **same** shape as a
node's store, so the same queries and training code run on both:

- ``public_patients``: a :class:`schemas.records.PatientRecord` per case (one case = one patient);
- ``public_documents``: :class:`PublicDocumentRecord` = a node's ``documents`` record
  (``resource`` = FHIR DocumentReference, ``query`` = :class:`schemas.query_fields.QueryFields`)
  **plus** ``provenance``: where it came from and under which license;
- ``public_images``: :class:`PublicImageRecord` = a FHIR Media, the de-identified caption, the
  normalized labels (:mod:`schemas.labels`), flat query fields in the shape of
  :class:`schemas.imaging.ImageQueryFields`, and ``provenance``.

Provenance and license travel with every record (added in schema 1.2.0) so that a subset can be
filtered by license (no non-commercial rows for commercial use) and cited (PMCID, DOI).
"""

from __future__ import annotations

import base64
from datetime import datetime, timezone
from typing import Any, Literal

from fhir.resources.R4B.annotation import Annotation
from fhir.resources.R4B.attachment import Attachment
from fhir.resources.R4B.codeableconcept import CodeableConcept
from fhir.resources.R4B.coding import Coding
from fhir.resources.R4B.identifier import Identifier
from fhir.resources.R4B.media import Media
from fhir.resources.R4B.reference import Reference
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from schemas.records import DocumentRecord
from schemas.resources import _FHIR_ID as _FHIR_ID_RE
from schemas.resources import SchemaError, _check, _describe, _meta, dump_resource, parse_resource
from schemas.version import SCHEMA_VERSION

__all__ = [
    "PUBLIC_SOURCES",
    "PublicSource",
    "SourceRef",
    "Provenance",
    "PublicImageQueryFields",
    "PublicDocumentRecord",
    "PublicImageRecord",
    "build_public_media",
    "make_public_document_record",
    "make_public_image_record",
]

PublicSource = Literal["medpix", "pmc-patients", "multicare", "roco"]
PUBLIC_SOURCES: tuple[str, ...] = ("medpix", "pmc-patients", "multicare", "roco")

DICOM_SYSTEM = "http://dicom.nema.org/resources/ontology/DCM"
BODY_REGION_SYSTEM = "urn:fednet:body-region"
PLANE_SYSTEM = "urn:fednet:plane"
PUBLIC_FILE_PREFIX = "urn:fednet:public-file:"
"""Attachment URL prefix of a public image: the file's path relative to the public-data folder."""
PMCID_SYSTEM = "https://www.ncbi.nlm.nih.gov/pmc/"

_FHIR_ID = r"^[A-Za-z0-9\-.]{1,64}$"
_PMCID = r"^PMC\d{1,10}$"
_SEMVER = r"^\d+\.\d+\.\d+$"
_SITE_ID = r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}$"
_RECORD_ID = r"^[A-Za-z0-9:+/=_.\-]{8,128}$"


class SourceRef(BaseModel):
    """Another source that holds the same case (kept when duplicates are merged)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    source: PublicSource
    source_id: str = Field(min_length=1, max_length=128)
    license: str = Field(description="Normalized license code of that source's row, e.g. 'CC BY-NC-SA 4.0'.")


class Provenance(BaseModel):
    """Where a public record comes from, how to cite it and what its license allows."""

    model_config = ConfigDict(extra="forbid")

    source: PublicSource = Field(description="Source whose content is stored.")
    source_id: str = Field(min_length=1, max_length=128, description="Id in that source (U_id, patient_uid, case_id).")
    dataset: str = Field(description="Dataset name and version, e.g. 'MedPix 2.0'.")
    dataset_doi: str | None = Field(default=None, description="DOI of the dataset's paper or record.")
    pmcid: str | None = Field(default=None, pattern=_PMCID)
    pmid: str | None = Field(default=None, pattern=r"^\d{1,10}$")
    doi: str | None = None
    title: str | None = None
    journal: str | None = None
    year: int | None = Field(default=None, ge=1800, le=2100, description="Publication year when the source says.")
    authors: list[str] = Field(default_factory=list)
    keywords: list[str] = Field(default_factory=list)
    mesh_terms: list[str] = Field(default_factory=list)
    link: str | None = None
    license: str = Field(description="Normalized license code of the stored content (coordinator.public_data.licenses).")
    commercial_use: bool = Field(description="Every merged source's license allows commercial use.")
    derivatives: bool = Field(description="Every merged source's license allows derivative works.")
    share_alike: bool = Field(description="Some merged source's license requires share-alike.")
    also_in: list[SourceRef] = Field(default_factory=list, description="Duplicates merged into this record.")


class PublicImageQueryFields(BaseModel):
    """Flat fields of a public image (same names as the nodes' ``ImageQueryFields``)."""

    model_config = ConfigDict(extra="forbid")

    schema_version: str = Field(default=SCHEMA_VERSION, pattern=_SEMVER)
    site_id: str = Field(pattern=_SITE_ID)
    patient_pseudonym: str = Field(pattern=_FHIR_ID)
    modality: str | None = None
    body_region: str | None = None
    plane: str | None = None
    findings: list[str] = Field(default_factory=list)
    source_kind: Literal["picture"] = "picture"


class PublicDocumentRecord(DocumentRecord):
    """A ``public_documents`` record: a node's ``documents`` record plus provenance and license."""

    provenance: Provenance

    @model_validator(mode="after")
    def _site_is_source(self) -> "PublicDocumentRecord":
        if self.site_id != f"public-{self.provenance.source}":
            raise ValueError(f"site_id {self.site_id!r} must be 'public-{self.provenance.source}'")
        return self


class PublicImageRecord(BaseModel):
    """A ``public_images`` record: one published image, its caption, labels and provenance."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    id: str = Field(alias="_id", pattern=_RECORD_ID, description="'img:<source image id>'.")
    schema_version: str = Field(default=SCHEMA_VERSION, pattern=_SEMVER)
    site_id: str = Field(pattern=_SITE_ID)
    document_id: str | None = Field(pattern=_RECORD_ID, description="_id of the case's public_documents record.")
    patient_pseudonym: str = Field(pattern=_FHIR_ID)
    media: dict[str, Any] = Field(description="FHIR R4 Media JSON (content.url = the public file).")
    caption: str = Field(default="", description="De-identified caption (public mode).")
    labels: dict[str, Any] = Field(description="Normalized labels (schemas.labels.Labels.to_dict()).")
    source_labels: list[str] = Field(default_factory=list, description="The source's own labels, verbatim.")
    file: str | None = Field(description="Path relative to the public-data folder; None when the source has no pixels.")
    sha256: str | None = Field(default=None, pattern=r"^[0-9a-f]{64}$", description="Of the file's bytes.")
    text_references: list[str] = Field(default_factory=list, description="Case-text sentences citing the image.")
    query: PublicImageQueryFields
    provenance: Provenance
    ingested_at: datetime

    @field_validator("media")
    @classmethod
    def _valid_media(cls, value: dict[str, Any]) -> dict[str, Any]:
        parse_resource(value, "Media")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> "PublicImageRecord":
        if self.media.get("subject", {}).get("reference") != f"Patient/{self.patient_pseudonym}":
            raise ValueError("media.subject is not Patient/<patient_pseudonym>")
        if self.query.site_id != self.site_id or self.query.patient_pseudonym != self.patient_pseudonym:
            raise ValueError("query.site_id/patient_pseudonym differ from the record's")
        if self.site_id != f"public-{self.provenance.source}":
            raise ValueError(f"site_id {self.site_id!r} must be 'public-{self.provenance.source}'")
        return self

    def to_mongo(self) -> dict[str, Any]:
        data = self.model_dump(mode="json", by_alias=True)
        data["ingested_at"] = self.ingested_at
        return data


def build_public_media(
    media_id: str,
    patient_pseudonym: str,
    site_id: str,
    *,
    file: str | None,
    content_type: str | None,
    file_bytes: bytes | None,
    modality: str | None,
    body_region: str | None,
    plane: str | None,
    caption: str | None,
    pmcid: str | None = None,
) -> dict[str, Any]:
    """A FHIR R4 Media for one public image.

    ``content.url`` is ``urn:fednet:public-file:<path relative to the public-data folder>``
    (with size and SHA-1 when the bytes are at hand); ``note`` holds the de-identified caption.
    """
    _check(_FHIR_ID_RE, media_id, "media_id")
    _check(_FHIR_ID_RE, patient_pseudonym, "patient_pseudonym")
    attachment: dict[str, Any] = {"contentType": content_type or "application/octet-stream"}
    if file:
        attachment["url"] = PUBLIC_FILE_PREFIX + file
    if file_bytes is not None:
        import hashlib

        attachment["size"] = len(file_bytes)
        attachment["hash"] = base64.b64encode(hashlib.sha1(file_bytes).digest())  # noqa: S324 - FHIR mandates SHA-1
    try:
        media = Media(
            id=media_id, meta=_meta(site_id), status="completed",
            identifier=[Identifier(system=PMCID_SYSTEM, value=pmcid)] if pmcid else None,
            type=CodeableConcept(coding=[Coding(system="http://terminology.hl7.org/CodeSystem/media-type",
                                                code="image", display="Image")]),
            modality=CodeableConcept(coding=[Coding(system=DICOM_SYSTEM, code=modality)]) if modality else None,
            view=CodeableConcept(coding=[Coding(system=PLANE_SYSTEM, code=plane)]) if plane else None,
            bodySite=CodeableConcept(coding=[Coding(system=BODY_REGION_SYSTEM, code=body_region)]) if body_region else None,
            subject=Reference(reference=f"Patient/{patient_pseudonym}"),
            content=Attachment(**attachment),
            note=[Annotation(text=caption)] if caption else None,
        )
    except ValidationError as exc:
        raise SchemaError(f"invalid Media/{media_id}: {_describe(exc)}") from exc
    return dump_resource(media)


def make_public_document_record(document: dict[str, Any], provenance: Provenance | dict[str, Any]) -> dict[str, Any]:
    """Add provenance to a ``documents`` record (from :func:`schemas.records.make_document_record`).

    Raises
    ------
    SchemaError
        If the record or the provenance is invalid.
    """
    try:
        record = PublicDocumentRecord(**document, provenance=provenance)
    except ValidationError as exc:
        raise SchemaError(f"invalid public_documents record {document.get('_id')!r}: {exc}") from exc
    return record.to_mongo()


def make_public_image_record(**fields: Any) -> dict[str, Any]:
    """Validate and return a ``public_images`` record (fields of :class:`PublicImageRecord`).

    Raises
    ------
    SchemaError
        If the record, its Media or its provenance is invalid.
    """
    fields.setdefault("ingested_at", datetime.now(timezone.utc))
    try:
        record = PublicImageRecord(**fields)
    except ValidationError as exc:
        raise SchemaError(f"invalid public_images record {fields.get('_id')!r}: {exc}") from exc
    return record.to_mongo()
