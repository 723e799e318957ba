"""E-mail surrogates: keyed local part at a reserved example domain."""

from __future__ import annotations

from deid.operators.base import DeidOperator, normalize
from deid.surrogates import load_list


class EmailSurrogate(DeidOperator):
    """Replace an e-mail with ``firstname.lastname.NN@example.org`` (keyed)."""

    NAME = "email_surrogate"

    def operate(self, text: str, params: dict | None = None) -> str:
        """Return a keyed surrogate e-mail address."""
        params = params or {}
        key = normalize(text)
        first = self.pick(params, load_list("first_names"), "email-first", key).lower()
        last = self.pick(params, load_list("last_names"), "email-last", key).lower()
        return f"{first}.{last}{self.number(params, 'email-n', key) % 100}@example.org"
