"""The coordinator's half of the secure sum: add masked vectors, remove dropped nodes' masks."""

from __future__ import annotations

from typing import Mapping, Sequence

from node.query.masking import MODULUS, to_signed


class SecureSumError(RuntimeError):
    """The total cannot be recovered (too few nodes answered or unmasked)."""


def unmask_total(masked: Mapping[str, Sequence[int]], revealed: Mapping[str, Sequence[int]] | None = None) -> list[int]:
    """``Σ masked_i − Σ revealed_i`` mod 2^64, decoded to signed integers.

    Parameters
    ----------
    masked:
        Site -> masked vector, for every node that answered.
    revealed:
        Site -> that survivor's signed masks with the dropped nodes (empty when none dropped).
    """
    if not masked:
        raise SecureSumError("no node answered")
    lengths = {len(v) for v in masked.values()}
    if len(lengths) != 1:
        raise SecureSumError(f"nodes answered vectors of different lengths {sorted(lengths)}")
    n = lengths.pop()
    total = [0] * n
    for vector in masked.values():
        total = [(t + int(v)) % MODULUS for t, v in zip(total, vector)]
    for vector in (revealed or {}).values():
        total = [(t - int(v)) % MODULUS for t, v in zip(total, vector)]
    return [to_signed(t) for t in total]
