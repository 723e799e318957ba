"""The L1 sensitivity of a count release, derived from the query.

A release is the vector ``[total, cell_1, ..., cell_n]`` of distinct-patient
counts. Adding or removing one patient changes ``total`` by at most 1 and, per
:func:`node.query.engine.cells_per_patient_bound`, at most ``k`` cells by 1 each
(``k`` = 1 for a breakdown by patient-level fields such as sex, at most
``max_cells_per_patient`` for note-level fields, 0 without breakdown). So the
L1 sensitivity is ``1 + k``.
"""

from __future__ import annotations

from node.query.engine import cells_per_patient_bound
from node.query.spec import CountQuery


def l1_sensitivity(query: CountQuery, max_cells_per_patient: int) -> int:
    """``1 + k``: the most one patient can change the released vector, in L1."""
    return 1 + cells_per_patient_bound(query, max_cells_per_patient)
