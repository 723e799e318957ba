"""``python -m schemas OUT_DIR``: export the MongoDB validators and JSON Schemas."""

from schemas.jsonschema import main

raise SystemExit(main())
