"""The node's operator web UI (``fednode ui``), bound to 127.0.0.1 by default.

Pages: ingest statistics, quarantine (reasons only, never content), the audit
log with chain verification, privacy budget per permit, opt-out management.
FastAPI + Jinja2 templates; CSS ships in ``static/``; no JavaScript, no CDN.
Every page reads through the node's own APIs (:mod:`node.webui.views`).
"""
