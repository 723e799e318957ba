"""Street address surrogates: keyed house number, street and suffix (city/state dropped)."""

from __future__ import annotations

from deid.operators.base import DeidOperator, case_like, normalize
from deid.surrogates import STREET_SUFFIXES, load_list


class AddressSurrogate(DeidOperator):
    """Replace a street address with ``<n> <Street> <Suffix>`` (keyed)."""

    NAME = "address_surrogate"

    def operate(self, text: str, params: dict | None = None) -> str:
        """Return a keyed surrogate street address in the original letter case."""
        params = params or {}
        key = normalize(text)
        number = 1 + self.number(params, "addr-n", key) % 9899
        street = self.pick(params, load_list("streets"), "addr-street", key)
        suffix = self.pick(params, STREET_SUFFIXES, "addr-suffix", key)
        return case_like(f"{number} {street} {suffix}", text)
