"""Recognizers of the deid pipeline, one per module, all Presidio ``EntityRecognizer``s.

:data:`RECOGNIZERS` maps the config key (``recognizers.<key>`` in the YAML) to
the class; :func:`build_recognizers` instantiates the enabled ones. The
per-note deny list (:class:`~deid.recognizers.deny_list.DenyListRecognizer`)
is built by the pipeline for each note.
"""

from __future__ import annotations

from deid.recognizers.age_over_89 import AgeOver89Recognizer
from deid.recognizers.base import DeidRecognizer, Resources
from deid.recognizers.contact_name import ContactNameRecognizer
from deid.recognizers.date import DeidDateRecognizer
from deid.recognizers.deny_list import DenyListRecognizer
from deid.recognizers.email import DeidEmailRecognizer
from deid.recognizers.facility import FacilityRecognizer
from deid.recognizers.hl7_segment import Hl7SegmentRecognizer
from deid.recognizers.hospital import HospitalRecognizer
from deid.recognizers.ip_address import DeidIpAddressRecognizer
from deid.recognizers.labelled_field import LabelledFieldRecognizer
from deid.recognizers.learned_tagger import LearnedTaggerRecognizer
from deid.recognizers.location import LocationRecognizer
from deid.recognizers.member_id import MemberIdRecognizer
from deid.recognizers.mrn import MrnRecognizer
from deid.recognizers.patient_name import PatientNameRecognizer
from deid.recognizers.phone import DeidPhoneRecognizer
from deid.recognizers.place_name import PlaceNameRecognizer
from deid.recognizers.provider_name import ProviderNameRecognizer
from deid.recognizers.relative_name import RelativeNameRecognizer
from deid.recognizers.ssn import DeidSsnRecognizer
from deid.recognizers.street_address import StreetAddressRecognizer
from deid.recognizers.table_column import TableColumnRecognizer
from deid.recognizers.time import TimeRecognizer
from deid.recognizers.url import DeidUrlRecognizer
from deid.recognizers.vehicle_id import VehicleIdRecognizer
from deid.recognizers.ward import WardRecognizer
from deid.recognizers.year import YearRecognizer
from deid.recognizers.zip_code import ZipCodeRecognizer

RECOGNIZERS: dict[str, type[DeidRecognizer]] = {
    cls.CONFIG_KEY: cls
    for cls in (
        DeidDateRecognizer, TimeRecognizer, YearRecognizer, AgeOver89Recognizer, MrnRecognizer,
        MemberIdRecognizer, VehicleIdRecognizer, Hl7SegmentRecognizer, DeidSsnRecognizer, DeidPhoneRecognizer, DeidEmailRecognizer, DeidUrlRecognizer,
        DeidIpAddressRecognizer, StreetAddressRecognizer, LabelledFieldRecognizer, ZipCodeRecognizer, HospitalRecognizer,
        WardRecognizer, LocationRecognizer, FacilityRecognizer, PlaceNameRecognizer, ProviderNameRecognizer, RelativeNameRecognizer,
        PatientNameRecognizer, ContactNameRecognizer, TableColumnRecognizer, LearnedTaggerRecognizer,
    )
}


def build_recognizers(resources: Resources) -> list[DeidRecognizer]:
    """Instantiate every recognizer enabled in ``resources.config``."""
    return [cls(resources) for key, cls in RECOGNIZERS.items() if resources.config.enabled(key)]


__all__ = ["RECOGNIZERS", "build_recognizers", "DenyListRecognizer", "Resources", "DeidRecognizer"]
