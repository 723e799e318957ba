"""Zero-shot evaluation: modality and body-region classification from prompts, retrieval recall@k.

:class:`Evaluator` holds an evaluation set's cached features and the prompt features, so
calling it on a model after every round costs a fraction of a second.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

from fl_tasks.data import MODALITIES, REGIONS, PairSource
from fl_tasks.features import FeatureCache, FeatureSet
from fl_tasks.model import ClipHead
from fl_tasks.prompts import modality_prompts, region_prompts
from fl_tasks.train import embed, held_out_loss

RECALL_KS = (1, 5, 10)


@dataclass(frozen=True)
class EvalResult:
    """Zero-shot metrics on one evaluation set (fractions in [0, 1])."""

    modality_accuracy: float
    region_accuracy: float
    recall_at_1: float
    recall_at_5: float
    recall_at_10: float
    image_to_text_recall_at_5: float
    text_to_image_recall_at_5: float
    held_out_loss: float
    n_images: int

    def to_dict(self) -> dict[str, float]:
        return asdict(self)


@dataclass
class PromptSet:
    """Text-trunk features of every class's prompts, in class order."""

    classes: tuple[str, ...]
    text: np.ndarray  # (P, 384) sentence embeddings of the prompts
    owner: np.ndarray  # class index of each prompt row


def prompt_set(cache: FeatureCache, prompts: dict[str, list[str]]) -> PromptSet:
    classes = tuple(prompts)
    texts = [t for c in classes for t in prompts[c]]
    owner = np.array([i for i, c in enumerate(classes) for _ in prompts[c]])
    return PromptSet(classes, cache.texts(texts), owner)


@torch.no_grad()
def class_embeddings(head: ClipHead, prompts: PromptSet) -> torch.Tensor:
    """(n_classes, D) unit-norm mean of each class's prompt embeddings."""
    emb = head.encode_text(torch.from_numpy(prompts.text.astype(np.float32)))
    owner = torch.from_numpy(prompts.owner)
    means = torch.stack([emb[owner == i].mean(0) for i in range(len(prompts.classes))])
    return F.normalize(means, dim=-1)


def zero_shot_accuracy(image_emb: torch.Tensor, class_emb: torch.Tensor, labels: np.ndarray) -> float:
    known = labels >= 0
    if not known.any():
        return float("nan")
    pred = (image_emb @ class_emb.t()).argmax(1).numpy()
    return float((pred[known] == labels[known]).mean())


def recall_at_k(query: torch.Tensor, keys: torch.Tensor, k: int) -> float:
    """Fraction of queries whose own item (same row) is among the top-k keys."""
    sims = query @ keys.t()
    k = min(k, sims.shape[1])
    top = sims.topk(k, dim=1).indices
    return float((top == torch.arange(len(query))[:, None]).any(1).float().mean())


class Evaluator:
    """Zero-shot evaluation of a head on one evaluation set (features cached once)."""

    def __init__(self, feats: FeatureSet, modality: PromptSet, region: PromptSet) -> None:
        self.feats = feats
        self.modality = modality
        self.region = region

    @classmethod
    def from_source(cls, source: PairSource, cache: FeatureCache) -> "Evaluator":
        return cls(cache.features(source), prompt_set(cache, modality_prompts()), prompt_set(cache, region_prompts()))

    def __call__(self, head: ClipHead) -> EvalResult:
        image, text = embed(head, self.feats)
        i2t = {k: recall_at_k(image, text, k) for k in RECALL_KS}
        t2i = {k: recall_at_k(text, image, k) for k in RECALL_KS}
        mean = {k: 0.5 * (i2t[k] + t2i[k]) for k in RECALL_KS}
        return EvalResult(
            modality_accuracy=zero_shot_accuracy(image, class_embeddings(head, self.modality), self.feats.modality),
            region_accuracy=zero_shot_accuracy(image, class_embeddings(head, self.region), self.feats.region),
            recall_at_1=mean[1], recall_at_5=mean[5], recall_at_10=mean[10],
            image_to_text_recall_at_5=i2t[5], text_to_image_recall_at_5=t2i[5],
            held_out_loss=held_out_loss(head, self.feats), n_images=len(self.feats))


def evaluate_folder(data_dir: Path, checkpoint: Path, cache_dir: Path | None = None,
                    split: str | None = None) -> EvalResult:
    """Evaluate a saved checkpoint on a MedPix-layout folder (``fedcoord evaluate``)."""
    from fl_tasks.checkpoint import load_checkpoint
    from fl_tasks.data import MedPixFolderSource

    head, _meta = load_checkpoint(checkpoint)
    cache = FeatureCache(cache_dir or Path(checkpoint).parent / "cache", head.cfg)
    return Evaluator.from_source(MedPixFolderSource(data_dir, split=split), cache)(head)


__all__ = ["EvalResult", "Evaluator", "evaluate_folder", "MODALITIES", "REGIONS"]
