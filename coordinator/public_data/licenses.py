"""Licenses of public case-report data: normalized codes and what each allows.

Every public record keeps the license of the row it came from (MultiCaRe and ROCO: the source
article's license; PMC-Patients: the dataset's CC BY-NC-SA 4.0; MedPix 2.0: NLM MedPix teaching
content without a license file). :func:`parse_license` turns the many spellings into one
:class:`License`; :func:`combine` is the conservative license of a record merged from several
sources (commercial use only if every source allows it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Literal

__all__ = ["License", "Use", "parse_license", "combine", "MEDPIX_LICENSE", "UNKNOWN_LICENSE"]

Use = Literal["research", "commercial"]


@dataclass(frozen=True)
class License:
    """A normalized license.

    ``code`` is the short name (``"CC BY-NC-SA 4.0"``, ``"CC0"``, ``"NO-CC CODE"``,
    ``"MedPix (research and education)"``); the flags say what it allows.
    """

    code: str
    commercial_use: bool
    derivatives: bool
    share_alike: bool
    attribution: bool
    url: str | None = None

    def allows(self, use: Use) -> bool:
        """Whether rows under this license may be used for ``use``.

        ``"research"``: every license here allows non-commercial research (unknown terms
        included: the rows are open-access publications). ``"commercial"``: only licenses
        without a non-commercial clause (CC0, CC BY, CC BY-SA, CC BY-ND).
        """
        if use == "research":
            return True
        if use == "commercial":
            return self.commercial_use
        raise ValueError(f"unknown use {use!r}: expected 'research' or 'commercial'")


MEDPIX_LICENSE = License("MedPix (research and education)", commercial_use=False, derivatives=True,
                         share_alike=False, attribution=True, url="https://medpix.nlm.nih.gov/")
"""MedPix 2.0: no license file upstream; NLM MedPix open-access teaching content; cite the paper.
Treated as non-commercial (the conservative reading)."""

UNKNOWN_LICENSE = License("NO-CC CODE", commercial_use=False, derivatives=False, share_alike=False,
                          attribution=True)
"""Open access but license not resolved (MultiCaRe/ROCO 'NO-CC CODE'): no commercial use, no claims."""

_CC = re.compile(r"^(?:cc[\s_-]*)?(by(?:[\s_-]+(?:nc|sa|nd))*|0|zero)(?:[\s_-]*(\d\.\d))?$")


def parse_license(text: str | None) -> License:
    """Normalize a license string.

    Parameters
    ----------
    text:
        ``"CC BY-NC-SA 4.0"``, ``"cc-by-nc"``, ``"CC0"``, ``"NO-CC CODE"``, ``"medpix"``,
        a creativecommons.org URL... ``None`` or empty gives :data:`UNKNOWN_LICENSE`.

    Returns
    -------
    License

    Raises
    ------
    ValueError
        For a string that names no known license (the message quotes it).
    """
    raw = (text or "").strip()
    if not raw or raw.upper() in ("NO-CC CODE", "NO CC CODE", "UNKNOWN", "NONE"):
        return UNKNOWN_LICENSE
    low = raw.lower()
    if low.startswith("medpix"):
        return MEDPIX_LICENSE
    url = re.search(r"creativecommons\.org/(licenses|publicdomain)/([a-z\-]+|zero)/(\d\.\d)?", low)
    if url:
        low = "cc0" if url.group(1) == "publicdomain" else f"cc {url.group(2)} {url.group(3) or ''}"
    low = " ".join(low.replace("creative commons", "cc").replace("attribution", "by").split())
    m = _CC.match(low.replace(" ", "-").strip("-"))
    if not m:
        raise ValueError(f"unknown license {raw!r}: expected a Creative Commons code (CC BY, CC BY-NC-SA 4.0, CC0), "
                         "'NO-CC CODE' or 'MedPix'")
    kind, version = m.group(1), m.group(2)
    if kind in ("0", "zero"):
        return License("CC0", True, True, False, False, "https://creativecommons.org/publicdomain/zero/1.0/")
    parts = re.split(r"[\s_-]+", kind)[1:]
    if len(set(parts)) != len(parts) or ("sa" in parts and "nd" in parts):
        raise ValueError(f"unknown license {raw!r}: not a valid Creative Commons combination")
    order = [p for p in ("nc", "sa", "nd") if p in parts]
    order = [p for p in ("nc", "nd", "sa") if p in parts] if "nd" in parts else order
    suffix = "-".join(p.upper() for p in order)
    code = "CC BY" + (f"-{suffix}" if suffix else "") + (f" {version}" if version else "")
    slug = "by" + "".join(f"-{p}" for p in order)
    return License(code, commercial_use="nc" not in parts, derivatives="nd" not in parts,
                   share_alike="sa" in parts, attribution=True,
                   url=f"https://creativecommons.org/licenses/{slug}/{version or '4.0'}/")


def combine(licenses: Iterable[License]) -> License:
    """The conservative license of a record merged from several sources.

    Commercial use and derivatives only when every source allows them; share-alike when any
    source requires it. The code lists the distinct source codes joined by ``" + "``.
    """
    items = list(licenses)
    if not items:
        raise ValueError("combine() needs at least one license")
    if len(items) == 1:
        return items[0]
    codes = " + ".join(dict.fromkeys(lic.code for lic in items))
    return License(codes, commercial_use=all(x.commercial_use for x in items),
                   derivatives=all(x.derivatives for x in items), share_alike=any(x.share_alike for x in items),
                   attribution=any(x.attribution for x in items))
