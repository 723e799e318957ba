"""Run a compiled count on a node's store and return exact per-cell patient counts.

The rows of the pipeline (one per patient and cell) stay inside this function;
only counts leave it. Exact counts never leave the node either: the caller
(:mod:`node.query.service`) adds noise and applies the small-cell threshold.

Contribution bound: for a breakdown by a *note-level* field a patient can have
notes in several cells. Each patient is counted in at most
``max_cells_per_patient`` cells (those of their most recent matching notes), so
the answer's L1 sensitivity is ``1 + that bound`` (see
:func:`node.disclosure.sensitivity.l1_sensitivity`).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from itertools import product

from node.query.compiler import DATE_PATH, PSEUDONYM_PATH, assert_safe, compile_match, compile_pipeline
from node.query.fields import FIELDS
from node.query.spec import CountQuery
from node.store.node_store import DOCUMENTS, NodeStore


@dataclass(frozen=True)
class ExactCounts:
    """Exact distinct-patient counts: ``total`` and one value per public cell (same order as ``cells``)."""

    total: int
    cells: tuple[tuple[str, ...], ...]
    values: tuple[int, ...]

    def vector(self) -> list[int]:
        """``[total, *values]``: what gets noise and secure-summed."""
        return [self.total, *self.values]


def cells_per_patient_bound(query: CountQuery, max_cells_per_patient: int) -> int:
    """How many cells one patient can be counted in, for this query."""
    if not query.by:
        return 0
    from node.query.fields import FIELDS, breakdown_domain

    possible = 1
    for name in query.by:
        if FIELDS[name].level == "note":
            possible *= len(breakdown_domain(name))
    return min(possible, max_cells_per_patient)


Row = tuple[str, str, tuple[str, ...]]  # (pseudonym, latest matching note date, cell)


def _rows_by_pipeline(store: NodeStore, query: CountQuery, excluded: list[str] | None) -> list[Row]:
    """One row per (patient, cell), grouped by the server (real MongoDB)."""
    rows = []
    for row in store.aggregate(DOCUMENTS, compile_pipeline(query, excluded)):
        key = row["_id"]
        cell = tuple(str(key.get(f"c{i}")) for i in range(len(query.by)))
        rows.append((str(key["p"]), str(row.get("last") or ""), cell))
    return rows


def _rows_by_find(store: NodeStore, query: CountQuery, excluded: list[str] | None) -> list[Row]:
    """The same rows from ``find(compiled $match, projection)`` and a grouping here.

    The embedded engine (mongomock) copies every document before an aggregation's
    ``$match``; ``find`` filters first and copies only the projected fields of
    matches, about 10x faster. The filter is the pipeline's own ``$match`` and
    ``tests/test_query_counts.py`` checks that both paths give the same counts.
    """
    paths = [FIELDS[name].path for name in query.by]
    projection = {"_id": 0, PSEUDONYM_PATH: 1, DATE_PATH: 1, **{p: 1 for p in paths}}
    match = compile_match(query, excluded)
    assert_safe(match)
    best: dict[tuple[str, tuple[str, ...]], str] = {}
    for doc in store.collection(DOCUMENTS).find(match, projection):
        q = doc.get("query") or {}
        pseudonym, last = str(q.get("patient_pseudonym")), str(q.get("note_date_shifted") or "")
        values: list[list[str]] = []
        for name in query.by:
            raw = q.get(FIELDS[name].path.split(".", 1)[1])
            # an empty list (no terms) still counts the patient in the total, in no cell
            values.append(([str(v) for v in raw] or ["None"]) if isinstance(raw, list) else [str(raw)])
        for cell in product(*values):
            key = (pseudonym, cell)
            if best.get(key, "") <= last:
                best[key] = last
    return [(p, last, cell) for (p, cell), last in best.items()]


def count_patients(store: NodeStore, query: CountQuery, *, excluded: list[str] | None = None,
                   max_cells_per_patient: int = 2) -> ExactCounts:
    """Count distinct patients matching ``query`` in ``store``.

    Parameters
    ----------
    store:
        The node's store.
    query:
        A validated query.
    excluded:
        Pseudonyms that must never be counted (the opt-out registry).
    max_cells_per_patient:
        Contribution bound for note-level breakdowns.

    Returns
    -------
    ExactCounts
        The total and one count per public cell (zeros included: the cell list
        never depends on the data).
    """
    cells = tuple(query.cells())
    index = {cell: i for i, cell in enumerate(cells)}
    bound = cells_per_patient_bound(query, max_cells_per_patient)
    per_patient: dict[str, list[tuple[str, tuple[str, ...]]]] = defaultdict(list)
    rows = _rows_by_find(store, query, excluded) if store.info.kind == "embedded" else _rows_by_pipeline(
        store, query, excluded)
    for pseudonym, last, cell in rows:
        per_patient[pseudonym].append((last, cell))
    values = [0] * len(cells)
    for rows in per_patient.values():
        known = sorted(((last, cell) for last, cell in rows if cell in index), reverse=True)
        for _, cell in known[:bound]:
            values[index[cell]] += 1
    return ExactCounts(total=len(per_patient), cells=cells, values=tuple(values))
