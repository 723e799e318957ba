"""Small-cell suppression: a released count below the threshold is shown as ``"<T"``.

Applied to *noisy* counts (post-processing, so it costs no privacy budget), after
the noisy value was clamped at 0. The threshold is set per node
(``[query] min_cell_count``, default 10).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Cell:
    """One released count: ``value`` is ``None`` when suppressed; ``display`` is what people see."""

    value: int | None
    threshold: int

    @property
    def suppressed(self) -> bool:
        return self.value is None

    @property
    def display(self) -> str:
        return f"<{self.threshold}" if self.value is None else str(self.value)

    def to_json(self) -> int | str:
        return self.display if self.value is None else self.value


def suppress(noisy: int, threshold: int) -> Cell:
    """Clamp at 0, then hide values under ``threshold``."""
    value = max(0, int(noisy))
    return Cell(None if value < threshold else value, threshold)
