"""Write a selection as a MultiCaRe-style subset folder.

``<out>/<name>/`` always holds ``readme.txt``, ``citations.csv`` and
``case_report_citations.json`` (source, ids, PMCID, DOI, license per record) and
``article_metadata.json``; then, per format:

- ``text``: ``cases.csv`` (case_id, pmcid, source, gender, age, license, case_text);
- ``image``: ``images/`` + ``image_metadata.json`` (JSON Lines, one image per line);
- ``multimodal``: both, with image tokens (``<file name>`` or ``image_token``) in the case text,
  after the sentence that cites the image when the source says which one, else at the end;
- ``case_series``: ``cases.csv`` with ``amount_of_images`` and ``image_folder``, images copied
  into one folder per case.
"""

from __future__ import annotations

import csv
import json
import shutil
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Literal

from coordinator.subsets.selection import Selection
from schemas.version import SCHEMA_VERSION

__all__ = ["FORMATS", "Format", "SubsetResult", "write_subset"]

Format = Literal["text", "image", "multimodal", "case_series"]
FORMATS: tuple[str, ...] = ("text", "image", "multimodal", "case_series")
CITATION_COLUMNS = ("case_id", "source", "source_id", "pmcid", "pmid", "doi", "title", "journal", "year", "link",
                    "license", "commercial_use", "also_in", "dataset", "dataset_doi")


@dataclass(frozen=True)
class SubsetResult:
    """Where the subset went and what it holds."""

    folder: Path
    cases: int
    images: int
    images_copied: int
    files: tuple[str, ...]


def _case_id(doc: dict) -> str:
    return doc["_id"].removeprefix("case:")


def _file_name(img: dict) -> str:
    return Path(img["file"]).name if img.get("file") else img["_id"].removeprefix("img:")


def _citation(doc: dict) -> dict:
    p = doc["provenance"]
    return {"case_id": _case_id(doc), "source": p["source"], "source_id": p["source_id"], "pmcid": p.get("pmcid"),
            "pmid": p.get("pmid"), "doi": p.get("doi"), "title": p.get("title"), "journal": p.get("journal"),
            "year": p.get("year"), "link": p.get("link"), "license": p["license"],
            "commercial_use": p["commercial_use"],
            "also_in": "; ".join(f"{r['source']}:{r['source_id']} ({r['license']})" for r in p.get("also_in", [])),
            "dataset": p["dataset"], "dataset_doi": p.get("dataset_doi"), "authors": p.get("authors", [])}


def _with_tokens(doc: dict, images: list[dict], image_token: str | None) -> str:
    text = doc["text"]
    tail = []
    for img in images:
        token = image_token or f"<{_file_name(img)}>"
        placed = False
        for ref in img.get("text_references") or []:
            pos = text.find(ref)
            if ref and pos >= 0:
                end = pos + len(ref)
                text = text[:end] + f" {token}" + text[end:]
                placed = True
                break
        if not placed:
            tail.append(token)
    return text + ("\n\nImages: " + " ".join(tail) if tail else "")


def _copy(img: dict, data_dir: Path, dest: Path) -> str | None:
    if not img.get("file"):
        return None
    src = data_dir / img["file"]
    if not src.is_file():
        return None
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(src, dest / src.name)
    return str((dest / src.name))


