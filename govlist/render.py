"""The static HTML site (`govlist render`): the pages of the view models (govlist.views), written and swapped in whole.

Nothing here prints. The site is written into a temporary folder beside the target and swapped in whole, so a failed
render leaves the previous site as it was. Output is reproducible: the same catalogs give the same bytes (no clock:
dates come from the catalogs or from SOURCE_DATE_EPOCH).

Templates (govlist/templates/site/) see only the view data of govlist.views, never raw YAML; `--templates DIR`
overrides them file by file (a ChoiceLoader puts DIR first). Every catalog value reaches the page through Jinja2
with autoescaping on, so a name containing `<script>` shows as text. The PDF and Word writers (govlist.pdf,
govlist.docx) are handed in by the caller and write into the site's pdf/ and docx/ folders.
"""

from __future__ import annotations

import datetime as _dt
import functools
import itertools
import json
import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from markupsafe import Markup

from . import templating
from .catalog import Catalog
from .cache import Cache, combine, keep_title_words, kept_title_words
from .layout import segmenter_version, text_width, title_words
from .matrix import STATUS_ZH, SYMBOL, Matrix, site_matrices
from .model import Text
from .output import recover_dir, replace_dir, write_text
from .tokens import DATE, DOC_NUMBER, NO_BREAK
from .result import UsageError
from .tables import COLUMNS
from .templating import url_fragment
from .templating import TEMPLATES  # noqa: F401  (pdf reads the packaged typst template from here)
from .reading import changes_view
from .views import CategoryView, ListView, RowView, list_view, make_views  # noqa: F401  (list_view: the views' old home, still imported from here)

SITE_MARKER = ".govlist-site"
ASSETS = ("style.css", "list.js", "index.js", "matrix.js")


class RenderError(UsageError):
    """A render that cannot be done as asked (no CJK font, unknown template folder, an output that is not a site):
    the CLI reports it like a usage error, exit 2."""


def build_date(catalogs: list[Catalog]) -> str:
    """The date a render states (the build date): SOURCE_DATE_EPOCH when set (reproducible builds), else today."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return _dt.datetime.fromtimestamp(int(epoch), _dt.UTC).date().isoformat()
    return _dt.datetime.now(_dt.UTC).date().isoformat()


# --- templates -------------------------------------------------------------------------------------------------------


def environment(templates: Path | None, subdir: str = "site"):
    """The site's templates (govlist.templating), a user's folder over the packaged ones; a missing folder is a
    RenderError."""
    try:
        env = templating.environment(subdir, templates, strict=True)
    except UsageError as exc:
        raise RenderError(exc.message) from None
    env.filters["nowrap"] = nowrap
    env.filters["title_breaks"] = TitleBreaks()
    env.globals["table_rows"] = table_rows
    env.auto_reload = False  # a site's templates do not change while it is made: not looked up on disk for every page
    return env


def matrix_page(matrix: Matrix, lang: str) -> str:
    """One matrix as a page of its own (`govlist matrix --format html`), in the site's templates."""
    page = environment(None).get_template("matrix.html.j2")
    return page.render(m=matrix, symbol=SYMBOL, status_zh=STATUS_ZH, lang=lang, root="", has_changes=False, combined_pdf=None, date="", unit_hrefs={}, item_hrefs={}, standalone=True)


def nowrap(value: object):
    """Escaped text with each 文号 and date in a <span class="nw">, so a line never breaks inside one."""
    return Markup(_nowrap(str(value)))


SHORT_TITLE = 10.0  # em: a title this short fits one line of a phone's <h1>


