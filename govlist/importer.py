"""Read a published spreadsheet (.xlsx or .csv) into a catalog, and write that catalog as YAML for people.

The core of `govlist import`: it never prints. `import_table` returns the catalog and the problems found; every
row that cannot be read becomes a problem with its sheet and cell reference (e.g. 清单!C17), never silently lost.
Usage problems (missing file, not a spreadsheet, an empty sheet, no header row) raise UsageError.

Longer than 500 lines because reading real tables is one procedure (header, merged cells, category rows, sub-item
rows, extra columns) whose steps share the row state; what can stand alone is in sheets.py (the file as rows),
headers.py (finding the header row), tables.py (the columns of each kind) and cells.py (a cell as a field value).
"""

from __future__ import annotations

import json
import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .model import Text, did_you_mean
from .sheetguard import ImportLimits
from .sheets import Sheet, column_letter, read_sheet
from .cells import CellError, cell_text, from_cell, get_path, set_path, to_cell
from .tables import BODY_KEYS, CATEGORY_KEYS, COLUMNS, HEADER_KEYS, STRING_META, SUBITEM_FIELDS, field_names, header_variants, item_order, looks_like_heading, nested_order, nfkc, parse_category, parse_totals, without_totals
from .paragraphs import Paragraphs, read_paragraphs
from .result import UsageError

_HEADER_SCAN = 30
_NOTE_ROW = re.compile(r"^\s*(注|备注|说明|附注|附件|填表说明|资料来源|来源)\s*[0-9０-９]*\s*[：:、.．]|^\s*(合计|总计|小计)")


@dataclass
class ImportProblem:
    """One row or cell that could not be read as it stands: severity (error|warning|info), cell reference, message."""

    severity: str
    ref: str
    message: Text
    topic: str = ""  # "mapping": how the table was understood (the kind guessed, what each column became)


def _usage(zh: str, en: str) -> UsageError:
    return UsageError(Text(zh, en))


# --- parsing the table ------------------------------------------------------------------------------------------


def _meta_value(key: str, value: object) -> object:
    if key in STRING_META:
        return cell_text(value) if not isinstance(value, str) else value
    if isinstance(value, (int, float, bool)):
        return value
    try:
        return json.loads(str(value))
    except ValueError:
        return value


def parse_mapping(pairs: list[str], kind: str) -> dict[str, str]:
    """--map 列名=field (repeatable) → {normalised header: field}."""
    fields = field_names(kind)
    mapping: dict[str, str] = {}
    for pair in pairs:
        header, sep, target = pair.partition("=")
        header, target = header.strip(), target.strip()
        if not sep or not header or not target:
            raise _usage(f"--map 应写成 列名=字段，如 --map 工作名称=name（收到“{pair}”）", f"--map takes COLUMN=field, e.g. --map 工作名称=name (got '{pair}')")
        if target not in fields and target != "ignore":
            close = did_you_mean(target, [*fields, "ignore"])
            raise _usage(
                f"--map {pair}：清单类型 {kind} 没有字段“{target}”{close.zh}；可用：{'、'.join(fields)}，或 ignore",
                f"--map {pair}: a {kind} list has no field '{target}'{close.en}; fields: {', '.join(fields)}, or ignore",
            )
        mapping[header_variants(header)[0]] = target
    return mapping


def _ordered(item: dict, order: list[str], kind: str) -> dict:
    out = {k: item[k] for k in order if k in item}
    out.update({k: v for k, v in item.items() if k not in out})
    for key, value in list(out.items()):
        if isinstance(value, dict) and nested_order(kind, key):
            sub = nested_order(kind, key)
            out[key] = {k: value[k] for k in sub if k in value} | {k: v for k, v in value.items() if k not in sub}
    return out


_LABEL_ROW = re.compile(r"^(?:附件|附表|附|表)\s*[0-9一二三四五六七八九十]*\s*[：:.．、]?$")
_NOTE_TAIL = re.compile(r"说明\s*[：:]?$")
_HEADING_ABOVE = re.compile(r"^\s*[一二三四五六七八九十]{1,3}\s*[、.．]")  # 一、区发展和改革委员会
_SECTION = re.compile(r"^\s*(?:[（(][一二三四五六七八九十]+[)）]|[一二三四五六七八九十]+、)\s*")
_SENTENCE_END = re.compile(r"[。；;]\s*$")
_FILE_LABEL = re.compile(r"^(?:附件|附表)\s*[0-9一二三四五六七八九十]*\s*[：:.．、_\-－—\s]\s*")  # 附件1：, 附件2-
_QUOTED_LIST = re.compile(r"《([^《》]*(?:清单|清單|目录|目錄|名录|名錄)[^《》]*)》")
SETTABLE = ("id", "title", "issuer", "doc_number", "effective", "version", "level", "unit", "source", "note")


def _beside_first(row: list[object]) -> list[tuple[int, str]]:
    """The cells of a row above the header after its first one, each text once and not the first's (a merged title
    filled into every cell is one cell): (column, text)."""
    seen: set[str] = set()
    out = []
    for c, cell in enumerate(row):
        text = cell_text(cell)
        if text and text not in seen:
            if seen:
                out.append((c, text))
            seen.add(text)
    return out


def _single_text(row: list[object]) -> str | None:
    texts = {cell_text(c) for c in row if cell_text(c)}
    return next(iter(texts)) if len(texts) == 1 else None


def _label_rows(rows: list[list[object]], skip: set[int]) -> set[int]:
    """附件1 / 附件2： / 表3 rows above the title: labels of the attachment, never its title."""
    found = set()
    for index, row in enumerate(rows[:_HEADER_SCAN]):
        text = _single_text(row)
        if index not in skip and text is not None and _LABEL_ROW.match(nfkc(text).strip()):
            found.add(index)
    return found


def clean_title(text: str) -> str:
    """The list's own name in a title row: 《X清单》 inside a sentence, without the section number (（二）…)."""
    text = re.sub(r"\s*\n\s*", "", text)  # a title wrapped in its cell is one title
    quoted = _QUOTED_LIST.findall(text)
    if quoted:
        return quoted[-1]
    return _SECTION.sub("", text).strip()


def says_more_than_title(text: str) -> bool:
    """Whether a title row holds more than the title taken from it (clean_title), and more than a section number
    and spaces: a notice's sentence around the list's name (《意见》明确了第一批《……清单》,以下20种证明材料……)."""
    flat = re.sub(r"\s+", "", _SECTION.sub("", text))
    title = re.sub(r"\s+", "", clean_title(text))
    return flat not in (title, f"《{title}》")


def parse_settings(pairs: list[str], header_file: Path | None = None) -> dict[str, str]:
    """--set key=value (repeatable) and --header FILE.yaml → header fields of the catalog."""
    settings: dict[str, str] = {}
    if header_file is not None:
        try:
            loaded = yaml.safe_load(header_file.read_text(encoding="utf-8"))
        except OSError as exc:
            raise _usage(f"无法读取 {header_file}：{exc.strerror}", f"cannot read {header_file}: {exc.strerror}") from None
        except yaml.YAMLError:
            raise _usage(f"{header_file} 不是有效的 YAML", f"{header_file} is not valid YAML") from None
        if not isinstance(loaded, dict):
            raise _usage(f"{header_file} 应是“字段: 值”的映射", f"{header_file} should be a mapping of field: value")
        for key, value in loaded.items():
            settings[str(key)] = cell_text(value)
    for pair in pairs:
        key, sep, value = pair.partition("=")
        key = key.strip()
        if not sep or not key:
            raise _usage(f"--set 应写成 字段=值，如 --set issuer=某区人民政府（收到“{pair}”）", f"--set takes field=value, e.g. --set issuer=… (got '{pair}')")
        settings[key] = value.strip()
    for key in settings:
        if key not in SETTABLE:
            raise _usage(f"--set {key}：不能设置的字段；可用：{'、'.join(SETTABLE)}", f"--set {key}: not a header field; fields: {', '.join(SETTABLE)}")
    if "effective" in settings:
        settings["effective"] = cell_text(from_cell("date", settings["effective"])) if settings["effective"] else ""
    return {k: v for k, v in settings.items() if v != ""}


