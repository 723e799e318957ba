"""Exact ε arithmetic: every ε the node accepts is a whole number of micro-ε.

The ledger counts in integers (micro-ε, 10⁻⁶ ε), so nothing can round away:
a request's ε must be a whole number of micro-ε (at most six decimal places)
and at least the node's ``[query] min_epsilon_per_query``; the noise is then
drawn for exactly that ε (:func:`node.disclosure.noise.make_count_mechanism`
checks OpenDP's privacy map against the same rational number) and the ledger
charges exactly that many micro-ε. A request for ``4e-7`` or ``1.49e-6`` is
refused, never rounded to 0 or down to ``1e-6``.

Budgets are rounded *down* to micro-ε (a budget of ``1.0000004`` allows
``1.0``): rounding may only ever cost the requester, never the patients.
"""

from __future__ import annotations

import math
from fractions import Fraction

MICRO = 1_000_000
_TOLERANCE = 1e-9  # in micro-ε: the float noise of a decimal such as 0.1 (100000.00000000001 micro-ε)


class EpsilonError(ValueError):
    """An ε is not positive and finite, not a whole number of micro-ε, or below the node's minimum."""


def epsilon_micro(epsilon: float, minimum: float = 0.0) -> int:
    """The exact micro-ε of a requested ε.

    Parameters
    ----------
    epsilon:
        The ε asked for (a decimal with at most six places, e.g. ``0.5`` or ``0.000125``).
    minimum:
        The smallest ε accepted (``[query] min_epsilon_per_query``).

    Raises
    ------
    EpsilonError
        If ``epsilon`` is not a positive finite number, has more than six decimal
        places (it cannot be charged exactly), or is below ``minimum``.
    """
    if isinstance(epsilon, bool) or not isinstance(epsilon, (int, float)) or not math.isfinite(epsilon) \
            or epsilon <= 0:
        raise EpsilonError(f"ε must be a positive number, got {epsilon!r}")
    scaled = float(epsilon) * MICRO
    micro = round(scaled)
    if micro < 1 or abs(scaled - micro) > max(_TOLERANCE, scaled * 1e-12):
        raise EpsilonError(f"ε {epsilon!r} is not a whole number of micro-ε (at most 6 decimal places): "
                           "it could not be charged exactly; round it, e.g. to "
                           f"{max(1, micro) / MICRO:.6f}")
    floor = budget_micro(minimum) if minimum > 0 else 0
    if micro < floor:
        raise EpsilonError(f"ε {epsilon!r} is below this node's minimum of {floor / MICRO:g} per query "
                           "([query] min_epsilon_per_query): ask with a larger ε")
    return micro


def budget_micro(budget: float) -> int:
    """A budget in whole micro-ε, rounded down (never up)."""
    if not math.isfinite(budget) or budget <= 0:
        return 0
    return math.floor(float(budget) * MICRO + _TOLERANCE)


def as_fraction(micro: int) -> Fraction:
    """The exact rational value of ``micro`` micro-ε."""
    return Fraction(int(micro), MICRO)


def as_float(micro: int) -> float:
    return int(micro) / MICRO
