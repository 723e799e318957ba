"""The coordinator's public image-caption pairs as an ``fl_tasks`` :class:`~fl_tasks.data.PairSource`.

Warm start: the coordinator pretrains the CLIP-style model on these pairs before federated round 1.
:class:`PublicPairSource` reads ``public_images`` (de-identified captions, normalized labels, the
image file under the public-data folder) and yields :class:`fl_tasks.data.Pair` objects, so the
training code that runs at the nodes runs unchanged on public data.

Labels: ``fl_tasks`` currently names body regions and planes as MedPix does ("Head",
"Spine and Muscles", "Axial"); for MedPix images those original field values (kept verbatim in
``source_labels``) are passed through, so pairs are identical to :class:`fl_tasks.data.MedPixFolderSource`'s.
Other sources get the normalized values of :mod:`schemas.labels`.

Leakage: the demo hospitals hold shares of the MedPix train split; pass ``exclude_groups`` (or
``cases``) so that the warm-start pairs and the nodes' (and the evaluation's) cases are disjoint.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Iterable, Iterator

import numpy as np

from coordinator.public_data import store as public_store
from node.store.node_store import NodeStore

__all__ = ["PublicPairSource"]


def _png_loader(path: Path) -> Callable[[], np.ndarray]:
    def load() -> np.ndarray:
        from PIL import Image

        with Image.open(path) as im:
            return np.asarray(im.convert("L"), dtype=np.uint8)
    return load


def _source_field(img: dict, name: str) -> str | None:
    prefix = f"{name}: "
    return next((s[len(prefix):] for s in img.get("source_labels") or [] if s.startswith(prefix)), None)


class PublicPairSource:
    """Pairs of the coordinator's public images that have pixels.

    Parameters
    ----------
    store:
        The coordinator's public-data store.
    data_dir:
        The public-data folder the image paths are relative to.
    sources:
        Public sources to read (default: all that have images).
    cases:
        Case ids (patient pseudonyms, e.g. MedPix ``U_id``) to keep; ``None`` keeps all.
    exclude_groups:
        Case ids to skip (the nodes' cases, evaluation cases).
    use:
        ``"commercial"`` keeps only images whose license allows commercial use.
    """

    def __init__(self, store: NodeStore, data_dir: Path, sources: Iterable[str] | None = None,
                 cases: Iterable[str] | None = None, exclude_groups: Iterable[str] = (), use: str = "research") -> None:
        self.store = store
        self.data_dir = Path(data_dir)
        self.query: dict = {"file": {"$ne": None}, "sha256": {"$ne": None}}
        if sources is not None:
            self.query["provenance.source"] = {"$in": list(sources)}
        if use == "commercial":
            self.query["provenance.commercial_use"] = True
        self._cases = frozenset(cases) if cases is not None else None
        self._excluded = frozenset(exclude_groups)

    def __iter__(self) -> Iterator:
        from fl_tasks.data import Labels, Pair

        coll = self.store.collection(public_store.IMAGES)
        for img in coll.find(self.query).sort("_id", 1):
            group = img["patient_pseudonym"]
            if group in self._excluded or (self._cases is not None and group not in self._cases):
                continue
            path = self.data_dir / img["file"]
            if not path.is_file():
                continue
            labels = img["labels"]
            medpix = img["provenance"]["source"] == "medpix"
            region = _source_field(img, "Location Category") if medpix else labels.get("body_region")
            plane = _source_field(img, "Plane") if medpix else labels.get("plane")
            yield Pair(image_key=img["sha256"], caption=img["caption"],
                       labels=Labels(modality=labels.get("modality"), region=region, plane=plane),
                       group=group, load_pixels=_png_loader(path))

    def groups(self) -> list[str]:
        """Case ids that have at least one pair (for splits and exclusion lists)."""
        return sorted({p.group for p in self})
