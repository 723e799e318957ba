"""Pixels by content hash, behind one small interface.

- Embedded store (litemongo, which has no GridFS): files under ``<data_dir>/images/``,
  ``sha256/<2 hex>/<64 hex>``, written to a temporary name then renamed (atomic: a crash
  leaves no half-written blob), mode 0600.
- Real MongoDB: GridFS bucket ``image_blobs`` with ``_id`` = the blob id.

A blob id is ``sha256:<hex of the stored bytes>``: storing the same bytes twice is a no-op.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path
from typing import Protocol

from node.store import NodeStore

GRIDFS_BUCKET = "image_blobs"


def blob_id_of(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


class BlobStore(Protocol):
    """Where de-identified pixels live."""

    kind: str

    def put(self, data: bytes, content_type: str) -> str:
        """Store ``data`` (idempotent); return its blob id."""
        ...

    def get(self, blob_id: str) -> bytes:
        """The stored bytes (``KeyError`` if absent)."""
        ...

    def exists(self, blob_id: str) -> bool: ...


class FileBlobStore:
    """Blobs as files under ``root`` (the embedded default)."""

    kind = "files"

    def __init__(self, root: Path):
        self.root = Path(root)

    def _path(self, blob_id: str) -> Path:
        algo, _, digest = blob_id.partition(":")
        if algo != "sha256" or len(digest) != 64 or not all(c in "0123456789abcdef" for c in digest):
            raise KeyError(f"not a blob id: {blob_id!r}")
        return self.root / algo / digest[:2] / digest

    def put(self, data: bytes, content_type: str) -> str:
        blob_id = blob_id_of(data)
        path = self._path(blob_id)
        if path.exists():
            return blob_id
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.chmod(tmp, 0o600)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return blob_id

    def get(self, blob_id: str) -> bytes:
        path = self._path(blob_id)
        if not path.exists():
            raise KeyError(blob_id)
        return path.read_bytes()

    def exists(self, blob_id: str) -> bool:
        return self._path(blob_id).exists()


class GridFSBlobStore:
    """Blobs in a GridFS bucket of the node's MongoDB database."""

    kind = "gridfs"

    def __init__(self, database, bucket: str = GRIDFS_BUCKET):
        import gridfs

        self._fs = gridfs.GridFS(database, collection=bucket)

    def put(self, data: bytes, content_type: str) -> str:
        import gridfs.errors

        blob_id = blob_id_of(data)
        if self._fs.exists(blob_id):
            return blob_id
        try:
            self._fs.put(data, _id=blob_id, contentType=content_type)
        except gridfs.errors.FileExists:
            pass
        return blob_id

    def get(self, blob_id: str) -> bytes:
        import gridfs.errors

        try:
            return self._fs.get(blob_id).read()
        except gridfs.errors.NoFile:
            raise KeyError(blob_id) from None

    def exists(self, blob_id: str) -> bool:
        return self._fs.exists(blob_id)


def open_blob_store(store: NodeStore, folder: Path) -> BlobStore:
    """GridFS on a real MongoDB, files under ``folder`` on the embedded store."""
    if store.info.kind == "mongodb":
        return GridFSBlobStore(store.collection("images").database)
    return FileBlobStore(folder)
