"""``fedcoord serve``: run the network coordinator (SuperLink + coordinator service + web UI/API)."""

from __future__ import annotations

import argparse
import logging
import sys
import threading
import time
from pathlib import Path

DEFAULT_DIR = "var/coordinator"


class ServiceTraining:
    """The training page's backend: runs started through the service (SecAgg+, DP if asked)."""

    def __init__(self, service) -> None:
        self.service = service

    def start(self, *, rounds: int, dp: bool, name: str | None) -> str:
        from fl_tasks.config import PrivacyConfig, TrainConfig

        return self.service.start_training(TrainConfig(rounds=rounds, privacy=PrivacyConfig(dp=dp)), name=name).name

    def statuses(self) -> dict[str, str]:
        return {name: self.service.training_status(name)["status"] for name in self.service.trainings}


def build_app(service):
    """The web UI with the service's backends, plus the ``/api`` routes."""
    from coordinator.network.api import make_router
    from coordinator.network.service import api_token
    from coordinator.webui.app import create_app
    from coordinator.webui.cohort import ServiceBackend
    from coordinator.webui.views import CoordinatorUIConfig

    cfg = service.cfg
    ui = CoordinatorUIConfig(cfg.coord_dir, [], public_store_uri=cfg.public_store_uri)
    app = create_app(ui, ServiceBackend(ui.permit_dir, service.count), ServiceTraining(service))
    app.include_router(make_router(service, api_token(cfg.service_dir)))
    return app


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from coordinator.network.service import CoordinatorService, ServiceConfig, ServiceError

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)  # one line per poll otherwise
    cfg = ServiceConfig(Path(args.dir).resolve(), host=args.host, port=args.port, api_host=args.api_host,
                        api_port=args.api_port, database=Path(args.database) if args.database else None,
                        count_timeout_s=args.count_timeout, eval_data=Path(args.eval_data) if args.eval_data else None,
                        public_store_uri=args.public_store or "", cache_dir=Path(args.cache) if args.cache else None)
    service = CoordinatorService(cfg)
    try:
        service.start()
        server = uvicorn.Server(uvicorn.Config(build_app(service), host=cfg.api_host, port=cfg.api_port,
                                               log_level="warning"))
        service.on_fatal = lambda: setattr(server, "should_exit", True)

        def announce() -> None:
            while not server.started and not server.should_exit:
                time.sleep(0.05)
            if server.started:
                service.announce()
                print(f"fedcoord serve: SuperLink on {cfg.host}:{cfg.port} (TLS, SuperNode authentication); web UI "
                      f"and API on http://{cfg.api_host}:{cfg.api_port}/", file=sys.stderr, flush=True)

        threading.Thread(target=announce, daemon=True).start()
        server.run()
        if service.stop_event.is_set():
            return 1  # the SuperLink died
    except ServiceError as exc:
        print(f"fedcoord serve: {exc}", file=sys.stderr)
        return 2
    finally:
        service.close()
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("serve", help="run the network coordinator: SuperLink (TLS, node auth) + coordinator service "
                                     "(query run, training runs, web UI, HTTP/JSON API)",
                       description="Start the Flower SuperLink with the network PKI (<dir>/pki), register the "
                                   "approved nodes' SuperNode keys, keep one query run open for counts, run training "
                                   "runs, and serve the web UI and the API. Hospitals dial in to HOST:PORT.")
    p.add_argument("--dir", default=DEFAULT_DIR, help=f"coordinator folder (default {DEFAULT_DIR})")
    p.add_argument("--host", default="0.0.0.0", help="SuperLink listen address (default 0.0.0.0: the hospitals dial in)")
    p.add_argument("--port", type=int, default=9092, help="SuperLink port (default 9092)")
    p.add_argument("--api-host", default="127.0.0.1", help="web UI / API listen address (default 127.0.0.1)")
    p.add_argument("--api-port", type=int, default=8480, help="web UI / API port (default 8480)")
    p.add_argument("--database", help="SuperLink state file (default: in memory; the nodes' keys come from the PKI "
                                      "at every start)")
    p.add_argument("--count-timeout", type=float, default=20.0,
                   help="seconds a count waits for a node before counting it as dropped (default 20)")
    p.add_argument("--eval-data", help="MedPix-layout folder whose dev split scores each training round "
                                       "(default ../shared/data/medpix2)")
    p.add_argument("--public-store", help="URI of the coordinator's public-data store (web UI)")
    p.add_argument("--cache", help="cached features of the evaluation images (default DIR/cache)")
    p.set_defaults(func=cmd_serve)
