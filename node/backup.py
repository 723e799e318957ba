"""Backup and restore of a node store (``fednode backup`` / ``fednode restore``).

A backup is one ``.tar.gz`` file, written to a temporary name and renamed
(never half-written), mode 0600 (it holds de-identified records and the audit
log; the site secret is *not* in it — back that up offline, separately):

- ``manifest.json``: format, site id, time, the store's schema version, and per
  collection its record count and an order-independent SHA-256 digest;
- ``collections/<name>.jsonl``: every record as MongoDB Extended JSON (types
  such as dates survive the round trip);
- ``blobs/...``: the embedded store's image files (``<data_dir>/images``; on a
  real MongoDB, images live in GridFS collections and are dumped like the rest).

Restore checks every count and digest *before* writing anything, refuses a
non-empty store unless told to replace it, restores, and then runs the schema
migrations when the backup is older than the code.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import tarfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

from bson import json_util
from bson.json_util import JSONOptions, JSONMode

from node.migrations import migrate, stored_version
from node.store.node_store import NodeStore
from schemas.version import SCHEMA_VERSION

FORMAT = "fednet-node-backup"
FORMAT_VERSION = 1
_JSON = JSONOptions(json_mode=JSONMode.CANONICAL, tz_aware=True, tzinfo=dt.timezone.utc)
_BATCH = 500


class BackupError(RuntimeError):
    """A backup cannot be written or restored; the message names the file and what to do."""


@dataclass
class BackupReport:
    path: Path
    site_id: str
    schema_version: str | None
    counts: dict[str, int]
    blobs: int = 0
    migrations: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"path": str(self.path), "site_id": self.site_id, "schema_version": self.schema_version,
                "counts": self.counts, "blobs": self.blobs, "migrations": self.migrations}


class _Digest:
    """Order-independent digest of a collection: the sum of each line's SHA-256, mod 2**256."""

    def __init__(self) -> None:
        self.total = 0
        self.count = 0

    def add(self, line: bytes) -> None:
        self.total = (self.total + int.from_bytes(hashlib.sha256(line).digest(), "big")) % (1 << 256)
        self.count += 1

    def hexdigest(self) -> str:
        return format(self.total, "064x")


def _collections(store: NodeStore) -> list[str]:
    return [n for n in store.collection_names() if not n.startswith("system.")]


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mode = 0o600
    info.mtime = int(dt.datetime.now().timestamp())
    tar.addfile(info, io.BytesIO(data))


def backup(store: NodeStore, out: Path, *, site_id: str, blob_dir: Path | None = None) -> BackupReport:
    """Write a backup of every collection (and embedded image blobs) to ``out``."""
    out = Path(out)
    if out.exists():
        raise BackupError(f"{out} already exists: choose a new file name (backups are never overwritten)")
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".partial")
    counts: dict[str, int] = {}
    digests: dict[str, str] = {}
    blobs = 0
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as tar:
            for name in _collections(store):
                digest = _Digest()
                buf = io.BytesIO()
                for doc in store.collection(name).find({}):
                    line = json_util.dumps(doc, json_options=_JSON, sort_keys=True).encode("utf-8")
                    digest.add(line)
                    buf.write(line + b"\n")
                _add_bytes(tar, f"collections/{name}.jsonl", buf.getvalue())
                counts[name], digests[name] = digest.count, digest.hexdigest()
            if blob_dir is not None and Path(blob_dir).is_dir():
                for path in sorted(p for p in Path(blob_dir).rglob("*") if p.is_file()):
                    tar.add(path, arcname=f"blobs/{path.relative_to(blob_dir).as_posix()}", recursive=False)
                    blobs += 1
            version = stored_version(store)
            manifest = {"format": FORMAT, "format_version": FORMAT_VERSION, "site_id": site_id,
                        "created_at": dt.datetime.now(dt.timezone.utc).isoformat(),
                        "schema_version": version, "written_by_schema": SCHEMA_VERSION,
                        "collections": {n: {"count": counts[n], "sha256": digests[n]} for n in counts},
                        "blobs": blobs}
            _add_bytes(tar, "manifest.json", json.dumps(manifest, indent=2).encode("utf-8"))
        os.replace(tmp, out)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return BackupReport(out, site_id, version, counts, blobs)


