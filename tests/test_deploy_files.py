"""The deployment files validate: compose structure, secrets, TLS, healthchecks, real CLI flags, systemd units.

Docker is not installed here, so ``docker compose config`` runs only where it exists
(``test_docker_compose_config``); the structural checks below run everywhere.
"""

from __future__ import annotations

import configparser
import re
import shlex
import shutil
import subprocess
import sys
from functools import lru_cache
from pathlib import Path

import pytest
import yaml

DEPLOY = Path(__file__).resolve().parents[1] / "deploy"
COMPOSE = {"node": DEPLOY / "node" / "compose.yaml", "coordinator": DEPLOY / "coordinator" / "compose.yaml"}
SERVICES = {"node": {"mongodb", "node", "join"}, "coordinator": {"mongodb", "coordinator"}}
BIN = Path(sys.executable).parent


def _load(kind: str) -> dict:
    return yaml.safe_load(COMPOSE[kind].read_text())


@lru_cache(maxsize=None)
def _flags(tool: str) -> set[str]:
    out = subprocess.run([str(BIN / tool), "--help"], capture_output=True, text=True, timeout=120).stdout
    return set(re.findall(r"(--[a-z][a-z0-9-]+)", out))


def _check_command(argv: list[str]) -> None:
    """Every fednet command parses with the real CLI; every Flower flag exists in that tool's --help."""
    tool = Path(argv[0]).name
    if tool in ("fednode", "fedcoord"):
        from coordinator.cli import build_parser as coord_parser
        from node.cli import build_parser as node_parser

        parser = node_parser() if tool == "fednode" else coord_parser()
        parser.parse_args(argv[1:])  # SystemExit on an unknown subcommand or flag
    elif tool in ("flower-superlink", "flower-supernode"):
        used = {a.split("=", 1)[0] for a in argv[1:] if a.startswith("--")}
        assert used <= _flags(tool), f"{tool} has no {sorted(used - _flags(tool))}"
    else:
        raise AssertionError(f"unexpected program {tool}")


@pytest.mark.parametrize("kind", ["node", "coordinator"])
def test_compose_structure(kind):
    spec = _load(kind)
    services = spec["services"]
    assert set(services) == SERVICES[kind]
    for name, svc in services.items():
        hc = svc.get("healthcheck")
        assert hc and hc["test"] and hc["interval"], f"{name} has no healthcheck"
        for dep in svc.get("depends_on", {}):
            assert dep in services
        for vol in svc.get("volumes", []):
            source = vol.split(":")[0]
            assert source.startswith((".", "$")) or source in spec["volumes"], f"{name}: undeclared volume {source}"
        for secret in svc.get("secrets", []):
            assert secret in spec["secrets"], f"{name}: undeclared secret {secret}"
        for cfg in svc.get("configs", []):
            assert cfg["source"] in spec["configs"]
        for port in svc.get("ports", []):
            host_part = port.rsplit(":", 2)
            if len(host_part) == 3:
                continue  # bound to an address, e.g. 127.0.0.1
            assert name == "coordinator" and port == "9092:9092", f"{name} publishes {port} on every interface"
        if svc.get("image", "").startswith("fednet"):
            assert svc["read_only"] and "ALL" in svc["cap_drop"]
            if "command" in svc:
                _check_command(svc["command"])
    # MongoDB: authentication and TLS only, reachable only on an internal network, password from a file.
    mongo = services["mongodb"]
    env = mongo["environment"]
    assert "MONGO_INITDB_ROOT_PASSWORD" not in env and env["MONGO_INITDB_ROOT_PASSWORD_FILE"].startswith("/run/secrets/")
    assert mongo["networks"] == ["backend"] and spec["networks"]["backend"]["internal"] is True
    assert "ports" not in mongo


def test_mongod_requires_auth_and_tls():
    conf = yaml.safe_load((DEPLOY / "mongo" / "mongod.conf").read_text())
    assert conf["security"]["authorization"] == "enabled"
    assert conf["net"]["tls"]["mode"] == "requireTLS"
    assert conf["net"]["tls"]["certificateKeyFile"].startswith("/run/secrets/")


