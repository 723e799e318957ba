"""Checkpoints of the trainable head: config + trainable tensors + metadata, one ``.pt`` file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import torch

from fl_tasks.config import ModelConfig
from fl_tasks.model import ClipHead, build_head, get_arrays, set_arrays


def save_checkpoint(path: Path, head: ClipHead | None, meta: dict[str, Any],
                    arrays: list[np.ndarray] | None = None, cfg: ModelConfig | None = None) -> Path:
    """Write atomically; pass a head, or ``arrays`` + ``cfg`` (the aggregated global parameters)."""
    if head is not None:
        arrays, cfg = get_arrays(head), head.cfg
    assert arrays is not None and cfg is not None
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    torch.save({"format": "fednet-clip-head/1", "model_config": cfg.model_dump(),
                "arrays": [torch.from_numpy(np.asarray(a, dtype=np.float32)) for a in arrays], "meta": meta}, tmp)
    tmp.replace(path)
    return path


def load_checkpoint(path: Path) -> tuple[ClipHead, dict[str, Any]]:
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no such checkpoint; the demo writes runs/demo/training/global_final.pt")
    data = torch.load(path, map_location="cpu", weights_only=True)
    if data.get("format") != "fednet-clip-head/1":
        raise ValueError(f"{path}: not a fednet CLIP checkpoint (format {data.get('format')!r})")
    head = build_head(ModelConfig(**data["model_config"]))
    set_arrays(head, [t.numpy() for t in data["arrays"]])
    return head, data.get("meta", {})
