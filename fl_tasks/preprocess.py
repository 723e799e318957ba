"""Pixels -> the image tower's input tensor (fit, pad to a square, 3 channels, ImageNet norm)."""

from __future__ import annotations

import numpy as np

from fl_tasks.towers import IMAGENET_MEAN, IMAGENET_STD

_MEAN = np.asarray(IMAGENET_MEAN, dtype=np.float32)[:, None, None]
_STD = np.asarray(IMAGENET_STD, dtype=np.float32)[:, None, None]


def to_tensor_input(pixels: np.ndarray, size: int) -> np.ndarray:
    """Grayscale (H,W) uint8 -> (3,size,size) float32, aspect kept, black padding, centred."""
    from PIL import Image

    if pixels.ndim == 3:  # RGB(A) -> gray
        pixels = pixels[..., :3].mean(axis=-1).astype(np.uint8)
    if pixels.ndim != 2 or min(pixels.shape) == 0:
        raise ValueError(f"expected a 2-D grayscale image, got shape {pixels.shape}")
    h, w = pixels.shape
    scale = size / max(h, w)
    im = Image.fromarray(pixels).resize((max(1, round(w * scale)), max(1, round(h * scale))), Image.BILINEAR)
    canvas = Image.new("L", (size, size), 0)
    canvas.paste(im, ((size - im.size[0]) // 2, (size - im.size[1]) // 2))
    a = np.asarray(canvas, dtype=np.float32) / 255.0
    return (np.repeat(a[None], 3, axis=0) - _MEAN) / _STD
