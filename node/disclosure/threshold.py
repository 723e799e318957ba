"""Small-cell suppression: a released count below the threshold is shown as ``"<T"``.

Applied to *noisy*, consistent counts (post-processing, so it costs no privacy
budget), after :func:`node.disclosure.consistency.make_consistent` made them
non-negative and coherent. The threshold is set per node (``[query]
min_cell_count``, default 10).

**Secondary suppression.** A hidden cell must not be recoverable from the visible
ones of the same table. Where the cells partition the total (``total ==
sum(cells)``, e.g. a count by sex), one hidden cell next to a visible total would be
``total - sum(visible)``; so a second cell (the smallest visible one) is hidden
too, and only the sum of two or more hidden cells can be worked out.
Across sites (:func:`protect_grid`, a per-site table with a network column) the
same rule holds per row: one hidden site next to a visible network total would be
about ``network - sum(other sites)``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Mapping, Sequence

from node.disclosure.consistency import TableShape


@dataclass(frozen=True)
class Cell:
    """One released count: ``value`` is ``None`` when suppressed; ``display`` is what people see.

    ``adjusted`` says the consistency post-processing changed the noisy value.
    """

    value: int | None
    threshold: int
    adjusted: bool = False

    @property
    def suppressed(self) -> bool:
        return self.value is None

    @property
    def display(self) -> str:
        return f"<{self.threshold}" if self.value is None else str(self.value)

    def to_json(self) -> int | str:
        return self.display if self.value is None else self.value

    def hidden(self) -> Cell:
        return replace(self, value=None)


def suppress(noisy: int, threshold: int) -> Cell:
    """Clamp at 0, then hide values under ``threshold``."""
    value = max(0, int(noisy))
    return Cell(None if value < threshold else value, threshold)


def cell_from_json(value: int | str, threshold: int) -> Cell:
    """A cell as a node released it (an integer, or ``"<T"`` when suppressed)."""
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise ValueError(f"a released cell is an integer or '<T', got {value!r}")
    return Cell(value if isinstance(value, int) else None, threshold)


def _secondary(cells: list[Cell], shape: TableShape) -> list[Cell]:
    """Within one table: never exactly one hidden cell under a visible total of a partition."""
    if not shape.partition or cells[0].suppressed:
        return cells
    hidden = [i for i in range(1, len(cells)) if cells[i].suppressed]
    if len(hidden) != 1:
        return cells
    visible = [i for i in range(1, len(cells)) if not cells[i].suppressed]
    out = list(cells)
    if visible:
        smallest = min(visible, key=lambda i: (cells[i].value, i))
        out[smallest] = cells[smallest].hidden()
    else:
        out[0] = cells[0].hidden()
    return out


def suppress_table(values: Sequence[int], threshold: int, shape: TableShape,
                   noisy: Sequence[int] | None = None) -> list[Cell]:
    """Primary and secondary suppression of one consistent table ``[total, cells...]``.

    Parameters
    ----------
    values:
        The consistent table (:func:`~node.disclosure.consistency.make_consistent`).
    threshold:
        Counts below it are hidden.
    shape:
        The table's constraints (which decide secondary suppression).
    noisy:
        The noisy values before post-processing, to mark the cells it changed.
    """
    cells = [Cell(None if int(v) < threshold else int(v), threshold,
                  adjusted=noisy is not None and int(noisy[i]) != int(v)) for i, v in enumerate(values)]
    return _secondary(cells, shape)


def protect_grid(columns: Mapping[str, list[Cell]], network: list[Cell] | None,
                 shape: TableShape) -> tuple[dict[str, list[Cell]], list[Cell] | None]:
    """Secondary suppression across the per-site columns of one result and its network column.

    A row (one cell of the breakdown, or the total) with exactly one hidden site cell
    and a visible network value loses one more site cell (the smallest visible one in
    that row), or the network value when no other site cell is visible. Each column is
    then re-checked with the within-table rule, until nothing changes.
    """
    cols = {site: list(cells) for site, cells in columns.items()}
    net = list(network) if network is not None else None
    if not cols:
        return cols, net
    rows = len(next(iter(cols.values())))
    for _ in range(rows * (len(cols) + 1) + 1):  # each pass hides at least one cell or stops
        changed = False
        if net is not None:
            for r in range(rows):
                hidden = [s for s in cols if cols[s][r].suppressed]
                if net[r].suppressed or len(hidden) != 1:
                    continue
                visible = [s for s in cols if not cols[s][r].suppressed]
                if visible:
                    site = min(visible, key=lambda s: (cols[s][r].value, s))
                    cols[site][r] = cols[site][r].hidden()
                else:
                    net[r] = net[r].hidden()
                changed = True
        for site in cols:
            fixed = _secondary(cols[site], shape)
            if fixed != cols[site]:
                cols[site], changed = fixed, True
        if net is not None:
            fixed = _secondary(net, shape)
            if fixed != net:
                net, changed = fixed, True
        if not changed:
            break
    return cols, net
