"""MultiCaRe importer: ``metadata``, ``cases``, ``case_images`` and ``captions_and_labels.csv``.

The layouts are those of the MultiCaRe Zenodo release (documented in
``../shared/data/multicare/PROVENANCE.md``):

- metadata: one row per article ``{pmcid, pmid, doi, title, year, authors[], journal,
  journal_detail, link, license, keywords[], mesh_terms[], major_mesh_terms[], minor_mesh_terms[]}``;
- cases: per article ``{article_id, cases: [{case_id, case_text, age, gender}]}``;
- case_images: per article ``{article_id, case_images: [{case_id, case_image_list: [{tag, caption,
  file, image_id, text_references[]}]}]}``;
- captions_and_labels.csv: one row per (sub-)image, list columns as Python-literal strings; the
  image file is ``<root>/<file[:4]>/<file[:5]>/<file>``.

Each table is read from ``<name>.parquet`` (needs ``pyarrow``) or, where that is absent,
``<name>.jsonl`` (one JSON object per line, same columns): the test fixtures use JSON Lines.
"""

from __future__ import annotations

import ast
import csv
import json
from pathlib import Path
from typing import Any, Iterable

from coordinator.public_data.cases import sex_of, PublicCase, PublicImage, Rejected, SourceBatch, pmcid_of
from coordinator.public_data.licenses import parse_license
from schemas.labels import Labels, normalize_caption, vocabulary

__all__ = ["read_multicare", "labels_from_multicare", "DATASET", "DATASET_DOI"]

DATASET = "MultiCaRe"
DATASET_DOI = "10.5281/zenodo.10079369"


def _read_table(root: Path, name: str) -> list[dict[str, Any]]:
    parquet, jsonl = root / f"{name}.parquet", root / f"{name}.jsonl"
    if parquet.is_file():
        try:
            import pyarrow.parquet as pq
        except ImportError:
            if not jsonl.is_file():
                raise RuntimeError(f"{parquet}: reading parquet needs pyarrow (pip install pyarrow), "
                                   f"or provide {jsonl.name} with the same columns") from None
        else:
            return pq.read_table(parquet).to_pylist()
    if jsonl.is_file():
        rows = []
        for n, line in enumerate(jsonl.read_text(encoding="utf-8").splitlines(), start=1):
            if line.strip():
                try:
                    rows.append(json.loads(line))
                except json.JSONDecodeError as exc:
                    raise ValueError(f"{jsonl}:{n}: not valid JSON ({exc.msg})") from None
        return rows
    raise FileNotFoundError(f"{root}: neither {name}.parquet nor {name}.jsonl; expected the MultiCaRe layout")


def _literal_list(value: Any) -> list[str]:
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value]
    if not value or not str(value).strip():
        return []
    try:
        parsed = ast.literal_eval(str(value))
    except (ValueError, SyntaxError):
        return []
    return [str(v) for v in parsed] if isinstance(parsed, (list, tuple)) else []


def labels_from_multicare(label_lists: Iterable[str], caption: str = "") -> Labels:
    """Normalized labels from MultiCaRe image labels (``mri``, ``head``, ``sagittal``...).

    Uses the ``multicare:`` map of the shared vocabulary (``schemas/data/labels/vocabulary.yaml``)
    for modality and body region, the plane synonyms for the view; the caption fills what the
    labels leave unknown and gives the findings.
    """
    vocab = vocabulary()
    values: dict[str, str] = {}
    for label in label_lists:
        for axis in ("modality", "body_region", "plane"):
            mapped = vocab.multicare.get(axis, {}).get(label)
            if mapped is None and axis == "plane":
                mapped = vocab.field_synonyms["plane"].get(label.replace("_", " "))
            if mapped:
                values.setdefault(axis, mapped)
    from_labels = Labels(**values)
    return from_labels.merged(normalize_caption(caption)) if caption else from_labels


def _year(value: Any) -> int | None:
    try:
        year = int(str(value).strip()[:4])
    except ValueError:
        return None
    return year if 1800 <= year <= 2100 else None


