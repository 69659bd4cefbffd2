"""The official-layout PDF of lists, compiled with typst (the `typst` package from PyPI). Nothing here prints.

Why typst: on the same 1,000-item table it is far faster than WeasyPrint (see benchmarks/render_bench.py), and it
repeats table headers on every page and keeps rows whole on its own. The catalog data is passed to the typst template
(govlist/templates/pdf/list.typ, overridable with --templates) as one JSON string in `sys.inputs`, read with
`json(bytes(...))` and placed as strings: no value is ever parsed as typst markup, so `#`, `[`, `*`, `<`, `$`…
print as themselves, without any escaping.

Chinese fonts are found on the system (fontconfig's `fc-list :lang=zh`, else the families typst sees). A 仿宋-like
family is preferred for the body and a 黑体-like one for headings; `--font` names one for both. With no CJK font at
all, the render stops with a message that says how to install one, instead of printing empty boxes.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from .model import Text
from .render import TEMPLATES, ListView, RenderError

BODY_PREFERENCE = ("FangSong", "仿宋", "FangSong_GB2312", "仿宋_GB2312", "STFangsong", "Noto Serif CJK SC", "Source Han Serif SC", "Source Han Serif CN", "AR PL UMing CN", "SimSun", "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Zen Hei", "WenQuanYi Micro Hei")
HEADING_PREFERENCE = ("SimHei", "黑体", "Noto Sans CJK SC", "Source Han Sans SC", "Source Han Sans CN", "WenQuanYi Zen Hei", "WenQuanYi Micro Hei", "Noto Serif CJK SC", "Source Han Serif SC")
INSTALL_HINT = Text(
    "没有找到中文字体，PDF 中的汉字会显示为空白方框。请先安装中文字体，例如：apt-get install fonts-noto-cjk（Debian/Ubuntu），或用 --font 指定一个字体名称或字体文件",
    "no Chinese (CJK) font found: the PDF would show empty boxes. Install one first, e.g. `apt-get install fonts-noto-cjk` (Debian/Ubuntu), or name a font family or font file with --font",
)


@dataclass(frozen=True)
class Fonts:
    body: str
    heading: str
    paths: tuple[str, ...] = ()


def _fc_list() -> dict[str, str]:
    """{family: file} of the fonts fontconfig says cover Chinese; {} without fontconfig."""
    exe = shutil.which("fc-list")
    if not exe:
        return {}
    try:
        out = subprocess.run([exe, ":lang=zh", "family", "file"], capture_output=True, text=True, timeout=30, check=False).stdout
    except (OSError, subprocess.SubprocessError):
        return {}
    found: dict[str, str] = {}
    for line in sorted(out.splitlines()):
        path, sep, families = line.partition(": ")
        if not sep:
            continue
        for family in families.split(","):
            family = family.strip()
            if family:
                found.setdefault(family, path.strip())
    return found


def _typst_families(paths: list[str]) -> set[str]:
    import typst

    return set(typst.Fonts(include_system_fonts=True, include_embedded_fonts=False, font_paths=paths).families())


def find_fonts(explicit: str | None = None) -> Fonts:
    """The body and heading families to use; raises RenderError when there is no CJK font (or --font is unknown)."""
    if explicit:
        path = Path(explicit)
        if path.suffix.lower() in (".ttf", ".otf", ".ttc", ".otc") or path.is_file():
            if not path.is_file():
                raise RenderError(Text(f"字体文件不存在：{explicit}", f"no such font file: {explicit}"))
            import typst

            families = typst.Fonts(include_system_fonts=False, include_embedded_fonts=False, font_paths=[str(path)]).families()
            if not families:
                raise RenderError(Text(f"无法读取字体文件 {explicit}", f"cannot read the font file {explicit}"))
            return Fonts(families[0], families[0], (str(path),))
        cjk = _fc_list()
        known = set(cjk) | _typst_families([])
        if explicit not in known:
            lower = {k.lower(): k for k in known}
            if explicit.lower() not in lower:
                hint = "、".join(sorted(k for k in cjk if "SC" in k or "CN" in k)[:6])
                raise RenderError(Text(
                    f"没有找到字体“{explicit}”" + (f"；可用的中文字体有：{hint}" if hint else "") + "（fc-list :lang=zh 可列出全部）",
                    f"font '{explicit}' not found" + (f"; Chinese fonts here include: {hint}" if hint else "") + " (fc-list :lang=zh lists them)",
                ))
            explicit = lower[explicit.lower()]
        return Fonts(explicit, explicit)
    cjk = _fc_list()
    if not cjk:  # no fontconfig: ask typst which families it sees, and keep the known CJK ones
        cjk = {f: "" for f in _typst_families([]) if f in BODY_PREFERENCE or f in HEADING_PREFERENCE or "CJK" in f}
    if not cjk:
        raise RenderError(INSTALL_HINT)
    body = next((f for f in BODY_PREFERENCE if f in cjk), None) or sorted(cjk)[0]
    heading = next((f for f in HEADING_PREFERENCE if f in cjk), None) or body
    return Fonts(body, heading)


def _date_parts(date: str) -> list[int] | None:
    try:
        d = _dt.date.fromisoformat(date[:10])
    except (TypeError, ValueError):
        return None
    return [d.year, d.month, d.day]


def pdf_data(views: list[ListView], fonts: Fonts, date: str, title: str, lang: str = "zh") -> dict:
    """The JSON the typst template reads: plain strings and numbers only."""
    lists = []
    for v in views:
        lists.append({
            "title": v.title, "issuer": v.issuer, "doc_number": v.doc_number, "effective": v.effective,
            "effective_label": "自 " if lang != "en" else "effective ",
            "headers": [c["header"] for c in v.columns], "widths": [0 if c["codec"] == "seq" else max(c["width"], 12) for c in v.columns],
            "categories": [
                {"name": c.name, "count_label": (f"（{c.count}项）" if lang != "en" else f" ({c.count} items)"), "rows": [r.cells for r in c.rows]}
                for c in v.categories
            ],
        })
        if v.effective:
            lists[-1]["effective"] = v.effective + (" 起施行" if lang != "en" else "")
    return {
        "title": title, "author": views[0].issuer if len(views) == 1 and views[0].issuer else "govlist",
        "date": _date_parts(date), "fonts": {"body": fonts.body, "heading": fonts.heading}, "lists": lists,
    }


def _timestamp(date: str) -> int:
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return int(epoch)
    parts = _date_parts(date)
    if parts:
        return int(_dt.datetime(*parts, tzinfo=_dt.UTC).timestamp())
    return 0


class PdfWriter:
    """Compiles the typst template once per list and once for all lists together."""

    def __init__(self, fonts: Fonts, templates: Path | None = None, lang: str = "zh") -> None:
        import typst

        source = None
        if templates is not None and (templates / "list.typ").is_file():
            source = (templates / "list.typ").read_bytes()
        self.source = source if source is not None else (TEMPLATES / "pdf" / "list.typ").read_bytes()
        self.fonts = fonts
        self.lang = lang
        self.compiler = typst.Compiler(font_paths=list(fonts.paths))

    def compile(self, views: list[ListView], date: str, title: str) -> bytes:
        import typst

        data = json.dumps(pdf_data(views, self.fonts, date, title, self.lang), ensure_ascii=False)
        try:
            return self.compiler.compile(input=self.source, format="pdf", sys_inputs={"data": data}, timestamp=_timestamp(date))
        except typst.TypstError as exc:
            raise RenderError(Text(f"PDF 排版失败：{exc.message}", f"typesetting the PDF failed: {exc.message}")) from None

    def __call__(self, views: list[ListView], folder: Path, date: str) -> list[str]:
        folder.mkdir(parents=True, exist_ok=True)
        names = []
        for v in views:
            (folder / f"{v.slug}.pdf").write_bytes(self.compile([v], date, v.title))
            names.append(f"{v.slug}.pdf")
        if len(views) > 1:
            (folder / "all.pdf").write_bytes(self.compile(views, date, "全部清单" if self.lang != "en" else "All lists"))
            names.append("all.pdf")
        return names
