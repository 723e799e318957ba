"""Apply subset filters to the coordinator's public records.

Article- and case-level filters select cases (``public_documents``); image-level filters select
images (``public_images``). When any image-level filter is given, a case is kept only if at least
one of its images passes (as in MultiCaRe: levels are intersected on the case id).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Iterable, Literal, Sequence

from coordinator.public_data import store as public_store
from coordinator.subsets.filters import ARTICLE_FIELDS, CASE_FIELDS, IMAGE_FIELDS, Filter, compile_caption_pattern
from node.store.node_store import NodeStore
from schemas.resources import document_text

__all__ = ["Selection", "select", "Use"]

Use = Literal["research", "commercial"]


@dataclass
class Selection:
    """The cases (documents, with ``text`` decoded) and, per case, their selected images."""

    cases: list[dict] = field(default_factory=list)
    images: dict[str, list[dict]] = field(default_factory=dict)
    filters: list[Filter] = field(default_factory=list)
    use: str = "research"

    @property
    def n_images(self) -> int:
        return sum(len(v) for v in self.images.values())


def _combine(op: str, hits: Iterable[bool]) -> bool:
    hits = list(hits)
    if op == "any":
        return any(hits)
    if op == "all":
        return all(hits)
    return not any(hits)


def _match_terms(flt: Filter, terms: Sequence[str]) -> bool:
    low = [t.lower() for t in terms]

    def one(value: str) -> bool:
        v = value.lower()
        return any(v in t for t in low) if flt.match_type == "partial_match" else v in low
    return _combine(flt.operator, (one(v) for v in flt.values))


def _case_predicate(flt: Filter) -> Callable[[dict], bool]:
    f = flt.field
    if f == "min_year":
        return lambda d: d["provenance"].get("year") is not None and d["provenance"]["year"] >= flt.number
    if f == "max_year":
        return lambda d: d["provenance"].get("year") is not None and d["provenance"]["year"] <= flt.number
    if f == "min_age":
        return lambda d: d["query"].get("age_at_note") is not None and d["query"]["age_at_note"] >= flt.number
    if f == "max_age":
        return lambda d: d["query"].get("age_at_note") is not None and d["query"]["age_at_note"] <= flt.number
    if f == "license":
        def lic(d: dict) -> bool:
            prov = d["provenance"]
            codes = [prov["license"], *(r["license"] for r in prov.get("also_in", []))]

            def one(v: str) -> bool:
                if v.lower() == "commercial":
                    return bool(prov["commercial_use"])
                return any(c.lower() == v.lower() or c.lower().startswith(v.lower() + " ") for c in codes)
            return _combine(flt.operator, (one(v) for v in flt.values))
        return lic
    if f == "source":
        return lambda d: _combine(flt.operator, (v.lower() in {d["provenance"]["source"],
                                                               *(r["source"] for r in d["provenance"].get("also_in", []))}
                                                 for v in flt.values))
    if f in ("keywords", "mesh_terms"):
        return lambda d: _match_terms(flt, d["provenance"].get(f) or [])
    if f == "gender":
        return lambda d: _combine(flt.operator, (d["query"]["sex"] == v.lower() for v in flt.values))
    if f == "case_strings":
        return lambda d: _combine(flt.operator, (v.lower() in d["text"].lower() for v in flt.values))
    raise ValueError(f"{f} is not a case-level filter")


def _image_labels(img: dict) -> set[str]:
    labels = img["labels"]
    out = {str(v).lower() for v in (labels.get("modality"), labels.get("body_region"), labels.get("plane")) if v}
    out |= {f"{axis}={str(labels[axis]).lower()}" for axis in ("modality", "body_region", "plane") if labels.get(axis)}
    out |= {str(x).lower() for x in labels.get("findings") or []}
    out |= {f"findings={str(x).lower()}" for x in labels.get("findings") or []}
    out |= {s.lower() for s in img.get("source_labels") or []}
    return out


def _image_predicate(flt: Filter) -> Callable[[dict], bool]:
    if flt.field == "caption":
        patterns = [compile_caption_pattern(v, flt.regex, flt.matching_case) for v in flt.values]
        return lambda img: _combine(flt.operator, (p.search(img.get("caption") or "") is not None for p in patterns))
    if flt.field == "label":
        return lambda img: _combine(flt.operator, (v.lower().replace(" ", "") in _image_labels(img) or v.lower() in _image_labels(img)
                                                   for v in flt.values))
    raise ValueError(f"{flt.field} is not an image-level filter")


def select(store: NodeStore, filters: Sequence[Filter], use: Use = "research") -> Selection:
    """Select public cases and images.

    Parameters
    ----------
    store:
        The coordinator's public-data store.
    filters:
        Conditions, all of which must hold (each with its own any/all/none).
    use:
        ``"commercial"`` keeps only records whose every merged source's license allows it.
    """
    case_preds = [_case_predicate(f) for f in filters if f.field in ARTICLE_FIELDS + CASE_FIELDS]
    image_filters = [f for f in filters if f.field in IMAGE_FIELDS]
    image_preds = [_image_predicate(f) for f in image_filters]
    query: dict = {"provenance.commercial_use": True} if use == "commercial" else {}
    selection = Selection(filters=list(filters), use=use)
    for doc in store.collection(public_store.DOCUMENTS).find(query).sort("_id", 1):
        doc["text"] = document_text(doc["resource"])
        if not all(p(doc) for p in case_preds):
            continue
        images = []
        for img in store.collection(public_store.IMAGES).find({"document_id": doc["_id"]}).sort("_id", 1):
            if use == "commercial" and not img["provenance"]["commercial_use"]:
                continue
            if all(p(img) for p in image_preds):
                images.append(img)
        if image_filters and not images:
            continue
        selection.cases.append(doc)
        selection.images[doc["_id"]] = images
    return selection
