"""The model on the wire: all trainable tensors as one flat array, a round's message in a few objects.

Flower 1.41 sends each array of an ``ArrayRecord`` as its own content-addressed objects (the
array, its chunks), and every object is one HTTP request at each hop: ServerApp → SuperLink →
SuperNode → node worker. The head's 21 tensors made a training message of 53 objects; on
loopback each request cost 20-40 ms at the busy SuperLink, so pushing the global model took
~1 s and each node needed as long again to pull it, for 6 MB. Packed into one array the same
parameters are a handful of objects.

Both sides know the shapes from the run's ``ModelConfig`` (:func:`shapes_for`), so nothing but
the values travels. The coordinator packs what it sends (initial parameters, aggregates: FedAvg,
DP noise and SecAgg+ work element-wise, and clipping on the L2 norm, which a flat vector keeps)
and unpacks for evaluation and checkpoints; a node unpacks what it receives, trains, and packs
its update the same way. A node also accepts the parameters unpacked (then answers unpacked).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Sequence

import numpy as np

from fl_tasks.config import ModelConfig

Shapes = tuple[tuple[int, ...], ...]


@lru_cache(maxsize=8)
def shapes_for(cfg: ModelConfig) -> Shapes:
    """The shapes of the trainable tensors of the head ``cfg`` builds, in wire order."""
    from fl_tasks.model import build_head, get_arrays

    return tuple(tuple(a.shape) for a in get_arrays(build_head(cfg)))


def pack(arrays: Sequence[np.ndarray]) -> list[np.ndarray]:
    """All arrays as one flat array (their common dtype), in order."""
    return [np.concatenate([np.asarray(a).ravel() for a in arrays])]


def as_model_dtype(arrays: Sequence[np.ndarray]) -> list[np.ndarray]:
    """Floating-point arrays as float32 (the dtype of the head's tensors, :func:`fl_tasks.model.get_arrays`);
    any other array as it is."""
    return [a.astype(np.float32) if a.dtype.kind == "f" and a.dtype != np.float32 else a for a in map(np.asarray, arrays)]


def is_packed(arrays: Sequence[np.ndarray], shapes: Shapes) -> bool:
    """Whether ``arrays`` is :func:`pack`'s output for ``shapes`` (one flat array of their total size)."""
    total = sum(int(np.prod(s)) for s in shapes)
    if len(arrays) != 1 or np.ndim(arrays[0]) != 1 or np.size(arrays[0]) != total:
        return False
    return len(shapes) != 1 or tuple(shapes[0]) != np.shape(arrays[0])  # one 1-D tensor: packed is unpacked


def unpack(arrays: Sequence[np.ndarray], shapes: Shapes) -> list[np.ndarray]:
    """Undo :func:`pack`; arrays that are not packed for ``shapes`` are returned as they are."""
    if not is_packed(arrays, shapes):
        return list(arrays)
    flat, out, start = np.asarray(arrays[0]), [], 0
    for shape in shapes:
        size = int(np.prod(shape))
        out.append(flat[start:start + size].reshape(shape))
        start += size
    return out