def _certificate_type(titles: list[str]) -> str | None:
    """A 不应出具 list's items are certificates that may not be issued; a list of what may be issued, the others.

    The titles are read as negation.py reads a text: 出具 (or 开具, or 证明 when neither is written) negated in its
    own clause (不应由基层群众性自治组织出具, 取消……证明) makes the list one of what may not be issued. A 负面清单
    is by its name a list of what may not be done."""
    from .headers import header_key
    from .negation import mentioned

    key = "\n".join(header_key(t) for t in titles)
    if "证明" not in key:
        return None
    issued = [word for word in ("出具", "开具") if word in key]
    if "负面清单" in key or not mentioned(key, issued or ["证明"]):
        return "不应出具证明"
    return "可出具证明" if issued else None


def import_table(
    path: Path, kind: str | None, sheet: str | None = None, mapping_pairs: list[str] | None = None, list_id: str | None = None, limits: ImportLimits | None = None, settings: dict[str, str] | None = None, report: list[ImportProblem] | None = None
) -> tuple[dict, list[ImportProblem]]:
    """Read one sheet of `path` into a catalog of `kind` (guessed from title and header when None).

    Returns (catalog, problems). How the table was understood (the kind guessed, `列 D“权力依据” → basis` for every
    column) goes to `report` when one is given, so that the clerk sees what was read."""
    catalog, problems = _import_table(path, kind, sheet, mapping_pairs, list_id, limits, settings)
    if "title" not in catalog:  # no title row and none recorded or set: the file's name as the clerk sees it
        title = title_from_file(path)
        catalog = {k: v for k, v in catalog.items() if k in ("govlist", "kind", "id")} | {"title": title} | catalog
        problems.append(
            ImportProblem(
                "info",
                path.name,
                Text(
                    f"表中没有标题行，标题取自文件名：“{title}”，网页、PDF 和 Word 会以它为题；如不是清单名称，请用 --set title=… 写明",
                    f"the table has no title row: its title is taken from the file name, '{title}', which the pages, PDF and Word files would print; if that is not the list's name, give it with --set title=…",
                ),
                "mapping",  # how the table was understood: shown with the columns read
            )
        )
    if report is not None:
        report.extend(p for p in problems if p.topic == "mapping")
    return catalog, [p for p in problems if p.topic != "mapping"]


