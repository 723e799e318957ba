"""The site's own master data: staff roster, facilities/wards/buildings, local towns.

What a hospital really has, used as deny lists in place of gazetteers taken from a corpus.
``fednode masterdata import --staff staff.csv --facilities facilities.csv --towns towns.csv``
validates the CSVs (columns in ``node/ingest/FORMATS.md``) and keeps them on the node's own
disk only (``<data_dir>/masterdata/``, folder 0700, files 0600): they hold staff names, so
they never go to the store, the log or any output beyond counts.

Modules
-------
readers
    Parse and validate the three CSVs (errors name the file and line, never a value).
storage
    Save and load the validated lists under ``<data_dir>/masterdata/``.
terms
    Turn the lists into deny-list terms by entity type (staff -> ``PROVIDER``, hospitals and
    buildings -> ``HOSPITAL``, wards and units -> ``WARD``, towns -> ``LOCATION``), merged
    with ``[deid.site_terms]``, and pick those a note can contain. They reach the
    de-identifier the way ``[deid.site_terms]`` always did: as the per-note
    ``PatientContext.known_identifiers`` (``node.ingest.pipeline.patient_context``).
"""
