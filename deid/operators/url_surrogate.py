"""URL surrogates: a keyed path under a reserved example domain."""

from __future__ import annotations

from deid.keys import keyed_digest
from deid.operators.base import DeidOperator, normalize


class UrlSurrogate(DeidOperator):
    """Replace a URL with ``https://example.org/<keyed hex>``."""

    NAME = "url_surrogate"

    def operate(self, text: str, params: dict | None = None) -> str:
        """Return a keyed surrogate URL."""
        params = params or {}
        tag = keyed_digest(params["secret"], params["patient_key"], "url", normalize(text)).hex()[:10]
        return f"https://example.org/{tag}"
