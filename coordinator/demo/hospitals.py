"""Simulated hospitals: raw clinical exports with planted PHI and a ground-truth manifest.

Each simulated hospital writes one export folder in a format of
``node/ingest/FORMATS.md`` (text folder, CSV or FHIR NDJSON) made from real
public text (MedPix cases, PhysioNet nursing notes, Synthea notes) with a
synthetic identity planted in realistic places, plus ``manifest.json`` listing
every planted value per note and the deliberately bad inputs.

Usage::

    python -m coordinator.demo.hospitals OUT --patients 36 --seed 7
"""

from __future__ import annotations

import argparse
import random
import sys
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Literal, Sequence

from faker import Faker

from .identities import (
    NAME_BLOCKLIST, Identity, NamePolicy, draw_place, age_on, make_faker, make_identity, make_rng,
    make_staff, surrogate_vocabulary, tokens,
)
from .manifest import BadInput, Manifest, NoteRecord, PlantedValue
from .planting import (
    NoteDraft, PhysioNetMapper, SiteContext, fmt_us, medpix_notes, physionet_age_sex,
    physionet_note, synthea_note, synthea_window,
)
from .sources import (
    MedPixCase, PhysioNetNote, SyntheaPatient, corpus_words, default_shared_data, load_medpix,
    load_physionet, load_synthea,
)
from .writer import (
    OVERSIZED_BYTES, ExportItem, write_csv_export, write_fhir_export, write_text_export,
)

SOURCES: tuple[str, ...] = ("medpix", "physionet", "synthea")
DEFAULT_INSURERS: dict[str, str] = {
    "Keystone Mutual Health": "KMH", "Bayline Care Plan": "BCP", "Medicare": "1EG4",
    "Tri-Valley Shield PPO": "TVS",
}
MAX_TRIES = 25


@dataclass
class HospitalSpec:
    """Configuration of one simulated hospital.

    Attributes
    ----------
    site_id:
        Folder name and node id (``"aurelia"``).
    name:
        Hospital name, planted as ``HOSPITAL``.
    export_kind:
        ``"text"`` (notes/*.txt), ``"csv"`` (notes.csv) or ``"fhir"`` (NDJSON).
    n_patients:
        Number of registered patients with notes.
    source_weights:
        Share of patients per source text (``medpix``, ``physionet``, ``synthea``).
    wards:
        Ward names, planted as ``WARD``.
    short_name:
        In-house abbreviation (``"SAUH"``), planted as ``HOSPITAL``.
    mrn_pattern:
        MRN shape, ``#`` = digit, other characters literal (``"####-###-##"``).
    pavilions:
        Named buildings (``"Ostrander"``); PhysioNet ward spans become these.
    facilities:
        Other invented facilities (rehab, nursing homes), planted as ``HOSPITAL``.
    insurers:
        Insurer name -> member-number prefix.
    n_doctors, n_nurses:
        Staff size.
    first_visit, visit_span_days:
        Admissions fall in ``[first_visit, first_visit + visit_span_days)``.
    with_bad_inputs:
        Write the deliberately bad inputs.
    """

    site_id: str
    name: str
    export_kind: Literal["text", "csv", "fhir"]
    n_patients: int
    source_weights: dict[str, float]
    wards: list[str]
    short_name: str = ""
    mrn_pattern: str = "########"
    pavilions: list[str] = field(default_factory=list)
    facilities: list[str] = field(default_factory=list)
    insurers: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_INSURERS))
    n_doctors: int = 8
    n_nurses: int = 8
    first_visit: date = date(2022, 1, 1)
    visit_span_days: int = 3 * 365
    with_bad_inputs: bool = True


def split_counts(total: int, weights: Sequence[float]) -> list[int]:
    """Split ``total`` into integer parts proportional to ``weights`` (largest remainder).

    Parameters
    ----------
    total:
        Number to split.
    weights:
        Non-negative weights (need not sum to 1).

    Returns
    -------
    list of int
        Parts summing to ``total``.
    """
    wsum = sum(weights)
    if total <= 0 or wsum <= 0:
        return [0] * len(weights)
    raw = [total * w / wsum for w in weights]
    parts = [int(r) for r in raw]
    order = sorted(range(len(raw)), key=lambda i: (-(raw[i] - parts[i]), i))
    for i in order[: total - sum(parts)]:
        parts[i] += 1
    return parts


