"""A list printed as numbered paragraphs rather than as a table, one printed line a row (a 任务分解方案 or a street's
职责清单 copied from a PDF or a web page into one column of a sheet):

    石景山区贯彻落实《关于加强新时代
    街道工作的意见》的任务分解方案
    为贯彻落实……制定如下任务分解方案。          (a paragraph under the title: the list's note)
    一、提高城市基层党建工作水平,加强党对基层治理的全面
    领导                                          (a heading over two lines: a category)
    1.完善街道党工委对地区治理重大工作的领导体制机制,优
    化决策程序,……                               (an item over the lines until the next label, item or heading)
    牵头单位:区委组织部                          (a labelled line: the field its label names, here lead)
    协办单位:区委编办、区民政局(区委社会工委)、园区党工
    委、各街道党工委                              (a label's value wrapped over two lines)
    — — — 3 —                                     (a page number of the printed copy: skipped)

or with the roles closing each item in a bracket, a paragraph a row as a web page gives them:

    1.全面实施行政许可事项清单管理。……的衔接。(市政府办公室、市审改办牵头,市级各有关部门按职责分工负责)

The lines a page wrapped are joined again; an item's first sentence is its name and the sentences after it its
content; every line goes to the title, the note, a category, an item or one of its fields, and a page number is
reported as skipped. The core never prints: what was read is returned to the importer, which reports it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .cells import CellError, from_cell, get_path, join_lines, set_path
from .headers import match, simplified
from .model import Text
from .tables import COLUMNS, nfkc, parse_category

_ITEM = re.compile(r"^\s*([0-9０-９]{1,3})\s*[.．、](?![0-9０-９])\s*(\S.*)$")  # 1.完善……  (not 3.5亿元, a wrap)
_HEADING = re.compile(r"^\s*[一二三四五六七八九十]{1,3}\s*[、.．]\s*\S")  # 一、提高……
_PARAGRAPH_END = re.compile(r"[。；;]\s*$")  # a line that ends a sentence is text, not a title
_PAGE = re.compile(r"^[\s\-－—–─]*[0-9]{1,4}[\s\-－—–─]*$")  # — — — 3 —, - 3 -
_LABEL = re.compile(r"^\s*([^\s:：()（）、，,。]{2,8})\s*[:：]\s*(.*)$")  # 牵头单位:区委组织部
_SENTENCE = re.compile(r"[。；;！!？?]")
_OPEN, _CLOSE = "《“（(〈【", "》”）)〉】"
_TITLE_END = re.compile(r"(?:清单|目录|方案|要点|分工|任务|职责)\s*$")
# fields a labelled line may give: a unit and what it does, never the item's identity (名称, 序号, 类别)
_NOT_LABELLED = {"name", "seq", "code", "category", "subitem", "rownum"}
# the roles a task's closing bracket names, after its last sentence: (市政府办公室、市审改办牵头,市级各有关部门按职责分工负责)
_ROLES = re.compile(r"[（(]([^（）()]*(?:牵头|牽頭)[^（）()]*)[）)]\s*$")
_ROLE_CLAUSE = re.compile(r"^(.*?)(?:按职责分工负责|按職責分工負責|分别负责|分別負責|牵头|牽頭|配合|参与|參與|协同|協同|协助|協助|负责|負責)$")


@dataclass
class Paragraphs:
    """What a list of numbered paragraphs holds: its title, the paragraphs under the title (the note), categories
    and items (those before the first heading without one), and what was read where, as problems."""

    title: str | None  # None: the lines above the first heading or item are a paragraph, not a title
    notes: list[tuple[str, str]] = field(default_factory=list)
    categories: list[dict] = field(default_factory=list)
    items: list[dict] = field(default_factory=list)
    read: list[tuple[str, Text]] = field(default_factory=list)  # (cell, how it was read): mapping lines
    refused: list[tuple[str, Text]] = field(default_factory=list)  # (cell, why not): a value its field cannot hold


def _balanced(text: str) -> bool:
    return sum(text.count(c) for c in _OPEN) <= sum(text.count(c) for c in _CLOSE)


def _label_field(label: str, kind: str) -> str | None:
    """The field a line's label names (牵头单位 → lead, 协办单位 → support), when the label is a column title or
    synonym of the kind (its exact spelling, or without a gloss), never one of an item's identity."""
    found = match(label, kind)
    if found is None or found.how not in ("exact", "gloss") or found.field in _NOT_LABELLED:
        return None
    return found.field


