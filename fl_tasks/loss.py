"""Symmetric InfoNCE (CLIP) loss with a learnable temperature, aware of duplicate texts."""

from __future__ import annotations

import torch
import torch.nn.functional as F


def clip_loss(image_emb: torch.Tensor, text_emb: torch.Tensor, scale: torch.Tensor) -> torch.Tensor:
    """Mean of image->text and text->image cross-entropy over the in-batch similarity matrix.

    Both embeddings are unit-norm (B, D); ``scale`` is exp(logit_scale), a 1-element tensor.
    Texts that are identical within the batch (e.g. the same report header, or the same short
    caption) are all positives of each other's images: the target spreads evenly over them
    instead of calling a true match a negative.
    """
    logits = scale * image_emb @ text_emb.t()
    with torch.no_grad():
        same = (text_emb @ text_emb.t()) > 1.0 - 1e-6
        same |= torch.eye(len(text_emb), dtype=torch.bool, device=text_emb.device)
        target = same.float() / same.sum(1, keepdim=True)
    return 0.5 * (F.cross_entropy(logits, target) + F.cross_entropy(logits.t(), target))
