"""Node logging: one file under ``<data_dir>/logs``. Log counts, ids and kinds; never note text."""

from __future__ import annotations

import logging
from pathlib import Path

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"

_users: dict[Path, int] = {}
"""How many open nodes of this process log to each file (a file's handler goes when the last closes)."""


def _handler_for(logger: logging.Logger, path: Path) -> logging.FileHandler | None:
    return next((h for h in logger.handlers if isinstance(h, logging.FileHandler) and Path(h.baseFilename) == path),
                None)


def setup_file_logging(log_dir: Path, level: int = logging.INFO) -> Path:
    """Send the ``fednet`` loggers to ``<log_dir>/node.log`` until :func:`release_file_logging`."""
    log_dir.mkdir(parents=True, exist_ok=True)
    path = (log_dir / "node.log").resolve()
    logger = logging.getLogger("fednet")
    logger.setLevel(level)
    if _handler_for(logger, path) is None:
        handler = logging.FileHandler(path, encoding="utf-8")
        handler.setFormatter(logging.Formatter(LOG_FORMAT))
        logger.addHandler(handler)
    _users[path] = _users.get(path, 0) + 1
    return path


def release_file_logging(path: Path) -> None:
    """The node that logged to ``path`` is closed: when it was the last, stop writing there, so
    that a process that opens another node afterwards (tests, the in-process demo) does not keep
    writing to this node's log."""
    path = Path(path).resolve()
    left = _users.get(path, 0) - 1
    if left > 0:
        _users[path] = left
        return
    _users.pop(path, None)
    logger = logging.getLogger("fednet")
    handler = _handler_for(logger, path)
    if handler is not None:
        logger.removeHandler(handler)
        handler.close()
