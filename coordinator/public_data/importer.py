"""``import_public_data``: read the public sources, deduplicate, de-identify (public mode), store.

Steps: each source's importer reads its own layout into :class:`~coordinator.public_data.cases.SourceBatch`
-> :func:`~coordinator.public_data.dedup.merge_batches` folds duplicates (same PMCID case) ->
case texts and captions go through the nodes' de-identifier in public mode -> records in the
shared schema (Patient, DocumentReference + query fields + provenance, Media + labels) are
validated and written. Re-running is a no-op for stored cases; a duplicate arriving later from
another source is merged into the stored record (``provenance.also_in``, conservative license).
"""

from __future__ import annotations

import hashlib
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any, Callable, Sequence

from coordinator.public_data import store as public_store
from coordinator.public_data.cases import PublicCase, Rejected, SourceBatch, fhir_id
from coordinator.public_data.dedup import DedupReport, merge_batches
from coordinator.public_data.deid_public import Survival, build_public_deidentifier, survival
from coordinator.public_data.licenses import combine
from coordinator.public_data.medpix import read_medpix
from coordinator.public_data.multicare import read_multicare
from coordinator.public_data.pmc_patients import read_pmc_patients
from node.store.node_store import NodeStore
from schemas.public import Provenance, SourceRef, build_public_media, make_public_document_record, make_public_image_record
from schemas.records import make_document_record, make_patient_record
from schemas.query_fields import derive_query_fields
from schemas.resources import SchemaError, build_document_reference, build_patient

__all__ = ["SOURCES", "SOURCE_ALIASES", "SourceCounts", "ImportReport", "import_public_data", "read_sources",
           "resolve_sources"]

SOURCES: tuple[str, ...] = ("medpix", "pmc-patients", "multicare")
SOURCE_ALIASES = {"medpix": "medpix", "medpix2": "medpix", "pmc": "pmc-patients", "pmc-patients": "pmc-patients",
                  "multicare": "multicare"}
_BATCH = 32


def resolve_sources(names: Sequence[str]) -> list[str]:
    """Canonical source names for ``medpix,pmc,multicare``-style names; error names the unknown one."""
    out = []
    for name in names:
        key = SOURCE_ALIASES.get(name.strip().lower())
        if key is None:
            raise ValueError(f"unknown public source {name!r}: choose from {', '.join(sorted(SOURCE_ALIASES))}")
        if key not in out:
            out.append(key)
    return out


@dataclass
class SourceCounts:
    """Per-source figures of one import."""

    rows_read: int = 0
    cases_stored: int = 0
    cases_already_stored: int = 0
    images_stored: int = 0
    images_without_pixels: int = 0
    merged_into_other_source: int = 0
    duplicates_within_source: int = 0
    rejected: int = 0
    skipped: str | None = None
    licenses: Counter = field(default_factory=Counter)


