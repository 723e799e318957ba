"""The coordinator UI application (FastAPI). ``create_app(config)``; ``fedcoord ui`` serves it."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from coordinator.webui import cohort, views
from coordinator.webui.charts import bar_chart_svg, line_chart_svg
from coordinator.webui.views import CoordinatorUIConfig
import node.webui as node_webui
from node.webui.forms import check_token, new_token, read_form
from node.webui.views import Unavailable

HERE = Path(__file__).parent
STATIC = Path(node_webui.__file__).parent / "static"  # one stylesheet for both UIs
TEMPLATES = Jinja2Templates(directory=str(HERE / "templates"))
TEMPLATES.env.tests["unavailable"] = lambda value: isinstance(value, Unavailable)
NAV = [("/", "Nodes"), ("/cohort", "Cohort builder"), ("/training", "Training runs"), ("/public", "Public data")]


def _fields() -> list[dict]:
    from node.query.fields import FIELDS

    out = []
    for spec in FIELDS.values():
        hint = ", ".join(spec.domain[:12]) if spec.kind == "enum" else {
            "int": f"0..{spec.max_int}", "term": "a vocabulary term, e.g. glioma", "text": "words, e.g. glioma",
            "month": "YYYY or YYYY-MM", "site": "a site id"}.get(spec.kind, "")
        out.append({"name": spec.name, "ops": sorted(spec.ops), "hint": hint, "groupable": spec.groupable})
    return out


def create_app(config: CoordinatorUIConfig, backend: cohort.CohortBackend | None = None,
               training: views.TrainingBackend | None = None) -> FastAPI:
    """The coordinator UI.

    ``backend`` runs counts: the coordinator service's (``fedcoord serve``:
    :class:`~coordinator.webui.cohort.ServiceBackend`), else the nodes in ``config.node_configs``
    (demo and tests). ``training`` (the service) starts training runs from the training page.
    """
    backend = backend or cohort.LocalNodesBackend(config.coord_dir, config.permit_dir, config.node_configs)
    app = FastAPI(title="fednet coordinator", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.csrf = new_token()
    app.mount("/static", StaticFiles(directory=str(STATIC)), name="static")

    def page(request: Request, template: str, **context) -> HTMLResponse:
        return TEMPLATES.TemplateResponse(request, template, {"nav": NAV, "path": request.url.path,
                                                              "csrf": app.state.csrf, **context})

    @app.get("/", response_class=HTMLResponse)
    async def nodes(request: Request):
        return page(request, "nodes.html", registry=views.registry_rows(config), pki_dir=config.pki_dir)

    def cohort_context(form: dict[str, str]) -> dict:
        try:
            fields = _fields()
        except ImportError as exc:
            return {"fields": Unavailable("cohort builder", "node.query.fields", f"{exc.__class__.__name__}: {exc}")}
        return {"fields": fields, "groupable": [f["name"] for f in fields if f["groupable"]],
                "permits": backend.permits(), "form": form, "rows": range(1, cohort.MAX_ROWS + 1),
                "ops": cohort.OPS, "permit_dir": config.permit_dir}

    @app.get("/cohort", response_class=HTMLResponse)
    async def cohort_form(request: Request):
        return page(request, "cohort.html", **cohort_context({"epsilon": "0.5", "combine": "and"}))

    @app.post("/cohort", response_class=HTMLResponse)
    async def cohort_run(request: Request):
        form = await read_form(request)
        check_token(request, form)
        context = cohort_context(form)
        try:
            from node.query.spec import QueryError
            from node.query.where import query_from_cli

            expr = cohort.expression(cohort.rows_from_form(form), form.get("combine", "and"), form.get("where", ""))
            by = [b for b in (form.get("by1", ""), form.get("by2", "")) if b]
            query = query_from_cli(expr, by)
            epsilon = float(form.get("epsilon", "0.5"))
            result = backend.run(form.get("permit", ""), query, epsilon)
        except (cohort.FormError, QueryError, ValueError) as exc:
            return page(request, "cohort.html", error=str(exc), **context)
        table = cohort.result_table(result)
        chart = bar_chart_svg([r["cell"] for r in table["rows"]], [r["value"] for r in table["rows"]],
                              threshold=result.threshold, title="network count (secure sum, noisy)")
        return page(request, "cohort.html", expression=expr or "(all patients)", by=by, result=result, table=table,
                    chart=chart, **context)

    def training_page(request: Request, **extra) -> HTMLResponse:
        runs = views.training_runs(config)
        charts = {r["run_id"]: {name: line_chart_svg({name: pts}, title=name) for name, pts in sorted(r["series"].items())}
                  for r in runs}
        statuses = training.statuses() if training is not None else {}
        return page(request, "training.html", runs=runs, charts=charts, runs_dir=config.runs_dir,
                    can_start=training is not None, statuses=statuses, **extra)

    @app.get("/training", response_class=HTMLResponse)
    async def training_runs(request: Request):
        return training_page(request)

    @app.post("/training", response_class=HTMLResponse)
    async def training_start(request: Request):
        form = await read_form(request)
        check_token(request, form)
        if training is None:
            return training_page(request, error="training runs are started by the coordinator service (fedcoord serve)")
        try:
            name = training.start(rounds=int(form.get("rounds", "1")), dp=form.get("dp") == "on",
                                  name=form.get("name") or None)
        except (ValueError, RuntimeError) as exc:
            return training_page(request, error=str(exc))
        return training_page(request, started=name)

    @app.get("/public", response_class=HTMLResponse)
    async def public(request: Request):
        return page(request, "public.html", data=views.public_data(config), subsets=views.subsets(config))

    return app
