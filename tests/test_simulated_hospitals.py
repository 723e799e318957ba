"""Tests of the simulated hospitals (coordinator/demo): formats, ground truth, determinism."""

from __future__ import annotations

import base64
import csv
import hashlib
import json
import re
from datetime import date
from pathlib import Path

import pytest

from coordinator.demo.hospitals import (
    BAD_KINDS_BY_EXPORT, default_network, generate_hospital, generate_network, main,
)
from coordinator.demo.manifest import Manifest
from coordinator.demo.sources import default_shared_data, load_physionet

SHARED = default_shared_data()
pytestmark = pytest.mark.skipif(not (SHARED / "medpix2").is_dir(),
                                reason="shared data folder not available")

PATIENT_COLUMNS = ["mrn", "given", "family", "sex", "birth_date", "address", "city", "state",
                   "zip", "phone", "email", "insurance_id"]
NAME_TYPES = {"PATIENT", "PROVIDER", "RELATIVE", "ADDRESS", "HOSPITAL", "WARD"}


# ----------------------------------------------------------------------------- helpers

def _tree_digest(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def _split_header(raw: str) -> tuple[dict[str, str], str]:
    head, sep, body = raw.partition("\n---\n")
    assert sep, "header block not terminated by ---"
    meta = dict(line.split(": ", 1) for line in head.splitlines())
    return meta, body


def _read_notes(root: Path, m: Manifest) -> dict[str, str]:
    """Note source id -> raw note text (body only), for the good notes, per FORMATS.md."""
    out: dict[str, str] = {}
    if m.export_kind == "text":
        for n in m.notes:
            meta, body = _split_header((root / "notes" / n.source).read_text(encoding="utf-8"))
            out[n.source] = body
    elif m.export_kind == "csv":
        with (root / "notes.csv").open(encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh))
        for n in m.notes:
            out[n.source] = rows[int(n.source.split("#", 1)[1])]["text"]
    else:
        for line in (root / "fhir" / "DocumentReference.ndjson").read_text("utf-8").splitlines():
            try:
                doc = json.loads(line)
            except json.JSONDecodeError:
                continue
            raw = base64.b64decode(doc["content"][0]["attachment"]["data"])
            try:
                out[doc["id"]] = raw.decode("utf-8")
            except UnicodeDecodeError:
                continue
    return out


def _registered_mrns(root: Path, m: Manifest) -> set[str]:
    if m.export_kind == "fhir":
        mrns = set()
        for line in (root / "fhir" / "Patient.ndjson").read_text("utf-8").splitlines():
            pat = json.loads(line)
            mrns |= {i["value"] for i in pat["identifier"] if i["type"]["coding"][0]["code"] == "MR"}
        return mrns
    with (root / "patients.csv").open(encoding="utf-8", newline="") as fh:
        return {r["mrn"] for r in csv.DictReader(fh)}


def _age(birth: date, when: date) -> int:
    return when.year - birth.year - ((when.month, when.day) < (birth.month, birth.day))


@pytest.fixture(scope="module")
def network(tmp_path_factory) -> tuple[Path, list[Manifest]]:
    root = tmp_path_factory.mktemp("net_a")
    return root, generate_network(root, n_patients=36, seed=7)


# ----------------------------------------------------------------------------- tests

def test_default_network_shape(network):
    root, manifests = network
    assert [m.export_kind for m in manifests] == ["text", "csv", "fhir"]
    assert sum(len(m.patients) for m in manifests) == 36
    total_notes = sum(len(m.notes) for m in manifests)
    assert 150 <= total_notes <= 250
    for m in manifests:
        assert Manifest.load(root / m.site / "manifest.json") == m


def test_uneven_case_counts(network):
    _, manifests = network
    patients = [len(m.patients) for m in manifests]
    notes = [len(m.notes) for m in manifests]
    assert len(set(patients)) == 3 and len(set(notes)) == 3
    assert max(patients) >= 2 * min(patients)


def test_same_seed_same_bytes(network, tmp_path):
    root, _ = network
    generate_network(tmp_path, n_patients=36, seed=7)
    assert _tree_digest(tmp_path) == _tree_digest(root)


def test_other_seed_other_identities(network, tmp_path):
    _, manifests = network
    other = generate_network(tmp_path, n_patients=36, seed=8)
    names_a = {(p["given"], p["family"]) for m in manifests for p in m.patients}
    names_b = {(p["given"], p["family"]) for m in other for p in m.patients}
    assert len(names_a & names_b) <= 2
    assert {p["mrn"] for m in manifests for p in m.patients}.isdisjoint(
        {p["mrn"] for m in other for p in m.patients})


