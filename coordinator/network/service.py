"""``fedcoord serve``: the network coordinator — the SuperLink plus the coordinator service.

One command, one supervised process tree on the coordinator host:

1. the **SuperLink** (:mod:`coordinator.network.superlink`: Flower's, fenced so that other
   hosts reach only its Fleet API), TLS with the network PKI (``<dir>/pki``), SuperNode
   authentication on, ``--isolation process``;
2. the SuperNodes it accepts are the PKI registry's active nodes
   (:func:`coordinator.network.control.sync_supernodes`);
3. the **query run**: one long-running Flower run whose ServerApp task this process serves
   (:class:`coordinator.query.deployment.QueryServer`), so a count is only its messages;
4. the **executor** of every other ServerApp task (training runs: ``flwr-serverapp``
   processes, :mod:`coordinator.network.executor`);
5. the **web UI and the HTTP/JSON API** (:mod:`coordinator.network.api`) on
   ``api_host:api_port`` (localhost by default): cohort builder, training runs, node registry.

It writes ``<dir>/service/service.json`` (where the API is) and ``<dir>/service/api.token``
(0600: ``fedcoord count|train --superlink`` on this host read it, as they read the
coordinator key).
"""

from __future__ import annotations

import json
import logging
import os
import secrets
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from coordinator.network import control

log = logging.getLogger("fednet.service")
SERVICE_DIR = "service"
TOKEN_FILE = "api.token"
STATE_FILE = "service.json"


class ServiceError(RuntimeError):
    """The coordinator service cannot start or do what was asked; the message says why."""


@dataclass
class ServiceConfig:
    """Where the service listens and what it reads.

    Attributes
    ----------
    coord_dir:
        The coordinator folder: ``coordinator.key``, ``pki/`` (CA, SuperLink certificate,
        node registry), ``permits/``, ``runs/`` (training runs), ``service/``.
    host, port:
        The SuperLink's address: hospitals' SuperNodes dial ``<public name>:port``.
    api_host, api_port:
        The web UI and HTTP/JSON API (keep it on localhost; put a proxy with login in front).
    eval_data:
        MedPix-layout folder whose ``dev`` split scores every training round (public data).
    """

    coord_dir: Path
    host: str = "0.0.0.0"
    port: int = 9092
    api_host: str = "127.0.0.1"
    api_port: int = 8480
    database: Path | None = None
    count_timeout_s: float = 20.0
    eval_data: Path | None = None
    public_store_uri: str = ""
    cache_dir: Path | None = None  # the evaluation images' cached features (default <coord_dir>/cache)

    @property
    def service_dir(self) -> Path:
        return self.coord_dir / SERVICE_DIR

    @property
    def pki_dir(self) -> Path:
        return self.coord_dir / "pki"

    @property
    def loopback(self) -> str:
        return f"127.0.0.1:{self.port}"


IN_MEMORY = ":flwr-in-memory:"


def superlink_command(cfg: ServiceConfig, python: str = sys.executable) -> list[str]:
    """The SuperLink's command line (flags of ``flower-superlink``, checked by its own parser).

    Its state is in memory unless ``cfg.database`` names a file: with a file, Flower 1.41 keeps
    every message object (each node's model update) in that SQLite database too, which made a
    training round over loopback take 7.5 s instead of 4.4 s (``docs/network.md``). Nothing is
    lost by keeping it in memory: the SuperNode keys come from the PKI registry at every start,
    and a restarted service starts its query run again.
    """
    pki = cfg.pki_dir
    return [python, "-m", "coordinator.network.superlink", "--ssl-ca-certfile", str(pki / "ca.crt"),
            "--ssl-certfile", str(pki / "superlink.crt"), "--ssl-keyfile", str(pki / "superlink.key"),
            "--enable-supernode-auth", "--disable-runtime-dependency-installation", "--isolation", "process",
            "--host", cfg.host, "--port", str(cfg.port), "--database", str(cfg.database or IN_MEMORY)]


