"""The validated master data on the node's own disk: ``<data_dir>/masterdata/<list>.json``.

Folder 0700, files 0600, each written to a temporary file and renamed (a crash leaves the
old list or the new one, never half of one). Never in the store (it is not de-identified:
it holds staff names), never in a backup of the store: back it up with the site secret, or
import it again from the HR and facilities systems.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

from node.masterdata.readers import Facility, StaffMember, Town

FOLDER = "masterdata"
LISTS = ("staff", "facilities", "towns")
FORMAT_VERSION = 1


def masterdata_dir(data_dir: Path) -> Path:
    return Path(data_dir) / FOLDER


@dataclass(frozen=True)
class MasterData:
    """The three lists (empty when not imported)."""

    staff: tuple[StaffMember, ...] = ()
    facilities: tuple[Facility, ...] = ()
    towns: tuple[Town, ...] = ()
    imported_at: dict[str, str] = field(default_factory=dict)

    @property
    def is_empty(self) -> bool:
        return not (self.staff or self.facilities or self.towns)

    def counts(self) -> dict[str, int]:
        return {"staff": len(self.staff), "facilities": len(self.facilities), "towns": len(self.towns)}


def _write_private(path: Path, payload: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(path.parent, 0o700)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(payload, fh, ensure_ascii=False)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def save_list(data_dir: Path, name: str, rows: list) -> Path:
    """Replace list ``name`` (``staff``, ``facilities`` or ``towns``) with ``rows``."""
    if name not in LISTS:
        raise ValueError(f"unknown master-data list {name!r}: one of {', '.join(LISTS)}")
    path = masterdata_dir(data_dir) / f"{name}.json"
    _write_private(path, {"format": FORMAT_VERSION, "list": name, "imported_at": dt.datetime.now(dt.timezone.utc).isoformat(),
                          "rows": [asdict(r) for r in rows]})
    return path


def remove_list(data_dir: Path, name: str) -> bool:
    path = masterdata_dir(data_dir) / f"{name}.json"
    existed = path.exists()
    path.unlink(missing_ok=True)
    return existed


def _load(path: Path) -> tuple[list[dict], str]:
    if not path.exists():
        return [], ""
    payload = json.loads(path.read_text(encoding="utf-8"))
    return list(payload.get("rows") or []), str(payload.get("imported_at") or "")


def load_masterdata(data_dir: Path) -> MasterData:
    """The imported lists (``MasterData()`` when nothing was imported)."""
    folder = masterdata_dir(data_dir)
    if not folder.exists():
        return MasterData()
    staff, t1 = _load(folder / "staff.json")
    facilities, t2 = _load(folder / "facilities.json")
    towns, t3 = _load(folder / "towns.json")
    return MasterData(
        staff=tuple(StaffMember(r["family"], r.get("given", ""), tuple(r.get("other_names") or ())) for r in staff),
        facilities=tuple(Facility(r["name"], r["kind"], tuple(r.get("aliases") or ())) for r in facilities),
        towns=tuple(Town(r["name"], tuple(r.get("aliases") or ())) for r in towns),
        imported_at={k: v for k, v in (("staff", t1), ("facilities", t2), ("towns", t3)) if v},
    )
