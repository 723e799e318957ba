"""The learned tagger's classes and how gold annotations and pipeline entity types map onto them.

The tagger labels every word with one of :data:`CLASSES` ("IO" tagging: adjacent words of one
class form one span). Redaction is type-agnostic for recall, but the class picks the surrogate
operator, so each class maps to a pipeline entity type (:data:`ENTITY_OF`).
"""

from __future__ import annotations

#: Tagger classes; index 0 is "not PHI".
CLASSES: tuple[str, ...] = ("O", "NAME", "DATE", "LOCATION", "ID", "AGE", "CONTACT")

#: Pipeline entity type (operator choice, see deid/config/default.yaml) of each PHI class.
ENTITY_OF: dict[str, str] = {
    "NAME": "PERSON", "DATE": "DATE", "LOCATION": "LOCATION", "ID": "ID", "AGE": "AGE", "CONTACT": "ID",
}

#: Gold annotation types of the corpora we read (PhysioNet deid, presidio-research, ours).
_GOLD: dict[str, str] = {
    # PhysioNet deid
    "HCPName": "NAME", "PTName": "NAME", "RelativeProxyName": "NAME", "PTNameInitial": "NAME",
    "Date": "DATE", "DateYear": "DATE", "Location": "LOCATION", "Phone": "ID", "Age": "AGE", "Other": "ID",
    # presidio-research
    "PERSON": "NAME", "FIRST_NAME": "NAME", "LAST_NAME": "NAME", "NAME": "NAME", "TITLE": "O",
    "DATE_TIME": "DATE", "DATE": "DATE", "LOCATION": "LOCATION", "GPE": "LOCATION", "ADDRESS": "LOCATION",
    "STREET_ADDRESS": "LOCATION", "CITY": "LOCATION", "COUNTRY": "LOCATION", "STATE": "LOCATION", "ZIP": "LOCATION",
    "ORGANIZATION": "LOCATION", "ORG": "LOCATION", "FACILITY": "LOCATION", "HOSPITAL": "LOCATION",
    "PHONE_NUMBER": "ID", "PHONE": "ID", "US_SSN": "ID", "SSN": "ID", "CREDIT_CARD": "ID", "IBAN_CODE": "ID",
    "US_DRIVER_LICENSE": "ID", "ID": "ID", "MRN": "ID", "IP_ADDRESS": "CONTACT", "EMAIL_ADDRESS": "CONTACT",
    "EMAIL": "CONTACT", "URL": "CONTACT", "DOMAIN_NAME": "CONTACT", "AGE": "AGE", "NRP": "O", "PREFIX": "O",
}


def gold_class(gold_type: str) -> str:
    """The tagger class of a gold annotation type (unknown types count as ``ID``)."""
    return _GOLD.get(gold_type, gold_type if gold_type in CLASSES else "ID")