@dataclass
class ImportReport:
    """What an import did, per source and per label; numbers only (never text)."""

    sources: dict[str, SourceCounts] = field(default_factory=dict)
    labels: Counter = field(default_factory=Counter)  # (source, axis, value) -> images or cases
    dedup: DedupReport = field(default_factory=DedupReport)
    survival: dict[str, Survival] = field(default_factory=dict)
    rejected: list[Rejected] = field(default_factory=list)
    seconds: float = 0.0
    run_id: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "run_id": self.run_id, "seconds": round(self.seconds, 2),
            "sources": {k: {**{f: getattr(v, f) for f in v.__dataclass_fields__ if f != "licenses"},
                            "licenses": dict(v.licenses)} for k, v in self.sources.items()},
            "labels": [{"source": s, "axis": a, "value": v, "count": n} for (s, a, v), n in sorted(self.labels.items())],
            "merges": [m.__dict__ for m in self.dedup.merges],
            "survival": {k: {"ages_stated": s.ages_stated, "ages_kept": s.ages_kept, "age_share": s.age_share,
                             "years_stated": s.years_stated, "years_kept": s.years_kept, "year_share": s.year_share}
                         for k, s in self.survival.items()},
            "rejected": [r.__dict__ for r in self.rejected],
        }

    def source_table(self):
        """rich Table: one row per source."""
        from rich.table import Table

        table = Table(title="public case reports imported into the coordinator")
        for col in ("source", "rows read", "cases stored", "already stored", "merged into other source",
                    "dup. within source", "images", "rejected", "licenses"):
            table.add_column(col, justify="left" if col in ("source", "licenses") else "right")
        for name, c in self.sources.items():
            if c.skipped:
                table.add_row(name, "-", "-", "-", "-", "-", "-", "-", f"skipped: {c.skipped}", style="dim")
                continue
            lic = ", ".join(f"{k} {v}" for k, v in c.licenses.most_common(4))
            table.add_row(name, str(c.rows_read), str(c.cases_stored), str(c.cases_already_stored),
                          str(c.merged_into_other_source), str(c.duplicates_within_source),
                          str(c.images_stored), str(c.rejected), lic)
        return table

    def label_table(self, axes: Sequence[str] = ("modality", "body_region", "sex")):
        """rich Table: one row per normalized label value, one column per source."""
        from rich.table import Table

        sources = [s for s, c in self.sources.items() if not c.skipped]
        table = Table(title="counts per source and normalized label (images: modality/body region; cases: sex)")
        table.add_column("label")
        for s in sources:
            table.add_column(s, justify="right")
        for axis in axes:
            values = sorted({v for (s, a, v) in self.labels if a == axis}, key=lambda v: (v == "unknown", v))
            for value in values:
                table.add_row(f"{axis}={value}", *[str(self.labels.get((s, axis, value), 0)) for s in sources])
        return table

    def survival_lines(self) -> list[str]:
        out = []
        for source, s in self.survival.items():
            out.append(f"{source}: ages < 90 stated in case texts kept by public-mode de-identification "
                       f"{s.ages_kept}/{s.ages_stated} ({s.age_share:.1%}); years kept {s.years_kept}/{s.years_stated} "
                       f"({s.year_share:.1%})")
        return out


def _default_paths(data_dir: Path) -> dict[str, Path]:
    pmc = data_dir / "pmc-patients"
    csvs = sorted(pmc.glob("*.csv")) if pmc.is_dir() else []
    return {"medpix": data_dir / "medpix2", "pmc-patients": csvs[0] if csvs else pmc / "PMC-Patients.csv",
            "multicare": data_dir / "multicare"}


def read_sources(data_dir: Path, sources: Sequence[str], *, paths: dict[str, Path] | None = None,
                 limit: int | None = None) -> tuple[list[SourceBatch], dict[str, str]]:
    """Run each source's importer; returns the batches and, per skipped source, why."""
    data_dir = Path(data_dir)
    where = {**_default_paths(data_dir), **(paths or {})}
    batches, skipped = [], {}
    for source in resolve_sources(sources):
        path = Path(where[source])
        try:
            if source == "medpix":
                batches.append(read_medpix(path, data_dir=data_dir if path.is_relative_to(data_dir) else path.parent,
                                           limit=limit))
            elif source == "pmc-patients":
                batches.append(read_pmc_patients(path, limit=limit))
            else:
                batches.append(read_multicare(path, data_dir=data_dir if path.is_relative_to(data_dir) else path.parent,
                                              limit=limit))
        except FileNotFoundError as exc:
            skipped[source] = str(exc).split(";")[0].replace(str(data_dir), "<data>")
    return batches, skipped


def _reference(case: PublicCase, today: date) -> date:
    """DocumentReference.date: Jan 1 of the publication year when known, else the import date."""
    return date(case.year, 1, 1) if case.year and case.year <= today.year else today


def _provenance(case: PublicCase) -> Provenance:
    lic = combine([case.license, *(l for _, _, l in case.also_in)])
    return Provenance(
        source=case.source, source_id=case.source_id, dataset=case.dataset, dataset_doi=case.dataset_doi,
        pmcid=case.pmcid, pmid=case.pmid, doi=case.doi, title=case.title, journal=case.journal, year=case.year,
        authors=case.authors, keywords=case.keywords, mesh_terms=case.mesh_terms, link=case.link,
        license=case.license.code, commercial_use=lic.commercial_use, derivatives=lic.derivatives,
        share_alike=lic.share_alike,
        also_in=[SourceRef(source=s, source_id=i, license=l.code) for s, i, l in case.also_in])


