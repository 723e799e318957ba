"""Training pairs from a node's own store: the de-identified images of issue 3.

Reads the ``images`` collection (:class:`schemas.imaging.ImageRecord`: de-identified caption,
normalized labels, pixel blob reference, patient pseudonym) and the de-identified pixels from
the node's blob store (files or GridFS, :mod:`node.images.blobs`). Nothing else of the record
(FHIR resources, provenance) is read. Opted-out pseudonyms are filtered in the query itself.

:func:`node_store_source` opens it from a node's settings with the node's opt-out registry
applied: what ``fedcoord train`` trains each demo hospital on.
"""

from __future__ import annotations

import io
from contextlib import contextmanager
from typing import Callable, Iterable, Iterator

import numpy as np

from fl_tasks.data import Labels, Pair

IMAGES = "images"
# schemas.labels body regions -> the five MedPix categories the zero-shot prompts use
REGION_NAMES = {"head": "Head", "spine": "Spine and Muscles", "thorax": "Thorax", "abdomen": "Abdomen",
                "pelvis": "Reproductive and Urinary System"}


def decode_pixels(data: bytes, content_type: str) -> np.ndarray:
    """Stored bytes (PNG/JPEG, or DICOM) -> 2-D uint8 grayscale (first frame, min-max scaled)."""
    if content_type == "application/dicom":
        import pydicom

        arr = pydicom.dcmread(io.BytesIO(data)).pixel_array
        if arr.ndim == 4 or (arr.ndim == 3 and arr.shape[-1] not in (3, 4)):
            arr = arr[0]
        if arr.ndim == 3:
            arr = arr[..., :3].mean(-1)
        arr = arr.astype(np.float32)
        lo, hi = float(arr.min()), float(arr.max())
        return ((arr - lo) / (hi - lo or 1.0) * 255).astype(np.uint8)
    from PIL import Image

    with Image.open(io.BytesIO(data)) as im:
        return np.asarray(im.convert("L"), dtype=np.uint8)


class NodeStoreSource:
    """De-identified image-caption pairs of a node store.

    Parameters
    ----------
    store : node.store.NodeStore
        The node's store (``images`` collection).
    blobs : node.images.blobs.BlobStore
        Where the de-identified pixels are (``open_blob_store(store, settings.image_blob_dir)``).
    excluded_pseudonyms : Iterable[str]
        The node's opt-out registry (``OptOutRegistry(store).pseudonyms()``).
    """

    def __init__(self, store, blobs, excluded_pseudonyms: Iterable[str] = ()) -> None:
        self.store = store
        self.blobs = blobs
        self.excluded = sorted(set(excluded_pseudonyms))

    def __iter__(self) -> Iterator[Pair]:
        query = {"patient_pseudonym": {"$nin": self.excluded}} if self.excluded else {}
        fields = {"caption": 1, "labels": 1, "pixels": 1, "patient_pseudonym": 1}
        for rec in self.store.collection(IMAGES).find(query, fields).sort("_id", 1):
            pixels = rec.get("pixels") or {}
            blob = str(pixels.get("blob", ""))
            if not blob.startswith("sha256:"):
                continue
            labels = rec.get("labels") or {}
            region = labels.get("body_region")
            yield Pair(image_key=blob.split(":", 1)[1], caption=str(rec.get("caption") or ""),
                       labels=Labels(modality=labels.get("modality"), region=REGION_NAMES.get(region, region),
                                     plane=labels.get("plane")),
                       group=str(rec["patient_pseudonym"]),
                       load_pixels=self._loader(blob, str(pixels.get("content_type", "image/png"))))

    def _loader(self, blob: str, content_type: str) -> Callable[[], np.ndarray]:
        return lambda: decode_pixels(self.blobs.get(blob), content_type)


@contextmanager
def node_store_source(settings) -> Iterator[NodeStoreSource]:
    """A node's :class:`NodeStoreSource`, opened from its settings, its opt-out registry applied.

    The store stays open inside the ``with`` block (pixels load lazily from the blob store,
    which is GridFS on MongoDB). Only the store is opened: no site secret, no log set-up.

    Parameters
    ----------
    settings : node.settings.NodeSettings
        The node's settings (store URI, database, data folder).
    """
    from node.governance.optout import OptOutRegistry
    from node.images.blobs import open_blob_store
    from node.store import open_store

    store = open_store(settings.effective_store_uri, settings.node.database)
    try:
        yield NodeStoreSource(store, open_blob_store(store, settings.image_blob_dir),
                              excluded_pseudonyms=OptOutRegistry(store).pseudonyms())
    finally:
        store.close()