def test_flower_services_use_tls_and_node_authentication(tmp_path):
    """The SuperLink and SuperNode command lines that ``fedcoord serve`` and ``fednode join`` run:
    TLS with the network PKI, SuperNode authentication, and only flags the installed Flower has."""
    from coordinator.network.service import ServiceConfig, superlink_command
    from node.network.join import plan
    from node.settings import load_settings

    link = superlink_command(ServiceConfig(tmp_path / "coordinator"))
    assert link[1:3] == ["-m", "coordinator.network.superlink"]  # Flower's SuperLink behind the loopback fence
    assert "--enable-supernode-auth" in link and "--insecure" not in link
    assert {"--ssl-certfile", "--ssl-keyfile", "--ssl-ca-certfile"} <= set(link)
    assert link[link.index("--isolation") + 1] == "process"  # the coordinator service runs the ServerApp tasks
    used = {a for a in link[3:] if a.startswith("--")}
    assert used <= _flags("flower-superlink"), used - _flags("flower-superlink")

    settings = load_settings(DEPLOY / "node.example.toml", {"FEDNET_NODE__DATA_DIR": str(tmp_path / "node")})
    (settings.pki_dir).mkdir(parents=True)
    (settings.pki_dir / "ca.crt").write_text("test")
    (settings.pki_dir / "supernode.key").write_text("test")
    node = plan(settings).supernode
    assert node[1:3] == ["-m", "node.network.supernode"]
    assert "--insecure" not in node and "--root-certificates" in node and "--auth-supernode-private-key" in node
    assert node[node.index("--host") + 1] == "127.0.0.1"  # nothing of the node listens beyond this host
    used = {a for a in node[3:] if a.startswith("--")}
    assert used <= _flags("flower-supernode"), used - _flags("flower-supernode")


@pytest.mark.parametrize("kind", ["node", "coordinator"])
def test_secrets_are_files_outside_git(kind):
    spec = _load(kind)
    ignored = (COMPOSE[kind].parent / ".gitignore").read_text().split()
    for name, secret in spec["secrets"].items():
        folder = Path(secret["file"]).parts[0]  # ./secrets/x or ./pki/x
        assert f"{folder}/" in ignored, f"secret {name} lives in {folder}/, which git does not ignore"
        assert not (COMPOSE[kind].parent / secret["file"]).exists(), f"a real secret {secret['file']} is in the tree"
    for svc in spec["services"].values():
        for env_file in svc.get("env_file", []):
            assert env_file.startswith("./secrets/")
    text = COMPOSE[kind].read_text()
    assert not re.search(r"(?i)password[ \t]*[:=][ \t]*[^\s/$]", text.replace("PASSWORD_FILE", "")), "literal password"


def test_systemd_units():
    units = sorted((DEPLOY / "systemd").glob("*.service"))
    assert {u.name for u in units} >= {"fednet-node-ui.service", "fednet-node-join.service",
                                       "fednet-coordinator.service"}
    for unit in units:
        cp = configparser.ConfigParser(interpolation=None, strict=False)
        cp.optionxform = str
        cp.read(unit)
        service = cp["Service"]
        assert service["User"] == "fednet" and service["NoNewPrivileges"] == "true"
        assert service["ProtectSystem"] == "strict" and service["UMask"] == "0077"
        argv = shlex.split(service["ExecStart"].replace("${FEDNET_SUPERLINK}", "fednet.example.org:9092"))
        assert argv[0].startswith("/opt/fednet/.venv/bin/") and (BIN / Path(argv[0]).name).exists()
        _check_command(argv)
        if "EnvironmentFile" in service:
            assert service["EnvironmentFile"].startswith("/etc/fednet/")
    ui = configparser.ConfigParser(interpolation=None, strict=False)
    ui.read(DEPLOY / "systemd" / "fednet-node-ui.service")
    assert "--host" not in ui["Service"]["ExecStart"]  # node UI: the configured default, 127.0.0.1


def test_dockerfile_runs_unprivileged_and_offline():
    text = (DEPLOY / "Dockerfile").read_text()
    assert re.search(r"^USER fednet$", text, re.M)
    assert "FLWR_DISABLE_RUNTIME_DEPENDENCY_INSTALLATION=1" in text and "HF_HUB_OFFLINE=1" in text
    assert "torchvision" not in text and "playwright install" not in text


def test_example_configs_load(tmp_path):
    from node.settings import load_settings

    settings = load_settings(DEPLOY / "node.example.toml", {})
    assert settings.deploy.ui_host == "127.0.0.1"
    env = dict(line.split("=", 1) for line in (DEPLOY / "node.env.example").read_text().splitlines()
               if line and not line.startswith("#"))
    assert "CHANGE-ME" in env["FEDNET_NODE__STORE_URI"] and "tls=true" in env["FEDNET_NODE__STORE_URI"]


def _has_compose() -> bool:
    if shutil.which("docker") is None:
        return False
    return subprocess.run(["docker", "compose", "version"], capture_output=True).returncode == 0


@pytest.mark.skipif(not _has_compose(), reason="docker compose is not installed on this machine (no compose plugin)")
@pytest.mark.parametrize("kind", ["node", "coordinator"])
def test_docker_compose_config(kind, tmp_path):
    result = subprocess.run(["docker", "compose", "-f", str(COMPOSE[kind]), "config", "-q"], capture_output=True,
                            text=True, env={"FEDNET_SUPERLINK": "example.org:9092", "PATH": "/usr/local/bin:/usr/bin:/bin"})
    assert result.returncode == 0, result.stderr
