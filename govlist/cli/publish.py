"""The command that publishes: render (the site, PDFs, Word files and the table of changes)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import List, Optional

import typer

from ..i18n import detect_lang
from ..model import Severity, Text
from .app import ConfigOption, TemplatesOption, Lang, LangOption, guard, state


def _changes_for_render(spec: str, paths: List[Path], config: Optional[Path], language: str):
    """--changes-since OLD (a git revision or a folder/file) or OLD..NEW: the diff the 修订对照表 page shows."""
    from ..diff import diff_paths

    old, new = spec, None
    if not Path(spec).exists() and ".." in spec:
        old, _, new = spec.partition("..")
        new = new or None
    if Path(old).exists():  # a folder or file of the old version, compared with the rendered paths
        if new is None:
            if len(paths) != 1:
                from ..result import UsageError

                raise UsageError(Text("--changes-since 给出旧版本目录时，只能渲染一个路径", "--changes-since with an old folder needs exactly one path to render"))
            new = str(paths[0])
        return diff_paths(old, new, [], config)
    return diff_paths(old, new, [str(p) for p in paths], config)


def render(
    paths: List[Path] = typer.Argument(..., metavar="PATHS", help="清单文件或目录 / catalog files or folders"),
    out: Path = typer.Option(..., "--out", "-o", help="网站输出目录（整体替换）/ the site folder (replaced whole)"),
    pdf: bool = typer.Option(False, "--pdf", help="同时生成每份清单和全部清单的 PDF（A4，公文版式）/ also write a PDF per list and one combined"),
    docx: bool = typer.Option(False, "--docx", help="同时生成每份清单和全部清单的 Word 文件（.docx，公文版式）/ also write a Word file per list and one combined"),
    font: Optional[str] = typer.Option(None, "--font", help="PDF 使用的中文字体名称或字体文件，用于所有角色（默认按角色自动查找）/ CJK font family or file for every role (default: found by role)"),
    font_title: Optional[str] = typer.Option(None, "--font-title", help="标题字体（小标宋）/ title font (XiaoBiaoSong role)"),
    font_body: Optional[str] = typer.Option(None, "--font-body", help="正文和表格字体（仿宋）/ body and table font (FangSong role)"),
    font_heading: Optional[str] = typer.Option(None, "--font-heading", help="表头和类别字体（黑体）/ header and category font (HeiTi role)"),
    font_kai: Optional[str] = typer.Option(None, "--font-kai", help="发文信息和页眉字体（楷体）/ issuer line and running header font (KaiTi role)"),
    attachment: Optional[int] = typer.Option(None, "--attachment", min=1, help="加“附件N”标识：第一份清单的编号，其后依次加一 / add an 附件N label: the first list's number, counting up"),
    templates: Optional[Path] = TemplatesOption,
    changes_since: Optional[str] = typer.Option(None, "--changes-since", help="加一页修订对照表：与此版本（git 版本、目录，或 旧..新）比较 / add a table of changes against this version (git revision, folder, or OLD..NEW)"),
    allow_errors: bool = typer.Option(False, "--allow-errors", help="清单有错误时仍然发布 / publish even when validation finds errors"),
    config: Optional[Path] = ConfigOption,
    progress: Optional[bool] = typer.Option(None, "--progress/--no-progress", help="显示进度条（默认：终端上显示）/ progress bar (default: on a terminal)"),
    lang: Optional[Lang] = LangOption,
) -> None:
    """发布：生成静态网站（目录、每份清单一页、即时搜索），可选 PDF 和修订对照表。/ Publish: a static site, optional PDFs and a table of changes."""
    from ..cache import open_cache
    from ..render import build_site, publish
    from ..report import REPORTERS
    from ..validate import validate_paths

    language = detect_lang(lang.value if lang else None)
    report = guard(language, lambda: validate_paths(list(paths), config, debug=state["debug"]))
    if report.count(Severity.ERROR) and not allow_errors:
        sys.stderr.write(REPORTERS["text"](report, language, False))
        typer.echo(Text("清单有错误，未发布；修正后再试，或加 --allow-errors", "the lists have errors; nothing was published. Fix them, or pass --allow-errors").get(language), err=True)
        raise typer.Exit(1)
    writer = word = None
    if pdf or docx:
        from ..pdf import PdfWriter, fonts_for

        settings = report.project.publish
        roles = {"title": font_title, "body": font_body, "heading": font_heading, "kai": font_kai}
        number = attachment if attachment is not None else settings.get("attachment")
        if pdf:
            fonts = guard(language, lambda: fonts_for({k: v for k, v in roles.items() if v}, font, settings.get("fonts")))
            writer = guard(language, lambda: PdfWriter(fonts, templates, language, number))
        if docx:
            from ..docx import DocxWriter
            from ..fonts import word_fonts

            word = DocxWriter(word_fonts({k: v for k, v in roles.items() if v}, font, settings.get("fonts")), language, number)
    changes = guard(language, lambda: _changes_for_render(changes_since, list(paths), config, language)) if changes_since else None
    show = progress if progress is not None else sys.stderr.isatty()
    cache = None if state["debug"] else open_cache(report.project.path)  # as validate_paths: none with --debug

    def build(tmp: Path):
        if not show:
            return build_site(report.catalogs, tmp, templates, language, changes, writer, links=report.project.links, docx=word, cache=cache)
        from rich.console import Console
        from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

        with Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total}"), TimeElapsedColumn(), console=Console(stderr=True), transient=True) as bar:
            task = bar.add_task("render" if language == "en" else "生成", total=None)
            return build_site(report.catalogs, tmp, templates, language, changes, writer, lambda done, total: bar.update(task, completed=done, total=total), links=report.project.links, docx=word, cache=cache)

    result = guard(language, lambda: publish(out, build))
    pdfs = Text(f"，{len(result.pdfs)} 个 PDF", f", {len(result.pdfs)} PDFs") if result.pdfs else Text("", "")
    if result.docx:
        pdfs = Text(f"{pdfs.zh}，{len(result.docx)} 个 Word 文件", f"{pdfs.en}, {len(result.docx)} Word files")
    typer.echo(Text(f"已生成 {result.lists} 份清单（{result.items} 项）{pdfs.zh}：{out}/index.html", f"rendered {result.lists} lists ({result.items} items){pdfs.en}: {out}/index.html").get(language))
