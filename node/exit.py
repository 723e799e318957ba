"""Ending a command-line process without the interpreter's teardown.

When ``main()`` has returned, CPython still frees every module and object before the process ends:
after a de-identification (Presidio, spaCy, the lexicons, the onnxruntime session) that is 0.5-0.9 s
of a 2-core machine's time in which nothing is left to do (``bench/deid_throughput.py`` measures a
``fednode ingest`` from start to exit). :func:`exit_now` does what a normal exit does that matters
(the ``atexit`` handlers run: logging is flushed and closed, temporary folders are removed; stdout
and stderr are flushed) and then ends the process. Stores are closed by the commands themselves
(``finally`` blocks), before ``main()`` returns.

When another thread is still running, a normal exit is taken instead (it waits for the thread).
Only the console entry points (``fednode``, ``fedcoord``, ``python -m node.cli`` /
``coordinator.cli``) call it; ``main()`` called in-process (the tests) returns as before.
"""

from __future__ import annotations

import atexit
import os
import sys
import threading
from typing import NoReturn


def exit_now(code: int | None) -> NoReturn:
    """Run the exit handlers, flush stdout and stderr, and end the process with ``code``.

    Parameters
    ----------
    code:
        Exit status (``None`` is 0).
    """
    status = 0 if code is None else int(code)
    if threading.active_count() > 1:
        raise SystemExit(status)
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # closed pipe or stream: nothing more can be written anyway
            pass
    os._exit(status)
