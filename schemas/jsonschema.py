"""MongoDB ``$jsonSchema`` validators for the node store, and JSON Schema export.

The validators are generated from the pydantic record models
(:mod:`schemas.records`) and converted to MongoDB's dialect of JSON Schema
(draft 4 with extensions):

- ``bsonType`` instead of ``type`` (``integer`` -> ``int``/``long``,
  ``number`` -> ``double``/``int``/``long``/``decimal``, ``boolean`` -> ``bool``);
- no ``$ref``/``$defs`` (inlined), no ``format``, ``default``, ``title``;
  ``format: date-time`` becomes ``bsonType: date`` (pymongo stores datetimes as
  BSON dates), ``format: date`` a ``YYYY-MM-DD`` string pattern;
- ``const`` becomes a one-value ``enum``; a numeric ``exclusiveMinimum`` /
  ``exclusiveMaximum`` becomes ``minimum``/``maximum`` + ``true``;
- every declared field is required (records are written with all fields,
  ``null`` included).

The FHIR resource inside a record gets a hand-written *shape* check only (type,
id, required elements; for Patient: no identifying elements). Full FHIR
validation happens in Python (:func:`schemas.resources.parse_resource`) before
anything is written; the database check is a second line of defence.

Usage::

    db.create_collection("documents", validator=mongo_validator("documents"))

Command line (writes the validators and the query-field JSON Schemas)::

    python -m schemas OUT_DIR
"""

from __future__ import annotations

import argparse
import copy
import json
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from schemas.query_fields import PatientQueryFields, QueryFields
from schemas.records import DocumentRecord, PatientRecord
from schemas.resources import FORBIDDEN_PATIENT_ELEMENTS, SEXES, SchemaError

__all__ = [
    "COLLECTIONS",
    "to_mongo_schema",
    "mongo_to_json_schema",
    "mongo_validator",
    "check_record",
    "export_json_schemas",
    "main",
]

COLLECTIONS: tuple[str, ...] = ("patients", "documents")
"""Collections that have a validator."""

PUBLIC_COLLECTIONS: tuple[str, ...] = ("public_documents", "public_images")
"""The coordinator's public case-report collections (schemas/public.py) that have a validator."""

_BSON_TYPES = {
    "string": "string",
    "integer": ["int", "long"],
    "number": ["double", "int", "long", "decimal"],
    "boolean": "bool",
    "null": "null",
    "array": "array",
    "object": "object",
}
_DROPPED = {"title", "default", "format", "examples", "$schema", "$defs", "definitions"}
_DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}$"
_FHIR_ID = r"^[A-Za-z0-9\-.]{1,64}$"


# --------------------------------------------------------------------------- #
# Dialect conversion                                                          #
# --------------------------------------------------------------------------- #


def _resolve(ref: str, defs: dict[str, Any]) -> dict[str, Any]:
    """Look up a local ``#/$defs/Name`` reference."""
    prefix = "#/$defs/"
    if not ref.startswith(prefix) or ref[len(prefix) :] not in defs:
        raise ValueError(f"cannot inline $ref {ref!r}")
    return defs[ref[len(prefix) :]]


