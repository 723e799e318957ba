"""Ingest: read a hospital export, quarantine bad input, de-identify, store.

Readers (one per input format) yield :class:`node.ingest.records.RawPatient`,
:class:`~node.ingest.records.RawNote` or :class:`~node.ingest.records.BadInput`;
:mod:`node.ingest.pipeline` turns them into stored de-identified documents.
Formats: ``node/ingest/FORMATS.md``.
"""
