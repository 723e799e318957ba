"""The node's local store: one narrow interface over the pymongo API.

``open_store("mongodb://...")`` talks to a real MongoDB (production);
``open_store("embedded:///path")`` uses the embedded engine (litemongo: the
mongomock query engine persisted in SQLite files, WAL mode), which serves the
demo and the tests. Both are driven through the same pymongo calls.
"""

from node.store.node_store import NodeStore, StoreError, open_store

__all__ = ["NodeStore", "StoreError", "open_store"]
