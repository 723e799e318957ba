"""Node logging: one file under ``<data_dir>/logs``. Log counts, ids and kinds; never note text."""

from __future__ import annotations

import logging
from pathlib import Path

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def setup_file_logging(log_dir: Path, level: int = logging.INFO) -> Path:
    """Send the ``fednet`` loggers to ``<log_dir>/node.log`` (idempotent)."""
    log_dir.mkdir(parents=True, exist_ok=True)
    path = log_dir / "node.log"
    logger = logging.getLogger("fednet")
    logger.setLevel(level)
    if not any(isinstance(h, logging.FileHandler) and Path(h.baseFilename) == path for h in logger.handlers):
        handler = logging.FileHandler(path, encoding="utf-8")
        handler.setFormatter(logging.Formatter(LOG_FORMAT))
        logger.addHandler(handler)
    return path
