"""Submit a count to a Flower Deployment Engine (SuperLink + the hospitals' SuperNodes) with ``flwr run``.

The hospitals' SuperNodes dial out to the SuperLink (TLS, SuperNode
authentication) with ``--node-config 'fednet-config="/path/node.toml"'``; the
count runs as the ServerApp :data:`coordinator.query.flower_server.app` next to
the SuperLink, so the job file, the coordinator key and the result file are on
the SuperLink's host (the coordinator's machine).

Steps (:func:`run_deployed_count` does all of them):

1. :func:`write_app`: a Flower app folder whose ``pyproject.toml`` names the
   fednet ServerApp/ClientApp (the FAB carries no code: both sides import the
   installed ``fednet`` package);
2. :func:`write_job`: the job JSON (signed permit, query, ε, key folder, result path);
3. :func:`write_flwr_config`: a ``FLWR_HOME/config.toml`` naming the SuperLink and its CA;
4. :func:`submit`: ``flwr run APP SUPERLINK --run-config fednet-job=...`` → run id;
5. :func:`wait_for_result`: the result JSON the ServerApp writes.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Mapping

CONNECTION = "fednet"
"""The name of the SuperLink connection in ``FLWR_HOME/config.toml``."""

APP_PYPROJECT = """\
[build-system]
requires = ["hatchling"]
build-backend = "hatchling.build"

[project]
name = "fednet-query"
version = "0.1.0"
dependencies = []

[tool.hatch.build.targets.wheel]
packages = ["."]

[tool.flwr.app]
publisher = "fednet"

[tool.flwr.app.components]
serverapp = "coordinator.query.flower_server:app"
clientapp = "node.query.flower_client:app"

[tool.flwr.app.config]
fednet-job = ""
"""


class DeploymentError(RuntimeError):
    """``flwr run`` failed or the ServerApp wrote no result in time."""


def flwr_bin(name: str = "flwr") -> str:
    """The Flower executable next to this Python (the venv), else on ``PATH``."""
    local = Path(sys.executable).parent / name
    return str(local) if local.exists() else (shutil.which(name) or name)


def write_app(folder: Path) -> Path:
    """The Flower app folder (only a ``pyproject.toml``) for ``flwr run``."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "pyproject.toml").write_text(APP_PYPROJECT)
    return folder


def write_job(path: Path, job: Mapping[str, Any]) -> Path:
    """The job JSON the ServerApp reads (``permit``, ``query``, ``epsilon``, ``key_dir``, ``result``...)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(dict(job), indent=2))
    return path


def write_flwr_config(flwr_home: Path, superlink: str, root_cert: Path | None) -> Path:
    """``FLWR_HOME/config.toml`` with one connection :data:`CONNECTION` to ``superlink`` (TLS with ``root_cert``)."""
    flwr_home.mkdir(parents=True, exist_ok=True)
    lines = ["[superlink]", f'default = "{CONNECTION}"', "", f"[superlink.{CONNECTION}]", f'address = "{superlink}"']
    lines.append(f'root-certificates = "{Path(root_cert).resolve()}"' if root_cert else "insecure = true")
    path = flwr_home / "config.toml"
    path.write_text("\n".join(lines) + "\n")
    return path


def flwr_env(flwr_home: Path, base: Mapping[str, str] | None = None) -> dict[str, str]:
    """Environment for the ``flwr`` CLI: our ``FLWR_HOME``, no telemetry, no dependency installs."""
    return {**(base if base is not None else os.environ), "FLWR_HOME": str(flwr_home), "FLWR_TELEMETRY_ENABLED": "0",
            "FLWR_DISABLE_RUNTIME_DEPENDENCY_INSTALLATION": "1"}


def submit(app: Path, job_file: Path, env: Mapping[str, str], *, cwd: Path | None = None, timeout_s: float = 120) -> int:
    """``flwr run`` the app against :data:`CONNECTION`; returns the run id."""
    cmd = [flwr_bin(), "run", str(app), CONNECTION, "--format", "json",
           "--run-config", f'fednet-job="{Path(job_file).resolve()}"']
    done = subprocess.run(cmd, env=dict(env), cwd=cwd, capture_output=True, text=True, timeout=timeout_s)
    try:
        reply = json.loads(done.stdout)
    except json.JSONDecodeError:
        reply = {}
    if done.returncode != 0 or not reply.get("success", False) or "run-id" not in reply:
        raise DeploymentError(f"flwr run failed (exit {done.returncode}): {done.stdout.strip()} {done.stderr.strip()}")
    return int(reply["run-id"])


def stop(run_id: int, env: Mapping[str, str], *, cwd: Path | None = None) -> None:
    """``flwr stop`` a run (best effort: a finished run is already stopped)."""
    subprocess.run([flwr_bin(), "stop", str(run_id), CONNECTION], env=dict(env), cwd=cwd, capture_output=True,
                   timeout=60)


def wait_for_result(path: Path, timeout_s: float) -> dict[str, Any]:
    """The result JSON the ServerApp writes (written whole, then renamed), once it is there."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if path.exists():
            return json.loads(path.read_text())
        time.sleep(0.5)
    raise DeploymentError(f"no result at {path} after {timeout_s:.0f} s: check the SuperLink's and SuperNodes' logs "
                          "(are the SuperNodes registered and connected?)")


def run_deployed_count(job: Mapping[str, Any], work_dir: Path, superlink: str, root_cert: Path | None, *,
                       min_nodes: int, timeout_s: float = 180.0, env: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Run one count on a Deployment Engine and return the result (``CountResult.to_dict()``).

    Parameters
    ----------
    job:
        ``permit`` (signed, as a dict), ``query`` (spec dict), ``epsilon``, ``key_dir``.
    work_dir:
        Folder for the app, the job, the result and the ``flwr`` CLI's home.
    superlink:
        ``HOST:PORT`` of the SuperLink's Control API.
    root_cert:
        The CA certificate of the SuperLink's TLS (``None``: plain text, loopback trials only).
    min_nodes:
        Wait for this many connected SuperNodes before sending the first message.
    """
    work_dir = Path(work_dir).resolve()
    result = work_dir / "result.json"
    result.unlink(missing_ok=True)
    job_file = write_job(work_dir / "job.json", {**job, "key_dir": str(Path(job["key_dir"]).resolve()),
                                                 "result": str(result), "min_nodes": min_nodes,
                                                 "timeout_s": job.get("timeout_s", 60.0)})
    flwr_home = work_dir / "flwr-home"
    write_flwr_config(flwr_home, superlink, root_cert)
    run_env = flwr_env(flwr_home, env)
    run_id = submit(write_app(work_dir / "app"), job_file, run_env, cwd=work_dir)
    try:
        return wait_for_result(result, timeout_s)
    finally:
        stop(run_id, run_env, cwd=work_dir)
