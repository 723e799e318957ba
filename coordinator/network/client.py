"""A client of the coordinator service's API (what ``fedcoord count|train --superlink`` use)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx


class ServiceUnavailable(RuntimeError):
    """The coordinator service is not reachable or refused the request; the message says why."""


@dataclass
class ServiceClient:
    url: str
    token: str
    timeout_s: float = 180.0

    @classmethod
    def for_dir(cls, coord_dir: Path, superlink: str | None = None, url: str | None = None) -> "ServiceClient":
        """The service running for ``coord_dir`` on this host (its state file and API token).

        ``superlink``: refuse unless that service's SuperLink listens on the same port.
        """
        from coordinator.network.service import ServiceError, api_token, read_state

        try:
            state = read_state(coord_dir)
            token = api_token(Path(coord_dir) / "service")
        except ServiceError as exc:
            raise ServiceUnavailable(str(exc)) from None
        if superlink and superlink.rsplit(":", 1)[-1] != str(state["superlink"]).rsplit(":", 1)[-1]:
            raise ServiceUnavailable(f"the coordinator service of {coord_dir} runs the SuperLink {state['superlink']}, "
                                     f"not {superlink}")
        return cls(url or state["api"], token)

    def _call(self, method: str, path: str, body: dict | None = None) -> Any:
        try:
            res = httpx.request(method, self.url.rstrip("/") + path, json=body, timeout=self.timeout_s,
                                headers={"authorization": f"Bearer {self.token}"})
        except httpx.HTTPError as exc:
            raise ServiceUnavailable(f"coordinator service at {self.url}: {exc}") from None
        if res.status_code != 200:
            try:
                detail = res.json().get("detail", res.text)
            except ValueError:
                detail = res.text
            raise ServiceUnavailable(f"coordinator service: {detail} (HTTP {res.status_code})")
        return res.json()

    def status(self) -> dict[str, Any]:
        return self._call("GET", "/api/status")

    def count(self, permit: dict[str, Any], where: str, by: list[str], epsilon: float) -> dict[str, Any]:
        return self._call("POST", "/api/count", {"permit": permit, "where": where, "by": by, "epsilon": epsilon})

    def train(self, config: dict[str, Any], **options: Any) -> dict[str, Any]:
        return self._call("POST", "/api/train", {"config": config, **options})

    def sync_nodes(self) -> dict[str, Any]:
        return self._call("POST", "/api/nodes/sync")

    def train_status(self, name: str) -> dict[str, Any]:
        return self._call("GET", f"/api/train/{name}")