def test_every_planted_value_occurs_in_its_note(network):
    root, manifests = network
    for m in manifests:
        texts = _read_notes(root / m.site, m)
        assert set(texts) >= {n.source for n in m.notes}
        for n in m.notes:
            for pv in n.planted:
                assert pv.value in texts[n.source], (m.site, n.source, pv)


def test_planted_values_cover_all_types(network):
    _, manifests = network
    types = {pv.type for m in manifests for _, pv in m.all_planted()}
    assert types >= {"PATIENT", "PROVIDER", "RELATIVE", "DATE", "MRN", "PHONE", "EMAIL",
                     "ADDRESS", "ZIP", "HOSPITAL", "WARD", "INSURANCE", "SSN"}


def test_birth_dates_match_stated_ages(network):
    root, manifests = network
    age_rx = re.compile(r"\b(\d{1,3})[- ]?(?:year|yr)s?[- ]old\b", re.IGNORECASE)
    checked = 0
    for m in manifests:
        by_mrn = {p["mrn"]: p for p in m.patients}
        for p in m.patients:
            born = date.fromisoformat(p["birth_date"])
            assert _age(born, date.fromisoformat(p["age_reference_date"])) == p["stated_age"]
        texts = _read_notes(root / m.site, m)
        for n in m.notes:
            if n.origin.startswith("physionet"):
                continue  # nursing notes also state relatives' ages
            hit = age_rx.search(texts[n.source])
            if not hit:
                continue
            born = date.fromisoformat(by_mrn[n.mrn]["birth_date"])
            assert abs(_age(born, date.fromisoformat(n.date)) - int(hit.group(1))) <= 1, n
            checked += 1
    assert checked > 50


def test_physionet_gold_phi_is_replaced(network):
    root, manifests = network
    corpus = load_physionet(SHARED)
    for m in manifests:
        texts = _read_notes(root / m.site, m)
        for n in m.notes:
            if not n.origin.startswith("physionet"):
                continue
            pid, num = map(int, n.origin.split(":", 1)[1].split("/"))
            src = next(x for x in corpus[pid] if x.note == num)
            for span in src.phi:
                gold = span.text.strip()
                if span.type in {"PTName", "HCPName", "RelativeProxyName"} and len(gold) > 3:
                    rx = r"(?<![A-Za-z])" + re.escape(gold) + r"(?![A-Za-z])"
                    assert not re.search(rx, texts[n.source]), (n.source, gold)


def test_text_export_format(network):
    root, manifests = network
    m = next(x for x in manifests if x.export_kind == "text")
    site = root / m.site
    with (site / "patients.csv").open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        assert reader.fieldnames == PATIENT_COLUMNS
        rows = list(reader)
    for r in rows:
        assert r["sex"] in {"female", "male", "other", "unknown"}
        date.fromisoformat(r["birth_date"])
    mrns = {r["mrn"] for r in rows}
    for n in m.notes:
        meta, body = _split_header((site / "notes" / n.source).read_text(encoding="utf-8"))
        assert list(meta) == ["MRN", "Date", "Type"]
        assert meta["MRN"] == n.mrn in mrns
        assert meta["Date"] == n.date and date.fromisoformat(meta["Date"])
        assert body.strip()


def test_csv_export_format(network):
    root, manifests = network
    m = next(x for x in manifests if x.export_kind == "csv")
    site = root / m.site
    with (site / "notes.csv").open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        assert reader.fieldnames == ["mrn", "date", "type", "text"]
        rows = list(reader)
    mrns = _registered_mrns(site, m)
    bad = {b.source: b for b in m.bad_inputs}
    for i, r in enumerate(rows):
        src = f"notes.csv#{i}"
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", r["date"])
        if src in bad:
            continue
        assert r["mrn"] in mrns and r["text"].strip()
    assert len(rows) == len(m.notes) + sum(1 for s in bad if s.startswith("notes.csv#"))
    assert any("\n" in r["text"] for r in rows)  # quoted multi-line text


def test_fhir_export_format(network):
    root, manifests = network
    m = next(x for x in manifests if x.export_kind == "fhir")
    fhir = root / m.site / "fhir"
    patients = [json.loads(x) for x in (fhir / "Patient.ndjson").read_text("utf-8").splitlines()]
    ids = {p["id"] for p in patients}
    assert all(p["resourceType"] == "Patient" and p["birthDate"] and p["name"] for p in patients)
    assert not (root / m.site / "patients.csv").exists()
    unknown = {b.source for b in m.bad_inputs if b.kind == "unknown_patient"}
    malformed = 0
    good_ids = {n.source for n in m.notes}
    for line in (fhir / "DocumentReference.ndjson").read_text("utf-8").splitlines():
        try:
            doc = json.loads(line)
        except json.JSONDecodeError:
            malformed += 1
            continue
        assert doc["resourceType"] == "DocumentReference"
        att = doc["content"][0]["attachment"]
        assert att["contentType"].startswith("text/plain")
        base64.b64decode(att["data"], validate=True)
        subject = doc["subject"]["reference"].split("/", 1)[1]
        assert (subject in ids) != (doc["id"] in unknown)
        if doc["id"] in good_ids:
            base64.b64decode(att["data"]).decode("utf-8")
    assert malformed == 1