def _import_table(path: Path, kind: str | None, sheet: str | None, mapping_pairs: list[str] | None, list_id: str | None, limits: ImportLimits | None, settings: dict[str, str] | None) -> tuple[dict, list[ImportProblem]]:
    from .headers import find_header, guess_kind, header_key, settle_by_content

    data = read_sheet(path, sheet, limits)
    meta: dict[str, Any] = {k: _meta_value(k, v) for k, v in data.meta}  # recorded values: any YAML
    problems: list[ImportProblem] = []
    if not any(any(cell_text(c) for c in row) for i, row in enumerate(data.rows) if i not in data.meta_rows):
        raise _usage(f"工作表“{data.name}”是空的", f"sheet '{data.name}' is empty")
    sheet_name = data.name
    rows = data.rows

    def ref(row: int, col: int) -> str:
        return f"{sheet_name}!{column_letter(col)}{row + 1}"

    labels_above = _label_rows(rows, data.meta_rows)
    skip = set(data.meta_rows) | labels_above
    for index in sorted(labels_above):
        problems.append(ImportProblem("info", ref(index, 0), Text(f"标签行已跳过：{_single_text(rows[index])}", f"label row skipped: {_single_text(rows[index])}")))
    # the rows a title can be: a row of one text that is not a paragraph of the text (a sentence, or longer than
    # any title: 市场准入负面清单 in a task's text says nothing of the list's kind)
    leading = [t for i, row in enumerate(rows[:_HEADER_SCAN]) if i not in skip and (t := _single_text(row)) and not _SENTENCE_END.search(t) and len(t) <= 100]

    if kind is None and isinstance(meta.get("kind"), str):
        kind = meta["kind"]
    elif kind is None:
        kind, reason = guess_kind(rows, leading[:3], skip, tuple(k for k in COLUMNS if k != "registry") + ("registry",))
        if kind is None and _reads_as_paragraphs(data, skip):  # numbered tasks with their lead units: a duty list
            kind, reason = "duty", "paragraphs"
        if kind is None and (kind := _enumeration_kind(data, skip)):  # a list run into a sentence: its words
            reason = "enumeration"
        if kind is None:
            raise _usage("无法从标题和表头判断清单类型，请用 --kind 指明（" + "、".join(COLUMNS) + "）", "cannot tell the list kind from the title and header; name it with --kind (" + ", ".join(COLUMNS) + ")")
        why = {
            "title": Text("标题", "title"),
            "paragraphs": Text("编号段落及其牵头、配合单位", "numbered paragraphs and their lead and assisting units"),
            "enumeration": Text("列举各项的那句话及其上下文", "the sentence listing the entries and the text around it"),
        }.get(reason, Text("表头", "header"))
        from .schema import KIND_NAMES

        problems.append(ImportProblem("info", sheet_name, Text(f"按{why.zh}判断为{KIND_NAMES[kind].zh}（{kind}）；可用 --kind 指定", f"read as a {KIND_NAMES[kind].en} ({kind}) from its {why.en}; --kind overrides"), "mapping"))
    if kind not in COLUMNS:
        close = did_you_mean(kind, COLUMNS)
        raise _usage(f"未知的清单类型“{kind}”{close.zh}，应为：{'、'.join(COLUMNS)}", f"unknown kind '{kind}'{close.en}; expected one of: {', '.join(COLUMNS)}")
    if meta.get("kind") not in (None, kind):
        problems.append(ImportProblem("warning", f"{data.name}", Text(f"表格记录的清单类型是 {meta['kind']}，按 --kind {kind} 导入", f"the table records kind {meta['kind']}; importing as --kind {kind}")))
    mapping = {header_key(k): v for k, v in parse_mapping(mapping_pairs or [], kind).items()}
    codecs = {col.field: col for col in COLUMNS[kind]}
    header = find_header(rows, kind, skip, _HEADER_SCAN, mapping)

    if header is None:
        return _bare_list(data, kind, meta, skip, problems, ref, list_id or _default_id(path), settings)

    fields = dict(header.fields)
    # a header that names different things in different kinds is settled by its cells
    for c, f in list(fields.items()):
        settled = settle_by_content(kind, header.labels[c], [cell_text(r[c]) for r in rows[header.last + 1 :] if c < len(r)], f)
        if settled != f and settled not in fields.values():
            fields[c] = settled
    ignored = {c for c, f in fields.items() if f == "ignore"}
    extra_cols: dict[int, str] = {}  # column → its key under `extra`: the header text, with the column when repeated
    for c, label in header.extra.items():
        key = re.sub(r"\s+", "", label)
        extra_cols[c] = f"{key}（{column_letter(c)}列）" if key in extra_cols.values() else key
    for c in sorted(set(fields) | set(header.extra)):
        label = re.sub(r"\s+", "", header.labels.get(c, ""))
        if c in ignored:
            target = Text("忽略（--map）", "ignored (--map)")
        elif c in fields:
            col = codecs.get(fields[c])
            target = Text(f"{fields[c]}（{col.header}）" if col else fields[c], fields[c])
        else:
            target = Text(f"extra（其他列，按原表头“{extra_cols[c]}”保存）", f"extra (kept under its header '{extra_cols[c]}')")
        problems.append(ImportProblem("info", ref(header.first, c), Text(f"列 {column_letter(c)}“{label}” → {target.zh}", f"column {column_letter(c)} '{label}' → {target.en}"), "mapping"))
    by_field = {f: c for c, f in fields.items() if f != "ignore"}

    # title rows above the header: the title and the declared totals
    titles = [cell_text(next((c for c in row if cell_text(c)), "")) for i, row in enumerate(rows[: header.first]) if i not in skip]
    titles = [t for t in titles if t]
    # the other cells of those rows (填报单位：… | 填报日期：…, 单位：项 beside the title): kept in the note
    beside = [(ref(i, c), text) for i, row in enumerate(rows[: header.first]) if i not in skip for c, text in _beside_first(row)]
    # a numbered heading right above the header, under the title, is the first category (a 目录 by department
    # prints 一、区发展和改革委员会 above its first header and repeats the header under each department)
    first_heading = titles.pop() if len(titles) >= 2 and _HEADING_ABOVE.match(nfkc(titles[-1])) else None
    totals: dict = {}
    for text in titles + [text for _, text in beside]:  # 共13类89项 in the title's cell or in one beside it
        totals = totals or parse_totals(text)

    categories: list[dict] = []
    cat_by_name: dict[str, dict] = {}
    if not isinstance(meta.get("categories") or [], list):
        problems.append(ImportProblem("warning", data.name, Text("表格记录的 categories 不是列表，已忽略", "the recorded categories are not a list; ignored")))
        meta.pop("categories")
    for cat in meta.get("categories") or []:
        if isinstance(cat, dict) and isinstance(cat.get("name"), str):
            entry = {k: cat[k] for k in CATEGORY_KEYS if k in cat and k != "items"} | {"items": []}
            categories.append(entry)
            cat_by_name[entry["name"]] = entry
    plain: list[dict] = []
    current: dict | None = None
    last_item: dict | None = None
    last_cells: dict[int, str] | None = None  # the cells of the row that made last_item, for rows that continue it
    name_col = by_field["name"]
    cat_col = by_field.get("category")
    sub_col = by_field.get("subitem")
    known_cols = set(by_field.values()) | set(extra_cols) | ignored
    identity = {by_field[f] for f in ("seq", "code", "name", "category", "subitem", "rownum") if f in by_field}
    # 主项编码 is the main item's code even on a row that also names a 子项; a 子项名称及编码 column gives the sub-item's
    sub_fields = tuple(f for f in SUBITEM_FIELDS if f != "code" or not header_key(header.labels.get(by_field.get("code", -1), "")).startswith("主项"))
    sub_coded = sub_col is not None and re.search(r"编码|代码", header_key(header.labels.get(sub_col, ""))) is not None
    header_keys = {header_key(v) for v in header.labels.values()} | {header_key(cell_text(v)) for r in rows[header.first : header.last + 1] for v in r if cell_text(v)}

    def category(name: str, declared: int | None) -> dict:
        entry = cat_by_name.get(name)
        if entry is None:
            entry = {"name": name, "items": []}
            if declared is not None:
                entry["declared"] = declared
            categories.append(entry)
            cat_by_name[name] = entry
        elif declared is not None and "declared" not in entry:
            entry["declared"] = declared
        return entry

    notes: list[tuple[str, str]] = []  # the note rows (注：…, 合计…): (cell, text), kept in the list's note
    # heading rows (一、基本履职事项（共117项）), each with the category it opened: a heading whose category gets no
    # item (the category column names every row's own category) is a group above the categories, kept in the note
    headings: list[tuple[tuple[str, str], dict]] = []
    if first_heading:
        current = category(*parse_category(first_heading, strip_prefix=True))
        at = max(i for i, row in enumerate(rows[: header.first]) if i not in skip and cell_text(next((c for c in row if cell_text(c)), "")) == first_heading)
        headings.append(((ref(at, 0), first_heading), current))
    # a heading that names a duty track (二、配合履职事项（共99项）) gives it to the items below, up to the next such heading
    track = _named_track(first_heading) if first_heading and kind == "duty" else None

    from .headers import match

    for r in range(header.last + 1, len(rows)):
        if r in skip:
            continue
        row = rows[r]
        cells = {c: row[c] for c in range(len(row)) if cell_text(row[c])}
        if not cells:
            continue
        if {header_key(cell_text(v)) for v in cells.values()} <= header_keys:
            continue  # the header repeated (a table printed over several pages)
        distinct = {cell_text(v) for v in cells.values()}
        first_col = min(cells)
        if last_item is not None and last_cells is not None and not (len(distinct) == 1 and _is_note(next(iter(distinct)))):
            joined = _continuation(cells, last_cells, identity, min(header.labels, default=0), known_cols)
            if joined is not None:
                _continue_item(last_item, joined, by_field, extra_cols, codecs, problems, lambda c: ref(r, c))
                continue
        if len(distinct) == 1:
            text = next(iter(distinct))
            flat = nfkc(text)

            if _is_note(text):
                notes.append((ref(r, first_col), text))
                continue
            only_in = set(cells)
            is_numeric = re.fullmatch(r"\s*\d+\s*[.、]?\s*", flat) is not None
            sub_alone = only_in == {sub_col} and last_item is not None  # a 子项 with no other cell: a sub-item, not a heading
            if not is_numeric and not sub_alone and (looks_like_heading(text) or len(only_in) > 1 or (name_col not in only_in and only_in != {cat_col})):
                cat_name, declared = parse_category(text, strip_prefix=True)
                if cat_name:
                    current = category(cat_name, declared)
                    headings.append(((ref(r, first_col), text), current))
                    named = _named_track(text) if kind == "duty" else None
                    if named is not None:
                        track = named
                        problems.append(ImportProblem("info", ref(r, first_col), Text(f"其下事项的履职类型为“{track}”（取自分组标题）", f"the items below have track '{track}' (from the heading)"), "mapping"))
                    last_item = None
                    continue
        outside = sorted(c for c in cells if c not in known_cols)
        if outside:
            spare = [ref(r, c).split("!")[-1] for c in outside]
            problems.append(
                ImportProblem(
                    "error",
                    ref(r, outside[0]),
                    Text(
                        f"此行有 {len(cells)} 个非空单元格，其中 {'、'.join(spare)} 不在任何表头列下（表头共 {header.width} 列），此行未导入",
                        f"this row has cells outside every header column ({', '.join(spare)}; the header has {header.width} columns); row not imported",
                    ),
                )
            )
            continue
        texts = [cell_text(v) for v in cells.values()]
        if r == header.last + 1 and not any(re.search(r"\d", nfkc(t)) for t in texts) and sum(1 for t in texts if match(t, kind)) >= 2:
            problems.append(
                ImportProblem(
                    "error",
                    ref(r, first_col),
                    Text(
                        "此行像是第二行表头，但各单元格不在其上级表头之下（复制网页表格时合并单元格丢失），此行未导入；请按原表对齐后再导入",
                        "this row looks like a second header row whose cells are not under their parent headers (merged cells lost when the page was copied); row not imported: align it with the table and import again",
                    ),
                )
            )
            continue

        def value(fieldname: str) -> object:
            c = by_field.get(fieldname)
            if c is None or c >= len(row):
                return None
            col = codecs[fieldname]
            try:
                return from_cell(col.codec, row[c])
            except CellError as exc:
                problems.append(ImportProblem("error", ref(r, c), exc.message))
                return None

        if cat_col is not None:
            cat_text = cell_text(row[cat_col]) if cat_col < len(row) else ""
            if cat_text:
                cat_name, declared = parse_category(cat_text, strip_prefix=False)
                current = category(cat_name, declared)
        name = value("name")
        sub_name = value("subitem") if sub_col is not None else None
        if sub_name is not None and last_item is not None and (name is None or name == last_item.get("name")):
            sub: dict = {}
            for key in sub_fields:
                v = sub_name if key == "name" else (value(key) if key in by_field else None)
                if v is not None:
                    sub[key] = v
            sub = _code_in_name(sub, sub_coded)
            own = _sub_row_extra(row, by_field, extra_cols, header.labels, last_item, codecs, sub_fields)
            if own:
                sub["extra"] = own
            last_item.setdefault("subitems", []).append(sub)
            last_cells = None  # a row below a 子项 row is not read as continuing the main item
            continue
        if name is None:
            held = [ref(r, c).split("!")[-1] for c in sorted(cells)]
            problems.append(ImportProblem("error", ref(r, name_col), Text(f"缺少事项名称，此行未导入（其中有内容的单元格：{'、'.join(held)}）", f"missing item name; row not imported (its cells with text: {', '.join(held)})")))
            continue
        item: dict = {}
        for col in COLUMNS[kind]:
            if col.field in ("category", "subitem", "rownum") or col.field not in by_field:
                continue
            if sub_name is not None and col.field in sub_fields and col.field != "name":
                continue  # a 子项 row without a main row: these cells belong to the sub-item
            v = name if col.field == "name" else value(col.field)
            if v is not None:
                set_path(item, col.field, v)
        extra = {label: cell_text(row[c]) for c, label in extra_cols.items() if c < len(row) and cell_text(row[c])}
        if extra:
            item["extra"] = extra
        if sub_name is not None:
            sub = {"name": sub_name}
            for key in sub_fields:
                if key != "name" and key in by_field:
                    v = value(key)
                    if v is not None:
                        sub[key] = v
            item["subitems"] = [_code_in_name(sub, sub_coded)]
        if track is not None:
            item.setdefault("track", track)
        if current is not None:
            current["items"].append(item)
        elif categories:
            current = category("未分类", None)
            problems.append(ImportProblem("warning", ref(r, name_col), Text("此行之前没有类别，已放入“未分类”", "no category before this row; put under 未分类")))
            current["items"].append(item)
        else:
            plain.append(item)
        last_item = item
        last_cells = {c: cell_text(v) for c, v in cells.items()}

    _track_from_titles(kind, titles, categories, plain, problems, sheet_name)
    order = item_order(kind)
    for cat in categories:
        cat["items"] = [_ordered(i, order, kind) for i in cat["items"]]
    plain = [_ordered(i, order, kind) for i in plain]
    for i in plain + [i for cat in categories for i in cat["items"]]:
        if "subitems" in i:  # a sub-item's fields in format order, and its own cells (extra) after them
            i["subitems"] = [{k: s[k] for k in (*SUBITEM_FIELDS, "extra") if k in s} for s in i["subitems"]]
    notes = _heading_notes(notes, headings)
    empty = [c for c in categories if not c["items"] and not any(c is entry for _, entry in headings)]
    for cat in empty:
        problems.append(ImportProblem("info", sheet_name, Text(f"类别“{cat['name']}”在表中没有事项，已省略", f"category '{cat['name']}' has no rows in the table; left out")))
    categories = [c for c in categories if c["items"]]
    if plain and categories:
        categories.insert(0, {"name": "未分类", "items": plain})
        plain = []
    _type_certificates(kind, titles, categories, plain, "type" in by_field)
    notes = beside + notes
    catalog = build_catalog(kind, meta, titles, totals, categories, plain, list_id or _default_id(path), settings, [text for _, text in notes])
    kept = [t for t in titles if without_totals(t)][1:]
    while kept and _BRACKETED.fullmatch(nfkc(kept[0]).strip()):
        kept = kept[1:]
    _report_notes(catalog, notes, problems, frozenset(where for where, _ in beside))
    _report_title(catalog, titles, problems, sheet_name)
    if kept and str(catalog.get("note", "")).startswith("\n".join(kept)):
        shown = "；".join(kept)[:60]
        problems.append(ImportProblem("info", sheet_name, Text(f"标题与表头之间的 {len(kept)} 行保存为 note：{shown}", f"{len(kept)} line(s) between the title and the header kept as note: {shown}"), "mapping"))
    return catalog, problems


