"""Train the PHI tagger (reproducible command; CPU is enough, a GPU is used when present).

Usage::

    .venv/bin/python -m deid.tagger.training.train \\
        --gold ../shared/data/physionet-deid/gold_dev.jsonl --out deid/data/tagger

    # cross-validation: leave out patient fold 2 of 5 (what `fednode deid eval --folds 5` runs)
    .venv/bin/python -m deid.tagger.training.train --gold ... --folds 5 --fold 2 --out runs/cv/fold2

Training data per epoch: the annotated notes of the training patients, most with their PHI
re-drawn from the wide lexicons (:mod:`deid.synth.swap`), a share of PHI-free notes, and synthetic
notes of 13 styles (:mod:`deid.synth.templates`). 10 % of the training patients are held out as
validation, to pick the decision thresholds (:mod:`deid.tagger.training.calibrate`) — never the
left-out fold.
Writes ``model.int8.onnx``, ``tokenizer.json`` and ``meta.json`` (classes, thresholds, data,
settings, validation figures) into ``--out``.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from deid.evaluation import GoldNote, load_gold
from deid.synth.swap import LabeledText
from deid.synth.templates import synthetic_note
from deid.synth.values import PhiFactory
from deid.tagger.encoding import default_lexicon_features, pad_batch, split_words, windows, word_labels
from deid.tagger.labels import CLASSES
from deid.tagger.training.data import as_labeled, epoch_texts, patient_fold, split_by_patient

IGNORE = -100


@dataclass
class TrainConfig:
    """Settings of one training run (stored in ``meta.json``)."""

    gold: list[str]
    out: str
    folds: int = 0
    fold: int = -1
    layers: int = 2
    epochs: int = 6
    synthetic: int = 1200
    phi_free_share: float = 0.6
    keep_original: float = 0.5
    batch: int = 32
    lr: float = 8e-5
    head_lr: float = 1e-3
    phi_weight: float = 3.0
    vocab_size: int = 12000
    max_pieces: int = 126
    seed: int = 0
    threads: int = 2
    min_precision: float = 0.35
    max_steps: int = 0
    validation_share: float = 0.15
    extra: dict = field(default_factory=dict)


def encode_examples(items: list[LabeledText], tokenizer, features, cls_id: int, sep_id: int, max_pieces: int,
                    rng: random.Random | None = None) -> list[tuple]:
    """Windows with per-piece labels: ``(window, labels)`` pairs."""
    out = []
    for item in items:
        words = split_words(item.text, tokenizer, features)
        if not words.spans:
            continue
        labels = word_labels(words, list(item.spans), CLASSES)
        start = rng.randrange(0, min(8, len(words.spans))) if rng else 0
        for win in windows(words, cls_id, sep_id, max_pieces=max_pieces, overlap=0 if rng else 24, start_word=start):
            lab = np.where(win.word_of >= 0, labels[np.maximum(win.word_of, 0)], IGNORE)
            out.append((win, lab))
    return out


def batches(examples: list[tuple], size: int, rng: random.Random) -> list[list[tuple]]:
    """Length-bucketed, shuffled batches."""
    order = sorted(range(len(examples)), key=lambda i: (len(examples[i][0].input_ids), rng.random()))
    chunks = [[examples[i] for i in order[k : k + size]] for k in range(0, len(order), size)]
    rng.shuffle(chunks)
    return chunks


def to_tensors(batch: list[tuple]):
    import torch

    arrays = pad_batch([w for w, _ in batch])
    t = arrays["input_ids"].shape[1]
    labels = np.full((len(batch), t), IGNORE, np.int64)
    for i, (_, lab) in enumerate(batch):
        labels[i, : len(lab)] = lab
    return {k: torch.from_numpy(v) for k, v in arrays.items()}, torch.from_numpy(labels)


def word_scores(model, items: list[LabeledText], tokenizer, features, cls_id, sep_id, max_pieces) -> tuple[np.ndarray, np.ndarray]:
    """Per-word (gold class index, PHI probabilities) over ``items`` (for thresholds and figures)."""
    import torch

    from deid.tagger.encoding import word_probabilities

    golds, probs = [], []
    model.eval()
    with torch.no_grad():
        for item in items:
            words = split_words(item.text, tokenizer, features)
            if not words.spans:
                continue
            wins = windows(words, cls_id, sep_id, max_pieces=max_pieces)
            outs = []
            for k in range(0, len(wins), 32):
                inputs, _ = to_tensors([(w, np.zeros(len(w.input_ids), np.int64)) for w in wins[k : k + 32]])
                p = torch.softmax(model(**inputs), dim=-1).numpy()
                outs += [p[i, : len(w.input_ids)] for i, w in enumerate(wins[k : k + 32])]
            probs.append(word_probabilities(words, wins, outs))
            golds.append(word_labels(words, list(item.spans), CLASSES))
    model.train()
    return np.concatenate(golds), np.concatenate(probs)


def figures(gold: np.ndarray, probs: np.ndarray, thresholds: dict[str, float]) -> dict[str, float]:
    """Word-level recall and precision of PHI detection at ``thresholds``."""
    phi = 1.0 - probs[:, 0]
    pred = np.argmax(probs[:, 1:], axis=1) + 1
    th = np.array([thresholds.get(CLASSES[k], 0.5) for k in pred])
    hit = phi >= th
    is_phi = gold > 0
    tp = int((hit & is_phi).sum())
    return {"word_recall": round(tp / max(1, int(is_phi.sum())), 4),
            "word_precision": round(tp / max(1, int(hit.sum())), 4), "phi_words": int(is_phi.sum())}


def train(cfg: TrainConfig) -> dict:
    """Run one training and write the model files; returns ``meta``."""
    import torch
    from torch import nn

    from deid.tagger.training.export import export_onnx, quantize
    from deid.tagger.training.model import PhiTaggerNet, load_minilm
    from deid.tagger.training.vocab import build_vocabulary, make_tokenizer

    torch.manual_seed(cfg.seed)
    torch.set_num_threads(cfg.threads)
    out = Path(cfg.out)
    out.mkdir(parents=True, exist_ok=True)

    notes: list[GoldNote] = [n for g in cfg.gold for n in load_gold(Path(g))]
    if cfg.folds:
        notes, held = split_by_patient(notes, cfg.folds, cfg.fold)
        print(f"fold {cfg.fold}/{cfg.folds}: {len(notes)} training notes, {len(held)} left out (never read)", flush=True)
    val_fold = lambda n: patient_fold(n.patient, 1000, seed=7) < cfg.validation_share * 1000  # noqa: E731
    fit = [n for n in notes if not val_fold(n)]
    val = [n for n in notes if val_fold(n)]
    vf = PhiFactory(random.Random(10_000 + cfg.seed))
    val_items = [as_labeled(n) for n in val] + [synthetic_note(vf) for _ in range(300)]
    print(f"{len(fit)} notes to fit, {len(val)} validation notes (+300 synthetic)", flush=True)

    sf = PhiFactory(random.Random(cfg.seed + 1))
    sample = [n.text for n in fit] + [synthetic_note(sf).text for _ in range(2000)]
    vocab, keep_ids = build_vocabulary(sample, cfg.vocab_size)
    tokenizer = make_tokenizer({p: i for i, p in enumerate(vocab)})
    cls_id, sep_id = vocab.index("[CLS]"), vocab.index("[SEP]")
    features = default_lexicon_features()

    model = PhiTaggerNet(load_minilm(cfg.layers, keep_ids), len(CLASSES))
    new_params = [p for n, p in model.named_parameters() if not n.startswith("bert.")]
    bert_params = [p for n, p in model.named_parameters() if n.startswith("bert.")]
    opt = torch.optim.AdamW([{"params": bert_params, "lr": cfg.lr}, {"params": new_params, "lr": cfg.head_lr}],
                            weight_decay=0.01)
    weights = torch.tensor([1.0] + [cfg.phi_weight] * (len(CLASSES) - 1))
    loss_fn = nn.CrossEntropyLoss(weight=weights, ignore_index=IGNORE)

    history = []
    step, t0 = 0, time.time()
    total_steps = None
    for epoch in range(cfg.epochs):
        erng = random.Random(cfg.seed * 1000 + epoch)
        items = epoch_texts(fit, erng, cfg.synthetic, keep_original=cfg.keep_original, phi_free_share=cfg.phi_free_share)
        examples = encode_examples(items, tokenizer, features, cls_id, sep_id, cfg.max_pieces, erng)
        chunks = batches(examples, cfg.batch, erng)
        if total_steps is None:
            total_steps = cfg.max_steps or len(chunks) * cfg.epochs
        losses = []
        for chunk in chunks:
            frac = step / max(1, total_steps)
            scale = min(1.0, (step + 1) / 50) * max(0.05, 1.0 - frac)  # warm-up, then linear decay
            for group, base in zip(opt.param_groups, (cfg.lr, cfg.head_lr)):
                group["lr"] = base * scale
            inputs, labels = to_tensors(chunk)
            if erng.random() < 0.15:  # lexicon dropout: do not rely on the lists alone
                inputs["lex"] = torch.zeros_like(inputs["lex"])
            logits = model(**inputs)
            loss = loss_fn(logits.reshape(-1, logits.shape[-1]), labels.reshape(-1))
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            losses.append(float(loss.detach()))
            step += 1
            if step % 20 == 0:
                rate = step / (time.time() - t0)
                print(f"epoch {epoch + 1}/{cfg.epochs} step {step}/{total_steps} loss {np.mean(losses[-20:]):.4f} "
                      f"({rate:.2f} steps/s, ~{(total_steps - step) / rate / 60:.0f} min left)", flush=True)
            if cfg.max_steps and step >= cfg.max_steps:
                break
        g, p = word_scores(model, val_items, tokenizer, features, cls_id, sep_id, cfg.max_pieces)
        fig = figures(g, p, {"default": 0.5})
        history.append({"epoch": epoch + 1, "loss": round(float(np.mean(losses)), 4), **fig})
        print(f"epoch {epoch + 1}: loss {np.mean(losses):.4f} validation (th 0.5) {fig}", flush=True)
        if cfg.max_steps and step >= cfg.max_steps:
            break

    tokenizer.save(str(out / "tokenizer.json"))
    fp32 = out / "model.fp32.onnx"
    export_onnx(model, fp32)
    quantize(fp32, out / "model.int8.onnx")
    fp32.unlink()
    meta = {"format": 1, "classes": list(CLASSES), "thresholds": {"default": 0.98}, "max_pieces": cfg.max_pieces,
            "config": asdict(cfg), "history": history,
            "n_fit_notes": len(fit), "n_validation_notes": len(val), "seconds": round(time.time() - t0)}
    (out / "meta.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    from deid.tagger.training.calibrate import calibrate

    cal = calibrate(out, Path(cfg.gold[0]), cfg.folds, cfg.fold, cfg.validation_share, cfg.min_precision, cfg.seed)
    print(f"thresholds (validation patients, int8 model): {cal}", flush=True)
    meta = json.loads((out / "meta.json").read_text(encoding="utf-8"))
    print(f"wrote {out}/model.int8.onnx ({(out / 'model.int8.onnx').stat().st_size // 1024} KiB)", flush=True)
    return meta


def parse_args(argv: list[str] | None = None) -> TrainConfig:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--gold", nargs="+", required=True, help="PhysioNet-style JSONL gold file(s)")
    p.add_argument("--out", required=True, help="output folder")
    for name, default in asdict(TrainConfig(gold=[], out="")).items():
        if name in ("gold", "out", "extra"):
            continue
        p.add_argument(f"--{name.replace('_', '-')}", type=type(default), default=default)
    return TrainConfig(**vars(p.parse_args(argv)))


def main(argv: list[str] | None = None) -> int:
    train(parse_args(argv))
    return 0


if __name__ == "__main__":
    sys.exit(main())
