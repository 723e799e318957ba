"""Deny-list terms from the site's master data and ``[deid.site_terms]``, picked per note.

Entity types: staff -> ``PROVIDER``; hospitals, clinics, facilities and buildings ->
``HOSPITAL``; wards and units -> ``WARD``; towns -> ``LOCATION``.

Staff names become these terms (for "Mary Ann O'Neil-Smith", other name "Molly"): the full
name both ways round ("Mary Ann O'Neil-Smith", "O'Neil-Smith, Mary Ann", "O'Neil-Smith Mary
Ann", and the same with the first given name only), initial + family ("M. O'Neil-Smith",
"M O'Neil-Smith"), other names + family, and the family name, its hyphenated parts, the first
given name and the other names on their own. The de-identifier matches terms
case-insensitively, so a term on its own that is also an English or clinical word ("Bell",
"Wilson", "Hope", "Reading", "Grace") would redact that word in every note: such a term is
kept only inside the longer variants and, for a family name, after a title ("Dr Bell",
"Nurse Bell"); the import reports how many were held back (the de-identifier's own context
rules still find "Dr. Bell" and signature lines).

A roster has thousands of names; a note mentions a few. :meth:`SiteTerms.for_text` returns
only the terms whose every word occurs in the note (a superset of what the deny list can
match there), so the per-note deny list stays small and fast.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from node.masterdata.readers import StaffMember
from node.masterdata.storage import MasterData, load_masterdata

ENTITY_OF_KIND = {"hospital": "HOSPITAL", "clinic": "HOSPITAL", "facility": "HOSPITAL", "building": "HOSPITAL",
                  "ward": "WARD", "unit": "WARD"}
TITLES = ("Dr", "Dr.", "Doctor", "Nurse")
_TOKEN = re.compile(r"\w+")
_ALPHA = re.compile(r"[^\W\d_]+")

Ambiguous = Callable[[str], bool]


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(text.lower())


def deid_ambiguity(deid_config: Path | None = None) -> Ambiguous:
    """``word -> bool``: whether a word is an English or clinical word to the de-identifier
    (its common-word lexicon and clinical allow-list)."""
    from deid.config import load_deid_config
    from deid.lexicon import load_lexicon

    allow = load_deid_config(deid_config).allow_words()
    lexicon = load_lexicon()
    return lambda word: word.lower() in allow or lexicon.is_common(word)


def is_ambiguous_term(term: str, ambiguous: Ambiguous) -> bool:
    """A term with no digit whose every word is short (< 3 letters) or an ordinary word."""
    if any(c.isdigit() for c in term):
        return False
    words = _ALPHA.findall(term)
    return all(len(w) < 3 or ambiguous(w) for w in words)


def staff_terms(member: StaffMember, ambiguous: Ambiguous) -> tuple[list[str], int]:
    """The ``PROVIDER`` terms of one staff member, and how many single words were held back."""
    family = member.family
    first = member.given.split()[0] if member.given.split() else ""
    terms: list[str] = []
    for given in dict.fromkeys(g for g in (member.given, first) if g):
        terms += [f"{given} {family}", f"{family}, {given}", f"{family} {given}"]
    if first:
        terms += [f"{first[0]}. {family}", f"{first[0]} {family}"]
    terms += [f"{other} {family}" for other in member.other_names]
    held = 0
    family_parts = [family, *(p for p in re.split(r"[-\s]+", family) if p and p != family)]
    for single in dict.fromkeys([*family_parts, first, *member.other_names]):
        if not single:
            continue
        if is_ambiguous_term(single, ambiguous):
            held += 1
            if single in family_parts:
                terms += [f"{title} {single}" for title in TITLES]
        else:
            terms.append(single)
    return terms, held


def _place_terms(names: Iterable[str], ambiguous: Ambiguous) -> tuple[list[str], int]:
    kept, held = [], 0
    for name in dict.fromkeys(names):
        if is_ambiguous_term(name, ambiguous):
            held += 1
        else:
            kept.append(name)
    return kept, held


@dataclass
class SiteTerms:
    """The site's deny-list terms by entity type.

    ``fixed`` (``[deid.site_terms]``) go with every note as before; ``indexed`` (master data)
    only with the notes that contain them (:meth:`for_text`).
    """

    fixed: dict[str, tuple[str, ...]] = field(default_factory=dict)
    indexed: dict[str, list[tuple[str, str, frozenset[str]]]] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    held_back: int = 0

    @classmethod
    def build(cls, site_terms: dict[str, list[str]] | None, master: MasterData,
              ambiguous: Ambiguous | None = None) -> "SiteTerms":
        fixed = {k.upper(): tuple(v.strip() for v in vals if v and v.strip()) for k, vals in (site_terms or {}).items()}
        out = cls(fixed={k: v for k, v in fixed.items() if v})
        if master.is_empty:
            return out
        ambiguous = ambiguous or deid_ambiguity()
        by_entity: dict[str, list[str]] = {}
        for member in master.staff:
            terms, held = staff_terms(member, ambiguous)
            by_entity.setdefault("PROVIDER", []).extend(terms)
            out.held_back += held
        for facility in master.facilities:
            terms, held = _place_terms((facility.name, *facility.aliases), ambiguous)
            by_entity.setdefault(ENTITY_OF_KIND[facility.kind], []).extend(terms)
            out.held_back += held
        for town in master.towns:
            terms, held = _place_terms((town.name, *town.aliases), ambiguous)
            by_entity.setdefault("LOCATION", []).extend(terms)
            out.held_back += held
        for entity, terms in by_entity.items():
            unique = list(dict.fromkeys(terms))
            out.counts[entity] = len(unique)
            for term in unique:
                toks = _tokens(term)
                if toks:
                    out.indexed.setdefault(max(toks, key=len), []).append((entity, term, frozenset(toks)))
        return out

    @classmethod
    def for_node(cls, settings) -> "SiteTerms":
        """``[deid.site_terms]`` plus the master data imported into ``settings``' data folder."""
        master = load_masterdata(settings.node.data_dir)
        ambiguous = None if master.is_empty else deid_ambiguity(settings.deid.config)
        return cls.build(settings.deid.site_terms, master, ambiguous)

    def for_text(self, text: str) -> dict[str, tuple[str, ...]]:
        """The terms to deny in ``text``: every fixed term, and the master-data terms whose every
        word occurs in it."""
        if not self.indexed:
            return dict(self.fixed)
        words = set(_tokens(text))
        found: dict[str, list[str]] = {k: list(v) for k, v in self.fixed.items()}
        for word in words:
            for entity, term, toks in self.indexed.get(word, ()):
                if toks <= words:
                    found.setdefault(entity, []).append(term)
        return {k: tuple(v) for k, v in found.items() if v}
