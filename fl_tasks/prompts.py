"""Prompt templates for zero-shot classification (CLIP-style prompt ensembles).

A class's text embedding is the mean of the unit-norm embeddings of all its prompts. The
templates follow the report-line form the model is trained on ("CT axial image of the
thorax"), varied over the other attributes (planes, and regions or modalities).
"""

from __future__ import annotations

from fl_tasks.data import MODALITIES, REGIONS

PLANES = ("axial", "coronal", "sagittal")
MODALITY_WORDS = {"CT": ("CT",), "MR": ("MR",)}


def modality_prompts() -> dict[str, list[str]]:
    return {m: [f"{w} {plane} image of the {r.lower()}" for w in MODALITY_WORDS[m] for plane in PLANES for r in REGIONS]
            for m in MODALITIES}


def region_prompts() -> dict[str, list[str]]:
    return {r: [f"{m} {plane} image of the {r.lower()}" for m in MODALITIES for plane in PLANES] for r in REGIONS}
