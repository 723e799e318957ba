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
        """Return a surrogate with the same pattern of digits, letters and separators."""
        params = params or {}
        stream = b""
        counter = 0
        while len(stream) < len(text) + 1:
            stream += keyed_digest(params["secret"], params["patient_key"], "id", normalize(text), str(counter))
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
