"""A progress bar for long work (rich), or nothing when disabled or not on a terminal."""

from __future__ import annotations

import sys
from contextlib import contextmanager
from typing import Callable, Iterator

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn


@contextmanager
def progress(total: int, label: str, enabled: bool = True) -> Iterator[Callable[[int], None]]:
    """Yield ``advance(n)``; draws a bar on stderr while the work runs."""
    if not enabled or total == 0:
        yield lambda n: None
        return
    bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                   TimeElapsedColumn(), TimeRemainingColumn(), transient=not sys.stderr.isatty(),
                   disable=False)
    with bar:
        task = bar.add_task(label, total=total)
        yield lambda n: bar.advance(task, n)
