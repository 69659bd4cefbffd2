#!/usr/bin/env python3
"""A benchmark set made of copies of the bundled catalogs (`catalogs/`), not of generated text.

    python benchmarks/copies.py OUT [ITEMS]      # about ITEMS items (default 100,000) in copies of catalogs/

The synthetic set of synth.py was designed alongside the code it measures: 103 files, each a list of uniform items.
This one is the bundled project's 26 files (lists transcribed from the seed documents, with their real names, bases
and registries), copied whole into folders c000, c001, … until there are enough items. In each copy every list id
and every unit code gets the copy's suffix (`gumei-street-duty-c007`, `GM-JD-c007`), so that the copies are lists
of their own and point only at their own registry; the text is not touched otherwise. So it has many small files,
as a real catalog repository has, and the rules over the set see units of the same name in every copy (a few
`assessment.stationed-unassessed` warnings: a 考核 list finds its assessor by name, in the first copy).

perf_bench.py uses it with `--from-catalogs`.
"""

from __future__ import annotations

import json
import math
import re
import shutil
import sys
import time
from pathlib import Path

import yaml
from synth import MANIFEST, reuse_or_clear

HERE = Path(__file__).resolve().parent
SOURCE = HERE.parent / "catalogs"
GENERATOR = "copies-1"  # change when the copies change, so that --keep makes them again


def _items(data: object) -> int:
    """The items a list holds (in its categories, at its top, or a registry's units)."""
    if not isinstance(data, dict):
        return 0
    count = sum(len(c.get("items") or []) for c in data.get("categories") or [] if isinstance(c, dict))
    return count + len(data.get("items") or []) + len(data.get("units") or [])


def _names(files: dict[Path, str]) -> re.Pattern:
    """Every list id and every unit code of the source, as whole words (longest first)."""
    names: set[str] = set()
    for text in files.values():
        found = re.search(r"(?m)^id:\s*\"?([\w-]+)", text)
        if found:
            names.add(found.group(1))
        if re.search(r"(?m)^kind:\s*registry\b", text):
            names.update(re.findall(r"\bcode:\s*\"?([\w-]+)", text))
    alternatives = "|".join(sorted(map(re.escape, names), key=len, reverse=True))
    return re.compile(rf"(?<![\w-])({alternatives})(?![\w-])")


def prepare(out: Path, items: int, seed: int, keep: bool) -> dict:
    """Write about `items` items of copies into `out` (reused with `keep` when made alike); returns its manifest.
    `seed` is kept for perf_bench's signature: the copies are the same every time."""
    reused = reuse_or_clear(out, keep, {"requested": items, "generator": GENERATOR})
    if reused is not None:
        return reused
    started = time.perf_counter()
    files = {p: p.read_text(encoding="utf-8") for p in sorted(SOURCE.rglob("*.yaml")) if p.name != "govlist.yaml"}
    per_copy = sum(_items(yaml.load(text, Loader=yaml.CSafeLoader)) for text in files.values())
    copies = max(1, math.ceil(items / per_copy))
    names = _names(files)
    out.mkdir(parents=True)
    shutil.copy(SOURCE / "govlist.yaml", out / "govlist.yaml")
    size = 0
    for number in range(copies):
        suffix = f"-c{number:03d}"
        for path, text in files.items():
            copied = names.sub(lambda m: m.group(1) + suffix, text).replace("$schema=../../schemas", "$schema=../../../schemas")
            target = out / f"c{number:03d}" / path.relative_to(SOURCE)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(copied.encode("utf-8"))
            size += len(copied.encode("utf-8"))
    manifest = {"generator": GENERATOR, "requested": items, "items": per_copy * copies, "files": copies * len(files), "bytes": size, "seed": seed}
    (out / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"copied catalogs/ {copies} times: {manifest['items']:,} items in {manifest['files']} files, {size / 1e6:.1f} MB in {time.perf_counter() - started:.1f}s -> {out}")
    return manifest


if __name__ == "__main__":
    prepare(Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 100_000, 0, False)
