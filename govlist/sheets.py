"""A spreadsheet file as rows: one sheet of a workbook (.xlsx) or a CSV file (any common encoding), read within the
limits of govlist.sheetguard, with the `# key: value` rows an export wrote above a CSV table. Used by import."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from .formulas import restore
from .model import Text
from .result import UsageError
from .sheetguard import ImportLimits, check_rows, check_xlsx, not_a_workbook, read_bytes

INFO_SHEET = "清单信息"  # the sheet an export writes the list's own data to (read back on import)


@dataclass
class Sheet:
    name: str
    rows: list[list[object]]
    meta: list[tuple[str, object]] = field(default_factory=list)
    meta_rows: set[int] = field(default_factory=set)  # 0-based rows that held `# key: value` (csv)


def column_letter(index: int) -> str:
    """0-based column index → A, B, …, Z, AA."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _usage(zh: str, en: str) -> UsageError:
    return UsageError(Text(zh, en))


def read_sheet(path: Path, sheet: str | None = None, limits: ImportLimits | None = None) -> Sheet:
    """One sheet of a workbook or a CSV file, refused (UsageError) past `limits` (govlist.sheetguard)."""
    limits = limits or ImportLimits()
    data = _read_sheet(path, sheet, limits)
    check_rows(path, data.name, data.rows, limits, lambda r, c: f"{data.name}!{column_letter(c)}{r + 1}")
    return data


def _read_sheet(path: Path, sheet: str | None, limits: ImportLimits) -> Sheet:
    if not path.exists():
        raise _usage(f"文件不存在：{path}", f"no such file: {path}")
    if path.is_dir():
        raise _usage(f"{path} 是目录，不是表格文件", f"{path} is a folder, not a spreadsheet")
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        check_xlsx(path, limits)
        return _read_xlsx(path, sheet)
    if suffix in (".csv", ".txt"):
        return _read_csv(path, limits)
    if suffix in (".xls", ".et", ".wps", ".ods"):
        raise _usage(
            f"不支持 {suffix} 格式：请在 Excel/WPS 中“另存为” .xlsx 后再导入",
            f"{suffix} files are not supported: save the file as .xlsx (Excel/WPS “Save as”) and import that",
        )
    raise _usage(f"无法识别的文件类型“{suffix or path.name}”：govlist import 读取 .xlsx 和 .csv", f"unknown file type '{suffix or path.name}': govlist import reads .xlsx and .csv")


def _read_xlsx(path: Path, sheet: str | None) -> Sheet:
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, data_only=True)
    except PermissionError:
        raise _usage(f"没有读取权限：{path}", f"permission denied: {path}") from None
    except Exception:  # openpyxl on a damaged part (styles, relationships) raises almost anything
        raise not_a_workbook(path) from None
    names = [ws.title for ws in book.worksheets]
    if not names:
        raise _usage(f"{path} 中没有工作表", f"{path} holds no worksheet")
    if sheet is not None:
        if sheet not in names:
            raise _usage(f"工作簿中没有工作表“{sheet}”；现有：{'、'.join(names)}", f"no sheet '{sheet}' in the workbook; it has: {', '.join(names)}")
        ws = book[sheet]
    else:
        candidates = [n for n in names if n != INFO_SHEET] or names
        ws = book[candidates[0]]
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    for merged in ws.merged_cells.ranges:  # every cell of a merged range holds the value of its top-left cell
        value = ws.cell(merged.min_row, merged.min_col).value
        for r in range(merged.min_row, merged.max_row + 1):
            for c in range(merged.min_col, merged.max_col + 1):
                while len(rows) < r:
                    rows.append([])
                row = rows[r - 1]
                while len(row) < c:
                    row.append(None)
                row[c - 1] = value
    meta: list[tuple[str, object]] = []
    if INFO_SHEET in names and ws.title != INFO_SHEET:
        for row in book[INFO_SHEET].iter_rows(values_only=True):
            if not row or row[0] in (None, "字段", "key"):
                continue
            key = str(row[0]).strip()
            value = row[2] if len(row) > 2 else None
            if key and re.fullmatch(r"[a-z_]+", key) and value is not None:
                meta.append((key, value))
    return Sheet(ws.title, rows, meta)


def decode_csv(raw: bytes) -> str:
    """UTF-8 with BOM, else UTF-8, else GB18030 (which covers GBK and GB2312)."""
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8", "replace")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError:
            raise _usage("CSV 文件是 UTF-16 编码但已截断或损坏（字节数为奇数）：请在 Excel 中另存为“CSV UTF-8”", "the CSV file is UTF-16 but truncated or damaged (an odd number of bytes): save it from Excel as “CSV UTF-8”") from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("gb18030")
    except UnicodeDecodeError:
        raise _usage("CSV 文件既不是 UTF-8 也不是 GB18030/GBK 编码：请在 Excel 中另存为“CSV UTF-8”", "the CSV file is neither UTF-8 nor GB18030/GBK: save it from Excel as “CSV UTF-8”") from None


def _read_csv(path: Path, limits: ImportLimits) -> Sheet:
    raw = read_bytes(path, limits)
    if b"\x00" in raw[:4096] and not raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise _usage(f"{path} 不是文本 CSV 文件（含有空字节；是否是改了扩展名的 Excel 文件？）", f"{path} is not a text CSV file (NUL bytes; an Excel file renamed?)")
    try:
        text = decode_csv(raw)
    except UsageError as exc:
        raise _usage(f"{path}：{exc.message.zh}", f"{path}: {exc.message.en}") from None
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    try:
        rows: list[list[object]] = [[restore(cell) for cell in r] for r in reader]  # undo export's formula guard
    except csv.Error as exc:
        raise _usage(f"{path} 第 {reader.line_num} 行无法按 CSV 读取（{exc}）：请在 Excel 中另存为“CSV UTF-8”", f"{path} line {reader.line_num} cannot be read as CSV ({exc}): save it from Excel as “CSV UTF-8”") from None
    meta: list[tuple[str, object]] = []
    meta_rows: set[int] = set()
    for index, row in enumerate(rows):
        first = str(row[0]).strip() if row else ""
        if first.startswith("#") and not any(str(c).strip() for c in row[1:]):
            key, sep, value = first[1:].partition(":")
            if sep and re.fullmatch(r"\s*[a-z_]+\s*", key):
                meta.append((key.strip(), value[1:] if value.startswith(" ") else value))
            meta_rows.add(index)
    return Sheet(path.name, rows, meta, meta_rows)