class TitleBreaks:
    """The `title_breaks` filter: a title escaped, with <wbr> between its words (layout.title_words): the page's <h1>
    breaks only there (its CSS keeps CJK words whole), never inside 清单 or 街道, as the PDF and the Word file break
    it. Each text is cut once (lists of many units share their titles). With the project's cache, the words of the
    last site's titles are read back and the new ones kept: a render whose titles are unchanged loads no word
    dictionary (rjieba's takes 0.2–0.5 s a process, a third of a small project's whole render)."""

    def __init__(self, cache: Cache | None = None) -> None:
        self.cache = cache
        self.key = combine(cache.salt, "title words", segmenter_version()) if cache is not None else ""
        self.kept = kept_title_words(cache, self.key) if cache is not None else {}
        self.used: dict[str, list[str]] = {}

    def __call__(self, value: object) -> Markup:
        title = str(value)
        if text_width(title) <= SHORT_TITLE:
            return Markup(_escape(title))
        words = self.used.get(title) or self.kept.get(title) or list(_title_words(title))
        self.used[title] = words
        return Markup("<wbr>".join(map(_escape, words)))

    def keep(self) -> None:
        """Keep the words of this site's titles in the cache, when they are not what it holds already."""
        if self.cache is not None and self.used != self.kept:
            keep_title_words(self.cache, self.key, self.used)


@functools.lru_cache(maxsize=4096)
def _title_words(title: str) -> tuple[str, ...]:
    return tuple(title_words(title))


_SPECIAL = re.compile("[&<>'\"]")


def _escape(text: str) -> str:
    """`text` escaped for HTML exactly as Jinja's autoescape (markupsafe) does it, as a plain str."""
    if _SPECIAL.search(text) is None:  # most text has nothing to escape
        return text
    return text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;").replace("'", "&#39;").replace('"', "&#34;")


_MAY_CHANGE = re.compile("[\\d号&<>'\"]")  # what a cell needs for its HTML to differ from its text: a date's digit, a 文号's 号, a character to escape


@functools.lru_cache(maxsize=4096)  # cells repeat (dates, units, types, empty ones): their HTML is made once
def _nowrap(text: str) -> str:
    if _MAY_CHANGE.search(text) is None:  # most cells: one quick scan
        return text
    # 文号 (XX政发〔2022〕6号) and dates (2024-01-01, 2024年1月1日). NO_BREAK tries every character as the start of an
    # issuer before a 文号, which is slow on long text; where the text holds no 文号 only its dates can match, and
    # DATE alone finds exactly those
    pattern = NO_BREAK if "号" in text and DOC_NUMBER.search(text) else DATE
    if pattern.search(text) is None:  # a code, a number: digits, but no date
        return _escape(text)
    out, at = [], 0
    for m in pattern.finditer(text):
        out.append(_escape(text[at : m.start()]))
        out.append(f'<span class="nw">{_escape(m.group())}</span>')
        at = m.end()
    out.append(_escape(text[at:]))
    return "".join(out)


_URL_SAFE = re.compile(r"[A-Za-z0-9._~-]*")  # what url_fragment leaves as it is (and escaping too)


def table_rows(view: ListView, category: CategoryView) -> Iterator[Markup]:
    """The <tr> of each item of one category of a list page, as list.html.j2 lays them out, a few dozen rows at a
    time: the name cell a row header linking to the row itself (and to where the item comes from and goes), every
    other cell a <td> labelled with its column's header (the card layout at phone width shows it) and its 文号 and
    dates kept on one line (nowrap). Built here rather than cell by cell in Jinja, which took most of the site's time;
    the page is the same bytes (tests/test_site_pages.py checks it against the cell-by-cell template)."""
    fields = [col["field"] for col in view.columns]
    named = fields.index("name") if "name" in fields else -1
    before, in_td = [], False  # what goes before each cell: the end of the cell before it, the start of its own
    for col in view.columns:
        start = "" if col["field"] == "name" else f'<td class="{_escape(str(col["codec"]))}" data-label="{_escape(str(col["header"]))}">'
        before.append(("</td>" if in_td else "") + start)
        in_td = bool(start)
    end = ("</td>" if in_td else "") + "</tr>\n"
    cat = f'" data-cat="{category.index}"'
    out: list[str] = []
    for row in category.rows:
        anchor = _escape(row.anchor)
        out.append(f'<tr id="{anchor}{cat}{_row_data(row.type, row.department)}>\n')
        cells = row.cells
        html = list(map(_nowrap, cells)) if named < 0 else [*map(_nowrap, cells[:named]), _name_cell(row, anchor, cells[named]), *map(_nowrap, cells[named + 1 :])]
        out.extend(itertools.chain.from_iterable(zip(before, html)))
        out.append(end)
        if len(out) >= 1024:  # a few dozen rows a piece: streamed, without a piece per cell
            yield Markup("".join(out))
            out = []
    if out:
        yield Markup("".join(out))


