"""Identifier surrogates of the same shape: every digit/letter replaced by a keyed one,
punctuation kept ("7731-002-91" -> "4096-518-27"). Used for MRN, IDs, phones, SSN, ZIP, IP."""

from __future__ import annotations

import string

from deid.keys import keyed_digest, normalize
from deid.operators.base import DeidOperator


class IdSurrogate(DeidOperator):
    """Keyed, same-shape replacement of an identifier."""

    NAME = "id_surrogate"

    def operate(self, text: str, params: dict | None = None) -> str:
        """Return a surrogate with the same pattern of digits, letters and separators.

        A surrogate never equals its original: a short id ("43") would otherwise come back
        unchanged about once in a hundred; the next keyed draw is taken instead.
        """
        params = params or {}
        for attempt in range(8):
            out = self._draw(text, params, attempt)
            if out.lower() != text.lower() or not any(ch.isalnum() for ch in text):
                return out
        return out

    @staticmethod
    def _draw(text: str, params: dict, attempt: int) -> str:
        salt = "" if attempt == 0 else f"~{attempt}"
        stream = b""
        counter = 0
        while len(stream) < len(text) + 1:
            stream += keyed_digest(params["secret"], params["patient_key"], "id", normalize(text) + salt, str(counter))
            counter += 1
        out = []
        for ch, b in zip(text, stream):
            if ch.isdigit():
                out.append(str(b % 10))
            elif ch.isalpha() and ch.isascii():
                letter = string.ascii_uppercase[b % 26]
                out.append(letter if ch.isupper() else letter.lower())
            else:
                out.append(ch)
        return "".join(out)
