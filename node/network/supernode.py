"""``python -m node.network.supernode [flower-supernode flags]``: Flower's SuperNode, paced.

Flower 1.41's SuperNode loop (``flwr.supernode.start_client_internal``) sleeps a fixed 3 s
after every poll of the SuperLink that brought no message, and polls its own in-memory state
every 0.5 s while a reply is being computed; neither has an option (1.42 is unchanged:
``docs/network.md``). A count then waits seconds in sleeps alone. This launcher runs the
stock ``flower-supernode`` entry point with the flags it is given (its own parser checks
them) after replacing that one module's ``time`` with :class:`PacedTime`, which maps those
two sleeps to ``FEDNET_SUPERNODE_IDLE_POLL_S`` (default 0.25 s: each idle poll is one HTTPS
request to the SuperLink; 50 ms for 5 s after a message) and ``FEDNET_SUPERNODE_REPLY_POLL_S``
(default 0.02 s: a local lookup), and gives its object pull a 20 ms back-off instead of 1 s
(:data:`OBJECT_BACKOFF_S`). Nothing else of Flower changes; the connection stays outbound only,
over TLS, with the node's authentication key.

On any other Flower version the sleeps are left as they are (with a warning), since the
patched lines may have moved.
"""

from __future__ import annotations

import functools
import logging
import os
import sys
import time
from types import ModuleType

PATCHED_FLOWER = "1.41.0"
IDLE_ENV, REPLY_ENV = "FEDNET_SUPERNODE_IDLE_POLL_S", "FEDNET_SUPERNODE_REPLY_POLL_S"
OFFLINE_ENV = {"FLWR_TELEMETRY_ENABLED": "0", "FLWR_DISABLE_UPDATE_CHECK": "1"}
"""A hospital host dials out to its SuperLink only: no telemetry, no update check."""

log = logging.getLogger("fednet.supernode")


class PacedTime:
    """Stands in for the ``time`` module inside Flower's SuperNode loop; only ``sleep`` differs.

    ``sleep(3)`` (no message pulled) becomes ``idle_s``, or ``busy_s`` within ``busy_for_s`` of
    the last message (a SecAgg+ round's next stage follows within seconds); the short waits
    (0.5 s, while a reply is computed: they mark a message) become at most ``reply_s``. Every
    other attribute is the real ``time`` module's.
    """

    def __init__(self, idle_s: float, reply_s: float, busy_s: float = 0.05, busy_for_s: float = 5.0) -> None:
        self.idle_s, self.reply_s, self.busy_s, self.busy_for_s = float(idle_s), float(reply_s), busy_s, busy_for_s
        self._last_message = float("-inf")

    def __getattr__(self, name: str):
        return getattr(time, name)

    def sleep(self, seconds: float) -> None:
        if seconds < 3:
            self._last_message = time.monotonic()
            time.sleep(min(seconds, self.reply_s))
        elif time.monotonic() - self._last_message < self.busy_for_s:
            time.sleep(min(self.idle_s, self.busy_s))
        else:
            time.sleep(self.idle_s)


OBJECT_BACKOFF_S = (0.02, 0.5)
"""A message reaches the SuperNode before all its objects reach the SuperLink (the ServerApp pushes
the message, then its objects); Flower's object pull then waits 1 s, doubling. Paced: 20 ms, cap 0.5 s."""


def pace(module: ModuleType, idle_s: float, reply_s: float, version: str) -> bool:
    """Give ``module`` (Flower's ``start_client_internal``) a :class:`PacedTime` and a prompter object
    pull; False (and nothing changed) on another Flower version."""
    if version != PATCHED_FLOWER or getattr(module, "time", None) is not time or not hasattr(module, "pull_objects"):
        log.warning("flwr %s: SuperNode sleeps left as they are (pacing is written for flwr %s)", version,
                    PATCHED_FLOWER)
        return False
    module.time = PacedTime(idle_s, reply_s)  # type: ignore[attr-defined]
    module.pull_objects = functools.partial(module.pull_objects, initial_backoff=OBJECT_BACKOFF_S[0],
                                            backoff_cap=OBJECT_BACKOFF_S[1])
    return True


def main(argv: list[str] | None = None) -> None:
    for key, value in OFFLINE_ENV.items():
        os.environ[key] = value
    import importlib

    from flwr.supercore.version import package_version
    from flwr.supernode.cli.flower_supernode import flower_supernode

    loop = importlib.import_module("flwr.supernode.start_client_internal")  # the module, not the function
    pace(loop, float(os.environ.get(IDLE_ENV, "0.25")), float(os.environ.get(REPLY_ENV, "0.02")),
         package_version)
    sys.argv = ["flower-supernode", *(sys.argv[1:] if argv is None else argv)]
    flower_supernode()


if __name__ == "__main__":
    main()