@functools.lru_cache(maxsize=1024)  # a list has few types and departments
def _row_data(type_: str, department: str) -> str:
    """A row's data-type and data-dept attributes (what the page's filters read), each only when it has a value."""
    return (f' data-type="{_escape(type_)}"' if type_ else "") + (f' data-dept="{_escape(department)}"' if department else "")


def _name_cell(row: RowView, anchor: str, name: str) -> str:
    """A row's header cell: its name linking to the row itself (`anchor`: its id, escaped), and the links to where
    the item comes from and goes."""
    fragment = anchor if _URL_SAFE.fullmatch(row.anchor) else _escape(url_fragment(row.anchor))  # safe: as it is
    html = f'<th scope="row"><a class="self" href="#{fragment}">{_escape(name)}</a>'
    if row.xrefs:
        html += '<span class="xrefs">'
        for x in row.xrefs:
            text = f"：{_escape(str(x['text']))}" if x["text"] else ""
            html += f'<a href="{_escape(str(x["href"]))}">{_escape(str(x["label"]))}{text}</a>'
        html += "</span>"
    return html + "</th>"


def template_source(env, name: str) -> str:
    return env.loader.get_source(env, name)[0]


# --- the site --------------------------------------------------------------------------------------------------------


_index_json = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
INDEX_ROWS = 1024  # items of the search index encoded and written together (_search_index)


def _search_index(views: list[ListView]) -> Iterator[str]:
    """assets/search-index.js: every item as [list, anchor, code, name, category, type, department], loaded by a
    script tag (works from file://, no fetch). Made as a stream, INDEX_ROWS items at a time, not as one string of
    every item of the site: the same bytes as the whole payload encoded at once, since the pieces meet between two
    items (a `,` outside any string), where no `</` can be cut in two."""
    lists = [{"href": v.href, "title": v.title} for v in views]
    yield ("window.GOVLIST_INDEX = " + _index_json({"lists": lists})[:-1] + ',"items":[').replace("</", "<\\/")
    rows = ([n, r.anchor, r.code, r.name, c.name, r.type, r.department] for n, v in enumerate(views) for c in v.categories for r in c.rows)
    apart = ""
    while items := list(itertools.islice(rows, INDEX_ROWS)):
        yield apart + _index_json(items)[1:-1].replace("</", "<\\/")
        apart = ","
    yield "]};\n"


class Writer(Protocol):
    """What writes one published format into the site's folder for it (pdf.PdfWriter, docx.DocxWriter)."""

    suffix: str

    def __call__(self, views: list[ListView], folder: Path, date: str) -> list[str]:
        """A file per list and, for more than one, all.<suffix>; returns their names."""

    def changes(self, changes: dict, path: Path, date: str) -> None:
        """The 修订对照表 (reading.changes_view) as one file."""


@dataclass
class RenderResult:
    out: Path
    lists: int
    items: int
    pdfs: list[str] = field(default_factory=list)
    docx: list[str] = field(default_factory=list)


