"""PKI end to end with real TLS handshakes on loopback.

The coordinator's CA signs node CSRs; a TLS server built from the PKI folder
accepts a node certificate of the network, and refuses one from another CA,
a revoked one and a rotated-out one, both at the handshake (CRL) and, for a
server whose context predates the revocation, by the registry gate.
"""

from __future__ import annotations

import os
import queue
import socket
import ssl
import stat
import threading
from pathlib import Path

import pytest

from coordinator.pki.ca import init_ca, load_ca
from coordinator.pki.enrolment import approve, revoke
from coordinator.pki.files import PKIError
from coordinator.pki.registry import NodeRegistry
from coordinator.pki.tls import NodeGate, NodeRefused, client_context, server_context
from node.identity.install import install_certificate
from node.identity.keys import IdentityError, create_identity, start_rotation
from node.identity.status import certificate_status


class LoopbackServer:
    """A one-connection-at-a-time mutual-TLS server; answers b'welcome <site>' or closes."""

    def __init__(self, ctx: ssl.SSLContext, gate: NodeGate) -> None:
        self.ctx, self.gate = ctx, gate
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.events: list[str] = []
        self._verdicts: queue.Queue[str] = queue.Queue()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while True:
            try:
                raw, _ = self.sock.accept()
            except OSError:
                return
            try:
                with self.ctx.wrap_socket(raw, server_side=True) as tls:
                    try:
                        record = self.gate.check(tls)
                    except NodeRefused as exc:
                        self._verdicts.put(f"gate: {exc}")
                        continue
                    tls.sendall(f"welcome {record.site_id}".encode())
                    self._verdicts.put(f"accepted {record.site_id}")
            except (ssl.SSLError, OSError) as exc:
                self._verdicts.put(f"handshake: {exc.__class__.__name__}")
                raw.close()

    def connect(self, ca: Path, cert: Path, key: Path) -> str | None:
        """The server's greeting, or None when the connection was refused (the server's verdict goes to events)."""
        ctx = client_context(ca, cert, key)
        greeting = None
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=5) as raw:
                with ctx.wrap_socket(raw, server_hostname="localhost") as tls:
                    greeting = tls.recv(100).decode() or None
        except (ssl.SSLError, OSError):
            greeting = None
        self.events.append(self._verdicts.get(timeout=5))
        return greeting

    def close(self) -> None:
        self.sock.close()


def _enrol(ca, node_dir: Path, site: str) -> Path:
    ident = create_identity(node_dir, site)
    approval = approve(ca, ident.csr_path.read_bytes())
    install_certificate(node_dir, approval.cert_path.read_bytes(), (ca.folder / "ca.crt").read_bytes(), site)
    return node_dir


def _files(node_dir: Path) -> tuple[Path, Path, Path]:
    return node_dir / "ca.crt", node_dir / "node.crt", node_dir / "node.key"


@pytest.fixture
def network(tmp_path):
    ca = init_ca(tmp_path / "coord" / "pki", "testnet")
    return ca, tmp_path


def test_keys_are_private_and_csr_carries_only_the_site_id(network):
    ca, tmp = network
    ident = create_identity(tmp / "a", "hospital-a", "St. Aurelia University Hospital")
    for name in ("node.key", "supernode.key"):
        assert stat.S_IMODE(os.stat(tmp / "a" / name).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(ca.folder / "ca.key").st_mode) == 0o600
    assert b"Aurelia" not in ident.csr_path.read_bytes()
    assert not create_identity(tmp / "a", "hospital-a").created  # idempotent: the key is kept


def test_network_node_accepted_other_ca_and_revoked_refused(network):
    ca, tmp = network
    a = _enrol(ca, tmp / "a", "hospital-a")
    b = _enrol(ca, tmp / "b", "hospital-b")
    rogue_ca = init_ca(tmp / "rogue" / "pki", "rogue")
    # A node certificate from another CA, presented with the real network CA as its trust anchor.
    c_dir = tmp / "c"
    ident = create_identity(c_dir, "hospital-c")
    rogue_cert = approve(rogue_ca, ident.csr_path.read_bytes()).cert_path
    (c_dir / "node.crt").write_bytes(rogue_cert.read_bytes())

    server = LoopbackServer(server_context(ca.folder), NodeGate(ca.folder))
    try:
        assert server.connect(*_files(a)) == "welcome hospital-a"
        assert server.connect(*_files(b)) == "welcome hospital-b"
        assert server.connect(a / "ca.crt", c_dir / "node.crt", c_dir / "node.key") is None
        assert any(e.startswith("handshake") for e in server.events)

        revoke(load_ca(ca.folder), "hospital-b", "laptop stolen")
        # The running server's context predates the CRL: the registry gate refuses at connection.
        assert server.connect(*_files(b)) is None
        assert any("revoked" in e for e in server.events)
        assert server.connect(*_files(a)) == "welcome hospital-a"
    finally:
        server.close()

    # A server started after the revocation refuses it in the handshake itself (CRL check).
    fresh = LoopbackServer(server_context(ca.folder), NodeGate(ca.folder))
    try:
        assert fresh.connect(*_files(b)) is None
        assert fresh.events and fresh.events[-1].startswith("handshake")
        assert fresh.connect(*_files(a)) == "welcome hospital-a"
    finally:
        fresh.close()