_TRAILING_CODE = re.compile(r"^(.*\S)\s+([0-9A-Z]{6,})$")


def _code_in_name(sub: dict, coded: bool) -> dict:
    """A 子项名称及编码 cell gives the name and then the code (…的许可 360118019001): the code is the sub-item's."""
    found = _TRAILING_CODE.match(sub["name"]) if coded and isinstance(sub.get("name"), str) and "code" not in sub else None
    if found is None:
        return sub
    return {"code": found.group(2), "name": found.group(1)} | {k: v for k, v in sub.items() if k not in ("code", "name")}


def _heading_notes(notes: list[tuple[str, str]], headings: list[tuple[tuple[str, str], dict]]) -> list[tuple[str, str]]:
    """The note rows and, in table order, the heading rows whose category got no item: a heading over rows that the
    category column puts in categories of their own (一、基本履职事项 over 党的建设, 经济发展) groups those categories
    and is kept whole in the note; a heading whose category has items is that category (its name and count kept)."""
    unplaced = [cell for cell, entry in headings if not entry["items"]]
    return sorted(notes + unplaced, key=lambda note: _row_of(note[0]))


def _row_of(where: str) -> int:
    """The row number of a cell reference (清单!A17 → 17)."""
    found = re.search(r"(\d+)$", where)
    return int(found.group(1)) if found else 0


def _report_title(catalog: dict, titles: list[str], problems: list[ImportProblem], where: str) -> None:
    """Say that a title row that is a sentence around the list's name was kept whole in the note (build_catalog)."""
    first = next((t for t in titles if without_totals(t)), None)
    if first is not None and says_more_than_title(first) and first in str(catalog.get("note", "")):
        problems.append(ImportProblem("info", where, Text(f"标题取“{catalog['title']}”，标题行整句保存为 note", f"title '{catalog['title']}' taken from its row; the whole row kept as note"), "mapping"))


def _report_notes(catalog: dict, notes: list[tuple[str, str]], problems: list[ImportProblem], above: frozenset[str] = frozenset()) -> None:
    """Say where each note row (and each heading row or cell above the header (`above`) kept with them) went: into
    the list's `note` (build_catalog), or, where the note was given otherwise, nowhere (then the message holds the
    whole row)."""
    kept = str(catalog.get("note", ""))
    for where, text in notes:
        row = Text("说明行", "note row") if _is_note(text) else Text("表头上方的单元格", "cell above the header") if where in above else Text("分组标题行", "heading row")
        if text in kept:
            problems.append(ImportProblem("info", where, Text(f"{row.zh}保存为 note：{text[:40]}", f"{row.en} kept as note: {text[:40]}")))
        else:
            problems.append(ImportProblem("info", where, Text(f"{row.zh}已跳过（已另给 note）：{text}", f"{row.en} skipped (a note was given otherwise): {text}")))


def _is_note(text: str) -> bool:
    from .headers import header_key

    return bool(_NOTE_ROW.match(nfkc(text)) or _NOTE_TAIL.search(header_key(text)))


def _continuation(cells: dict[int, object], last: dict[int, str], identity: set[int], first_col: int, known: set[int]) -> dict[int, str] | None:
    """The cells a row adds to the item above it, when the row continues that item; else None.

    A published table gives one item several rows when some of its cells are split over lines and the others
    (序号, 事项名称, …) are merged down over them: a CSV export leaves the merged cells blank (the row has no 序号,
    name, code or category, and its first cell is not in the table's first column, where headings stand); an xlsx
    whose merges are filled in repeats them (the row's 序号 and name are the ones above). Only the cells that are not
    the merged cells' copies are returned."""
    if not set(cells) <= known:
        return None
    texts = {c: cell_text(v) for c, v in cells.items()}
    if not set(texts) & identity:
        if min(texts) <= first_col:
            return None
        return {c: t for c, t in texts.items() if last.get(c) != t} or None
    seq_like = [c for c in identity if c in texts]
    if not seq_like or any(last.get(c) != texts[c] for c in seq_like) or not (identity & set(last)) <= set(texts):
        return None
    added = {c: t for c, t in texts.items() if c not in identity and last.get(c) != t}
    return added or None