def _write(path: Path, text: str | Iterable[str]) -> None:
    """One file of the site, written as it is made (a page: Jinja's `generate()`, piece by piece; output.write_text)
    under a temporary name, then renamed, into the folder the site is built in aside (nothing else writes there).
    Not flushed to disk file by file: replace_dir flushes the whole site before it swaps it in."""
    write_text(path, (text,) if isinstance(text, str) else text, sync=False, aside=True)


def build_site(
    catalogs: list[Catalog],
    target: Path,
    templates: Path | None = None,
    lang: str = "zh",
    changes=None,
    pdf: Writer | None = None,
    progress: Callable[[int, int], None] | None = None,
    links: list[dict] | None = None,
    docx: Writer | None = None,
    cache: Cache | None = None,
) -> RenderResult:
    """Write the whole site into `target` (an empty folder). `pdf(views, folder, date)` writes PDFs and returns
    their names; `docx(views, folder, date)` likewise writes Word files; with `changes`, each also writes the
    修订对照表 (changes.pdf, changes.docx). `cache`: the project's (cache.open_cache), where the words of the
    titles are kept from one render to the next (TitleBreaks).
    A template that fails (a typo in an overriding template) is reported as a RenderError naming the template."""
    import jinja2

    try:
        return _build_site(catalogs, target, templates, lang, changes, pdf, progress, links, docx, cache)
    except jinja2.TemplateError as exc:
        name, line = getattr(exc, "name", None), getattr(exc, "lineno", None)  # a syntax error knows where it stands
        where = f"{name}:{line}" if name else ""
        raise RenderError(Text(f"模板错误 {where}：{exc.message}", f"template error {where}: {exc.message}")) from None


def _cross_references(catalogs: list[Catalog], views: list[ListView], lang: str, links: list[dict] | None) -> dict[str, str]:
    """Each row's links to where its item comes from and goes (govlist.links); returns list id → page href."""
    from .catalog import UnitIndex
    from .links import cross_references
    from .normalize import normalize_name

    listed = [c for c in catalogs if c.kind in COLUMNS]
    where: dict[int, tuple[ListView, RowView]] = {}
    for catalog, view in zip(listed, views):
        for item, row in zip(catalog.items, view.rows):
            where[id(item)] = (view, row)
    refs = cross_references(catalogs, UnitIndex([c for c in catalogs if c.kind == "registry"]), links)
    for key, entries in refs.items():
        if key not in where:
            continue
        for ref in entries:
            target = where.get(id(ref.target))
            if target is not None:
                label = ref.label_en if lang == "en" else ref.label_zh
                row = where[key][1]
                same = normalize_name(target[1].name) == normalize_name(row.name)  # say the other name only when it differs
                row.xrefs.append({"label": label, "href": f"../{target[0].href}#{target[1].anchor}", "text": "" if same else target[1].name})
    return {c.id: v.href for c, v in zip(listed, views)}


def _matrix_pages(env, catalogs: list[Catalog], views: list[ListView], hrefs: dict[str, str], target: Path, common: dict) -> list[dict]:
    """matrix/<template>.html for each upper list two or more lists derive from; returns {href, title} for the index."""

    by_id = {v.id: v for v in views}
    pages = []
    for m in site_matrices(catalogs):
        base = by_id.get(m.template or "")
        item_hrefs = {i: f"../{base.href}#{row.anchor}" for i, row in enumerate(base.rows)} if base else {}
        slug = re.sub(r"[^A-Za-z0-9._-]+", "-", m.template or "matrix").strip("-.") or "matrix"
        href = f"matrix/{slug}.html"
        unit_hrefs = {u.list_id: f"../{hrefs[u.list_id]}" for u in m.units if u.list_id in hrefs}
        _write(target / href, env.get_template("matrix.html.j2").generate(m=m, symbol=SYMBOL, status_zh=STATUS_ZH, unit_hrefs=unit_hrefs, item_hrefs=item_hrefs, standalone=False, root="../", **common))
        pages.append({"href": href, "title": base.title if base else m.template, "units": len(m.units)})
    return pages