def _convert(node: Any, defs: dict[str, Any], require_all: bool) -> Any:
    """Recursively convert one JSON Schema node to MongoDB's dialect."""
    if isinstance(node, list):
        return [_convert(item, defs, require_all) for item in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        merged = {**_resolve(node["$ref"], defs), **{k: v for k, v in node.items() if k != "$ref"}}
        return _convert(merged, defs, require_all)

    out: dict[str, Any] = {}
    fmt = node.get("format")
    for key, value in node.items():
        if key in _DROPPED:
            continue
        if key == "type":
            if fmt == "date-time" and value == "string":
                out["bsonType"] = "date"
            else:
                types = value if isinstance(value, list) else [value]
                bson: list[str] = []
                for t in types:
                    mapped = _BSON_TYPES[t]
                    bson.extend(mapped if isinstance(mapped, list) else [mapped])
                out["bsonType"] = bson[0] if len(bson) == 1 else bson
        elif key == "const":
            out["enum"] = [value]
        elif key in ("exclusiveMinimum", "exclusiveMaximum") and not isinstance(value, bool):
            out["minimum" if key == "exclusiveMinimum" else "maximum"] = value
            out[key] = True
        elif key in ("properties", "patternProperties"):
            out[key] = {name: _convert(sub, defs, require_all) for name, sub in value.items()}
        else:
            out[key] = _convert(value, defs, require_all)
    if fmt == "date" and "pattern" not in out:
        out["pattern"] = _DATE_PATTERN
    if require_all and "properties" in out:
        out["required"] = list(out["properties"])
    return out


def to_mongo_schema(json_schema: dict[str, Any], *, require_all: bool = True) -> dict[str, Any]:
    """Convert a (pydantic-generated) JSON Schema to MongoDB's ``$jsonSchema`` dialect.

    Parameters
    ----------
    json_schema:
        A JSON Schema, e.g. ``QueryFields.model_json_schema()``; local
        ``#/$defs/...`` references are inlined.
    require_all:
        Make every declared property of every object required.

    Returns
    -------
    dict
        The schema in MongoDB's dialect (the value of ``$jsonSchema``).

    Raises
    ------
    ValueError
        On a reference that is not local.
    """
    defs = json_schema.get("$defs", {})
    return _convert(copy.deepcopy(json_schema), defs, require_all)


def _back(node: Any) -> Any:
    """Recursively convert one MongoDB schema node to standard JSON Schema."""
    if isinstance(node, list):
        return [_back(item) for item in node]
    if not isinstance(node, dict):
        return node
    reverse = {
        "string": "string",
        "int": "integer",
        "long": "integer",
        "double": "number",
        "decimal": "number",
        "bool": "boolean",
        "null": "null",
        "array": "array",
        "object": "object",
    }
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key == "bsonType":
            bson = value if isinstance(value, list) else [value]
            if bson == ["date"]:
                out["type"], out["format"] = "string", "date-time"
                continue
            types = sorted({reverse[b] for b in bson})
            if "number" in types and "integer" in types:
                types.remove("integer")
            out["type"] = types[0] if len(types) == 1 else types
        elif key in ("exclusiveMinimum", "exclusiveMaximum") and isinstance(value, bool):
            bound = "minimum" if key == "exclusiveMinimum" else "maximum"
            if value and bound in node:
                out[key] = node[bound]
        elif key in ("minimum", "maximum") and node.get("exclusiveM" + key[1:]) is True:
            continue
        elif key in ("properties", "patternProperties"):
            out[key] = {name: _back(sub) for name, sub in value.items()}
        else:
            out[key] = _back(value)
    return out


def mongo_to_json_schema(mongo_schema: dict[str, Any]) -> dict[str, Any]:
    """Convert a MongoDB ``$jsonSchema`` back to standard JSON Schema (draft 2020-12).

    Used to check records with the ``jsonschema`` package where no MongoDB
    server is available (tests, mongomock). BSON ``date`` becomes a string
    with ``format: date-time``: serialise datetimes with ``isoformat()`` first.

    Parameters
    ----------
    mongo_schema:
        The value of ``$jsonSchema`` (or the whole validator document).

    Returns
    -------
    dict
        An equivalent standard JSON Schema.
    """
    schema = mongo_schema.get("$jsonSchema", mongo_schema)
    out = _back(copy.deepcopy(schema))
    out["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return out


# --------------------------------------------------------------------------- #
# Resource shapes (hand-written: the FHIR schema itself is far too large)     #
# --------------------------------------------------------------------------- #


def _meta_shape() -> dict[str, Any]:
    """``meta`` must carry the schema-version tag and the security label."""
    return {
        "bsonType": "object",
        "required": ["source", "tag", "security"],
        "properties": {
            "source": {"bsonType": "string", "pattern": "^urn:fednet:site:"},
            "tag": {"bsonType": "array", "minItems": 1},
            "security": {"bsonType": "array", "minItems": 1},
        },
    }


def _patient_shape() -> dict[str, Any]:
    """Shape of a stored de-identified Patient."""
    return {
        "bsonType": "object",
        "description": "De-identified FHIR R4 Patient (validated in full before writing).",
        "required": ["resourceType", "id", "meta", "identifier", "gender"],
        "properties": {
            "resourceType": {"enum": ["Patient"]},
            "id": {"bsonType": "string", "pattern": _FHIR_ID},
            "meta": _meta_shape(),
            "identifier": {"bsonType": "array", "minItems": 1},
            "gender": {"enum": list(SEXES)},
            "extension": {"bsonType": "array"},
        },
        "not": {"anyOf": [{"required": [name]} for name in FORBIDDEN_PATIENT_ELEMENTS]},
    }


def _document_shape() -> dict[str, Any]:
    """Shape of a stored DocumentReference with inline de-identified text."""
    return {
        "bsonType": "object",
        "description": "FHIR R4 DocumentReference (validated in full before writing).",
        "required": ["resourceType", "id", "meta", "status", "type", "subject", "date", "content"],
        "properties": {
            "resourceType": {"enum": ["DocumentReference"]},
            "id": {"bsonType": "string", "pattern": _FHIR_ID},
            "meta": _meta_shape(),
            "status": {"enum": ["current", "superseded", "entered-in-error"]},
            "type": {"bsonType": "object"},
            "subject": {
                "bsonType": "object",
                "required": ["reference"],
                "properties": {"reference": {"bsonType": "string", "pattern": r"^Patient/[A-Za-z0-9\-.]{1,64}$"}},
            },
            "date": {"bsonType": "string"},
            "content": {
                "bsonType": "array",
                "minItems": 1,
                "items": {
                    "bsonType": "object",
                    "required": ["attachment"],
                    "properties": {
                        "attachment": {
                            "bsonType": "object",
                            "required": ["contentType", "data", "size", "hash"],
                            "properties": {
                                "contentType": {"bsonType": "string"},
                                "data": {"bsonType": "string"},
                                "size": {"bsonType": ["int", "long"], "minimum": 0},
                                "hash": {"bsonType": "string"},
                            },
                        }
                    },
                },
            },
        },
    }


# --------------------------------------------------------------------------- #
# Public API                                                                  #
# --------------------------------------------------------------------------- #


def mongo_validator(collection: str) -> dict[str, Any]:
    """MongoDB validator document for one of the node store's collections.

    Parameters
    ----------
    collection:
        ``"patients"`` or ``"documents"``.

    Returns
    -------
    dict
        ``{"$jsonSchema": {...}}``, for ``create_collection(validator=...)`` or
        ``collMod``.

    Raises
    ------
    ValueError
        For an unknown collection name.
    """
    if collection == "patients":
        schema = to_mongo_schema(PatientRecord.model_json_schema(by_alias=True))
        schema["properties"]["resource"] = _patient_shape()
    elif collection == "documents":
        schema = to_mongo_schema(DocumentRecord.model_json_schema(by_alias=True))
        schema["properties"]["resource"] = _document_shape()
    elif collection in PUBLIC_COLLECTIONS:
        from schemas.public import PublicDocumentRecord, PublicImageRecord

        model = PublicDocumentRecord if collection == "public_documents" else PublicImageRecord
        schema = to_mongo_schema(model.model_json_schema(by_alias=True))
        if collection == "public_documents":
            schema["properties"]["resource"] = _document_shape()
    else:
        known = ", ".join(COLLECTIONS + PUBLIC_COLLECTIONS)
        raise ValueError(f"unknown collection {collection!r}; expected one of {known}")
    return {"$jsonSchema": schema}


@lru_cache(maxsize=None)
def _python_validator(collection: str) -> Any:
    """A ``jsonschema`` validator equivalent to :func:`mongo_validator` (cached)."""
    try:
        import jsonschema as jsonschema_lib  # the package, not this module
    except ImportError as exc:  # pragma: no cover - jsonschema ships with ray
        raise ImportError("check_record needs the 'jsonschema' package") from exc
    schema = mongo_to_json_schema(mongo_validator(collection))
    return jsonschema_lib.Draft202012Validator(schema, format_checker=jsonschema_lib.FormatChecker())


def _plain_json(value: Any) -> Any:
    """Recursively turn datetimes/dates into ISO strings (BSON date -> JSON)."""
    if isinstance(value, dict):
        return {k: _plain_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain_json(v) for v in value]
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return value


def check_record(collection: str, record: dict[str, Any]) -> None:
    """Check a record against the collection's validator, in Python.

    For stores that cannot enforce ``$jsonSchema`` themselves: ``mongomock``
    raises ``NotImplementedError`` on ``create_collection(validator=...)``
    and checks nothing. Needs the ``jsonschema`` package.

    Parameters
    ----------
    collection:
        ``"patients"`` or ``"documents"``.
    record:
        The record as it would be inserted (datetimes allowed).

    Raises
    ------
    SchemaError
        If the record does not match, listing up to five problems.
    """
    validator = _python_validator(collection)
    errors = sorted(validator.iter_errors(_plain_json(record)), key=lambda e: list(e.absolute_path))
    if errors:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e.absolute_path) or '<root>'}: {e.message[:200]}" for e in errors[:5]
        )
        raise SchemaError(f"{collection} record {record.get('_id')!r} does not match the schema: {problems}")


