"""``fednode join``: the node's side of the network, in one command.

Starts Flower's SuperNode (:mod:`node.network.supernode`) as a child process, which dials
*out* to the network's SuperLink (``[deploy] superlink``) over TLS with the network CA
(``<pki_dir>/ca.crt``) and authenticates with the node's key (``<pki_dir>/supernode.key``);
it listens on nothing but its Runtime API on 127.0.0.1. Then runs the node worker
(:class:`node.network.worker.NodeWorker`) in this process until SIGTERM/SIGINT or until the
SuperNode exits (its exit code is returned, so systemd or compose restart both).
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from node.settings import NodeSettings

log = logging.getLogger("fednet.join")
ACTIVATION_REFUSED = 305 % 256
"""The exit status of a SuperNode whose activation the SuperLink refused (Flower's exit code 305, ApiError
2004; a process status keeps 8 bits): its key is not registered, or the SuperLink still marks it online (a
restart within 2 heartbeats, 60 s)."""
ACTIVATION_RETRY_S, ACTIVATION_PAUSE_S, RAN_LONG_S = 90.0, 5.0, 60.0


class JoinError(RuntimeError):
    """The node cannot join: the message names the missing piece and what to do."""


@dataclass(frozen=True)
class JoinPlan:
    """What ``fednode join`` runs."""

    supernode: list[str]
    env: dict[str, str]
    runtime_address: str


def plan(settings: NodeSettings, python: str = sys.executable) -> JoinPlan:
    """The SuperNode command line and environment for this node (checks its credentials first)."""
    from node.network.supernode import IDLE_ENV, OFFLINE_ENV

    pki = settings.pki_dir
    if not settings.deploy.superlink:
        raise JoinError("no [deploy] superlink in the node's TOML: set it to the network's host:port "
                        "(from the network operator)")
    for path, what in ((pki / "ca.crt", "the network CA"), (pki / "supernode.key", "the node's SuperNode key")):
        if not path.is_file():
            raise JoinError(f"{path} ({what}) is missing: run `fednode init`, have node.csr approved, then "
                            "`fednode pki install --cert SITE.crt --ca ca.crt`")
    port = settings.network.runtime_port
    command = [python, "-m", "node.network.supernode", "--superlink", settings.deploy.superlink,
               "--root-certificates", str(pki / "ca.crt"), "--auth-supernode-private-key", str(pki / "supernode.key"),
               "--isolation", "process", "--host", "127.0.0.1", "--port", str(port)]
    if settings.network.health_port:
        command += ["--health-server-address", f"127.0.0.1:{settings.network.health_port}"]
    env = {**os.environ, **OFFLINE_ENV, "FLWR_DISABLE_RUNTIME_DEPENDENCY_INSTALLATION": "1",
           IDLE_ENV: str(settings.network.idle_poll_s)}
    return JoinPlan(command, env, f"127.0.0.1:{port}")


def join(settings: NodeSettings, config_path: Path) -> int:
    """Run the SuperNode and the node worker until stopped; returns the exit code."""
    from node.network.training import prepare_training
    from node.network.worker import NodeWorker, node_config_for

    the_plan = plan(settings)
    if not settings.query.coordinator_public_key:
        log.warning("no [query] coordinator_public_key: this node will refuse every count and training run")
    stop = threading.Event()
    supernodes: list[subprocess.Popen] = []

    def on_signal(signum, _frame) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)

    def supervise() -> None:
        """Run the SuperNode; start it again when it exits (a refused activation, a restarted SuperLink),
        for :data:`ACTIVATION_RETRY_S` after its last long run; then give up (systemd/compose restart us)."""
        deadline = time.monotonic() + ACTIVATION_RETRY_S
        while not stop.is_set():
            started = time.monotonic()
            supernodes.append(proc := subprocess.Popen(the_plan.supernode, env=the_plan.env))
            code = proc.wait()
            if time.monotonic() - started > RAN_LONG_S:
                deadline = time.monotonic() + ACTIVATION_RETRY_S
            if stop.is_set() or time.monotonic() > deadline:
                break
            why = ("the SuperLink refused its activation (its key is not registered, or it is still marked online "
                   "after a restart)" if code == ACTIVATION_REFUSED else f"it exited ({code})")
            log.warning("SuperNode: %s; starting it again in %.0f s", why, ACTIVATION_PAUSE_S)
            stop.wait(ACTIVATION_PAUSE_S)
        stop.set()

    supervisor = threading.Thread(target=supervise, daemon=True)
    supervisor.start()
    worker = None
    try:
        worker = NodeWorker(the_plan.runtime_address, node_config_for(config_path, settings.node.data_dir),
                            prepare=lambda run_config: prepare_training(settings, run_config))
        print(f"fednode join: {settings.node.site_id} -> {settings.deploy.superlink} (TLS, node key "
              f"{settings.pki_dir / 'supernode.key'}); node worker ready", file=sys.stderr, flush=True)
        worker.run(stop)
    finally:
        if worker is not None:
            worker.close()
            print(f"fednode join: {worker.stats.messages} messages served ({worker.stats.errors} failed, "
                  f"{worker.stats.refused_apps} refused apps)", file=sys.stderr, flush=True)
        stop.set()
        for proc in supernodes:
            if proc.poll() is None:
                proc.terminate()
        supervisor.join(timeout=20)
        for proc in supernodes:
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
    code = supernodes[-1].returncode if supernodes else None
    return 0 if code in (0, -signal.SIGTERM, None) else int(code)
