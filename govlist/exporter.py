"""Write a catalog in the published spreadsheet layout (.xlsx or .csv). The core of `govlist export`: never prints.

xlsx: sheet 清单 with a title row, a totals row (共N类M项), the header, one row per item (power 子项 on rows of
their own below the main item), the category in a merged first column, frozen header, column widths, wrapped
text, A4 landscape print setup with the header repeated on every page; sheet 清单信息 keeps the header fields
(id, issuer, doc_number, effective, declared …), the categories' codes and declared counts, and the other
non-tabular data (entry rules), one `key | 名称 | value` row each, so that `govlist import` gives back the same
catalog. csv (UTF-8 with BOM, so Excel opens it): the same data, the header fields as leading `# key: value` rows.
"""

from __future__ import annotations

import csv
import io
import json
import re

from .fields import labels
from .formulas import neutralise
from .model import Text
from .result import UsageError
from .sheets import INFO_SHEET
from .headers import header_key
from .schema import validate as schema_validate
from .cells import EXTRA_PREFIX, extra_columns, get_path, to_cell
from .tables import BODY_KEYS, CATEGORY_KEYS, COLUMNS, HEADER_KEYS, SUBITEM_FIELDS, Column, format_totals

SHEET = "清单"
_MERGE_FIELDS = ("category", "seq", "type", "name", "department", "content")


def metadata(catalog: dict) -> list[tuple[str, str]]:
    """The catalog's non-tabular data as (key, text) pairs: strings as they are, anything else as JSON."""
    kind = catalog.get("kind")
    keys = [k for k in HEADER_KEYS if k in catalog]
    keys += [k for k in BODY_KEYS.get(str(kind), ()) if k in catalog and k != "items"]
    keys += [k for k in catalog if k not in keys and k not in ("categories", "items", "units")]
    pairs = [(k, _text(catalog[k])) for k in keys]
    if isinstance(catalog.get("categories"), list):
        summary = [{k: c[k] for k in CATEGORY_KEYS if k in c and k != "items"} for c in catalog["categories"] if isinstance(c, dict)]
        pairs.append(("categories", json.dumps(summary, ensure_ascii=False)))
    return pairs


def _text(value: object) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _entries(catalog: dict) -> list[tuple[str | None, dict]]:
    if catalog.get("kind") == "registry":
        return [(None, u) for u in catalog.get("units") or [] if isinstance(u, dict)]
    if isinstance(catalog.get("categories"), list):
        return [(c.get("name"), i) for c in catalog["categories"] if isinstance(c, dict) for i in (c.get("items") or []) if isinstance(i, dict)]
    return [(None, i) for i in catalog.get("items") or [] if isinstance(i, dict)]


def table(catalog: dict) -> tuple[list[Column], list[list[object]], list[tuple[int, int]]]:
    """(columns, rows, groups): groups are (first, last) row indexes of an item and its 子项 rows."""
    kind = catalog["kind"]
    entries = _entries(catalog)
    has_categories = kind != "registry" and isinstance(catalog.get("categories"), list)
    subs = [s for _, i in entries for s in (i.get("subitems") or []) if isinstance(s, dict)]

    def used(col: Column) -> bool:
        if col.field == "category":
            return has_categories
        if col.field in ("name", "rownum"):
            return True
        if col.field == "subitem":
            return bool(subs)
        if any(get_path(i, col.field) is not None for _, i in entries):
            return True
        return col.field in SUBITEM_FIELDS and any(s.get(col.field) is not None for s in subs)

    columns = [c for c in COLUMNS[kind] if used(c)]
    # a 子项 row's own cells (`extra` of the sub-item): under their field's column when its header names one
    by_label = {header_key(t): c for c in columns for t in (c.header, *c.synonyms)}
    sub_only = [{"extra": {k: v for k, v in s["extra"].items() if header_key(k) not in by_label}} for s in subs if isinstance(s.get("extra"), dict)]
    columns += extra_columns([i for _, i in entries] + sub_only)  # kept columns, under their own header
    rows: list[list[object]] = []
    groups: list[tuple[int, int]] = []
    for number, (category, item) in enumerate(entries, 1):
        main: list[object] = []
        for col in columns:
            if col.field == "category":
                main.append(category)
            elif col.field == "rownum":
                main.append(number)
            elif col.field == "subitem":
                main.append(None)
            else:
                main.append(to_cell(col.codec, get_path(item, col.field)))
        first = len(rows)
        rows.append(main)
        for sub in item.get("subitems") or []:
            if not isinstance(sub, dict):
                continue
            row = []
            own = {by_label.get(header_key(k), k): v for k, v in (sub.get("extra") or {}).items()} if isinstance(sub.get("extra"), dict) else {}
            for index, col in enumerate(columns):
                if col.field == "subitem":
                    row.append(to_cell(col.codec, sub.get("name")))
                elif col.field in SUBITEM_FIELDS and col.field != "name":
                    row.append(to_cell(col.codec, sub.get(col.field)))
                elif col.field.startswith(EXTRA_PREFIX):
                    row.append(own.get(col.header))
                elif col in own:
                    row.append(own[col])
                elif col.field in _MERGE_FIELDS:
                    row.append(main[index])
                else:
                    row.append(None)
            rows.append(row)
        groups.append((first, len(rows) - 1))
    return columns, rows, groups


