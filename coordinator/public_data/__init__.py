"""Public case-report data in the coordinator: MedPix 2.0, PMC-Patients, MultiCaRe.

One module per source (``medpix.py``, ``pmc_patients.py``, ``multicare.py``) reads its own layout
into source-neutral cases (``cases.py``); ``dedup.py`` merges duplicates across sources by PMCID
case key; ``licenses.py`` normalizes licenses; ``deid_public.py`` runs the nodes' de-identifier in
public mode; ``importer.py`` writes records in the shared schema (``schemas/public.py``) to the
coordinator's store (``store.py``); ``pairs.py`` serves image-caption pairs for warm-start training.

    from coordinator.public_data import open_public_store, import_public_data
    store = open_public_store("embedded:///abs/runs/coordinator")
    report = import_public_data(store, Path("../shared/data"), ["medpix", "pmc"])
"""

from coordinator.public_data.importer import ImportReport, SourceCounts, import_public_data
from coordinator.public_data.store import open_public_store

__all__ = ["ImportReport", "SourceCounts", "import_public_data", "open_public_store"]
