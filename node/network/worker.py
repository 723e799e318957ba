"""The node worker: runs every message the SuperNode receives, with its apps kept loaded.

Flower's SuperNode normally starts a fresh ``flwr-clientapp`` process for each message (a
count is two messages, a SecAgg+ training round four): seconds of interpreter start-up,
imports and store opening each time. ``flower-supernode --isolation process`` leaves running
the app to us; this worker does it in one long-running process. It repeats what
``flwr-clientapp`` does once (``flwr.supernode.runtime.run_clientapp``), against the
SuperNode's local Runtime API (``127.0.0.1:<port>``, never exposed):

1. ``AcquireTask`` (polled every ``poll_s``, faster right after a message);
2. ``PullTaskInput``: the message, the run's context (its state carries SecAgg+ between
   stages) and the run's FAB;
3. the app the FAB names, **if it is one of this node's installed fednet apps**
   (:data:`ALLOWED_APPS`); the FAB's own code is never installed or run here, so a run can
   only ever reach the node's own permit checks, disclosure control and audit log;
4. ``PushMessages`` (the reply) and ``PushTaskOutput`` (the updated context).

The node's identity comes from the worker, not from the run: ``fednet-config`` (the node's
TOML) and ``fednet-node-dir`` (its data folder) are set in every message's node config.
"""

from __future__ import annotations

import importlib
import logging
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import httpx

log = logging.getLogger("fednet.worker")

QUERY_APP = "node.query.flower_client:app"
TRAINING_APP = "fl_tasks.client_app:app"
ALLOWED_APPS = (QUERY_APP, TRAINING_APP)
"""The only ClientApps a node runs: its installed query handlers and training client."""
PREPARE = "query.prepare"
"""Training runs on the Deployment Engine start with this message: the node checks the run
permit and prepares its features from its own store (:mod:`node.network.training`)."""
HEARTBEAT_AFTER_S = 5.0
BUSY_POLL_S, BUSY_FOR_S = 0.02, 5.0
"""After a message the worker polls every 20 ms for 5 s (the next SecAgg+ stage), then every ``poll_s``."""
"""A task running longer than this gets task heartbeats (SuperNode task expiry)."""


class _Token:
    """Runtime API interceptor that adds the current task's token (none while acquiring)."""

    def __init__(self, token: str = "") -> None:
        self.token = token

    def intercept(self, context, call_next):
        from flwr.supercore.constant import TASK_TOKEN_HEADER

        if self.token:
            context.request.headers[TASK_TOKEN_HEADER] = self.token
        return call_next(context)


def runtime_client(address: str, token: str = ""):
    """A Runtime API client for the SuperNode's local address (plain HTTP on loopback)."""
    from flwr.supercore.interceptors import RuntimeVersionHttpInterceptor
    from flwr.supercore.runtime import RuntimeHttpClient

    return RuntimeHttpClient.from_server_address(server_address=address, insecure=True, root_certificates=None,
                                                 interceptors=[RuntimeVersionHttpInterceptor("flwr-clientapp"),
                                                               _Token(token)])


def load_app(ref: str):
    """Import ``module:attribute``."""
    module, _, attr = ref.partition(":")
    return getattr(importlib.import_module(module), attr)


@dataclass
class WorkerStats:
    """What the worker did (also shown by ``fednode join`` on exit)."""

    messages: int = 0
    errors: int = 0
    refused_apps: int = 0
    by_type: dict[str, int] = field(default_factory=dict)


