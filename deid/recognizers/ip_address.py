"""IPv4 and IPv6 addresses."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable

from deid.recognizers.base import DeidRecognizer, Found

_IPV4 = re.compile(r"(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?![\w.]|\.\d)")
#: IPv6 candidates (validated below): full, "::"-compressed, with an IPv4 tail.
_IPV6 = re.compile(r"(?<![\w:])(?:[0-9a-f]{0,4}:){2,7}(?:[0-9a-f]{1,4}|(?:\d{1,3}\.){3}\d{1,3})?(?![\w:])", re.I)


class DeidIpAddressRecognizer(DeidRecognizer):
    """IP addresses, validated with :mod:`ipaddress`."""

    ENTITIES = ("IP_ADDRESS",)
    CONFIG_KEY = "ip_address"

    def find(self, text: str) -> Iterable[Found]:
        """Find valid IPv4/IPv6 literals."""
        for rx in (_IPV4, _IPV6):
            for m in rx.finditer(text):
                if rx is _IPV6 and (m.group().count(":") < 3 or len(m.group()) < 6):
                    continue  # "10:30:00" and short colon runs are times, not addresses
                try:
                    ipaddress.ip_address(m.group())
                except ValueError:
                    continue
                yield Found(m.start(), m.end(), "IP_ADDRESS", self.score)
