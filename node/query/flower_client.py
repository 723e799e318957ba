"""The node's side of cross-site queries as a Flower ``ClientApp`` (``@app.query`` handlers).

Queries travel over the same channel as training: the SuperNode of a hospital
dials out to the network's SuperLink (TLS, node authentication) and receives
``query.hello``, ``query.count`` and ``query.unmask`` messages; each handler
hands the JSON payload to :class:`node.query.service.NodeQueryService`, which
checks the signed request itself (the channel is not trusted for that).

Which node am I? On the Deployment Engine the SuperNode is started with
``--node-config 'fednet-config="/etc/fednet/node.toml"'``; in a simulation,
``FEDNET_QUERY_NODES`` holds a JSON list of node settings indexed by
``partition-id``.
"""

from __future__ import annotations

import json
import os
from typing import Any

from flwr.app import ConfigRecord, Context, Message, RecordDict
from flwr.clientapp import ClientApp

PAYLOAD = "fednet"
SIM_NODES_ENV = "FEDNET_QUERY_NODES"


def pack(payload: dict[str, Any]) -> RecordDict:
    """A JSON payload as Flower message content."""
    return RecordDict({PAYLOAD: ConfigRecord({"json": json.dumps(payload)})})


def unpack(content: RecordDict) -> dict[str, Any]:
    return json.loads(str(content.config_records[PAYLOAD]["json"]))


def _settings(context: Context):
    from node.settings import NodeSettings, load_settings

    config = context.node_config.get("fednet-config")
    if config:
        return load_settings(str(config))
    nodes = json.loads(os.environ.get(SIM_NODES_ENV, "[]"))
    index = int(context.node_config.get("partition-id", -1))
    if not 0 <= index < len(nodes):
        raise RuntimeError("this SuperNode has no fednet node configured: start it with "
                           "--node-config 'fednet-config=\"/path/node.toml\"'")
    return NodeSettings.model_validate(nodes[index])


_OPEN_SERVICES: dict[str, Any] = {}
"""Node query services opened by this ClientApp process, by their settings (JSON).

The node stays open between messages, so its count snapshot (node/query/counter.py)
is built once per process and only rebuilt when the store changes, instead of
opening the store and rebuilding for every message. Changed settings open a new one.
"""


def _service(context: Context):
    from node.query.service import service_for
    from node.runtime import open_node

    settings = _settings(context)
    key = settings.model_dump_json()
    service = _OPEN_SERVICES.get(key)
    if service is None:
        service = _OPEN_SERVICES[key] = service_for(open_node(settings))
    return service


def _handle(kind: str, message: Message, context: Context) -> Message:
    service = _service(context)
    payload = unpack(message.content)
    reply = {"hello": lambda _p: service.hello(), "count": service.count, "unmask": service.unmask}[kind](payload)
    return Message(pack(reply), reply_to=message)


app = ClientApp()


@app.query("hello")
def hello(message: Message, context: Context) -> Message:
    return _handle("hello", message, context)


@app.query("count")
def count(message: Message, context: Context) -> Message:
    return _handle("count", message, context)


@app.query("unmask")
def unmask(message: Message, context: Context) -> Message:
    return _handle("unmask", message, context)
