"""The SuperLink's ServerApp tasks, run by the coordinator service.

The service starts the SuperLink with ``--isolation process``: the SuperLink then runs no
ServerApp itself, and this executor takes its tasks from the Runtime API (``AcquireTask``,
the same call Flower's ``flower-superexec`` makes):

- the query run's task stays in this process (:func:`open_run` hands its grid to the
  service's :class:`coordinator.query.deployment.QueryServer`), kept alive with heartbeats;
- every other run (training) starts a ``flwr-serverapp`` process, exactly as Flower's own
  SuperExec would, with its output in a log file.
"""

from __future__ import annotations

import logging
import os
import subprocess
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import httpx

from coordinator.network.control import flwr_bin

log = logging.getLogger("fednet.executor")


@dataclass
class OpenRun:
    """A ServerApp task served in this process: its grid and context, its heartbeat."""

    grid: object
    context: object
    run_id: int
    _stop: threading.Event = field(default_factory=threading.Event)

    def start_heartbeat(self, every_s: float = 10.0) -> None:
        from flwr.proto.runtime_pb2 import SendTaskHeartbeatRequest  # pylint: disable=no-name-in-module

        client = self.grid._runtime_client  # pylint: disable=protected-access

        def beat() -> None:
            while not self._stop.wait(every_s):
                try:
                    client.SendTaskHeartbeat(SendTaskHeartbeatRequest())
                except httpx.HTTPError:
                    log.warning("query run %d: heartbeat failed", self.run_id)

        threading.Thread(target=beat, daemon=True, name=f"heartbeat-{self.run_id}").start()

    def finish(self) -> None:
        """Report the task completed and disconnect (the service is shutting down)."""
        from flwr.common.constant import SubStatus
        from flwr.common.serde import context_to_proto
        from flwr.proto.runtime_pb2 import PushTaskOutputRequest  # pylint: disable=no-name-in-module

        self._stop.set()
        self.grid._retry_invoker.max_tries = 1  # pylint: disable=protected-access  (as flwr-serverapp on exit)
        try:
            self.grid._runtime_client.PushTaskOutput(  # pylint: disable=protected-access
                PushTaskOutputRequest(context=context_to_proto(self.context), sub_status=SubStatus.COMPLETED,
                                      details=""))
        except httpx.HTTPError:
            pass
        self.grid.close()


def open_run(runtime_address: str, root_cert: Path, token: str) -> OpenRun:
    """Take over one acquired ServerApp task in this process (what ``flwr-serverapp`` does first)."""
    from flwr.common.serde import context_from_proto, run_from_proto
    from flwr.proto.runtime_pb2 import PullTaskInputRequest  # pylint: disable=no-name-in-module
    from flwr.superlink.grid import HttpGrid

    grid = HttpGrid(runtime_api_address=runtime_address, insecure=False,
                    root_certificates=Path(root_cert).read_bytes(), token=token)
    from flwr.supercore.task_identity import TaskIdentity

    res = grid._runtime_client.PullTaskInput(PullTaskInputRequest())  # pylint: disable=protected-access
    run = run_from_proto(res.run)
    grid.set_run(run)
    # what Flower's ServerApp process sets: new Messages take their run id from it (one in-process run here)
    TaskIdentity.task_id, TaskIdentity.run_id, TaskIdentity.node_id = res.task_id, run.run_id, res.context.node_id
    opened = OpenRun(grid, context_from_proto(res.context), run.run_id)
    opened.start_heartbeat()
    return opened


class ServerAppExecutor:
    """Polls ``AcquireTask`` and runs each ServerApp task (see the module docstring).

    Parameters
    ----------
    runtime_address:
        ``127.0.0.1:<port>`` of the SuperLink (its Runtime API answers this host only).
    root_cert:
        The network CA (the SuperLink's TLS certificate chains to it).
    env:
        Environment of the ``flwr-serverapp`` processes.
    log_dir:
        Where each run's ``flwr-serverapp`` output goes (:meth:`log_path`).
    """

    def __init__(self, runtime_address: str, root_cert: Path, env: dict[str, str], log_dir: Path,
                 poll_s: float = 0.2) -> None:
        from flwr.supercore.interceptors import RuntimeVersionHttpInterceptor
        from flwr.supercore.runtime import RuntimeHttpClient

        self.address, self.root_cert, self.env, self.log_dir, self.poll_s = (runtime_address, Path(root_cert), env,
                                                                             Path(log_dir), poll_s)
        self.in_process: dict[int, Callable[[str], None]] = {}
        self.processes: dict[int, subprocess.Popen] = {}
        self._client = RuntimeHttpClient.from_server_address(
            server_address=runtime_address, insecure=False, root_certificates=self.root_cert.read_bytes(),
            interceptors=[RuntimeVersionHttpInterceptor(component_name="SuperExec")])

    def run(self, stop: threading.Event) -> None:
        from flwr.proto.runtime_pb2 import AcquireTaskRequest  # pylint: disable=no-name-in-module
        from flwr.supercore.constant import TaskType

        request = AcquireTaskRequest(supported_task_types=[TaskType.SERVER_APP])
        while not stop.is_set():
            try:
                res = self._client.AcquireTask(request)
            except httpx.HTTPError as exc:
                log.warning("AcquireTask failed: %s", exc)
                stop.wait(1.0)
                continue
            if res.HasField("task") and res.token:
                self.dispatch(int(res.task.run_id), res.token)
            else:
                stop.wait(self.poll_s)

    def dispatch(self, run_id: int, token: str) -> None:
        handler = self.in_process.pop(run_id, None)
        if handler is not None:
            handler(token)
            return
        path = self.log_path(run_id)
        path.parent.mkdir(parents=True, exist_ok=True)
        out = path.open("ab")
        cmd = [flwr_bin("flwr-serverapp"), "--runtime-api-address", self.address, "--token", token,
               "--root-certificates", str(self.root_cert), "--parent-pid", str(os.getpid())]
        self.processes[run_id] = subprocess.Popen(cmd, env=self.env, stdout=out, stderr=subprocess.STDOUT)
        out.close()
        log.info("run %d: flwr-serverapp started (log %s)", run_id, path)

    def log_path(self, run_id: int) -> Path:
        return self.log_dir / f"serverapp-{run_id}.log"

    def returncode(self, run_id: int) -> int | None:
        proc = self.processes.get(run_id)
        return None if proc is None else proc.poll()

    def close(self) -> None:
        for proc in self.processes.values():
            if proc.poll() is None:
                proc.terminate()
        for proc in self.processes.values():
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
        self._client.close()
