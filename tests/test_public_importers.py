"""Public case-report importers on real rows (MedPix 2.0, PMC-Patients) and the MultiCaRe fixtures;
label normalization; licenses; cross-source dedup of planted duplicates."""

from __future__ import annotations

import ast
import csv
import json
from pathlib import Path

import pytest

from coordinator.public_data.cases import case_key, pmcid_of
from coordinator.public_data.dedup import merge_batches
from coordinator.public_data.licenses import combine, parse_license
from coordinator.public_data.medpix import read_medpix
from coordinator.public_data.multicare import labels_from_multicare, read_multicare
from coordinator.public_data.pmc_patients import parse_age, read_pmc_patients
from schemas.labels import body_region_from, labels_from_medpix, normalize_caption

FIXTURES = Path(__file__).parent / "fixtures" / "multicare"


def test_medpix_importer_reads_every_real_case(shared_data: Path) -> None:
    batch = read_medpix(shared_data / "medpix2", data_dir=shared_data)
    descriptions = json.loads((shared_data / "medpix2" / "Descriptions.json").read_text(encoding="utf-8"))
    assert batch.rows_read == 602 and len(batch.cases) == 602 and not batch.rejected
    assert sum(len(c.images) for c in batch.cases) == len(descriptions) == 1850
    case = next(c for c in batch.cases if c.key == "MPX1009")
    assert case.text.startswith("History: 73-year-old male with hematuria")
    assert "Disease Discussion" not in case.text  # topic text is about the disease, not the patient
    assert (case.sex, case.age_years, case.license.commercial_use) == ("male", 73.0, False)
    by_image = {d["image"]: d for d in descriptions}
    for c in batch.cases[:50]:
        for img in c.images:
            assert img.file and (shared_data / img.file).is_file()
            raw = by_image[img.image_id]
            assert img.labels.modality == {"CT": "CT", "MR": "MR"}[raw["Type"]]
            assert img.labels.body_region == body_region_from(raw["Location Category"])
    assert {body_region_from(v) for v in ("Head", "Spine and Muscles", "Thorax", "Abdomen",
                                          "Reproductive and Urinary System")} == {"head", "spine", "thorax", "abdomen", "pelvis"}


def test_pmc_patients_importer_reads_every_real_row(shared_data: Path) -> None:
    path = shared_data / "pmc-patients" / "PMC-Patients-sample-1000.csv"
    batch = read_pmc_patients(path)
    assert batch.rows_read == 1000 and len(batch.cases) == 1000 and not batch.rejected
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    for row, case in zip(rows, batch.cases):
        # the PMCID is the file_path's, the key is PMC<digits>_<k>
        assert case.pmcid == Path(row["file_path"]).stem
        digits, k = row["patient_uid"].split("-")
        assert case.key == f"PMC{digits}_{int(k):02d}"
        value, unit = ast.literal_eval(row["age"])[0]
        if unit == "year":
            assert case.age_years is not None and case.age_years >= value
        assert case.sex == {"M": "male", "F": "female"}[row["gender"]]
    assert {c.license.code for c in batch.cases} == {"CC BY-NC-SA 4.0"}
    assert not batch.cases[0].license.allows("commercial") and batch.cases[0].license.allows("research")


def test_pmc_age_parsing() -> None:
    assert parse_age("[[60.0, 'year']]") == 60.0
    assert parse_age("[[6.0, 'month']]") == pytest.approx(0.5)
    assert parse_age("[[1.0, 'year'], [6.0, 'month']]") == pytest.approx(1.5)
    assert parse_age("__import__('os')") is None and parse_age("") is None


def test_multicare_importer_on_published_example_records() -> None:
    batch = read_multicare(FIXTURES)
    assert [c.key for c in batch.cases] == [f"PMC6744365_0{i}" for i in range(1, 7)] + ["PMC10018421_01"]
    first = batch.cases[0]
    assert (first.sex, first.age_years, first.year, first.license.code) == ("male", 25.0, 2019, "CC BY-NC-ND")
    assert first.doi == "10.1016/j.idcr.2019.e00633" and first.pmid == "31534908"
    assert "brucellosis" in first.keywords
    assert [i.image_id for i in first.images] == ["PMC6744365_pl1_undivided_1_1", "PMC6744365_pl2_undivided_1_1"]
    assert first.images[0].text_references and "(Image 1)" in first.images[0].text_references[0]
    pxa = batch.cases[-1]
    assert pxa.license.code == "CC BY-NC" and pxa.age_years == 32.0
    labels = pxa.images[0].labels
    assert (labels.modality, labels.body_region, labels.plane) == ("MR", "head", "sagittal")
    assert "t1" in pxa.images[0].source_labels
    # no pixels ship with the fixtures: file is None, the name is kept as the image id
    assert all(img.file is None for c in batch.cases for img in c.images)