def _continue_item(item: dict, added: dict[int, str], by_field: dict[str, int], extra_cols: dict[int, str], codecs: dict, problems: list, ref) -> None:
    """Each added cell goes under the item's field or `extra` of its column, on a line of its own after the text
    the item already has there (a 内容标准 given over four rows is one 内容标准 of four lines)."""
    fields = {c: f for f, c in by_field.items()}
    for c, text in added.items():
        if c in extra_cols:
            extra = item.setdefault("extra", {})
            before = extra.get(extra_cols[c])
            extra[extra_cols[c]] = f"{before}\n{text}" if before else text
        elif c in fields:
            name = fields[c]
            before = cell_text(to_cell(codecs[name].codec, get_path(item, name)))
            try:
                set_path(item, name, from_cell(codecs[name].codec, f"{before}\n{text}" if before else text))
            except CellError as exc:
                problems.append(ImportProblem("error", ref(c), exc.message))
    cols = "、".join(ref(c).split("!")[-1] for c in sorted(added))
    problems.append(ImportProblem("info", ref(min(added)), Text(f"此行续接上一事项（合并单元格）：{cols} 并入该事项", f"this row continues the item above (merged cells): {cols} added to it"), "mapping"))


def _sub_row_extra(row: list[object], by_field: dict[str, int], extra_cols: dict[int, str], labels: dict[int, str], item: dict, codecs: dict, sub_fields: tuple[str, ...]) -> dict:
    """The cells of a 子项 row that the sub-item took no field for (`sub_fields`), by their header: the row's own
    序号, 权力类型, 行使层级 or 主项编码 when they are not the main item's. Nothing on the row is lost."""
    own: dict = {}
    for fieldname, c in by_field.items():
        if fieldname in sub_fields or fieldname in ("subitem", "category", "name") or c >= len(row):
            continue
        text = cell_text(row[c])
        if text and text != cell_text(to_cell(codecs[fieldname].codec, get_path(item, fieldname))):
            own[re.sub(r"\s+", "", labels.get(c, fieldname))] = text
    main = item.get("extra") or {}
    for c, label in extra_cols.items():
        if c < len(row) and cell_text(row[c]) and cell_text(row[c]) != main.get(label):
            own[label] = cell_text(row[c])
    return own


def _named_track(text: str) -> str | None:
    """The one duty track a title or heading names (某街道配合履职事项清单, 二、配合履职事项（共99项）), by the track
    vocabulary's values and its longer aliases (基本履职); None when it names none, or several (a title over the three
    lists)."""
    from .headers import header_key
    from .project import DEFAULT_VOCABULARIES

    vocab = DEFAULT_VOCABULARIES["duty_tracks"]
    words = {v: v for v in vocab["values"]} | {a: v for a, v in vocab["aliases"].items() if len(a) >= 4}
    key = header_key(text)
    named = {v for word, v in words.items() if word in key}
    return named.pop() if len(named) == 1 else None


def _track_from_titles(kind: str, titles: list[str], categories: list[dict], plain: list[dict], problems: list[ImportProblem], where: str) -> None:
    """A duty list titled as one of the three lists (某街道配合履职事项清单) gives its items that track, unless a
    column or a heading gave them one."""
    if kind != "duty":
        return
    track = next((t for t in map(_named_track, titles) if t), None)
    if track is None:
        return
    given = [i for i in plain + [i for c in categories for i in c["items"]] if "track" not in i]
    for item in given:
        item["track"] = track
    if given:
        problems.append(ImportProblem("info", where, Text(f"{len(given)} 个事项的履职类型为“{track}”（取自标题）", f"{len(given)} item(s) have track '{track}' (from the title)"), "mapping"))


def _type_certificates(kind: str, titles: list[str], categories: list[dict], plain: list[dict], has_type: bool) -> None:
    if kind != "community" or has_type:
        return
    certificate = _certificate_type(titles)
    if certificate is None:
        return
    for item in plain + [i for c in categories for i in c["items"]]:
        item.setdefault("type", certificate)


def _merged_once(row: list[object]) -> list[object]:
    """A row whose cells all hold one text (a title or heading merged across the sheet, its merge filled into every
    cell) as that text in its first cell only; other rows as they are."""
    texts = [cell_text(c) for c in row]
    filled = [c for c, t in enumerate(texts) if t]
    if len(filled) < 2 or len({texts[c] for c in filled}) > 1:
        return row
    return [cell if c == filled[0] else None for c, cell in enumerate(row)]


def _bare_list(data: Sheet, kind: str, meta: dict, skip: set[int], problems: list[ImportProblem], ref, list_id: str, settings: dict[str, str] | None) -> tuple[dict, list[ImportProblem]]:
    """A list printed without a header row (a notice's enumeration): title rows, then one entry per row in one
    column. Anything else is not a table govlist can read without --map."""
    rows = [(i, _merged_once(r)) for i, r in enumerate(data.rows) if i not in skip and any(cell_text(c) for c in r)]
    columns = {c for _, r in rows for c in range(len(r)) if cell_text(r[c])}
    titles: list[str] = []
    items: list[dict] = []
    if len(columns) == 1 and rows:  # one row: a list run into one sentence, or nothing readable
        col = next(iter(columns))
        paragraphs = read_paragraphs([(ref(i, col), cell_text(r[col])) for i, r in rows], kind)
        if paragraphs is not None:
            return _paragraph_list(paragraphs, data.name, ref(rows[0][0], col), kind, meta, problems, list_id, settings)
        enumerations = [(index, found) for index, (i, r) in enumerate(rows) if (found := _enumeration(cell_text(r[col])))]
        if len(enumerations) == 1:  # the list is one sentence of a notice or a news item: 这20项证明包括:A、B、…、T。
            return _enumerated_list(rows, col, enumerations[0], kind, meta, problems, ref, list_id, settings)
        for index, (i, r) in enumerate(rows):
            text = cell_text(r[col])
            if not items and (index == 0 or _QUOTED_LIST.search(text) or text.endswith((":", "：")) or "清单" in text or "目录" in text):
                titles.append(text)
                continue
            name = from_cell("name", text)
            items.append({"name": name})
        if titles and items:
            problems.append(
                ImportProblem(
                    "info", ref(rows[len(titles)][0], col), Text(f"没有表头行：按无表头的列表读取，第 {column_letter(col)} 列每行一项", f"no header row: read as a list without a header, one entry per row in column {column_letter(col)}"), "mapping"
                )
            )
            after = _number_entries(items, [ref(i, col) for i, _ in rows[len(titles) :]], problems)
            # a first row that is the text's sentences (……行政管理工作。主要工作职责是:) names no list: it is kept as
            # the note, and the file's name stands in for the title (import_table), unless it quotes 《……清单》
            lead = [t for t in titles if _IN_SENTENCE.search(nfkc(t)) and not _QUOTED_LIST.search(t)][:1]
            titles = [t for t in titles if t not in lead]
            for text in lead:
                problems.append(ImportProblem("info", ref(rows[0][0], col), Text(f"第一行是正文的句子，不是清单名称，保存为 note：{text[:40]}", f"the first row is sentences of the text, not the list's name: kept as note: {text[:40]}"), "mapping"))
            totals: dict = {}
            for text in titles:
                totals = totals or parse_totals(text)
            _type_certificates(kind, titles, [], items, False)
            order = item_order(kind)
            catalog = build_catalog(kind, meta, titles, totals, [], [_ordered(i, order, kind) for i in items], list_id, settings, lead + after)
            _report_title(catalog, titles, problems, ref(rows[0][0], col))
            return catalog, problems
    notes: list[tuple[str, str]] = []
    numbered = _numbered_list(rows, columns, kind, problems, ref, notes)
    if numbered is not None:
        titles, categories, items = numbered
        totals = {}
        for text in titles:
            totals = totals or parse_totals(text)
        _type_certificates(kind, titles, categories, items, False)
        order = item_order(kind)
        for cat in categories:
            cat["items"] = [_ordered(i, order, kind) for i in cat["items"]]
        catalog = build_catalog(kind, meta, titles, totals, categories, [_ordered(i, order, kind) for i in items], list_id, settings, [text for _, text in notes])
        _report_notes(catalog, notes, problems)
        _report_title(catalog, titles, problems, data.name)
        return catalog, problems
    raise _no_header(data.name, rows, kind)


