"""Read an export folder safely: regular files inside it only, named without quoting them.

An export is untrusted input. Before anything is opened:

- its real path (every symbolic link resolved) must lie inside the export folder: a link
  (or a linked folder) that leads out of it is refused as ``outside_export`` and **never
  read**, so ``notes/key.txt -> ../../node/secrets/site.key`` copies nothing;
- a dangling link is ``broken_link``;
- it must be a regular file (checked with ``lstat``/``stat`` first, then ``fstat`` on a
  descriptor opened with ``O_NONBLOCK | O_NOFOLLOW``): a FIFO, socket or device is
  ``not_a_file`` and never opened, so nothing can block the ingest;
- a file too large for its limit is refused from its size, before it is read.

Names: an export's file names often hold patient names and dates. :class:`ExportFiles`
names a file by the export's fixed names plus the file's ordinal in its folder and a known
extension (``notes/#3.txt``), and a keyed hash of its path (the site secret keys it), which
``fednode quarantine locate`` matches back to the file. See ``node/ingest/FORMATS.md``.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Callable, Iterator

from node.ingest.records import BadInput, BadKind, InputRef

#: Extensions shown in labels (anything else could itself be part of a name: "Ann.Smith").
KNOWN_EXTENSIONS = frozenset({".txt", ".json", ".csv", ".ndjson", ".dcm", ".dicom", ".dic", ".png", ".jpg", ".jpeg"})
_NAMES_CONTEXT = b"fednet/input-names/v1"


class UnsafeInput(Exception):
    """A path that must not (or cannot) be read; ``kind`` is its quarantine kind."""

    def __init__(self, kind: BadKind, problem: str):
        super().__init__(problem)
        self.kind = kind
        self.problem = problem


def names_key(secret: bytes | None) -> bytes:
    """The key that names inputs (derived from the site secret; ``b""``: unkeyed)."""
    return hmac.new(secret, _NAMES_CONTEXT, hashlib.sha256).digest() if secret else b""


def _kind_of(mode: int) -> str:
    for test, name in ((stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISSOCK, "a socket"),
                       (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device")):
        if test(mode):
            return name
    return "not a regular file"


@dataclass(frozen=True)
class ExportFiles:
    """Safe, named access to the files of one export folder.

    Parameters
    ----------
    root:
        The export folder as given (absolute); paths handed to the methods are under it.
    real_root:
        The same folder with every link resolved: what "inside the export" means.
    key:
        :func:`names_key` of the site secret (``b""`` leaves :attr:`InputRef.key` empty).
    """

    root: Path
    real_root: str
    key: bytes = b""

    @classmethod
    def of(cls, export_dir: Path, secret: bytes | None = None) -> "ExportFiles":
        root = Path(os.path.abspath(export_dir))
        return cls(root, os.path.realpath(root), names_key(secret))

    # -- naming -----------------------------------------------------------------------------
    def relative(self, path: Path) -> str:
        """``path`` relative to the export folder, POSIX style (memory only: may hold PHI)."""
        return Path(os.path.relpath(os.path.abspath(path), self.root)).as_posix()

    def key_of(self, path: Path) -> str:
        """Keyed hash of ``path`` within the export (empty when unkeyed)."""
        if not self.key:
            return ""
        rel = self.relative(path).encode("utf-8", "surrogateescape")
        return hmac.new(self.key, rel, hashlib.sha256).hexdigest()[:16]

    def ref(self, path: Path, label: str) -> InputRef:
        return InputRef(label, self.key_of(path))

    def ordinal_ref(self, folder_label: str, ordinal: int, path: Path) -> InputRef:
        """``<folder>/#<ordinal><ext>``: the ``ordinal``-th entry (1-based) of a sorted folder walk."""
        ext = path.suffix.lower()
        return self.ref(path, f"{folder_label}/#{ordinal}{ext if ext in KNOWN_EXTENSIONS else ''}")

    # -- checking and opening -----------------------------------------------------------------
    def _inside(self, real: str) -> bool:
        return real == self.real_root or os.path.commonpath([real, self.real_root]) == self.real_root

    def folder_problem(self, folder: Path, label: str, holds: str) -> BadInput | None:
        """Why ``folder`` (named ``label``) cannot be read as a folder of ``holds``; ``None`` if it can."""
        try:
            if self.check(folder) != "dir":
                return BadInput(self.ref(folder, label), BadKind.NOT_A_FILE, f"is a file, not a folder of {holds}")
        except UnsafeInput as exc:
            return BadInput(self.ref(folder, label), exc.kind, exc.problem)
        return None

    def check(self, path: Path) -> str:
        """``"file"`` or ``"dir"`` for a path that may be read; raises :class:`UnsafeInput` otherwise."""
        try:
            st = os.lstat(path)
        except FileNotFoundError:
            raise UnsafeInput(BadKind.UNREADABLE, "disappeared while the export was read") from None
        except OSError as exc:
            raise UnsafeInput(BadKind.UNREADABLE, f"cannot be examined ({exc.__class__.__name__})") from None
        real = os.path.realpath(path)
        if not self._inside(real):
            raise UnsafeInput(BadKind.OUTSIDE_EXPORT, "a link (or a linked folder) that leads out of the export "
                                                      "folder; it was not read")
        if stat.S_ISLNK(st.st_mode):
            try:
                st = os.stat(real)
            except FileNotFoundError:
                raise UnsafeInput(BadKind.BROKEN_LINK, "a symbolic link whose target does not exist") from None
            except OSError as exc:
                raise UnsafeInput(BadKind.UNREADABLE, f"its link cannot be followed ({exc.__class__.__name__})") from None
        if stat.S_ISDIR(st.st_mode):
            return "dir"
        if not stat.S_ISREG(st.st_mode):
            raise UnsafeInput(BadKind.NOT_A_FILE, f"{_kind_of(st.st_mode)}, not a regular file; it was not opened")
        return "file"

    def is_dir(self, path: Path) -> bool:
        """Whether ``path`` is a folder inside the export (``False`` when missing or unsafe)."""
        try:
            return self.check(path) == "dir"
        except UnsafeInput:
            return False

    def exists(self, path: Path) -> bool:
        """Whether there is an entry at ``path`` (of any kind, links included)."""
        return os.path.lexists(path)

    def open(self, path: Path, limit: int | None = None, limit_name: str = "") -> BinaryIO:
        """Open a regular file of the export for reading (never blocks, never leaves the export).

        Raises
        ------
        UnsafeInput
            For a folder, a link out of the export, a dangling link, a FIFO/socket/device, a
            file over ``limit`` bytes (``limit_name`` names the setting), or a read error.
        """
        if self.check(path) == "dir":
            raise UnsafeInput(BadKind.NOT_A_FILE, "a folder where a file was expected")
        real = os.path.realpath(path)
        flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
        try:
            fd = os.open(real, flags)
        except OSError as exc:
            raise UnsafeInput(BadKind.UNREADABLE, f"cannot be opened ({exc.__class__.__name__}); give the node's "
                                                  "user read access") from None
        try:
            st = os.fstat(fd)
            if not stat.S_ISREG(st.st_mode):  # swapped after the check: still never read
                raise UnsafeInput(BadKind.NOT_A_FILE, f"{_kind_of(st.st_mode)}, not a regular file; it was not read")
            if limit is not None and st.st_size > limit:
                setting = f" ({limit_name})" if limit_name else ""
                raise UnsafeInput(BadKind.OVERSIZED, f"{st.st_size} bytes, over the {limit}-byte limit{setting}")
            return os.fdopen(fd, "rb")
        except BaseException:
            os.close(fd)
            raise

    def read_bytes(self, path: Path, limit: int | None = None, limit_name: str = "") -> bytes:
        """The whole content of a regular file of the export (see :meth:`open`)."""
        with self.open(path, limit, limit_name) as fh:
            try:
                return fh.read() if limit is None else fh.read(limit + 1)[: limit + 1]
            except OSError as exc:
                raise UnsafeInput(BadKind.UNREADABLE, f"read failed ({exc.__class__.__name__})") from None

    def walk(self, folder: Path, accept: Callable[[str], bool]) -> Iterator[Path]:
        """Every entry under ``folder`` whose name ``accept`` takes, except real folders, sorted.

        Folders are descended (never through a link); links, FIFOs and other non-files are
        yielded too, so that the reader can quarantine them with a reason. Unreadable
        sub-folders are yielded as entries (their check then fails).
        """
        found: list[Path] = []
        stack = [Path(folder)]
        while stack:
            current = stack.pop()
            try:
                with os.scandir(current) as it:
                    entries = list(it)
            except OSError:
                if current != Path(folder):
                    found.append(current)
                continue
            for entry in entries:
                path = Path(entry.path)
                try:
                    real_dir = entry.is_dir(follow_symlinks=False)
                except OSError:
                    real_dir = False
                if real_dir:
                    stack.append(path)
                elif accept(entry.name):
                    found.append(path)
        return iter(sorted(found))


def iter_lines(fh: BinaryIO, limit: int) -> Iterator[tuple[int, bytes | None]]:
    """``(line number, bytes)`` of each line of ``fh``; ``None`` for a line over ``limit`` bytes
    (which is skipped without being held in memory)."""
    lineno = 0
    while True:
        line = fh.readline(limit + 1)
        if not line:
            return
        lineno += 1
        if len(line) > limit and not line.endswith(b"\n"):
            while line and not line.endswith(b"\n"):  # drop the rest of the over-long line
                line = fh.readline(1 << 20)
            yield lineno, None
            continue
        yield lineno, line


IMAGE_FOLDER = "images"
"""The export's folder of images (DICOM, PNG/JPEG), read after the notes (:mod:`node.images.pipeline`)."""


def has_images(export_dir: Path) -> bool:
    """Whether an export has an ``images/`` folder (or an entry of that name to quarantine:
    a link out of the export, a FIFO...). Lives here, not in the image pipeline, so that an
    export of notes only never imports the DICOM stack."""
    path = Path(export_dir) / IMAGE_FOLDER
    if not os.path.lexists(path):
        return False
    try:
        return ExportFiles.of(Path(export_dir)).check(path) == "dir"
    except UnsafeInput:
        return True