def export_json_schemas(out_dir: Path) -> list[Path]:
    """Write the MongoDB validators and the query-field JSON Schemas to files.

    Parameters
    ----------
    out_dir:
        Folder to write into (created if missing).

    Returns
    -------
    list of Path
        The files written: ``mongo-validator.<collection>.json`` for each
        collection, ``QueryFields.schema.json`` and
        ``PatientQueryFields.schema.json`` (standard JSON Schema, draft 2020-12).
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    documents: dict[str, dict[str, Any]] = {
        f"mongo-validator.{name}.json": mongo_validator(name) for name in COLLECTIONS
    }
    for model in (QueryFields, PatientQueryFields):
        schema = model.model_json_schema()
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        documents[f"{model.__name__}.schema.json"] = schema
    written = []
    for filename, content in documents.items():
        path = out_dir / filename
        path.write_text(json.dumps(content, indent=2, sort_keys=False) + "\n", encoding="utf-8")
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    """Command line: ``python -m schemas OUT_DIR``.

    Parameters
    ----------
    argv:
        Arguments (defaults to ``sys.argv[1:]``).

    Returns
    -------
    int
        Exit status, 0 on success.
    """
    parser = argparse.ArgumentParser(description="Export fednet MongoDB validators and JSON Schemas.")
    parser.add_argument("out_dir", type=Path, help="folder to write the .json files into")
    args = parser.parse_args(argv)
    for path in export_json_schemas(args.out_dir):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