def read_manifest(path: Path) -> dict[str, Any]:
    """The manifest of a backup file (checks it is one)."""
    try:
        with tarfile.open(path, "r:gz") as tar:
            member = tar.extractfile("manifest.json")
            manifest = json.loads(member.read()) if member else None
    except (OSError, tarfile.TarError, KeyError, ValueError) as exc:
        raise BackupError(f"{path} is not a readable fednet backup ({exc.__class__.__name__}): "
                          "check the file name and that the copy is complete") from None
    if not manifest or manifest.get("format") != FORMAT:
        raise BackupError(f"{path} is not a fednet node backup (no {FORMAT} manifest)")
    if manifest.get("format_version", 0) > FORMAT_VERSION:
        raise BackupError(f"{path} was written by a newer fednet (backup format {manifest['format_version']})")
    return manifest


def _lines(tar: tarfile.TarFile, name: str) -> Iterator[bytes]:
    member = tar.extractfile(f"collections/{name}.jsonl")
    if member is None:
        raise BackupError(f"the backup has no data for collection {name}")
    for line in member:
        line = line.rstrip(b"\n")
        if line:
            yield line


def verify(path: Path) -> dict[str, Any]:
    """Check every collection's count and digest against the manifest; returns the manifest."""
    manifest = read_manifest(path)
    with tarfile.open(path, "r:gz") as tar:
        for name, expected in manifest["collections"].items():
            digest = _Digest()
            for line in _lines(tar, name):
                digest.add(line)
            if digest.count != expected["count"] or digest.hexdigest() != expected["sha256"]:
                raise BackupError(f"{path}: collection {name} is damaged ({digest.count} records, "
                                  f"{expected['count']} expected, digest mismatch): use another backup copy")
        blobs = sum(1 for m in tar.getmembers() if m.name.startswith("blobs/") and m.isfile())
        if blobs != manifest.get("blobs", 0):
            raise BackupError(f"{path}: {blobs} image files, {manifest.get('blobs')} expected")
    return manifest


def restore(store: NodeStore, path: Path, *, blob_dir: Path | None = None, replace: bool = False) -> BackupReport:
    """Restore a backup into ``store`` (after verifying it whole), then migrate its schema.

    Raises
    ------
    BackupError
        The file is damaged, or the store is not empty and ``replace`` is false.
    """
    path = Path(path)
    manifest = verify(path)
    occupied = {n: store.count(n) for n in _collections(store) if store.count(n)}
    if occupied and not replace:
        raise BackupError(f"the store is not empty ({', '.join(f'{n}: {c}' for n, c in occupied.items())}): "
                          "restore into an empty store, or pass --replace to drop its data first")
    for name in _collections(store):
        if replace:
            store.collection(name).delete_many({})
    counts: dict[str, int] = {}
    with tarfile.open(path, "r:gz") as tar:
        for name in manifest["collections"]:
            col, batch, n = store.collection(name), [], 0
            for line in _lines(tar, name):
                batch.append(json_util.loads(line, json_options=_JSON))
                if len(batch) >= _BATCH:
                    col.insert_many(batch, ordered=True)
                    n += len(batch)
                    batch = []
            if batch:
                col.insert_many(batch, ordered=True)
                n += len(batch)
            counts[name] = n
        blobs = 0
        if blob_dir is not None:
            root = Path(blob_dir).resolve()
            for member in tar.getmembers():
                if not (member.isfile() and member.name.startswith("blobs/")):
                    continue
                target = (root / member.name.removeprefix("blobs/")).resolve()
                if root not in target.parents:
                    raise BackupError(f"{path}: refusing entry {member.name!r} outside the image folder")
                target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
                data = tar.extractfile(member).read()  # type: ignore[union-attr]
                fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
                with os.fdopen(fd, "wb") as fh:
                    fh.write(data)
                blobs += 1
    steps = migrate(store)
    return BackupReport(path, manifest["site_id"], manifest.get("schema_version"), counts, blobs,
                        [f"{s.source} -> {s.target}: {s.summary} ({n} records)" for s, n in steps])
