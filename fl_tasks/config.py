"""Typed configuration of a training run (model shape, optimisation, federation, privacy).

One place for every knob; the CLI, the demo, the benchmark and the Flower apps all build a
:class:`TrainConfig` and pass it along (the Flower apps receive it as a flat run config,
see :meth:`TrainConfig.to_run_config`).
"""

from __future__ import annotations

import hashlib
import json
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

# EfficientNet-Lite0 has 16 MBConv blocks (0..15) followed by a 1x1 head convolution.
N_IMAGE_BLOCKS = 16


class ModelConfig(BaseModel):
    """Shape of the CLIP-style model and which parts of it train.

    The frozen *trunk* of each tower runs once per image/caption and its output is cached
    (see :mod:`fl_tasks.features`); only the *top* (the last ``image_trainable_blocks``
    MBConv blocks + head conv, a residual text adapter, both projections and the
    temperature) trains and travels between nodes and coordinator. ``full_finetune`` trains
    the whole image tower from pixels (slow on CPU); the text transformer stays frozen.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    # 224 px (EfficientNet's own input size) and the last two blocks: on the MedPix dev split
    # 128 px / one block reached ~91 % modality, ~70 % region; 224 px / two blocks ~95 % / ~75 %
    # (docs/training.md, "Choosing the defaults").
    image_size: int = Field(default=224, ge=64, le=512, description="square input side in pixels")
    image_trainable_blocks: int = Field(default=2, ge=0, le=N_IMAGE_BLOCKS)
    embed_dim: int = Field(default=256, ge=8)
    max_text_tokens: int = Field(default=96, ge=8, le=256)
    init_temperature: float = Field(default=0.07, gt=0)
    full_finetune: bool = Field(default=False, description="train the whole image tower from pixels (slow)")

    def cache_key(self) -> str:
        """What the cached trunk features depend on (not the trainable part)."""
        trunk = {"image_size": self.image_size, "image_cut": N_IMAGE_BLOCKS - self.image_trainable_blocks,
                 "max_text_tokens": self.max_text_tokens, "full": self.full_finetune,
                 "weights": "efficientnet-lite0-57934424+all-MiniLM-L6-v2"}
        return hashlib.sha256(json.dumps(trunk, sort_keys=True).encode()).hexdigest()[:16]


class OptimConfig(BaseModel):
    """Local optimisation on one node (or on the pooled data for the centralized baseline)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    local_epochs: int = Field(default=1, ge=1)
    batch_size: int = Field(default=64, ge=2)
    lr: float = Field(default=2e-4, gt=0, description="AdamW learning rate (5e-4 overfit the adapted blocks within 2 epochs)")
    weight_decay: float = Field(default=1e-4, ge=0)
    caption_dropout: float = Field(default=0.5, ge=0, le=1,
                                   description="chance that a pair trains on its report header alone")
    fedprox_mu: float = Field(default=0.0, ge=0, description="FedProx proximal term; 0 = plain FedAvg")
    seed: int = 0


class PrivacyConfig(BaseModel):
    """Secure aggregation and optional client-level differential privacy."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    secagg: bool = True
    secagg_clipping_range: float = Field(default=32.0, gt=0, description="|parameter| bound before quantisation")
    secagg_quantization_range: int = Field(default=2**28, gt=0, le=2**29,
                                           description="integer levels; 3 nodes' sum must stay below 2**32")
    secagg_max_weight: int = Field(default=1000, gt=0, description="a node's example count is capped at this weight "
                                   "(SecAgg+ quantises count/max_weight * parameters: larger = coarser)")
    dp: bool = False
    dp_noise_multiplier: float = Field(default=0.5, ge=0)
    dp_clipping_norm: float = Field(default=1.0, gt=0, description="L2 bound of one node's update per round")
    dp_delta: float = Field(default=1e-5, gt=0, lt=1)


class TrainConfig(BaseModel):
    """Everything a run needs, in one object."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    model: ModelConfig = ModelConfig()
    optim: OptimConfig = OptimConfig()
    privacy: PrivacyConfig = PrivacyConfig()
    rounds: int = Field(default=4, ge=1)
    strategy: Literal["fedavg", "fedprox"] = "fedavg"

    def to_run_config(self) -> dict[str, Any]:
        """Flat string-keyed form for Flower's run config (values: str/int/float/bool)."""
        return {"fednet-train-config": self.model_dump_json()}

    @classmethod
    def from_run_config(cls, run_config: dict[str, Any]) -> "TrainConfig":
        raw = run_config.get("fednet-train-config")
        if raw is None:
            raise KeyError("run config carries no 'fednet-train-config': start the run through fl_tasks")
        return cls.model_validate_json(str(raw))
