"""Frozen-trunk features, computed once per image/text and cached on disk by content hash.

Training only runs the trainable top of the model, so each image's trunk activations and
each text's sentence embedding are computed once (the expensive part: seconds per 32
images on CPU) and stored as ``<cache_dir>/<model cache key>/{image,text}/<hh>/<sha256>.npy``.
A re-run, another round or another experiment on the same data reads them back.

A :class:`FeatureSet` is what training and evaluation consume: the stacked features of a
list of pairs plus their label indices - no text, no identifiers.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np
import torch

from fl_tasks.config import ModelConfig
from fl_tasks.data import MODALITIES, REGIONS, Pair, text_fields
from fl_tasks.preprocess import to_tensor_input


@dataclass
class FeatureSet:
    """Cached trunk features of N pairs (row i of every array belongs to pair i).

    ``text`` is (N, F, 384): one sentence embedding per text field (report header, caption);
    ``text_mask`` (N, F) marks present fields. ``modality``/``region`` are label indices into
    MODALITIES/REGIONS (-1 = unknown). ``group`` is an integer per patient/case (equal = same
    patient) for held-out splits; the pseudonyms themselves are not kept.
    """

    image: np.ndarray
    text: np.ndarray
    text_mask: np.ndarray
    modality: np.ndarray
    region: np.ndarray
    group: np.ndarray

    def __len__(self) -> int:
        return int(self.image.shape[0])

    def subset(self, idx: np.ndarray) -> "FeatureSet":
        return FeatureSet(self.image[idx], self.text[idx], self.text_mask[idx], self.modality[idx],
                          self.region[idx], self.group[idx])

    def save(self, path: Path) -> Path:
        """Write atomically as one ``.npz`` (a crash leaves the old file or none)."""
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".tmp.npz")
        np.savez(tmp, image=self.image, text=self.text, text_mask=self.text_mask, modality=self.modality,
                 region=self.region, group=self.group)
        tmp.replace(path)
        return path

    @classmethod
    def load(cls, path: Path) -> "FeatureSet":
        with np.load(path) as z:
            return cls(z["image"], z["text"], z["text_mask"], z["modality"], z["region"], z["group"])

    @classmethod
    def concat(cls, parts: Sequence["FeatureSet"]) -> "FeatureSet":
        offset, groups = 0, []
        for p in parts:  # keep the groups of different parts apart
            groups.append(p.group + offset)
            offset += int(p.group.max(initial=-1)) + 1
        return cls(*(np.concatenate([getattr(p, f) for p in parts])
                     for f in ("image", "text", "text_mask", "modality", "region")), np.concatenate(groups))


def text_key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class Trunks:
    """The frozen trunks of both towers (loaded only when a cache miss needs them)."""

    def __init__(self, cfg: ModelConfig) -> None:
        from fl_tasks.towers import split_image_tower, text_trunk

        self.cfg = cfg
        self.image, _ = split_image_tower(cfg.image_size, 16 if cfg.full_finetune else cfg.image_trainable_blocks)
        self.image.eval()
        self.text, self.tokenizer = text_trunk()

    @torch.no_grad()
    def image_features(self, pixels: Sequence[np.ndarray]) -> np.ndarray:
        x = torch.from_numpy(np.stack([to_tensor_input(p, self.cfg.image_size) for p in pixels]))
        return (x if self.cfg.full_finetune else self.image(x)).numpy().astype(np.float16)

    @torch.no_grad()
    def text_features(self, texts: Sequence[str]) -> np.ndarray:
        tok = self.tokenizer(list(texts), padding=True, truncation=True, max_length=self.cfg.max_text_tokens,
                             return_tensors="pt")
        return self.text(tok["input_ids"], tok["attention_mask"]).numpy().astype(np.float32)


class FeatureCache:
    """On-disk cache of trunk features, one ``.npy`` per image/text, keyed by content hash."""

    def __init__(self, cache_dir: Path, cfg: ModelConfig, batch_size: int = 32, progress: bool = False) -> None:
        self.root = Path(cache_dir) / cfg.cache_key()
        self.cfg = cfg
        self.batch_size = batch_size
        self.progress = progress
        self._trunks: Trunks | None = None

    def _path(self, kind: str, key: str) -> Path:
        return self.root / kind / key[:2] / f"{key}.npy"

    def _trunk(self) -> Trunks:
        if self._trunks is None:
            self._trunks = Trunks(self.cfg)
        return self._trunks

    def _fill(self, kind: str, items: dict[str, object]) -> None:
        missing = [k for k in items if not self._path(kind, k).is_file()]
        if not missing:
            return
        from rich.progress import Progress

        with Progress(disable=not self.progress, transient=True) as bar:
            task = bar.add_task(f"caching {kind} features", total=len(missing))
            for i in range(0, len(missing), self.batch_size):
                keys = missing[i:i + self.batch_size]
                if kind == "image":
                    feats = self._trunk().image_features([items[k]() for k in keys])  # type: ignore[operator]
                else:
                    feats = self._trunk().text_features([items[k] for k in keys])  # type: ignore[misc]
                for k, f in zip(keys, feats):
                    path = self._path(kind, k)
                    path.parent.mkdir(parents=True, exist_ok=True)
                    tmp = path.with_name(path.name + ".tmp.npy")
                    np.save(tmp, np.asarray(f))
                    tmp.replace(path)  # atomic: a crash never leaves a half-written feature
                bar.advance(task, len(keys))

    def texts(self, texts: Sequence[str]) -> np.ndarray:
        """Sentence embeddings (N, 384) of these texts."""
        keys = [text_key(t) for t in texts]
        self._fill("text", dict(zip(keys, texts)))
        return np.stack([np.load(self._path("text", k)) for k in keys])

    def features(self, pairs: Iterable[Pair]) -> FeatureSet:
        """Features of these pairs, computing (and caching) what is not cached yet."""
        pairs = list(pairs)
        if not pairs:
            raise ValueError("no pairs to compute features for: is the source empty, or has everyone opted out?")
        self._fill("image", {p.image_key: p.pixels for p in pairs})
        image = np.stack([np.load(self._path("image", p.image_key)) for p in pairs])
        fields = [text_fields(p) for p in pairs]
        n_fields = len(fields[0])
        present = np.array([[bool(f) for f in row] for row in fields], dtype=np.int8)
        flat = [f for row in fields for f in row if f]
        emb = self.texts(flat) if flat else np.zeros((0, 384), np.float32)
        text = np.zeros((len(pairs), n_fields, emb.shape[1] if len(emb) else 384), dtype=np.float32)
        text[present.astype(bool)] = emb
        groups: dict[str, int] = {}
        return FeatureSet(
            image=image, text=text, text_mask=present,
            modality=np.array([_index(MODALITIES, p.labels.modality) for p in pairs], dtype=np.int8),
            region=np.array([_index(REGIONS, p.labels.region) for p in pairs], dtype=np.int8),
            group=np.array([groups.setdefault(p.group, len(groups)) for p in pairs], dtype=np.int32))


def _index(values: Sequence[str], value: str | None) -> int:
    return values.index(value) if value in values else -1