def default_network(n_patients: int = 36, seed: int = 7) -> list[HospitalSpec]:
    """Three different hospitals sharing ``n_patients`` unevenly (50 / 30 / 20 %).

    Parameters
    ----------
    n_patients:
        Patients over the whole network.
    seed:
        Kept for API symmetry; the specs themselves do not depend on it.

    Returns
    -------
    list of HospitalSpec
        St. Aurelia University Hospital (text export, mostly MedPix imaging
        cases), Halvorsen County General Hospital (CSV export, mostly
        PhysioNet ICU nursing notes), Kellerby Community Hospital (FHIR export,
        mostly Synthea notes).
    """
    del seed
    n_a, n_h, n_k = split_counts(n_patients, [0.5, 0.3, 0.2])
    return [
        HospitalSpec(
            site_id="aurelia", name="St. Aurelia University Hospital", export_kind="text",
            n_patients=n_a, source_weights={"medpix": 0.75, "physionet": 0.15, "synthea": 0.10},
            wards=["Ostrander 7 North", "Ostrander 5 West", "Pellingham 3 East", "Pellingham SICU"],
            short_name="SAUH", mrn_pattern="####-###-##", pavilions=["Ostrander", "Pellingham"],
            facilities=["Brackwater Rehabilitation Center", "Corvallon Manor Nursing Home"]),
        HospitalSpec(
            site_id="halvorsen", name="Halvorsen County General Hospital", export_kind="csv",
            n_patients=n_h, source_weights={"physionet": 0.7, "medpix": 0.2, "synthea": 0.1},
            wards=["Quenby 2", "Quenby 4 MICU", "Marwick 6", "Marwick CCU"],
            short_name="HCGH", mrn_pattern="H########", pavilions=["Quenby", "Marwick"],
            facilities=["Tressingham Rehab", "Dovecote Point Nursing Home",
                        "Saint Orrin Hospital"]),
        HospitalSpec(
            site_id="kellerby", name="Kellerby Community Hospital", export_kind="fhir",
            n_patients=n_k, source_weights={"synthea": 0.7, "medpix": 0.2, "physionet": 0.1},
            wards=["Dorrance 3", "Dorrance ICU", "Ebsworth 2 South"],
            short_name="KCH", mrn_pattern="KCH-#######", pavilions=["Dorrance", "Ebsworth"],
            facilities=["Penhallow Rehab Institute", "Larchmere Care Home"]),
    ]


# ----------------------------------------------------------------------------- helpers

def _mrn(pattern: str, rng: random.Random, used: set[str]) -> str:
    while True:
        mrn = "".join(str(rng.randint(0, 9)) if c == "#" else c for c in pattern)
        if mrn not in used:
            used.add(mrn)
            return mrn


def _clean(drafts: Sequence[NoteDraft]) -> bool:
    return all(not d.collisions() for d in drafts)


@dataclass
class _Ctx:
    spec: HospitalSpec
    seed: int
    site: SiteContext
    policy: NamePolicy
    fake: Faker
    rng: random.Random
    mrns: set[str] = field(default_factory=set)

    def admit_date(self) -> date:
        return self.spec.first_visit + timedelta(days=self.rng.randrange(self.spec.visit_span_days))

    def identity(self, *, sex: str, age: int, visit: date, origin: str,
                 birth_date: date | None = None) -> Identity:
        return make_identity(
            fake=self.fake, rng=self.rng, policy=self.policy,
            mrn=_mrn(self.spec.mrn_pattern, self.rng, self.mrns), sex=sex, age=age, visit=visit,
            origin=origin, insurer_prefixes=self.spec.insurers, birth_date=birth_date)


def _medpix_patients(ctx: _Ctx, pool: list[MedPixCase], n: int
                     ) -> list[tuple[Identity, list[NoteDraft]]]:
    out = []
    while len(out) < n and pool:
        case = pool.pop()
        admit = ctx.admit_date()
        ident = ctx.identity(sex=case.sex, age=case.age, visit=admit, origin=f"medpix:{case.uid}")
        for _ in range(MAX_TRIES):
            drafts = medpix_notes(case, ident, ctx.site, ctx.rng, admit)
            if _clean(drafts):
                out.append((ident, drafts))
                break
    return out


def _physionet_candidates(notes: dict[int, tuple[PhysioNetNote, ...]]) -> list[int]:
    keep = []
    for pid, pnotes in notes.items():
        if sum(1 for n in pnotes if n.phi) >= 2:
            keep.append(pid)
    return keep