class NodeWorker:
    """Acquire → run → push, forever, against one SuperNode's Runtime API.

    Parameters
    ----------
    runtime_address:
        ``127.0.0.1:<port>`` of the SuperNode's Runtime API (``flower-supernode --port``).
    node_config:
        Values set in every message's node config (``fednet-config``, ``fednet-node-dir``).
    prepare:
        Handles :data:`PREPARE` messages of training runs: ``(run_config) -> reply payload``.
    poll_s:
        Longest wait between two ``AcquireTask`` calls when idle (right after a message the
        worker polls every 10 ms, doubling back to this).
    """

    def __init__(self, runtime_address: str, node_config: dict[str, str],
                 prepare: Callable[[dict[str, Any]], dict[str, Any]] | None = None, poll_s: float = 0.2,
                 apps: dict[str, Any] | None = None) -> None:
        self.address = runtime_address
        self.node_config = dict(node_config)
        self.prepare = prepare
        self.poll_s = poll_s
        self.stats = WorkerStats()
        if apps is None:
            apps = {ref: load_app(ref) for ref in ALLOWED_APPS}  # loaded once: no import per message
            warm_up()
        self.apps = {ref: app for ref, app in apps.items() if ref in ALLOWED_APPS}
        self._acquire = runtime_client(runtime_address)

    # -- the loop ----------------------------------------------------------------------------
    def run(self, stop: threading.Event) -> None:
        """Serve until ``stop`` is set; a lost SuperNode is waited for (join restarts it)."""
        from flwr.proto.runtime_pb2 import AcquireTaskRequest  # pylint: disable=no-name-in-module
        from flwr.supercore.constant import TaskType

        request = AcquireTaskRequest(supported_task_types=[TaskType.CLIENT_APP])
        last = float("-inf")
        while not stop.is_set():
            try:
                res = self._acquire.AcquireTask(request)
            except httpx.HTTPError:
                stop.wait(0.5)  # the SuperNode is starting or gone
                continue
            if res.HasField("task") and res.token:
                self.run_task(res.token)
                last = time.monotonic()
            else:  # a training round's next stage follows within seconds: poll fast for a while
                stop.wait(BUSY_POLL_S if time.monotonic() - last < BUSY_FOR_S else self.poll_s)

    def run_task(self, token: str) -> None:
        """One message: pull, run the allowed app, push the reply and the context."""
        from flwr.app import Message
        from flwr.app.error import Error
        from flwr.common.constant import ErrorCode, SubStatus
        from flwr.supercore.inflatable.inflatable_utils import ObjectPushError
        from flwr.supernode.runtime.run_clientapp import push_message, push_task_output

        started = time.perf_counter()
        client = runtime_client(self.address, token)
        beat = _Heartbeat(client)
        context = message = reply = None
        status, details = SubStatus.FAILED, "task failed"
        marks = [started]
        try:
            message, context, _run, fab = pull_task_input(client)
            marks.append(time.perf_counter())
            beat.start()
            reply = self.answer(message, context, fab.content)
            marks.append(time.perf_counter())
            status, details = SubStatus.COMPLETED, ""
            self.stats.messages += 1
        except Exception as exc:  # pylint: disable=broad-except
            self.stats.errors += 1
            log.exception("message failed")
            details = f"{type(exc).__name__}: {exc}"
            if message is not None:
                reply = Message(Error(code=ErrorCode.CLIENT_APP_RAISED_EXCEPTION,
                                      reason=f"{type(exc)}:<'{exc}'>"), reply_to=message)
        finally:
            beat.stop()
            # A reply the SuperNode no longer takes (its message expired under load, the SuperNode
            # restarted) loses this message, never the node: the worker goes on with the next one.
            if reply is not None and context is not None:
                try:
                    push_message(client, reply, context)
                except (httpx.HTTPError, ObjectPushError) as exc:
                    self.stats.errors += 1
                    status, details = SubStatus.FAILED, f"reply not taken: {type(exc).__name__}"
                    log.exception("could not push the reply to the SuperNode")
            try:
                push_task_output(client, context, status, details)
            except (httpx.HTTPError, ObjectPushError):
                log.exception("could not report the task's end to the SuperNode")
            client.close()
            if message is not None:
                marks += [time.perf_counter()] * (4 - len(marks))
                log.info("%s of run %d: %s in %.0f ms (in %.0f, app %.0f, out %.0f)", message.metadata.message_type,
                         message.metadata.run_id, status, 1000 * (marks[3] - marks[0]), 1000 * (marks[1] - marks[0]),
                         1000 * (marks[2] - marks[1]), 1000 * (marks[3] - marks[2]))

    def answer(self, message, context, fab_content: bytes):
        """The reply to one message: from the installed app the run's FAB names, or a refusal.

        The node's own identity (:attr:`node_config`) replaces whatever the run's context says.
        """
        from flwr.app import Message
        from flwr.app.error import Error
        from flwr.common.constant import ErrorCode

        kind = message.metadata.message_type
        self.stats.by_type[kind] = self.stats.by_type.get(kind, 0) + 1
        context.node_config = {**context.node_config, **self.node_config}
        ref = app_of(fab_content)
        if ref not in self.apps:
            self.stats.refused_apps += 1
            log.warning("message %s of run %d names ClientApp %r: refused (this node runs only %s)", kind,
                        message.metadata.run_id, ref, ", ".join(ALLOWED_APPS))
            return Message(Error(code=ErrorCode.LOAD_CLIENT_APP_EXCEPTION,
                                 reason=f"this node runs only its installed fednet apps, not {ref!r}"),
                           reply_to=message)
        if kind == PREPARE and ref == TRAINING_APP:
            return self._prepare(message, context)
        return self.apps[ref](message=message, context=context)

    def _prepare(self, message, context):
        from flwr.app import Message

        from node.query.flower_client import pack

        if self.prepare is None:
            raise RuntimeError("this worker prepares no training")
        return Message(pack(self.prepare(dict(context.run_config))), reply_to=message)

    def close(self) -> None:
        self._acquire.close()


