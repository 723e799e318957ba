"""A hospital node: ingest, de-identify, store, answer aggregate queries.

Start at :mod:`node.cli` (the ``fednode`` command), then :mod:`node.ingest.pipeline`.
"""