def _physionet_patients(ctx: _Ctx, corpus: dict[int, tuple[PhysioNetNote, ...]],
                        pool: list[int], n: int) -> list[tuple[Identity, list[NoteDraft]]]:
    out = []
    while len(out) < n and pool:
        pid = pool.pop()
        pnotes = corpus[pid]
        with_phi = [i for i, x in enumerate(pnotes) if x.phi]
        first = ctx.rng.choice(with_phi)
        k = ctx.rng.randint(5, 10)
        start = max(0, min(first - ctx.rng.randint(0, 2), len(pnotes) - k))
        window = pnotes[start:start + k]
        stated, sex, has_age_span = physionet_age_sex(window)
        if has_age_span:
            age = ctx.rng.randint(90, 99)
        elif stated is None:
            age = ctx.rng.randint(45, 85)
        elif stated >= 90:
            continue  # an age over 89 that the gold standard did not mark
        else:
            age = stated
        admit = ctx.admit_date()
        ident = ctx.identity(sex=sex, age=age, visit=admit, origin=f"physionet:{pid}")
        mapper = PhysioNetMapper(ident, ctx.site, ctx.rng)
        drafts: list[NoteDraft] = []
        for i, note in enumerate(window):
            when = datetime.combine(admit, time(7, 0)) + timedelta(hours=12 * i,
                                                                   minutes=ctx.rng.randint(0, 90))
            for _ in range(MAX_TRIES):
                draft = physionet_note(note, mapper, when, ctx.rng)
                if draft is None:
                    break
                if _clean([draft]):
                    drafts.append(draft)
                    break
        if len(drafts) >= 2 and any(d.planted() for d in drafts):
            out.append((ident, drafts))
    return out


def _synthea_patients(ctx: _Ctx, pool: list[SyntheaPatient], n: int
                      ) -> list[tuple[Identity, list[NoteDraft]]]:
    out = []
    for j in range(n):
        if not pool:
            break
        pat = pool[j % len(pool)]
        window = synthea_window(pat, ctx.rng, ctx.rng.randint(4, 7))
        if not window:
            continue
        last_visit = ctx.admit_date()
        offset = last_visit - window[-1].when
        ident = ctx.identity(sex=pat.sex, age=age_on(pat.birth_date, window[-1].when),
                             visit=last_visit, origin=f"synthea:{pat.patient_id}",
                             birth_date=pat.birth_date + offset)
        drafts = []
        for note in window:
            for _ in range(MAX_TRIES):
                draft = synthea_note(note, ident, ctx.site, ctx.rng, offset)
                if _clean([draft]):
                    drafts.append(draft)
                    break
        out.append((ident, drafts))
    return out


def _bad_items(ctx: _Ctx, patients: list[Identity], kinds: Sequence[str],
               filler: str) -> list[ExportItem]:
    items = []
    for kind in kinds:
        known = ctx.rng.choice(patients)
        when = datetime.combine(ctx.admit_date(), time(ctx.rng.randint(8, 20), 0))
        doctor = ctx.rng.choice(ctx.site.doctors)
        if kind == "unknown_patient":
            stranger = ctx.identity(sex=ctx.rng.choice(["female", "male"]),
                                    age=ctx.rng.randint(30, 80), visit=when.date(),
                                    origin="invented")
            body = (f"Patient: {stranger.full}    MRN: {stranger.mrn}    DOB: "
                    f"{fmt_us(stranger.birth_date)}\nSeen by Dr. {doctor.family} in the emergency "
                    f"department. Call back at {stranger.phone}.\n")
            planted = [PlantedValue("PATIENT", stranger.full), PlantedValue("MRN", stranger.mrn),
                       PlantedValue("DATE", fmt_us(stranger.birth_date)),
                       PlantedValue("PROVIDER", doctor.family),
                       PlantedValue("PHONE", stranger.phone)]
            item = ExportItem(stranger.mrn, when, "Emergency department note", body, kind,
                              planted, "invented", fhir_subject=stranger.fhir_id,
                              detail="MRN / Patient id not registered")
        elif kind == "non_utf8":
            text = (f"Clinic note. {known.full} seen with her caf\u00e9 au lait spots "
                    f"re-checked; r\u00e9sum\u00e9 of care sent to Dr. {doctor.family}.\n")
            item = ExportItem(known.mrn, when, "Clinic note", text.encode("latin-1"), kind,
                              [PlantedValue("PATIENT", known.full),
                               PlantedValue("PROVIDER", doctor.family)], "invented",
                              fhir_subject=known.fhir_id, detail="latin-1 bytes (0xE9), not UTF-8")
        elif kind == "empty":
            item = ExportItem(known.mrn, when, "Progress note", "", kind, [], "invented",
                              fhir_subject=known.fhir_id, detail="empty note text")
        elif kind == "oversized":
            head = f"Patient: {known.full}    MRN: {known.mrn}\n"
            reps = OVERSIZED_BYTES // max(1, len(filler.encode("utf-8"))) + 1
            body = head + (filler + "\n") * reps
            item = ExportItem(known.mrn, when, "Scanned document (OCR)", body, kind,
                              [PlantedValue("PATIENT", known.full),
                               PlantedValue("MRN", known.mrn)], "invented",
                              fhir_subject=known.fhir_id,
                              detail=f"note text over {OVERSIZED_BYTES} bytes")
        elif kind == "malformed_json":
            item = ExportItem(known.mrn, when, "Progress note",
                              f"Stable overnight. Seen by Dr. {doctor.family}.\n", kind,
                              [PlantedValue("PROVIDER", doctor.family)], "invented",
                              fhir_subject=known.fhir_id,
                              detail="truncated JSON (sidecar or NDJSON line)")
        else:
            raise ValueError(f"unknown bad-input kind {kind!r}")
        item.author = f"Dr. {doctor.full}"
        item.doc_id = _uuid(ctx.rng)
        items.append(item)
    return items


