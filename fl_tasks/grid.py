"""Prompt message exchange with the SuperLink (Deployment Engine), for queries and training.

Flower 1.41's ``HttpGrid.send_and_receive`` sleeps a fixed 3 s between two pulls of the
replies, and a reply whose objects are still being uploaded is pulled again after a 1 s
back-off that doubles (``PULL_INITIAL_BACKOFF``). A SecAgg+ round is four exchanges and a
count one or two, so most of their time would be these waits. :func:`exchange` pushes the
messages and pulls the replies every :data:`POLL_S` with a short object back-off instead;
:class:`PromptGrid` gives Flower's workflows (``DefaultWorkflow``, ``SecAggPlusWorkflow``)
that ``send_and_receive``. Any other grid (the Simulation Engine's) is used as it is.

The pull re-implements ``HttpGrid.pull_messages`` (flwr 1.41) with other back-off values; it
uses the grid's Runtime API client, which ``HttpGrid`` keeps in private attributes.
"""

from __future__ import annotations

import logging
import time
from typing import Iterable

from flwr.app import Message
from flwr.serverapp import Grid

log = logging.getLogger("fednet.grid")
POLL_S = 0.05
OBJECT_BACKOFF_S = (0.02, 0.5)  # initial, cap


def is_http_grid(grid: Grid) -> bool:
    from flwr.superlink.grid import HttpGrid

    return isinstance(grid, HttpGrid)


def quick_pull(grid: Grid, message_ids: Iterable[str]) -> list[Message]:
    """``grid.pull_messages`` with a short object back-off (an ``HttpGrid``; else the grid's own)."""
    if not is_http_grid(grid):
        return list(grid.pull_messages(message_ids))
    from flwr.proto.message_pb2 import ConfirmMessageReceivedRequest  # pylint: disable=no-name-in-module
    from flwr.proto.runtime_pb2 import PullAppMessagesRequest  # pylint: disable=no-name-in-module
    from flwr.supercore.inflatable.inflatable_object import iterate_object_tree
    from flwr.supercore.inflatable.inflatable_protobuf_utils import make_pull_object_fn_protobuf
    from flwr.supercore.inflatable.inflatable_utils import (ObjectPullError, inflate_object_from_contents,
                                                            pull_objects)

    client, node, run_id = grid._runtime_client, grid.node, grid.run.run_id  # pylint: disable=protected-access
    res = client.PullMessages(PullAppMessagesRequest(message_ids=list(message_ids)))
    out: list[Message] = []
    for proto, tree in zip(res.messages_list, res.message_object_trees, strict=True):
        msg_id = proto.metadata.message_id
        try:
            contents = pull_objects([t.object_id for t in iterate_object_tree(tree)],
                                    make_pull_object_fn_protobuf(client.PullObject, node, run_id),
                                    initial_backoff=OBJECT_BACKOFF_S[0], backoff_cap=OBJECT_BACKOFF_S[1])
        except ObjectPullError:
            continue  # its sender died mid-upload: as if it never answered
        client.ConfirmMessageReceived(ConfirmMessageReceivedRequest(node=node, run_id=run_id, message_object_id=msg_id))
        message = inflate_object_from_contents(msg_id, contents)
        message.metadata.__dict__["_message_id"] = msg_id
        out.append(message)
    return out


def exchange(grid: Grid, messages: Iterable[Message], timeout: float | None) -> list[Message]:
    """Push ``messages``, then collect the replies until all are in or ``timeout`` seconds passed."""
    if not is_http_grid(grid):
        return list(grid.send_and_receive(messages, timeout=timeout))
    messages = list(messages)
    start = time.monotonic()
    pending = {i for i in grid.push_messages(messages) if i}
    pushed = time.monotonic()
    end = None if timeout is None else start + timeout
    replies: list[Message] = []
    while pending:
        got = quick_pull(grid, pending)
        replies += got
        pending -= {m.metadata.reply_to_message_id for m in got}
        if not pending or (end is not None and time.monotonic() >= end):
            break
        time.sleep(POLL_S)
    kinds = sorted({m.metadata.message_type for m in messages})
    log.info("%s x%d: pushed in %.2f s, %d replies in %.2f s%s", "/".join(kinds), len(messages), pushed - start,
             len(replies), time.monotonic() - pushed, f" ({len(pending)} missing)" if pending else "")
    return replies


class PromptGrid(Grid):
    """A grid whose ``send_and_receive`` is :func:`exchange`; everything else is ``inner``'s.

    ``only``: node ids the grid shows (``None``: every connected node), e.g. the nodes that
    accepted a training run.
    """

    def __init__(self, inner: Grid, only: set[int] | None = None) -> None:
        super().__init__()
        self.inner = inner
        self.only = None if only is None else set(only)

    def set_run(self, run) -> None:
        self.inner.set_run(run)

    @property
    def run(self):
        return self.inner.run

    def create_message(self, content, message_type, dst_node_id, group_id, ttl=None):  # noqa: D102
        return self.inner.create_message(content, message_type, dst_node_id, group_id, ttl)

    def get_node_ids(self):
        return [n for n in self.inner.get_node_ids() if self.only is None or n in self.only]

    def get_nodes(self):
        return [n for n in self.inner.get_nodes() if self.only is None or n.node_id in self.only]

    def push_messages(self, messages):
        return self.inner.push_messages(messages)

    def pull_messages(self, message_ids):
        return quick_pull(self.inner, message_ids)

    def send_and_receive(self, messages, *, timeout=None):
        return exchange(self.inner, messages, timeout)


def prompt(grid: Grid) -> Grid:
    """:class:`PromptGrid` around an ``HttpGrid`` (Deployment Engine), each exchange's timing in the
    run's output; any other grid unchanged."""
    if not is_http_grid(grid):
        return grid
    if not log.handlers:
        import sys

        handler = logging.StreamHandler(sys.stdout)
        handler.setFormatter(logging.Formatter("%(asctime)s %(name)s: %(message)s"))
        log.addHandler(handler)
        log.setLevel(logging.INFO)
    return PromptGrid(grid)
