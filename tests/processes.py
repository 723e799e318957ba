"""Helpers for tests that start real server processes on loopback (Flower SuperLink/SuperNodes, web UIs)."""

from __future__ import annotations

import socket
import time
from pathlib import Path
from typing import Callable


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(pred: Callable[[], bool], timeout: float, what: str, logs: list[Path]) -> None:
    """Poll ``pred`` until true; on timeout fail with the tail of each log file."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            if pred():
                return
        except OSError:  # a server that is not listening yet (connection refused), a file being written
            pass
        time.sleep(0.5)
    raise AssertionError(f"timed out waiting for {what}\n{log_tails(logs)}")


def log_tails(logs: list[Path], chars: int = 3000) -> str:
    """The end of each log file that exists, headed by its name (for an assertion's message)."""
    return "\n".join(f"--- {p.name}\n{p.read_text()[-chars:]}" for p in logs if p.exists())
