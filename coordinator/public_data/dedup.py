"""Cross-source deduplication of public cases by case key (``PMC<digits>_<nn>``, MedPix ``U_id``).

Sources are merged in priority order (default :data:`PRIORITY`: MultiCaRe first, as it carries
images, per-article licenses and full citations; then PMC-Patients; then MedPix). The first
source's case is kept; every later duplicate becomes an ``also_in`` entry of it (its source, id
and license), its images are added when the kept case has none, and the kept record's license
becomes the conservative combination of all (see :func:`licenses.combine`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable

from coordinator.public_data.cases import PublicCase, SourceBatch

__all__ = ["PRIORITY", "Merge", "DedupReport", "merge_batches"]

PRIORITY: tuple[str, ...] = ("multicare", "pmc-patients", "medpix", "roco")


@dataclass(frozen=True)
class Merge:
    """One duplicate folded into a kept case."""

    key: str
    kept_source: str
    kept_id: str
    merged_source: str
    merged_id: str


@dataclass
class DedupReport:
    """What dedup did: cross-source merges and duplicates within one source."""

    merges: list[Merge] = field(default_factory=list)
    within_source: dict[str, int] = field(default_factory=dict)

    @property
    def cross_source(self) -> int:
        return len(self.merges)


def merge_batches(batches: Iterable[SourceBatch], priority: tuple[str, ...] = PRIORITY) -> tuple[list[PublicCase], DedupReport]:
    """Merge the cases of several sources, dropping duplicates by case key.

    Parameters
    ----------
    batches:
        One :class:`SourceBatch` per source (any order; merged by ``priority``).
    priority:
        Source names, highest first; unknown sources come last.

    Returns
    -------
    (cases, report)
        Unique cases (kept ones carry ``also_in``) and what was merged.
    """
    rank = {name: i for i, name in enumerate(priority)}
    ordered = sorted(batches, key=lambda b: rank.get(b.source, len(rank)))
    kept: dict[str, PublicCase] = {}
    report = DedupReport()
    for batch in ordered:
        seen_here: set[str] = set()
        for case in batch.cases:
            if case.key in seen_here:
                report.within_source[batch.source] = report.within_source.get(batch.source, 0) + 1
                continue
            seen_here.add(case.key)
            first = kept.get(case.key)
            if first is None:
                kept[case.key] = case
                continue
            first.also_in.append((case.source, case.source_id, case.license))
            if not first.images and case.images:
                first.images = case.images
            for attr in ("pmid", "doi", "title", "journal", "year", "link"):
                if getattr(first, attr) in (None, "") and getattr(case, attr) not in (None, ""):
                    setattr(first, attr, getattr(case, attr))
            if first.age_years is None:
                first.age_years = case.age_years
            report.merges.append(Merge(case.key, first.source, first.source_id, case.source, case.source_id))
    return list(kept.values()), report
