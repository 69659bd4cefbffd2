"""The basis (依据) of items: present where the law requires one, citing a law and article, not repealed."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from ..catalog import Catalog, Item
from ..model import Text
from ..normalize import normalize_name
from ..ruleset import Context, Problem, at, rule
from ..tokens import ARTICLE as _ARTICLE, DOC_NUMBER as _DOC_NUMBER

#: List kinds whose every item needs a basis (community lists: only 依法履职事项).
BASIS_KINDS = frozenset({"power", "devolution", "territorial"})

_TITLE = re.compile(r"《([^《》]*)》")
#: Titles of documents that have no articles: decisions, notices, opinions…
_NO_ARTICLES = re.compile(r"(决定|通知|意见|方案|批复|公告|通告|目录|清单|函|纪要)$")
_VAGUE = re.compile(
    r"相关法律法规|有关法律法规|相关法律、法规|有关法律、法规|法律法规规定|法律、法规规定|相关规定|有关规定|有关文件|相关文件|"
    r"上级文件|上级要求|上级部署|国家有关政策|相关政策|有关政策|法律法规|政策规定"
)


def basis_strings(value: object) -> list[tuple[tuple, str]]:
    """The basis field as (pointer suffix, text) pairs: one for a string, one per element for a list."""
    if value is None:
        return []
    if isinstance(value, list):
        return [((index,), str(text)) for index, text in enumerate(value) if text is not None and str(text).strip()]
    text = str(value)
    return [((), text)] if text.strip() else []


def _needs_basis(item: Item, ctx: Context) -> bool:
    kind = item.catalog.kind
    if kind in BASIS_KINDS:
        return True
    if kind == "community":
        canonical, _ = ctx.project.vocabulary("community_types").resolve(str(item.data.get("type") or ""))
        return canonical == "依法履职事项"
    return False


@rule("basis.missing", "warning", "缺少依据", "no basis", kinds=BASIS_KINDS | {"community"})
def missing_basis(catalog: Catalog, ctx: Context) -> Iterator[Problem]:
    """
    权责清单、下放/赋权目录、属地管理清单的每个事项，以及社区工作事项清单中的依法履职事项，都应写明依据
    `basis`（法律、法规、规章或文件及条款）。没有依据的权力事项不应列入清单，下放和属地事项也无从核对。
    权责清单的子项沿用主项的依据：主项有依据时子项可不写；主项没有依据时，每个子项都必须有自己的依据。

    PASS:
        - name: 临时占用城市道路审批
          basis: 《城市道路管理条例》第三十一条
    FAIL:
        - name: 临时占用城市道路审批       # 没有 basis

    English:
    Every item of a power list, a devolution catalog and a territorial list, and each 依法履职事项 of a community list,
    should state its `basis` (the law, regulation, rule or document, and the article). A power without a basis
    should not be listed at all, and devolved or territorial items cannot be checked without one. Power sub-items
    inherit the main item's basis: when the main item has one they may omit theirs; when it has none, every sub-item
    needs its own.
    """
    for item in catalog.items:
        basis = item.data.get("basis")
        if (isinstance(basis, str) and basis.strip()) or not _needs_basis(item, ctx) or basis_strings(basis):
            continue  # (a basis written as text, the usual case, is told without the general reading)
        subitems = [s for s in (item.data.get("subitems") or []) if isinstance(s, dict)]
        if subitems:
            bare = [str(s.get("name") or s.get("code") or index + 1) for index, s in enumerate(subitems) if not basis_strings(s.get("basis"))]
            if not bare:
                continue
            yield at(
                item,
                "name",
                f"事项“{item.label()}”及其子项“{'、'.join(bare)}”都没有依据（basis）",
                f"item '{item.label()}' and its sub-items '{', '.join(bare)}' state no basis",
            )
            continue
        what = "依法履职事项" if catalog.kind == "community" else "事项"
        yield at(
            item,
            "name",
            f"{what}“{item.label()}”没有写明依据（basis），应写明法律法规名称和条款，如《中华人民共和国城乡规划法》第六十四条",
            f"item '{item.label()}' states no basis; give the law and article, e.g. 《中华人民共和国城乡规划法》第六十四条",
        )


def _bases(catalog: Catalog) -> Iterator[tuple[Item, tuple, str]]:
    """(item, path within the item, text) of every basis string of a catalog's items and of their sub-items, in
    order: one walk that basis.form and basis.repealed both take."""
    plain = ("basis",)
    for item in catalog.items:
        data = item.data
        basis, subitems = data.get("basis"), data.get("subitems")
        if isinstance(basis, str) and not subitems:  # the usual case, without the general walk
            if basis.strip():
                yield item, plain, basis
            continue
        for suffix, text in basis_strings(basis):
            yield item, plain + suffix, text
        for index, sub in enumerate(subitems or ()):
            if isinstance(sub, dict) and sub.get("basis") is not None:
                for suffix, text in basis_strings(sub["basis"]):
                    yield item, ("subitems", index, "basis") + suffix, text


def form_problem(text: str, kind: str) -> tuple[str, str] | None:
    """Why a basis text is vague, as (zh, en), or None when it reads like a citation."""
    stripped = text.strip()
    if stripped.count("《") != stripped.count("》"):
        return (
            f"依据“{stripped}”中书名号《》不成对",
            f"the basis '{stripped}' has unbalanced title marks 《》",
        )
    titles = list(_TITLE.finditer(stripped))
    if not titles:
        if _DOC_NUMBER.search(stripped):
            return None
        vague = _VAGUE.search(stripped)
        if vague:
            return (
                f"依据“{stripped}”过于笼统（“{vague.group(0)}”），应写明法律法规名称和条款，如《中华人民共和国城乡规划法》第六十四条",
                f"the basis '{stripped}' is vague ('{vague.group(0)}'); name the law and article, e.g. 《中华人民共和国城乡规划法》第六十四条",
            )
        return (
            f"依据“{stripped}”没有用书名号《》写明法律法规或文件名称，如《中华人民共和国城乡规划法》第六十四条",
            f"the basis '{stripped}' names no law or document in 《》, e.g. 《中华人民共和国城乡规划法》第六十四条",
        )
    if kind != "power":
        return None
    for number, match in enumerate(titles):
        title = match.group(1).strip()
        end = titles[number + 1].start() if number + 1 < len(titles) else len(stripped)
        following = stripped[match.end() : end]
        if _ARTICLE.search(following) or _DOC_NUMBER.search(following) or _NO_ARTICLES.search(title):
            continue
        return (
            f"依据“{stripped}”引用了《{title}》但没有写明条款；权责清单的依据应具体到条（如第六十四条、第十条第二款）",
            f"the basis '{stripped}' cites 《{title}》 without an article; a power list's basis should name the article (第六十四条, 第十条第二款)",
        )
    return None


#: form_problem remembered by (text, kind): a set cites the same few laws in the same words over and over (the
#: copies of the bundled catalogs: 184 texts in 8,188 bases), and the answer is the text's alone
_form_problem = lru_cache(maxsize=1 << 16)(form_problem)


@rule("basis.form", "warning", "依据不规范", "vague basis")
def basis_form(catalog: Catalog, ctx: Context) -> Iterator[Problem]:
    """
    依据应当写明法律、法规、规章或文件的名称（用书名号《》），权责清单还应具体到条款，如
    “《中华人民共和国城乡规划法》第六十四条”“《……》第十条第二款”“《……条例》第3条”；多部法规用“、”或“；”
    分隔，或写成列表。以下情况报告：只写“相关法律法规”“有关规定”“法律法规规定”等笼统说法；没有书名号；
    书名号不成对；权责清单中引用的法规没有写条款。用文号引用的文件（如 成华府办〔2012〕35号）和
    决定、通知、意见等不分条款的文件不要求写条款。

    PASS:
        kind: power
        items:
          - {name: 对违法建设的处罚, basis: 《中华人民共和国城乡规划法》第六十四条}
          - {name: 燃气安全检查, basis: 《中华人民共和国安全生产法》第九条、《城镇燃气管理条例》第二十八条}
    FAIL:
        kind: power
        items:
          - {name: 对违法建设的处罚, basis: 相关法律法规}              # 没有法规名称
          - {name: 城乡规划监督检查, basis: 《中华人民共和国城乡规划法》}   # 权责清单：没有条款

    English:
    A basis should name the law, regulation, rule or document in title marks 《》, and in a power list also the
    article: 《中华人民共和国城乡规划法》第六十四条, 《…》第十条第二款, 《…条例》第3条; several are separated by 、 or ；
    or written as a list. Reported: vague wording only (相关法律法规, 有关规定, 法律法规规定); no title marks;
    unbalanced title marks; in a power list, a cited law without an article. Documents cited by their number
    (成华府办〔2012〕35号) and decisions, notices and opinions, which have no articles, need no article.
    """
    kind = catalog.kind
    for item, path, text in _bases(catalog):
        problem = _form_problem(text, kind)
        if problem:
            yield Problem(catalog, item.pointer + path, Text(*problem), item)


@lru_cache(maxsize=1 << 16)
def _titles(text: str) -> tuple[tuple[str, str], ...]:
    """Each title a basis text cites in 《》, with its name as titles compare (normalize_name): remembered by text, as
    a set cites the same few laws in the same words over and over."""
    return tuple((title, normalize_name(title)) for title in _TITLE.findall(text))


def _repealed_titles(ctx: Context) -> dict[str, dict]:
    titles = {}
    for entry in ctx.project.repealed:
        title = str(entry.get("title") or "")
        match = _TITLE.search(title)
        key = normalize_name(match.group(1) if match else title)
        if key:
            titles[key] = entry
    return titles


@rule("basis.repealed", "error", "依据已废止", "repealed basis")
def repealed_basis(catalog: Catalog, ctx: Context) -> Iterator[Problem]:
    """
    依据引用了项目配置 `repealed` 中列出的已废止法规文件。法规废止后，以它为依据的事项应当取消、收回或改用
    新的依据（“法律法规立改废释”是动态调整的常见原因）。书名号内的名称统一全角半角、去掉标点后比较。

    GIVEN:
        kind: project
        repealed: [{title: 《城市房屋拆迁管理条例》, date: "2011-01-21"}]
    PASS:
        - {name: 房屋征收补偿协调, basis: 《国有土地上房屋征收与补偿条例》第五条}
    FAIL:
        - {name: 房屋拆迁协调, basis: 《城市房屋拆迁管理条例》第五条}   # 已废止

    English:
    A basis cites a law or document listed as repealed in the project's `repealed`. Once repealed, the items resting
    on it must be cancelled, taken back or given a new basis (changes in the law are a usual reason for an
    adjustment). The titles inside 《》 are compared after width normalisation and without punctuation.
    """
    repealed = _repealed_titles(ctx)
    if not repealed:
        return
    for item, path, text in _bases(catalog):
        if "《" not in text:
            continue  # no title to compare
        for title, key in _titles(text):
            entry = repealed.get(key)
            if entry is None:
                continue
            date = entry.get("date")
            when_zh = f"（{date} 废止）" if date else ""
            when_en = f" (repealed {date})" if date else ""
            yield Problem(
                catalog,
                item.pointer + path,
                Text(
                    f"事项“{item.label()}”的依据《{title}》已废止{when_zh}，应取消、收回该事项或改用现行依据",
                    f"item '{item.label()}' rests on 《{title}》, which has been repealed{when_en}; cancel or take back the item, or cite the law now in force",
                ),
                item,
            )
