"""Version of the shared FHIR schema and of the node store's record shape.

Every stored record and every FHIR resource a node writes carries
:data:`SCHEMA_VERSION` (records: a ``schema_version`` field; resources: a
``meta.tag`` with system :data:`SCHEMA_VERSION_SYSTEM`). The coordinator only
combines answers from nodes whose schema has the same *major* version.

Versioning follows semver:

- MAJOR: a field is removed or renamed, or its meaning or unit changes
  (old and new records can no longer be aggregated together).
- MINOR: a field or an allowed value is added (old readers may ignore it).
- PATCH: documentation, validation messages, vocabulary fixes that do not
  change stored values' meaning.

Changelog
---------
1.0.0
    First version. De-identified ``Patient`` (pseudonym, gender, birth year or
    ``90+`` age band as extensions) and ``DocumentReference`` (LOINC-coded note
    type, shifted date, de-identified text inline as base64 with SHA-1 hash and
    size) as FHIR R4 JSON; flat ``QueryFields`` / ``PatientQueryFields`` for
    aggregate queries; MongoDB ``$jsonSchema`` validators for the ``patients``
    and ``documents`` collections.
1.1.0
    ``QueryFields.tokens``: sorted unique lower-case words of the de-identified
    text, for keyword search by exact token match (no regex on user text).
1.2.0
    Public case-report records of the coordinator (``schemas/public.py``):
    ``public_documents`` = a ``documents`` record plus ``provenance`` (source,
    source id, PMCID/PMID/DOI, license and what it allows, merged duplicates);
    ``public_images`` (FHIR Media, caption, normalized labels, provenance).
1.3.0
    ``images`` records never hold the patient's date shift: ``provenance.date_shift_days``
    and ``provenance.header.date_shift_days`` are gone (with them anyone reading the store
    could undo the shift of every date of a patient with an image); the record validator
    refuses them. Migration ``node/migrations/v1_3_0_no_date_shift.py`` removes them from
    stored records. Nothing queried changes (minor: answers of 1.2 and 1.3 nodes combine).
"""

from __future__ import annotations

SCHEMA_VERSION: str = "1.3.0"
"""Current schema version (semver ``MAJOR.MINOR.PATCH``)."""

SCHEMA_VERSION_SYSTEM: str = "urn:fednet:schema-version"
"""Coding system of the ``meta.tag`` that carries the schema version in resources."""


def parse_version(version: str) -> tuple[int, int, int]:
    """Split a semver string into integers.

    Parameters
    ----------
    version:
        A version such as ``"1.0.0"``.

    Returns
    -------
    tuple of int
        ``(major, minor, patch)``.

    Raises
    ------
    ValueError
        If ``version`` is not three dot-separated non-negative integers.
    """
    parts = version.split(".")
    if len(parts) != 3 or not all(p.isdigit() for p in parts):
        raise ValueError(f"not a semver MAJOR.MINOR.PATCH version: {version!r}")
    major, minor, patch = (int(p) for p in parts)
    return major, minor, patch


def is_compatible(version: str, current: str = SCHEMA_VERSION) -> bool:
    """Tell whether records of ``version`` can be aggregated with ``current`` ones.

    Parameters
    ----------
    version:
        Schema version found in a record or reported by a node.
    current:
        Version to compare with; defaults to this code's :data:`SCHEMA_VERSION`.

    Returns
    -------
    bool
        ``True`` when both have the same major version.
    """
    try:
        return parse_version(version)[0] == parse_version(current)[0]
    except ValueError:
        return False