OBJECT_BACKOFF_S = (0.01, 0.25)
"""The SuperNode hands out a message's task while it still pulls the message's objects from the
SuperLink; Flower's own pull then backs off from 1 s. The worker retries every 10 ms (cap 250 ms)."""


def pull_task_input(client):
    """``flwr.supernode.runtime.run_clientapp.pull_task_input`` (flwr 1.41) with :data:`OBJECT_BACKOFF_S`."""
    from flwr.app import Message
    from flwr.common.serde import context_from_proto, fab_from_proto, run_from_proto
    from flwr.proto.node_pb2 import Node  # pylint: disable=no-name-in-module
    from flwr.proto.runtime_pb2 import PullAppMessagesRequest, PullTaskInputRequest  # pylint: disable=no-name-in-module
    from flwr.supercore.inflatable.inflatable_protobuf_utils import (make_confirm_message_received_fn_protobuf,
                                                                     make_pull_object_fn_protobuf)
    from flwr.supercore.inflatable.inflatable_utils import pull_and_inflate_object_from_tree
    from flwr.supercore.task_identity import TaskIdentity

    res = client.PullTaskInput(PullTaskInputRequest())
    TaskIdentity.task_id, TaskIdentity.run_id, TaskIdentity.node_id = res.task_id, res.run.run_id, res.context.node_id
    context, run, fab = context_from_proto(res.context), run_from_proto(res.run), fab_from_proto(res.fab)
    pulled = client.PullMessages(PullAppMessagesRequest())
    if not pulled.messages_list:
        raise RuntimeError("no message came with the task")
    node, tree = Node(node_id=context.node_id), pulled.message_object_trees[0]
    message = pull_and_inflate_object_from_tree(
        tree, make_pull_object_fn_protobuf(client.PullObject, node, context.run_id),
        make_confirm_message_received_fn_protobuf(client.ConfirmMessageReceived, node, context.run_id),
        return_type=Message, initial_backoff=OBJECT_BACKOFF_S[0], backoff_cap=OBJECT_BACKOFF_S[1])
    message.metadata.__dict__["_message_id"] = tree.object_id
    return message, context, run, fab


def warm_up() -> None:
    """Pay the training code's lazy imports now, not in a round (torch's optimizers import
    ``torch._dynamo`` on first use: seconds)."""
    import torch

    torch.optim.AdamW([torch.zeros(1, requires_grad=True)])


def app_of(fab_content: bytes) -> str:
    """The ClientApp reference a FAB's ``pyproject.toml`` names (its code is not looked at)."""
    from flwr.common.config import get_fab_config

    return str(get_fab_config(fab_content)["tool"]["flwr"]["app"]["components"]["clientapp"])


class _Heartbeat:
    """Task heartbeats for messages that run longer than :data:`HEARTBEAT_AFTER_S` (training)."""

    def __init__(self, client) -> None:
        self.client = client
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def _run(self) -> None:
        from flwr.proto.runtime_pb2 import SendTaskHeartbeatRequest  # pylint: disable=no-name-in-module

        if self._stop.wait(HEARTBEAT_AFTER_S):
            return
        while not self._stop.is_set():
            try:
                self.client.SendTaskHeartbeat(SendTaskHeartbeatRequest())
            except httpx.HTTPError:
                pass
            self._stop.wait(10.0)

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=5)


def node_config_for(config_path: Path, data_dir: Path) -> dict[str, str]:
    """What the worker puts in every message's node config."""
    from fl_tasks.client_app import NODE_DIR_KEY

    return {"fednet-config": str(Path(config_path).resolve()), NODE_DIR_KEY: str(Path(data_dir).resolve())}
