"""Geometry checks of a PDF read back with pdfplumber: what a reader would see as broken, measured, not eyeballed."""

from __future__ import annotations

import re
from collections import defaultdict

FOLIO = re.compile(r"—\s*(\d+)\s*—")
CATEGORY = re.compile(r"（\d+项）$")


OPENING = set("（《“‘〔【「『〈［｛")
CLOSING = set("）》”’〕】」』〉］｝，。、；：！？")


def _ink(c: dict) -> dict:
    """A glyph's box narrowed to where its ink is: a full-width CJK punctuation mark inks only one half of its em
    box (opening marks the right half, the others the left), and typst compresses the empty half away where two
    marks meet or a line begins; the empty half is not text printed over text."""
    if c["text"] in OPENING or c["text"] in CLOSING:
        c = dict(c)
        half = (c["x1"] - c["x0"]) / 2
        if c["text"] in OPENING:
            c["x0"] += half
        else:
            c["x1"] -= half
    return c


def _chars(page) -> list[dict]:
    return [_ink(c) for c in page.chars if c["text"].strip() and c["text"] != "\u200b"]


def overlapping_glyphs(page, tolerance: float = 0.25) -> list[tuple[str, str]]:
    """Pairs of glyphs whose boxes overlap by more than `tolerance` of the smaller one (text printed over text)."""
    grid: dict[tuple[int, int], list[dict]] = defaultdict(list)
    for c in _chars(page):
        for gx in range(int(c["x0"] // 20), int(c["x1"] // 20) + 1):
            for gy in range(int(c["top"] // 20), int(c["bottom"] // 20) + 1):
                grid[gx, gy].append(c)
    found = set()
    for cell in grid.values():
        for i, a in enumerate(cell):
            for b in cell[i + 1 :]:
                w = min(a["x1"], b["x1"]) - max(a["x0"], b["x0"])
                h = min(a["bottom"], b["bottom"]) - max(a["top"], b["top"])
                if w <= 0 or h <= 0:
                    continue
                smaller = min((a["x1"] - a["x0"]) * (a["bottom"] - a["top"]), (b["x1"] - b["x0"]) * (b["bottom"] - b["top"]))
                if smaller > 0 and w * h > tolerance * smaller:
                    found.add((a["text"] + f"@{a['x0']:.0f},{a['top']:.0f}", b["text"]))
    return sorted(found)


def glyphs_across_rules(page, slack: float = 0.5) -> list[str]:
    """Glyphs that a vertical table rule runs through: text that left its cell."""
    rules = [e for e in page.edges if e["orientation"] == "v"]
    bad = []
    for c in _chars(page):
        mid = (c["top"] + c["bottom"]) / 2
        for e in rules:
            if c["x0"] + slack < e["x0"] < c["x1"] - slack and e["top"] <= mid <= e["bottom"]:
                bad.append(f"{c['text']}@{c['x0']:.0f},{c['top']:.0f}")
                break
    return bad


def text_lines(page) -> list[str]:
    return [line["text"].replace("\u200b", "") for line in sorted(page.extract_text_lines(), key=lambda line: line["top"])]


def last_body_line(page) -> str:
    """The lowest line of a page above its page number."""
    lines = [t for t in text_lines(page) if not FOLIO.fullmatch(t.strip())]
    return lines[-1] if lines else ""


def folio(page) -> int | None:
    for t in reversed(text_lines(page)):
        m = FOLIO.fullmatch(t.strip())
        if m:
            return int(m.group(1))
    return None
