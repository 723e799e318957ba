"""Image de-identification: DICOM headers (PS3.15 Annex E) and burned-in pixel text.

Modules
-------
types
    Boxes, redactions and results (never hold PHI text).
annex_e
    The PS3.15 Annex E action table (from the maintained ``dicom-anonymizer`` package).
header
    Header de-identification: Basic Profile + Retain Longitudinal Temporal Information
    (Modified Dates) with the notes' per-patient date shift, keyed UID remapping.
ctp_rules
    RSNA CTP scanner-model rules: pixel rectangles known to hold burned-in PHI.
us_regions
    Ultrasound: everything outside SequenceOfUltrasoundRegions.
ocr
    Tesseract OCR through presidio-image-redactor with the node's analyzer.
pixels
    Frame access, 8-bit rendering for OCR, box filling.
engine
    :class:`~deid.image.engine.ImageDeidentifier`: one DICOM or PNG/JPEG in, de-identified out.
"""
