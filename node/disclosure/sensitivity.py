"""The L1 sensitivity of a count release, derived from the query.

A release is the vector ``[total, cell_1, ..., cell_n]`` of distinct-patient
counts. Adding or removing one patient changes ``total`` by at most 1 and, per
:func:`node.query.engine.cells_per_patient_bound`, at most ``k`` cells by 1 each
(``k`` = 1 for a breakdown by patient-level fields such as sex, at most
``max_cells_per_patient`` for note-level fields, 0 without breakdown). So the
L1 sensitivity is ``1 + k``.
"""

from __future__ import annotations

from node.disclosure.consistency import TableShape
from node.query.engine import cells_per_patient_bound
from node.query.fields import FIELDS
from node.query.spec import CountQuery


def l1_sensitivity(query: CountQuery, max_cells_per_patient: int) -> int:
    """``1 + k``: the most one patient can change the released vector, in L1."""
    return 1 + cells_per_patient_bound(query, max_cells_per_patient)


def table_shape(query: CountQuery, max_cells_per_patient: int) -> TableShape:
    """The public constraints of the query's released table (see :mod:`node.disclosure.consistency`)."""
    return shape_with_bound(query, cells_per_patient_bound(query, max_cells_per_patient))


def shape_with_bound(query: CountQuery, per_patient: int) -> TableShape:
    """The table's constraints when a patient counts in at most ``per_patient`` cells.

    The coordinator uses this for the network total, with the largest bound of the
    answering nodes (each node's noise spec says its sensitivity, ``1 + bound``).
    """
    cells = len(query.cells())
    return TableShape(n_cells=cells, per_patient=max(1, int(per_patient)),
                      covered=cells > 0 and all(FIELDS[name].complete for name in query.by))
