"""Small builders for test exports (not fixtures of real data: those are read from ../shared)."""

from __future__ import annotations

import base64
import csv
import json
from pathlib import Path

PATIENT_COLUMNS = ["mrn", "given", "family", "sex", "birth_date", "address", "city", "state", "zip",
                   "phone", "email", "insurance_id"]

ALICE = {"mrn": "4471-553-20", "given": "Rosalind", "family": "Quackenbush", "sex": "female",
         "birth_date": "1961-03-14", "address": "42 Wexford Lane", "city": "Tarrytown", "state": "NY",
         "zip": "10591", "phone": "(914) 555-0187", "email": "rquack@example.org", "insurance_id": "BCX-88231907"}
BOB = {"mrn": "4471-553-21", "given": "Thaddeus", "family": "Okonkwo", "sex": "male",
       "birth_date": "1948-11-02", "address": "9 Marlow Court", "city": "Ossining", "state": "NY",
       "zip": "10562", "phone": "(914) 555-0143", "email": "tokonkwo@example.net", "insurance_id": "AET-55012876"}


def node_env(tmp_path: Path, store_uri: str, database_name: str, extra: dict[str, str] | None = None) -> dict[str, str]:
    """The ``FEDNET_*`` settings of a test node ``test-site`` in ``tmp_path/node`` (no progress bars), plus ``extra``."""
    return {"FEDNET_NODE__SITE_ID": "test-site", "FEDNET_NODE__DATA_DIR": str(tmp_path / "node"),
            "FEDNET_NODE__STORE_URI": store_uri, "FEDNET_NODE__DATABASE": database_name,
            "FEDNET_INGEST__SHOW_PROGRESS": "false", **(extra or {})}


def write_patients_csv(path: Path, patients: list[dict]) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=PATIENT_COLUMNS)
        writer.writeheader()
        writer.writerows(patients)


def note_file(folder: Path, name: str, mrn: str, date: str, body: str, note_type: str = "Progress note") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(f"MRN: {mrn}\nDate: {date}\nType: {note_type}\n---\n{body}", encoding="utf-8")
    return path


def alice_note(i: int) -> str:
    return (f"Rosalind Quackenbush (MRN 4471-553-20) seen on 03/{10 + i:02d}/2023 by Dr. Pemberton. "
            f"Lives at 42 Wexford Lane, Tarrytown NY 10591; phone (914) 555-0187. "
            f"Husband Desmond at bedside. CT head negative. Visit {i}.")


def text_export(root: Path, n_alice: int = 3) -> Path:
    """A text-folder export with two patients and ``n_alice`` notes for the first."""
    root.mkdir(parents=True, exist_ok=True)
    write_patients_csv(root / "patients.csv", [ALICE, BOB])
    for i in range(n_alice):
        note_file(root / "notes", f"alice_{i}.txt", ALICE["mrn"], f"2023-03-{10 + i:02d}", alice_note(i))
    note_file(root / "notes", "bob_0.txt", BOB["mrn"], "2022-12-01",
              "Mr. Okonkwo, 74 y/o, admitted to 7 North with CHF exacerbation. Wife Adaeze called (914) 555-0143.")
    return root


def fhir_doc(doc_id: str, patient_id: str, text: str, date: str = "2021-05-04T10:00:00-05:00") -> dict:
    return {"resourceType": "DocumentReference", "id": doc_id, "status": "current",
            "subject": {"reference": f"Patient/{patient_id}"}, "date": date,
            "type": {"coding": [{"system": "http://loinc.org", "code": "34117-2", "display": "History and physical note"}]},
            "content": [{"attachment": {"contentType": "text/plain; charset=utf-8",
                                        "data": base64.b64encode(text.encode()).decode()}}]}


def write_ndjson(path: Path, resources: list[dict | str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as fh:
        for r in resources:
            fh.write((r if isinstance(r, str) else json.dumps(r)) + "\n")


def node_audit_entries(settings) -> tuple[list[dict], bool]:
    """A node's audit entries and whether its hash chain verifies (opened like its ClientApp does)."""
    from fl_tasks.node_audit import TrainingAudit

    audit = TrainingAudit.open(settings)
    try:
        return audit.log.entries(), audit.log.verify().ok
    finally:
        audit.close()