def _age(value: Any) -> float | None:
    try:
        age = float(value)
    except (TypeError, ValueError):
        return None
    return age if 0 <= age <= 125 else None


def read_multicare(root: Path, *, data_dir: Path | None = None, limit: int | None = None) -> SourceBatch:
    """Read a MultiCaRe folder (the Zenodo release layout, or the JSON Lines fixtures).

    Parameters
    ----------
    root:
        Folder with ``metadata``, ``cases``, ``case_images`` tables and ``captions_and_labels.csv``.
    data_dir:
        Public-data folder image paths are made relative to (default: ``root``'s parent).
    limit:
        Read only the first ``limit`` articles.
    """
    root = Path(root)
    data_dir = Path(data_dir) if data_dir else root.parent
    metadata = {pmcid_of(r.get("pmcid")): r for r in _read_table(root, "metadata")}
    articles = _read_table(root, "cases")
    figures: dict[str, dict[str, Any]] = {}
    for article in _read_table(root, "case_images"):
        for case in article.get("case_images") or []:
            for img in case.get("case_image_list") or []:
                figures[str(img.get("image_id"))] = img
    captions: dict[str, list[dict[str, str]]] = {}
    cap_path = root / "captions_and_labels.csv"
    if cap_path.is_file():
        with cap_path.open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                captions.setdefault(row.get("patient_id") or "", []).append(row)

    batch = SourceBatch("multicare")
    for article in articles[:limit] if limit else articles:
        pmcid = pmcid_of(article.get("article_id"))
        meta = metadata.get(pmcid)
        for case in article.get("cases") or []:
            batch.rows_read += 1
            case_id = str(case.get("case_id") or "")
            if not pmcid or not case_id.startswith(f"{pmcid}_"):
                batch.rejected.append(Rejected("multicare", case_id or str(article.get("article_id")),
                                               "case_id is not <article PMCID>_<nn>"))
                continue
            if meta is None:
                batch.rejected.append(Rejected("multicare", case_id, "article has no metadata row"))
                continue
            text = str(case.get("case_text") or "").strip()
            if not text:
                batch.rejected.append(Rejected("multicare", case_id, "empty case_text"))
                continue
            try:
                license_ = parse_license(meta.get("license"))
            except ValueError:
                batch.rejected.append(Rejected("multicare", case_id, "unknown article license"))
                continue
            out = PublicCase(
                source="multicare", source_id=case_id, key=case_id, text=text, license=license_,
                dataset=DATASET, dataset_doi=DATASET_DOI, sex=sex_of(case.get("gender")),
                age_years=_age(case.get("age")), pmcid=pmcid, pmid=str(meta.get("pmid") or "") or None,
                doi=meta.get("doi"), title=meta.get("title"), journal=meta.get("journal"), year=_year(meta.get("year")),
                authors=list(meta.get("authors") or []), keywords=list(meta.get("keywords") or []),
                mesh_terms=list(meta.get("mesh_terms") or []), link=meta.get("link"))
            for row in captions.get(case_id, []):
                file = row.get("file") or ""
                path = root / file[:4] / file[:5] / file
                gt = _literal_list(row.get("gt_labels_for_semisupervised_classification"))
                ml = _literal_list(row.get("ml_labels_for_supervised_classification"))
                figure = figures.get(row.get("main_image") or "", {})
                try:
                    img_license = parse_license(row.get("license")) if row.get("license") else license_
                except ValueError:
                    img_license = license_
                out.images.append(PublicImage(
                    source="multicare", image_id=file.rsplit(".", 1)[0] or row.get("file_id", ""), case_key=case_id,
                    caption=row.get("caption") or "", labels=labels_from_multicare(gt + ml, row.get("caption") or ""),
                    license=img_license, file=str(path.relative_to(data_dir)) if path.is_file() else None,
                    content_type="image/webp" if file.endswith(".webp") else "image/jpeg",
                    source_labels=list(dict.fromkeys(gt + ml)),
                    text_references=list(figure.get("text_references") or [])))
            batch.cases.append(out)
    return batch
