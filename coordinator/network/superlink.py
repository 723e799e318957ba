"""``python -m coordinator.network.superlink [flower-superlink flags]``: the SuperLink, fenced.

Flower 1.41's SuperLink serves *all* its HTTP APIs on one ``--host:--port``: the Fleet API the
hospitals' SuperNodes dial into, but also the Control API (``flwr run``, ``flwr supernode
register``: without an authentication plugin, open to whoever connects) and the Runtime API
the ServerApps use (pushing messages to nodes, reading their replies). Bound to a public
address as a network must, it would let anyone who reaches the port register their own
SuperNode key or start a run.

This launcher runs Flower's own SuperLink application with the flags it is given (parsed by
Flower's parser, so exactly ``flower-superlink --help``'s flags) and puts :class:`LoopbackFence`
in front of it: requests from other hosts reach the Fleet API (``/v1/fleet/``, where TLS and
SuperNode authentication apply) and the health probe only; everything else answers 403
unless it comes from this host. The coordinator service, the ``flwr`` CLI and the ServerApps
run on this host and are unaffected.
"""

from __future__ import annotations

import ipaddress
import os
import sys

PUBLIC_PREFIXES = ("/v1/fleet/", "/health")
OFFLINE_ENV = {"FLWR_TELEMETRY_ENABLED": "0", "FLWR_DISABLE_UPDATE_CHECK": "1"}


def is_loopback(host: str | None) -> bool:
    try:
        return host is not None and ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class LoopbackFence:
    """ASGI middleware: only the Fleet API and health for other hosts; every API for loopback."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http":
            client = scope.get("client")
            path = scope.get("path", "")
            if not path.startswith(PUBLIC_PREFIXES) and not is_loopback(client[0] if client else None):
                await send({"type": "http.response.start", "status": 403,
                            "headers": [(b"content-type", b"text/plain")]})
                await send({"type": "http.response.body",
                            "body": b"this SuperLink API is reachable from the coordinator host only\n"})
                return
        await self.app(scope, receive, send)


def main(argv: list[str] | None = None) -> None:
    for key, value in OFFLINE_ENV.items():
        os.environ[key] = value
    import importlib

    import uvicorn

    from flwr.supercore.http_logging import get_uvicorn_log_config
    from flwr.supercore.logger import console_handler
    from flwr.superlink.main import create_app

    cli = importlib.import_module("flwr.superlink.cli.flower_superlink")  # the package re-exports a function by that name

    sys.argv = ["flower-superlink", *(sys.argv[1:] if argv is None else argv)]
    config = cli._parse_superlink_lifespan_config()  # pylint: disable=protected-access
    app = create_app(config, cli.SuperLinkLifespan)
    # as flwr.superlink.cli.flower_superlink._run_superlink_http_api, with the fence in front
    uvicorn.run(app=LoopbackFence(app), host=config.host, port=config.port, reload=False, access_log=False,
                log_config=get_uvicorn_log_config(console_handler.level), ssl_keyfile=config.ssl_keyfile,
                ssl_certfile=config.ssl_certfile, workers=1, lifespan="on")


if __name__ == "__main__":
    main()
