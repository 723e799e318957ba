"""Helpers shared by the name recognizers: growing a name from a trigger token."""

from __future__ import annotations

import re

from deid.recognizers.base import Resources, Token

#: Separators allowed inside a name ("O'Rourke", "J. Yi", "Smith-Jones", "Lucie Lange").
_INNER_GAP = re.compile(r"^(?:\.?\s{1,2}|\s?-\s?)$")


def is_initial(text: str, tok: Token) -> bool:
    """A single letter followed by a period ("B.", "l.")."""
    return len(tok.text) == 1 and text[tok.end : tok.end + 1] == "."


def grow_forward(text: str, toks: list[Token], i: int, res: Resources, first_strict: bool,
                 max_tokens: int = 3) -> list[Token]:
    """Name tokens starting at ``toks[i]`` (may be empty).

    Parameters
    ----------
    first_strict:
        If true, the first token must not be a common word (weak trigger).
    """
    out: list[Token] = []
    j = i
    while j < len(toks) and len(out) < max_tokens:
        tok = toks[j]
        gap = text[out[-1].end : tok.start] if out else ""
        if out and (not _INNER_GAP.match(gap) or gap.startswith(".") and len(out[-1].text) > 1):
            break  # a period after a word ends the name: "rep Jenna Walsh. Technologist: ..."
        if is_initial(text, tok) or (len(tok.text) == 1 and not out and tok.text.isalpha()):
            out.append(tok)
            j += 1
            continue
        strict = first_strict if not out else not res.lexicon.is_name(tok.text)
        if not res.name_candidate(tok, strict=strict):
            lex = res.lexicon
            after_first = bool(out) and lex.is_first_name(out[-1].text) and not lex.is_common(out[-1].text) \
                and text[out[-1].end : tok.start] == " "
            if not (after_first and res.allowed(tok.low) and lex.is_last_name(tok.text) and tok.text[:1].isupper()):
                break  # an allow-listed surname counts only right after a first name ("Anne Wilson")
        if out and not res.lexicon.is_name(tok.text) and res.lexicon.is_common(tok.text):
            break
        out.append(tok)
        j += 1
    # a lone initial with nothing after it is kept only if it is a capital letter
    while out and len(out[-1].text) == 1 and not is_initial(text, out[-1]) and len(out) > 1:
        out.pop()
    return out


def grow_backward(text: str, toks: list[Token], i: int, res: Resources, max_tokens: int = 3) -> list[Token]:
    """Name tokens ending at ``toks[i]`` going left (for "Irene Snell, RN")."""
    out: list[Token] = []
    j = i
    while j >= 0 and len(out) < max_tokens:
        tok = toks[j]
        if out:
            gap = text[tok.end : out[0].start]
            if not _INNER_GAP.match(gap):
                break
        if is_initial(text, tok):
            out.insert(0, tok)
            j -= 1
            continue
        if not res.name_candidate(tok, strict=not res.lexicon.is_name(tok.text)):
            lex = res.lexicon
            eponym_surname = (not out or True) and res.allowed(tok.low) and lex.is_last_name(tok.text) and j > 0 \
                and text[toks[j - 1].end : tok.start] == " " and lex.is_first_name(toks[j - 1].text) \
                and not lex.is_common(toks[j - 1].text)
            if not eponym_surname:
                break  # an allow-listed surname counts only after a first name ("Anne Miller, RN")
        out.insert(0, tok)
        j -= 1
    return out


def span_of(tokens: list[Token], text: str) -> tuple[int, int]:
    """Character span covering ``tokens`` (a trailing initial's period included)."""
    end = tokens[-1].end
    if len(tokens[-1].text) == 1 and text[end : end + 1] == ".":
        end += 1
    return tokens[0].start, end
