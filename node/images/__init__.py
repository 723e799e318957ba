"""Image ingest: DICOM and PNG/JPEG (with a sidecar) from an export's ``images/`` folder.

Modules
-------
readers
    Find and read the image files and their sidecars; bad files become ``BadInput``.
blobs
    Pixels by content hash: files under the node's data folder (embedded store) or
    GridFS (real MongoDB), behind one small interface.
thumbnails
    A small PNG of the de-identified pixels.
build
    The validated ``images`` record (schemas/imaging.py) of one de-identified image.
pipeline
    :class:`~node.images.pipeline.ImageIngestJob` (idempotent, resumable, quarantines).
"""
