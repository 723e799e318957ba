"""DICOM header de-identification.

PS3.15 Annex E Basic Application Level Confidentiality Profile (table:
:mod:`deid.image.annex_e`) with these options and choices:

- **Retain Longitudinal Temporal Information, Modified Dates** (113107): every date
  (VR DA) and date-time (DT) the table lists is shifted by the patient's date shift,
  the same number of days as their notes (``Deidentifier.date_shift_days(mrn)``);
  times of day (TM) are kept. The birth date is emptied (the patient record keeps the
  birth year).
- UIDs (action ``U``) become ``2.25.<decimal of HMAC-SHA256(site secret, uid)>``: the
  same original UID maps to the same new UID at this site, so studies, series and
  references stay linked; another site's secret gives unrelated UIDs.
- Patient Name and Patient ID become the patient's keyed pseudonym.
- Private tags are removed; overlays (groups 60xx) and curves (50xx) are removed.
- Kept on purpose (not in the table, listed in :data:`KEEP`): modality, body part, view,
  laterality, orientation, pixel spacing, slice geometry, ultrasound regions.
- An identifier sweep then removes any remaining text element that still contains a
  known identifier of the patient (header values read before the actions, plus the
  registry's name/MRN), wherever it hides.
- Patient Identity Removed = YES, De-identification Method (+ code sequence) set.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
from dataclasses import dataclass, field
from typing import Iterable

from pydicom.dataelem import DataElement
from pydicom.dataset import Dataset
from pydicom.sequence import Sequence
from pydicom.tag import Tag

from deid.image.annex_e import ActionTable, load_action_table
from deid.image.types import HeaderReport

#: Elements kept whatever the table says: what research needs and carries no identity.
KEEP: frozenset[str] = frozenset({
    "Modality", "BodyPartExamined", "ViewPosition", "ImageLaterality", "Laterality", "PatientOrientation",
    "ImageOrientationPatient", "ImagePositionPatient", "PixelSpacing", "ImagerPixelSpacing", "SliceThickness",
    "SpacingBetweenSlices", "SliceLocation", "SequenceOfUltrasoundRegions", "PhotometricInterpretation",
    "Rows", "Columns", "NumberOfFrames", "SOPClassUID", "ImageType",
})

#: Header elements whose original values are identifiers to sweep for afterwards.
IDENTIFYING_KEYWORDS: tuple[str, ...] = (
    "PatientName", "PatientID", "OtherPatientIDs", "OtherPatientNames", "PatientBirthName", "PatientMotherBirthName",
    "PatientAddress", "PatientTelephoneNumbers", "InstitutionName", "InstitutionAddress",
    "InstitutionalDepartmentName", "ReferringPhysicianName", "ReferringPhysicianAddress", "PerformingPhysicianName",
    "NameOfPhysiciansReadingStudy", "OperatorsName", "RequestingPhysician", "AccessionNumber", "StationName",
    "DeviceSerialNumber", "PatientBirthDate", "MilitaryRank", "MedicalRecordLocator", "IssuerOfPatientID",
)

#: DICOM codes of the profile and options applied (CID 7050).
PROFILE_CODES: tuple[tuple[str, str], ...] = (
    ("113100", "Basic Application Confidentiality Profile"),
    ("113107", "Retain Longitudinal Temporal Information Modified Dates Option"),
)
CLEAN_PIXEL_CODE = ("113101", "Clean Pixel Data Option")

_TEXT_VRS = frozenset({"PN", "LO", "SH", "ST", "LT", "UT", "UC", "AE", "CS", "DA", "DT", "IS", "DS", "AS", "UR"})
_MAX_DUMMY = {"CS": "ANONYMIZED", "AS": "000Y", "DA": "", "TM": "", "DT": "", "IS": "0", "DS": "0"}


@dataclass(frozen=True)
class HeaderContext:
    """What header de-identification needs to know about the patient and the site.

    Parameters
    ----------
    pseudonym:
        The patient's keyed pseudonym (Patient Name and Patient ID become it).
    date_shift_days:
        The patient's date shift (same as their notes).
    uid_key:
        The site secret: keys the UID remapping.
    known_identifiers:
        Identifiers of the patient known from the registry (names, MRN...): swept too.
    """

    pseudonym: str
    date_shift_days: int
    uid_key: bytes
    known_identifiers: tuple[str, ...] = field(default_factory=tuple)


def remap_uid(uid: str, key: bytes) -> str:
    """Keyed, consistent UID replacement under the ``2.25`` (UUID-derived) root."""
    digest = hmac.new(key, b"dicom-uid\x1f" + str(uid).encode("ascii", "replace"), hashlib.sha256).digest()
    return "2.25." + str(int.from_bytes(digest[:16], "big"))


_DATE_FORMS = (re.compile(r"^(\d{4})(\d{2})(\d{2})$"), re.compile(r"^(\d{4})[.\-/](\d{2})[.\-/](\d{2})$"))


def shift_da(value: str, days: int) -> str:
    """Shift one DA value (``YYYYMMDD``; also the old ``YYYY.MM.DD``); unparsable -> ``""``."""
    value = (value or "").strip()
    for form in _DATE_FORMS:
        m = form.match(value)
        if m:
            try:
                day = dt.date(int(m[1]), int(m[2]), int(m[3]))
            except ValueError:
                return ""
            return (day + dt.timedelta(days=days)).strftime("%Y%m%d")
    return ""


def shift_dt(value: str, days: int) -> str:
    """Shift one DT value: the date part moves, the time and offset are kept."""
    value = (value or "").strip()
    if len(value) < 8:
        return ""
    shifted = shift_da(value[:8], days)
    return shifted + value[8:] if shifted else ""


def _dummy(elem: DataElement, ctx: HeaderContext) -> object:
    vr = elem.VR
    if vr == "SQ":
        return Sequence([])
    if vr in ("PN",):
        return ctx.pseudonym
    if vr in ("US", "SS", "UL", "SL", "UV", "SV"):
        return 0
    if vr in ("FL", "FD"):
        return 0.0
    if vr in ("OB", "OW", "OF", "OD", "OL", "OV", "UN"):
        return b""
    if vr == "UI":
        return remap_uid(str(elem.value), ctx.uid_key) if elem.value else ""
    return _MAX_DUMMY.get(vr, "ANONYMIZED")


def _shift(elem: DataElement, days: int) -> object:
    shift = shift_da if elem.VR == "DA" else shift_dt
    shifted = [shift(str(v), days) for v in _values(elem)]
    shifted = [v for v in shifted if v]
    if not shifted:
        return ""
    return shifted if len(shifted) > 1 else shifted[0]


def _values(elem: DataElement) -> list:
    """The element's values as a list (one item for VM 1)."""
    if elem.value is None:
        return []
    return list(elem.value) if elem.VM > 1 else [elem.value]


