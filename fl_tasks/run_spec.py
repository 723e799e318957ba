"""What the coordinator tells every app of one training run (carried in Flower's run config).

Flower's run config holds flat scalar values, so the :class:`RunSpec` travels as one
base64-encoded JSON string under ``fednet-run`` (``flwr run --run-config`` on the Deployment
Engine; bound directly to the apps in simulation). Nodes read only ``train`` and ``permit``
(and, in simulation, ``sim_nodes``); the coordinator-side fields say where to evaluate and write.
"""

from __future__ import annotations

import base64
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from fl_tasks.config import TrainConfig

RUN_CONFIG_KEY = "fednet-run"


class Fault(BaseModel):
    """Test hook: make ``site`` fail in the middle of round ``round`` (after local training)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    site: str
    round: int


class RunSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    train: TrainConfig
    permit: str
    sites: list[str]
    out_dir: str = ""
    eval_dir: str = ""
    eval_split: str | None = "dev"
    cache_dir: str = ""
    sim_nodes: list[str] = Field(default_factory=list, description="node folders, by simulation partition id")
    faults: list[Fault] = Field(default_factory=list)
    round_timeout_s: float | None = None
    warm_start: str = Field(default="", description="checkpoint of the initial global parameters (coordinator side); "
                            "empty: a fresh head")
    prepare_on_nodes: bool = Field(default=False, description="Deployment Engine: first ask every node to check the "
                                   "permit and prepare its features from its own store (query.prepare)")
    prepare_timeout_s: float = Field(default=900.0, gt=0)
    node_keys: dict[str, str] = Field(default_factory=dict, description="site -> base64 of its SuperNode key as the "
                                      "SuperLink reports it (the PKI registry): a node trains only as its own site")

    def to_run_config(self) -> dict[str, Any]:
        return {RUN_CONFIG_KEY: base64.urlsafe_b64encode(self.model_dump_json().encode()).decode("ascii")}

    @classmethod
    def from_run_config(cls, run_config: dict[str, Any]) -> "RunSpec":
        raw = run_config.get(RUN_CONFIG_KEY)
        if not raw:
            raise KeyError(f"run config has no {RUN_CONFIG_KEY!r}: start training through fl_tasks (fedcoord train)")
        return cls.model_validate_json(base64.urlsafe_b64decode(str(raw).encode("ascii")))

    def train_json(self) -> str:
        """The exact configuration string the permit signs."""
        return self.train.model_dump_json()