def build_case_records(case: PublicCase, text: str, captions: Sequence[str], data_dir: Path,
                       today: date | None = None) -> tuple[dict, dict, list[dict]]:
    """Patient, document and image records of one de-identified case (validated)."""
    today = today or datetime.now(timezone.utc).date()
    site = f"public-{case.source}"
    pid = fhir_id(case.key)
    ref = _reference(case, today)
    age = int(case.age_years) if case.age_years is not None else None
    birth_year = ref.year - age if age is not None and ref.year - age >= 1850 else None
    patient = build_patient(pid, case.sex, birth_year, site, reference_year=today.year)
    record_id = f"case:{case.key}"
    doc = build_document_reference(f"doc-{pid}"[:64], pid, "other", ref, text, record_id, site)
    query = derive_query_fields(patient, doc, birth_year, site, age_reference_date=ref)
    provenance = _provenance(case)
    document = make_public_document_record(make_document_record(record_id, doc, query), provenance)
    images = []
    for image, caption in zip(case.images, captions):
        raw = (data_dir / image.file).read_bytes() if image.file else None
        media = build_public_media(fhir_id(f"img-{image.image_id}")[:64], pid, site, file=image.file,
                                   content_type=image.content_type, file_bytes=raw, modality=image.labels.modality,
                                   body_region=image.labels.body_region, plane=image.labels.plane, caption=caption,
                                   pmcid=case.pmcid)
        img_prov = provenance.model_copy(update={"license": image.license.code,
                                                 "commercial_use": provenance.commercial_use and image.license.commercial_use})
        labels = image.labels.to_dict()
        images.append(make_public_image_record(
            _id=f"img:{image.image_id}", site_id=site, document_id=record_id, patient_pseudonym=pid, media=media,
            caption=caption, labels=labels, source_labels=image.source_labels, file=image.file,
            sha256=hashlib.sha256(raw).hexdigest() if raw is not None else None,
            text_references=image.text_references,
            query={"site_id": site, "patient_pseudonym": pid, **labels}, provenance=img_prov))
    return make_patient_record(patient, site), document, images


def _merge_into_stored(store: NodeStore, case: PublicCase) -> bool:
    """A case already stored from another source: record this source in its provenance."""
    coll = store.collection(public_store.DOCUMENTS)
    stored = coll.find_one({"_id": f"case:{case.key}"}, {"provenance": 1})
    if stored is None:
        return False
    prov = stored["provenance"]
    refs = [(case.source, case.source_id, case.license), *case.also_in]
    known = {(prov["source"], prov["source_id"])} | {(r["source"], r["source_id"]) for r in prov.get("also_in", [])}
    new = [r for r in refs if (r[0], r[1]) not in known]
    if not new:
        return False
    also = prov.get("also_in", []) + [SourceRef(source=s, source_id=i, license=l.code).model_dump() for s, i, l in new]
    coll.update_one({"_id": stored["_id"]}, {"$set": {
        "provenance.also_in": also,
        "provenance.commercial_use": prov["commercial_use"] and all(l.commercial_use for _, _, l in new),
        "provenance.derivatives": prov["derivatives"] and all(l.derivatives for _, _, l in new),
        "provenance.share_alike": prov["share_alike"] or any(l.share_alike for _, _, l in new)}})
    store.collection(public_store.IMAGES).update_many(
        {"document_id": stored["_id"]},
        {"$set": {"provenance.also_in": also}}
        if all(l.commercial_use for _, _, l in new) else
        {"$set": {"provenance.also_in": also, "provenance.commercial_use": False}})
    return True


