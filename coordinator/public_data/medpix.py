"""MedPix 2.0 importer: ``Case_topic.json`` + ``Descriptions.json`` + ``images/<image>.png``.

One case (``U_id``) = one patient. Its text is the case's History, Exam, Findings, Differential
Diagnosis and Case Diagnosis (the Topic discussion is about the disease, not the patient, and is
left out). Age and sex come from the case's image records; labels from their structured
``Type`` / ``Location Category`` / ``Plane`` fields plus the caption (:func:`schemas.labels.labels_from_medpix`).
"""

from __future__ import annotations

import json
from pathlib import Path

from coordinator.public_data.cases import sex_of, PublicCase, PublicImage, Rejected, SourceBatch
from coordinator.public_data.licenses import MEDPIX_LICENSE
from schemas.labels import labels_from_medpix

__all__ = ["read_medpix", "DATASET", "DATASET_DOI", "CASE_SECTIONS"]

DATASET = "MedPix 2.0"
DATASET_DOI = "10.1007/s41019-025-00297-8"
CASE_SECTIONS = ("History", "Exam", "Findings", "Differential Diagnosis", "Case Diagnosis")
_EMPTY = {"", "n/a", "na", "none", "null"}


def _load(path: Path) -> list[dict]:
    if not path.is_file():
        raise FileNotFoundError(f"{path}: missing; expected the MedPix 2.0 layout (Case_topic.json, "
                                "Descriptions.json, images/)")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ValueError(f"{path}: not valid JSON ({exc.msg} at line {exc.lineno})") from None
    if not isinstance(data, list):
        raise ValueError(f"{path}: expected a JSON list of records")
    return data


def case_text(case: dict) -> str:
    """The patient-level text of a MedPix case: its non-empty sections, one per paragraph."""
    sections = case.get("Case") or {}
    parts = []
    for name in CASE_SECTIONS:
        value = " ".join(str(sections.get(name) or "").split(" ")).strip()
        if value.lower() not in _EMPTY:
            parts.append(f"{name}: {value}")
    return "\n\n".join(parts)


def _age(value: object) -> float | None:
    try:
        age = float(str(value).strip())
    except ValueError:
        return None
    return age if 0 <= age <= 125 else None


def read_medpix(root: Path, *, data_dir: Path | None = None, limit: int | None = None) -> SourceBatch:
    """Read a MedPix 2.0 folder.

    Parameters
    ----------
    root:
        Folder with ``Case_topic.json``, ``Descriptions.json`` and ``images/``.
    data_dir:
        Public-data folder the image paths are made relative to (default: ``root``'s parent).
    limit:
        Read only the first ``limit`` cases.

    Returns
    -------
    SourceBatch
        Cases with their images; cases without any text are rejected.
    """
    root = Path(root)
    data_dir = Path(data_dir) if data_dir else root.parent
    cases = _load(root / "Case_topic.json")
    descriptions = _load(root / "Descriptions.json")
    by_case: dict[str, list[dict]] = {}
    for rec in descriptions:
        by_case.setdefault(str(rec.get("U_id")), []).append(rec)
    batch = SourceBatch("medpix")
    for i, case in enumerate(cases[:limit] if limit else cases):
        batch.rows_read += 1
        uid = str(case.get("U_id") or "").strip()
        if not uid:
            batch.rejected.append(Rejected("medpix", f"Case_topic.json[{i}]", "no U_id"))
            continue
        text = case_text(case)
        if not text:
            batch.rejected.append(Rejected("medpix", uid, "case has no History/Exam/Findings/Diagnosis text"))
            continue
        images = by_case.get(uid, [])
        first = (images[0].get("Description") or {}) if images else {}
        title = str((case.get("Case") or {}).get("Title") or "").strip() or None
        out = PublicCase(source="medpix", source_id=uid, key=uid, text=text, license=MEDPIX_LICENSE,
                         dataset=DATASET, dataset_doi=DATASET_DOI, sex=sex_of(first.get("Sex")),
                         age_years=_age(first.get("Age")), title=title)
        for rec in images:
            name = str(rec.get("image") or "")
            path = root / "images" / f"{name}.png"
            desc = rec.get("Description") or {}
            raw = [f"{k}: {v}" for k, v in (("Type", rec.get("Type")), ("Modality", desc.get("Modality")),
                                            ("Plane", desc.get("Plane")), ("Location", rec.get("Location")),
                                            ("Location Category", rec.get("Location Category"))) if v]
            out.images.append(PublicImage(
                source="medpix", image_id=name, case_key=uid, caption=str(desc.get("Caption") or ""),
                labels=labels_from_medpix(rec), license=MEDPIX_LICENSE,
                file=str(path.relative_to(data_dir)) if path.is_file() else None, content_type="image/png",
                source_labels=raw))
        batch.cases.append(out)
    return batch
