"""An in-memory columnar snapshot of the query fields, answering counts in milliseconds.

The embedded store interprets every query in Python over BSON rows (~1 s per 10k
documents). This module reads the ``query.*`` fields of every document once into
NumPy columns and answers :class:`~node.query.spec.CountQuery` counts with
vectorized masks:

- enum-like fields (sex, site, age band, note type, modality, body region): one
  integer code per document (``-1`` field absent, ``-2`` null);
- age: integer values plus a state column (absent / null / integer);
- shifted note date: the rank of the date text among all distinct date texts
  (string comparisons become integer comparisons on ranks) plus an "is text" mask;
- terms and keyword tokens: an inverted index, value -> sorted document rows;
- the patient of each document as a row number into ``patients``.

Semantics are *exactly* those of the store path (:func:`node.query.engine.count_patients`
with the compiled ``$match``): MongoDB's matching rules for absent and null fields
(``ne`` matches null but not absent; comparisons match only values of the right
type; array fields match by element), distinct patients, at most one count per
patient and cell, at most ``bound`` cells per patient chosen by latest matching
note date (ties: the larger cell), every public cell reported (zeros included).
``tests/test_query_snapshot.py`` checks equality with the store path on random
stores and random query trees (hypothesis).

A document whose query fields have a type this model does not cover (e.g. a float
age, a list where a text is expected) makes :func:`build_snapshot` raise
:class:`SnapshotUnsupported`; the caller then uses the store path, so an
unexpected record can only cost speed, never correctness.

Opt-outs are *not* part of the snapshot: the caller passes the registry's
pseudonyms with every count, so an opt-out applies from the moment it is stored.
"""

from __future__ import annotations

import bisect
import time
from array import array
from dataclasses import dataclass, field
from typing import Any, Iterable

import numpy as np

from node.query.compiler import DATE_PATH, PSEUDONYM_PATH, _month_end_exclusive, _month_start
from node.query.engine import ExactCounts, cells_per_patient_bound
from node.query.fields import FIELDS, breakdown_domain
from node.query.spec import And, Compare, CountQuery, Not, Or
from node.store.node_store import DOCUMENTS, NodeStore

ABSENT, NULL = -1, -2  # codes of an enum column for "field not in the document" and "field is null"
_STATE_ABSENT, _STATE_NULL, _STATE_VALUE = 0, 1, 2
_MISSING = object()


class SnapshotUnsupported(ValueError):
    """A stored value has a type the snapshot does not model; count on the store instead."""


def _sub(path: str) -> str:
    return path.split(".", 1)[1]


@dataclass
class EnumColumn:
    """One text value per document, as codes into ``values``."""

    values: list[str]
    codes: np.ndarray  # int32, ABSENT / NULL / index into values
    index: dict[str, int] = field(default_factory=dict)

    def code(self, value: str) -> int | None:
        return self.index.get(value)

    def mask_eq(self, value: str) -> np.ndarray:
        code = self.code(value)
        return np.zeros(len(self.codes), bool) if code is None else self.codes == code

    def mask_in(self, values: Iterable[str]) -> np.ndarray:
        codes = [c for c in (self.code(v) for v in values) if c is not None]
        return np.isin(self.codes, np.array(codes, np.int32)) if codes else np.zeros(len(self.codes), bool)

    def mask_exists(self) -> np.ndarray:
        return self.codes != ABSENT

    def domain_index(self, domain: tuple[str, ...]) -> np.ndarray:
        """Per document: the index of its value in ``domain``, or -1 (absent, null and unknown values: cell "None")."""
        where = {v: i for i, v in enumerate(domain)}
        lookup = np.array([-1, -1] + [where.get(v, -1) for v in self.values], np.int64)
        return lookup[self.codes + 2]


@dataclass
class ListColumn:
    """A list of texts per document (terms, tokens), with its inverted index."""

    values: list[str]
    rows_of: list[np.ndarray]  # per value: sorted document rows holding it
    ptr: np.ndarray  # CSR: the values of document i are codes[ptr[i]:ptr[i+1]]
    codes: np.ndarray
    index: dict[str, int] = field(default_factory=dict)

    def mask_has(self, value: str, n: int) -> np.ndarray:
        mask = np.zeros(n, bool)
        code = self.index.get(value)
        if code is not None:
            mask[self.rows_of[code]] = True
        return mask