def collect_identifiers(ds: Dataset) -> tuple[str, ...]:
    """Identifying values of the header (names split into parts, IDs, institution...)."""
    values: set[str] = set()
    for keyword in IDENTIFYING_KEYWORDS:
        if keyword not in ds:
            continue
        for item in _values(ds[keyword]):
            text = str(item).strip()
            if not text:
                continue
            values.add(text)
            values.update(p.strip() for p in re.split(r"[\^=]", text) if p.strip())
    return tuple(sorted(values))


def _sweep_patterns(identifiers: Iterable[str]) -> list[re.Pattern[str]]:
    out = []
    for value in identifiers:
        value = value.strip()
        if len(value) < 3 or value.upper() in {"ANONYMIZED", "ANONYMOUS"}:
            continue
        out.append(re.compile(r"(?<![A-Za-z0-9])" + re.escape(value) + r"(?![A-Za-z0-9])", re.IGNORECASE))
    return out


class HeaderDeidentifier:
    """Applies the Annex E table and our options to a dataset, in place.

    Parameters
    ----------
    table:
        The action table (default: :func:`~deid.image.annex_e.load_action_table`).
    """

    def __init__(self, table: ActionTable | None = None):
        self.table = table or load_action_table()
        self._keep = {int(Tag(k)) for k in KEEP}

    def deidentify(self, ds: Dataset, ctx: HeaderContext, *, pixels_cleaned: bool = False) -> HeaderReport:
        """De-identify ``ds`` (its file meta too) and return what was done (counts only)."""
        report = HeaderReport(date_shift_days=ctx.date_shift_days)
        identifiers = tuple(set(collect_identifiers(ds)) | set(ctx.known_identifiers))
        report.private_tags_removed = self._remove_private(ds)
        report.overlays_removed = self._remove_groups(ds, (0x5000, 0x6000))
        self._apply(ds, ctx, report)
        if ds.get("PatientName") is not None or "PatientID" in ds:
            ds.PatientName = ctx.pseudonym
            ds.PatientID = ctx.pseudonym
        report.swept = self._sweep(ds, _sweep_patterns(identifiers))
        self._mark(ds, pixels_cleaned)
        meta = getattr(ds, "file_meta", None)
        if meta is not None and "MediaStorageSOPInstanceUID" in meta:
            meta.MediaStorageSOPInstanceUID = ds.get("SOPInstanceUID") or remap_uid(meta.MediaStorageSOPInstanceUID, ctx.uid_key)
        return report

    # -- steps ------------------------------------------------------------------------------
    def _remove_private(self, ds: Dataset) -> int:
        count = 0
        for elem in list(ds.iterall()):
            if elem.tag.is_private:
                count += 1
        ds.remove_private_tags()
        return count

    def _remove_groups(self, ds: Dataset, groups: tuple[int, ...]) -> int:
        doomed = [t for t in ds.keys() if (t.group & 0xFF00) in groups]
        for tag in doomed:
            del ds[tag]
        return len(doomed)

    def _apply(self, ds: Dataset, ctx: HeaderContext, report: HeaderReport) -> None:
        for elem in list(ds):
            tag = int(elem.tag)
            if tag in self._keep:
                continue
            action = self.table.action(tag, elem.VR)
            if action is None:
                if elem.VR == "SQ":
                    for item in elem.value or []:
                        self._apply(item, ctx, report)
                continue
            if elem.VR in ("DA", "DT") and action != "U":
                if elem.keyword == "PatientBirthDate":
                    elem.value = ""
                    report.actions["Z"] += 1
                else:
                    elem.value = _shift(elem, ctx.date_shift_days)
                    report.actions["shift"] += 1
                continue
            if elem.VR == "TM":
                report.actions["K"] += 1  # times of day are kept with Modified Dates
                continue
            report.actions[action] += 1
            if action == "X":
                del ds[elem.tag]
            elif action == "Z":
                elem.value = Sequence([]) if elem.VR == "SQ" else (b"" if elem.VR in ("OB", "OW", "UN") else ("" if elem.VR not in ("US", "SS", "UL", "SL", "FL", "FD") else None))
            elif action == "D":
                elem.value = _dummy(elem, ctx)
            elif action == "U":
                if elem.VR == "SQ":
                    for item in elem.value or []:
                        self._apply(item, ctx, report)
                elif elem.value:
                    new = [remap_uid(str(v), ctx.uid_key) for v in _values(elem)]
                    elem.value = new if len(new) > 1 else new[0]

    def _sweep(self, ds: Dataset, patterns: list[re.Pattern[str]]) -> int:
        if not patterns:
            return 0
        removed = 0
        for elem in list(ds):
            if int(elem.tag) in self._keep or elem.keyword in ("PatientName", "PatientID"):
                continue
            if elem.VR == "SQ":
                for item in elem.value or []:
                    removed += self._sweep(item, patterns)
                continue
            if elem.VR not in _TEXT_VRS or elem.value in (None, ""):
                continue
            text = str(elem.value)
            if any(p.search(text) for p in patterns):
                del ds[elem.tag]
                removed += 1
        return removed

    def _mark(self, ds: Dataset, pixels_cleaned: bool) -> None:
        ds.PatientIdentityRemoved = "YES"
        codes = list(PROFILE_CODES) + ([CLEAN_PIXEL_CODE] if pixels_cleaned else [])
        ds.DeidentificationMethod = "fednet PS3.15 E Basic+ModifiedDates" + ("+CleanPixel" if pixels_cleaned else "")
        seq = []
        for value, meaning in codes:
            item = Dataset()
            item.CodeValue = value
            item.CodingSchemeDesignator = "DCM"
            item.CodeMeaning = meaning
            seq.append(item)
        ds.DeidentificationMethodCodeSequence = Sequence(seq)
        ds.LongitudinalTemporalInformationModified = "MODIFIED"
        if pixels_cleaned and "PixelData" in ds:
            ds.BurnedInAnnotation = "NO"
