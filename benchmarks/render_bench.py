#!/usr/bin/env python3
"""Benchmark `govlist render`: the HTML site against a bare CSafeLoader parse, and the PDF engine against WeasyPrint.

    python benchmarks/render_bench.py                      # all three measurements (WeasyPrint if installed)
    python benchmarks/render_bench.py --skip-html          # PDF only
    python benchmarks/render_bench.py --html-items 10000   # a smaller HTML set
    python benchmarks/render_bench.py --no-weasyprint      # skip the (slow) WeasyPrint side
    python benchmarks/render_bench.py --from-catalogs --repeat 2   # HTML only, on copies of catalogs/ (copies.py)

1. HTML: the synthetic set of benchmarks/synth.py (100,000 items, ~77 MB of YAML; generated once into
   benchmarks/data/, reused when present) rendered in-process with validate_paths + build_site into a fresh folder,
   as a ratio to a bare `yaml.load(f, Loader=yaml.CSafeLoader)` of the same files, measured in the same run.
2. PDF, 1,000 items: the same table (the first 1,000 power items of the set, A4 landscape, Noto Sans CJK SC,
   header repeated on every page) through govlist's typst template and through WeasyPrint, side by side. WeasyPrint
   is optional (`pip install weasyprint`); without it the script says so and reports govlist's time alone.
3. PDF, 10,000 items: govlist's own time.

With --from-catalogs, only the HTML site, on copies of the bundled catalogs/ (benchmarks/copies.py: thousands of
small lists, hundreds of registries; --html-items items into --data, default benchmarks/data-copies, kept), as
`govlist render` runs after `govlist validate`: each measurement in a fresh process, rounds alternating with the bare
load, the minimum of each reported; the site is built under benchmarks/out/ (not the system's temp folder, where
making a file may cost another time) and the project's cache is passed as the CLI passes it.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import html
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import synth

from govlist.render import ListView, build_site, make_views
from govlist.validate import validate_paths

HERE = Path(__file__).resolve().parent
REPO = HERE.parent

FONT = "Noto Sans CJK SC"


def html_bench(items: int, seed: int, data: Path) -> dict:
    synth.prepare(data, items, seed, keep=True)
    files = synth.yaml_files(data)
    bare = synth.bare_load(files)
    gc.collect()
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        report = validate_paths([data])
        result = build_site(report.catalogs, Path(tmp) / "site")
        elapsed = time.perf_counter() - started
        size = sum(p.stat().st_size for p in (Path(tmp) / "site").rglob("*") if p.is_file())
    return {"items": result.items, "lists": result.lists, "bare": bare, "render": elapsed, "ratio": elapsed / bare, "bytes": size}


def copies_child(mode: str, target: Path) -> None:
    """One measurement in this fresh process (--from-catalogs): prints a JSON line of seconds, parts and the site's
    digest."""
    import yaml

    gc.disable()  # as the CLI does
    os.chdir(target)
    os.environ["SOURCE_DATE_EPOCH"] = "1700000000"  # the site states a date: the same one in every run
    parts: dict[str, float] = {}
    digest = ""
    started = time.perf_counter()
    if mode == "bare":
        for path in synth.yaml_files(target):
            with open(path, "rb") as handle:
                yaml.load(handle, Loader=yaml.CSafeLoader)
    else:  # "render": validate_paths reading the catalogs back from the warm cache, then the site, as the CLI does
        from govlist.cache import open_cache

        report = validate_paths([target])
        parts["read back"] = time.perf_counter() - started
        (HERE / "out").mkdir(exist_ok=True)
        site = Path(tempfile.mkdtemp(prefix="site-", dir=HERE / "out"))
        try:
            build_site(report.catalogs, site / "site", links=report.project.links, cache=open_cache(report.project.path))
            parts["site"] = time.perf_counter() - started - parts["read back"]
            sha = hashlib.sha256()
            for path in sorted(p for p in (site / "site").rglob("*") if p.is_file()):
                sha.update(path.relative_to(site).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
            digest = sha.hexdigest()
        finally:
            shutil.rmtree(site, ignore_errors=True)
    print(json.dumps({"seconds": time.perf_counter() - started, "parts": parts, "site": digest}))


def copies_bench(items: int, data: Path, repeat: int) -> None:
    """The HTML site on copies of catalogs/ against the bare load, fresh processes, alternating rounds (min of each)."""
    import copies

    manifest = copies.prepare(data, items, 0, True)

    def run(mode: str) -> dict:
        out = subprocess.run([sys.executable, __file__, "--child", mode, str(data)], capture_output=True, text=True, cwd=HERE)
        if out.returncode != 0:
            raise SystemExit(f"{mode} failed:\n{out.stderr}")
        return json.loads(out.stdout.strip().splitlines()[-1])

    run("render")  # the cache as `govlist validate` leaves it, and the titles' words kept by a first render
    best: dict[str, dict] = {}
    sites = set()
    for _ in range(repeat):
        for mode in ("bare", "render", "bare"):
            result = run(mode)
            if mode not in best or result["seconds"] < best[mode]["seconds"]:
                best[mode] = result
            if result["site"]:
                sites.add(result["site"])
    base, render = best["bare"]["seconds"], best["render"]
    load = " ".join(f"{x:.1f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "?"
    print(f"copies of catalogs/: {manifest['items']:,} items in {manifest['files']} files; bare CSafeLoader load {base:.2f}s; min of {repeat} round(s); load average {load}")
    print(f"HTML render after validate (warm cache) / bare load       {render['seconds'] / base:6.2f}x   (target <= 0.50x on the synthetic set)")
    print(f"   reading the catalogs back / bare load                   {render['parts']['read back'] / base:6.2f}x")
    print(f"   site step (build_site) / bare load                      {render['parts']['site'] / base:6.2f}x")
    print(f"   the same site in every round: {'yes' if len(sites) == 1 else 'NO'}")


def table_of(views: list[ListView], kind: str, count: int) -> ListView:
    """One list view of `count` rows of one kind, merged from the generated lists (same columns)."""
    chosen = [v for v in views if v.kind == kind]
    base = chosen[0]
    headers = [c["header"] for c in base.columns]
    cats = []
    left = count
    for v in chosen:
        own = [c["header"] for c in v.columns]
        where = [own.index(h) if h in own else None for h in headers]  # lists may leave out empty columns
        for c in v.categories:
            if left <= 0:
                break
            c.rows = c.rows[:left]
            for r in c.rows:
                r.cells = [r.cells[i] if i is not None else "" for i in where]
            left -= len(c.rows)
            cats.append(c)
    if left > 0:
        raise SystemExit(f"the set has fewer than {count} {kind} items")
    base.categories = cats
    base.title = f"基准测试权责清单（{count}项）"
    return base


def weasy_html(view: ListView) -> str:
    """The same table as HTML for WeasyPrint. The CSS font list is written as is (not through an autoescaping
    template: Jinja2 would turn the quotes into &#34; inside <style> and WeasyPrint would silently drop the font)."""
    rows = []
    ncol = len(view.columns)
    for c in view.categories:
        if c.name:
            rows.append(f'<tr class="cat"><th colspan="{ncol}">{html.escape(c.name)}（{c.count}项）</th></tr>')
        for r in c.rows:
            rows.append("<tr>" + "".join(f"<td>{html.escape(cell)}</td>" for cell in r.cells) + "</tr>")
    head = "".join(f"<th>{html.escape(c['header'])}</th>" for c in view.columns)
    css = (
        "@page { size: A4 landscape; margin: 2cm 1.8cm; @bottom-center { content: '第 ' counter(page) ' 页 / 共 ' counter(pages) ' 页'; } }"
        f" body {{ font-family: '{FONT}'; font-size: 10.5pt; }} table {{ border-collapse: collapse; width: 100%; }}"
        " th, td { border: 0.5pt solid black; padding: 3pt; vertical-align: top; white-space: pre-line; }"
        " thead { display: table-header-group; } tr { break-inside: avoid; }"
    )
    return f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><style>{css}</style></head><body><h1>{html.escape(view.title)}</h1><table><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table></body></html>'


def typst_pdf(view: ListView, fonts) -> tuple[float, bytes]:
    from govlist.pdf import PdfWriter

    writer = PdfWriter(fonts)
    started = time.perf_counter()
    data = writer.compile([view], "2024-01-01", view.title)
    return time.perf_counter() - started, data


def pages(data: bytes) -> int | str:
    try:
        import io

        from pypdf import PdfReader

        return len(PdfReader(io.BytesIO(data)).pages)
    except ImportError:
        return "?"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--html-items", type=int, default=100_000)
    ap.add_argument("--pdf-items", type=int, default=1_000)
    ap.add_argument("--big-pdf-items", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=20240301)
    ap.add_argument("--data", type=Path, default=HERE / "data")
    ap.add_argument("--skip-html", action="store_true")
    ap.add_argument("--no-weasyprint", action="store_true")
    ap.add_argument("--weasyprint-timeout", type=float, default=600)
    ap.add_argument("--out", type=Path, default=HERE / "out", help="where the benchmark PDFs are kept (git-ignored)")
    ap.add_argument("--from-catalogs", action="store_true", help="HTML only, on copies of catalogs/ (default --data benchmarks/data-copies)")
    ap.add_argument("--repeat", type=int, default=1, help="with --from-catalogs: alternating rounds, the minimum reported")
    ap.add_argument("--child", nargs=2, metavar=("MODE", "DIR"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        copies_child(args.child[0], Path(args.child[1]))
        return
    if args.from_catalogs:
        copies_bench(args.html_items, (HERE / "data-copies" if args.data == HERE / "data" else args.data).resolve(), args.repeat)
        return

    from govlist.fonts import Fonts

    fonts = Fonts.single(FONT)
    lines = []
    if not args.skip_html:
        h = html_bench(args.html_items, args.seed, args.data)
        lines.append(f"HTML  {h['items']:,} items in {h['lists']} lists: render {h['render']:.2f}s, bare CSafeLoader parse {h['bare']:.2f}s -> render / parse = {h['ratio']:.2f}x  (site {h['bytes'] / 1e6:.1f} MB)")
        print(lines[-1], flush=True)

    # the PDF table: power items of a set big enough for --big-pdf-items
    need = max(args.pdf_items, args.big_pdf_items)
    with tempfile.TemporaryDirectory() as tmp:
        synth.Generator(need * 10, args.seed).write(Path(tmp))
        views = make_views(validate_paths([Path(tmp)]).catalogs)
    args.out.mkdir(parents=True, exist_ok=True)
    small = table_of(make_views_copy(views), "power", args.pdf_items)
    t_typst, pdf = typst_pdf(small, fonts)
    (args.out / f"typst-{args.pdf_items}.pdf").write_bytes(pdf)
    lines.append(f"PDF   {args.pdf_items:,} items, govlist (typst): {t_typst:.2f}s, {pages(pdf)} pages")
    print(lines[-1], flush=True)
    if not args.no_weasyprint:
        try:
            import weasyprint
        except Exception as exc:  # ImportError, or missing pango/cairo libraries
            lines.append(f"PDF   WeasyPrint not available ({exc.__class__.__name__}: {exc}); `pip install weasyprint` to compare")
            print(lines[-1])
        else:
            source = weasy_html(small)
            started = time.perf_counter()
            doc = weasyprint.HTML(string=source).render()
            data = doc.write_pdf()
            t_weasy = time.perf_counter() - started
            (args.out / f"weasyprint-{args.pdf_items}.pdf").write_bytes(data)
            lines.append(f"PDF   {args.pdf_items:,} items, WeasyPrint {weasyprint.__version__}: {t_weasy:.2f}s, {len(doc.pages)} pages -> govlist is {t_weasy / t_typst:.1f}x faster (target >= 20x)")
            print(lines[-1])
    big = table_of(views, "power", args.big_pdf_items)
    t_big, pdf = typst_pdf(big, fonts)
    (args.out / f"typst-{args.big_pdf_items}.pdf").write_bytes(pdf)
    lines.append(f"PDF   {args.big_pdf_items:,} items, govlist (typst): {t_big:.2f}s, {pages(pdf)} pages")
    print(lines[-1])
    print("\n".join(["", "summary:"] + lines))


def make_views_copy(views: list[ListView]) -> list[ListView]:
    import copy

    return copy.deepcopy(views)


if __name__ == "__main__":
    main()