def test_bad_inputs_present_as_declared(network):
    root, manifests = network
    for m in manifests:
        site = root / m.site
        assert sorted(b.kind for b in m.bad_inputs) == sorted(BAD_KINDS_BY_EXPORT[m.export_kind])
        registered = _registered_mrns(site, m)
        docs: dict[str, dict] = {}
        fhir_lines: list[str] = []
        if m.export_kind == "fhir":
            fhir_lines = (site / "fhir" / "DocumentReference.ndjson").read_text("utf-8").splitlines()
            for line in fhir_lines:
                try:
                    d = json.loads(line)
                    docs[d["id"]] = d
                except json.JSONDecodeError:
                    pass
        csv_rows: list[dict] = []
        if m.export_kind == "csv":
            with (site / "notes.csv").open(encoding="utf-8", newline="") as fh:
                csv_rows = list(csv.DictReader(fh))
        for b in m.bad_inputs:
            if m.export_kind == "text" and b.kind == "malformed_json":
                assert not (site / "notes" / b.source).read_text("utf-8").startswith("MRN:")
                raw = (site / "notes" / b.source).with_suffix(".json").read_bytes()
            elif m.export_kind == "text":
                raw = (site / "notes" / b.source).read_bytes()
            elif m.export_kind == "csv" and b.source.startswith("notes.csv#"):
                raw = csv_rows[int(b.source.split("#")[1])]["text"].encode("utf-8")
            elif m.export_kind == "csv":
                raw = (site / b.source).read_bytes()
            elif b.kind == "malformed_json":
                raw = fhir_lines[int(b.source.rsplit(":", 1)[1]) - 1].encode("utf-8")
            else:
                raw = base64.b64decode(docs[b.source]["content"][0]["attachment"]["data"])
            if b.kind == "empty":
                assert raw.strip() == b""
            elif b.kind == "non_utf8":
                assert b"\xe9" in raw
                with pytest.raises(UnicodeDecodeError):
                    raw.decode("utf-8")
            elif b.kind == "oversized":
                assert len(raw) > 2 * 1024 * 1024
            elif b.kind == "malformed_json":
                with pytest.raises(json.JSONDecodeError):
                    json.loads(raw)
            elif b.kind == "unknown_patient":
                assert b.mrn not in registered
                text = raw.decode("utf-8")
                assert all(pv.value in text for pv in b.planted)
                if m.export_kind == "fhir":
                    subj = docs[b.source]["subject"]["reference"].split("/", 1)[1]
                    assert subj not in {p["fhir_id"] for p in m.patients}
                elif m.export_kind == "text":
                    assert _split_header(text)[0]["MRN"] == b.mrn


def test_no_planted_token_in_surrogate_vocabulary(network):
    surrogates = pytest.importorskip("deid.surrogates")
    vocab = surrogates.surrogate_vocabulary()
    _, manifests = network
    for m in manifests:
        for _, pv in m.all_planted():
            if pv.type in NAME_TYPES:
                toks = set(re.findall(r"[a-z]+", pv.value.lower()))
                assert not toks & vocab, (m.site, pv)
                assert pv.value.lower() not in vocab
        for p in m.patients:
            for key in ("given", "family", "city", "address"):
                assert not set(re.findall(r"[a-z]+", p[key].lower())) & vocab, p


def test_planted_names_are_not_common_words(network):
    _, manifests = network
    words = {"may", "will", "hope", "grant", "bell", "parkinson", "april", "june", "rose",
             "mark", "bill", "frank", "grace", "joy", "faith", "ward", "case"}
    for m in manifests:
        for p in m.patients:
            assert p["given"].lower() not in words and p["family"].lower() not in words


def test_generate_hospital_respects_patient_count(tmp_path):
    spec = default_network(n_patients=10)[1]
    m = generate_hospital(spec, tmp_path / spec.site_id, seed=3, shared_data=SHARED)
    assert len(m.patients) == spec.n_patients == 3
    assert (tmp_path / spec.site_id / "manifest.json").is_file()


def test_cli_prints_summary(tmp_path, capsys):
    assert main([str(tmp_path), "--patients", "6", "--seed", "1"]) == 0
    out = capsys.readouterr().out
    for site in ("aurelia", "halvorsen", "kellerby"):
        assert site in out and (tmp_path / site / "manifest.json").is_file()
