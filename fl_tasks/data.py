"""Where training pairs come from: a :class:`PairSource` yields de-identified image-text pairs.

A :class:`Pair` is one image (grayscale pixels, loaded lazily), its de-identified caption,
and its normalized labels (modality, body region, plane). Two sources:

- :class:`MedPixFolderSource`: a folder in the MedPix 2.0 layout (``Descriptions.json`` +
  ``images/``, optional ``splits.json``). Used for evaluation, the centralized baseline and
  the demo hospitals' shares of the MedPix train split (:func:`non_iid_shares`).
- :class:`fl_tasks.node_source.NodeStoreSource`: the de-identified images a node stored
  (issue 3), read from the node's store and image folder.

Both take ``excluded_pseudonyms``: patients who opted out are skipped (the node's opt-out
registry supplies the set; see docs/training.md).
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator, Protocol, Sequence

import numpy as np

MODALITIES = ("CT", "MR")
REGIONS = ("Head", "Spine and Muscles", "Thorax", "Abdomen", "Reproductive and Urinary System")


class DataError(ValueError):
    """A data folder or record is unusable; the message names it and says what to do."""


@dataclass(frozen=True)
class Labels:
    """Normalized labels of one image (``None`` where unknown)."""

    modality: str | None = None
    region: str | None = None
    plane: str | None = None


@dataclass(frozen=True)
class Pair:
    """One de-identified image with its caption and labels.

    ``image_key`` is the SHA-256 of the stored image bytes: the key of the feature cache.
    ``group`` is the patient pseudonym (or case id): the unit of opt-out and of splits.
    """

    image_key: str
    caption: str
    labels: Labels
    group: str
    load_pixels: Callable[[], np.ndarray] = field(repr=False, compare=False)

    def pixels(self) -> np.ndarray:
        """Grayscale image as a 2-D uint8 array."""
        return self.load_pixels()


class PairSource(Protocol):
    """Anything that yields de-identified pairs (iterate it twice and get the same pairs)."""

    def __iter__(self) -> Iterator[Pair]: ...


def text_fields(pair: Pair) -> tuple[str, str]:
    """The text side of a pair as two fields: the report header from the labels, and the caption.

    The header reads like a radiology report line ("CT axial image of the abdomen"); the node
    stores these labels with the image (issue 3), so they are part of the de-identified text it
    trains on. Each field is embedded separately and the model sums their projections, so the
    header's meaning is not drowned by a long caption. A field may be empty.
    """
    head = " ".join(x for x in (pair.labels.modality, (pair.labels.plane or "").lower()) if x)
    if pair.labels.region:
        head = f"{head} image of the {pair.labels.region.lower()}".strip()
    return head, " ".join(pair.caption.split())


def _png_loader(path: Path) -> Callable[[], np.ndarray]:
    def load() -> np.ndarray:
        from PIL import Image

        with Image.open(path) as im:
            return np.asarray(im.convert("L"), dtype=np.uint8)
    return load


def file_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class MedPixFolderSource:
    """Pairs of a MedPix 2.0-layout folder, optionally restricted to some case ids.

    Parameters
    ----------
    root : Path
        Folder with ``Descriptions.json`` and ``images/<image>.png``.
    cases : Iterable[str] | None
        Case ids (``U_id``) to keep; ``None`` keeps all.
    split : str | None
        Name of a split in ``root/splits.json`` (``"train"``, ``"dev"``); combined with ``cases``.
    excluded_pseudonyms : Iterable[str]
        Case ids / patient pseudonyms to skip (opt-out).
    """

    def __init__(self, root: Path, cases: Iterable[str] | None = None, split: str | None = None,
                 excluded_pseudonyms: Iterable[str] = ()) -> None:
        self.root = Path(root)
        desc = self.root / "Descriptions.json"
        if not desc.is_file():
            raise DataError(f"{self.root}: no Descriptions.json; expected the MedPix 2.0 layout "
                            "(Descriptions.json + images/<image>.png)")
        try:
            self._records = json.loads(desc.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise DataError(f"{desc}: not valid JSON ({exc.msg} at line {exc.lineno}); fix or re-export it") from exc
        keep = set(cases) if cases is not None else None
        if split is not None:
            split_ids = set(load_splits(self.root).get(split, []))
            if not split_ids:
                raise DataError(f"{self.root / 'splits.json'}: no split named {split!r}")
            keep = split_ids if keep is None else keep & split_ids
        self._keep = keep
        self._excluded = frozenset(excluded_pseudonyms)
        self._hashes: dict[str, str] = {}

    def __iter__(self) -> Iterator[Pair]:
        for rec in self._records:
            case = rec.get("U_id")
            if not case or (self._keep is not None and case not in self._keep) or case in self._excluded:
                continue
            path = self.root / "images" / f"{rec['image']}.png"
            if not path.is_file():
                raise DataError(f"{path}: image of record {rec['image']!r} is missing; restore the images/ folder")
            key = self._hashes.get(rec["image"])
            if key is None:
                key = self._hashes[rec["image"]] = file_sha256(path)
            description = rec.get("Description") or {}
            yield Pair(image_key=key, caption=str(description.get("Caption") or ""),
                       labels=Labels(modality=_modality(rec.get("Type")), region=rec.get("Location Category"),
                                     plane=description.get("Plane")),
                       group=case, load_pixels=_png_loader(path))

    def case_labels(self) -> dict[str, Counter]:
        """Per case: how many images of each (modality, region) it holds."""
        out: dict[str, Counter] = defaultdict(Counter)
        for rec in self._records:
            out[rec["U_id"]][(_modality(rec.get("Type")), rec.get("Location Category"))] += 1
        return dict(out)


def _modality(value: object) -> str | None:
    if value is None:
        return None
    v = str(value).upper()
    return "MR" if v in ("MR", "MRI") else v


def load_splits(root: Path) -> dict[str, list[str]]:
    path = Path(root) / "splits.json"
    if not path.is_file():
        raise DataError(f"{path}: missing; pass case ids explicitly or add splits.json")
    return json.loads(path.read_text(encoding="utf-8"))


PUBLIC_FRACTION = 0.2
"""Share of the MedPix train cases the demo treats as public (never dealt to a node)."""


def public_cases(medpix_dir: Path, fraction: float = PUBLIC_FRACTION, split: str = "train", seed: int = 0) -> tuple[str, ...]:
    """The demo's public cases: a seeded random ``fraction`` of ``split``'s case ids, sorted.

    Deterministic for a seed; the rest of ``split`` is what :func:`non_iid_shares` deals to the
    hospitals when given ``exclude_cases=public_cases(...)``. The coordinator pretrains on them
    (:mod:`fl_tasks.warm_start`, which re-exports this function).
    """
    if not 0.0 < fraction < 1.0:
        raise ValueError(f"public fraction {fraction}: must be between 0 and 1 (exclusive)")
    cases = sorted(load_splits(Path(medpix_dir))[split])
    rng = np.random.default_rng(seed)
    n = max(1, round(fraction * len(cases)))
    return tuple(sorted(cases[i] for i in rng.choice(len(cases), size=n, replace=False)))


@dataclass(frozen=True)
class SiteShare:
    """A demo hospital's share of the MedPix train split: its case ids and what it prefers."""

    site_id: str
    cases: tuple[str, ...]
    preference: dict[str, float] = field(default_factory=dict)


