"""Limits on what `govlist import` reads, checked before a spreadsheet is opened.

An .xlsx is a zip of XML parts. openpyxl builds every cell of a workbook in memory, every cell of a merged range
too, so a 5 kB file whose merged range is `C3:XFD1048576` or whose one cell inflates to a gigabyte would take all
memory. `check_xlsx` reads the zip's directory and streams each XML part through expat (constant memory) before
openpyxl sees the file: uncompressed size, compression ratio, merged-range area, rows and columns, cell length,
well-formed XML without a DTD, and intact deflate data. `check_rows` holds a sheet already read (CSV or xlsx) to the
row and cell limits. A refusal is a `UsageError` naming the file, the sheet and the cell, the limit, and how a
project raises it (`import: limits:` in govlist.yaml).
"""

from __future__ import annotations

import os
import re
import zipfile
import zlib
from dataclasses import dataclass, fields
from pathlib import Path, PurePosixPath
from xml.parsers import expat

from .model import Text
from .result import UsageError

MAX_DIGITS = 4_000  # a run of digits longer than this is not a number a list holds (Python cannot print one over 4,300)
_RATIO_FLOOR = 1 << 20  # parts smaller than this may compress as well as they like
_CHUNK = 1 << 16


@dataclass(frozen=True)
class ImportLimits:
    """What an imported table may hold; a project raises them in govlist.yaml under `import: limits:`."""

    bytes: int = 100 * 1024 * 1024  # the file, and an xlsx's XML parts uncompressed together
    ratio: int = 100  # uncompressed / compressed size of one xlsx part (over 1 MiB)
    merged_cells: int = 1_000_000  # cells covered by merged ranges, all sheets together
    cell_chars: int = 32_767  # characters in one cell (Excel's own limit)
    rows: int = 100_000  # rows of one sheet
    columns: int = 1_000  # columns of one sheet

    @classmethod
    def from_settings(cls, settings: dict | None) -> "ImportLimits":
        """Limits from the project file's `import: limits:` mapping (schema-checked: positive integers)."""
        known = {f.name for f in fields(cls)}
        given = {k: v for k, v in (settings or {}).items() if k in known and isinstance(v, int) and not isinstance(v, bool) and v > 0}
        return cls(**given)


_WHAT = {
    "bytes": ("数据量", "data size"),
    "ratio": ("压缩比", "compression ratio"),
    "merged_cells": ("合并单元格的格数", "cells in merged ranges"),
    "cell_chars": ("单元格字数", "characters in a cell"),
    "rows": ("行数", "rows"),
    "columns": ("列数", "columns"),
}


def _at(path: Path, where: str) -> str:
    """'book.xlsx 清单!C3'; a CSV's sheet is its file name, said once: 'a.csv!C3'."""
    if not where:
        return str(path)
    return where if where.startswith(path.name + "!") else f"{path} {where}"


def _refuse(path: Path, where: str, key: str, found: str, limit: int) -> UsageError:
    zh_what, en_what = _WHAT[key]
    at = _at(path, where)
    return UsageError(
        Text(
            f"{at}：{zh_what}为 {found}，超过上限 {limit:,}，未导入。表格确实这么大时，可在 govlist.yaml 中提高上限：import: {{limits: {{{key}: …}}}}",
            f"{at}: {en_what} {found}, over the limit of {limit:,}; nothing imported. If the table really is that large, raise the limit in govlist.yaml: import: {{limits: {{{key}: …}}}}",
        )
    )


def _damaged(path: Path, part: str, zh: str, en: str) -> UsageError:
    return UsageError(
        Text(
            f"{path} 已损坏（{part}：{zh}）：请在 Excel/WPS 中打开并另存为 .xlsx 后再导入",
            f"{path} is damaged ({part}: {en}): open it in Excel/WPS, save it as .xlsx and import that",
        )
    )


