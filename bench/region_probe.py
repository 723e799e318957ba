"""Benchmark: how far can the trainable image tower go on body region, given the labels directly?

The supervised upper bound behind the zero-shot body-region figure: the same trainable part of
the image tower as the CLIP model (the last ``--trainable-blocks`` EfficientNet-Lite0 blocks on
cached activations) plus one linear layer, trained with cross-entropy on the MedPix 2.0 train
split's five location categories - no text, no prompts - and scored on the dev split after every
epoch. If this bound sits below a zero-shot target, the target needs a stronger image tower, not
better prompts or more federated rounds. Prints train/dev accuracy per epoch and the dev
confusion pairs.

    .venv/bin/python bench/region_probe.py [--image-size 224] [--trainable-blocks 2] [--epochs 8]
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from fl_tasks.config import ModelConfig  # noqa: E402
from fl_tasks.data import REGIONS, MedPixFolderSource  # noqa: E402
from fl_tasks.demo import default_medpix_dir  # noqa: E402
from fl_tasks.features import FeatureCache, FeatureSet  # noqa: E402
from fl_tasks.model import build_head  # noqa: E402


def predict(top: torch.nn.Module, clf: torch.nn.Linear, feats: FeatureSet) -> np.ndarray:
    with torch.no_grad():
        return torch.cat([clf(top(torch.from_numpy(feats.image[i:i + 256].astype(np.float32)))).argmax(1)
                          for i in range(0, len(feats), 256)]).numpy()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--image-size", type=int, default=ModelConfig().image_size)
    ap.add_argument("--trainable-blocks", type=int, default=ModelConfig().image_trainable_blocks)
    ap.add_argument("--epochs", type=int, default=8)
    ap.add_argument("--lr", type=float, default=2e-4)
    ap.add_argument("--cache", default="runs/bench/cache")
    ap.add_argument("--data", default=None)
    args = ap.parse_args()

    medpix = Path(args.data) if args.data else default_medpix_dir()
    cfg = ModelConfig(image_size=args.image_size, image_trainable_blocks=args.trainable_blocks)
    cache = FeatureCache(Path(args.cache), cfg, progress=True)
    train = cache.features(MedPixFolderSource(medpix, split="train"))
    dev = cache.features(MedPixFolderSource(medpix, split="dev"))
    train = train.subset(np.flatnonzero(train.region >= 0))
    dev = dev.subset(np.flatnonzero(dev.region >= 0))
    head = build_head(cfg)
    top, clf = head.image_top, torch.nn.Linear(1280, len(REGIONS))
    params = [p for p in top.parameters() if p.requires_grad] + list(clf.parameters())
    opt = torch.optim.AdamW(params, lr=args.lr, weight_decay=1e-4)
    torch.manual_seed(0)
    rng = np.random.default_rng(0)
    print(f"supervised region probe: {args.image_size} px, last {args.trainable_blocks} block(s); "
          f"train {len(train)}, dev {len(dev)} images")
    for epoch in range(1, args.epochs + 1):
        head.train(True)  # BatchNorm statistics stay pretrained (ClipHead.train)
        order = rng.permutation(len(train))
        for i in range(0, len(order), 64):
            b = order[i:i + 64]
            x = torch.from_numpy(train.image[b].astype(np.float32))
            loss = F.cross_entropy(clf(top(x)), torch.from_numpy(train.region[b].astype(np.int64)))
            opt.zero_grad()
            loss.backward()
            opt.step()
        head.train(False)
        pred = predict(top, clf, dev)
        print(f"epoch {epoch}: train {100 * (predict(top, clf, train) == train.region).mean():5.1f} %  "
              f"dev {100 * (pred == dev.region).mean():5.1f} %", flush=True)
    wrong = Counter((REGIONS[t], REGIONS[p]) for t, p in zip(dev.region, pred) if t != p)
    print("\ndev errors (label -> predicted): " + "; ".join(f"{a} -> {b}: {n}" for (a, b), n in wrong.most_common()))


if __name__ == "__main__":
    main()
