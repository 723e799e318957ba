"""Emergency and transport vehicle numbers ("Medic 48", "CAR 54", "Unit 6329", "MICU-2"): vehicle
identifiers under HIPAA Safe Harbor, which name the crew and agency that handled a patient.

A vehicle word and a number are only an identifier in an EMS or police context on the same line
("Officer ..., Car 54", "EMS: ... Medic 48, run #...", "Transport: ... Unit 987, ALS crew"), so
that "Unit 5" in a hospital ("transferred to Unit 5") is left alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from deid.recognizers.base import DeidRecognizer, Found, compile_context, line_bounds

_VEHICLE = re.compile(
    r"(?<![\w-])(?:car|medic|unit|squad|engine|truck|ladder|rescue|ambulance|micu|patrol|ems)"
    r"(?:[ -]?#?[ ]?)(?P<num>\d{1,5})(?![\w/.:-]|\.\d)", re.I)


class VehicleIdRecognizer(DeidRecognizer):
    """Vehicle numbers of ambulances, fire and police cars, next to an EMS or police word."""

    ENTITIES = ("ID",)
    CONFIG_KEY = "vehicle_id"

    def __init__(self, resources):
        super().__init__(resources)
        self._context = compile_context(self.settings.context)

    def find(self, text: str) -> Iterable[Found]:
        """Find vehicle words with a number whose line has a context word within 60 characters."""
        for m in _VEHICLE.finditer(text):
            line_start, line_end = line_bounds(text, m.start(), m.end())
            before = max(line_start, m.start() - 60)
            after = min(line_end, m.end() + 60)
            if self._context.search(text, before, m.start()) or self._context.search(text, m.end(), after):
                yield Found(m.start("num"), m.end("num"), "ID", self.score)