@dataclass
class QuerySnapshot:
    """The query fields of every document of a store, column by column."""

    n_docs: int
    patients: list[str]  # row -> str(pseudonym)
    patient: np.ndarray  # per document: row into patients
    pseudonym_is_text: np.ndarray  # only text pseudonyms can be excluded by the opt-out $nin
    date_rank: np.ndarray  # per document: rank of str(date or "") among the distinct date texts
    date_texts: list[str]  # sorted distinct date texts
    date_is_text: np.ndarray
    age: np.ndarray
    age_state: np.ndarray
    enums: dict[str, EnumColumn]  # by field name
    lists: dict[str, ListColumn]  # by field name ("term", "text")
    version: Any = None  # the store fingerprint this snapshot was built from
    build_seconds: float = 0.0

    # ----------------------------------------------------------------- conditions
    def _compare(self, cmp: Compare) -> np.ndarray:
        spec = FIELDS[cmp.field]
        n = self.n_docs
        if spec.kind == "text":
            col = self.lists[cmp.field]
            mask = np.ones(n, bool)
            for word in str(cmp.value).split(" "):
                mask &= col.mask_has(word, n)
            return mask
        if spec.kind == "term":
            col = self.lists[cmp.field]
            values = cmp.value if isinstance(cmp.value, list) else [cmp.value]
            mask = np.zeros(n, bool)
            for v in values:
                mask |= col.mask_has(str(v), n)
            return mask
        if spec.kind == "month":
            if cmp.op == "gte":
                return self.date_is_text & (self.date_rank >= self._date_pos(_month_start(str(cmp.value))))
            if cmp.op == "lt":
                return self.date_is_text & (self.date_rank < self._date_pos(_month_start(str(cmp.value))))
            low, high = cmp.value  # type: ignore[misc]
            return (self.date_is_text & (self.date_rank >= self._date_pos(_month_start(low)))
                    & (self.date_rank < self._date_pos(_month_end_exclusive(high))))
        if spec.kind == "int":
            return self._compare_int(cmp)
        col = self.enums[cmp.field]
        if cmp.op == "eq":
            return col.mask_eq(str(cmp.value))
        if cmp.op == "in":
            return col.mask_in(str(v) for v in cmp.value)  # type: ignore[union-attr]
        if cmp.op == "ne":  # compiled as {$exists: true, $ne: v}: null matches, absent does not
            return col.mask_exists() & ~col.mask_eq(str(cmp.value))
        raise ValueError(f"operator {cmp.op!r} on {cmp.field!r}")  # pragma: no cover (the spec forbids it)

    def _date_pos(self, text: str) -> int:
        """Rank threshold: ``date >= text`` iff ``rank >= pos`` (ranks are positions in sorted texts)."""
        return bisect.bisect_left(self.date_texts, text)

    def _compare_int(self, cmp: Compare) -> np.ndarray:
        is_int = self.age_state == _STATE_VALUE
        a = self.age
        if cmp.op == "between":
            low, high = cmp.value  # type: ignore[misc]
            return is_int & (a >= int(low)) & (a <= int(high))
        v = int(cmp.value)  # type: ignore[arg-type]
        if cmp.op == "ne":
            return (self.age_state != _STATE_ABSENT) & ~(is_int & (a == v))
        op = {"eq": np.equal, "gt": np.greater, "gte": np.greater_equal, "lt": np.less, "lte": np.less_equal}[cmp.op]
        return is_int & op(a, v)

    def match(self, cond: Any) -> np.ndarray:
        """The documents matching a condition tree (``None``: every document)."""
        if cond is None:
            return np.ones(self.n_docs, bool)
        if isinstance(cond, And):
            mask = np.ones(self.n_docs, bool)
            for c in cond.all_of:
                mask &= self.match(c)
            return mask
        if isinstance(cond, Or):
            mask = np.zeros(self.n_docs, bool)
            for c in cond.any_of:
                mask |= self.match(c)
            return mask
        if isinstance(cond, Not):
            return ~self.match(cond.negated)
        if isinstance(cond, Compare):
            return self._compare(cond)
        raise TypeError(f"not a condition: {type(cond).__name__}")  # pragma: no cover

    def _not_excluded(self, excluded: Iterable[str] | None) -> np.ndarray:
        keep = np.ones(self.n_docs, bool)
        if excluded:
            row_of = {p: i for i, p in enumerate(self.patients)}
            rows = [row_of[p] for p in set(excluded) if p in row_of]
            if rows:
                keep = ~(np.isin(self.patient, np.array(rows, np.int64)) & self.pseudonym_is_text)
        return keep

    # ----------------------------------------------------------------- counting
    def _cell_pairs(self, docs: np.ndarray, query: CountQuery) -> tuple[np.ndarray, np.ndarray]:
        """(document, cell index) for each matching document and each public cell it falls in."""
        pair_doc, pair_cell = docs, np.zeros(len(docs), np.int64)
        for name in query.by:
            domain = breakdown_domain(name)
            if name in self.lists:  # term: one pair per element in the domain
                col = self.lists[name]
                lookup = np.array([{v: i for i, v in enumerate(domain)}.get(v, -1) for v in col.values] or [-1],
                                  np.int64)
                starts, ends = col.ptr[pair_doc], col.ptr[pair_doc + 1]
                lengths = ends - starts
                rep = np.repeat(np.arange(len(pair_doc)), lengths)
                offsets = np.arange(lengths.sum()) - np.repeat(np.cumsum(lengths) - lengths, lengths)
                comp = lookup[col.codes[starts[rep] + offsets]] if len(rep) else np.zeros(0, np.int64)
                pair_doc, pair_cell = pair_doc[rep], pair_cell[rep]
            else:
                comp = self.enums[name].domain_index(domain)[pair_doc]
            keep = comp >= 0
            pair_doc, pair_cell = pair_doc[keep], pair_cell[keep] * len(domain) + comp[keep]
        return pair_doc, pair_cell

    def count(self, query: CountQuery, *, excluded: Iterable[str] | None = None,
              max_cells_per_patient: int = 2) -> ExactCounts:
        """Exact distinct-patient counts, as :func:`node.query.engine.count_patients` gives them."""
        cells = tuple(query.cells())
        docs = np.flatnonzero(self.match(query.where) & self._not_excluded(excluded))
        total = int(np.unique(self.patient[docs]).size)
        if not cells:
            return ExactCounts(total=total, cells=cells, values=())
        bound = cells_per_patient_bound(query, max_cells_per_patient)
        pair_doc, pair_cell = self._cell_pairs(docs, query)
        n_cells = len(cells)
        # one group per (patient, cell) with its latest matching note date
        key = self.patient[pair_doc].astype(np.int64) * n_cells + pair_cell
        date = self.date_rank[pair_doc]
        order = np.lexsort((date, key))
        key, date = key[order], date[order]
        last = np.r_[key[1:] != key[:-1], True] if len(key) else np.zeros(0, bool)
        key, date = key[last], date[last]
        patient, cell = key // n_cells, key % n_cells
        # per patient: its `bound` cells with the latest dates (ties: the larger cell, as sorted() reverse does)
        cell_rank = np.empty(n_cells, np.int64)
        cell_rank[sorted(range(n_cells), key=lambda i: cells[i])] = np.arange(n_cells)
        order = np.lexsort((-cell_rank[cell], -date, patient))
        patient, cell = patient[order], cell[order]
        first = np.r_[True, patient[1:] != patient[:-1]] if len(patient) else np.zeros(0, bool)
        position = np.arange(len(patient)) - np.maximum.accumulate(np.where(first, np.arange(len(patient)), 0))
        values = np.bincount(cell[position < bound], minlength=n_cells)
        return ExactCounts(total=total, cells=cells, values=tuple(int(v) for v in values))


