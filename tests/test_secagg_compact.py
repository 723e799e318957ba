"""SecAgg+ masked vectors travel as uint32: the server's aggregate is bit-for-bit the int64 one."""

from __future__ import annotations

import numpy as np
import pytest
from flwr.common import bytes_to_ndarray, ndarray_to_bytes
from flwr.common.secure_aggregation.ndarrays_arithmetic import (parameters_addition, parameters_mod,
                                                                 parameters_subtraction)
from flwr.common.secure_aggregation.secaggplus_utils import pseudo_rand_gen

from fl_tasks.secagg_compact import compact_array, compactable

MOD = 2**32
SHAPES = [(7, 5), (3,), ()]


def _client_upload(seed: int, mask_seed: bytes) -> tuple[list[np.ndarray], list[np.ndarray], list[bytes]]:
    """What secaggplus_mod uploads (flwr 1.41 arithmetic): quantised values plus a mask, modulo 2**32, int64."""
    rng = np.random.default_rng(seed)
    quantised = [rng.integers(0, 2**28, size=s).astype(np.int64) for s in SHAPES]
    mask = pseudo_rand_gen(mask_seed, MOD, SHAPES)
    masked = parameters_mod(parameters_addition(quantised, mask), MOD)
    return quantised, mask, [ndarray_to_bytes(a) for a in masked]


def _server_sum(uploads: list[list[bytes]], masks: list[list[np.ndarray]]) -> list[np.ndarray]:
    """SecAggPlusWorkflow's collect + unmask arithmetic (flwr 1.41)."""
    total = None
    for blobs in uploads:
        vec = [bytes_to_ndarray(b) for b in blobs]
        total = vec if total is None else parameters_addition(total, vec)
    total = parameters_mod(total, MOD)
    for mask in masks:
        total = parameters_subtraction(total, mask)
    return parameters_mod(total, MOD)


def test_compacted_uploads_aggregate_to_exactly_the_int64_result():
    clients = [_client_upload(i, bytes([i + 1] * 32)) for i in range(3)]
    plain = _server_sum([c[2] for c in clients], [c[1] for c in clients])
    compact = _server_sum([[compact_array(b) for b in c[2]] for c in clients], [c[1] for c in clients])
    expected = [sum(c[0][i] for c in clients) % MOD for i in range(len(SHAPES))]
    for got_plain, got_compact, want in zip(plain, compact, expected):
        assert np.array_equal(got_plain, want) and np.array_equal(got_compact, want)
    assert {bytes_to_ndarray(compact_array(b)).dtype for b in clients[0][2]} == {np.dtype(np.uint32)}


def test_a_compacted_upload_is_half_the_bytes():
    big = ndarray_to_bytes(np.random.default_rng(0).integers(0, MOD, size=100_000, dtype=np.int64))
    small = compact_array(big)
    assert len(small) < 0.51 * len(big)
    assert np.array_equal(bytes_to_ndarray(small), bytes_to_ndarray(big))


@pytest.mark.parametrize("arr", [np.array([-1, 3], dtype=np.int64), np.array([MOD, 3], dtype=np.int64),
                                 np.array([0.5, 1.0]), np.array([1, 2], dtype=np.int32)])
def test_arrays_that_do_not_fit_or_are_not_int64_are_left_as_they_are(arr):
    blob = ndarray_to_bytes(arr)
    assert compact_array(blob) == blob


@pytest.mark.parametrize("mod_range, ok", [(2**32, True), (2**20, True), (2**33, False), (3 * 2**20, False),
                                           (0, False), ("4294967296", False)])
def test_only_power_of_two_modulus_ranges_up_to_2_32_are_compacted(mod_range, ok):
    assert compactable(mod_range) is ok