def write_subset(selection: Selection, data_dir: Path, out_dir: Path, name: str, fmt: Format,
                 image_token: str | None = None) -> SubsetResult:
    """Write ``selection`` to ``out_dir/name`` in format ``fmt``.

    Raises
    ------
    FileExistsError
        If ``out_dir/name`` exists (as MultiCaRe: never overwrite a subset).
    ValueError
        For an unknown format or a name that is not a plain folder name.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown subset format {fmt!r}; choose from {', '.join(FORMATS)}")
    if not name or Path(name).name != name or name.startswith("."):
        raise ValueError(f"subset name {name!r} must be a plain folder name")
    folder = Path(out_dir) / name
    if folder.exists():
        raise FileExistsError(f"{folder} already exists: choose another --name or remove it")
    folder.mkdir(parents=True)
    data_dir = Path(data_dir)
    files: list[str] = []
    cases = selection.cases

    citations = [_citation(d) for d in cases]
    (folder / "case_report_citations.json").write_text(json.dumps(citations, indent=1, ensure_ascii=False), "utf-8")
    with (folder / "citations.csv").open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=CITATION_COLUMNS, extrasaction="ignore", lineterminator="\n")
        w.writeheader()
        w.writerows(citations)
    articles: dict[str, dict] = {}
    for d in cases:
        p = d["provenance"]
        key = p.get("pmcid") or f"{p['source']}:{p['source_id']}"
        articles.setdefault(key, {"article": key, "license": p["license"], "keywords": p.get("keywords", []),
                                  "mesh_terms": p.get("mesh_terms", [])})
    (folder / "article_metadata.json").write_text(json.dumps(list(articles.values()), indent=1, ensure_ascii=False),
                                                  "utf-8")
    files += ["case_report_citations.json", "citations.csv", "article_metadata.json"]

    copied = 0
    if fmt in ("text", "multimodal", "case_series"):
        with (folder / "cases.csv").open("w", encoding="utf-8", newline="") as fh:
            cols = ["case_id", "pmcid", "source", "gender", "age", "license", "case_text"]
            if fmt == "case_series":
                cols[-1:-1] = ["link", "amount_of_images", "image_folder"]
            w = csv.DictWriter(fh, fieldnames=cols, lineterminator="\n")
            w.writeheader()
            for d in cases:
                images = selection.images.get(d["_id"], [])
                row = {"case_id": _case_id(d), "pmcid": d["provenance"].get("pmcid") or "",
                       "source": d["provenance"]["source"], "gender": d["query"]["sex"],
                       "age": "" if d["query"].get("age_at_note") is None else d["query"]["age_at_note"],
                       "license": d["provenance"]["license"],
                       "case_text": _with_tokens(d, images, image_token) if fmt == "multimodal" else d["text"]}
                if fmt == "case_series":
                    for img in images:
                        copied += _copy(img, data_dir, folder / _case_id(d)) is not None
                    row |= {"link": d["provenance"].get("link") or "", "amount_of_images": len(images),
                            "image_folder": _case_id(d) if images else ""}
                w.writerow(row)
        files.append("cases.csv")
    if fmt in ("image", "multimodal"):
        with (folder / "image_metadata.json").open("w", encoding="utf-8") as fh:
            for d in cases:
                for img in selection.images.get(d["_id"], []):
                    dest = _copy(img, data_dir, folder / "images")
                    copied += dest is not None
                    fh.write(json.dumps({
                        "file_id": img["_id"], "file": _file_name(img),
                        "file_path": f"images/{_file_name(img)}" if dest else None,
                        "case_id": _case_id(d), "license": img["provenance"]["license"], "caption": img["caption"],
                        **{k: img["labels"].get(k) for k in ("modality", "body_region", "plane", "findings")},
                        "source_labels": img.get("source_labels", [])}, ensure_ascii=False) + "\n")
        files.append("image_metadata.json")

    n_images = selection.n_images
    licenses: dict[str, int] = {}
    for c in citations:
        licenses[c["license"]] = licenses.get(c["license"], 0) + 1
    readme = [f"fednet public case-report subset '{name}' ({fmt})",
              f"created {datetime.now(timezone.utc).isoformat(timespec='seconds')} by fedcoord subset, schema {SCHEMA_VERSION}",
              f"use: {selection.use}", f"cases: {len(cases)}", f"images: {n_images} ({copied} image files copied; "
              "sources without pixels list the file name only)",
              "filters:", *[f"  - {f.model_dump_json()}" for f in selection.filters],
              "licenses (cases): " + ", ".join(f"{k}: {v}" for k, v in sorted(licenses.items())),
              "Every record keeps its source's license: see citations.csv. Cite the case reports (PMCID/DOI) and the",
              "datasets (MedPix 2.0 doi 10.1007/s41019-025-00297-8; PMC-Patients doi 10.1038/s41597-023-02814-8;",
              "MultiCaRe doi 10.5281/zenodo.10079369). PMC-Patients rows are CC BY-NC-SA 4.0: non-commercial, share-alike."]
    (folder / "readme.txt").write_text("\n".join(readme) + "\n", encoding="utf-8")
    files.insert(0, "readme.txt")
    return SubsetResult(folder, len(cases), n_images, copied, tuple(files))
