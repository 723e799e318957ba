"""PMC-Patients importer: the CSV of patient summaries extracted from PubMed Central case reports.

Header ``patient_id,patient_uid,PMID,file_path,title,patient,age,gender,relevant_articles,
similar_patients``. ``patient_uid`` is ``<PMC digits>-<k>`` (the k-th patient of article
``PMC<digits>``): the dedup key is ``PMC<digits>_<kk>``, the same as MultiCaRe's ``case_id``.
``age`` is a Python literal list of ``[value, unit]`` pairs (``[[60.0, 'year']]``,
``[[8.0, 'month'], [2.0, 'day']]``), parsed with :func:`ast.literal_eval`, never ``eval``.
License: the whole dataset is CC BY-NC-SA 4.0 (non-commercial, share-alike).
"""

from __future__ import annotations

import ast
import csv
import re
import sys
from pathlib import Path

from coordinator.public_data.cases import sex_of, PublicCase, Rejected, SourceBatch, case_key, pmcid_of
from coordinator.public_data.licenses import parse_license

__all__ = ["read_pmc_patients", "parse_age", "DATASET", "LICENSE"]

DATASET = "PMC-Patients V1"
DATASET_DOI = "10.1038/s41597-023-02814-8"
LICENSE = parse_license("CC BY-NC-SA 4.0")
_UNIT_YEARS = {"year": 1.0, "month": 1 / 12, "week": 7 / 365.25, "day": 1 / 365.25, "hour": 1 / 8766.0}
_UID = re.compile(r"^(\d{1,10})-(\d{1,4})$")
REQUIRED = ("patient_uid", "patient", "age", "gender")


def parse_age(value: str) -> float | None:
    """Age in years from PMC-Patients' ``age`` column; ``None`` when missing or malformed."""
    try:
        pairs = ast.literal_eval(value) if value and value.strip() else []
    except (ValueError, SyntaxError):
        return None
    total = 0.0
    try:
        for amount, unit in pairs:
            total += float(amount) * _UNIT_YEARS[str(unit).lower().rstrip("s")]
    except (TypeError, ValueError, KeyError):
        return None
    return total if pairs and 0 <= total <= 125 else None


def read_pmc_patients(path: Path, *, limit: int | None = None) -> SourceBatch:
    """Read a PMC-Patients CSV.

    Parameters
    ----------
    path:
        ``PMC-Patients*.csv`` with the V1 header.
    limit:
        Read only the first ``limit`` rows.

    Returns
    -------
    SourceBatch
        One case per row; rows without a valid ``patient_uid`` or text are rejected.

    Raises
    ------
    FileNotFoundError, ValueError
        If the file is missing or lacks a required column.
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"{path}: missing; expected the PMC-Patients CSV (patient_uid, patient, age, gender...)")
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    batch = SourceBatch("pmc-patients")
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = [c for c in REQUIRED if c not in (reader.fieldnames or [])]
        if missing:
            raise ValueError(f"{path}: missing column(s) {', '.join(missing)}; is this a PMC-Patients CSV?")
        for n, row in enumerate(reader, start=2):
            if limit is not None and batch.rows_read >= limit:
                break
            batch.rows_read += 1
            uid = (row.get("patient_uid") or "").strip()
            m = _UID.match(uid)
            if not m:
                batch.rejected.append(Rejected("pmc-patients", f"{path.name}:{n}", "patient_uid is not <PMC digits>-<k>"))
                continue
            text = (row.get("patient") or "").strip()
            if not text:
                batch.rejected.append(Rejected("pmc-patients", uid, "empty patient summary"))
                continue
            pmcid = pmcid_of(m.group(1))
            pmid = (row.get("PMID") or "").strip()
            batch.cases.append(PublicCase(
                source="pmc-patients", source_id=uid, key=case_key(pmcid, int(m.group(2))), text=text,
                license=LICENSE, dataset=DATASET, dataset_doi=DATASET_DOI, sex=sex_of(row.get("gender")),
                age_years=parse_age(row.get("age") or ""), pmcid=pmcid, pmid=pmid if pmid.isdigit() else None,
                title=(row.get("title") or "").strip() or None,
                link=f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/" if pmid.isdigit() else None))
    return batch
