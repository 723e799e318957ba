"""The coordinator's store of public case reports: a :class:`node.store.NodeStore` over its own database.

Collections (records in the shared schema, see ``schemas/public.py``):

- ``public_patients``: ``patients`` records (one per case);
- ``public_documents``: ``documents`` records + ``provenance`` (source, ids, citation, license);
- ``public_images``: image records (FHIR Media, caption, normalized labels, provenance);
- ``public_import_runs``: one record per import (counts only, no text).

On a real MongoDB the ``$jsonSchema`` validators of ``public_documents`` / ``public_images`` are
attached; on the embedded engine every record is checked in Python before it is written.
"""

from __future__ import annotations

from pymongo.errors import DuplicateKeyError

from node.store.node_store import NodeStore, open_store
from schemas.jsonschema import check_record, mongo_validator
from schemas.records import PatientRecord  # noqa: F401  (documented shape of public_patients)

__all__ = ["PATIENTS", "DOCUMENTS", "IMAGES", "RUNS", "DEFAULT_DATABASE", "open_public_store", "ensure_public_schema",
           "write_case"]

PATIENTS = "public_patients"
DOCUMENTS = "public_documents"
IMAGES = "public_images"
RUNS = "public_import_runs"
DEFAULT_DATABASE = "fednet_coordinator"

_INDEXES: dict[str, list[list[tuple[str, int]]]] = {
    DOCUMENTS: [[("provenance.source", 1)], [("provenance.pmcid", 1)], [("provenance.license", 1)],
                [("provenance.year", 1)], [("query.sex", 1), ("query.age_at_note", 1)], [("query.terms", 1)],
                [("query.tokens", 1)], [("site_id", 1)]],
    IMAGES: [[("document_id", 1)], [("query.modality", 1), ("query.body_region", 1)], [("provenance.source", 1)]],
    PATIENTS: [[("site_id", 1)]],
}


def open_public_store(uri: str, database: str = DEFAULT_DATABASE) -> NodeStore:
    """Open (and prepare) the coordinator's public-data store.

    Parameters
    ----------
    uri:
        ``mongodb://...`` or ``embedded:///abs/folder`` (see :func:`node.store.open_store`).
    database:
        Database name (default ``fednet_coordinator``).
    """
    store = open_store(uri, database)
    ensure_public_schema(store)
    return store


def ensure_public_schema(store: NodeStore) -> None:
    """Indexes, and on a real MongoDB the validators, of the public collections."""
    if store.info.kind == "mongodb":
        db = store.collection(DOCUMENTS).database
        existing = set(db.list_collection_names())
        for name in (DOCUMENTS, IMAGES):
            if name in existing:
                db.command("collMod", name, validator=mongo_validator(name), validationLevel="strict")
            else:
                db.create_collection(name, validator=mongo_validator(name), validationLevel="strict")
    for name, indexes in _INDEXES.items():
        for keys in indexes:
            store.collection(name).create_index(keys)


def write_case(store: NodeStore, patient: dict, document: dict, images: list[dict]) -> bool:
    """Write one case: its images first, then the patient, then the document (the commit marker).

    A case counts as stored once its document exists; images and patient are idempotent
    upserts, so an import killed half-way is finished by running it again.

    Returns
    -------
    bool
        ``False`` when the document was already stored (nothing changed).
    """
    check_record(DOCUMENTS, document)
    if images:  # each image was validated by its pydantic model (the validator's source)
        check_record(IMAGES, images[0])
        store.collection(IMAGES).delete_many({"_id": {"$in": [im["_id"] for im in images]}})
        store.collection(IMAGES).insert_many(images)
    store.collection(PATIENTS).replace_one({"_id": patient["_id"]}, patient, upsert=True)
    try:
        store.collection(DOCUMENTS).insert_one(document)
    except DuplicateKeyError:
        return False
    return True
