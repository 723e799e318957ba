"""Small helpers shared by the two web UIs: urlencoded forms and a CSRF token.

Forms are parsed with the standard library (no python-multipart dependency).
Each app has one random token, put in every form and checked on every POST,
so another web page open in the operator's browser cannot post to the UI.
"""

from __future__ import annotations

import hmac
import secrets
from urllib.parse import parse_qs

from fastapi import HTTPException, Request

MAX_FORM_BYTES = 16_384


async def read_form(request: Request) -> dict[str, str]:
    body = await request.body()
    if len(body) > MAX_FORM_BYTES:
        raise HTTPException(413, "form too large")
    parsed = parse_qs(body.decode("utf-8", errors="replace"), keep_blank_values=True)
    return {k: v[-1] for k, v in parsed.items()}


def new_token() -> str:
    return secrets.token_urlsafe(24)


def check_token(request: Request, form: dict[str, str]) -> None:
    if not hmac.compare_digest(form.get("csrf", ""), request.app.state.csrf):
        raise HTTPException(403, "stale or missing form token: reload the page and try again")