def _uuid(rng: random.Random) -> str:
    import uuid
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


BAD_KINDS_BY_EXPORT: dict[str, tuple[str, ...]] = {
    "text": ("non_utf8", "empty", "oversized", "unknown_patient", "malformed_json"),
    "csv": ("empty", "unknown_patient", "non_utf8"),
    "fhir": ("malformed_json", "unknown_patient", "empty", "non_utf8", "oversized"),
}


def _site_context(spec: HospitalSpec, fake: Faker, policy: NamePolicy) -> SiteContext:
    staff = make_staff(fake, policy, spec.n_doctors, spec.n_nurses)
    towns = [draw_place(fake.city, policy) for _ in range(6)]
    return SiteContext(
        site_id=spec.site_id, name=spec.name, short_name=spec.short_name or spec.site_id.upper(),
        wards=list(spec.wards), pavilions=list(spec.pavilions) or list(spec.wards),
        facilities=list(spec.facilities) or [spec.name], towns=towns, staff=staff)


def generate_hospital(spec: HospitalSpec, out_dir: Path, seed: int,
                      shared_data: Path | None = None) -> Manifest:
    """Write one hospital export and its ``manifest.json``.

    Parameters
    ----------
    spec:
        The hospital.
    out_dir:
        Export folder (created; existing files of the same names are overwritten).
    seed:
        Seed; the same seed gives byte-identical files.
    shared_data:
        Shared data folder; default :func:`~coordinator.demo.sources.default_shared_data`.

    Returns
    -------
    Manifest
        Also saved as ``out_dir/manifest.json``.
    """
    shared = Path(shared_data) if shared_data else default_shared_data()
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    surrogates = surrogate_vocabulary()
    own = {t for v in [spec.name, spec.short_name, *spec.wards, *spec.pavilions,
                       *spec.facilities, *spec.insurers] for t in tokens(v)}
    policy = NamePolicy(banned=corpus_words(shared) | NAME_BLOCKLIST | surrogates | own,
                        surrogates=surrogates)
    fake = make_faker(seed, spec.site_id, "people")
    rng = make_rng(seed, spec.site_id, "main")
    ctx = _Ctx(spec, seed, _site_context(spec, fake, policy), policy, fake, rng)

    counts = dict(zip(SOURCES, split_counts(spec.n_patients,
                                            [spec.source_weights.get(s, 0.0) for s in SOURCES])))
    medpix = list(load_medpix(shared))
    rng.shuffle(medpix)
    physio = load_physionet(shared)
    physio_pool = _physionet_candidates(physio)
    rng.shuffle(physio_pool)
    synthea = list(load_synthea(shared))
    rng.shuffle(synthea)

    made: list[tuple[Identity, list[NoteDraft]]] = []
    made += _medpix_patients(ctx, medpix, counts["medpix"])
    made += _physionet_patients(ctx, physio, physio_pool, counts["physionet"])
    made += _synthea_patients(ctx, synthea, counts["synthea"])
    if len(made) < spec.n_patients:  # a source ran dry: top up from MedPix
        made += _medpix_patients(ctx, medpix, spec.n_patients - len(made))
    made.sort(key=lambda pd: (min(d.when for d in pd[1]), pd[0].mrn))
    patients = [ident for ident, _ in made]

    items: list[ExportItem] = []
    for ident, drafts in made:
        for d in drafts:
            author = next((v for v, k in d.parts if k == "PROVIDER"), "")
            items.append(ExportItem(ident.mrn, d.when, d.type, d.text, None, d.planted(),
                                    d.origin, fhir_subject=ident.fhir_id, doc_id=_uuid(rng),
                                    author=f"Dr. {author}" if author else ""))
    items.sort(key=lambda it: (it.when, it.mrn))
    if spec.with_bad_inputs and patients:
        filler = (medpix[0].findings if medpix else "No acute findings.").replace("\n", " ")
        for bad in _bad_items(ctx, patients, BAD_KINDS_BY_EXPORT[spec.export_kind], filler):
            items.insert(rng.randint(0, len(items)), bad)

    if spec.export_kind == "text":
        write_text_export(out_dir, patients, items)
    elif spec.export_kind == "csv":
        write_csv_export(out_dir, patients, items)
    elif spec.export_kind == "fhir":
        write_fhir_export(out_dir, spec.site_id, spec.name, patients, items)
    else:
        raise ValueError(f"unknown export kind {spec.export_kind!r}")

    manifest = Manifest(
        site=spec.site_id, name=spec.name, export_kind=spec.export_kind, seed=seed,
        patients=[_patient_entry(p) for p in patients],
        notes=[NoteRecord(it.source, it.mrn, it.when.date().isoformat(), it.type, it.origin,
                          list(it.planted)) for it in items if it.bad_kind is None],
        bad_inputs=[BadInput(it.source, it.bad_kind, it.detail, it.mrn or None, list(it.planted))
                    for it in items if it.bad_kind is not None],
    )
    manifest.save(out_dir / "manifest.json")
    return manifest


