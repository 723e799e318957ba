"""MultiCaRe-style subsets of the coordinator's public case reports.

``filters.py`` (conditions with any/all/none, safe caption regex), ``selection.py`` (apply them to
the store), ``writers.py`` (text / image / multimodal / case_series folders with citations).

    from coordinator.subsets import create_subset, parse_filter
    create_subset(store, data_dir, out_dir, "ct_head", [parse_filter("label:all=CT,head")], "multimodal")
"""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

from coordinator.subsets.filters import Filter, FilterError, load_filters, parse_filter
from coordinator.subsets.selection import Selection, Use, select
from coordinator.subsets.writers import FORMATS, Format, SubsetResult, write_subset
from node.store.node_store import NodeStore

__all__ = ["Filter", "FilterError", "FORMATS", "Selection", "SubsetResult", "create_subset", "load_filters",
           "parse_filter", "select", "write_subset"]


def create_subset(store: NodeStore, data_dir: Path, out_dir: Path, name: str, filters: Sequence[Filter],
                  fmt: Format = "multimodal", *, use: Use = "research", image_token: str | None = None) -> SubsetResult:
    """Select public cases/images with ``filters`` and write them to ``out_dir/name`` as ``fmt``."""
    return write_subset(select(store, filters, use=use), data_dir, out_dir, name, fmt, image_token=image_token)