def not_a_workbook(path: Path) -> UsageError:
    return UsageError(
        Text(
            f"{path} 不是有效的 .xlsx 文件（可能是改了扩展名的其他文件，或已损坏）：请在 Excel/WPS 中打开并另存为 .xlsx",
            f"{path} is not a valid .xlsx workbook (another file renamed, or damaged): open it in Excel/WPS and save it as .xlsx",
        )
    )


def read_bytes(path: Path, limits: ImportLimits) -> bytes:
    """A regular file's bytes, refused past `limits.bytes` however large the file says it is."""
    from .loader import LoadError, read_file

    try:
        return read_file(path, limits.bytes)
    except LoadError as exc:
        if exc.rule == "parse.too-large":
            raise _refuse(path, "", "bytes", f"> {limits.bytes:,}", limits.bytes) from None
        raise UsageError(Text(f"无法读取 {path}：{exc.message.zh}", f"cannot read {path}: {exc.message.en}")) from None


# --- xlsx --------------------------------------------------------------------------------------------------------

_CELL_REF = re.compile(r"\$?([A-Za-z]{1,4})\$?([0-9]{1,8})$")


def _cell(ref: str) -> tuple[int, int] | None:
    """'C3' → (row 3, column 3), 1-based; None when it is not a cell reference."""
    match = _CELL_REF.match(ref.strip())
    if not match:
        return None
    col = 0
    for ch in match.group(1).upper():
        col = col * 26 + ord(ch) - 64
    return int(match.group(2)), col


def _area(ref: str) -> int:
    first, _, last = ref.partition(":")
    a, b = _cell(first), _cell(last or first)
    if a is None or b is None:
        return 0
    return (abs(b[0] - a[0]) + 1) * (abs(b[1] - a[1]) + 1)


def _local(name: str) -> str:
    return name.rsplit(":", 1)[-1]


