"""Place surrogates: hospitals -> surrogate hospital names, towns -> surrogate towns,
wards -> "Unit <keyed>"; keyed per patient, letter case kept."""

from __future__ import annotations

import re

from deid.operators.base import DeidOperator, case_like, normalize
from deid.surrogates import load_list

_GENERIC_TAIL = re.compile(r"\s+(?:hospital|hosp|medical center|medical|memorial|campus|rehab|center|clinic)\.?$", re.I)


class LocationSurrogate(DeidOperator):
    """Replace a hospital, ward or place name with a keyed surrogate."""

    NAME = "location_surrogate"

    def operate(self, text: str, params: dict | None = None) -> str:
        """Choose the surrogate list from ``params['entity_type']``."""
        params = params or {}
        entity = params.get("entity_type", "LOCATION")
        key = normalize(_GENERIC_TAIL.sub("", text))
        if entity == "WARD":
            n = self.number(params, "ward", key)
            return case_like(f"Unit {1 + n % 9}{'ABCDEFGH'[n % 8]}", text)
        if entity == "HOSPITAL":
            name = self.pick(params, load_list("hospitals"), "hospital", key, avoid=_GENERIC_TAIL.sub("", text).strip())
            if not _GENERIC_TAIL.search(text):
                name = name.split()[0]  # "GH" -> "Dunwell", "Calvert Hospital" -> full name
            return case_like(name, text)
        return case_like(self.pick(params, load_list("cities"), "city", key, avoid=text.strip()), text)
