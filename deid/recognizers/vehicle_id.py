"""Emergency and transport vehicle numbers ("Medic 48", "CAR 54", "Unit 6329", "MICU-2"): vehicle
identifiers under HIPAA Safe Harbor, which name the crew and agency that handled a patient.

A vehicle word and a number are only an identifier in an EMS or police context on the same line or
the line before ("Officer ..., Car 54", "EMS: ... Medic 48, run #...", "Transport: ... Unit 987, ALS
crew", a run report's "AGENCY: WOODHAVEN EMS" above "UNIT: MEDIC 52F"), so that "Unit 5" in a
hospital ("transferred to Unit 5") is left alone. The number may end in a letter ("Medic 52F"), and a
run report's unit field may hold a call sign of letters and digits ("UNIT........: A4795").
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from deid.recognizers.base import DeidRecognizer, Found, compile_context, line_bounds

_VEHICLE = re.compile(
    r"(?<![\w-])(?:(?:car|medic|unit|squad|engine|truck|ladder|rescue|ambulance|micu|patrol|ems)(?:[ -]?#?[ ]?)"
    r"(?P<num>\d{1,5}[A-Z]?)|unit[ \t]*(?:#|no\.?)?[ \t.]*:[ \t]*(?P<sign>[A-Z]{1,3}-?\d{1,5}[A-Z]?))"
    r"(?![\w/.:-]|\.\d)", re.I)


class VehicleIdRecognizer(DeidRecognizer):
    """Vehicle numbers of ambulances, fire and police cars, next to an EMS or police word."""

    ENTITIES = ("ID",)
    CONFIG_KEY = "vehicle_id"

    def __init__(self, resources):
        super().__init__(resources)
        self._context = compile_context(self.settings.context)

    def find(self, text: str) -> Iterable[Found]:
        """Find vehicle words with a number that have a context word within 60 characters on their line
        (or 120 back, into the line before)."""
        for m in _VEHICLE.finditer(text):
            line_start, line_end = line_bounds(text, m.start(), m.end())
            before = max(text.rfind("\n", 0, max(0, line_start - 1)) + 1, m.start() - 120)  # the line before too
            after = min(line_end, m.end() + 60)
            if self._context.search(text, before, m.start()) or self._context.search(text, m.end(), after):
                group = "num" if m.group("num") else "sign"
                yield Found(m.start(group), m.end(group), "ID", self.score)