class _Part:
    """Streams one XML part through expat, holding only counters; refuses at the first limit crossed."""

    def __init__(self, guard: "_Guard", part: str, label: str) -> None:
        self.guard, self.part, self.label = guard, part, label
        self.rows = self.max_row = self.max_col = 0
        self.cell = ""  # the reference of the cell being read
        self.cell_type = ""
        self.length = 0  # characters of the current cell or shared string
        self.value = ""  # the first characters of a <v> (a shared-string index)
        self.in_value = False
        self.strings = -1  # index of the current <si>
        parser = expat.ParserCreate()
        parser.StartElementHandler = self.start
        parser.EndElementHandler = self.end
        parser.CharacterDataHandler = self.text
        parser.StartDoctypeDeclHandler = self.doctype
        parser.EntityDeclHandler = self.doctype
        self.parser = parser

    def where(self, cell: str | None = None) -> str:
        cell = self.cell if cell is None else cell
        return f"{self.label}!{cell}" if cell else self.label

    def doctype(self, *args: object) -> None:
        raise self.guard.damaged(self.part, "含有 DTD 声明，xlsx 的 XML 不应有", "holds a DTD declaration, which xlsx XML never has")

    def start(self, name: str, attrs: dict) -> None:
        tag = _local(name)
        limits = self.guard.limits
        if tag == "c":
            self.cell, self.cell_type, self.length = attrs.get("r", ""), attrs.get("t", "n"), 0
            at = _cell(self.cell) if self.cell else None
            if at is not None:
                if at[0] > limits.rows:
                    raise self.guard.refuse(self.where(), "rows", f"{at[0]:,}", limits.rows)
                if at[1] > limits.columns:
                    raise self.guard.refuse(self.where(), "columns", f"{at[1]:,}", limits.columns)
        elif tag == "v":
            self.in_value, self.value = True, ""
        elif tag == "row":
            self.rows += 1
            number = attrs.get("r", "")
            self.max_row = max(self.max_row, self.rows, int(number) if number.isdigit() and len(number) < 10 else 0)
            if self.max_row > limits.rows:
                raise self.guard.refuse(self.label, "rows", f"{self.max_row:,}", limits.rows)
        elif tag == "si":
            self.strings += 1
            self.length = 0
        elif tag == "mergeCell":
            ref = attrs.get("ref", "")
            self.guard.merged += _area(ref)
            if self.guard.merged > limits.merged_cells:
                raise self.guard.refuse(f"{self.label}!{ref}", "merged_cells", f"{self.guard.merged:,}", limits.merged_cells)

    def text(self, data: str) -> None:
        self.length += len(data)
        if self.in_value and len(self.value) < 24:
            self.value += data[:24]
        limit = self.guard.limits.cell_chars
        if self.length > limit and self.strings < 0:
            raise self.guard.refuse(self.where(), "cell_chars", f"> {limit:,}", limit)

    def end(self, name: str) -> None:
        tag = _local(name)
        if tag == "v":
            self.in_value = False
            if self.cell_type == "s":
                index = self.value.strip()
                if index.isdigit() and len(index) < 12 and int(index) in self.guard.long_strings:
                    limit = self.guard.limits.cell_chars
                    raise self.guard.refuse(self.where(), "cell_chars", f"{self.guard.long_strings[int(index)]:,}", limit)
            elif self.cell_type in ("n", "") and self.length > MAX_DIGITS:
                raise self.guard.too_many_digits(self.where())
        elif tag == "si" and self.length > self.guard.limits.cell_chars:
            self.guard.long_strings[self.strings] = self.length
        elif tag == "c":
            self.cell = ""

    def run(self, archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
        try:
            with archive.open(info) as stream:
                while True:
                    chunk = stream.read(_CHUNK)
                    if not chunk:
                        break
                    self.parser.Parse(chunk, False)
                self.parser.Parse(b"", True)
        except expat.ExpatError as exc:
            message = expat.ErrorString(exc.code)
            raise self.guard.damaged(self.part, f"第 {exc.lineno} 行第 {exc.offset + 1} 列不是有效的 XML（{message}）", f"invalid XML at line {exc.lineno}, column {exc.offset + 1} ({message})") from None
        except (zlib.error, zipfile.BadZipFile, EOFError) as exc:
            raise self.guard.damaged(self.part, f"压缩数据损坏（{exc}）", f"corrupt compressed data ({exc})") from None
        except (RuntimeError, NotImplementedError) as exc:  # encrypted, or a compression zipfile cannot read
            raise self.guard.damaged(self.part, f"无法解压（{exc}）", f"cannot be decompressed ({exc})") from None


class _Guard:
    def __init__(self, path: Path, limits: ImportLimits) -> None:
        self.path, self.limits = path, limits
        self.merged = 0
        self.long_strings: dict[int, int] = {}  # shared-string index → its length, for those over the cell limit

    def refuse(self, where: str, key: str, found: str, limit: int) -> UsageError:
        return _refuse(self.path, where, key, found, limit)

    def damaged(self, part: str, zh: str, en: str) -> UsageError:
        return _damaged(self.path, part, zh, en)

    def too_many_digits(self, where: str) -> UsageError:
        return too_many_digits(self.path, where)


def too_many_digits(path: Path, where: str) -> UsageError:
    return UsageError(
        Text(
            f"{_at(path, where)}：数字超过 {MAX_DIGITS} 位，不是清单中的数值，未导入",
            f"{_at(path, where)}: a number of more than {MAX_DIGITS} digits is not a value a list holds; nothing imported",
        )
    )


def _sheet_labels(archive: zipfile.ZipFile) -> dict[str, str]:
    """Worksheet part → its sheet name, from xl/workbook.xml and its relationships (best effort: small parts)."""
    names: dict[str, str] = {}
    targets: dict[str, str] = {}

    def collect(part: str, tag: str, into: dict, key: str, value: str) -> None:
        try:
            info = archive.getinfo(part)
        except KeyError:
            return
        if info.file_size > 8 * 1024 * 1024:
            return
        parser = expat.ParserCreate()

        def start(name: str, attrs: dict) -> None:
            if _local(name) == tag:
                k = next((v for a, v in attrs.items() if _local(a) == key), None)
                if k is not None and value in attrs:
                    into[k] = attrs[value]

        parser.StartElementHandler = start
        try:
            parser.Parse(archive.read(info), True)
        except Exception:  # a damaged part is reported when it is streamed; here only the labels are missing
            return

    collect("xl/workbook.xml", "sheet", names, "id", "name")
    collect("xl/_rels/workbook.xml.rels", "Relationship", targets, "Id", "Target")
    labels = {}
    for rel_id, sheet_name in names.items():
        target = targets.get(rel_id)
        if target:
            part = target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl") / target)
            labels[os.path.normpath(part).replace(os.sep, "/")] = sheet_name
    return labels


def check_xlsx(path: Path, limits: ImportLimits) -> None:
    """Refuse a workbook that is too large, too compressed, damaged, or holds more than `limits` allow."""
    try:
        size = os.stat(path).st_size
    except OSError as exc:
        raise UsageError(Text(f"无法读取 {path}：{exc.strerror}", f"cannot read {path}: {exc.strerror}")) from None
    if size > limits.bytes:
        raise _refuse(path, "", "bytes", f"{size:,}", limits.bytes)
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise not_a_workbook(path) from None
    guard = _Guard(path, limits)
    with archive:
        infos = archive.infolist()
        for info in infos:  # a damaged directory can place a part before the file's start: reading it fails in seek()
            if info.header_offset < 0:
                raise guard.damaged(info.filename, "在文件中的位置无效（目录已损坏）", "placed outside the file (damaged directory)")
        total = sum(i.file_size for i in infos)
        if total > limits.bytes:
            raise _refuse(path, "", "bytes", f"{total:,}", limits.bytes)
        for info in infos:
            if info.file_size > _RATIO_FLOOR and info.file_size > limits.ratio * max(info.compress_size, 1):
                ratio = info.file_size // max(info.compress_size, 1)
                raise _refuse(path, info.filename, "ratio", f"{ratio:,}", limits.ratio)
        labels = _sheet_labels(archive)
        xml = [i for i in infos if i.filename.endswith((".xml", ".rels", ".vml")) and not i.is_dir()]
        xml.sort(key=lambda i: "sharedStrings" not in i.filename)  # long shared strings are known before the cells
        for info in xml:
            _Part(guard, info.filename, labels.get(info.filename, info.filename)).run(archive, info)


# --- any sheet, once read ------------------------------------------------------------------------------------------

_LONG_DIGITS = re.compile(r"\d{%d}" % (MAX_DIGITS + 1))


def check_rows(path: Path, sheet: str, rows: list[list[object]], limits: ImportLimits, cell_ref) -> None:
    """Refuse a sheet with more rows, or a cell with more characters or digits, than a list holds.

    `cell_ref(row, column)`: the reference of a 0-based cell, as the importer names it (清单!C17)."""
    if len(rows) > limits.rows:
        raise _refuse(path, sheet, "rows", f"{len(rows):,}", limits.rows)
    for r, row in enumerate(rows):
        if len(row) > limits.columns:
            raise _refuse(path, cell_ref(r, limits.columns), "columns", f"{len(row):,}", limits.columns)
        for c, value in enumerate(row):
            if isinstance(value, str):
                if len(value) > limits.cell_chars:
                    raise _refuse(path, cell_ref(r, c), "cell_chars", f"{len(value):,}", limits.cell_chars)
                if len(value) > MAX_DIGITS and _LONG_DIGITS.search(value):
                    raise too_many_digits(path, cell_ref(r, c))
            elif isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 13_000:
                raise too_many_digits(path, cell_ref(r, c))
