"""A real network on one machine: the coordinator and each node as their own process groups.

What ``fedcoord demo`` (engine ``deployment``, the default), ``bench/network.py`` and the
multi-process tests run. Nothing is shared between the processes but what a real network
shares: the SuperLink's address and the network CA.

- :func:`enrol` does the operators' steps of ``deploy/README.md`` for nodes that exist on
  this machine: the network CA (``fedcoord pki init``), the coordinator key, each node's key
  and CSR (``fednode init``'s identity step), its approval (``fedcoord nodes approve``) and the
  certificate's installation (``fednode pki install``), and the network keys of each node's
  TOML (``[query] coordinator_public_key``, ``[deploy] superlink``, ``[network]``).
- :class:`LoopbackNetwork` starts ``fedcoord serve`` and one ``fednode join`` per node (each
  a new session: one process group per node), waits until every site is connected, and
  stops them all.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping

import tomli_w


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def update_toml(path: Path, sections: Mapping[str, Mapping[str, Any]]) -> Path:
    """Set keys in a node TOML (other keys and sections are kept)."""
    data = tomllib.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    for section, values in sections.items():
        data.setdefault(section, {}).update(values)
    path.write_text(tomli_w.dumps(data), encoding="utf-8")
    return path


def enrol(coord_dir: Path, node_configs: Iterable[Path], superlink: str, *,
          feature_cache: Path | None = None) -> list[Path]:
    """PKI, coordinator key and node approvals for nodes on this machine (see the module docstring).

    ``feature_cache``: each node's ``[network] feature_cache`` becomes ``<feature_cache>/<site>``
    (kept outside the node folders so that a demo run reuses the previous run's features).
    """
    from coordinator.governance.keys import load_or_create_key
    from coordinator.pki.ca import init_ca, load_ca
    from coordinator.pki.enrolment import approve
    from node.governance.permits import public_key_b64
    from node.identity.install import install_certificate
    from node.identity.keys import create_identity
    from node.settings import load_settings

    coord_dir = Path(coord_dir)
    pki = coord_dir / "pki"
    ca = load_ca(pki) if (pki / "ca.key").exists() else init_ca(pki, "fednet-loopback",
                                                                 server_hosts=("localhost", "127.0.0.1"))
    coordinator_key = public_key_b64(load_or_create_key(coord_dir))
    configs = []
    for config in node_configs:
        config = Path(config).resolve()
        network: dict[str, Any] = {"runtime_port": free_port()}
        if feature_cache is not None:
            network["feature_cache"] = str((Path(feature_cache) / load_settings(config).node.site_id).resolve())
        update_toml(config, {"query": {"coordinator_public_key": coordinator_key}, "deploy": {"superlink": superlink},
                             "network": network})
        settings = load_settings(config)
        site = settings.node.site_id
        if not (settings.pki_dir / "node.crt").exists():
            identity = create_identity(settings.pki_dir, site, settings.node.site_name)
            approval = approve(ca, identity.csr_path.read_bytes(), expected_site=site)
            install_certificate(settings.pki_dir, approval.cert_path.read_bytes(), (pki / "ca.crt").read_bytes(), site)
        configs.append(config)
    return configs


def network_env(base: Mapping[str, str] | None = None) -> dict[str, str]:
    """Environment of the network's processes: offline, no telemetry, no dependency installs."""
    repo = Path(__file__).resolve().parents[2]
    env = dict(base if base is not None else os.environ)
    env.update({"FLWR_TELEMETRY_ENABLED": "0", "FLWR_DISABLE_UPDATE_CHECK": "1", "HF_HUB_OFFLINE": "1",
                "FLWR_DISABLE_RUNTIME_DEPENDENCY_INSTALLATION": "1", "TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS": "",
                "PYTHONPATH": os.pathsep.join(p for p in (str(repo), env.get("PYTHONPATH", "")) if p)})
    return env


@dataclass
class LoopbackNetwork:
    """``fedcoord serve`` and one ``fednode join`` per node, on 127.0.0.1.

    Parameters
    ----------
    coord_dir:
        The coordinator folder (:func:`enrol` made its PKI and key).
    node_configs:
        The nodes' TOML files (:func:`enrol` wrote their network keys).
    log_dir:
        One log file per process (``coordinator.log``, ``<site>.log``).
    port:
        The SuperLink's port (:func:`enrol` must have been given ``127.0.0.1:<port>``).
    """

    coord_dir: Path
    node_configs: list[Path]
    log_dir: Path
    port: int
    api_port: int = field(default_factory=free_port)
    serve_args: list[str] = field(default_factory=list)
    procs: dict[str, subprocess.Popen] = field(default_factory=dict)
    env: dict[str, str] = field(default_factory=network_env)

    @property
    def superlink(self) -> str:
        return f"127.0.0.1:{self.port}"

    def _start(self, name: str, argv: list[str], extra_env: Mapping[str, str] | None = None) -> subprocess.Popen:
        self.log_dir.mkdir(parents=True, exist_ok=True)
        with (self.log_dir / f"{name}.log").open("ab") as out:
            proc = subprocess.Popen(argv, env={**self.env, **(extra_env or {})}, stdout=out, stderr=subprocess.STDOUT,
                                    start_new_session=True)
        self.procs[name] = proc
        return proc

    def start_coordinator(self) -> None:
        self._start("coordinator", [sys.executable, "-m", "coordinator.cli", "serve", "--dir", str(self.coord_dir),
                                    "--host", "127.0.0.1", "--port", str(self.port), "--api-port", str(self.api_port),
                                    *self.serve_args])

    def start_node(self, config: Path, name: str | None = None) -> subprocess.Popen:
        from node.settings import load_settings

        name = name or load_settings(config).node.site_id
        return self._start(name, [sys.executable, "-m", "node.cli", "join", "--config", str(config)],
                           {"OMP_NUM_THREADS": str(self.node_threads)})

    @property
    def node_threads(self) -> int:
        """CPU threads per node: the nodes share this machine's CPUs (a real node has its own)."""
        return max(1, (os.cpu_count() or 1) // max(1, len(self.node_configs)))

    def client(self):
        from coordinator.network.client import ServiceClient

        return ServiceClient.for_dir(self.coord_dir)

    def wait_for(self, predicate, timeout_s: float, what: str) -> None:
        end = time.monotonic() + timeout_s
        while time.monotonic() < end:
            dead = {n: p.returncode for n, p in self.procs.items() if p.poll() is not None and n == "coordinator"}
            if dead:
                raise RuntimeError(f"the coordinator exited ({dead}); see {self.log_dir / 'coordinator.log'}")
            try:
                if predicate():
                    return
            except Exception:  # pylint: disable=broad-except
                pass  # not up yet
            time.sleep(0.5)
        raise TimeoutError(f"timed out after {timeout_s:.0f} s waiting for {what}; logs in {self.log_dir}")

    def connected_sites(self) -> list[str]:
        return list(self.client().status().get("sites", []))

    def start(self, sites: Iterable[str], timeout_s: float = 240.0) -> "LoopbackNetwork":
        """Start the coordinator and every node; return once every one of ``sites`` is connected."""
        self.start_coordinator()
        self.wait_for(lambda: self.client().status() is not None, timeout_s, "the coordinator service")
        for config in self.node_configs:
            self.start_node(config)
        wanted = set(sites)
        self.wait_for(lambda: wanted <= set(self.connected_sites()), timeout_s, f"sites {sorted(wanted)} to connect")
        return self

    def kill(self, name: str, sig: int = signal.SIGKILL) -> None:
        """Signal a process group (a node: its SuperNode and its worker)."""
        proc = self.procs[name]
        if proc.poll() is None:
            os.killpg(proc.pid, sig)
            proc.wait(timeout=30)

    def stop(self) -> None:
        """Stop every process group: nodes first, then the coordinator (SIGTERM, then SIGKILL)."""
        order = [n for n in self.procs if n != "coordinator"] + (["coordinator"] if "coordinator" in self.procs else [])
        for name in order:
            proc = self.procs[name]
            if proc.poll() is None:
                try:
                    os.killpg(proc.pid, signal.SIGTERM)
                except ProcessLookupError:
                    continue
        for name in order:
            proc = self.procs[name]
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                pass
            try:  # children left behind (a SuperNode, a flwr-serverapp) share the group
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

    def __enter__(self) -> "LoopbackNetwork":
        return self

    def __exit__(self, *exc) -> None:
        self.stop()
