"""PDF and Word time for one list of 1,000 and 10,000 items, as a ratio against the HTML render of the same list.

    python benchmarks/publish_bench.py                 # 1,000 and 10,000 items
    python benchmarks/publish_bench.py --items 2000    # one size

A duty list (ten columns: code, name, content, 条块, responsible, support, handling department, process, time limit,
basis) with categories of 50 items is generated, validated once, then rendered three ways in the same process:
the HTML site (build_site without PDF, the baseline), the PDF (typst) and the Word file (python-docx). Each is
timed --repeat times (default 1) and the minimum is taken; only the ratios compare across machines.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

WORDS = "社区 街道 网格 巡查 发现 报告 处置 协调 督促 整改 登记 核查 宣传 服务 管理 安全 消防 环境 卫生 违法 建筑 居民 困难 救助 调解 矛盾 纠纷 信息 采集 上报".split()


def make_list(folder: Path, items: int, seed: int) -> Path:
    rnd = random.Random(seed)

    def text(lo: int, hi: int) -> str:
        return "".join(rnd.choice(WORDS) for _ in range(rnd.randint(lo, hi)))

    per = 50
    cats = (items + per - 1) // per
    lines = ["govlist: 1", "kind: duty", "id: bench-duty", "title: 基准测试街道职责任务清单", "issuer: 基准街道办事处", "doc_number: 基准街办〔2024〕1号", 'effective: "2024-01-01"', f"declared: {{categories: {cats}, items: {items}}}", "categories:"]
    n = 0
    for c in range(cats):
        count = min(per, items - n)
        lines += [f"  - name: 第{c + 1}类{text(1, 2)}", f"    declared: {count}", "    items:"]
        for _ in range(count):
            n += 1
            lines += [
                f'      - code: "BJ-{c + 1:03}-{n:05}"',
                f"        name: {text(2, 4)}{n}",
                f"        content: {text(8, 30)}",
                f"        jurisdiction: {rnd.choice(['块属块管', '条属块管', '条属条管'])}",
                "        responsible: 基准街道办事处",
                "        handling:",
                "          department: 基准街道办事处",
                f"          process: {text(4, 16)}",
                "          time_limit: 5个工作日",
                f"        basis: 《中华人民共和国{text(1, 2)}法》第{rnd.randint(1, 99)}条",
            ]
    path = folder / "duty.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def best(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return min(times)


def measure(items: int, repeat: int, seed: int) -> dict:
    from govlist.docx import write_list_docx
    from govlist.fonts import find_fonts, word_fonts
    from govlist.pdf import PdfWriter
    from govlist.render import build_site, make_views
    from govlist.validate import validate_paths

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        path = make_list(root, items, seed)
        catalogs = validate_paths([path]).catalogs
        views = make_views(catalogs)
        writer = PdfWriter(find_fonts())
        counter = iter(range(10**6))

        def html() -> None:
            build_site(catalogs, root / f"site-{next(counter)}")

        def pdf() -> None:
            (root / "list.pdf").write_bytes(writer.compile(views, "2024-01-01", views[0].title))

        def docx() -> None:
            write_list_docx(views, root / "list.docx", word_fonts(), views[0].title)

        t_html, t_pdf, t_docx = best(html, repeat), best(pdf, repeat), best(docx, repeat)
        return {"items": items, "html": t_html, "pdf": t_pdf, "docx": t_docx}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--items", type=int, action="append", help="list sizes (default: 1000 and 10000)")
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--seed", type=int, default=20241206)
    args = ap.parse_args()
    print("| items | HTML (baseline) | PDF | PDF / HTML | Word | Word / HTML |")
    print("|---:|---:|---:|---:|---:|---:|")
    for n in args.items or [1000, 10000]:
        r = measure(n, args.repeat, args.seed)
        print(f"| {n:,} | {r['html']:.2f} s | {r['pdf']:.2f} s | {r['pdf'] / r['html']:.1f}× | {r['docx']:.2f} s | {r['docx'] / r['html']:.1f}× |", flush=True)


if __name__ == "__main__":
    main()