_IN_SENTENCE = re.compile(r"[。！？!?]\s*\S")  # a sentence ends and the text goes on: a paragraph, not a title
# the number an entry of a list printed without a header opens with: 一、 (一) (壹) 1、 1. — never 3.5亿元
_ENTRY_NUMBER = re.compile(r"^\s*(?:\(\s*([一二三四五六七八九十壹贰貳叁參肆伍陆陸柒捌玖拾]{1,3}|[0-9]{1,3})\s*\)|([一二三四五六七八九十]{1,3})\s*、|([0-9]{1,3})\s*[、.](?![0-9]))\s*(?=\S)")
_NUMERALS = {c: n for n, group in enumerate(("一壹", "二贰貳", "三叁參", "四肆", "五伍", "六陆陸", "七柒", "八捌", "九玖"), 1) for c in group}
_ENTRY_END = re.compile(r"[；;，,。]+\s*$")
_ARTICLE = re.compile(r"^第[一二三四五六七八九十百零〇0-9]+[条條]")  # 第四条……: a law's next article


def _numeral(text: str) -> int | None:
    """一 → 1, 十二 → 12, 壹 → 1 (a mirror's 壹 for 一), 7 → 7; None for anything else."""
    if text.isdigit():
        return int(text)
    text = text.replace("拾", "十")
    if "十" in text:
        tens, _, units = text.partition("十")
        if len(tens) > 1 or len(units) > 1 or any(c not in _NUMERALS for c in tens + units):
            return None
        return (_NUMERALS[tens] if tens else 1) * 10 + (_NUMERALS[units] if units else 0)
    return _NUMERALS.get(text) if len(text) == 1 else None


def _number_entries(items: list[dict], cells: list[str], problems: list[ImportProblem]) -> list[str]:
    """Entries that each open with their number in one style (一、…九、, (一)…, (壹)(二)…, 1、…) numbered in
    sequence: the number is the entry's seq and leaves its name; the mark that ends the entry (；, 。) leaves it too,
    and what follows a full stop inside the entry is its content, unless it opens the law's next article (第四条……,
    run on by the page after the last entry): that text is the list's, returned for its note.
    Entries numbered otherwise, or not all numbered, are left as they are. `cells`: each entry's cell."""
    after: list[str] = []
    found = [_ENTRY_NUMBER.match(nfkc(i["name"])) for i in items]
    if len(items) < 2 or not all(found):
        return after
    matches = [m for m in found if m is not None]
    styles = {next(k for k, g in enumerate(m.groups()) if g) for m in matches}
    numbers = [_numeral(next(g for g in m.groups() if g)) for m in matches]
    start = numbers[0]
    if len(styles) != 1 or start is None or numbers != list(range(start, start + len(numbers))):
        return after
    read: list[tuple[str, str]] = []  # (name, content) of each entry, taken only when every entry keeps a name
    for item, match in zip(items, matches):
        original = item["name"]
        prefix = original[: match.end()]
        rest = original[match.end() :] if nfkc(prefix) == match.group(0) else nfkc(original)[match.end() :]
        stop = re.search(r"[。！？!?]", rest)
        name, content = (rest[: stop.start()], rest[stop.end() :].strip()) if stop and rest[stop.end() :].strip() else (rest, "")
        read.append((_ENTRY_END.sub("", name).strip(), content))
    if not all(name for name, _ in read):  # 一、; names nothing: the entries stay as printed
        return after
    for item, (name, content), number, where in zip(items, read, numbers, cells):
        if _ARTICLE.match(nfkc(content)):
            after.append(content)
            problems.append(ImportProblem("info", where, Text(f"第 {number} 项句号之后是下一条文（{content[:12]}…），不属该项，保存为 note", f"entry {number} runs on into the next article ({content[:12]}…), not part of it: kept as note"), "mapping"))
            content = ""
        item.clear()
        item.update({"seq": number, "name": name} | ({"content": content} if content else {}))
    first, last = matches[0].group(0).strip(), matches[-1].group(0).strip()
    problems.append(
        ImportProblem(
            "info",
            cells[0],
            Text(
                f"每项以编号开头（{first}…{last}），读作序号 {numbers[0]}–{numbers[-1]}；一项中句号之后的文字保存为 content",
                f"every entry opens with its number ({first}…{last}), read as seq {numbers[0]}–{numbers[-1]}; the text after a full stop inside an entry is kept as content",
            ),
            "mapping",
        )
    )
    return after


_ENUMERATION_COUNT = re.compile(r"^等\s*[0-9一二三四五六七八九十百]+\s*[项項种種个個类類]")  # 等21项: the run's end
_ENUMERATION_STOP = re.compile(r"[。；;，,]|等\s*[0-9一二三四五六七八九十百]+\s*[项項种種个個类類]|等\s*$")
_ENUMERATION_MARK = re.compile(r"[。；;，,:：!?！？\s《》]")


def _enumeration(text: str) -> tuple[str, list[str], str] | None:
    """A list run into one sentence, its entries separated by 、: (the words before the first entry, the entries,
    the words after the last). Only a run of at least three short entries that a colon opens (这20项证明包括:A、B、C。)
    or a count closes (……明确,A、B、C等21项证明事项属于……): “A、B和C工作” inside a duty is not a list."""
    pieces = text.split("、")
    if len(pieces) < 3:
        return None
    head = pieces[0]
    cut = max(head.rfind(c) for c in ":：,，")
    stop = _ENUMERATION_STOP.search(pieces[-1])
    last, after = (pieces[-1][: stop.start()], pieces[-1][stop.start() :]) if stop else (pieces[-1], "")
    entries = [head[cut + 1 :], *pieces[1:-1], last]
    opened = cut >= 0 and head[cut] in ":："
    counted = _ENUMERATION_COUNT.match(after) is not None
    if not (opened or counted) or any(not e.strip() or len(e) > 30 or _ENUMERATION_MARK.search(e.strip()) for e in entries):
        return None
    return head[: cut + 1], [e.strip() for e in entries], after


def _enumerated_list(rows: list[tuple[int, list]], col: int, found: tuple[int, tuple[str, list[str], str]], kind: str, meta: dict, problems: list[ImportProblem], ref, list_id: str, settings: dict[str, str] | None) -> tuple[dict, list[ImportProblem]]:
    """The catalog of a list run into one sentence (_enumeration): an item per entry; the sentence's words around
    the entries and the other rows (the notice's or news item's text, its source) kept in the note, in order; the
    count the sentence declares (这20项, 等21项) checked against the entries; a 《……清单》 quoted by a row is the title."""
    index, (before, entries, after) = found
    where = ref(rows[index][0], col)
    texts = [cell_text(r[col]) for _, r in rows]
    lead = [t for t in texts[:index] if t] + ([before] if before else [])
    said = after.strip() if re.search(r"[^\s。；;，,.]", after) else ""  # the closing 。 alone says nothing
    rest = ([said] if said else []) + [t for t in texts[index + 1 :] if t]
    quoted = next((q for t in texts for q in _QUOTED_LIST.findall(t)), None)
    items: list[dict] = [{"name": from_cell("name", entry)} for entry in entries]  # unnumbered as printed
    totals = parse_totals(before) or parse_totals(after) or {}
    _type_certificates(kind, texts, [], items, False)
    order = item_order(kind)
    titles = [quoted] if quoted else []  # none: import_table titles it by the file's name
    catalog = build_catalog(kind, meta, titles, totals, [], [_ordered(i, order, kind) for i in items], list_id, settings, lead + rest)
    problems.append(
        ImportProblem(
            "info",
            where,
            Text(
                f"没有表头行：清单写在一句话中，以“、”分隔的 {len(entries)} 项各为一项（{entries[0]}……{entries[-1]}）；这句话的其余文字和其他各行保存为 note",
                f"no header row: the list is one sentence; its {len(entries)} entries separated by “、” are an item each ({entries[0]}…{entries[-1]}); the rest of the sentence and the other rows are kept as note",
            ),
            "mapping",
        )
    )
    return catalog, problems