# Each demo hospital's case mix: weight per body region (before normalisation). A neuro
# centre, a general/thoracic-abdominal hospital, a spine & urology clinic.
DEFAULT_PREFERENCES: dict[str, dict[str, float]] = {
    "aurelia": {"Head": 6.0, "Spine and Muscles": 1.0, "Thorax": 0.5, "Abdomen": 0.5, "Reproductive and Urinary System": 0.5},
    "halvorsen": {"Head": 0.7, "Spine and Muscles": 0.5, "Thorax": 6.0, "Abdomen": 6.0, "Reproductive and Urinary System": 1.0},
    "kellerby": {"Head": 0.5, "Spine and Muscles": 6.0, "Thorax": 1.0, "Abdomen": 1.0, "Reproductive and Urinary System": 6.0},
}


def non_iid_shares(root: Path, split: str = "train", seed: int = 0,
                   preferences: dict[str, dict[str, float]] | None = None,
                   exclude_cases: Iterable[str] = ()) -> list[SiteShare]:
    """Deal the cases of a MedPix split to hospitals with skewed body regions (and so modalities).

    Each case (all its images together: a patient never spans two sites) goes to a site drawn
    with probability proportional to that site's weight for the case's main body region.
    Deterministic for a seed. ``exclude_cases`` are dealt to no site (the coordinator's
    public cases of a warm start: :func:`fl_tasks.warm_start.public_cases`).
    """
    prefs = preferences or DEFAULT_PREFERENCES
    source = MedPixFolderSource(root)
    labels = source.case_labels()
    excluded = frozenset(exclude_cases)
    cases = sorted(c for c in load_splits(root)[split] if c not in excluded)
    rng = np.random.default_rng(seed)
    sites = list(prefs)
    dealt: dict[str, list[str]] = {s: [] for s in sites}
    for case in cases:
        counts = labels.get(case)
        if not counts:
            continue
        region = max(counts.items(), key=lambda kv: kv[1])[0][1]
        w = np.array([prefs[s].get(region, 1.0) for s in sites], dtype=float)
        dealt[sites[int(rng.choice(len(sites), p=w / w.sum()))]].append(case)
    return [SiteShare(s, tuple(dealt[s]), prefs[s]) for s in sites]


NODE_CASES_FILE = "node_cases.json"


def write_node_cases(path: Path, cases: dict[str, dict[str, Iterable[str]]]) -> Path:
    """Record which MedPix cases reach each demo node, by route (e.g. ``teaching_archive``).

    Coordinator-side ground truth of the demo (never read by a node): lets a run prove that no
    node holds an evaluation case or a warm start's public case (:func:`read_node_cases`).
    """
    data = {site: {route: sorted(set(ids)) for route, ids in routes.items()} for site, routes in cases.items()}
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_text(json.dumps({"sites": data}, indent=1), encoding="utf-8")
    return Path(path)


def read_node_cases(path: Path) -> dict[str, set[str]]:
    """Per site, every MedPix case that reached the node (all routes of :func:`write_node_cases`)."""
    try:
        sites = json.loads(Path(path).read_text(encoding="utf-8"))["sites"]
    except (OSError, ValueError, KeyError) as exc:
        raise DataError(f"{path}: unreadable record of the nodes' cases ({exc.__class__.__name__}); "
                        "run the demo again (fedcoord demo)") from exc
    return {site: {c for ids in routes.values() for c in ids} for site, routes in sites.items()}


def describe(pairs: Sequence[Pair]) -> dict[str, int]:
    """Counts by modality and region (for tables and the model card; no text)."""
    c: Counter = Counter()
    for p in pairs:
        c[f"modality:{p.labels.modality}"] += 1
        c[f"region:{p.labels.region}"] += 1
    return dict(sorted(c.items()))
