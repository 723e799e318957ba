"""The coordinator service's HTTP/JSON API (served with the web UI by ``fedcoord serve``).

Every call carries ``Authorization: Bearer <token>`` (``<dir>/service/api.token``, 0600: who
can read the coordinator folder may ask). Payloads are plain JSON:

- ``GET  /api/status`` — the SuperLink, connected nodes and the site each is known as;
- ``POST /api/count`` — ``{"permit": <signed permit>, "where": "...", "by": [...], "epsilon": 0.5}``
  -> ``CountResult.to_dict()`` (the nodes check the permit, noise and audit);
- ``POST /api/train`` — ``{"config": <TrainConfig>, "name"?, "round_timeout_s"?, "sites"?}`` ->
  ``{"name", "run_id", "sites"}``;
- ``GET  /api/train/{name}`` — ``{"status", "rows" (per-round metrics), "prepare", ...}``;
- ``POST /api/nodes/sync`` — re-read the PKI registry (after ``fedcoord nodes approve|revoke``).
"""

from __future__ import annotations

import secrets
from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Request
from pydantic import BaseModel, Field


class CountRequest(BaseModel):
    permit: dict[str, Any]
    where: str = ""
    by: list[str] = Field(default_factory=list)
    epsilon: float = 0.5


class TrainRequest(BaseModel):
    config: dict[str, Any]
    name: str | None = Field(default=None, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
    round_timeout_s: float = Field(default=120.0, gt=0)
    sites: list[str] | None = None


def make_router(service, token: str) -> APIRouter:
    """The ``/api`` routes over a running :class:`coordinator.network.service.CoordinatorService`."""
    from coordinator.network.service import ServiceError

    def authorized(request: Request) -> None:
        given = request.headers.get("authorization", "")
        if not secrets.compare_digest(given.encode(), f"Bearer {token}".encode()):
            raise HTTPException(401, "missing or wrong API token (<dir>/service/api.token)")

    router = APIRouter(prefix="/api", dependencies=[Depends(authorized)])

    def fail(exc: Exception, code: int = 400):
        raise HTTPException(code, str(exc)) from exc

    @router.get("/status")
    def status() -> dict[str, Any]:
        return service.status()

    @router.post("/count")
    def count(body: CountRequest) -> dict[str, Any]:
        from node.governance.permits import PermitError, SignedPermit
        from node.query.spec import QueryError
        from node.query.where import query_from_cli

        try:
            permit = SignedPermit.model_validate(body.permit)
            query = query_from_cli(body.where, body.by)
        except (QueryError, PermitError, ValueError) as exc:
            fail(exc)
        try:
            return service.count(permit, query, body.epsilon).to_dict()
        except ServiceError as exc:
            fail(exc, 503)

    @router.post("/train")
    def train(body: TrainRequest) -> dict[str, Any]:
        from fl_tasks.config import TrainConfig

        try:
            cfg = TrainConfig.model_validate(body.config)
            run = service.start_training(cfg, name=body.name, round_timeout_s=body.round_timeout_s, sites=body.sites)
        except (ServiceError, ValueError) as exc:
            fail(exc)
        return {"name": run.name, "run_id": run.run_id, "sites": run.sites, "out_dir": str(run.out_dir)}

    @router.get("/train/{name}")
    def train_status(name: str) -> dict[str, Any]:
        try:
            return service.training_status(name)
        except ServiceError as exc:
            fail(exc, 404)

    @router.post("/nodes/sync")
    def nodes_sync() -> dict[str, Any]:
        report = service.sync_nodes()
        return {"registered": report.registered, "unregistered": report.unregistered, "kept": report.kept}

    return router
