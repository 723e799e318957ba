"""The coordinator's web UI (``fedcoord ui``): node registry, cohort builder, training runs, public data.

FastAPI + Jinja2; the stylesheet is the node UI's (``node/webui/static``), so
both look alike and nothing is fetched from a CDN. Charts are server-side SVG
(:mod:`coordinator.webui.charts`); there is no JavaScript.
"""
