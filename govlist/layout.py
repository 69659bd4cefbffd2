"""The printed table of a list or of the 修订对照表, shared by the PDF and the Word file: which columns, how wide,
which page orientation.

Nothing here prints. Columns empty in the whole list were dropped by the view (render.list_view). Here, columns
filled in fewer than a third of the rows (the approval and funding columns of a community list, a 备注 used twice)
are folded into one 备注 column as `header：value` lines, so a page is not a row of empty columns. Widths come from
the content (layout_columns); a table that does not fit the portrait 版心 (156 mm) goes landscape (225 mm).
A long title is broken into even lines between words, the same in the PDF and the Word file (balanced_lines).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache

from .headers import simplified
from .kinds import ALL_KINDS, kind_word
from .views import ListView

#: a printed cell: its text, or redline segments (op, text) with op equal / delete / insert (the 修订对照表)
Cell = str | list[tuple[str, str]]

MM = 72 / 25.4  # points per millimetre
PORTRAIT_WIDTH = 156 * MM
LANDSCAPE_WIDTH = 225 * MM
CELL_SIZE = 10.5  # 五号
SMALL_SIZE = 9.0  # 小五, for crowded landscape tables
TITLE_SIZE = 22.0  # 二号, the 小标宋 title
CELL_INSET = 3.0  # points, each side
ZWSP = "\u200b"
LONG_TEXT, LONG_LINE = 24, 8  # a column whose cells hold 24 characters on average wants lines of 8 at least
#: a row estimated taller than this share of the 版心's height (225 mm portrait, 156 mm landscape) may break across
#: pages; shorter rows stay whole and move to the next page, so no page starts with the tail of a row whose 序号 and
#: name stayed on the page before
TALL_ROW = 0.5
#: an unbreakable run inside a cell: codes, numbers, dates, 文号 pieces (Latin letters, digits and their joiners)
_RUN = re.compile(r"[0-9A-Za-z〔〕\[\]()（）._/:\-—–#]+")


def _char_width(ch: str) -> float:
    """Width of one character in em, an upper bound over the serif faces a PDF or Word file may use: full-width 1,
    wide capitals (M, W) 1, other capitals 0.8 (so a code such as CH-FM-002 is not measured short and broken), the
    rest of Latin 0.6."""
    if unicodedata.east_asian_width(ch) in "WF" or ch in "MW":
        return 1.0
    return 0.8 if "A" <= ch <= "Z" else 0.6


def text_width(s: str) -> float:
    """Width of `s` in em of the cell font (see _char_width)."""
    return sum(_char_width(ch) for ch in s)


LABEL_MOST = 10.0  # em: a header detail's label wider than this (a table's long header said above it) wraps


def label_width(labels: list[str]) -> float:
    """The width in em of the column of labels before a list's header details (责任主体, 处置时限…): the longest
    label, but at most LABEL_MOST, so that a long one wraps instead of squeezing its value into a column of single
    characters."""
    return min(max((text_width(label) for label in labels), default=0.0), LABEL_MOST)


def _longest_run(s: str) -> float:
    return max((text_width(m.group()) for m in _RUN.finditer(s)), default=1.0 if s.strip() else 0.0)


#: a title's unbreakable pieces when it has no words to break between (a piece too wide for a line): a run of Latin
#: letters and digits or one other character, with the opening marks before it and the closing marks after it; spaces
#: stand apart (a line may break at a space, which it then drops)
_TITLE_UNIT = re.compile(r"\s+|[（《“‘〔【「『〈［｛(\[{]*(?:[0-9A-Za-z.\-_/:#]+|\S)[）》”’〕】」』〉］｝，。、；：！？,.;:!?)\]}]*")
_OPENING = set("（《“‘〔【「『〈［｛([{")
_CLOSING = set("）》”’〕】」』〉］｝，。、；：！？,.;:!?)]}")
#: compounds of the lists' own language that a title never breaks inside, though a general dictionary has them as
#: two words (属地 管理); the words it keeps whole itself (清单, 目录, 事项, 职责, 权责, 街道, 乡镇, 社区…) need no entry
TITLE_WORDS = ("属地管理", "主体责任", "配合责任", "职责任务", "自治组织", "政务公开", "公开标准", "赋权事项", "准入规则", "行政权力", "综合考核")
#: a title breaks best after a closing bracket or one of these, or before an opening bracket
SHORT_BRACKET = 8.0  # em
_GLOSSED = re.compile(r"[^\x00-\x7f](?:[(（][a-zà-ɏ]*[à-ɏ][a-zà-ɏ]*[)）])?|.", re.S)  # a character and its pinyin
_JOINING = ("的", "和", "及", "与", "暨", "、", "，")
#: the end of a place or of an issuing body (池州市, 贵池区, 梅街镇, 望平社区, 区级政府): the list's name may follow on a new line
_PLACE_ENDS = ("省", "市", "区", "县", "旗", "盟", "州", "镇", "乡", "村", "街道", "社区", "办事处", "政府", "委员会")
#: the word a list calls itself (清单, 目录, 名录, 规则): a title keeps it with the words before it where it can
_LIST_WORDS = tuple(sorted({kind_word(kind) for kind in ALL_KINDS}))
_BRACKETS = ("（《“‘〔【「『〈［｛([{", "）》”’〕】」』〉］｝)]}")
#: what a line break costs, by where it falls, against half the square of a line's distance from the mean length (em);
#: a break inside brackets or just before the list's own word (事项 / 清单) costs `apart` more
_BREAK_COST = {"joint": 0.0, "space": 1.0, "place": 1.0, "word": 3.0, "apart": 3.0, "inside": 12.0}
_RAGGED = 0.5


@cache
def _segmenter():
    """jieba-rs (rjieba, its dictionary built in: nothing is read from disk or the network) with TITLE_WORDS added."""
    import rjieba

    jieba = rjieba.Jieba()
    for word in TITLE_WORDS:  # frequent enough to win over the dictionary's own cut (综合 考核办法 → 综合考核 办法)
        jieba.add_word(word, 100_000, None)
    return jieba


def segmenter_version() -> str:
    """The version of the word dictionary title_words cuts with (rjieba's), found without loading it."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return "rjieba " + version("rjieba")
    except PackageNotFoundError:
        return "rjieba"


def title_words(title: str) -> list[str]:
    """The title as pieces a line may break between: its words (rjieba), a one-character word (镇, 年, 和, 稿) kept with
    the word before it, opening marks with the word after them and closing marks with the one before; spaces apart."""
    chars: list[str] = []  # each character with the reading a mirror site printed after it: 鎮(zhèn)
    for m in _GLOSSED.finditer(title):
        chars.append(m.group())
    plain = "".join(c[0] for c in chars)
    simple = simplified(plain)  # the dictionary is of Simplified words: 權責清單 is cut as 权责清单 is
    words, at = [], 0
    for word in _segmenter().cut(simple if len(simple) == len(plain) else plain):
        words.append("".join(chars[at : at + len(word)]))
        at += len(word)
    units: list[str] = []
    opening = ""
    for word in words:
        if word.isspace():
            units.append(opening + word) if opening else units.append(word)
            opening = ""
        elif set(word) <= _OPENING:
            opening += word
        elif units and not units[-1].isspace() and not opening and (set(word) <= _CLOSING or len(word) == 1):
            units[-1] += word
        else:
            units.append(opening + word)
            opening = ""
    if opening:
        units.append(opening)
    return _bracketed(units)


def _bracketed(units: list[str]) -> list[str]:
    """A short bracketed part ((2023年本), （第一批）, (市、区)) as one piece: a title breaks before or after it."""
    out: list[str] = []
    group: list[str] = []
    for unit in units:
        if not group and unit[0] in _OPENING and unit[-1] not in _CLOSING:
            group = [unit]
            continue
        if group:
            group.append(unit)
            if text_width("".join(group)) > SHORT_BRACKET:
                out += group
                group = []
            elif unit[-1] in _CLOSING:
                out.append("".join(group))
                group = []
            continue
        out.append(unit)
    return out + group


def _bare(word: str) -> str:
    """A piece of a title without a mirror site's pinyin, in Simplified characters: 區(qū) → 区."""
    return simplified("".join(m.group()[0] for m in _GLOSSED.finditer(word)))


def _break_cost(before: str, after: str, nested: bool) -> float:
    """The cost of a line break between two pieces of a title (see _BREAK_COST); `nested`: inside brackets."""
    before, after = _bare(before), _bare(after)
    apart = _BREAK_COST["apart"] if nested or after.startswith(_LIST_WORDS) else 0.0
    if before.isspace() or after.isspace():
        return _BREAK_COST["space"] + apart
    if before[-1] in _CLOSING or after[0] in _OPENING or before.endswith(_JOINING):
        return _BREAK_COST["joint"] + apart
    if before.endswith(_PLACE_ENDS) and not after.endswith(_PLACE_ENDS):
        return _BREAK_COST["place"] + apart
    return _BREAK_COST["word"] + apart


def _wrap(units: list[str], width: float) -> list[str]:
    """Greedy lines of at most `width` em (a piece wider than that alone on its line), spaces at a break dropped."""
    lines: list[str] = []
    line = ""
    for unit in units:
        if line.strip() and not unit.isspace() and text_width((line + unit).rstrip()) > width:
            lines.append(line.rstrip())
            line = ""
        if line or not unit.isspace():
            line += unit
    if line.strip():
        lines.append(line.rstrip())
    return lines


def balanced_lines(title: str, size: float, width: float) -> list[str]:
    """A title broken as an official document's title is (GB/T 9704: 回行时排列对称、长短适宜): into as few lines of
    `size` points as `width` points hold, about as long as each other (never a last line of a lone 本) or 年本)), and
    at a sensible place: never inside a word (清单, 事项, 街道, 属地管理: title_words), best after a closing bracket
    or before an opening one, after 的/和/及, or between a place and the list's name. Both the PDF and the Word file
    print these lines (measured with the upper-bound widths of text_width, so no line wraps again)."""
    em = width / size
    if text_width(title.strip()) <= em:
        return [title.strip()]
    units = []  # (piece, cost of a break before it)
    words = title_words(title)
    depth = 0  # brackets open before the word
    for n, word in enumerate(words):
        cost = _break_cost(words[n - 1], word, depth > 0) if n else 0.0
        depth = max(0, depth + sum(ch in _BRACKETS[0] for ch in word) - sum(ch in _BRACKETS[1] for ch in word))
        if text_width(word) <= em:
            units.append((word, cost))
        else:  # a piece wider than a line: broken between its characters
            units += [(piece, cost if k == 0 else _BREAK_COST["inside"]) for k, piece in enumerate(_TITLE_UNIT.findall(word))]
    pieces = [u for u, _ in units]
    count = len(_wrap(pieces, em))
    mean = text_width("".join(_wrap(pieces, em))) / count

    def line(i: int, j: int) -> str:
        return "".join(pieces[i:j]).strip()

    # best[k][j]: the least cost of the first j pieces on k lines, and where its last line starts
    inf = float("inf")
    best = [[(inf, 0)] * (len(pieces) + 1) for _ in range(count + 1)]
    best[0][0] = (0.0, 0)
    for k in range(1, count + 1):
        for j in range(1, len(pieces) + 1):
            for i in range(j - 1, -1, -1):
                w = text_width(line(i, j))
                if w > em and j - i > 1:
                    break
                if best[k - 1][i][0] == inf or not line(i, j):
                    continue
                cost = best[k - 1][i][0] + (units[i][1] if i else 0.0) + _RAGGED * (w - mean) ** 2
                if cost < best[k][j][0]:
                    best[k][j] = (cost, i)
    lines, j = [], len(pieces)
    for k in range(count, 0, -1):
        i = best[k][j][1]
        lines.append(line(i, j))
        j = i
    return lines[::-1]


@dataclass(frozen=True)
class ColumnLayout:
    widths: tuple[float, ...]  # points
    landscape: bool
    breakable: tuple[bool, ...]  # cells of this column need break opportunities between characters
    size: float = CELL_SIZE  # the cell font size, points


def layout_columns(columns: list[dict], rows: list[list[str]], size: float = CELL_SIZE, landscape: bool | None = None) -> ColumnLayout:
    """Widths from content. Each column has a least width (its longest unbreakable run such as a code or a date; a
    short column such as 权力类型 its whole text up to four characters; else four characters) and a most width (its
    longest line). Between the two, a column's width is in proportion to the text its cells hold on average, so the
    lines a row needs are about even across its cells and rows come out as short as they can. Portrait when every
    column gets its longest line or at least five characters (eight for a column of long texts, 24 characters a cell
    on average: else a paragraph stands five characters wide) in 156 mm, else landscape (225 mm); when even the
    least widths do not fit, every column shrinks and long codes get break opportunities."""
    em = size
    pad = 2 * CELL_INSET + 1.0
    least, most, mean, longest = [], [], [], []
    for i, col in enumerate(columns):
        lines = [line for r in rows for line in r[i].split("\n")]
        natural = max((text_width(line) for line in lines), default=0.0)
        run = max((_longest_run(line) for line in lines), default=0.0)
        header = text_width(col["header"])
        low = max(run, min(header, 4.0), 1.0)
        if natural <= 4:
            low = max(low, natural)
        elif col["codec"] not in ("code", "seq", "int", "number", "date"):
            low = max(low, 4.0 if sum(text_width(r[i]) for r in rows) > 8 * max(1, len(rows)) else 3.0)
        least.append(low * em + pad)
        most.append(max(low, natural, min(header, 6.0)) * em + pad)
        mean.append(sum(text_width(r[i]) for r in rows) / max(1, len(rows)))
        longest.append(max(natural, run, 1.0) * em + pad)

    comfortable = [max(a, min(b, (LONG_LINE if m >= LONG_TEXT else 5) * em + pad)) for a, b, m in zip(least, most, mean)]
    if landscape is None:
        landscape = sum(comfortable) > PORTRAIT_WIDTH
    width = LANDSCAPE_WIDTH if landscape else PORTRAIT_WIDTH
    widths = _share(width, comfortable if sum(comfortable) <= width else least, most, mean)
    widths = _snap(widths, least, most, longest, em)
    breakable = tuple(w + 0.01 < a for w, a in zip(widths, least))
    return ColumnLayout(tuple(round(w, 2) for w in widths), landscape, breakable, size)


SNAP_GAP = 3.0  # em: a column short of its longest line by this much or less gets it, when others can give it


def _snap(widths: list[float], least: list[float], most: list[float], natural: list[float], em: float) -> list[float]:
    """A column a little narrower than its longest line gets that line (县自然资源局 is not printed 县自然资源 / 局,
    nor 九龙街道办事处 as …办事 / 处), the width taken from columns wider than their cells (a column of √ under a
    long header, which wraps) and from columns of long texts, which wrap anyway (down to eight characters); when
    they cannot give it, the column stays as it was. Widths in points."""
    pad = 2 * CELL_INSET + 1.0
    widths = list(widths)
    snapped: set[int] = set()
    for i in sorted(range(len(widths)), key=lambda i: most[i] - widths[i]):
        need = most[i] - widths[i]
        if need <= 0.01 or need > SNAP_GAP * em:
            continue
        spare = {}
        for j in range(len(widths)):
            if j != i and j not in snapped:
                wraps = most[j] > widths[j] + SNAP_GAP * em
                spare[j] = widths[j] - max(least[j], LONG_LINE * em + pad if wraps else natural[j])
        spare = {j: w for j, w in spare.items() if w > 0.01}
        total = sum(spare.values())
        if total < need:
            continue
        for j, w in spare.items():
            widths[j] -= need * w / total
        widths[i] = most[i]
        snapped.add(i)
    return widths


def _share(width: float, least: list[float], most: list[float], mean: list[float]) -> list[float]:
    """Widths between least and most, in proportion to the mean text, adding up to `width`."""
    if sum(least) >= width:
        return [w * width / sum(least) for w in least]
    if sum(most) <= width:
        return [w * width / sum(most) for w in most]
    lo, hi = 0.0, 1e6  # points of width per character of mean text
    for _ in range(60):
        k = (lo + hi) / 2
        if sum(max(a, min(b, k * m)) for a, b, m in zip(least, most, mean)) > width:
            hi = k
        else:
            lo = k
    widths = [max(a, min(b, lo * m)) for a, b, m in zip(least, most, mean)]
    spare = width - sum(widths)
    return [w + spare * w / sum(widths) for w in widths]


def row_height(cells: list[str], widths: tuple[float, ...], size: float = CELL_SIZE) -> float:
    """An estimate of a row's height in points (lines × leading), to let very tall rows break across pages."""
    lines = 1
    for cell, width in zip(cells, widths):
        per_line = max(1.0, (width - 2 * CELL_INSET) / size)
        lines = max(lines, sum(max(1, -(-int(text_width(line) * 100) // int(per_line * 100))) for line in cell.split("\n")))
    return lines * size * 1.5 + 8


def tall_row(landscape: bool) -> float:
    """The height in points above which a row may break across pages (TALL_ROW of the 版心's height)."""
    return TALL_ROW * (PORTRAIT_WIDTH if landscape else LANDSCAPE_WIDTH)  # the 版心 turned: its height is the other side


def _breakable(cell: str) -> str:
    """Allow a line break between the characters of long runs (codes) that cannot fit their column."""
    return _RUN.sub(lambda m: ZWSP.join(m.group()), cell)


#: fields that stay in their own column however sparse (the columns a reader looks a row up by)
CORE_FIELDS = frozenset({"seq", "rownum", "code", "name", "subitem", "type", "content"})
SPARSE = 1 / 3


@dataclass(frozen=True)
class PrintCategory:
    name: str
    count: int
    rows: list[list[Cell]]
    tall: list[bool]


@dataclass(frozen=True)
class PrintTable:
    headers: list[str]
    widths: tuple[float, ...]  # points
    centered: list[bool]
    landscape: bool
    size: float
    categories: list[PrintCategory]
    constants: list[tuple[str, str]] = field(default_factory=list)  # columns of one value in every row, said once above the table: (header, value)


def fold_sparse(columns: list[dict], rows: list[list[str]], note: str = "备注") -> tuple[list[dict], list[list[str]]]:
    """Columns filled in fewer than a third of the rows become `header：value` lines of one 备注 column at the end."""
    n = max(1, len(rows))
    sparse = [i for i, c in enumerate(columns) if c["field"] not in CORE_FIELDS and sum(1 for r in rows if r[i]) / n < SPARSE]
    if len(sparse) < 2 and not any(columns[i]["field"] == "note" for i in sparse):
        return columns, rows
    keep = [i for i in range(len(columns)) if i not in sparse]
    into = next((k for k, i in enumerate(keep) if columns[i]["field"] == "note"), None)
    folded_columns = [columns[i] for i in keep]
    if into is None:
        folded_columns.append({"field": "note", "header": note, "width": 20, "codec": "text"})
    folded_rows = []
    for r in rows:
        lines = [(r[i] if columns[i]["field"] == "note" else f"{columns[i]['header']}：{r[i]}") for i in sparse if r[i]]
        row = [r[i] for i in keep]
        if into is None:
            row.append("\n".join(lines))
        else:
            row[into] = "\n".join([row[into], *lines] if row[into] else lines)
        folded_rows.append(row)
    return folded_columns, folded_rows


def lift_constants(columns: list[dict], rows: list[list[str]]) -> tuple[list[dict], list[list[str]], list[tuple[str, str]]]:
    """Columns holding one and the same value in every row (a grid list's 对应属地清单) leave the table: said once."""
    same = [i for i, c in enumerate(columns) if c["field"] not in CORE_FIELDS and len(rows) > 1 and rows[0][i] and all(r[i] == rows[0][i] for r in rows)]
    if not same:
        return columns, rows, []
    keep = [i for i in range(len(columns)) if i not in same]
    return [columns[i] for i in keep], [[r[i] for i in keep] for r in rows], [(columns[i]["header"], rows[0][i]) for i in same]


def print_table(view: ListView, lang: str = "zh") -> PrintTable:
    """The list as it is printed: constant columns said once, sparse ones folded, widths, orientation, break
    opportunities in long codes."""
    rows = [r.cells for r in view.rows]
    columns, rows, constants = lift_constants(view.columns, rows)
    columns, rows = fold_sparse(columns, rows, "备注" if lang != "en" else "Notes")
    layout = layout_columns(columns, rows)
    if layout.landscape and len(columns) >= 8:  # a crowded landscape table: 小五 (9 pt) instead of 五号
        layout = layout_columns(columns, rows, SMALL_SIZE, landscape=True)
    centered = [c["codec"] in ("seq", "date", "bool", "int", "number") or layout.widths[i] < 6 * CELL_SIZE for i, c in enumerate(columns)]
    categories, at = [], 0
    for c in view.categories:
        mine = rows[at : at + c.count]
        at += c.count
        categories.append(
            PrintCategory(
                c.name,
                c.count,
                [[_breakable(cell) if layout.breakable[i] else cell for i, cell in enumerate(r)] for r in mine],
                [row_height(r, layout.widths, layout.size) > tall_row(layout.landscape) for r in mine],
            )
        )
    return PrintTable([c["header"] for c in columns], layout.widths, centered, layout.landscape, layout.size, categories, constants)


def cell_text(cell: Cell) -> str:
    """What a cell reads, redline marks aside: the text of its segments."""
    return cell if isinstance(cell, str) else "".join(text for _, text in cell)


def _breakable_cell(cell: Cell) -> Cell:
    return _breakable(cell) if isinstance(cell, str) else [(op, _breakable(text)) for op, text in cell]


#: the 修订对照表's printed columns (reading.CHANGES_COLUMNS; the list is the category row): key → codec
_CHANGES_PRINTED = {"seq": "seq", "kind": "text", "item": "text", "field": "text", "before": "text", "after": "text"}


def changes_table(changes: dict) -> PrintTable:
    """The 修订对照表 (reading.changes_view) as printed: a category row per list, then 序号, 调整, 事项, 字段, 修订前 and
    修订后 with their redline; widths from content like a list's; landscape when the two texts need it."""
    headers = changes["headers"]
    columns = [{"field": key, "header": headers[key], "width": 10, "codec": codec} for key, codec in _CHANGES_PRINTED.items()]
    groups: dict[str, list[list[Cell]]] = {}
    for n, r in enumerate(changes["rows"], 1):
        item = " ".join(s for s in (r["code"], r["name"]) if s)
        groups.setdefault(r["list"], []).append([str(n), r["kind_label"], item, r["field"], list(r["before"]), list(r["after"])])
    rows = [r for g in groups.values() for r in g]
    layout = layout_columns(columns, [[cell_text(c) for c in r] for r in rows])
    centered = [c["codec"] == "seq" or layout.widths[i] < 6 * CELL_SIZE for i, c in enumerate(columns)]
    categories = [
        PrintCategory(
            name,
            len(mine),
            [[_breakable_cell(cell) if layout.breakable[i] else cell for i, cell in enumerate(r)] for r in mine],
            [row_height([cell_text(c) for c in r], layout.widths, layout.size) > tall_row(layout.landscape) for r in mine],
        )
        for name, mine in groups.items()
    ]
    return PrintTable([c["header"] for c in columns], layout.widths, centered, layout.landscape, layout.size, categories)
