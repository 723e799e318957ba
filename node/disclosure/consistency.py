"""Make a released table consistent by post-processing its noisy values (free in privacy terms).

Independent noise on ``[total, cell_1, ..., cell_n]`` can give a table no data
could produce: a negative count, or "total 10" above "female 18". What any true
table of distinct-patient counts satisfies (its :class:`TableShape`):

1. every value is ``>= 0``;
2. every cell ``<= total`` (a cell counts a subset of the total's patients);
3. ``sum(cells) <= k * total``: a patient counts in at most ``k`` cells (the
   contribution bound of :func:`node.query.engine.cells_per_patient_bound`);
4. ``sum(cells) >= total`` when every patient falls in some cell (the breakdown
   fields always hold a value of their public domain: ``sex``, ``note_type``).

With ``k = 1`` and (4), the cells partition the total: ``total == sum(cells)``.

:func:`make_consistent` returns the integer table satisfying 1-4 that is closest
(least squares, then a rounding that keeps 1-4) to the noisy one. It only reads
the noisy values and the public shape, never the data, so by the
post-processing property of differential privacy it costs no ε.

How: for a fixed total ``t`` the best cells are ``clip(C - λ, 0, t)`` with one
scalar ``λ`` that brings their sum into ``[lo(t), hi(t)]`` (found exactly: the
sum is piecewise linear in ``λ``); the remaining objective in ``t`` is convex, so
a ternary search over whole totals finds the best one.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Sequence

import numpy as np


@dataclass(frozen=True)
class TableShape:
    """The public structure of a released vector ``[total, cells...]``.

    Attributes
    ----------
    n_cells:
        Number of cells after the total (0: a plain count).
    per_patient:
        ``k``: the most cells one patient counts in (>= 1 when there are cells).
    covered:
        Whether every counted patient falls in at least one cell.
    """

    n_cells: int
    per_patient: int = 1
    covered: bool = False

    @property
    def partition(self) -> bool:
        """Whether the cells must add up to the total exactly."""
        return self.n_cells > 0 and self.per_patient == 1 and self.covered

    def bounds(self, total: float) -> tuple[float, float]:
        """``(lo, hi)`` of ``sum(cells)`` for a given total."""
        return (total if self.covered else 0.0), self.per_patient * total

    def violations(self, vector: Sequence[int]) -> list[str]:
        """What is inconsistent in ``vector`` (empty: it could be a true table)."""
        total, cells = vector[0], list(vector[1:])
        out = [f"value {i} is negative ({v})" for i, v in enumerate(vector) if v < 0]
        out += [f"cell {i + 1} ({c}) is above the total ({total})" for i, c in enumerate(cells) if c > total]
        if cells:
            lo, hi = self.bounds(total)
            if sum(cells) > hi:
                out.append(f"the cells add up to {sum(cells)}, more than {self.per_patient} x total ({total})")
            if sum(cells) < lo:
                out.append(f"the cells add up to {sum(cells)}, less than the total ({total})")
        return out


def _clipped_sum(sorted_cells: np.ndarray, prefix: np.ndarray, total: float, lams: np.ndarray) -> np.ndarray:
    """``sum(clip(cells - lam, 0, total))`` for each ``lam`` (cells sorted, with their prefix sums): O(log n) each."""
    top = np.searchsorted(sorted_cells, lams + total, side="left")  # cells at the upper clamp from here on
    low = np.searchsorted(sorted_cells, lams, side="right")  # cells above 0 from here on
    return total * (len(sorted_cells) - top) + (prefix[top] - prefix[low]) - lams * (top - low)


def _cells_for(total: float, noisy: np.ndarray, shape: TableShape) -> np.ndarray:
    """The best real cells in ``[0, total]`` whose sum lies in ``shape.bounds(total)`` (exact, no iteration)."""
    lo, hi = shape.bounds(total)
    cells = np.clip(noisy, 0.0, total)
    s = cells.sum()
    if lo - 1e-9 <= s <= hi + 1e-9:
        return cells
    target = hi if s > hi else lo
    # sum(clip(noisy - lam, 0, total)) is non-increasing and piecewise linear in lam, with its corners at
    # noisy - total and noisy: find the segment holding the target, then interpolate
    ordered = np.sort(noisy)
    prefix = np.concatenate([[0.0], np.cumsum(ordered)])
    corners = np.unique(np.concatenate([noisy - total, noisy]))
    values = _clipped_sum(ordered, prefix, total, corners)
    j = int(np.searchsorted(-values, -target, side="left"))  # first corner whose value is <= target
    if j == 0:
        lam = float(corners[0])
    elif j >= len(corners):
        lam = float(corners[-1])
    else:
        (a, va), (b, vb) = (corners[j - 1], values[j - 1]), (corners[j], values[j])
        lam = float(a + (va - target) * (b - a) / (va - vb)) if va != vb else float(a)
    return np.clip(noisy - lam, 0.0, total)


def _objective(total: float, noisy_total: float, noisy: np.ndarray, shape: TableShape) -> float:
    cells = _cells_for(total, noisy, shape)
    return (total - noisy_total) ** 2 + float(((cells - noisy) ** 2).sum())


def _round(total: int, real: np.ndarray, shape: TableShape) -> np.ndarray:
    """Integer cells near ``real`` that keep every constraint for the integer ``total``."""
    cells = np.clip(np.rint(real), 0, total).astype(np.int64)
    lo, hi = shape.bounds(total)
    lo, hi = int(math.ceil(lo)), int(math.floor(hi))
    while cells.sum() > hi:  # take from the cells rounded up the most (and still positive)
        excess = int(cells.sum() - hi)
        order = [i for i in np.argsort(real - cells, kind="stable") if cells[i] > 0][:excess]
        cells[order] -= 1
    while cells.sum() < lo:  # give to the cells rounded down the most (and still below the total)
        missing = int(lo - cells.sum())
        order = [i for i in np.argsort(cells - real, kind="stable") if cells[i] < total][:missing]
        cells[order] += 1
    return cells


def make_consistent(noisy: Sequence[int], shape: TableShape) -> list[int]:
    """The consistent integer table nearest to ``noisy`` (see the module docstring).

    Parameters
    ----------
    noisy:
        ``[total, cell_1, ..., cell_n]`` as released with noise.
    shape:
        The public constraints of this table.

    Returns
    -------
    list of int
        A table with no :meth:`TableShape.violations`; a consistent input comes back unchanged.
    """
    values = [int(v) for v in noisy]
    if len(values) != shape.n_cells + 1:
        raise ValueError(f"a table of {shape.n_cells} cells has {shape.n_cells + 1} values, got {len(values)}")
    if not shape.violations(values):
        return values
    noisy_total, cells = float(values[0]), np.asarray(values[1:], dtype=float)
    if shape.n_cells == 0:
        return [max(0, values[0])]
    # the objective is convex in the total: a ternary search over whole totals finds its integer minimum
    lo, hi = 0, int(max(noisy_total, float(cells.max()), float(np.clip(cells, 0, None).sum()))) + 1
    cost = {}

    def f(t: int) -> float:
        if t not in cost:
            cost[t] = _objective(float(t), noisy_total, cells, shape)
        return cost[t]

    while hi - lo > 2:
        m1, m2 = lo + (hi - lo) // 3, hi - (hi - lo) // 3
        if f(m1) < f(m2):
            hi = m2
        elif f(m1) > f(m2):
            lo = m1
        else:
            lo, hi = m1, m2
    best_total = min(range(lo, hi + 1), key=f)
    # rounding the cells can cost a little: also try the neighbouring totals
    candidates = {max(0, best_total - 1), best_total, best_total + 1}
    best = None
    for total in sorted(candidates):
        real = _cells_for(float(total), cells, shape)
        out = _round(total, real, shape)
        err = (total - noisy_total) ** 2 + float(((out - cells) ** 2).sum())
        if best is None or err < best[0]:
            best = (err, [total, *(int(v) for v in out)])
    assert best is not None
    return best[1]
