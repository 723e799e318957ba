"""The cohort builder: form rows -> the query language -> a cross-site count.

The form's rows (field, operator, value) are written as an expression of the
``--where`` language (:mod:`node.query.where`) and parsed by it, so the UI has
exactly the validation of ``fedcoord count``; the expression is shown to the
researcher. The count itself runs through :func:`coordinator.query.count.run_count`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Protocol

MAX_ROWS = 4
OPS = {"eq": "=", "ne": "!=", "gt": ">", "gte": ">=", "lt": "<", "lte": "<=", "in": "in", "between": "between",
       "contains": "contains"}
_NUMBER = re.compile(r"^-?\d+$")


class FormError(ValueError):
    """A form value cannot be written as a query; the message says which row."""


@dataclass(frozen=True)
class Row:
    field: str
    op: str
    value: str


def _literal(value: str, row: int) -> str:
    value = value.strip()
    if not value:
        raise FormError(f"condition {row}: enter a value")
    if '"' in value or "'" in value:
        raise FormError(f"condition {row}: values cannot contain quotes")
    return value if _NUMBER.match(value) else f'"{value}"'


def rows_from_form(form: dict[str, str]) -> list[Row]:
    rows = []
    for i in range(1, MAX_ROWS + 1):
        field, op, value = form.get(f"field{i}", ""), form.get(f"op{i}", ""), form.get(f"value{i}", "")
        if field and value.strip():
            rows.append(Row(field, op or "eq", value))
    return rows


def expression(rows: list[Row], combine: str = "and", extra: str = "") -> str:
    """The ``--where`` expression of the form (rows joined by ``combine``, AND the free-text part)."""
    if combine not in ("and", "or"):
        raise FormError("combine conditions with 'and' or 'or'")
    parts = []
    for n, row in enumerate(rows, 1):
        if row.op not in OPS:
            raise FormError(f"condition {n}: unknown operator {row.op!r}")
        if row.op == "in":
            values = [v for v in row.value.split(",") if v.strip()]
            parts.append(f"{row.field} in ({', '.join(_literal(v, n) for v in values)})")
        elif row.op == "between":
            low, _, high = row.value.partition(",")
            parts.append(f"{row.field} between {_literal(low, n)} and {_literal(high, n)}")
        else:
            parts.append(f"{row.field} {OPS[row.op]} {_literal(row.value, n)}")
    joined = f" {combine} ".join(parts)
    if len(parts) > 1 and combine == "or" and extra.strip():
        joined = f"({joined})"
    if extra.strip():
        joined = f"{joined} and ({extra.strip()})" if joined else extra.strip()
    return joined


class CohortBackend(Protocol):
    """Runs a count for the UI: the permit files it may use and the count itself."""

    def permits(self) -> list[Any]:
        """Signed permits available to the researcher."""
        ...

    def run(self, permit_id: str, query: Any, epsilon: float) -> Any:
        """A :class:`coordinator.query.count.CountResult`."""
        ...


class PermitFiles:
    """The signed permit files a researcher may use (``<coord_dir>/permits/*.json``)."""

    def __init__(self, permit_dir: Path) -> None:
        self.permit_dir = Path(permit_dir)

    def permits(self) -> list[Any]:
        from node.governance.permits import PermitError, SignedPermit, parse_signed

        out = []
        for path in sorted(self.permit_dir.glob("*.json")) if self.permit_dir.is_dir() else []:
            try:
                out.append(parse_signed(SignedPermit, path.read_text(encoding="utf-8")))
            except (PermitError, OSError):
                continue
        return out

    def permit(self, permit_id: str) -> Any:
        permit = next((p for p in self.permits() if p.permit.permit_id == permit_id), None)
        if permit is None:
            raise FormError(f"no permit {permit_id!r} in {self.permit_dir}")
        return permit


class ServiceBackend(PermitFiles):
    """Counts through the coordinator service (``fedcoord serve``): its long-running query run over
    the Deployment Engine, where every node checks the permit, adds noise and audits the request.

    Parameters
    ----------
    permit_dir:
        Folder of signed permit files.
    count:
        ``(permit, query, epsilon) -> CountResult``: the service's
        :meth:`coordinator.network.service.CoordinatorService.count`.
    """

    def __init__(self, permit_dir: Path, count: Callable[[Any, Any, float], Any]) -> None:
        super().__init__(permit_dir)
        self._count = count

    def run(self, permit_id: str, query: Any, epsilon: float) -> Any:
        return self._count(self.permit(permit_id), query, epsilon)


class LocalNodesBackend(PermitFiles):
    """Counts over nodes whose configs this host can open (``fedcoord ui --nodes``): demo and tests only.

    Parameters
    ----------
    key_dir:
        The coordinator folder holding ``coordinator.key``.
    permit_dir:
        Folder of signed permit files (``fedcoord permit issue --out DIR/NAME.json``).
    node_configs:
        Node settings (their stores and secrets are opened per count).
    """

    def __init__(self, key_dir: Path, permit_dir: Path, node_configs: list) -> None:
        super().__init__(permit_dir)
        self.key_dir, self.nodes = Path(key_dir), list(node_configs)

    def run(self, permit_id: str, query: Any, epsilon: float) -> Any:
        from coordinator.governance.keys import load_or_create_key
        from coordinator.query.count import run_count
        from coordinator.query.transport import InProcessTransport
        from node.query.service import service_for
        from node.runtime import open_node

        permit = self.permit(permit_id)
        key = load_or_create_key(self.key_dir, create=False)
        runtimes = [open_node(s) for s in self.nodes]
        try:
            services = {rt.settings.node.site_id: service_for(rt) for rt in runtimes}
            return run_count(InProcessTransport(services), key, permit, query, epsilon)
        finally:
            for rt in runtimes:
                rt.close()


def result_table(result: Any) -> dict[str, Any]:
    """Rows of the cross-site table: one per cell (total first), per-site columns where allowed."""
    labels = ["total"] + [" / ".join(c) for c in result.cells]
    network = [result.total, *result.cell_values] if result.total is not None else [None] * len(labels)
    sites = sorted(result.per_site) if result.per_site else []
    rows = []
    for i, label in enumerate(labels):
        rows.append({"cell": label, "sites": [result.per_site[s][i] for s in sites],
                     "network": network[i].display if network[i] is not None else "n/a",
                     "value": network[i].value if network[i] is not None else None})
    return {"sites": sites, "rows": rows}