def read_paragraphs(lines: list[tuple[str, str]], kind: str) -> Paragraphs | None:
    """`lines`: (cell, text) of the one column, in order, empty rows left out. None when the lines are not numbered
    paragraphs with labelled lines (at least one item number and, after it, one line whose label names a field)."""
    shapes: list[tuple[str, object]] = []
    for _, text in lines:
        flat = nfkc(text).strip()
        numbered = _ITEM.match(text)
        labelled = _LABEL.match(text)
        if _PAGE.fullmatch(flat) and re.search(r"[\-－—–─]", flat):
            shapes.append(("page", None))
        elif numbered:
            shapes.append(("item", int(numbered.group(1))))
        elif _HEADING.match(flat):
            shapes.append(("heading", None))
        elif labelled and (target := _label_field(labelled.group(1), kind)):
            shapes.append(("label", target))
        else:
            shapes.append(("line", None))
    kinds = [s for s, _ in shapes]
    if "item" not in kinds:
        return None
    after = kinds.index("item")
    if "label" not in kinds[after:] and not any(_ROLES.search(text) for _, text in lines[after:]):
        return None
    first = next(i for i, s in enumerate(kinds) if s in ("item", "heading"))
    codecs = {col.field: col.codec for col in COLUMNS[kind]}

    # the title: the first line, and the lines after it while a bracket it opened is not closed (《关于加强新时代 /
    # 街道工作的意见》的任务分解方案) or while the next short line ends the title (……履职 / 事项清单)
    # (none when the first line ends a sentence: the copy starts at the text under the title)
    title_lines = [lines[0][1]] if first > 0 and not _PARAGRAPH_END.search(lines[0][1]) else []
    at = len(title_lines)
    while title_lines and at < first and (not _balanced("".join(title_lines)) or (not _TITLE_END.search(title_lines[-1]) and len(lines[at][1]) <= 20 and _TITLE_END.search(lines[at][1]))):
        title_lines.append(lines[at][1])
        at += 1
    out = Paragraphs(join_lines(title_lines) if title_lines else None)
    if at < first:  # the paragraph under the title: one text, its wraps joined
        out.notes.append((lines[at][0], join_lines([t for _, t in lines[at:first]])))
        place = Text("标题下", "under the title") if title_lines else Text("第一项或第一个分组标题之前", "above the first item or heading")
        out.read.append((lines[at][0], Text(f"{place.zh}的 {first - at} 行（正文）保存为 note", f"the {first - at} line(s) {place.en} (text) kept as note")))

    current: dict | None = None  # the category being filled
    heading: list[str] | None = None  # the lines of a heading not yet closed by an item
    item: dict | None = None
    body: list[str] = []  # the lines of the item's text
    label: tuple[str, str, list[str]] | None = None  # (cell, field, lines) of the labelled line being read
    headings: list[tuple[str, str, dict]] = []  # (cell, text, category)

    def close_label() -> None:
        nonlocal label
        if label is None or item is None:
            label = None
            return
        where, target, texts = label
        label = None
        try:
            value = from_cell(codecs.get(target, "text"), join_lines(texts))
        except CellError as exc:
            out.refused.append((where, exc.message))
            return
        before = get_path(item, target)  # a nested field (完成时限 → handling.time_limit) by its path
        if value is not None:  # a field given twice: the second kept after the first, not over it
            set_path(item, target, value if before is None else _both(before, value))

    def close_item() -> None:
        nonlocal item
        close_label()
        if item is None:
            return
        text = join_lines(body)  # the task's first sentence names it; the sentences after it are its content
        text = _take_roles(text, item, kind)
        sentence = _SENTENCE.search(text)
        item["name"] = (text[: sentence.start()] if sentence else text).strip() or text
        rest = text[sentence.end() :].strip() if sentence else ""
        if rest:  # before what a 内容: line gave, if one did (printed after the paragraph): kept both
            item["content"] = _both(rest, item["content"]) if "content" in item else rest
        item = None

    def close_heading() -> None:
        nonlocal heading, current
        if heading is None:
            return
        name, declared = parse_category(join_lines(heading[1:]), strip_prefix=True)
        current = {"name": name, "items": []} | ({"declared": declared} if declared is not None else {})
        out.categories.append(current)
        headings.append((heading[0], join_lines(heading[1:]), current))
        heading = None

    for (where, text), (shape, value) in list(zip(lines, shapes))[first:]:
        if shape == "page":
            out.read.append((where, Text(f"页码行已跳过：{text}", f"page number line skipped: {text}")))
        elif shape == "heading":
            close_item()
            close_heading()
            heading = [where, text]
        elif shape == "item":
            close_item()
            close_heading()
            body = [_ITEM.match(text).group(2)]  # type: ignore[union-attr]
            item = {"seq": value}
            (current["items"] if current is not None else out.items).append(item)
        elif shape == "label" and item is not None:
            close_label()
            label = (where, str(value), [_LABEL.match(text).group(2)])  # type: ignore[union-attr]
        elif heading is not None:
            heading.append(text)
        elif label is not None:
            label[2].append(text)
        else:
            body.append(text)
    close_item()
    close_heading()
    for where, text, category in headings:  # a heading with no item under it (the copy cut after it): kept as note
        if not category["items"]:
            out.notes.append((where, text))
            out.read.append((where, Text(f"分组标题下没有事项，保存为 note：{text}", f"a heading with no item under it kept as note: {text}")))
    out.categories = [c for c in out.categories if c["items"]]
    return out


def _both(first: object, second: object) -> object:
    """A field given by two labelled lines of one item: texts joined a line each, lists and entries run on."""
    if isinstance(first, str) and isinstance(second, str):
        return first + "\n" + second
    return (first if isinstance(first, list) else [first]) + (second if isinstance(second, list) else [second])


def _take_roles(text: str, item: dict, kind: str) -> str:
    """The roles a task's closing bracket names, taken into the item's fields (the units before 牵头 lead, those
    before 按职责分工负责, 配合 or 参与 support; a unit that alone 负责 is responsible) and the text without the bracket.
    A bracket that also says something else (a clause without a role word) is left in the text."""
    found = _ROLES.search(text)
    if found is None:
        return text
    roles: dict[str, list[str]] = {}
    for clause in (c.strip() for c in re.split(r"[,，;；]", found.group(1)) if c.strip()):
        said = _ROLE_CLAUSE.match(clause)
        if said is None or not said.group(1).strip():
            return text
        verb = simplified(clause[len(said.group(1)) :])
        target = "lead" if verb == "牵头" else "responsible" if verb == "负责" and "lead" not in roles else "support"
        roles.setdefault(target, []).append(said.group(1).strip())
    codecs = {col.field: col.codec for col in COLUMNS[kind]}
    if any(target not in codecs for target in roles) or any(get_path(item, target) is not None for target in roles):
        return text
    for target, units in roles.items():
        value = from_cell(codecs[target], "、".join(units))
        if value is not None:
            set_path(item, target, value)
    return text[: found.start()].rstrip()
