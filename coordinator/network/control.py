"""The coordinator's use of the SuperLink's Control API (on this host only: the fence allows no other).

- :func:`sync_supernodes`: the SuperNodes the SuperLink accepts are exactly the PKI
  registry's active nodes (``fedcoord nodes approve`` / ``revoke``): their keys are registered,
  revoked or superseded ones unregistered. A node that was never approved is refused at
  connection (node authentication).
- :func:`submit_run` / :func:`stop_run`: ``flwr run`` / ``flwr stop`` of a fednet app folder
  (:func:`write_app`) against the connection :data:`CONNECTION` in ``FLWR_HOME``
  (:func:`write_flwr_config`).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

CONNECTION = "fednet"
QUERY_APP = {"name": "fednet-query", "serverapp": "coordinator.query.flower_server:app",
             "clientapp": "node.query.flower_client:app", "config": {}}
TRAINING_APP = {"name": "fednet-clip", "serverapp": "fl_tasks.server_app:app", "clientapp": "fl_tasks.client_app:app",
                "config": {"fednet-run": ""}}


class ControlError(RuntimeError):
    """A Control API call or ``flwr`` command failed; the message says what it printed."""


def flwr_bin(name: str = "flwr") -> str:
    """The Flower executable next to this Python (the venv), else on ``PATH``."""
    local = Path(sys.executable).parent / name
    return str(local) if local.exists() else (shutil.which(name) or name)


def write_app(folder: Path, app: Mapping[str, Any]) -> Path:
    """A Flower app folder holding only a ``pyproject.toml``: the FAB carries no code (both sides
    run the installed fednet package; a node runs nothing else, see node/network/worker.py)."""
    folder.mkdir(parents=True, exist_ok=True)
    config = "\n".join(f'{k} = "{v}"' for k, v in app["config"].items())
    (folder / "pyproject.toml").write_text(f"""\
[build-system]
requires = ["hatchling"]
build-backend = "hatchling.build"

[project]
name = "{app['name']}"
version = "0.1.0"
dependencies = []

[tool.hatch.build.targets.wheel]
packages = ["."]

[tool.flwr.app]
publisher = "fednet"

[tool.flwr.app.components]
serverapp = "{app['serverapp']}"
clientapp = "{app['clientapp']}"

[tool.flwr.app.config]
{config}
""")
    return folder


def write_flwr_config(flwr_home: Path, address: str, root_cert: Path) -> Path:
    """``FLWR_HOME/config.toml`` with one connection :data:`CONNECTION` to ``address`` over TLS."""
    flwr_home.mkdir(parents=True, exist_ok=True)
    path = flwr_home / "config.toml"
    path.write_text(f'[superlink]\ndefault = "{CONNECTION}"\n\n[superlink.{CONNECTION}]\naddress = "{address}"\n'
                    f'root-certificates = "{Path(root_cert).resolve()}"\n')
    return path


def flwr_env(flwr_home: Path, base: Mapping[str, str] | None = None) -> dict[str, str]:
    """Environment for ``flwr`` commands: our ``FLWR_HOME``, no telemetry, no update check, no installs."""
    return {**(base if base is not None else os.environ), "FLWR_HOME": str(flwr_home), "FLWR_TELEMETRY_ENABLED": "0",
            "FLWR_DISABLE_UPDATE_CHECK": "1", "FLWR_DISABLE_RUNTIME_DEPENDENCY_INSTALLATION": "1"}


def submit_run(app: Path, env: Mapping[str, str], run_config: Mapping[str, str] | None = None,
               timeout_s: float = 120) -> int:
    """``flwr run APP fednet``; returns the run id."""
    cmd = [flwr_bin(), "run", str(app), CONNECTION, "--format", "json"]
    for key, value in (run_config or {}).items():
        cmd += ["--run-config", f'{key}="{value}"']
    done = subprocess.run(cmd, env=dict(env), cwd=app, capture_output=True, text=True, timeout=timeout_s)
    try:
        reply = json.loads(done.stdout)
    except json.JSONDecodeError:
        reply = {}
    if done.returncode != 0 or not reply.get("success", False) or "run-id" not in reply:
        raise ControlError(f"flwr run failed (exit {done.returncode}): {done.stdout.strip()} {done.stderr.strip()}")
    return int(reply["run-id"])


def stop_run(run_id: int, env: Mapping[str, str]) -> None:
    """``flwr stop`` (best effort: a finished run is stopped already)."""
    subprocess.run([flwr_bin(), "stop", str(run_id), CONNECTION], env=dict(env), capture_output=True, timeout=60)


def control_client(address: str, root_cert: Path):
    """A Control API client (TLS with the network CA) for ``address`` (this host)."""
    from flwr.cli.cli_client_interceptor import CliClientHttpInterceptor
    from flwr.supercore.control import ControlHttpClient
    from flwr.supercore.interceptors import RuntimeVersionHttpInterceptor

    return ControlHttpClient.from_server_address(server_address=address, insecure=False,
                                                 root_certificates=Path(root_cert).read_bytes(),
                                                 interceptors=[CliClientHttpInterceptor(),
                                                               RuntimeVersionHttpInterceptor(component_name="flwr CLI")])


def flower_key_bytes(openssh_public_key: str) -> bytes:
    """A SuperNode key as the SuperLink stores it (PEM SubjectPublicKeyInfo) from its OpenSSH form."""
    from cryptography.hazmat.primitives.serialization import load_ssh_public_key
    from flwr.supercore.primitives.asymmetric import public_key_to_bytes

    return public_key_to_bytes(load_ssh_public_key(openssh_public_key.strip().encode()))


@dataclass
class SyncReport:
    registered: list[str]
    unregistered: list[str]
    kept: list[str]


def sync_supernodes(client, pki_dir: Path) -> SyncReport:
    """Register the active registry entries' SuperNode keys; unregister any other registered key."""
    from flwr.proto.control_pb2 import (  # pylint: disable=no-name-in-module
        ListNodesRequest, RegisterNodeRequest, UnregisterNodeRequest)

    from coordinator.pki.registry import NodeRegistry

    wanted = {flower_key_bytes(r.supernode_public_key): r.site_id for r in NodeRegistry(pki_dir).active()}
    present = {bytes(n.public_key): n for n in client.ListNodes(ListNodesRequest()).nodes_info
               if n.status != "unregistered"}
    report = SyncReport([], [], [])
    for key, node in present.items():
        if key in wanted:
            report.kept.append(wanted[key])
        else:
            client.UnregisterNode(UnregisterNodeRequest(node_id=node.node_id))
            report.unregistered.append(node.name or str(node.node_id))
    for key, site in wanted.items():
        if key not in present:
            client.RegisterNode(RegisterNodeRequest(public_key=key, name=site))
            report.registered.append(site)
    return report


def site_keys(pki_dir: Path) -> dict[bytes, str]:
    """Active registry entries: SuperNode key (as the SuperLink reports it) -> site id."""
    from coordinator.pki.registry import NodeRegistry

    return {flower_key_bytes(r.supernode_public_key): r.site_id for r in NodeRegistry(pki_dir).active()}
