"""Commands that compare: diff (two versions), changelog (the adjustment notice drafted from a diff), matrix (lists of one kind side by side)."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Callable, List, Optional

import typer

from ..i18n import detect_lang
from ..model import Severity, Text
from .app import ConfigOption, JobsOption, NoCacheOption, OutputOption, TemplatesOption, FailOn, Lang, LangOption, fail, guard, output_format, write_output


class DiffFormat(str, Enum):
    text = "text"
    markdown = "markdown"
    html = "html"
    json = "json"
    pdf = "pdf"
    docx = "docx"


class ChangeLevel(str, Enum):
    major = "major"
    minor = "minor"
    editorial = "editorial"
    never = "never"


_DIFF_SUFFIXES = {".md": "markdown", ".markdown": "markdown", ".html": "html", ".htm": "html", ".json": "json", ".pdf": "pdf", ".docx": "docx"}
_DIFF_HELP_OLD = "旧版本：文件、目录、git 版本（REV）或 REV:路径 / old side: a file, a folder, a git revision (REV) or REV:path"
_DIFF_HELP_NEW = "新版本（省略时为工作区）/ new side (default: the working tree)"
_OLD = typer.Argument(..., metavar="OLD", help=_DIFF_HELP_OLD)
_NEW = typer.Argument(None, metavar="NEW", help=_DIFF_HELP_NEW)
_PATHS = typer.Argument(None, metavar="PATHS", help="按版本比较时限定的路径（写在 -- 之后）/ paths to compare when the sides are revisions (after --)")
_NO_FUZZY = typer.Option(False, "--no-fuzzy", help="只按编码和名称匹配事项 / match items by code and exact name only")


def diff(
    old: str = _OLD,
    new: Optional[str] = _NEW,
    paths: Optional[List[str]] = _PATHS,
    format: Optional[DiffFormat] = typer.Option(
        None,
        "--format",
        "-f",
        help="输出格式（默认 text，或按 -o 的扩展名：.md .html .json .pdf .docx；pdf、docx 为修订对照表，须用 -o）/ output format (default: text, or from the -o extension: .md .html .json .pdf .docx; pdf and docx are the table of changes and need -o)",
    ),
    output: Optional[Path] = OutputOption,
    fail_on: ChangeLevel = typer.Option(ChangeLevel.never, "--fail-on", help="有未接受的变更达到此级别时退出码为 1 / exit 1 when an unaccepted change reaches this level"),
    fail_on_findings: FailOn = typer.Option(FailOn.error, "--fail-on-findings", help="检查发现（变更门禁、数目核对）达到此级别时退出码为 1 / exit 1 when a gate finding reaches this severity"),
    no_fuzzy: bool = _NO_FUZZY,
    accept: Optional[Path] = typer.Option(None, "--accept", help="已接受变更的指纹文件，每行一个 / file of accepted change fingerprints, one a line"),
    config: Optional[Path] = typer.Option(None, "--config", help="项目配置文件（默认就近查找 govlist.yaml）/ project file (default: nearest govlist.yaml)"),
    templates: Optional[Path] = TemplatesOption,
    no_cache: bool = NoCacheOption,
    jobs: Optional[int] = JobsOption,
    lang: Optional[Lang] = LangOption,
) -> None:
    """比较两个版本的清单：新增、取消、变更、更名、移动、下放/收回、拆分/合并，数目核对和变更门禁。/ Compare two versions of the lists."""
    from ..diff import diff_paths
    from ..diffreport import RENDERERS

    language = detect_lang(lang.value if lang else None)
    fmt = output_format(format.value if format else None, output, _DIFF_SUFFIXES, "text", language)
    result = guard(language, lambda: diff_paths(old, new, list(paths or []), config, fuzzy=not no_fuzzy, accept=accept, cache=not no_cache, jobs=jobs))
    if fmt in ("pdf", "docx"):
        if output is None:
            fail(Text(f"--format {fmt} 须用 --output 指定输出文件", f"--format {fmt} needs --output FILE"), language)
        anchor = Path(new) if new and Path(new).exists() else Path.cwd()  # where diff_paths finds the project file
        _write_changes_file(result, fmt, output, anchor, config, templates, language)
    else:
        templated = fmt in ("markdown", "html")  # text and JSON are not templated
        renderer: Callable[..., str] = RENDERERS[fmt]  # the templated ones also take the templates folder
        text = guard(language, lambda: renderer(result, language, templates) if templated else renderer(result, language))
        write_output(text, output, language, data=fmt != "text")
    threshold = None if fail_on_findings is FailOn.never else Severity.parse(fail_on_findings.value)
    failed = result.failed(None if fail_on is ChangeLevel.never else fail_on.value) or result.findings_failed(threshold)
    raise typer.Exit(1 if failed else 0)


def _write_changes_file(result, fmt: str, output: Path, anchor: Path, config: Optional[Path], templates: Optional[Path], language: str) -> None:
    """The 修订对照表 of a diff as a PDF or Word file, in the fonts the project file's `publish:` names."""
    from ..checker import load_project
    from ..output import write_file
    from ..render import build_date
    from ..result import UsageError
    from ..reading import changes_view

    fonts = guard(language, lambda: load_project([anchor], config)[0].publish.get("fonts"))
    view = changes_view(result, language)
    if fmt == "pdf":
        from ..pdf import PdfWriter, fonts_for

        writer = guard(language, lambda: PdfWriter(fonts_for(None, None, fonts), templates, language))
        data = guard(language, lambda: writer.changes_pdf(view, build_date([])))
    else:
        from ..docx import changes_docx
        from ..fonts import word_fonts

        data = guard(language, lambda: changes_docx(view, word_fonts(None, None, fonts), language))
    try:
        write_file(output, data)
    except UsageError as exc:
        fail(exc.message, language)