def test_rotation_supersedes_the_old_certificate(network):
    ca, tmp = network
    a = _enrol(ca, tmp / "a", "hospital-a")
    old_cert, old_key = (a / "node.crt").read_bytes(), (a / "node.key").read_bytes()
    csr = start_rotation(a, "hospital-a")
    approval = approve(ca, csr.read_bytes())
    assert approval.superseded
    install_certificate(a, approval.cert_path.read_bytes(), (ca.folder / "ca.crt").read_bytes(), "hospital-a")
    assert (a / "node.key").read_bytes() != old_key and not (a / "next").exists()
    (tmp / "old").mkdir()
    (tmp / "old" / "node.crt").write_bytes(old_cert)
    os.close(os.open(tmp / "old" / "node.key", os.O_CREAT | os.O_WRONLY, 0o600))
    (tmp / "old" / "node.key").write_bytes(old_key)
    server = LoopbackServer(server_context(ca.folder), NodeGate(ca.folder))
    try:
        assert server.connect(*_files(a)) == "welcome hospital-a"
        assert server.connect(a / "ca.crt", tmp / "old" / "node.crt", tmp / "old" / "node.key") is None
    finally:
        server.close()
    statuses = [r.status for r in NodeRegistry(ca.folder).all()]
    assert sorted(statuses) == ["active", "superseded"]
    assert certificate_status(a)["state"] == "valid"


def test_bad_requests_are_clear_errors(network):
    ca, tmp = network
    with pytest.raises(PKIError, match="not a PEM certificate request"):
        approve(ca, b"garbage")
    ident = create_identity(tmp / "a", "hospital-a")
    approve(ca, ident.csr_path.read_bytes())
    with pytest.raises(PKIError, match="already has an active certificate"):
        approve(ca, ident.csr_path.read_bytes())
    with pytest.raises(PKIError, match="already exists"):
        init_ca(ca.folder, "again")
    other = create_identity(tmp / "b", "hospital-b")
    cert = approve(ca, other.csr_path.read_bytes()).cert_path.read_bytes()
    with pytest.raises(IdentityError, match="does not match this node's key"):
        install_certificate(tmp / "a", cert, (ca.folder / "ca.crt").read_bytes(), "hospital-b")
    with pytest.raises(PKIError, match="no active certificate"):
        revoke(ca, "hospital-zz")


def test_cli_enrolment_and_status_connection(tmp_path, monkeypatch, capsys):
    """fedcoord pki init -> fednode init -> fedcoord nodes approve -> fednode pki install -> fednode status."""
    import json as _json

    from coordinator.cli import main as fedcoord
    from node.cli import main as fednode

    coord = str(tmp_path / "coord")
    monkeypatch.delenv("MONGODB_URI", raising=False)
    monkeypatch.setenv("FEDNET_NODE__DATA_DIR", str(tmp_path / "node"))
    monkeypatch.setenv("FEDNET_NODE__SITE_ID", "hospital-a")
    assert fedcoord(["pki", "init", "--dir", coord, "--network", "testnet"]) == 0
    assert fednode(["init"]) == 0
    assert "fedcoord nodes approve" in capsys.readouterr().out
    csr = tmp_path / "node" / "pki" / "node.csr"
    assert fedcoord(["nodes", "approve", "--dir", coord, str(csr), "--site", "hospital-b"]) == 2
    assert "not 'hospital-b'" in capsys.readouterr().err
    assert fedcoord(["nodes", "approve", "--dir", coord, str(csr)]) == 0
    assert fednode(["pki", "install", "--cert", f"{coord}/pki/issued/hospital-a.crt", "--ca", f"{coord}/pki/ca.crt"]) == 0
    # The SuperLink's TLS endpoint (its server certificate from `pki init`) on loopback.
    import socket as _socket
    import ssl as _ssl

    ctx = _ssl.SSLContext(_ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(f"{coord}/pki/superlink.crt", f"{coord}/pki/superlink.key")
    sock = _socket.create_server(("127.0.0.1", 0))

    def serve():
        conn, _ = sock.accept()
        try:
            with ctx.wrap_socket(conn, server_side=True):
                pass
        except (OSError, _ssl.SSLError):
            pass

    threading.Thread(target=serve, daemon=True).start()
    monkeypatch.setenv("FEDNET_DEPLOY__SUPERLINK", f"localhost:{sock.getsockname()[1]}")
    capsys.readouterr()
    assert fednode(["status"]) == 0
    status = _json.loads(capsys.readouterr().out)
    sock.close()
    assert status["certificates"]["state"] == "valid" and status["connection"]["ok"] is True
    assert status["schema"]["pending_migrations"] == [] and status["last_audit_entry"] is None
    assert fedcoord(["nodes", "revoke", "--dir", coord, "hospital-a"]) == 0
    capsys.readouterr()
    assert fedcoord(["nodes", "list", "--dir", coord, "--json"]) == 0
    assert [r["status"] for r in _json.loads(capsys.readouterr().out)] == ["revoked"]