def _enumeration_kind(data: Sheet, skip: set[int]) -> str | None:
    """The kind of a sheet whose list is one sentence (_enumeration), from the words of its rows (居民委员会, 证明事项),
    or a community list when every entry is a certificate (……证明)."""
    from .headers import header_key, title_kind

    rows = [(i, r) for i, r in enumerate(data.rows) if i not in skip and any(cell_text(c) for c in r)]
    columns = {c for _, r in rows for c in range(len(r)) if cell_text(r[c])}
    if len(columns) != 1:
        return None
    col = next(iter(columns))
    texts = [cell_text(r[col]) for _, r in rows]
    found = [e for t in texts if (e := _enumeration(t))]
    if len(found) != 1:
        return None
    _, entries, _ = found[0]
    by_words = next((k for k in (title_kind(t) for t in texts) if k), None)
    return by_words or ("community" if all(header_key(e).endswith("证明") for e in entries) else None)


def _reads_as_paragraphs(data: Sheet, skip: set[int]) -> bool:
    """Whether a sheet of one column of text reads as numbered paragraphs with their lead and assisting units."""
    rows = [(i, r) for i, r in enumerate(data.rows) if i not in skip and any(cell_text(c) for c in r)]
    columns = {c for _, r in rows for c in range(len(r)) if cell_text(r[c])}
    if len(columns) != 1:
        return False
    col = next(iter(columns))
    return read_paragraphs([(str(i), cell_text(r[col])) for i, r in rows], "duty") is not None


def _paragraph_list(found: Paragraphs, sheet: str, where: str, kind: str, meta: dict, problems: list[ImportProblem], list_id: str, settings: dict[str, str] | None) -> tuple[dict, list[ImportProblem]]:
    """The catalog of a list printed as numbered paragraphs (paragraphs.py): how each part was read is reported."""
    problems.append(
        ImportProblem(
            "info",
            where,
            Text(
                "没有表头行：按编号段落读取（一行一行的正文），“1.”起一项，“一、”起一类，“牵头单位:”等行或句末括号中的“……牵头，……配合”给出该项的字段，折行接回",
                "no header row: read as numbered paragraphs (the text a line a row): an item starts at “1.”, a category at “一、”, lines such as “牵头单位:” or a closing bracket “(…牵头,…配合)” give the item's fields, wrapped lines are joined",
            ),
            "mapping",
        )
    )
    problems.extend(ImportProblem("info", at, message, "mapping") for at, message in found.read)
    problems.extend(ImportProblem("error", at, Text(f"未能读取：{message.zh}", f"not read: {message.en}")) for at, message in found.refused)
    order = item_order(kind)
    categories = [c | {"items": [_ordered(i, order, kind) for i in c["items"]]} for c in found.categories]
    items = [_ordered(i, order, kind) for i in found.items]
    if items and categories:
        categories.insert(0, {"name": "未分类", "items": items})
        items = []
    titles = [found.title] if found.title else []  # none: import_table titles it by the file's name
    catalog = build_catalog(kind, meta, titles, parse_totals(found.title or ""), categories, items, list_id, settings, [text for _, text in found.notes])
    if "note" in (settings or {}) and found.notes:  # a note given with --set: the paragraphs are not kept, say so whole
        problems.extend(ImportProblem("info", at, Text(f"已用 --set note，此段未保存：{text}", f"--set note given: this paragraph was not kept: {text}")) for at, text in found.notes)
    return catalog, problems


def _no_header(sheet: str, rows: list[tuple[int, list]], kind: str) -> UsageError:
    """Why a table without a recognised header cannot be read, saying what was found and what would work: --map when
    a row looks like a header whose columns are not known (it names a header's field); otherwise a header row to add
    (--map cannot name what is not there)."""
    from .headers import match

    synonyms = next(c for c in COLUMNS[kind] if c.field == "name").synonyms[:4]
    expected = Text("、".join(synonyms), ", ".join(synonyms))
    scanned = [(i, r) for i, r in rows if i < _HEADER_SCAN]
    for i, row in scanned:
        labels = list(dict.fromkeys(cell_text(c) for c in row if cell_text(c)))
        if len(labels) < 2 or any(_NUMBER.match(nfkc(t)) or len(t) > 30 for t in labels):
            continue
        known = {t: found.field for t in labels if (found := match(t, kind)) is not None}
        free = [t for t in labels if t not in known]
        free = [re.sub(r"\s+", "", t) for t in free]  # as --map compares them: without spaces, no quoting needed
        maps = [] if "name" in known.values() else [f"{free.pop(0)}=name"] if free else []
        if len(known) + len(maps) < 2 and free:
            maps.append(f"{free[0]}=content")
        if not maps:
            continue
        shown = Text("、".join(labels), ", ".join(labels))
        hint = " ".join(f"--map {m}" for m in maps)
        if "name" in known.values():
            name = next(t for t, f in known.items() if f == "name")
            return _usage(
                f"工作表“{sheet}”第 {i + 1} 行像是表头（{shown.zh}），但只有“{name}”可识别（事项名称），表头还需另一列可识别的列；用 --map 指明，如 {hint}",
                f"row {i + 1} of sheet '{sheet}' looks like the header ({shown.en}), but only '{name}' is known (the item name) and a header needs one more known column; name one with --map, e.g. {hint}",
            )
        return _usage(
            f"工作表“{sheet}”第 {i + 1} 行像是表头（{shown.zh}），但没有可识别的事项名称列（如 {expected.zh}）；用 --map 指明各列，如 {hint}",
            f"row {i + 1} of sheet '{sheet}' looks like the header ({shown.en}), but no column of it is a known item name (such as {expected.en}); name the columns with --map, e.g. {hint}",
        )
    if not scanned:
        return _usage(f"工作表“{sheet}”前 {_HEADER_SCAN} 行中没有表头行", f"no header row in the first {_HEADER_SCAN} rows of sheet '{sheet}'")
    first, row = next(((i, r) for i, r in scanned if sum(1 for c in r if cell_text(c)) >= 2), scanned[0])
    columns = sorted({c for _, r in scanned for c in range(len(r)) if cell_text(r[c])})
    start = [t if len(t) <= 12 else t[:12] + "…" for t in (cell_text(c) for c in row) if t]
    if len(columns) == 1:
        return _usage(
            f"工作表“{sheet}”只有第 {column_letter(columns[0])} 列有文字，读不出无表头的列表（第一行为标题，其下每行一项）；请在第一行写清单标题、其下每行一项，或加一行表头（如 序号、{expected.zh}）后再导入",
            f"only column {column_letter(columns[0])} of sheet '{sheet}' holds text, and it does not read as a list without a header (a title on the first row, one entry a row below it): put the list's title first and one entry a row below it, or add a header row (e.g. 序号, {expected.en}), and import again",
        )
    return _usage(
        f"工作表“{sheet}”前 {_HEADER_SCAN} 行中没有表头行：第 {first + 1} 行起就是数据（{'、'.join(start)}）。--map 只能为已有的表头指定字段，在此帮不上忙；请在数据上方加一行表头（如 序号、{expected.zh}），再导入",
        f"no header row in the first {_HEADER_SCAN} rows of sheet '{sheet}': the data starts at row {first + 1} ({', '.join(start)}). --map names the field of a header that is there, so it cannot help here: add a header row above the data (e.g. 序号, {expected.en}) and import again",
    )


_NUMBER = re.compile(r"^\s*[0-9]+\s*[.、．]?\s*$")
_BRACKETED = re.compile(r"\([^()]{1,20}\)")  # after NFKC: （试行）, （2023年版）