def to_csv(catalog: dict) -> bytes:
    columns, rows, _ = table(catalog)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for key, value in metadata(catalog):
        writer.writerow([f"# {key}: {value}"])
    writer.writerow([neutralise(catalog.get("title", ""))])
    totals = format_totals(catalog.get("declared") or {})
    if totals:
        writer.writerow([totals])
    writer.writerow([c.header for c in columns])
    for row in rows:
        writer.writerow(["" if v is None else neutralise(v) for v in row])
    return out.getvalue().encode("utf-8-sig")


_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")  # what XML 1.0 cannot hold


def _put(ws, row: int, col: int, value: object):
    cell = ws.cell(row, col)
    if isinstance(value, str):
        value = _ILLEGAL.sub("", value)
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"  # text stays text: never a formula ("=…"), a number or a date
    return cell


def to_xlsx(catalog: dict) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.properties import PageSetupProperties

    columns, rows, groups = table(catalog)
    width = len(columns)
    book = Workbook()
    ws = book.active
    ws.title = SHEET
    thin = Side(style="thin", color="000000")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap_top = Alignment(wrap_text=True, vertical="top")
    wrap_center = Alignment(wrap_text=True, vertical="center", horizontal="center")

    r = 1
    title = _put(ws, r, 1, catalog.get("title", ""))
    title.font = Font(name="方正小标宋简体", size=16, bold=True)
    title.alignment = wrap_center
    ws.row_dimensions[r].height = 36
    if width > 1:
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=width)
    totals = format_totals(catalog.get("declared") or {})
    if totals:
        r += 1
        cell = _put(ws, r, 1, totals)
        cell.alignment = wrap_center
        cell.font = Font(name="仿宋", size=12)
        if width > 1:
            ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=width)
    r += 1
    header_row = r
    for c, col in enumerate(columns, 1):
        cell = _put(ws, r, c, col.header)
        cell.font = Font(name="黑体", size=11, bold=True)
        cell.alignment = wrap_center
        cell.border = border
        cell.fill = PatternFill("solid", fgColor="D9D9D9")
        ws.column_dimensions[get_column_letter(c)].width = col.width
    ws.row_dimensions[r].height = 30
    body_font = Font(name="仿宋", size=10.5)
    for offset, row in enumerate(rows):
        for c, value in enumerate(row, 1):
            cell = _put(ws, header_row + 1 + offset, c, value)
            cell.font = body_font
            cell.border = border
            cell.alignment = wrap_center if columns[c - 1].field in ("category", "seq", "rownum") else wrap_top
    first_data = header_row + 1
    # the category in a merged first column, one block per category
    if columns and columns[0].field == "category":
        start = 0
        for index in range(1, len(rows) + 1):
            if index == len(rows) or rows[index][0] != rows[start][0]:
                if index - 1 > start:
                    ws.merge_cells(start_row=first_data + start, start_column=1, end_row=first_data + index - 1, end_column=1)
                start = index
    # an item and its 子项 rows share the item's cells
    for first, last in groups:
        if last > first:
            for c, col in enumerate(columns, 1):
                if col.field in _MERGE_FIELDS and col.field != "category" and len({repr(rows[i][c - 1]) for i in range(first, last + 1)}) == 1:
                    ws.merge_cells(start_row=first_data + first, start_column=c, end_row=first_data + last, end_column=c)
    ws.freeze_panes = ws.cell(first_data, 1)
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
    if rows:
        ws.auto_filter.ref = f"A{header_row}:{get_column_letter(width)}{header_row + len(rows)}"

    info = book.create_sheet(INFO_SHEET)
    for c, text in enumerate(("字段", "名称", "值"), 1):
        cell = _put(info, 1, c, text)
        cell.font = Font(bold=True)
    for index, (key, value) in enumerate(metadata(catalog), 2):
        _put(info, index, 1, key)
        _put(info, index, 2, labels(str(catalog.get("kind"))).get((key,), ""))
        _put(info, index, 3, value).alignment = Alignment(wrap_text=True, vertical="top")
    info.column_dimensions["A"].width = 16
    info.column_dimensions["B"].width = 14
    info.column_dimensions["C"].width = 100
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def check_exportable(doc) -> None:
    """Refuse (UsageError) a catalog that does not match its schema: the table would silently leave parts out.
    The message names the first problem at file:line:column and how many there are."""
    issues = schema_validate(doc.data["kind"], doc.data)
    if issues:
        first = issues[0]
        line, column = doc.key_position(first.path) if first.at_key else doc.position(first.path)
        more = len(issues) - 1
        raise UsageError(
            Text(
                f"{doc.path}:{line}:{column}：{first.message.zh}" + (f"（另有 {more} 处）" if more else "") + "；清单不符合格式，未导出。用 govlist validate 查看全部问题",
                f"{doc.path}:{line}:{column}: {first.message.en}" + (f" (and {more} more)" if more else "") + "; the catalog does not match its format and was not exported. Run govlist validate to see every problem",
            )
        )


def export_catalog(catalog: dict, fmt: str) -> bytes:
    return to_xlsx(catalog) if fmt == "xlsx" else to_csv(catalog)
