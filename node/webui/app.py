"""The node UI application (FastAPI). ``create_app(settings)``; ``fednode ui`` serves it.

Handlers are ``async`` on purpose: they run one at a time on the event loop, so
the embedded store is only ever touched from one thread.
"""

from __future__ import annotations

from contextlib import asynccontextmanager
from pathlib import Path
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from node.settings import NodeSettings
from node.webui import views
from node.webui.forms import check_token, new_token, read_form

HERE = Path(__file__).parent
TEMPLATES = Jinja2Templates(directory=str(HERE / "templates"))
TEMPLATES.env.tests["unavailable"] = lambda value: isinstance(value, views.Unavailable)
NAV = [("/", "Ingest"), ("/quarantine", "Quarantine"), ("/audit", "Audit log"), ("/budget", "Privacy budget"),
       ("/optouts", "Opt-outs")]


def create_app(settings: NodeSettings) -> FastAPI:
    """The node UI for ``settings`` (opens the node's store and secret at start-up)."""

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        from node.runtime import open_node

        app.state.rt = open_node(settings)
        try:
            yield
        finally:
            app.state.rt.close()

    app = FastAPI(title=f"fednet node {settings.node.site_id}", lifespan=lifespan, docs_url=None, redoc_url=None,
                  openapi_url=None)
    app.state.csrf = new_token()
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")

    def page(request: Request, template: str, **context) -> HTMLResponse:
        return TEMPLATES.TemplateResponse(request, template, {
            "site_id": settings.node.site_id, "nav": NAV, "path": request.url.path, "csrf": app.state.csrf,
            "message": request.query_params.get("msg"), "error": request.query_params.get("err"),
            **context})

    @app.get("/", response_class=HTMLResponse)
    async def overview(request: Request):
        return page(request, "overview.html", stats=views.ingest_stats(app.state.rt))

    @app.get("/quarantine", response_class=HTMLResponse)
    async def quarantine(request: Request):
        return page(request, "quarantine.html", rows=views.quarantine_rows(app.state.rt))

    @app.get("/audit", response_class=HTMLResponse)
    async def audit(request: Request, verify: int = 0):
        return page(request, "audit.html", audit=views.audit_view(app.state.rt, verify=bool(verify)))

    @app.get("/budget", response_class=HTMLResponse)
    async def budget(request: Request):
        return page(request, "budget.html", rows=views.budget_rows(app.state.rt))

    @app.get("/optouts", response_class=HTMLResponse)
    async def optouts(request: Request):
        return page(request, "optouts.html", rows=views.optout_rows(app.state.rt))

    @app.post("/optouts")
    async def optouts_change(request: Request):
        form = await read_form(request)
        check_token(request, form)
        try:
            if form.get("action") == "remove":
                removed = views.remove_optout(app.state.rt, form.get("pseudonym", ""))
                msg = f"opt-out of {form.get('pseudonym')} withdrawn" if removed else "no such opt-out"
            else:
                pseudonym, new = views.add_optout(app.state.rt, mrn=form.get("mrn", ""),
                                                  pseudonym=form.get("pseudonym", ""))
                msg = (f"patient {pseudonym} opted out: excluded from every count and training set from now on"
                       if new else f"patient {pseudonym} had already opted out")
        except ValueError as exc:
            return RedirectResponse(f"/optouts?err={quote(str(exc))}", status_code=303)
        return RedirectResponse(f"/optouts?msg={quote(msg)}", status_code=303)

    return app