def api_token(service_dir: Path, create: bool = False) -> str:
    """The API token (``<dir>/service/api.token``, 0600)."""
    path = service_dir / TOKEN_FILE
    if not path.exists():
        if not create:
            raise ServiceError(f"no {path}: is `fedcoord serve --dir {service_dir.parent}` running on this host?")
        service_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_urlsafe(32))
    return path.read_text().strip()


def read_state(coord_dir: Path) -> dict[str, Any]:
    path = Path(coord_dir) / SERVICE_DIR / STATE_FILE
    if not path.exists():
        raise ServiceError(f"no coordinator service state at {path}: start `fedcoord serve --dir {coord_dir}`")
    return json.loads(path.read_text())


@dataclass
class TrainingRun:
    name: str
    run_id: int
    out_dir: Path
    sites: list[str]
    started: float = field(default_factory=time.time)


class CoordinatorService:
    """Starts, holds and stops everything :mod:`this module <coordinator.network.service>` lists."""

    def __init__(self, cfg: ServiceConfig) -> None:
        self.cfg = cfg
        self.stop_event = threading.Event()
        self.superlink: subprocess.Popen | None = None
        self.query = None
        self.query_run = None
        self.executor = None
        self.trainings: dict[str, TrainingRun] = {}
        self.flwr_home = cfg.service_dir / "flwr"
        self.env = control.flwr_env(self.flwr_home)
        self._threads: list[threading.Thread] = []
        self.on_fatal = lambda: None
        """Called when the SuperLink dies: ``fedcoord serve`` then exits (and systemd/compose restart it)."""

    # -- start-up ------------------------------------------------------------------------------
    def check(self) -> None:
        pki = self.cfg.pki_dir
        for name in ("ca.crt", "superlink.crt", "superlink.key"):
            if not (pki / name).is_file():
                raise ServiceError(f"{pki / name} is missing: run `fedcoord pki init --dir {self.cfg.coord_dir}` first")
        if not (self.cfg.coord_dir / "coordinator.key").is_file():
            raise ServiceError(f"no coordinator key in {self.cfg.coord_dir}: run `fedcoord permit key --dir "
                               f"{self.cfg.coord_dir}` first")

    def start(self) -> None:
        from coordinator.governance.keys import load_or_create_key
        from coordinator.network.executor import ServerAppExecutor, open_run
        from coordinator.query.deployment import QueryServer

        self.check()
        cfg = self.cfg
        cfg.service_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        api_token(cfg.service_dir, create=True)
        control.write_flwr_config(self.flwr_home, cfg.loopback, cfg.pki_dir / "ca.crt")
        out = (cfg.service_dir / "superlink.log").open("ab")
        self.superlink = subprocess.Popen(superlink_command(cfg), env=self.env, stdout=out, stderr=subprocess.STDOUT)
        out.close()
        self._wait_for_superlink()
        self.sync_nodes()
        self._stop_stale_runs()
        key = load_or_create_key(cfg.coord_dir, create=False)
        self.executor = ServerAppExecutor(cfg.loopback, cfg.pki_dir / "ca.crt", self.env, cfg.service_dir)
        app = control.write_app(cfg.service_dir / "apps" / "query", control.QUERY_APP)
        run_id = control.submit_run(app, self.env)
        opened = threading.Event()

        def serve_query_run(token: str) -> None:
            self.query_run = open_run(cfg.loopback, cfg.pki_dir / "ca.crt", token)
            self.query = QueryServer(self.query_run.grid, key, control.site_keys(cfg.pki_dir), cfg.count_timeout_s)
            opened.set()

        self.executor.in_process[run_id] = serve_query_run
        self._thread(lambda: self.executor.run(self.stop_event), "executor")
        if not opened.wait(60):
            raise ServiceError(f"the query run {run_id} was not handed to the service within 60 s; see "
                               f"{cfg.service_dir / 'superlink.log'}")
        self._thread(self._maintain, "maintain")
        log.info("coordinator service up: SuperLink %s:%d, query run %d", cfg.host, cfg.port, run_id)

    def _thread(self, target, name: str) -> None:
        thread = threading.Thread(target=target, name=name, daemon=True)
        thread.start()
        self._threads.append(thread)

    def _wait_for_superlink(self, timeout_s: float = 90.0) -> None:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.superlink is not None and self.superlink.poll() is not None:
                raise ServiceError(f"the SuperLink exited ({self.superlink.returncode}); see "
                                   f"{self.cfg.service_dir / 'superlink.log'}")
            try:
                with socket.create_connection(("127.0.0.1", self.cfg.port), timeout=1):
                    return
            except OSError:
                time.sleep(0.3)
        raise ServiceError(f"the SuperLink did not listen on port {self.cfg.port} within {timeout_s:.0f} s")

    def _control(self):
        return control.control_client(self.cfg.loopback, self.cfg.pki_dir / "ca.crt")

    def sync_nodes(self) -> control.SyncReport:
        """Registered SuperNode keys := the PKI registry's active nodes (call after approve/revoke)."""
        client = self._control()
        try:
            report = control.sync_supernodes(client, self.cfg.pki_dir)
        finally:
            client.close()
        if self.query is not None:
            self.query.set_site_keys(control.site_keys(self.cfg.pki_dir))
        log.info("SuperNodes: registered %s, unregistered %s, kept %s", report.registered, report.unregistered,
                 report.kept)
        return report

    def _stop_stale_runs(self) -> None:
        """Runs left RUNNING/PENDING by an earlier service (the database persists): stop them."""
        from flwr.proto.control_pb2 import ListRunsRequest, StopRunRequest  # pylint: disable=no-name-in-module

        client = self._control()
        try:
            for run_id, run in client.ListRuns(ListRunsRequest()).run_dict.items():
                if not run.status.status.startswith("finished"):
                    client.StopRun(StopRunRequest(run_id=run_id))
        finally:
            client.close()

    def _maintain(self) -> None:
        while not self.stop_event.wait(5.0):
            if self.superlink is not None and self.superlink.poll() is not None:
                log.error("the SuperLink exited (%s); see %s", self.superlink.returncode,
                          self.cfg.service_dir / "superlink.log")
                self.stop_event.set()
                self.on_fatal()
                return
            try:
                if self.query is not None:
                    self.query.maintain()
            except Exception:  # pylint: disable=broad-except
                log.exception("hello refresh failed")

    def announce(self) -> None:
        """Write ``service.json`` (where the API is): call once the API listens."""
        host = "127.0.0.1" if self.cfg.api_host in ("0.0.0.0", "::") else self.cfg.api_host
        state = {"api": f"http://{host}:{self.cfg.api_port}", "superlink": f"{self.cfg.host}:{self.cfg.port}",
                 "pid": os.getpid(), "query_run": self.query_run.run_id if self.query_run else None}
        path = self.cfg.service_dir / STATE_FILE
        path.with_suffix(".tmp").write_text(json.dumps(state, indent=2))
        path.with_suffix(".tmp").replace(path)

    # -- what the API and UI call ---------------------------------------------------------------
    def count(self, permit, query, epsilon: float):
        if self.query is None:
            raise ServiceError("the query run is not up yet")
        return self.query.count(permit, query, epsilon)

    def status(self) -> dict[str, Any]:
        nodes = self.query.status() if self.query is not None else {}
        return {"superlink": f"{self.cfg.host}:{self.cfg.port}", "query_run": self.query_run.run_id if self.query_run
                else None, **nodes, "training_runs": {n: self.training_status(n)["status"] for n in self.trainings}}

    def start_training(self, cfg, *, name: str | None = None, round_timeout_s: float = 120.0,
                       sites: list[str] | None = None, purpose: str = "federated training (fedcoord train)",
                       eval_split: str = "dev") -> TrainingRun:
        """Sign a run permit for the connected sites and submit the training run (SecAgg+, DP per ``cfg``)."""
        import base64

        from coordinator.governance.keys import load_or_create_key
        from fl_tasks.demo import default_medpix_dir
        from fl_tasks.permit import issue_permit
        from fl_tasks.run_spec import RunSpec

        connected = self.query.connected_sites() if self.query is not None else []
        sites = sorted(s for s in (sites or connected) if s in connected)
        if len(sites) < (2 if cfg.privacy.secagg else 1):
            raise ServiceError(f"{len(sites)} site(s) connected ({', '.join(sites) or 'none'}): SecAgg+ needs two")
        name = name or time.strftime("run-%Y%m%d-%H%M%S")
        out_dir = self.cfg.coord_dir / "runs" / name
        if out_dir.exists():
            raise ServiceError(f"a run named {name!r} exists already ({out_dir})")
        out_dir.mkdir(parents=True)
        key = load_or_create_key(self.cfg.coord_dir, create=False)
        node_keys = {site: base64.b64encode(k).decode() for k, site in control.site_keys(self.cfg.pki_dir).items()}
        eval_dir = Path(self.cfg.eval_data or default_medpix_dir())
        spec = RunSpec(train=cfg, permit=issue_permit(key, cfg.model_dump_json(), sites, purpose), sites=sites,
                       out_dir=str(out_dir), eval_dir=str(eval_dir), eval_split=eval_split,
                       cache_dir=str(self.cfg.cache_dir or self.cfg.coord_dir / "cache"), round_timeout_s=round_timeout_s,
                       prepare_on_nodes=True, node_keys={s: node_keys[s] for s in sites if s in node_keys})
        (out_dir / "run.json").write_text(json.dumps({"sites": ", ".join(sites), "rounds": cfg.rounds,
                                                      "secagg": cfg.privacy.secagg, "dp": cfg.privacy.dp,
                                                      "image_size": cfg.model.image_size}, indent=2))
        app = control.write_app(self.cfg.service_dir / "apps" / "training", control.TRAINING_APP)
        run_id = control.submit_run(app, self.env, spec.to_run_config())
        (out_dir / "serverapp.log").symlink_to(self.executor.log_path(run_id))
        run = self.trainings[name] = TrainingRun(name, run_id, out_dir, sites)
        return run

    def training_status(self, name: str) -> dict[str, Any]:
        run = self.trainings.get(name)
        out_dir = self.cfg.coord_dir / "runs" / name
        if run is None and not out_dir.is_dir():
            raise ServiceError(f"no training run {name!r}")
        metrics = out_dir / "metrics.jsonl"
        rows = [json.loads(x) for x in metrics.read_text().splitlines() if x.strip()] if metrics.exists() else []
        prepare = out_dir / "prepare.json"
        code = self.executor.returncode(run.run_id) if run is not None and self.executor is not None else 0
        status = "running" if code is None else ("finished" if code == 0 else "failed")
        return {"name": name, "run_id": run.run_id if run else None, "status": status, "exit_code": code,
                "rows": rows, "prepare": json.loads(prepare.read_text()) if prepare.exists() else None,
                "sites": run.sites if run else None, "out_dir": str(out_dir)}

    # -- shut-down ------------------------------------------------------------------------------
    def close(self) -> None:
        self.stop_event.set()
        if self.query_run is not None:
            self.query_run.finish()
        if self.executor is not None:
            self.executor.close()
        if self.superlink is not None and self.superlink.poll() is None:
            self.superlink.terminate()
            try:
                self.superlink.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.superlink.kill()
        state = self.cfg.service_dir / STATE_FILE
        state.unlink(missing_ok=True)