def test_multicare_layout_errors_name_the_folder(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="metadata.parquet nor metadata.jsonl"):
        read_multicare(tmp_path)


def test_label_normalization_examples() -> None:
    assert normalize_caption("Axial CAT scan of the chest").to_dict() == {
        "modality": "CT", "body_region": "thorax", "plane": "axial", "findings": []}
    assert normalize_caption("computed tomography of the abdomen").modality == "CT"
    assert normalize_caption("Sagittal T2 MRI of the lumbar spine").body_region == "spine"
    assert labels_from_multicare(["radiology", "mri", "head", "sagittal"]).to_dict()["modality"] == "MR"
    assert labels_from_multicare(["ct", "thorax", "axial"]).plane == "axial"
    record = {"Type": "MR", "Location Category": "Spine and Muscles", "Location": "Spine",
              "Description": {"Plane": "Sagittal", "Modality": "MR - T2 weighted", "Caption": "Disc herniation"}}
    assert (labels_from_medpix(record).modality, labels_from_medpix(record).body_region,
            labels_from_medpix(record).plane) == ("MR", "spine", "sagittal")


@pytest.mark.parametrize(("text", "code", "commercial"), [
    ("CC BY", "CC BY", True), ("CC0", "CC0", True), ("CC BY-SA", "CC BY-SA", True), ("CC BY-ND", "CC BY-ND", True),
    ("CC BY-NC", "CC BY-NC", False), ("CC BY-NC-SA 4.0", "CC BY-NC-SA 4.0", False),
    ("cc-by-nc-nd", "CC BY-NC-ND", False), ("NO-CC CODE", "NO-CC CODE", False),
    ("https://creativecommons.org/licenses/by/4.0/", "CC BY 4.0", True), ("MedPix", "MedPix (research and education)", False),
])
def test_license_normalization(text: str, code: str, commercial: bool) -> None:
    lic = parse_license(text)
    assert (lic.code, lic.allows("commercial"), lic.allows("research")) == (code, commercial, True)


def test_license_errors_and_combination() -> None:
    with pytest.raises(ValueError, match="unknown license 'GPL-3.0'"):
        parse_license("GPL-3.0")
    merged = combine([parse_license("CC BY"), parse_license("CC BY-NC-SA 4.0")])
    assert not merged.commercial_use and merged.share_alike and merged.code == "CC BY + CC BY-NC-SA 4.0"


def planted_pmc_csv(shared_data: Path, out: Path, planted_uids: list[str], real_rows: int = 3) -> Path:
    """A PMC-Patients CSV: the first real rows, planted rows whose patient_uid names a MultiCaRe case,
    and one real row repeated (a duplicate within the source)."""
    src = shared_data / "pmc-patients" / "PMC-Patients-sample-1000.csv"
    with src.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        rows = [next(reader) for _ in range(real_rows)]
        header = reader.fieldnames
    planted = []
    for uid in planted_uids:
        digits = uid.split("-")[0]
        planted.append({**rows[0], "patient_uid": uid, "file_path": f"comm/PMC0xxxxxx/PMC{digits}.xml",
                        "patient": f"A 25-year-old man was admitted in 2018 (planted duplicate of PMC{digits})."})
    with out.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=header)
        writer.writeheader()
        writer.writerows(rows + planted + [rows[-1]])
    return out


def test_dedup_merges_planted_duplicates_across_sources(shared_data: Path, tmp_path: Path) -> None:
    path = planted_pmc_csv(shared_data, tmp_path / "pmc.csv", ["6744365-1", "10018421-1"])
    pmc, mc = read_pmc_patients(path), read_multicare(FIXTURES)
    cases, report = merge_batches([pmc, mc])  # order does not matter: priority decides
    keys = [c.key for c in cases]
    assert len(keys) == len(set(keys)) == 3 + 7  # 3 real PMC rows + 7 MultiCaRe cases
    assert {(m.key, m.kept_source, m.merged_source) for m in report.merges} == {
        ("PMC6744365_01", "multicare", "pmc-patients"), ("PMC10018421_01", "multicare", "pmc-patients")}
    assert report.within_source == {"pmc-patients": 1}
    kept = next(c for c in cases if c.key == "PMC6744365_01")
    assert kept.source == "multicare" and kept.also_in[0][:2] == ("pmc-patients", "6744365-1")
    assert pmcid_of("6744365") == "PMC6744365" and case_key("PMC6744365", 1) == "PMC6744365_01"
