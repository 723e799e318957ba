"""ε-differentially-private noise on integer counts, from OpenDP.

We use OpenDP's ``make_laplace`` over integers, which samples the *discrete*
Laplace (two-sided geometric) distribution exactly (no floating-point
attacks) from OpenSSL's ``RAND_bytes`` (the PyPI wheel is built with
``use-openssl``; ``tests/test_disclosure.py`` checks the symbol is linked). OpenDP
also proves the privacy map: for a vector with L1 sensitivity ``Δ`` and scale
``b`` the release is ``Δ/b``-DP; :func:`make_count_mechanism` checks that
``map(Δ) <= ε`` *exactly* (as rational numbers, after nudging the scale up past
any floating-point rounding) before any sampling, so the ε the ledger charges
(:mod:`node.disclosure.epsilon`) is never less than what the release costs.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Sequence

import opendp.prelude as dp

dp.enable_features("contrib")


@dataclass(frozen=True)
class NoiseSpec:
    """How a release was noised: mechanism, ε, L1 sensitivity and the Laplace scale ``b = Δ/ε``."""

    mechanism: str
    epsilon: float
    sensitivity: int
    scale: float

    @property
    def std(self) -> float:
        """Standard deviation of one noisy value (discrete Laplace ≈ ``b·√2``)."""
        return self.scale * math.sqrt(2.0)

    def to_dict(self) -> dict:
        return {"mechanism": self.mechanism, "epsilon": self.epsilon, "sensitivity": self.sensitivity,
                "scale": self.scale}


def make_count_mechanism(epsilon: float | Fraction, sensitivity: int):
    """An OpenDP measurement adding discrete Laplace noise to an integer vector.

    Parameters
    ----------
    epsilon:
        Privacy loss of one release (> 0); a ``Fraction`` is honoured exactly.
    sensitivity:
        L1 sensitivity of the vector (how much one patient can change it in total).

    Returns
    -------
    tuple
        ``(measurement, NoiseSpec)``.

    Raises
    ------
    ValueError
        If ``epsilon`` or ``sensitivity`` is not positive, or OpenDP's map
        says the release would cost more than ``epsilon``.
    """
    if not (epsilon > 0 and math.isfinite(epsilon)):
        raise ValueError(f"epsilon must be a positive number, got {epsilon!r}")
    if sensitivity < 1:
        raise ValueError(f"sensitivity must be at least 1, got {sensitivity}")
    exact = Fraction(epsilon)
    scale = float(Fraction(sensitivity) / exact)
    domain, metric = dp.vector_domain(dp.atom_domain(T=int)), dp.l1_distance(T=int)
    for _ in range(64):  # float rounding can leave map(Δ) a few ulps above ε: widen the scale until it is not
        meas = dp.m.make_laplace(domain, metric, scale=scale)
        cost = meas.map(sensitivity)
        if Fraction(cost) <= exact:
            return meas, NoiseSpec("discrete_laplace", float(exact), sensitivity, scale)
        scale = math.nextafter(scale, math.inf)
    raise ValueError(f"OpenDP says this release costs ε={cost}, more than the {float(exact)} allowed")


def noisy_counts(values: Sequence[int], epsilon: float | Fraction, sensitivity: int) -> tuple[list[int], NoiseSpec]:
    """Add discrete Laplace noise to exact counts (a fresh secure draw per call)."""
    meas, spec = make_count_mechanism(epsilon, sensitivity)
    return [int(v) for v in meas([int(v) for v in values])], spec
