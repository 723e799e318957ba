"""The node's TLS client side: trust only the network CA, present the node certificate."""

from __future__ import annotations

import socket
import ssl
from pathlib import Path
from typing import Any


def client_context(ca_cert: Path, cert: Path | None = None, key: Path | None = None) -> ssl.SSLContext:
    """A TLS client context that trusts only ``ca_cert`` and, if given, presents ``cert``/``key``."""
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    ctx.load_verify_locations(cafile=str(ca_cert))
    if cert is not None and key is not None:
        ctx.load_cert_chain(cert, key)
    return ctx


def probe(address: str, ctx: ssl.SSLContext, timeout: float = 5.0) -> dict[str, Any]:
    """Open one TLS connection to ``host:port`` and say what happened (for ``fednode status``)."""
    host, _, port_text = address.rpartition(":")
    if not host or not port_text.isdigit():
        return {"ok": False, "address": address, "error": "not host:port (set [deploy] superlink)"}
    try:
        with socket.create_connection((host, int(port_text)), timeout=timeout) as raw:
            with ctx.wrap_socket(raw, server_hostname=host) as tls:
                peer = tls.getpeercert() or {}
                return {"ok": True, "address": address, "tls": tls.version(), "server_not_after": peer.get("notAfter")}
    except ssl.SSLCertVerificationError as exc:
        return {"ok": False, "address": address, "error": f"server certificate refused: {exc.verify_message}"}
    except (ssl.SSLError, OSError) as exc:
        return {"ok": False, "address": address, "error": f"{exc.__class__.__name__}: {exc}"}