def import_public_data(
    store: NodeStore,
    data_dir: Path,
    sources: Sequence[str] = ("medpix", "pmc-patients"),
    *,
    paths: dict[str, Path] | None = None,
    limit: int | None = None,
    deidentifier: Any = None,
    progress: Callable[[str, int, int], None] | None = None,
) -> ImportReport:
    """Import public case reports into the coordinator's store.

    Parameters
    ----------
    store:
        The coordinator's store (:func:`coordinator.public_data.store.open_public_store`).
    data_dir:
        The public-data folder (``../shared/data``): ``medpix2/``, ``pmc-patients/*.csv``,
        ``multicare/`` are looked up in it unless ``paths`` says otherwise.
    sources:
        Any of ``medpix``, ``pmc-patients`` (alias ``pmc``), ``multicare``.
    paths:
        Per-source location overriding the default (``{"multicare": Path("tests/fixtures/multicare")}``).
    limit:
        At most this many rows (MedPix cases, PMC-Patients rows, MultiCaRe articles) per source.
    deidentifier:
        A public-mode :class:`deid.pipeline.Deidentifier` to reuse; built when ``None`` (2-3 s).
    progress:
        Called as ``progress(source, done, total)`` after each batch of cases.

    Returns
    -------
    ImportReport
        Counts per source and per label, merges, rejected rows, age/year survival.
    """
    start = time.perf_counter()
    data_dir = Path(data_dir)
    report = ImportReport(run_id=uuid.uuid4().hex[:12])
    batches, skipped = read_sources(data_dir, sources, paths=paths, limit=limit)
    for name, why in skipped.items():
        report.sources[name] = SourceCounts(skipped=why)
    for batch in batches:
        report.sources[batch.source] = SourceCounts(rows_read=batch.rows_read, rejected=len(batch.rejected))
        report.rejected.extend(batch.rejected)
    cases, report.dedup = merge_batches(batches)
    for merge in report.dedup.merges:
        report.sources[merge.merged_source].merged_into_other_source += 1
    for source, n in report.dedup.within_source.items():
        report.sources[source].duplicates_within_source = n

    stored = {d["_id"] for d in store.collection(public_store.DOCUMENTS).find(
        {"_id": {"$in": [f"case:{c.key}" for c in cases]}}, {"_id": 1})}
    todo = []
    for case in cases:
        if f"case:{case.key}" in stored:
            counts = report.sources[case.source]
            if _merge_into_stored(store, case):
                counts.merged_into_other_source += 1
            else:
                counts.cases_already_stored += 1
            continue
        todo.append(case)

    deid = deidentifier
    if todo and deid is None:
        deid = build_public_deidentifier()
    from deid.types import PatientContext

    by_source: dict[str, tuple[list[str], list[str]]] = {}
    today = datetime.now(timezone.utc).date()
    for i in range(0, len(todo), _BATCH):
        chunk = todo[i:i + _BATCH]
        items = []
        for case in chunk:
            ctx = PatientContext(patient_key=case.key)
            items.append((case.text, ctx))
            items.extend((img.caption, ctx) for img in case.images)
        results = iter(deid.deidentify_batch(items))
        for case in chunk:
            text = next(results).text
            captions = [next(results).text for _ in case.images]
            raw, out = by_source.setdefault(case.source, ([], []))
            raw.append(case.text)
            out.append(text)
            counts = report.sources[case.source]
            try:
                patient, document, images = build_case_records(case, text, captions, data_dir, today)
            except (SchemaError, ValueError, OSError) as exc:
                reason = f"invalid record: {type(exc).__name__}"
                report.rejected.append(Rejected(case.source, case.source_id, reason))
                counts.rejected += 1
                continue
            if public_store.write_case(store, patient, document, images):
                counts.cases_stored += 1
                counts.images_stored += len(images)
                counts.images_without_pixels += sum(1 for im in images if im["file"] is None)
                lic = document["provenance"]["license"]
                counts.licenses[lic] += 1
                report.labels[(case.source, "sex", document["query"]["sex"])] += 1
                for im in images:
                    for axis in ("modality", "body_region"):
                        report.labels[(case.source, axis, im["labels"][axis] or "unknown")] += 1
            else:
                counts.cases_already_stored += 1
        if progress:
            progress(chunk[-1].source, min(i + _BATCH, len(todo)), len(todo))
    report.survival = {s: survival(raw, out) for s, (raw, out) in by_source.items()}
    report.seconds = time.perf_counter() - start
    store.collection(public_store.RUNS).insert_one({"_id": report.run_id, "finished_at": datetime.now(timezone.utc),
                                                     "data_dir": str(data_dir.resolve()), **report.to_dict()})
    return report