# --------------------------------------------------------------------- building
def _projection() -> dict[str, int]:
    return {"_id": 0, PSEUDONYM_PATH: 1, DATE_PATH: 1, **{spec.path: 1 for spec in FIELDS.values()}}


class _EnumBuilder:
    def __init__(self, name: str) -> None:
        self.name, self.values, self.index, self.codes = name, [], {}, array("i")

    def add(self, q: dict, key: str) -> None:
        if key not in q:
            self.codes.append(ABSENT)
            return
        value = q[key]
        if value is None:
            self.codes.append(NULL)
        elif isinstance(value, str):
            code = self.index.get(value)
            if code is None:
                code = self.index[value] = len(self.values)
                self.values.append(value)
            self.codes.append(code)
        else:
            raise SnapshotUnsupported(f"{self.name}: a stored value of type {type(value).__name__}")

    def build(self) -> EnumColumn:
        return EnumColumn(self.values, np.frombuffer(self.codes, np.int32).copy(), self.index)


class _ListBuilder:
    def __init__(self, name: str) -> None:
        self.name, self.values, self.index = name, [], {}
        self.codes, self.ptr, self.kinds = array("i"), array("q", [0]), []

    def add(self, q: dict, key: str) -> None:
        value = q.get(key)
        if isinstance(value, list):
            for item in value:
                if not isinstance(item, str):
                    raise SnapshotUnsupported(f"{self.name}: a list element of type {type(item).__name__}")
                code = self.index.get(item)
                if code is None:
                    code = self.index[item] = len(self.values)
                    self.values.append(item)
                self.codes.append(code)
        elif value is not None:  # absent and null match no element and fall in cell "None"
            raise SnapshotUnsupported(f"{self.name}: a stored value of type {type(value).__name__}")
        self.ptr.append(len(self.codes))

    def build(self) -> ListColumn:
        codes = np.frombuffer(self.codes, np.int32).copy() if len(self.codes) else np.zeros(0, np.int32)
        ptr = np.frombuffer(self.ptr, np.int64).copy()
        rows = np.repeat(np.arange(len(ptr) - 1, dtype=np.int32), np.diff(ptr))  # 4 + 4 bytes per word occurrence
        order = np.argsort(codes, kind="stable")
        bounds = np.searchsorted(codes[order], np.arange(len(self.values) + 1))
        rows_of = [np.unique(rows[order[bounds[i]:bounds[i + 1]]]) for i in range(len(self.values))]
        return ListColumn(self.values, rows_of, ptr, codes, self.index)


