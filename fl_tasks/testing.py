"""Small derived fixtures for tests and benchmarks: a MedPix-layout folder with planted canaries.

:func:`make_canary_medpix` copies a few cases of the real MedPix 2.0 train/dev splits into a
new folder and plants canaries (two unique marker words, a case id) in every caption and
case id, so a test can prove that none of them reaches an update, a metric, a log or a file.
"""

from __future__ import annotations

import json
import secrets
import shutil
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path


MARKER_SENTENCE = "The {} sign and {} pattern are markers."
"""How the two caption canaries are written: as clinical-looking words. Written as "Marker words X Y."
the learned PHI tagger took a random marker word for a name in about one caption in four (~2 % this way)."""


def without_markers(caption: str | None) -> str:
    """A caption (whitespace normalised) without the canary sentence :func:`make_canary_medpix` appends."""
    text = " ".join((caption or "").split())
    head, tail = MARKER_SENTENCE.split("{}")[0], MARKER_SENTENCE.split("{}")[-1]
    if not text.endswith(tail):
        return text
    cut = text.rfind(" " + head)
    return text[:cut] if cut >= 0 else ("" if text.startswith(head) else text)


@dataclass(frozen=True)
class CanaryFolder:
    root: Path
    canaries: tuple[str, ...]
    train_cases: tuple[str, ...]
    dev_cases: tuple[str, ...]


def make_canary_medpix(src: Path, dst: Path, n_train_cases: int = 24, n_dev_cases: int = 8,
                       max_images_per_case: int = 3) -> CanaryFolder:
    """Copy ``n_train_cases`` train and ``n_dev_cases`` dev cases (region-balanced) with planted canaries."""
    records = json.loads((src / "Descriptions.json").read_text())
    splits = json.loads((src / "splits.json").read_text())
    by_case: dict[str, list[dict]] = defaultdict(list)
    for r in records:
        by_case[r["U_id"]].append(r)
    token = secrets.token_hex(4).upper()
    # caption canaries are plain lower-case marker words, not PHI-shaped: they must pass the node's
    # de-identification unchanged (which would remove a planted name or MRN) so that a test can
    # prove no caption text reaches an update, a metric, a log or a file
    letters = "".join("abcdefghijklmnop"[int(c, 16)] for c in token.lower())
    name, mrn = f"canarywhistle{letters}", f"canarysong{letters}"
    canaries = [name, mrn, f"CANARYCASE{token}", token]
    out_records: list[dict] = []
    chosen: dict[str, list[str]] = {}
    for split, n in (("train", n_train_cases), ("dev", n_dev_cases)):
        # round-robin over body regions, so every region is represented
        by_region: dict[str, list[str]] = defaultdict(list)
        for case in sorted(splits[split]):
            if by_case.get(case):
                by_region[by_case[case][0]["Location Category"]].append(case)
        picked: list[str] = []
        while len(picked) < n and any(by_region.values()):
            for region in sorted(by_region):
                if by_region[region] and len(picked) < n:
                    picked.append(by_region[region].pop(0))
        chosen[split] = []
        for i, case in enumerate(picked):
            new_id = f"CANARYCASE{token}{split[0].upper()}{i:03d}"
            chosen[split].append(new_id)
            for r in by_case[case][:max_images_per_case]:
                rec = json.loads(json.dumps(r))
                rec["U_id"] = new_id
                desc = rec.setdefault("Description", {})
                desc["Caption"] = f"{desc.get('Caption') or ''} {MARKER_SENTENCE.format(name, mrn)}".strip()
                out_records.append(rec)
    (dst / "images").mkdir(parents=True, exist_ok=True)
    for rec in out_records:
        shutil.copyfile(src / "images" / f"{rec['image']}.png", dst / "images" / f"{rec['image']}.png")
    (dst / "Descriptions.json").write_text(json.dumps(out_records, indent=1))
    (dst / "splits.json").write_text(json.dumps({"train": chosen["train"], "dev": chosen["dev"]}))
    return CanaryFolder(dst, tuple(canaries), tuple(chosen["train"]), tuple(chosen["dev"]))
