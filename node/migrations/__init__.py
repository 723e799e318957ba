"""Schema-version migrations of a node store, driven by the stored version.

The store remembers its schema version in ``store_meta`` (``{"_id": "schema",
"schema_version": ...}``); a store from before that record existed is read from
its records' ``schema_version`` fields (the oldest one wins). :func:`migrate`
walks from the stored version to the code's :data:`schemas.version.SCHEMA_VERSION`
one step at a time:

- an explicit :class:`Migration` in :data:`MIGRATIONS` when one exists for the
  step (one module per migration, named after the version it produces);
- otherwise, for a MINOR or PATCH step, a re-stamp of the version (semver: a
  minor version only *adds* optional fields, so old records stay valid);
- a MAJOR step without an explicit migration is refused.

Each migration is idempotent (it selects only records still at its source
version), so an interrupted upgrade is finished by running it again.
``fednode migrate`` runs it; ``fednode restore`` runs it after restoring an
older backup; ``fednode status`` shows pending steps.
"""

from __future__ import annotations

from node.migrations import v1_1_0_tokens, v1_3_0_no_date_shift
from node.migrations.base import (META, Migration, MigrationError, record_version, restamp,  # noqa: F401
                                  stored_version)
from node.store.node_store import NodeStore
from schemas.version import SCHEMA_VERSION, parse_version

MIGRATIONS: list[Migration] = [v1_1_0_tokens.MIGRATION, v1_3_0_no_date_shift.MIGRATION]
"""Explicit migrations, by source version (one module each)."""


def plan(source: str, target: str = SCHEMA_VERSION) -> list[Migration]:
    """The steps from ``source`` to ``target`` (explicit ones, or re-stamps for minor steps)."""
    if parse_version(source) > parse_version(target):
        raise MigrationError(f"the store is at schema {source}, newer than this code ({target}): "
                             "upgrade fednet instead of downgrading the store")
    steps: list[Migration] = []
    current = source
    explicit = {m.source: m for m in MIGRATIONS}
    while parse_version(current) < parse_version(target):
        step = explicit.get(current)
        if step is None or parse_version(step.target) > parse_version(target):
            # re-stamp up to the next explicit migration (never past one), or to the target
            later = sorted((m.source for m in MIGRATIONS
                            if parse_version(current) < parse_version(m.source) < parse_version(target)),
                           key=parse_version)
            upto = later[0] if later else target
            if parse_version(current)[0] != parse_version(upto)[0]:
                raise MigrationError(f"no migration from schema {current} to {upto} (a major change): "
                                     "restore a backup with the matching fednet version")
            step = Migration(current, upto, "re-stamp the version (fields were only added)",
                             lambda store, s=current, t=upto: restamp(store, s, t))
        steps.append(step)
        current = step.target
    return steps


def migrate(store: NodeStore, target: str = SCHEMA_VERSION) -> list[tuple[Migration, int]]:
    """Bring the store to ``target``; returns each step applied with the records it changed."""
    source = stored_version(store)
    if source is None:
        record_version(store, target)
        return []
    done = []
    for step in plan(source, target):
        changed = step.apply(store)
        record_version(store, step.target)
        done.append((step, changed))
    if store.collection(META).find_one({"_id": "schema"}) is None:
        record_version(store, target)
    return done
