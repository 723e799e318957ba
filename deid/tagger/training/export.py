"""Export a trained :class:`~deid.tagger.training.model.PhiTaggerNet` to ONNX, then to int8.

The int8 model (dynamic quantization of MatMul and Gather weights by ``onnxruntime``) is what the
node runs (:mod:`deid.tagger.runtime`); the fp32 file is only an intermediate.
"""

from __future__ import annotations

from pathlib import Path

import torch

from deid.tagger.encoding import N_LEX

INPUTS = ("input_ids", "shape_ids", "lex", "attention_mask")


def export_onnx(model: torch.nn.Module, path: Path) -> None:
    """Write ``model`` as ONNX (opset 17, dynamic batch and length)."""
    model.eval()
    b, t = 2, 16
    args = (torch.ones(b, t, dtype=torch.long), torch.ones(b, t, dtype=torch.long),
            torch.zeros(b, t, N_LEX, dtype=torch.float32), torch.ones(b, t, dtype=torch.long))
    axes = {name: {0: "batch", 1: "pieces"} for name in INPUTS}
    axes["logits"] = {0: "batch", 1: "pieces"}
    with torch.no_grad():
        torch.onnx.export(model, args, str(path), input_names=list(INPUTS), output_names=["logits"],
                          dynamic_axes=axes, opset_version=17, dynamo=False)


def quantize(fp32: Path, int8: Path) -> None:
    """Dynamic int8 quantization of the weights (activations stay float)."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    quantize_dynamic(str(fp32), str(int8), weight_type=QuantType.QInt8, op_types_to_quantize=["MatMul", "Gather"])
