"""Name surrogates: each name token is replaced by a keyed surrogate first/last name.

Keying per token (HMAC(secret, patient, normalized token)) keeps partial mentions
consistent: "Radu Crosson", later "Radu", map to "Julian Hargrove", "Julian".
Initials map to keyed initials; letter case follows the original. Digits inside the span (a
ZIP code the name ran on into) become keyed digits.
"""

from __future__ import annotations

import re

from deid.lexicon import load_lexicon
from deid.operators.base import DeidOperator, case_like, normalize
from deid.surrogates import load_list

_TOKEN = re.compile(r"[^\W\d_][^\W\d_'’]*(?:['’][^\W\d_]+)*")
_DIGITS = re.compile(r"\d+")


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

        def digits(m: re.Match[str]) -> str:
            # a number inside a name span (a town and its ZIP read as one name, "CALDWELL 65966") is
            # no part of the name to keep: keyed digits of the same length, never the original
            run, width = m.group(), len(m.group())
            n = self.number(params, "name-digits", run) % 10**width
            if f"{n:0{width}d}" == run:
                n = (n + 1) % 10**width
            return f"{n:0{width}d}"

        return _DIGITS.sub(digits, _TOKEN.sub(repl, text))