def _numbered_list(rows: list[tuple[int, list]], columns: set[int], kind: str, problems: list[ImportProblem], ref, notes: list[tuple[str, str]]) -> tuple[list[str], list[dict], list[dict]] | None:
    """A list printed without a header row as numbered entries, the number in one column and the entry in the next
    (a Word list pasted into a sheet): the rows of one cell above the first entry are the title, the last of them the
    first group's heading when there are several; a row of one cell between entries is the next group's heading.
    → (titles, categories, items without a category), or None when the rows are not such a list."""
    if len(columns) != 2:
        return None
    num_col, text_col = sorted(columns)
    shape = [(r, [c for c in (num_col, text_col) if c < len(row) and cell_text(row[c])]) for r, row in rows]
    entries = [r for (r, row), (_, cols) in zip(rows, shape) if len(cols) == 2 and _NUMBER.match(nfkc(cell_text(row[num_col])))]
    if len(entries) < 2 or any(len(cols) == 2 and r not in entries for r, cols in shape):
        return None
    first = entries[0]
    above = [(ref(r, cols[0]), cell_text(row[cols[0]])) for (r, row), (_, cols) in zip(rows, shape) if r < first]
    titles = [text for _, text in above]
    categories: list[dict] = []
    items: list[dict] = []
    current: dict | None = None
    headings: list[tuple[tuple[str, str], dict]] = []
    if len(titles) >= 2 and without_totals(titles[-1]) and not _BRACKETED.fullmatch(nfkc(titles[-1]).strip()):  # not （试行）
        current = {"name": parse_category(titles.pop(), strip_prefix=True)[0], "items": []}
        categories.append(current)
        headings.append((above[len(titles)], current))
    for (r, row), (_, cols) in zip(rows, shape):
        if r < first:
            continue
        if r in entries:
            item = {"seq": from_cell("seq", row[num_col]), "name": from_cell("name", row[text_col])}
            (current["items"] if current is not None else items).append(item)
            continue
        text = cell_text(row[cols[0]])
        if _is_note(text):
            notes.append((ref(r, cols[0]), text))
            continue
        name, declared = parse_category(text, strip_prefix=True)
        current = {"name": name or text, "items": []} | ({"declared": declared} if declared is not None else {})
        categories.append(current)
        headings.append(((ref(r, cols[0]), text), current))
    notes[:] = _heading_notes(notes, headings)  # a heading right above another heading groups the ones below it
    if items and categories:
        categories.insert(0, {"name": "未分类", "items": items})
        items = []
    problems.append(
        ImportProblem(
            "info",
            ref(first, num_col),
            Text(
                f"没有表头行：按编号列表读取，第 {column_letter(num_col)} 列为序号，第 {column_letter(text_col)} 列为事项名称",
                f"no header row: read as a numbered list, column {column_letter(num_col)} the 序号 and column {column_letter(text_col)} the item name",
            ),
            "mapping",
        )
    )
    return titles, [c for c in categories if c["items"]], items


def title_from_file(path: Path) -> str:
    """The title of a table printed without one: its file's name as the clerk sees it (附件1：某街道职责清单.xlsx →
    某街道职责清单), as pandoc titles an untitled document by its input file; never the ASCII id made from it."""
    stem = unicodedata.normalize("NFC", path.stem).strip()
    bare = _FILE_LABEL.sub("", stem).strip()
    return bare or stem or path.name


def _default_id(path: Path) -> str:
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", path.stem).strip("-._")
    return stem or "imported"


def build_catalog(kind: str, meta: dict, titles: list[str], totals: dict, categories: list[dict], items: list[dict], list_id: str, forced: dict | None = None, notes: list[str] | None = None) -> dict:
    """The catalog of an imported table. `notes`: the note rows of the table (注：…, 合计…), kept in `note` after the
    lines between the title and the header, unless a note is given otherwise (recorded, or set by --set)."""
    catalog: dict = {"govlist": 1, "kind": kind}
    for key in HEADER_KEYS[2:]:
        if key in meta:
            catalog[key] = meta[key]
    catalog.setdefault("id", list_id)
    # the visible title row wins over the recorded one (a clerk may have edited it); a row that only gives the
    # totals ("共13类89项") is not a title
    visible = [t for t in titles if without_totals(t)]
    while len(visible) > 1 and _BRACKETED.fullmatch(nfkc(visible[1]).strip()):  # （试行） printed under the title
        visible[:2] = [visible[0] + visible[1].strip()]
    if visible:
        catalog["title"] = clean_title(visible[0])
    lines = visible[1:] + list(notes or [])
    if visible and says_more_than_title(visible[0]):
        lines.insert(0, visible[0])  # a sentence around 《X清单》: the title is X清单, the sentence is kept whole
    if lines and "note" not in catalog and "note" not in (forced or {}):
        catalog["note"] = "\n".join(lines)  # lines between the title and the header, and the note rows: kept, not dropped
    catalog.update(forced or {})  # no title at all: import_table takes it from the file's name
    if totals:
        declared = dict(catalog.get("declared") or {})
        declared.update(totals)
        catalog["declared"] = {k: declared[k] for k in ("categories", "items", "breakdowns") if k in declared}
    for key in BODY_KEYS.get(kind, ()):
        if key in meta and key != "items":
            catalog[key] = meta[key]
    for key, value in meta.items():  # anything else recorded (kept, so nothing is lost)
        if key not in catalog and key not in ("categories", "govlist", "kind"):
            catalog[key] = value
    if kind == "registry":
        catalog["units"] = items if not categories else [i for c in categories for i in c["items"]]
    elif categories:
        catalog["categories"] = [{k: c[k] for k in CATEGORY_KEYS if k in c} for c in categories]
    else:
        catalog["items"] = items
    header = [k for k in HEADER_KEYS if k in catalog]
    body = [k for k in BODY_KEYS.get(kind, ()) if k in catalog]
    rest = [k for k in catalog if k not in header and k not in body]
    return {k: catalog[k] for k in header + body + rest}


# --- YAML for people --------------------------------------------------------------------------------------------


class _Dumper(yaml.SafeDumper):
    def increase_indent(self, flow: bool = False, indentless: bool = False):  # lists indented under their key
        return super().increase_indent(flow, False)


def _represent_str(dumper: yaml.SafeDumper, value: str):
    if "\n" in value:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    resolved = dumper.resolve(yaml.ScalarNode, value, (True, False))
    if resolved != "tag:yaml.org,2002:str" or value != value.strip() or value[:1] in "!&*@`|>%'\"#-?:,[]{}" or ": " in value or " #" in value:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style='"')
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


_Dumper.add_representer(str, _represent_str)


def dump_yaml(catalog: dict, schema_ref: str | None = None) -> str:
    """Block style, keys in format order (as built), Chinese unescaped, ambiguous strings double-quoted."""
    text = yaml.dump(catalog, Dumper=_Dumper, allow_unicode=True, sort_keys=False, default_flow_style=False, width=1_000_000, indent=2)
    head = f"# yaml-language-server: $schema={schema_ref}\n" if schema_ref else ""
    return head + text


def schema_ref_for(kind: str, output: Path) -> str:
    """The `$schema` an editor should use, a file that exists: the nearest `schemas/` folder up from the output (a
    catalog repository), else the schema inside the installed govlist package; relative to the output's folder when
    they share a drive, else a file URI."""
    from .schema import schema_dir

    folder = output.resolve().parent
    candidate = next((p / "schemas" / f"{kind}.schema.json" for p in (folder, *folder.parents) if (p / "schemas" / f"{kind}.schema.json").is_file()), None)
    if candidate is None:
        candidate = (schema_dir() / f"{kind}.schema.json").resolve()
    try:
        return Path(os.path.relpath(candidate, folder)).as_posix()
    except ValueError:  # another drive (Windows)
        return candidate.as_uri()
