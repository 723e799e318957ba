"""Ingest runs in ``ingest_runs``, and the runs that died without saying so.

A run writes ``{"_id", "kind": "notes"|"images", "status": "running", "started_at", "pid",
"host", "heartbeat_at"}`` when it starts, refreshes ``heartbeat_at`` as it goes, and ends
``done`` (with its report's counts), or ``interrupted`` / ``failed`` when an exception or
Ctrl-C stops it. A process killed with SIGKILL (or a power cut) writes nothing: its record
stays ``running``. :func:`reconcile_runs` finds those:

- on the node's own host, each live run holds an exclusive ``flock`` on
  ``<data_dir>/runs/<run_id>.lock``; the kernel drops the lock when the process dies
  (whatever killed it, and whatever process later reuses its pid), so a lock that can be
  taken, or a missing lock file, means the run is dead;
- a run of another host (a shared MongoDB) is dead when its heartbeat is older than
  ``[ingest] stale_run_after_s``.

A dead run is marked ``interrupted`` with the time and what to do (ingest again: whatever
it stored is whole and is skipped). Every ingest, and ``fednode status``, reconcile first.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import logging
import os
import socket
import time
from pathlib import Path
from typing import Any

from node.settings import NodeSettings
from node.store import NodeStore
from node.store.node_store import INGEST_RUNS

log = logging.getLogger("fednet.node.ingest")

RUNNING, DONE, INTERRUPTED, FAILED = "running", "done", "interrupted", "failed"
HEARTBEAT_EVERY_S = 5.0
RESUME_HINT = "ingest the export again: what this run stored is whole and is skipped, the rest is ingested"


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def _aware(value: Any) -> dt.datetime | None:
    if not isinstance(value, dt.datetime):
        return None
    return value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)


def lock_dir(settings: NodeSettings) -> Path:
    return settings.node.data_dir / "runs"


def _lock_held(path: Path) -> bool:
    """Whether a live process holds the run's lock (``False`` when the file is gone)."""
    try:
        fd = os.open(path, os.O_RDWR)
    except FileNotFoundError:
        return False
    except OSError:
        return True  # cannot tell: do not declare it dead
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    else:
        fcntl.flock(fd, fcntl.LOCK_UN)
        return False
    finally:
        os.close(fd)


def _is_dead(run: dict, settings: NodeSettings, host: str, now: dt.datetime) -> bool:
    if run.get("host") == host and run.get("lock"):
        return not _lock_held(lock_dir(settings) / str(run["lock"]))
    last = _aware(run.get("heartbeat_at")) or _aware(run.get("started_at"))
    return last is None or (now - last).total_seconds() > settings.ingest.stale_run_after_s


def reconcile_runs(store: NodeStore, settings: NodeSettings, now: dt.datetime | None = None) -> list[str]:
    """Mark every dead ``running`` run ``interrupted``; return their run ids."""
    now = now or _now()
    host = socket.gethostname()
    marked = []
    col = store.collection(INGEST_RUNS)
    for run in list(col.find({"status": RUNNING})):
        if not _is_dead(run, settings, host, now):
            continue
        result = col.update_one({"_id": run["_id"], "status": RUNNING}, {"$set": {
            "status": INTERRUPTED, "interrupted_at": now,
            "note": "the process ended without finishing (killed, crashed or powered off); " + RESUME_HINT}})
        if result.modified_count:
            marked.append(str(run["_id"]))
            log.warning("ingest run %s (%s) was interrupted: marked so", run["_id"], run.get("kind", "notes"))
        if run.get("host") == host and run.get("lock"):
            (lock_dir(settings) / str(run["lock"])).unlink(missing_ok=True)
    return marked


def run_summary(store: NodeStore) -> dict[str, Any]:
    """Counts of runs by status and the interrupted ones (for ``fednode status``): ids and times only."""
    by_status: dict[str, int] = {}
    interrupted = []
    for run in store.runs():
        status = str(run.get("status", "?"))
        by_status[status] = by_status.get(status, 0) + 1
        if status in (INTERRUPTED, FAILED):
            interrupted.append({"run_id": run["_id"], "kind": run.get("kind", "notes"), "status": status,
                                "started_at": run.get("started_at"),
                                "stopped_at": run.get("interrupted_at") or run.get("finished_at"),
                                "what_to_do": RESUME_HINT})
    return {"by_status": by_status, "interrupted": interrupted}


class RunTracker:
    """The ``ingest_runs`` record of one run, its lock and heartbeat (a context manager).

    Use::

        with RunTracker(store, settings, run_id, "notes") as run:
            ...; run.beat(); ...
            run.done(report.to_dict())
    """

    def __init__(self, store: NodeStore, settings: NodeSettings, run_id: str, kind: str = "notes") -> None:
        self.store, self.settings, self.run_id, self.kind = store, settings, run_id, kind
        self.started_at = _now()
        self._fd: int | None = None
        self._last_beat = 0.0
        self._finished = False

    def __enter__(self) -> "RunTracker":
        reconcile_runs(self.store, self.settings)
        folder = lock_dir(self.settings)
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        lock_name = f"{self.run_id}.lock"
        self._fd = os.open(folder / lock_name, os.O_RDWR | os.O_CREAT, 0o600)
        fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        self.store.record_run({"_id": self.run_id, "kind": self.kind, "status": RUNNING, "started_at": self.started_at,
                               "heartbeat_at": self.started_at, "pid": os.getpid(), "host": socket.gethostname(),
                               "lock": lock_name})
        self._last_beat = time.monotonic()
        return self

    def beat(self) -> None:
        """Refresh the heartbeat (at most every :data:`HEARTBEAT_EVERY_S`)."""
        if time.monotonic() - self._last_beat < HEARTBEAT_EVERY_S:
            return
        self._last_beat = time.monotonic()
        self.store.collection(INGEST_RUNS).update_one({"_id": self.run_id}, {"$set": {"heartbeat_at": _now()}})

    def done(self, report: dict[str, Any]) -> None:
        """Record the finished run with its report (counts only)."""
        self.store.record_run({**report, "_id": self.run_id, "kind": self.kind, "status": DONE,
                               "started_at": self.started_at, "finished_at": _now()})
        self._finished = True

    def __exit__(self, exc_type, exc, tb) -> None:
        try:
            if not self._finished and exc_type is not None:
                status = INTERRUPTED if issubclass(exc_type, KeyboardInterrupt) else FAILED
                try:
                    self.store.collection(INGEST_RUNS).update_one({"_id": self.run_id}, {"$set": {
                        "status": status, "finished_at": _now(), "error": exc_type.__name__, "note": RESUME_HINT}})
                except Exception:  # noqa: BLE001 - the store itself may be what failed; the lock still tells
                    log.warning("could not mark ingest run %s %s", self.run_id, status)
        finally:
            if self._fd is not None:
                os.close(self._fd)  # releases the lock
                self._fd = None
                (lock_dir(self.settings) / f"{self.run_id}.lock").unlink(missing_ok=True)
