"""Commands between lists and spreadsheets: import (a table in, YAML out, checked at once) and export."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import List, Optional

import typer

from ..i18n import detect_lang
from ..model import Severity, Text
from .app import Lang, LangOption, fail, guard, output_format, state


class SheetFormat(str, Enum):
    xlsx = "xlsx"
    csv = "csv"


def import_(
    file: Path = typer.Argument(..., metavar="TABLE", help="表格文件 .xlsx 或 .csv / the spreadsheet (.xlsx or .csv)"),
    kind: Optional[str] = typer.Option(None, "--kind", "-k", help="清单类型 / list kind: duty, power, territorial, devolution, community, entry-rules, grid, assessment, registry"),
    output: Path = typer.Option(..., "--output", "-o", help="写入的 YAML 文件 / the YAML file to write"),
    sheet: Optional[str] = typer.Option(None, "--sheet", help="工作表名称（默认第一个）/ sheet name (default: the first)"),
    mapping: List[str] = typer.Option([], "--map", help="列名=字段，可重复，如 --map 工作名称=name / COLUMN=field, repeatable"),
    list_id: Optional[str] = typer.Option(None, "--id", help="清单标识（默认取输出文件名）/ list id (default: from the output file name)"),
    settings: List[str] = typer.Option([], "--set", help="清单头部字段=值，可重复，如 --set issuer=某区人民政府 --set effective=2024-01-01 / header field=value, repeatable"),
    header_file: Optional[Path] = typer.Option(None, "--header", help="含头部字段的 YAML 文件（issuer、doc_number、effective…）/ a YAML file of header fields"),
    force: bool = typer.Option(False, "--force", help="覆盖已存在的输出文件 / overwrite an existing output file"),
    lang: Optional[Lang] = LangOption,
) -> None:
    """从 Excel/CSV 表格导入清单，写成 YAML 并立即校验。/ Import a list from an xlsx/csv table, write YAML and validate it."""
    from ..display import printable
    from ..importer import dump_yaml, import_table, parse_settings, schema_ref_for
    from ..output import refuse_overwrite, write_file
    from ..report import REPORTERS
    from ..validate import validate_paths

    language = detect_lang(lang.value if lang else None)
    output_format(None, output, {".yaml": "yaml", ".yml": "yaml"}, "yaml", language, only=True)
    guard(language, lambda: refuse_overwrite(output, force))  # before the table is read and its columns explained
    default_id = list_id or None
    if default_id is None:
        import re as _re

        default_id = _re.sub(r"[^A-Za-z0-9._-]+", "-", output.stem).strip("-._") or None
    fields = guard(language, lambda: parse_settings(list(settings), header_file))
    understood: list = []
    catalog, problems = guard(language, lambda: import_table(file, kind, sheet, list(mapping), default_id, _import_limits(output), fields, understood))
    labels = {"zh": {"error": "", "warning": "警告：", "info": "提示："}, "en": {"error": "", "warning": "warning: ", "info": "info: "}}[language]
    for line in understood:
        typer.echo(printable(f"{line.ref}: {line.message.get(language)}"))
    for problem in problems:
        typer.echo(printable(f"{problem.ref}: {labels[problem.severity]}{problem.message.get(language)}"))
    text = dump_yaml(catalog, schema_ref_for(catalog["kind"], output))
    guard(language, lambda: write_file(output, text.encode("utf-8"), overwrite=force))
    if "categories" in catalog:
        count = sum(len(c.get("items") or []) for c in catalog["categories"])
        where = Text(f"{len(catalog['categories'])} 类 {count} 项", f"{count} items in {len(catalog['categories'])} categories")
    else:
        count = len(catalog.get("units") or catalog.get("items") or [])
        where = Text(f"{count} 项", f"{count} items" if catalog["kind"] != "registry" else f"{count} units")
    errors = sum(1 for p in problems if p.severity == "error")
    skipped = Text(f"，{errors} 行未能导入", f", {errors} rows not imported") if errors else Text("", "")
    typer.echo(Text(f"已导入 {where.zh}{skipped.zh}，写入 {output}", f"imported {where.en}{skipped.en} into {output}").get(language))
    report = guard(language, lambda: validate_paths([output], debug=state["debug"]))
    sys.stdout.write(REPORTERS["text"](report, language, False))
    raise typer.Exit(1 if errors or report.failed(Severity.ERROR) else 0)


def _import_limits(output: Path):
    """The import limits of the project the output goes into (govlist.yaml nearest to it), else the defaults."""
    from ..sheetguard import ImportLimits
    from ..checker import load_project

    project, _ = load_project([output.absolute()], None)
    return ImportLimits.from_settings(project.import_limits)


def export(
    catalog_file: Path = typer.Argument(..., metavar="CATALOG", help="清单 YAML 文件 / the catalog YAML file"),
    format: Optional[SheetFormat] = typer.Option(None, "--format", "-f", help="xlsx|csv（默认按输出文件扩展名，否则 xlsx）/ xlsx|csv (default: from the output suffix, else xlsx)"),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="输出文件（默认：清单文件名 + .xlsx/.csv）/ output file (default: the catalog's name + .xlsx/.csv)"),
    force: bool = typer.Option(False, "--force", help="覆盖已存在的输出文件 / overwrite an existing output file"),
    lang: Optional[Lang] = LangOption,
) -> None:
    """把清单导出为公布格式的 Excel 或 CSV 表格。/ Export a catalog as a spreadsheet in the published layout."""
    from ..exporter import check_exportable, export_catalog
    from ..output import write_file
    from ..loader import LoadError, load_file
    from ..tables import TABLE_KINDS

    language = detect_lang(lang.value if lang else None)
    fmt = output_format(format.value if format else None, output, {".xlsx": "xlsx", ".csv": "csv"}, "xlsx", language, only=True)
    if not catalog_file.is_file():
        fail(Text(f"文件不存在：{catalog_file}", f"no such file: {catalog_file}"), language)
    try:
        doc = load_file(catalog_file, str(catalog_file))
    except LoadError as exc:
        where = f"{catalog_file}:{exc.line}:{exc.column}" if exc.line else str(catalog_file)
        fail(Text(f"{where}：{exc.message.zh}", f"{where}: {exc.message.en}"), language)
    data = doc.data
    if not isinstance(data, dict) or data.get("kind") not in TABLE_KINDS:
        fail(Text(f"{catalog_file} 不是可导出的清单（kind 应为 {'、'.join(TABLE_KINDS)}）", f"{catalog_file} is not a catalog that can be exported (kind must be one of {', '.join(TABLE_KINDS)})"), language)
    target = output if output is not None else catalog_file.with_suffix("." + fmt)
    guard(language, lambda: check_exportable(doc))
    payload = guard(language, lambda: export_catalog(data, fmt))
    guard(language, lambda: write_file(target, payload, overwrite=force))
    typer.echo(Text(f"已导出到 {target}", f"exported to {target}").get(language))