def _patient_entry(p: Identity) -> dict:
    return {
        "mrn": p.mrn, "given": p.given, "family": p.family, "sex": p.sex,
        "birth_date": p.birth_date.isoformat(), "address": p.address, "city": p.city,
        "state": p.state, "zip": p.zip, "phone": p.phone, "email": p.email,
        "insurance_id": p.insurance_id, "insurer": p.insurer, "ssn": p.ssn,
        "fhir_id": p.fhir_id, "stated_age": p.stated_age,
        "age_reference_date": p.age_reference_date.isoformat(), "origin": p.origin,
        "relatives": [{"given": r.given, "family": r.family, "role": r.role, "phone": r.phone}
                      for r in p.relatives],
    }


def generate_network(out_root: Path, n_patients: int = 36, seed: int = 7,
                     shared_data: Path | None = None,
                     specs: list[HospitalSpec] | None = None) -> list[Manifest]:
    """Write every hospital of the network under ``out_root/<site_id>/``.

    Parameters
    ----------
    out_root:
        Parent folder.
    n_patients:
        Patients over the whole network (ignored when ``specs`` is given).
    seed:
        Seed.
    shared_data:
        Shared data folder (default: ``$FEDNET_SHARED_DATA`` or ``../shared/data``).
    specs:
        Hospitals; default :func:`default_network`.

    Returns
    -------
    list of Manifest
    """
    specs = specs if specs is not None else default_network(n_patients, seed)
    return [generate_hospital(s, Path(out_root) / s.site_id, seed, shared_data) for s in specs]


def summary_table(manifests: Sequence[Manifest]) -> str:
    """A small plain-text table: one row per hospital."""
    head = f"{'site':<10} {'export':<6} {'patients':>8} {'notes':>6} {'planted':>8} {'bad':>4}  name"
    rows = [head, "-" * len(head)]
    for m in manifests:
        rows.append(f"{m.site:<10} {m.export_kind:<6} {len(m.patients):>8} {len(m.notes):>6} "
                    f"{sum(len(n.planted) for n in m.notes):>8} {len(m.bad_inputs):>4}  {m.name}")
    return "\n".join(rows)


def main(argv: Sequence[str] | None = None) -> int:
    """CLI: ``python -m coordinator.demo.hospitals OUT [--patients N] [--seed S]``.

    Parameters
    ----------
    argv:
        Arguments (default ``sys.argv[1:]``).

    Returns
    -------
    int
        Exit status.
    """
    parser = argparse.ArgumentParser(
        prog="python -m coordinator.demo.hospitals",
        description="Write simulated hospital exports with planted PHI and manifests.")
    parser.add_argument("out", type=Path, help="output folder (one subfolder per hospital)")
    parser.add_argument("--patients", type=int, default=36, help="patients in the network")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--shared-data", type=Path, default=None,
                        help="shared data folder (default $FEDNET_SHARED_DATA or ../shared/data)")
    args = parser.parse_args(argv)
    manifests = generate_network(args.out, args.patients, args.seed, args.shared_data)
    print(summary_table(manifests))
    return 0


if __name__ == "__main__":
    sys.exit(main())
