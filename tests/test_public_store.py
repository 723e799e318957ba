"""Public data in the coordinator's store: schema-valid records with provenance and license,
dedup against stored records, subsets in every format, license filter, warm-start pairs,
and public-mode de-identification that keeps ages and years (measured on the real MedPix texts)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from coordinator.public_data import import_public_data, open_public_store
from coordinator.public_data import store as public_store
from coordinator.public_data.deid_public import build_public_deidentifier, stated_ages, survival
from coordinator.public_data.medpix import read_medpix
from coordinator.subsets import FilterError, create_subset, parse_filter, select
from schemas.jsonschema import check_record, mongo_validator
from schemas.resources import document_text
from tests.test_public_importers import FIXTURES, planted_pmc_csv


@pytest.fixture(scope="module")
def deidentifier():
    return build_public_deidentifier()


@pytest.fixture
def loaded(shared_data: Path, store_uri: str, database_name: str, tmp_path: Path, deidentifier):
    store = open_public_store(store_uri, database_name)
    pmc = planted_pmc_csv(shared_data, tmp_path / "pmc.csv", ["6744365-1"], real_rows=4)
    report = import_public_data(store, shared_data, ["medpix", "pmc", "multicare"], limit=12,
                                paths={"pmc-patients": pmc, "multicare": FIXTURES}, deidentifier=deidentifier)
    yield store, report
    store.close()


def test_import_stores_schema_valid_records_with_provenance(loaded, shared_data: Path) -> None:
    store, report = loaded
    counts = {s: (c.cases_stored, c.images_stored) for s, c in report.sources.items()}
    assert counts["medpix"][0] == 12 and counts["medpix"][1] > 12
    assert counts["pmc-patients"] == (4, 0) and counts["multicare"] == (7, 4)
    assert report.sources["pmc-patients"].merged_into_other_source == 1
    assert report.sources["pmc-patients"].duplicates_within_source == 1
    docs = list(store.collection(public_store.DOCUMENTS).find({}))
    assert len(docs) == 12 + 4 + 7
    for doc in docs:
        check_record("public_documents", doc)
        assert doc["site_id"] == f"public-{doc['provenance']['source']}"
        assert doc["provenance"]["license"]
    for img in store.collection(public_store.IMAGES).find({}):
        check_record("public_images", img)
    merged = store.collection(public_store.DOCUMENTS).find_one({"_id": "case:PMC6744365_01"})
    prov = merged["provenance"]
    assert (prov["source"], prov["pmcid"], prov["doi"], prov["license"]) == (
        "multicare", "PMC6744365", "10.1016/j.idcr.2019.e00633", "CC BY-NC-ND")
    assert prov["also_in"] == [{"source": "pmc-patients", "source_id": "6744365-1", "license": "CC BY-NC-SA 4.0"}]
    assert prov["commercial_use"] is False and prov["share_alike"] is True  # conservative over both sources
    # the same query the nodes answer works on public data: cases per site and sex
    rows = store.aggregate(public_store.DOCUMENTS, [{"$group": {"_id": {"site": "$site_id", "sex": "$query.sex"},
                                                                "n": {"$sum": 1}}}])
    assert sum(r["n"] for r in rows) == len(docs)
    medpix = store.collection(public_store.DOCUMENTS).find_one({"_id": "case:MPX1009"})
    assert medpix["query"]["age_at_note"] == 73 and "73-year-old" in document_text(medpix["resource"])
    assert {v for (s, a, v) in report.labels if s == "medpix" and a == "modality"} <= {"CT", "MR"}
    assert set(mongo_validator("public_images")["$jsonSchema"]["required"]) >= {"provenance", "labels", "media"}


def test_reimport_is_a_noop_and_late_duplicates_merge_into_stored(loaded, shared_data, tmp_path, deidentifier) -> None:
    store, _ = loaded
    before = store.count(public_store.DOCUMENTS)
    again = import_public_data(store, shared_data, ["medpix"], limit=12, deidentifier=deidentifier)
    assert again.sources["medpix"].cases_already_stored == 12 and again.sources["medpix"].cases_stored == 0
    late = planted_pmc_csv(shared_data, tmp_path / "late.csv", ["10018421-1"], real_rows=1)
    report = import_public_data(store, shared_data, ["pmc"], paths={"pmc-patients": late}, deidentifier=deidentifier)
    assert report.sources["pmc-patients"].merged_into_other_source == 1
    assert store.count(public_store.DOCUMENTS) == before
    doc = store.collection(public_store.DOCUMENTS).find_one({"_id": "case:PMC10018421_01"})
    assert [r["source"] for r in doc["provenance"]["also_in"]] == ["pmc-patients"]
    img = store.collection(public_store.IMAGES).find_one({"document_id": "case:PMC10018421_01"})
    assert img["provenance"]["also_in"][0]["source_id"] == "10018421-1"


@pytest.mark.parametrize("fmt", ["text", "image", "multimodal", "case_series"])
def test_subset_formats_always_carry_citations(loaded, shared_data: Path, tmp_path: Path, fmt: str) -> None:
    store, _ = loaded
    result = create_subset(store, shared_data, tmp_path, f"sub_{fmt}", [parse_filter("label:any=MR,CT")], fmt)
    folder = result.folder
    with (folder / "citations.csv").open(encoding="utf-8") as fh:
        citations = list(csv.DictReader(fh))
    assert len(citations) == result.cases > 0 and all(c["license"] for c in citations)
    pxa = next(c for c in citations if c["case_id"] == "PMC10018421_01")
    assert (pxa["pmcid"], pxa["doi"], pxa["license"]) == ("PMC10018421", "10.1159/000529741", "CC BY-NC")
    assert (folder / "readme.txt").is_file() and (folder / "case_report_citations.json").is_file()
    if fmt in ("text", "multimodal", "case_series"):
        with (folder / "cases.csv").open(encoding="utf-8") as fh:
            cases = {r["case_id"]: r for r in csv.DictReader(fh)}
        assert set(cases) == {c["case_id"] for c in citations}
        assert "PMC6744365_02" not in cases  # a case without images does not pass an image-level filter
    if fmt in ("image", "multimodal"):
        lines = [json.loads(x) for x in (folder / "image_metadata.json").read_text(encoding="utf-8").splitlines()]
        assert len(lines) == result.images and all(x["modality"] in ("CT", "MR") for x in lines)
        copied = [x for x in lines if x["file_path"]]
        assert copied and all((folder / x["file_path"]).is_file() for x in copied)
    if fmt == "multimodal":
        text = cases["PMC6744365_01"]["case_text"]
        assert "(Image 1). <PMC6744365_pl1_undivided_1_1>" in text  # token after the sentence that cites it
        assert "<MPX" in next(r["case_text"] for k, r in cases.items() if k.startswith("MPX"))
    if fmt == "case_series":
        medpix = next(r for k, r in cases.items() if k.startswith("MPX"))
        assert int(medpix["amount_of_images"]) == len(list((folder / medpix["image_folder"]).iterdir()))
    with pytest.raises(FileExistsError):
        create_subset(store, shared_data, tmp_path, f"sub_{fmt}", [], fmt)


def test_license_filter_for_commercial_use(loaded) -> None:
    store, _ = loaded
    research = select(store, [])
    assert len(research.cases) == 23
    assert select(store, [], use="commercial").cases == []  # MedPix, PMC-Patients, these MultiCaRe articles: all NC
    no_nc_sa = select(store, [parse_filter("license:none=CC BY-NC-SA")])
    assert all("BY-NC-SA" not in d["provenance"]["license"] and not any(
        "BY-NC-SA" in r["license"] for r in d["provenance"]["also_in"]) for d in no_nc_sa.cases)
    assert "case:PMC6744365_01" not in {d["_id"] for d in no_nc_sa.cases}  # merged with a PMC-Patients row
    # make one stored article CC BY: now it is the only commercial row
    store.collection(public_store.DOCUMENTS).update_one({"_id": "case:PMC10018421_01"},
                                                        {"$set": {"provenance.license": "CC BY", "provenance.commercial_use": True}})
    assert [d["_id"] for d in select(store, [], use="commercial").cases] == ["case:PMC10018421_01"]


def test_filters_any_all_none_and_case_fields(loaded) -> None:
    store, _ = loaded
    ids = lambda *f: {d["_id"] for d in select(store, [parse_filter(x) for x in f]).cases}  # noqa: E731
    males_over_50 = ids("gender=male", "min_age=50")
    assert males_over_50 and all(store.collection(public_store.DOCUMENTS).find_one({"_id": i})["query"]["age_at_note"] >= 50
                                 for i in males_over_50)
    assert ids("min_year=2020") == {"case:PMC10018421_01"} and ids("max_year=2019") == {f"case:PMC6744365_0{i}" for i in range(1, 7)}
    assert ids("keywords:any=brucellosis,nothing") == ids("keywords=brucellosis") == {f"case:PMC6744365_0{i}" for i in range(1, 7)}
    assert ids("keywords:all=brucellosis,nothing") == set()
    assert ids("keywords:partial=brucel") == ids("keywords=brucellosis")
    assert ids("case_strings=camel milk") <= ids("source=multicare")
    assert ids("label:all=MR,head") & ids("label:none=MR") == set()
    assert ids("caption:any:regex=sagittal view t\\d") == {"case:PMC10018421_01"}
    with pytest.raises(FilterError, match="catastrophic"):
        parse_filter("caption:regex=(a+)+$")  # nested quantifier
    with pytest.raises(FilterError, match="catastrophic"):
        parse_filter("caption:regex=x(\\w*\\s?)*y")
    with pytest.raises(FilterError, match="back-reference"):
        parse_filter("caption:regex=(ct)\\1")
    with pytest.raises(FilterError, match="at most 200"):
        parse_filter("caption:regex=" + "a" * 201)


def test_public_pairs_match_fl_tasks_medpix_pairs(loaded, shared_data: Path) -> None:
    fl_data = pytest.importorskip("fl_tasks.data")
    from coordinator.public_data.pairs import PublicPairSource

    store, _ = loaded
    pairs = list(PublicPairSource(store, shared_data, sources=["medpix"]))
    groups = sorted({p.group for p in pairs})
    reference = {p.image_key: p for p in fl_data.MedPixFolderSource(shared_data / "medpix2", cases=groups)}
    assert len(pairs) == len(reference) > 0
    for p in pairs:
        ref = reference[p.image_key]
        assert (p.labels, p.group) == (ref.labels, ref.group)
        assert p.pixels().shape == ref.pixels().shape
    assert not list(PublicPairSource(store, shared_data, sources=["medpix"], exclude_groups=groups))
    assert list(PublicPairSource(store, shared_data, sources=["multicare"])) == []  # no pixels in the fixtures


def test_public_mode_keeps_ages_years_and_eponyms_on_real_medpix(shared_data: Path, deidentifier) -> None:
    """Quality gate on the real data: share of stated ages (< 90) that survive, >= 99 %."""
    from deid.types import PatientContext

    cases = read_medpix(shared_data / "medpix2").cases
    texts = [c.text for c in cases]
    out = [r.text for r in deidentifier.deidentify_batch([(t, PatientContext(c.key)) for t, c in zip(texts, cases)])]
    measured = survival(texts, out)
    assert measured.ages_stated > 500  # computed from the real histories, not a toy sample
    assert measured.age_share >= 0.99, f"{measured.ages_kept}/{measured.ages_stated} ages kept"
    assert measured.years_stated > 20 and measured.year_share >= 0.99
    eponyms = ["Crohn", "Hodgkin", "Wilson", "Parkinson", "Alzheimer", "Cushing", "Graves"]
    found = [(e, t, o) for t, o in zip(texts, out) for e in eponyms if e in t]
    assert found and all(e in o for e, _, o in found)
    # ages over 89 are still capped, and direct identifiers still go
    planted = "A 93-year-old man, contact jane.roe@example.org or 410-555-0199, had a 5 cm mass."
    result = deidentifier.deidentify(planted, PatientContext("planted")).text
    assert "jane.roe@example.org" not in result and "410-555-0199" not in result and "93-year-old" not in result
    assert "5 cm mass" in result and stated_ages("A 73-year-old and a 92-year-old") == ["73-year-old"]