def snapshot_from_records(records: Iterable[dict], version: Any = None) -> QuerySnapshot:
    """Build a snapshot from ``documents`` records (as ``find`` returns them with :func:`_projection`).

    Raises
    ------
    SnapshotUnsupported
        A value has a type the snapshot does not model (count on the store instead).
    """
    started = time.perf_counter()
    enum_fields = [name for name, spec in FIELDS.items() if spec.kind in ("enum", "site")]
    enums = {name: _EnumBuilder(name) for name in enum_fields}
    lists = {name: _ListBuilder(name) for name, spec in FIELDS.items() if spec.kind in ("term", "text")}
    age_path, date_key, pseudo_key = _sub(FIELDS["age"].path), _sub(DATE_PATH), _sub(PSEUDONYM_PATH)
    keys = {name: _sub(FIELDS[name].path) for name in [*enum_fields, *lists]}
    patients: list[str] = []
    patient_row: dict[str, int] = {}
    patient, pseudo_text, age, age_state, dates, date_text = (array("i"), array("b"), array("q"), array("b"), [],
                                                              array("b"))
    for doc in records:
        q = doc.get("query", {})
        if not isinstance(q, dict):
            raise SnapshotUnsupported(f"'query' of type {type(q).__name__}")
        raw = q.get(pseudo_key)
        if raw is not None and not isinstance(raw, str):
            raise SnapshotUnsupported(f"a pseudonym of type {type(raw).__name__}")
        key = str(raw)
        row = patient_row.get(key)
        if row is None:
            row = patient_row[key] = len(patients)
            patients.append(key)
        patient.append(row)
        pseudo_text.append(isinstance(raw, str))
        a = q.get(age_path, _MISSING)
        if a is _MISSING or a is None:
            age.append(0)
            age_state.append(_STATE_ABSENT if a is _MISSING else _STATE_NULL)
        elif isinstance(a, int) and not isinstance(a, bool) and -2**62 < a < 2**62:
            age.append(a)
            age_state.append(_STATE_VALUE)
        else:
            raise SnapshotUnsupported(f"an age of type {type(a).__name__}")
        d = q.get(date_key)
        if d is not None and not isinstance(d, str):
            raise SnapshotUnsupported(f"a note date of type {type(d).__name__}")
        dates.append(d or "")
        date_text.append(isinstance(d, str))
        for name, builder in enums.items():
            builder.add(q, keys[name])
        for name, builder in lists.items():
            builder.add(q, keys[name])
    date_texts, date_rank = np.unique(np.array(dates, dtype=object), return_inverse=True) if dates else ([], [])
    n = len(patient)
    return QuerySnapshot(
        n_docs=n, patients=patients, patient=np.frombuffer(patient, np.int32).astype(np.int64),
        pseudonym_is_text=np.frombuffer(pseudo_text, np.int8).astype(bool),
        date_rank=np.asarray(date_rank, np.int64).reshape(n), date_texts=[str(t) for t in date_texts],
        date_is_text=np.frombuffer(date_text, np.int8).astype(bool),
        age=np.frombuffer(age, np.int64).copy(), age_state=np.frombuffer(age_state, np.int8).copy(),
        enums={name: b.build() for name, b in enums.items()}, lists={name: b.build() for name, b in lists.items()},
        version=version, build_seconds=time.perf_counter() - started)



def build_snapshot(store: NodeStore, version: Any = None, records: Iterable[dict] | None = None) -> QuerySnapshot:
    """Read the query fields of every document of ``store`` into a snapshot.

    ``version`` is the store fingerprint read *before* the documents (see
    :mod:`node.query.freshness`): a write that lands during the read changes the
    fingerprint, so the next count rebuilds. ``records``: the documents when the
    caller has a faster way to read them (the embedded file); default ``find``.
    """
    if records is None:
        records = store.collection(DOCUMENTS).find({}, _projection())
    return snapshot_from_records(records, version)