def changelog(
    old: str = _OLD,
    new: Optional[str] = _NEW,
    paths: Optional[List[str]] = _PATHS,
    format: Optional[str] = typer.Option(None, "--format", "-f", help="markdown|html|docx（默认 markdown，或按 -o 的扩展名；docx 须用 -o）/ markdown|html|docx (default: markdown, or from the -o extension; docx needs -o)"),
    output: Optional[Path] = OutputOption,
    no_fuzzy: bool = _NO_FUZZY,
    config: Optional[Path] = ConfigOption,
    templates: Optional[Path] = TemplatesOption,
    lang: Optional[Lang] = LangOption,
) -> None:
    """起草调整说明（Markdown、HTML 或 Word）：基准版本、各类别和部门的增减、调整原因和事项表；没有变化时如实说明，文件有错误而未能比较时退出码 1。/ Draft the adjustment notice; says so when nothing changed; exit 1 when files with errors could not be compared."""
    from ..changelog import not_compared, render_changelog
    from ..diff import diff_paths

    language = detect_lang(lang.value if lang else None)
    if format not in (None, "markdown", "html", "docx"):
        fail(Text(f"未知的输出格式“{format}”，应为 markdown、html 或 docx", f"unknown format '{format}'; expected markdown, html or docx"), language)
    suffixes = {k: v for k, v in _DIFF_SUFFIXES.items() if v not in ("json", "pdf")}
    format = output_format(format, output, suffixes, "markdown", language)
    if format == "docx" and output is None:
        fail(Text("--format docx 须用 --output 指定输出文件", "--format docx needs --output FILE"), language)
    result = guard(language, lambda: diff_paths(old, new, list(paths or []), config, fuzzy=not no_fuzzy))
    if format == "docx":
        from ..docx import markdown_docx
        from ..fonts import word_fonts
        from ..output import write_file
        from ..result import UsageError

        data = markdown_docx(guard(language, lambda: render_changelog(result, "markdown", templates, language)), word_fonts(), "调整说明")
        assert output is not None  # a docx without --output stopped above
        try:
            write_file(output, data)
        except UsageError as exc:
            fail(exc.message, language)
        raise typer.Exit(1 if not_compared(result) else 0)
    text = guard(language, lambda: render_changelog(result, format, templates, language))
    write_output(text, output, language, data=True)
    raise typer.Exit(1 if not_compared(result) else 0)


class MatrixFormat(str, Enum):
    text = "text"
    json = "json"
    xlsx = "xlsx"
    html = "html"


def matrix(
    paths: List[Path] = typer.Argument(..., metavar="PATHS", help="清单文件或目录 / catalog files or folders"),
    kind: str = typer.Option(..., "--kind", help="清单类型，如 duty / list kind, e.g. duty"),
    level: Optional[str] = typer.Option(None, "--level", help="只看这一层级的清单，如 街道 / only lists of this level"),
    template: Optional[str] = typer.Option(None, "--template", help="对照的模板清单 id（默认：各清单共同的上级清单）/ template list id (default: the parent all lists name)"),
    format: Optional[MatrixFormat] = typer.Option(None, "--format", "-f", help="输出格式（默认 text，或按 -o 的扩展名：.xlsx .html .json）/ output format (default: text, or from the -o extension: .xlsx .html .json)"),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="写入文件（xlsx 必须）/ write to a file (required for xlsx)"),
    fail_on: Optional[str] = typer.Option(None, "--fail-on", help="某单位与模板的差距超过此数（如 5）或比例（如 10%）时退出码为 1 / exit 1 when a unit's distance from the template exceeds this count (5) or share (10%)"),
    lang: Optional[Lang] = LangOption,
) -> None:
    """同类清单并排对照：事项 × 单位，各单位与模板的差距，各事项的单位数。/ Lists of one kind side by side: item × unit, each unit's distance from the template, each item's count of units."""
    from ..diff import load_side
    from ..checker import Collector
    from ..matrix import build_matrix, exceeds, parse_threshold, render_json, render_text, render_xlsx
    from ..render import matrix_page
    from ..project import build_project
    from ..sources import _disk_side

    language = detect_lang(lang.value if lang else None)
    format = MatrixFormat(output_format(format.value if format else None, output, {".xlsx": "xlsx", ".html": "html", ".htm": "html", ".json": "json"}, "text", language))
    if format is MatrixFormat.xlsx and output is None:
        fail(Text("xlsx 输出需要用 -o 指定文件", "xlsx output needs a file: give -o FILE"), language)
    threshold = guard(language, lambda: parse_threshold(fail_on)) if fail_on else None
    collector = Collector(build_project(None, None))
    catalogs = guard(language, lambda: load_side(_disk_side([str(p) for p in paths]), collector))
    result = guard(language, lambda: build_matrix(catalogs, kind, level, template))
    if format is MatrixFormat.xlsx:
        from ..output import write_file
        from ..result import UsageError

        assert output is not None  # an xlsx without --output stopped above
        try:
            write_file(output, render_xlsx(result))
        except UsageError as exc:
            fail(exc.message, language)
    else:
        text = {"text": lambda: render_text(result, language), "json": lambda: render_json(result), "html": lambda: matrix_page(result, language)}[format.value]()
        write_output(text, output, language, data=format is not MatrixFormat.text)
    over = exceeds(result, threshold) if threshold is not None and result.template else []
    if over:
        names = "、".join(f"{u.name}（{u.distance}）" for u in over)
        typer.echo(("与模板差距超过 --fail-on 的单位：" if language == "zh" else "units over the --fail-on distance: ") + names, err=True)
    raise typer.Exit(1 if over else 0)
