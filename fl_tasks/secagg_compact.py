"""Send SecAgg+ masked vectors as 32-bit integers instead of 64-bit ones: half the upload.

Flower's ``secaggplus_mod`` (flwr 1.41) masks the quantised update modulo ``modulus_range``
and uploads every array as ``int64``, although each value is below ``modulus_range``, which
Flower requires to be a power of two no larger than 2**32. At the test configuration that is
11.7 MB per node per round of which half is zero bytes, moved three times (worker, SuperNode,
SuperLink) before the ServerApp reads it.

:func:`compact_masked_vectors_mod` sits outside ``secaggplus_mod`` and rewrites the masked
arrays of the reply as ``uint32``. The server side (``SecAggPlusWorkflow``) needs no change:
it sums the arrays (a ``uint32`` sum wraps at 2**32, which is the same as the sum modulo any
``modulus_range`` that divides 2**32), subtracts the ``int64`` masks (NumPy promotes) and takes
the result modulo ``modulus_range``. The aggregate is bit-for-bit the one of the 64-bit upload
(``tests/test_secagg_compact.py``). Nothing else in the message changes; arrays that are not
integers in ``[0, 2**32)``, or a ``modulus_range`` that is not a power of two up to 2**32,
are left as they are.
"""

from __future__ import annotations

import numpy as np
from flwr.app import Context, Message
from flwr.app.message_type import MessageType
from flwr.common import bytes_to_ndarray, ndarray_to_bytes
from flwr.common.secure_aggregation.secaggplus_constants import RECORD_KEY_CONFIGS, RECORD_KEY_STATE, Key

UINT32_RANGE = 2**32


def compactable(mod_range: object) -> bool:
    """Whether masked values modulo ``mod_range`` survive a ``uint32`` sum exactly."""
    return isinstance(mod_range, int) and 0 < mod_range <= UINT32_RANGE and mod_range & (mod_range - 1) == 0


def compact_array(blob: bytes) -> bytes:
    """One serialised masked array as ``uint32`` when all its values fit, else unchanged."""
    arr = bytes_to_ndarray(blob)
    if arr.dtype.kind not in "iu" or arr.dtype.itemsize <= 4:
        return blob
    if arr.size and (int(arr.min()) < 0 or int(arr.max()) >= UINT32_RANGE):
        return blob
    return ndarray_to_bytes(arr.astype(np.uint32))


def compact_masked_vectors_mod(msg: Message, context: Context, call_next) -> Message:
    """Flower mod: the reply's SecAgg+ masked vectors as ``uint32`` (put it outside ``secaggplus_mod``)."""
    out = call_next(msg, context)
    if msg.metadata.message_type != MessageType.TRAIN or out.has_error():
        return out
    configs = out.content.config_records.get(RECORD_KEY_CONFIGS)
    state = context.state.config_records.get(RECORD_KEY_STATE)
    if configs is None or Key.MASKED_PARAMETERS not in configs or state is None:
        return out
    if not compactable(state.get("mod_range")):
        return out
    masked = configs[Key.MASKED_PARAMETERS]
    if isinstance(masked, list) and all(isinstance(b, bytes) for b in masked):
        configs[Key.MASKED_PARAMETERS] = [compact_array(b) for b in masked]
    return out


__all__ = ["compact_masked_vectors_mod", "compact_array", "compactable"]
