"""Ground-truth manifest of a simulated hospital export (``manifest.json``).

The manifest lists every patient identity, every note with the PHI values
planted in its text, and the deliberately bad inputs. It sits beside the
export and is never read by the node: tests and the demo use it to prove that
no planted value survives de-identification. The shape follows
``node/ingest/FORMATS.md`` ("Demo ground truth").
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

#: PHI types a planted value can have (``FORMATS.md``).
PHI_TYPES: tuple[str, ...] = (
    "PATIENT", "PROVIDER", "RELATIVE", "DATE", "MRN", "PHONE", "EMAIL", "ADDRESS",
    "ZIP", "HOSPITAL", "WARD", "INSURANCE", "SSN", "AGE",
)

#: Kinds of bad input a simulated export can hold.
BAD_KINDS: tuple[str, ...] = ("malformed_json", "non_utf8", "empty", "oversized", "unknown_patient")


@dataclass(frozen=True)
class PlantedValue:
    """One PHI value written verbatim into a note.

    Attributes
    ----------
    type:
        One of :data:`PHI_TYPES`.
    value:
        The exact string as it occurs in the note text (case included).
    """

    type: str
    value: str


@dataclass
class NoteRecord:
    """Ground truth for one note.

    Attributes
    ----------
    source:
        Note id as the node sees it: file name (text export), ``notes.csv#<row>``
        (0-based data row, header excluded) or the DocumentReference id (FHIR).
    mrn:
        The patient's MRN.
    date:
        Note date, ISO ``YYYY-MM-DD``.
    type:
        Note type as written in the export.
    origin:
        Public text it was made from (``medpix:<U_id>``,
        ``physionet:<patient>/<note>``, ``synthea:<DocumentReference id>``).
    planted:
        Planted PHI values; each occurs verbatim in the note text.
    """

    source: str
    mrn: str
    date: str
    type: str
    origin: str
    planted: list[PlantedValue] = field(default_factory=list)


@dataclass
class BadInput:
    """A deliberately broken input that the node must quarantine or reject.

    Attributes
    ----------
    source:
        Note file name (text), ``notes.csv#<0-based row>`` / ``notes_extra.csv``
        (CSV), DocumentReference id or ``DocumentReference.ndjson:<1-based line>``
        (FHIR, malformed line).
    kind:
        One of :data:`BAD_KINDS`.
    detail:
        Human-readable description.
    mrn:
        MRN the input claims, when it has one.
    planted:
        PHI planted in it (e.g. the unknown patient's name), when any.
    """

    source: str
    kind: str
    detail: str = ""
    mrn: str | None = None
    planted: list[PlantedValue] = field(default_factory=list)


@dataclass(frozen=True)
class PlantedImageValue:
    """One PHI value planted in a simulated image.

    Attributes
    ----------
    type:
        One of :data:`PHI_TYPES`.
    value:
        The exact string as planted.
    where:
        ``"header"`` (a DICOM attribute), ``"banner"`` (burned into the pixels) or
        ``"report"`` (the caption/report text of the sidecar).
    """

    type: str
    value: str
    where: str


@dataclass
class ImageRecord:
    """Ground truth for one simulated image (``coordinator/demo/images.py``).

    Attributes
    ----------
    source:
        Path relative to the export, ``images/<file>.dcm``.
    mrn, date:
        The patient's MRN; study date, ISO ``YYYY-MM-DD``.
    origin:
        ``medpix:<image id>``.
    planted:
        Planted PHI values (header, banner, report).
    """

    source: str
    mrn: str
    date: str
    origin: str
    planted: list[PlantedImageValue] = field(default_factory=list)


@dataclass
class Manifest:
    """Ground truth of one simulated hospital export.

    Attributes
    ----------
    site:
        Site id (folder name), e.g. ``"aurelia"``.
    name:
        Hospital name.
    export_kind:
        ``"text"``, ``"csv"`` or ``"fhir"``.
    seed:
        Seed the export was generated from.
    patients:
        One dict per registered patient: ``mrn, given, family, sex, birth_date,
        address, city, state, zip, phone, email, insurance_id`` plus ``ssn``,
        ``fhir_id``, ``stated_age``, ``age_reference_date``, ``origin``,
        ``relatives``.
    notes:
        One :class:`NoteRecord` per good note.
    bad_inputs:
        The deliberately bad inputs.
    images:
        The simulated images (empty unless ``coordinator.demo.images`` added them).
    """

    site: str
    name: str
    export_kind: str
    seed: int
    patients: list[dict[str, Any]] = field(default_factory=list)
    notes: list[NoteRecord] = field(default_factory=list)
    bad_inputs: list[BadInput] = field(default_factory=list)
    images: list[ImageRecord] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """Return the manifest as plain JSON-ready data."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Manifest:
        """Build a manifest from :meth:`to_dict` output.

        Parameters
        ----------
        data:
            Parsed ``manifest.json``.

        Returns
        -------
        Manifest
        """
        notes = [
            NoteRecord(**{**n, "planted": [PlantedValue(**p) for p in n.get("planted", [])]})
            for n in data.get("notes", [])
        ]
        bad = [
            BadInput(**{**b, "planted": [PlantedValue(**p) for p in b.get("planted", [])]})
            for b in data.get("bad_inputs", [])
        ]
        return cls(
            site=data["site"], name=data["name"], export_kind=data["export_kind"],
            seed=int(data["seed"]), patients=list(data.get("patients", [])), notes=notes,
            bad_inputs=bad,
            images=[ImageRecord(**{**i, "planted": [PlantedImageValue(**p) for p in i.get("planted", [])]})
                    for i in data.get("images", [])],
        )

    def save(self, path: Path) -> None:
        """Write the manifest as UTF-8 JSON (stable key order, LF newlines).

        Parameters
        ----------
        path:
            Target file, usually ``<export>/manifest.json``.
        """
        text = json.dumps(self.to_dict(), indent=1, ensure_ascii=False) + "\n"
        Path(path).write_text(text, encoding="utf-8", newline="\n")

    @classmethod
    def load(cls, path: Path) -> Manifest:
        """Read a manifest written by :meth:`save`.

        Parameters
        ----------
        path:
            ``manifest.json`` path.

        Returns
        -------
        Manifest
        """
        return cls.from_dict(json.loads(Path(path).read_text(encoding="utf-8")))

    def all_planted(self) -> list[tuple[str, PlantedValue]]:
        """Every (note source, planted value) pair, good notes only."""
        return [(n.source, p) for n in self.notes for p in n.planted]
