"""Local training of the trainable head on cached features (one node, or the pooled baseline)."""

from __future__ import annotations

import os

import time
from dataclasses import dataclass

import numpy as np
import torch

from fl_tasks.config import OptimConfig
from fl_tasks.features import FeatureSet
from fl_tasks.loss import clip_loss
from fl_tasks.model import ClipHead


class NonFiniteTraining(FloatingPointError):
    """Local training produced a NaN/inf loss or parameter: the update must not be used."""


@dataclass(frozen=True)
class TrainStats:
    """What one local training run reports (numbers only: this travels to the coordinator)."""

    loss: float
    steps: int
    examples: int
    seconds: float


def _batch(feats: FeatureSet, idx: np.ndarray) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    return (torch.from_numpy(feats.image[idx].astype(np.float32)), torch.from_numpy(feats.text[idx]),
            torch.from_numpy(feats.text_mask[idx].astype(np.float32)))


def batches(n: int, batch_size: int, rng: np.random.Generator) -> list[np.ndarray]:
    """Shuffled index batches; a last batch of fewer than 2 examples is dropped (no contrast)."""
    order = rng.permutation(n)
    out = [order[i:i + batch_size] for i in range(0, n, batch_size)]
    return [b for b in out if len(b) >= 2]


def align_torch_threads() -> None:
    """Never run torch with more threads than OpenMP allows (``OMP_THREAD_LIMIT``).

    With the limit below ``torch.get_num_threads()``, torch's CPU kernels leave work undone and
    training turns NaN within a few steps (reproduced with ``OMP_THREAD_LIMIT=1 fedcoord train``).
    """
    limit = os.environ.get("OMP_THREAD_LIMIT", "")
    if limit.isdigit() and 0 < int(limit) < torch.get_num_threads():
        torch.set_num_threads(int(limit))


def local_train(head: ClipHead, feats: FeatureSet, optim: OptimConfig, epochs: int | None = None,
                proximal_to: list[torch.Tensor] | None = None, round_seed: int = 0) -> TrainStats:
    """Train ``head`` in place on ``feats`` for ``epochs`` (default ``optim.local_epochs``).

    ``proximal_to`` (FedProx): the global parameters received this round; adds
    ``mu/2 * ||w - w_global||^2`` with ``mu = optim.fedprox_mu``.

    Raises
    ------
    NonFiniteTraining
        A step's loss, or a parameter after a step, is NaN or infinite. No step is taken on
        a non-finite loss, but ``head`` may already hold the earlier steps: discard it.
    """
    align_torch_threads()
    epochs = optim.local_epochs if epochs is None else epochs
    torch.manual_seed(optim.seed + round_seed)
    rng = np.random.default_rng(optim.seed + round_seed)
    params = [p for p in head.parameters() if p.requires_grad]
    opt = torch.optim.AdamW(params, lr=optim.lr, weight_decay=optim.weight_decay)
    head.train(True)
    start, losses, steps = time.perf_counter(), [], 0
    for _ in range(epochs):
        for idx in batches(len(feats), optim.batch_size, rng):
            image, text, mask = _batch(feats, idx)
            if optim.caption_dropout > 0 and mask.shape[1] > 1:
                drop = torch.rand(len(idx)) < optim.caption_dropout
                mask = mask.clone()
                mask[drop, 1:] = 0
            loss = clip_loss(head.encode_image(image), head.encode_text(text, mask), head.scale())
            if proximal_to is not None and optim.fedprox_mu > 0:
                loss = loss + 0.5 * optim.fedprox_mu * sum(((p - g) ** 2).sum() for p, g in zip(params, proximal_to))
            value = float(loss.detach())
            if not np.isfinite(value):
                raise NonFiniteTraining(f"non-finite loss ({value}) at step {steps + 1} of local training")
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            head.clamp_logit_scale_()  # CLIP: the temperature stays in [1, 100]
            if not all(torch.isfinite(p).all() for p in params):
                raise NonFiniteTraining(f"non-finite parameter after step {steps + 1} of local training")
            losses.append(value)
            steps += 1
    head.train(False)
    return TrainStats(loss=float(np.mean(losses)) if losses else float("nan"), steps=steps,
                      examples=len(feats), seconds=time.perf_counter() - start)


@torch.no_grad()
def embed(head: ClipHead, feats: FeatureSet, batch_size: int = 256) -> tuple[torch.Tensor, torch.Tensor]:
    """Unit-norm image and text embeddings of every row of ``feats`` (eval mode)."""
    head.train(False)
    imgs, txts = [], []
    for i in range(0, len(feats), batch_size):
        idx = np.arange(i, min(i + batch_size, len(feats)))
        image, text, mask = _batch(feats, idx)
        imgs.append(head.encode_image(image))
        txts.append(head.encode_text(text, mask))
    return torch.cat(imgs), torch.cat(txts)


@torch.no_grad()
def held_out_loss(head: ClipHead, feats: FeatureSet, batch_size: int = 64) -> float:
    """Contrastive loss on held data, in fixed (unshuffled) batches: comparable across rounds."""
    image, text = embed(head, feats)
    losses, weights = [], []
    for i in range(0, len(feats), batch_size):
        sl = slice(i, min(i + batch_size, len(feats)))
        if sl.stop - sl.start < 2:
            continue
        losses.append(float(clip_loss(image[sl], text[sl], head.scale())))
        weights.append(sl.stop - sl.start)
    return float(np.average(losses, weights=weights))
