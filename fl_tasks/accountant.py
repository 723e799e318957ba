"""Privacy accounting for client-level DP-FedAvg (fixed clipping + Gaussian noise).

Every round, every node's update is clipped to L2 norm ``C`` and Gaussian noise of standard
deviation ``noise_multiplier * C / n`` is added to the average of the ``n`` updates (Flower's
``DifferentialPrivacyClientSideFixedClipping``). All nodes take part in every round, so there
is no sampling amplification: each round is a Gaussian mechanism with noise multiplier
``z``, whose Renyi DP at order ``a`` is ``a / (2 z^2)`` (Mironov 2017); ``T`` rounds compose
additively, and the conversion to (epsilon, delta) uses Balle et al. 2020 (Thm. 21):
``eps = rdp + log((a-1)/a) - (log(delta) + log(a)) / (a-1)``, minimised over orders.

Flower's own ``RdpAccountant`` needs Google's ``dp-accounting`` package, which pins an
older ``attrs`` than this project's lock; for this no-sampling case the closed form above is
exact, so no extra dependency.
"""

from __future__ import annotations

import math

ORDERS = tuple([1.0 + x / 10.0 for x in range(1, 100)] + list(range(12, 64)) + [128.0, 256.0, 512.0])


def gaussian_epsilon(noise_multiplier: float, rounds: int, delta: float) -> float:
    """(epsilon, delta)-DP guarantee of ``rounds`` Gaussian releases with this noise multiplier."""
    if rounds <= 0:
        return 0.0
    if noise_multiplier <= 0:
        return math.inf
    best = math.inf
    for a in ORDERS:
        rdp = rounds * a / (2.0 * noise_multiplier ** 2)
        eps = rdp + math.log((a - 1) / a) - (math.log(delta) + math.log(a)) / (a - 1)
        best = min(best, eps)
    return max(best, 0.0)
