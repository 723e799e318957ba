"""node.network.worker: one message the SuperNode no longer takes costs that message, not the node."""

from __future__ import annotations

import flwr.supernode.runtime.run_clientapp as run_clientapp
from flwr.common.constant import SubStatus
from flwr.supercore.inflatable.inflatable_utils import ObjectPushError

import node.network.worker as worker_mod
from node.network.worker import NodeWorker


class _Client:
    closed = False

    def close(self) -> None:
        self.closed = True


class _Metadata:
    message_type, run_id = "query.hello", 7


class _Message:
    metadata = _Metadata()


def test_a_reply_the_supernode_refuses_is_logged_and_the_worker_goes_on(monkeypatch, caplog):
    client, outputs = _Client(), []
    monkeypatch.setattr(worker_mod, "runtime_client", lambda address, token="": client)
    monkeypatch.setattr(worker_mod, "pull_task_input", lambda c: (_Message(), object(), None, type("F", (), {"content": b""})()))

    def refuse(c, reply, context):
        raise ObjectPushError("abc", 7, "session")

    monkeypatch.setattr(run_clientapp, "push_message", refuse)
    monkeypatch.setattr(run_clientapp, "push_task_output", lambda c, ctx, status, details: outputs.append((status, details)))
    worker = NodeWorker("127.0.0.1:1", {}, apps={})
    monkeypatch.setattr(worker, "answer", lambda message, context, fab: "the reply")
    worker.run_task("token")  # raises nothing
    assert outputs == [(SubStatus.FAILED, "reply not taken: ObjectPushError")]
    assert worker.stats.errors == 1 and client.closed
    assert "could not push the reply" in caplog.text
