"""A small PNG of the de-identified pixels (what a browsing UI shows)."""

from __future__ import annotations

import io

from PIL import Image


def thumbnail_png(image: Image.Image, max_side: int = 128) -> tuple[bytes, int, int]:
    """PNG bytes of ``image`` shrunk to fit ``max_side`` (aspect kept), and its size."""
    thumb = image.convert("L") if image.mode not in ("L", "RGB") else image.copy()
    thumb.thumbnail((max_side, max_side), Image.LANCZOS)
    buf = io.BytesIO()
    thumb.save(buf, format="PNG")
    return buf.getvalue(), thumb.width, thumb.height
