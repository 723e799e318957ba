"""The CLIP-style model's trainable part: tower tops, projections and the temperature.

:class:`ClipHead` maps cached trunk features (see :mod:`fl_tasks.features`) to unit-norm
embeddings in a shared space. Its trainable tensors, in a fixed order, are what a node
sends and the coordinator aggregates (:func:`get_arrays` / :func:`set_arrays`). The
temperature travels as ``logit_scale``, a 1-element tensor (SecAgg+ corrupts 0-d arrays).
BatchNorm layers keep their pretrained running statistics (always eval mode), so only
parameters - never buffers - change and need averaging.
"""

from __future__ import annotations

import copy
import math
from functools import lru_cache

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from fl_tasks.config import N_IMAGE_BLOCKS, ModelConfig
from fl_tasks.towers import IMAGE_FEATURE_DIM, TEXT_FEATURE_DIM, ImageTop

MAX_LOGIT_SCALE = math.log(100.0)


class TextAdapter(nn.Module):
    """Residual MLP on the (frozen) sentence embedding: x + W2 gelu(W1 x)."""

    def __init__(self, dim: int, hidden: int = 512) -> None:
        super().__init__()
        self.up = nn.Linear(dim, hidden)
        self.down = nn.Linear(hidden, dim)
        nn.init.zeros_(self.down.weight)
        nn.init.zeros_(self.down.bias)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x + self.down(F.gelu(self.up(x)))


class ClipHead(nn.Module):
    """Trainable top of the CLIP-style model (image top + text adapter + projections + temperature).

    A text is one or more fields (report header, caption), each a frozen sentence embedding;
    its embedding is the normalised sum of the projected, adapted fields.
    """

    def __init__(self, cfg: ModelConfig, image_top: ImageTop) -> None:
        super().__init__()
        self.cfg = cfg
        self.image_top = image_top
        self.text_adapter = TextAdapter(TEXT_FEATURE_DIM)
        self.image_proj = nn.Linear(IMAGE_FEATURE_DIM, cfg.embed_dim)
        self.text_proj = nn.Linear(TEXT_FEATURE_DIM, cfg.embed_dim)
        self.logit_scale = nn.Parameter(torch.full((1,), math.log(1.0 / cfg.init_temperature)))

    def train(self, mode: bool = True) -> "ClipHead":
        super().train(mode)
        for m in self.modules():  # keep pretrained BN statistics: nothing but parameters changes
            if isinstance(m, nn.modules.batchnorm._BatchNorm):
                m.eval()
        return self

    def encode_image(self, feats: torch.Tensor) -> torch.Tensor:
        return F.normalize(self.image_proj(self.image_top(feats.float())), dim=-1)

    def encode_text(self, feats: torch.Tensor, mask: torch.Tensor | None = None) -> torch.Tensor:
        """(B, F, 384) field embeddings + (B, F) presence mask -> (B, D); (B, 384) = one field."""
        x = feats.float()
        if x.ndim == 2:
            x = x[:, None]
        z = self.text_proj(self.text_adapter(x))
        if mask is not None:
            z = z * mask[..., None].to(z.dtype)
        return F.normalize(z.sum(1), dim=-1)

    def scale(self) -> torch.Tensor:
        return self.logit_scale.clamp(max=MAX_LOGIT_SCALE).exp()

    @torch.no_grad()
    def clamp_logit_scale_(self) -> None:
        """Keep the temperature in CLIP's range, in place: ``0 <= logit_scale <= log(100)``.

        As in CLIP, the parameter itself is clamped (after every optimiser step and whenever
        parameters are loaded), so it can never drift where its gradient is cut off.
        """
        self.logit_scale.clamp_(0.0, MAX_LOGIT_SCALE)


def trainable_names(model: ClipHead) -> list[str]:
    return [name for name, p in model.named_parameters() if p.requires_grad]


def get_arrays(model: ClipHead) -> list[np.ndarray]:
    """The trainable tensors as float32 NumPy arrays, in a fixed order (the wire format)."""
    return [p.detach().cpu().numpy().astype(np.float32, copy=True) for p in model.parameters() if p.requires_grad]


def set_arrays(model: ClipHead, arrays: list[np.ndarray]) -> None:
    params = [p for p in model.parameters() if p.requires_grad]
    if len(params) != len(arrays):
        raise ValueError(f"expected {len(params)} arrays for this model configuration, got {len(arrays)}: "
                         "node and coordinator must run the same TrainConfig.model")
    with torch.no_grad():
        for p, a in zip(params, arrays):
            if tuple(p.shape) != tuple(np.shape(a)):
                raise ValueError(f"array shape {np.shape(a)} does not fit parameter of shape {tuple(p.shape)}")
            p.copy_(torch.as_tensor(np.asarray(a), dtype=p.dtype))
    model.clamp_logit_scale_()


def non_finite(arrays: list[np.ndarray]) -> list[int]:
    """Indices of the arrays that hold a NaN or an infinity (empty: all finite)."""
    return [i for i, a in enumerate(arrays) if not np.isfinite(np.asarray(a)).all()]


@lru_cache(maxsize=4)
def _initial_state(cfg: ModelConfig) -> tuple[ImageTop, dict[str, torch.Tensor]]:
    """Pretrained image top + the initial head state for a config; cached per process."""
    from fl_tasks.towers import split_image_tower

    _, image_top = split_image_tower(cfg.image_size, N_IMAGE_BLOCKS if cfg.full_finetune else cfg.image_trainable_blocks)
    torch.manual_seed(0)  # the same initial projections on every node and at the coordinator
    head = ClipHead(cfg, image_top)
    return image_top, {k: v.clone() for k, v in head.state_dict().items()}


def build_head(cfg: ModelConfig) -> ClipHead:
    """A fresh :class:`ClipHead` for ``cfg`` (pretrained image top, deterministic projections)."""
    image_top, state = _initial_state(cfg)
    head = ClipHead(cfg, copy.deepcopy(image_top))
    head.load_state_dict(state)
    return head.train(False)


def n_trainable(head: ClipHead) -> int:
    return sum(p.numel() for p in head.parameters() if p.requires_grad)
