"""Name surrogates: each name token is replaced by a keyed surrogate first/last name.

Keying per token (HMAC(secret, patient, normalized token)) keeps partial mentions
consistent: "Radu Crosson", later "Radu", map to "Julian Hargrove", "Julian".
Initials map to keyed initials; letter case follows the original.
"""

from __future__ import annotations

import re

from deid.lexicon import load_lexicon
from deid.operators.base import DeidOperator, case_like, normalize
from deid.surrogates import load_list

_TOKEN = re.compile(r"[^\W\d_][^\W\d_'’]*(?:['’][^\W\d_]+)*")


class NameSurrogate(DeidOperator):
    """Replace a person name with a consistent, realistic surrogate."""

    NAME = "name_surrogate"

    def operate(self, text: str, params: dict | None = None) -> str:
        """Replace every word token of ``text``; keep separators and case."""
        params = params or {}
        lex = load_lexicon()
        firsts, lasts = load_list("first_names"), load_list("last_names")

        def repl(m: re.Match[str]) -> str:
            tok = m.group()
            key = normalize(tok)
            if len(tok) == 1:
                letter = chr(ord("A") + self.number(params, "initial", key) % 26)
                return letter.lower() if tok.islower() else letter
            pool = firsts if lex.is_first_name(tok) and not lex.is_last_name(tok) else lasts
            return case_like(self.pick(params, pool, "name", key, avoid=tok), tok)

        return _TOKEN.sub(repl, text)
