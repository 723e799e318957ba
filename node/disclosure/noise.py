"""ε-differentially-private noise on integer counts, from OpenDP.

We use OpenDP's ``make_laplace`` over integers, which samples the *discrete*
Laplace (two-sided geometric) distribution exactly (no floating-point
attacks) from OpenSSL's ``RAND_bytes`` (the PyPI wheel is built with
``use-openssl``; ``tests/test_disclosure.py`` checks the symbol is linked). OpenDP
also proves the privacy map: for a vector with L1 sensitivity ``Δ`` and scale
``b`` the release is ``Δ/b``-DP; :func:`make_count_mechanism` checks that
``map(Δ) <= ε`` before any sampling.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
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


def make_count_mechanism(epsilon: float, sensitivity: int):
    """An OpenDP measurement adding discrete Laplace noise to an integer vector.

    Parameters
    ----------
    epsilon:
        Privacy loss of one release (> 0).
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
    scale = sensitivity / epsilon
    meas = dp.m.make_laplace(dp.vector_domain(dp.atom_domain(T=int)), dp.l1_distance(T=int), scale=scale)
    cost = meas.map(sensitivity)
    if cost > epsilon * (1 + 1e-9):
        raise ValueError(f"OpenDP says this release costs ε={cost}, more than the {epsilon} allowed")
    return meas, NoiseSpec("discrete_laplace", epsilon, sensitivity, scale)


def noisy_counts(values: Sequence[int], epsilon: float, sensitivity: int) -> tuple[list[int], NoiseSpec]:
    """Add discrete Laplace noise to exact counts (a fresh secure draw per call)."""
    meas, spec = make_count_mechanism(epsilon, sensitivity)
    return [int(v) for v in meas([int(v) for v in values])], spec