def _write_files(writer: Writer | None, views: list[ListView], folder: Path, date: str, changes: dict | None, tick: Callable[[], None]) -> list[str]:
    """One format's files into its folder: a file per list, all.<suffix>, and changes.<suffix> with a 修订对照表."""
    if writer is None:
        return []
    names = writer(views, folder, date)
    if changes is not None:
        folder.mkdir(parents=True, exist_ok=True)
        writer.changes(changes, folder / f"changes.{writer.suffix}", date)
        names.append(f"changes.{writer.suffix}")
    tick()
    return names


def _build_site(catalogs, target, templates, lang, changes, pdf, progress, links=None, docx=None, cache=None) -> RenderResult:
    env = environment(templates)
    titles = env.filters["title_breaks"] = TitleBreaks(cache)
    views = make_views(catalogs, lang)
    hrefs = _cross_references(catalogs, views, lang, links)
    date = build_date(catalogs)
    total_items = sum(v.count for v in views)
    steps = len(views) + 2 + (1 if pdf else 0) + (1 if docx else 0)
    done = 0

    def tick() -> None:
        nonlocal done
        done += 1
        if progress:
            progress(done, steps)

    adjustments = changes_view(changes, lang) if changes is not None else None
    for name in ASSETS:
        _write(target / "assets" / name, template_source(env, name))
    _write(target / "assets" / "search-index.js", _search_index(views))
    _write(target / SITE_MARKER, "govlist site\n")
    tick()
    pdf_names = _write_files(pdf, views, target / "pdf", date, adjustments, tick)
    docx_names = _write_files(docx, views, target / "docx", date, adjustments, tick)
    for v in views:
        v.pdf = f"pdf/{v.slug}.pdf" if f"{v.slug}.pdf" in pdf_names else None
        v.docx = f"docx/{v.slug}.docx" if f"{v.slug}.docx" in docx_names else None
    common = {"lang": lang, "date": date, "has_changes": adjustments is not None, "combined_pdf": "pdf/all.pdf" if "all.pdf" in pdf_names else None, "combined_docx": "docx/all.docx" if "all.docx" in docx_names else None}
    page = env.get_template("list.html.j2")
    for v in views:
        _write(target / v.href, page.generate(list=v, root="../", **common))
        tick()
    matrices = _matrix_pages(env, catalogs, views, hrefs, target, common)
    _write(target / "index.html", env.get_template("index.html.j2").generate(lists=views, total_items=total_items, matrices=matrices, root="", **common))
    if adjustments is not None:
        files = {f"changes_{suffix}": f"{suffix}/changes.{suffix}" if f"changes.{suffix}" in names else None for suffix, names in (("pdf", pdf_names), ("docx", docx_names))}
        _write(target / "changes.html", env.get_template("changes.html.j2").generate(changes=adjustments, root="", **files, **common))
    titles.keep()
    tick()
    return RenderResult(target, len(views), total_items, pdf_names, docx_names)


def publish(out: Path, build: Callable[[Path], RenderResult]) -> RenderResult:
    """Build into a temporary folder beside `out`, then swap it in whole (output.replace_dir): a site at every instant."""
    out = Path(os.path.abspath(out))
    recover_dir(out)  # a killed run's old site back in place before it is looked at
    if out.exists() and not out.is_dir():
        raise RenderError(Text(f"{out} 已存在且不是目录", f"{out} exists and is not a folder"))
    if out.is_dir() and any(out.iterdir()) and not (out / SITE_MARKER).exists():
        raise RenderError(
            Text(
                f"{out} 不是空目录，也不是 govlist 生成的网站；为免误删，请另选输出目录或先清空它",
                f"{out} is not empty and not a site govlist made; to avoid deleting anything, choose another folder or empty it first",
            )
        )
    result = replace_dir(out, build)
    result.out = out
    return result
