"""Semantic diff of two versions of a catalog set: items matched by code, then name, then meaning.

The core of `govlist diff` and `govlist changelog`; it never prints. Each side is a list of catalogs (see
`govlist.sources`). Items are matched by code (within a list, then across lists of the same kind), then by exact
normalised name (width, punctuation), then — unless `fuzzy=False` — by similarity of the gloss-stripped name and the
content, greedy best first with a deterministic tie-break. What is left is added or removed, unless it is part of a
split (one old item into several new ones) or a merge. 序号 (`seq`) is display order only and never a change.

Every change has a kind, a level (major / minor / editorial; configurable in govlist.yaml under `changes.levels`) and
a stable fingerprint (the same change in another run has the same fingerprint), so that approved changes can be
accepted. Gates on changes (协助 items without approval, withdrawals without a record, a changed catalog whose
version did not change, declared totals that do not add up) are reported as findings.
"""

from __future__ import annotations

import difflib
import gc
import hashlib
import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from .catalog import Catalog, Item, make_catalog
from .loader import LoadError, load_bytes
from .model import Finding, Severity, Text, json_pointer
from .normalize import normalize_name, similarity, strip_gloss
from .project import Project
from .schema import KINDS, validate as schema_validate
from .sources import Side

# --- kinds and levels -----------------------------------------------------------------------------------------------

KINDS_ORDER = ("added", "removed", "withdrawn", "devolved", "moved", "split", "merged", "renamed", "changed", "category", "catalog")
KIND_ZH = {
    "added": "新增", "removed": "取消", "withdrawn": "收回", "devolved": "下放", "moved": "移动", "split": "拆分",
    "merged": "合并", "renamed": "更名", "changed": "变更", "category": "类别调整", "catalog": "清单信息",
}
KIND_EN = {
    "added": "added", "removed": "removed", "withdrawn": "taken back", "devolved": "devolved", "moved": "moved",
    "split": "split", "merged": "merged", "renamed": "renamed", "changed": "changed", "category": "category",
    "catalog": "catalog",
}
LEVELS = ("major", "minor", "editorial")
LEVEL_RANK = {"major": 3, "minor": 2, "editorial": 1}
LEVEL_ZH = {"major": "重大", "minor": "一般", "editorial": "文字"}
DEFAULT_LEVELS = {
    "added": "major", "removed": "major", "withdrawn": "major", "devolved": "major", "moved": "major",
    "split": "major", "merged": "major", "renamed": "minor", "renamed.form": "editorial", "changed": "minor",
    "changed.note": "editorial", "category": "minor", "catalog": "minor", "catalog.note": "editorial",
    "catalog.source": "editorial", "catalog.illustrative": "editorial",
}
METHOD_ZH = {"code": "编码", "name": "名称", "similarity": "相似", "split": "拆分", "merge": "合并"}

FIELD_ZH = {
    "content": "内容", "basis": "依据", "note": "备注", "type": "类型", "department": "部门", "lead": "牵头/主体责任",
    "support": "配合", "responsible": "责任主体", "track": "履职类型", "jurisdiction": "条块类型", "handling": "处置",
    "source": "原实施部门", "receiver": "承接主体", "method": "方式", "entrustor": "委托机关", "decision": "赋权决定",
    "effective": "实施日期", "handover": "交接日期", "status": "状态", "withdrawal": "收回情况", "responsibilities": "责任事项",
    "accountability": "追责情形", "subitems": "子项", "application": "准入申请", "approval": "审批", "funding": "经费保障",
    "code": "编码", "name": "名称", "category": "类别", "catalog": "清单", "title": "标题", "doc_number": "文号",
    "version": "版本", "declared": "公布总数", "issuer": "发文机关", "level": "层级", "unit": "适用单位", "power_type": "权力类型",
    "reason": "原因", "date": "日期", "body": "审定机关", "form": "审批表", "amount": "金额", "conditions": "条件",
    "duties": "职责", "process": "处置流程", "time_limit": "处置时限", "stage": "环节", "records": "调整记录",
    "items": "事项数", "categories": "类别数", "breakdowns": "分组数", "counts": "数目",
    "grids": "适用网格", "territorial": "对应属地事项", "grid": "网格可承担", "illustrative": "示例说明", "adjustment": "调整情况",
}
LONG_FIELDS = frozenset({"content", "basis", "responsibilities", "accountability", "duties", "process", "note", "conditions"})
IGNORED_FIELDS = frozenset({"seq"})
MOVE_FIELDS = {"devolution": ("receiver",), "power": ("department",), "community": ("department",)}
WITHDRAWN_STATUS = normalize_name("收回")
WITHDRAWN_TRACK = normalize_name("上级部门收回事项")
ASSIST = normalize_name("协助事项")
PLACE_RANK = {"市": 0, "区": 1, "县": 1, "街道": 2, "乡镇": 2, "镇": 2, "乡": 2, "片区": 3, "社区": 4, "居民区": 4, "村": 4, "网格": 5, "责任块": 6}
HEADER_SKIP = frozenset({"categories", "items", "units", "govlist", "kind", "id", "adjustment"})
FUZZY_THRESHOLD = 0.6


@dataclass(frozen=True, slots=True)
class ItemRef:
    """Where an item stands on one side: list, category, code, name (and the file and pointer, to find its line)."""

    catalog: str
    code: str | None
    name: str
    category: str | None = None
    department: str | None = None
    file: str = ""
    pointer: tuple = ()
    basis: str = ""

    def label(self) -> str:
        return f"{self.code} {self.name}" if self.code else self.name

    def as_json(self) -> dict:
        return {"catalog": self.catalog, "category": self.category, "code": self.code, "name": self.name, "department": self.department, "file": self.file, "pointer": json_pointer(self.pointer), "basis": self.basis}


@dataclass(frozen=True)
class Change:
    """One change of substance. `field` is a path into the item (or the catalog header) for changed fields."""

    kind: str
    level: str
    catalog: str
    old: ItemRef | None = None
    new: ItemRef | None = None
    field: tuple = ()
    old_value: object = None
    new_value: object = None
    method: str = ""
    score: float | None = None
    redline: tuple = ()
    related: tuple = ()
    fingerprint: str = ""
    accepted: bool = False

    @property
    def ref(self) -> ItemRef | None:
        return self.new or self.old

    def sort_key(self) -> tuple:
        ref = self.ref
        item_level = self.kind not in ("catalog", "category")
        return (
            self.catalog,
            item_level,
            tuple((0, p) if isinstance(p, int) else (1, str(p)) for p in (ref.pointer if ref else ())),
            (ref.code or "") if ref else "",
            ref.name if ref else "",
            KINDS_ORDER.index(self.kind),
            tuple(str(p) for p in self.field),
            self.fingerprint,
        )


@dataclass
class Arithmetic:
    """old − removed + added (± moves, splits, merges) = new, for a list or one of its categories."""

    catalog: str
    category: str | None
    old_declared: int | None
    old_count: int
    new_declared: int | None
    new_count: int
    added: int = 0
    removed: int = 0
    moved_in: int = 0
    moved_out: int = 0

    @property
    def base(self) -> int:
        return self.old_declared if self.old_declared is not None else self.old_count

    @property
    def expected(self) -> int:
        return self.base - self.removed + self.added + self.moved_in - self.moved_out

    @property
    def stated(self) -> int:
        return self.new_declared if self.new_declared is not None else self.new_count

    @property
    def ok(self) -> bool:
        return self.expected == self.stated

    def as_json(self) -> dict:
        return {
            "catalog": self.catalog, "category": self.category, "old_declared": self.old_declared, "old_count": self.old_count,
            "removed": self.removed, "added": self.added, "moved_in": self.moved_in, "moved_out": self.moved_out,
            "expected": self.expected, "new_declared": self.new_declared, "new_count": self.new_count, "ok": self.ok,
        }


@dataclass
class CatalogInfo:
    id: str
    kind: str
    title: str
    file: str
    version: str | None
    effective: str | None
    doc_number: str | None
    items: int
    categories: int
    declared_items: int | None
    adjustment: dict

    def as_json(self) -> dict:
        return {
            "id": self.id, "kind": self.kind, "title": self.title, "file": self.file, "version": self.version,
            "effective": self.effective, "doc_number": self.doc_number, "items": self.items, "categories": self.categories,
            "declared_items": self.declared_items,
        }


@dataclass
class DiffResult:
    old_label: str
    new_label: str
    old_catalogs: list[CatalogInfo]
    new_catalogs: list[CatalogInfo]
    changes: list[Change]
    arithmetic: list[Arithmetic]
    findings: list[Finding]
    matched: dict[str, int]
    renumbered: int
    unchanged: int
    reasons: list[dict] = field(default_factory=list)

    def failed(self, level: str | None) -> bool:
        if level is None:
            return False
        rank = LEVEL_RANK[level]
        return any(not c.accepted and LEVEL_RANK[c.level] >= rank for c in self.changes)

    def findings_failed(self, severity: Severity | None) -> bool:
        return severity is not None and any(f.severity >= severity for f in self.findings)


# --- settings -------------------------------------------------------------------------------------------------------


@dataclass
class Settings:
    levels: dict[str, str]
    require: dict[str, list[str]]
    accepted: frozenset[str]
    severities: dict

    @classmethod
    def from_project(cls, project: Project, accepted: set[str] | None = None) -> "Settings":
        data = getattr(project, "changes", None) or {}
        levels = dict(DEFAULT_LEVELS)
        levels.update({str(k): str(v) for k, v in (data.get("levels") or {}).items()})
        require = {str(k): [str(x) for x in (v or [])] for k, v in (data.get("require") or {}).items()}
        fps = {str(x) for x in (data.get("accepted") or [])} | set(accepted or ())
        return cls(levels, require, frozenset(fps), dict(project.severities))

    def level(self, kind: str, fieldname: str | None = None) -> str:
        if fieldname and f"{kind}.{fieldname}" in self.levels:
            return self.levels[f"{kind}.{fieldname}"]
        return self.levels.get(kind, "minor")


def read_accept_file(text: str) -> set[str]:
    """Fingerprints from an acceptance file: one a line (YAML list items and `# comments` allowed)."""
    out = set()
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip().lstrip("-").strip().strip("'\"")
        if line and all(c in "0123456789abcdef" for c in line.lower()):
            out.add(line.lower())
    return out


# --- loading a side -------------------------------------------------------------------------------------------------


def load_side(side: Side, findings: list[Finding]) -> list[Catalog]:
    """The catalogs of a side; files that cannot be loaded become findings and are left out."""
    catalogs = []
    enabled = gc.isenabled()
    gc.disable()
    try:
        for source in side.files:
            try:
                doc = load_bytes(source.raw, source.display)
            except LoadError as exc:
                findings.append(Finding(exc.rule, Severity.ERROR, exc.message, source.display, exc.line, exc.column))
                continue
            data = doc.data
            if not isinstance(data, dict) or data.get("kind") not in KINDS or data.get("kind") == "project":
                continue
            issues = schema_validate(data["kind"], data)
            if issues:
                first = issues[0]
                findings.append(Finding(first.rule, Severity.ERROR, Text(f"清单不符合格式，未参与比较：{first.message.zh}", f"catalog does not match its schema and was left out of the comparison: {first.message.en}"), source.display, *doc.position(first.path), json_pointer(first.path)))
                continue
            catalogs.append(make_catalog(doc))
    finally:
        if enabled:
            gc.enable()
    return catalogs


# --- helpers --------------------------------------------------------------------------------------------------------


def _plain(value: object) -> object:
    """JSON-ready, canonical: dates as ISO strings, a single basis string as a one-element list is kept as is."""
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def as_text(value: object) -> str:
    """A field value as the text a clerk reads (for redlines and tables)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, (list, tuple)):
        return "\n".join(as_text(v) for v in value)
    if isinstance(value, dict):
        if set(value) <= {"stage", "content"}:
            return f"{value.get('stage', '')}：{as_text(value.get('content'))}"
        return "；".join(f"{FIELD_ZH.get(str(k), k)}：{as_text(v)}" for k, v in value.items())
    if isinstance(value, bool):
        return "是" if value else "否"
    return _plain(value).__str__()


def redline(old: str, new: str) -> tuple:
    """Character-level redline: ((op, text), …) with op equal / delete / insert."""
    out: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            out.append(("equal", old[i1:i2]))
        else:
            if i2 > i1:
                out.append(("delete", old[i1:i2]))
            if j2 > j1:
                out.append(("insert", new[j1:j2]))
    return tuple(out)


def _department(item: Item) -> str | None:
    data = item.data
    for key in ("department", "source", "responsible"):
        value = data.get(key)
        if isinstance(value, str) and value:
            return value
    lead = data.get("lead")
    if isinstance(lead, dict):
        return lead.get("unit")
    if isinstance(lead, str):
        return lead
    if isinstance(lead, list) and lead and isinstance(lead[0], dict):
        return lead[0].get("unit")
    return None


def _ref(item: Item) -> ItemRef:
    category = item.category.get("name") if item.category else None
    basis = item.data.get("basis")
    basis_text = "；".join(str(b) for b in basis) if isinstance(basis, list) else (str(basis) if basis else "")
    return ItemRef(item.catalog.id, item.code, item.name, category, _department(item), item.catalog.path, item.pointer, basis_text)


def _content(item: Item) -> str:
    content = item.data.get("content")
    return normalize_name(content) if isinstance(content, str) else ""


def _fuzzy_name(item: Item) -> str:
    return normalize_name(strip_gloss(item.name))


def _status_withdrawn(item: Item) -> bool:
    status = item.data.get("status")
    track = item.data.get("track")
    return (isinstance(status, str) and normalize_name(status) == WITHDRAWN_STATUS) or (isinstance(track, str) and normalize_name(track) in (WITHDRAWN_TRACK, WITHDRAWN_STATUS))


def _place_rank(catalog: Catalog) -> int | None:
    level = catalog.level
    return PLACE_RANK.get(str(level)) if level else None


def _fingerprint(kind: str, catalog: str, old: ItemRef | None, new: ItemRef | None, fieldpath: tuple, old_value: object, new_value: object, related: tuple) -> str:
    payload = [
        kind, catalog,
        [old.catalog, old.code, old.name] if old else None,
        [new.catalog, new.code, new.name] if new else None,
        [str(p) for p in fieldpath], _plain(old_value), _plain(new_value),
        [[r.catalog, r.code, r.name] for r in related],
    ]
    return hashlib.sha256(json.dumps(payload, ensure_ascii=False, sort_keys=True, default=str).encode("utf-8")).hexdigest()[:16]


def _related(a: str, b: str) -> float:
    """How far one name is part of the other (0 when they are not): used for splits and merges."""
    if not a or not b:
        return 0.0
    if a == b:  # the same once glosses are stripped: 临时救助申请受理（急难型） and （支出型）
        return 1.0
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    if len(short) < 2:
        return 0.0
    if short in long:
        return 1.0
    matched = sum(block.size for block in difflib.SequenceMatcher(None, short, long, autojunk=False).get_matching_blocks())
    if matched / len(short) >= 0.8 and matched / len(long) >= 0.4:
        return matched / len(short)
    return 0.0


def _bigrams(text: str) -> set[str]:
    return {text[i:i + 2] for i in range(len(text) - 1)} or ({text} if text else set())


# --- the diff -------------------------------------------------------------------------------------------------------


class _Differ:
    def __init__(self, old: list[Catalog], new: list[Catalog], settings: Settings, fuzzy: bool) -> None:
        self.old, self.new, self.settings, self.fuzzy = old, new, settings, fuzzy
        self.old_by_id = {c.id: c for c in old}
        self.new_by_id = {c.id: c for c in new}
        self.pairs: list[tuple[Item, Item, str, float]] = []
        self.changes: list[Change] = []
        self.findings: list[Finding] = []
        self.matched: Counter = Counter()
        self.renumbered = 0
        self.unchanged = 0
        self.splits: list[tuple[Item, list[Item], float]] = []
        self.merges: list[tuple[list[Item], Item, float]] = []

    # matching ------------------------------------------------------------------------------------------------------

    def match(self) -> tuple[list[Item], list[Item]]:
        old_items = [i for c in self.old for i in c.items]
        new_items = [i for c in self.new for i in c.items]
        old_free = dict.fromkeys(range(len(old_items)))
        new_free = dict.fromkeys(range(len(new_items)))
        order_old = {id(i): n for n, i in enumerate(old_items)}
        order_new = {id(i): n for n, i in enumerate(new_items)}

        def pair(o: Item, n: Item, method: str, score: float) -> None:
            del old_free[order_old[id(o)]]
            del new_free[order_new[id(n)]]
            self.pairs.append((o, n, method, score))
            self.matched[method] += 1

        # 1. code within the same list
        by_code = {}
        for n in new_items:
            if n.code is not None:
                by_code.setdefault((n.catalog.id, n.code), n)
        for o in old_items:
            if o.code is None:
                continue
            n = by_code.get((o.catalog.id, o.code))
            if n is not None and order_new[id(n)] in new_free:
                pair(o, n, "code", 1.0)
        # 2. code across lists of the same kind, when unique on both sides
        for key_fn, method in (
            (lambda i: (i.catalog.kind, i.code) if i.code is not None else None, "code"),
            (lambda i: (i.catalog.id, normalize_name(i.name)), "name"),
            (lambda i: (i.catalog.kind, normalize_name(i.name)), "name"),
        ):
            olds: dict = defaultdict(list)
            news: dict = defaultdict(list)
            for index in old_free:
                key = key_fn(old_items[index])
                if key is not None and key[1]:
                    olds[key].append(old_items[index])
            for index in new_free:
                key = key_fn(new_items[index])
                if key is not None and key[1]:
                    news[key].append(new_items[index])
            for key, group in olds.items():
                candidates = news.get(key)
                if not candidates:
                    continue
                if method == "code" and (len(group) > 1 or len(candidates) > 1):
                    continue
                for o, n in zip(group, candidates):
                    pair(o, n, method, 1.0)
        # 3. similarity of meaning
        if self.fuzzy and old_free and new_free:
            self._fuzzy([old_items[i] for i in old_free], [new_items[i] for i in new_free], pair, order_old, order_new)
        removed = [old_items[i] for i in old_free]
        added = [new_items[i] for i in new_free]
        return removed, added

    def _fuzzy(self, olds: list[Item], news: list[Item], pair, order_old, order_new) -> None:
        index: dict[tuple, list[int]] = defaultdict(list)
        news_names = [_fuzzy_name(n) for n in news]
        news_content = [_content(n) for n in news]
        for j, n in enumerate(news):
            for gram in _bigrams(news_names[j]):
                index[(n.catalog.kind, gram)].append(j)
        by_content: dict[tuple, list[int]] = defaultdict(list)
        for j, n in enumerate(news):
            if news_content[j]:
                by_content[(n.catalog.kind, news_content[j])].append(j)
        scored = []
        for o in olds:
            oname, ocontent = _fuzzy_name(o), _content(o)
            hits: Counter = Counter()
            for gram in _bigrams(oname):
                for j in index.get((o.catalog.kind, gram), ()):
                    hits[j] += 1
            if ocontent:  # a renamed item whose content is the same
                for j in by_content.get((o.catalog.kind, ocontent), ()):
                    if j not in hits:
                        hits[j] = 0
            for j, _ in sorted(hits.items(), key=lambda kv: (-kv[1], kv[0]))[:200]:
                name_score = similarity(oname, news_names[j])
                ncontent = news_content[j]
                if ocontent and ncontent:
                    content_score = 1.0 if ocontent == ncontent else similarity(ocontent, ncontent)
                    score = 0.5 * name_score + 0.5 * content_score
                    plausible = name_score >= 0.34 or content_score >= 0.9
                else:
                    score = name_score
                    plausible = True
                if news[j].catalog.id != o.catalog.id:
                    score -= 0.05
                if plausible and score >= FUZZY_THRESHOLD:
                    scored.append((-round(score, 6), order_old[id(o)], order_new[id(news[j])], o, news[j], score))
        scored.sort(key=lambda t: t[:3])
        taken_o: set[int] = set()
        taken_n: set[int] = set()
        for _, oi, ni, o, n, score in scored:
            if oi in taken_o or ni in taken_n:
                continue
            # a split or merge part must not be taken for a plain rename: leave it to split detection
            taken_o.add(oi)
            taken_n.add(ni)
            pair(o, n, "similarity", round(min(score, 1.0), 3))

    # splits and merges ---------------------------------------------------------------------------------------------

    def splits_and_merges(self, removed: list[Item], added: list[Item]) -> tuple[list[Item], list[Item]]:
        added_by_cat: dict[str, list[Item]] = defaultdict(list)
        for n in added:
            added_by_cat[n.catalog.id].append(n)
        removed_by_cat: dict[str, list[Item]] = defaultdict(list)
        for o in removed:
            removed_by_cat[o.catalog.id].append(o)
        used_new: set[int] = set()
        used_old: set[int] = set()
        kept_pairs = []
        # a matched pair whose name changed, with added items that are parts of the old one: a split
        for o, n, method, score in self.pairs:
            if normalize_name(o.name) != normalize_name(n.name):
                oname = _fuzzy_name(o)
                parts = [a for a in added_by_cat.get(n.catalog.id, ()) if id(a) not in used_new and _related(oname, _fuzzy_name(a)) and len(_fuzzy_name(a)) <= len(oname) + 8]
                if parts and _related(oname, _fuzzy_name(n)):
                    allparts = [n] + parts
                    used_new.update(id(a) for a in parts)
                    self.splits.append((o, allparts, round(sum(_related(oname, _fuzzy_name(a)) for a in allparts) / len(allparts), 3)))
                    self.matched[method] -= 1
                    continue
                nname = _fuzzy_name(n)
                sources = [r for r in removed_by_cat.get(o.catalog.id, ()) if id(r) not in used_old and _related(nname, _fuzzy_name(r))]
                if sources and _related(nname, oname):
                    allsrc = [o] + sources
                    used_old.update(id(r) for r in sources)
                    self.merges.append((allsrc, n, round(sum(_related(nname, _fuzzy_name(r)) for r in allsrc) / len(allsrc), 3)))
                    self.matched[method] -= 1
                    continue
            kept_pairs.append((o, n, method, score))
        self.pairs = kept_pairs
        # an unmatched old item with two or more added parts
        for o in removed:
            if id(o) in used_old:
                continue
            oname = _fuzzy_name(o)
            parts = [a for a in added_by_cat.get(o.catalog.id, ()) if id(a) not in used_new and _related(oname, _fuzzy_name(a))]
            if len(parts) >= 2:
                used_old.add(id(o))
                used_new.update(id(a) for a in parts)
                self.splits.append((o, parts, round(sum(_related(oname, _fuzzy_name(a)) for a in parts) / len(parts), 3)))
        for n in added:
            if id(n) in used_new:
                continue
            nname = _fuzzy_name(n)
            sources = [r for r in removed_by_cat.get(n.catalog.id, ()) if id(r) not in used_old and _related(nname, _fuzzy_name(r))]
            if len(sources) >= 2:
                used_new.add(id(n))
                used_old.update(id(r) for r in sources)
                self.merges.append((sources, n, round(sum(_related(nname, _fuzzy_name(r)) for r in sources) / len(sources), 3)))
        return [o for o in removed if id(o) not in used_old], [n for n in added if id(n) not in used_new]

    # changes -------------------------------------------------------------------------------------------------------

    def add(self, kind: str, catalog: str, old: ItemRef | None, new: ItemRef | None, fieldpath: tuple = (), old_value=None, new_value=None, method="", score=None, related=(), level_field: str | None = None, with_redline=False) -> None:
        level = self.settings.level(kind, level_field if level_field is not None else (str(fieldpath[0]) if fieldpath else None))
        old_value, new_value = _plain(old_value), _plain(new_value)
        fp = _fingerprint(kind, catalog, old, new, fieldpath, old_value, new_value, related)
        lines = redline(as_text(old_value), as_text(new_value)) if with_redline else ()
        self.changes.append(Change(kind, level, catalog, old, new, fieldpath, old_value, new_value, method, score, lines, tuple(related), fp, fp in self.settings.accepted))

    def category_map(self) -> dict[tuple[str, int], tuple[str, int] | None]:
        """Old (catalog id, category index) → new one: by code, else by normalised name, else where most items went."""
        mapping: dict[tuple[str, int], tuple[str, int] | None] = {}
        for cid, old_cat in self.old_by_id.items():
            new_cat = self.new_by_id.get(cid)
            if new_cat is None:
                continue
            new_codes = {str(c.get("code")): i for i, c in enumerate(new_cat.categories) if c.get("code") is not None}
            new_names = {normalize_name(str(c.get("name") or "")): i for i, c in enumerate(new_cat.categories)}
            for i, c in enumerate(old_cat.categories):
                target = None
                if normalize_name(str(c.get("name") or "")) in new_names:
                    target = new_names[normalize_name(str(c.get("name") or ""))]
                elif c.get("code") is not None and str(c.get("code")) in new_codes:
                    target = new_codes[str(c.get("code"))]
                mapping[(cid, i)] = (cid, target) if target is not None else None
        votes: dict[tuple[str, int], Counter] = defaultdict(Counter)
        for o, n, _, _ in self.pairs:
            if o.category_index is not None and n.category_index is not None and o.catalog.id == n.catalog.id:
                votes[(o.catalog.id, o.category_index)][n.category_index] += 1
        taken = {v for v in mapping.values() if v is not None}
        for key, target in list(mapping.items()):
            if target is None and votes.get(key):
                best = sorted(votes[key].items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
                if (key[0], best) not in taken:
                    mapping[key] = (key[0], best)
                    taken.add((key[0], best))
        return mapping

    def compare_pairs(self, catmap) -> None:
        for o, n, method, score in self.pairs:
            if o.data.get("seq") != n.data.get("seq"):
                self.renumbered += 1
            before = len(self.changes)
            self.compare(o, n, method, score, catmap)
            if len(self.changes) == before:
                self.unchanged += 1

    def compare(self, o: Item, n: Item, method: str, score: float, catmap) -> None:
        od, nd = o.data, n.data
        if len(od) == len(nd) and o.catalog.id == n.catalog.id and all(k in IGNORED_FIELDS or od[k] == nd.get(k) for k in od):
            if o.category_index is None or catmap.get((o.catalog.id, o.category_index)) == (n.catalog.id, n.category_index):
                return
        oref, nref = _ref(o), _ref(n)
        cid = n.catalog.id
        m = {"method": method, "score": score}
        # catalog moves: 下放 to a lower level, 收回 to a higher one, else moved
        if o.catalog.id != n.catalog.id:
            ro, rn = _place_rank(o.catalog), _place_rank(n.catalog)
            kind = "devolved" if ro is not None and rn is not None and rn > ro else ("withdrawn" if ro is not None and rn is not None and rn < ro else "moved")
            self.add(kind, cid, oref, nref, ("catalog",), o.catalog.id, n.catalog.id, **m)
        elif o.category_index is not None or n.category_index is not None:
            if catmap.get((o.catalog.id, o.category_index)) != (n.catalog.id, n.category_index):
                self.add("moved", cid, oref, nref, ("category",), oref.category, nref.category, **m)
        # withdrawal by status or track
        was, now = _status_withdrawn(o), _status_withdrawn(n)
        skip = set(IGNORED_FIELDS) | {"name"}
        if was != now:
            key = "status" if ("status" in od or "status" in nd) else "track"
            new_value = {key: nd.get(key), "withdrawal": nd.get("withdrawal")} if now else {key: nd.get(key)}
            self.add("withdrawn" if now else "devolved", cid, oref, nref, (key,), od.get(key), new_value, **m)
            skip |= {"status", "track", "withdrawal"}
        if o.name != n.name:
            form_only = normalize_name(o.name) == normalize_name(n.name)
            self.add("renamed", cid, oref, nref, ("name",), o.name, n.name, level_field="form" if form_only else None, **m)
        # split into power sub-items
        osub, nsub = od.get("subitems") or [], nd.get("subitems") or []
        if not osub and len(nsub) >= 2 or len(osub) >= 2 and not nsub:
            parts = tuple(ItemRef(cid, s.get("code"), str(s.get("name") or ""), nref.category, nref.department, n.catalog.path, n.pointer + ("subitems", i)) for i, s in enumerate(nsub or osub) if isinstance(s, dict))
            self.add("split" if nsub else "merged", cid, oref, nref, ("subitems",), osub or None, nsub or None, method, score, parts)
            skip.add("subitems")
        # the receiving unit or department changes with the list when the item moves to another list: not a move of its own
        move_fields = MOVE_FIELDS.get(n.catalog.kind, ()) if o.catalog.id == n.catalog.id else ()
        for key in sorted(set(od) | set(nd), key=str):
            if key in skip:
                continue
            self._field(cid, oref, nref, (key,), od.get(key), nd.get(key), m, "moved" if key in move_fields else "changed")

    def _field(self, cid, oref, nref, path: tuple, a, b, m, kind: str) -> None:
        if a == b or _same_basis(path, a, b):
            return
        if isinstance(a, dict) and isinstance(b, dict):
            for key in sorted(set(a) | set(b), key=str):
                self._field(cid, oref, nref, path + (key,), a.get(key), b.get(key), m, kind)
            return
        text_old, text_new = as_text(a), as_text(b)
        long = str(path[-1]) in LONG_FIELDS or len(text_old) + len(text_new) >= 30
        self.add(kind, cid, oref, nref, path, a, b, with_redline=long and bool(text_old) and bool(text_new), level_field=str(path[0]), **m)

    def catalog_changes(self) -> None:
        for cid in sorted(set(self.old_by_id) | set(self.new_by_id)):
            o, n = self.old_by_id.get(cid), self.new_by_id.get(cid)
            if o is None or n is None:
                c = o or n
                ref = ItemRef(cid, None, c.title, None, None, c.path)
                self.add("catalog", cid, ref if o else None, ref if n else None, (), c.title if o else None, c.title if n else None, level_field="")
                continue
            oref = ItemRef(cid, None, o.title, None, None, o.path)
            nref = ItemRef(cid, None, n.title, None, None, n.path)
            for key in sorted((set(o.data) | set(n.data)) - HEADER_SKIP, key=str):
                self._header(cid, oref, nref, (key,), o.data.get(key), n.data.get(key))
            # categories added, removed or renamed
            old_names = [str(c.get("name") or "") for c in o.categories]
            new_names = [str(c.get("name") or "") for c in n.categories]
            catmap = self._catmap
            targets = {}
            for i, name in enumerate(old_names):
                t = catmap.get((cid, i))
                if t is None:
                    self.add("category", cid, ItemRef(cid, None, name, name, None, o.path, ("categories", i)), None, ("category",), name, None)
                else:
                    targets[t[1]] = i
                    if normalize_name(name) != normalize_name(new_names[t[1]]) or name != new_names[t[1]]:
                        self.add("category", cid, ItemRef(cid, None, name, name, None, o.path, ("categories", i)), ItemRef(cid, None, new_names[t[1]], new_names[t[1]], None, n.path, ("categories", t[1])), ("category",), name, new_names[t[1]])
            for j, name in enumerate(new_names):
                if j not in targets:
                    self.add("category", cid, None, ItemRef(cid, None, name, name, None, n.path, ("categories", j)), ("category",), None, name)

    def _header(self, cid, oref, nref, path: tuple, a, b) -> None:
        if a == b:
            return
        if isinstance(a, dict) and isinstance(b, dict):
            for key in sorted(set(a) | set(b), key=str):
                self._header(cid, oref, nref, path + (key,), a.get(key), b.get(key))
            return
        self.add("catalog", cid, oref, nref, path, a, b, level_field=str(path[0]))

    def run(self) -> None:
        removed, added = self.match()
        removed, added = self.splits_and_merges(removed, added)
        self._catmap = catmap = self.category_map()
        self.compare_pairs(catmap)
        for o in removed:
            self.add("removed", o.catalog.id, _ref(o), None, (), None, None)
        for n in added:
            self.add("added", n.catalog.id, None, _ref(n), (), None, None)
        for o, parts, score in self.splits:
            oref = _ref(o)
            self.add("split", parts[0].catalog.id, oref, None, (), None, None, "split", score, tuple(_ref(p) for p in parts))
        for sources, n, score in self.merges:
            self.add("merged", n.catalog.id, None, _ref(n), (), None, None, "merge", score, tuple(_ref(s) for s in sources))
        self.catalog_changes()
        self.removed_items, self.added_items = removed, added


def _same_basis(path: tuple, a: object, b: object) -> bool:
    """A single basis written as a string or as a one-element list is the same basis."""
    if path and path[-1] == "basis":
        norm = lambda v: [v] if isinstance(v, str) else v  # noqa: E731
        return norm(a) == norm(b)
    return False


# --- arithmetic and gates -------------------------------------------------------------------------------------------


def _declared_items(c: Catalog) -> int | None:
    declared = c.data.get("declared")
    value = declared.get("items") if isinstance(declared, dict) else None
    return value if isinstance(value, int) else None


def _arithmetic(d: _Differ) -> list[Arithmetic]:
    rows: dict[tuple[str, str | None], Arithmetic] = {}
    catmap = d._catmap

    def row(cid: str, category: str | None) -> Arithmetic:
        key = (cid, category)
        if key not in rows:
            rows[key] = Arithmetic(cid, category, None, 0, None, 0)
        return rows[key]

    # the key of a category: its name in the new version (old categories mapped to new)
    def old_key(item: Item) -> str | None:
        if item.category_index is None:
            return None
        target = catmap.get((item.catalog.id, item.category_index))
        if target is not None and target[0] in d.new_by_id:
            return str(d.new_by_id[target[0]].categories[target[1]].get("name") or "")
        return str(item.category.get("name") or "")

    def new_key(item: Item) -> str | None:
        return None if item.category_index is None else str(item.category.get("name") or "")

    for c in d.old:
        r = row(c.id, None)
        r.old_count = len(c.items)
        r.old_declared = _declared_items(c)
        for i, cat in enumerate(c.categories):
            target = catmap.get((c.id, i))
            name = str(d.new_by_id[target[0]].categories[target[1]].get("name") or "") if target else str(cat.get("name") or "")
            cr = row(c.id, name)
            cr.old_count += len(cat.get("items") or [])
            if isinstance(cat.get("declared"), int):
                cr.old_declared = (cr.old_declared or 0) + cat["declared"]
    for c in d.new:
        r = row(c.id, None)
        r.new_count = len(c.items)
        r.new_declared = _declared_items(c)
        for cat in c.categories:
            cr = row(c.id, str(cat.get("name") or ""))
            cr.new_count += len(cat.get("items") or [])
            if isinstance(cat.get("declared"), int):
                cr.new_declared = (cr.new_declared or 0) + cat["declared"]

    def out(item: Item, what: str) -> None:
        row(item.catalog.id, None).__dict__[what] += 1
        if item.category_index is not None:
            row(item.catalog.id, old_key(item)).__dict__[what] += 1

    def into(item: Item, what: str) -> None:
        row(item.catalog.id, None).__dict__[what] += 1
        if item.category_index is not None:
            row(item.catalog.id, new_key(item)).__dict__[what] += 1

    for o in d.removed_items:
        out(o, "removed")
    for n in d.added_items:
        into(n, "added")
    for o, parts, _ in d.splits:
        out(o, "removed")
        for p in parts:
            into(p, "added")
    for sources, n, _ in d.merges:
        for s in sources:
            out(s, "removed")
        into(n, "added")
    for o, n, _, _ in d.pairs:
        if o.catalog.id != n.catalog.id:
            out(o, "moved_out")
            into(n, "moved_in")
        elif o.category_index is not None and old_key(o) != new_key(n):
            row(o.catalog.id, old_key(o)).moved_out += 1
            row(n.catalog.id, new_key(n)).moved_in += 1
    return [rows[k] for k in sorted(rows, key=lambda k: (k[0], k[1] is not None, k[1] or ""))]


def _finding(d: _Differ, rule: str, message: Text, catalog: Catalog | None, pointer: tuple, item: str | None = None) -> None:
    severity = d.settings.severities.get(rule, _default_severity(rule))
    if severity is None:
        return
    if catalog is None:
        d.findings.append(Finding(rule, severity, message, "", 0, 0, json_pointer(pointer), item))
        return
    line, column = catalog.doc.position(pointer)
    d.findings.append(Finding(rule, severity, message, catalog.path, line, column, json_pointer(pointer), item))


def _default_severity(rule: str) -> Severity:
    from .ruleset import RULES
    from . import rules as _rules  # noqa: F401

    return RULES[rule].severity if rule in RULES else Severity.ERROR


def _filled(value: object) -> bool:
    return value is not None and value != "" and value != [] and value != {}


def _records(c: Catalog | None) -> list[dict]:
    adjustment = c.data.get("adjustment") if c is not None else None
    records = adjustment.get("records") if isinstance(adjustment, dict) else None
    return [r for r in (records or []) if isinstance(r, dict)]


def _record_for(c: Catalog | None, ref: ItemRef) -> dict | None:
    for record in _records(c):
        if ref.code and record.get("code") is not None and str(record.get("code")) == ref.code:
            return record
        if record.get("name") and normalize_name(str(record["name"])) == normalize_name(ref.name):
            return record
    return None


REQUIRE_ZH = {"reason": "原因", "approval": "批准", "effective": "生效日期", "date": "日期"}


def _gates(d: _Differ) -> None:
    vocab = None
    try:
        from .project import build_project

        vocab = build_project(None, None).vocabulary("community_types")
    except Exception:  # pragma: no cover
        pass

    def is_assist(item: Item) -> bool:
        value = item.data.get("type")
        if not isinstance(value, str):
            return False
        canonical = vocab.resolve(value)[0] if vocab else value
        return normalize_name(canonical or value) == ASSIST

    # 协助 items that arrive in a community list without application and approval
    arrived: list[tuple[Item, str]] = [(n, "added") for n in d.added_items]
    arrived += [(p, "split") for _, parts, _ in d.splits for p in parts] + [(n, "merged") for _, n, _ in d.merges]
    for o, n, _, _ in d.pairs:
        if o.catalog.id != n.catalog.id or (o.category_index is not None and d._catmap.get((o.catalog.id, o.category_index)) != (n.catalog.id, n.category_index)) or not is_assist(o):
            arrived.append((n, "moved"))
    for item, how in arrived:
        if item.catalog.kind != "community" or not is_assist(item):
            continue
        missing = [k for k in ("application", "approval") if not _filled(item.data.get(k))]
        if missing:
            zh = "、".join({"application": "准入申请", "approval": "审批记录"}[k] for k in missing)
            _finding(
                d, "change.assist-without-approval",
                Text(f"协助事项“{item.label()}”新列入社区清单，但没有{zh}（{', '.join(missing)}）", f"assisting item '{item.label()}' newly put on a community list without its {' and '.join(missing)} record"),
                item.catalog, item.pointer, item.code,
            )
    # removals and withdrawals without their record
    for what, items in (("removal", [(o, None) for o in d.removed_items]), ("withdrawal", [(c.old, c.new) for c in d.changes if c.kind == "withdrawn"])):
        required = d.settings.require.get(what) or []
        if not required:
            continue
        for entry in items:
            if what == "removal":
                o = entry[0]
                ref = _ref(o)
                target = d.new_by_id.get(o.catalog.id)
                record = _record_for(target, ref) or {}
                pointer = ("adjustment",) if target is not None and "adjustment" in target.data else ()
                where = target if target is not None else o.catalog
                if target is None:
                    pointer = o.pointer
            else:
                oref, nref = entry
                where = d.new_by_id.get(nref.catalog)
                item_data = _data_at(where, nref.pointer)
                record = dict(_record_for(where, nref) or {})
                withdrawal = item_data.get("withdrawal") if isinstance(item_data, dict) else None
                if isinstance(withdrawal, dict):
                    record.update({k: v for k, v in withdrawal.items() if _filled(v)})
                pointer = nref.pointer + (("withdrawal",) if isinstance(withdrawal, dict) else ())
                ref = nref
            missing = [k for k in required if not _filled(record.get(k)) and not (k in ("effective", "date") and (_filled(record.get("effective")) or _filled(record.get("date"))))]
            if missing:
                label_zh, label_en = ("取消", "removed") if what == "removal" else ("收回", "taken back")
                _finding(
                    d, "change.withdrawal-record",
                    Text(
                        f"{label_zh}事项“{ref.label()}”缺少{'、'.join(REQUIRE_ZH.get(k, k) for k in missing)}的记录（项目文件 changes.require.{what} 要求）",
                        f"{label_en} item '{ref.label()}' has no recorded {', '.join(missing)} (required by changes.require.{what} in the project file)",
                    ),
                    where, pointer, ref.code,
                )
    # a list that changed while its version and date stayed the same
    changed_ids = {c.catalog for c in d.changes if c.kind != "catalog" or c.field not in (("version",), ("effective",))}
    for cid in sorted(changed_ids):
        o, n = d.old_by_id.get(cid), d.new_by_id.get(cid)
        if o is None or n is None:
            continue
        if o.data.get("version") == n.data.get("version") and o.data.get("effective") == n.data.get("effective"):
            pointer = ("version",) if "version" in n.data else (("effective",) if "effective" in n.data else ())
            _finding(
                d, "change.version-not-bumped",
                Text(
                    f"清单“{cid}”有变更，但版本（{n.data.get('version') or '未填'}）和生效日期（{_plain(n.data.get('effective')) or '未填'}）都没有改",
                    f"list '{cid}' changed but neither its version ({n.data.get('version') or 'none'}) nor its effective date ({_plain(n.data.get('effective')) or 'none'}) did",
                ),
                n, pointer,
            )


def _data_at(catalog: Catalog | None, pointer: tuple) -> object:
    node: object = catalog.data if catalog is not None else None
    for part in pointer:
        try:
            node = node[part]  # type: ignore[index]
        except (KeyError, IndexError, TypeError):
            return None
    return node


def _arith_findings(d: _Differ, rows: list[Arithmetic]) -> None:
    for r in rows:
        if r.ok or (r.old_declared is None and r.new_declared is None):
            continue
        n = d.new_by_id.get(r.catalog)
        pointer: tuple = ("declared", "items") if r.category is None else ()
        if r.category is not None and n is not None:
            for i, cat in enumerate(n.categories):
                if str(cat.get("name") or "") == r.category:
                    pointer = ("categories", i, "declared") if "declared" in cat else ("categories", i)
        if n is not None and r.category is None and not isinstance(n.data.get("declared"), dict):
            pointer = ()
        where_zh = f"清单“{r.catalog}”" + (f"类别“{r.category}”" if r.category else "")
        where_en = f"list '{r.catalog}'" + (f" category '{r.category}'" if r.category else "")
        moves_zh = (f"，移入 {r.moved_in}、移出 {r.moved_out}" if r.moved_in or r.moved_out else "")
        moves_en = (f", {r.moved_in} moved in, {r.moved_out} out" if r.moved_in or r.moved_out else "")
        base_zh = f"原公布 {r.old_declared} 项" if r.old_declared is not None else f"原有 {r.old_count} 项"
        base_en = f"{r.old_declared} declared before" if r.old_declared is not None else f"{r.old_count} before"
        new_zh = f"新公布 {r.new_declared} 项" if r.new_declared is not None else f"新版实有 {r.new_count} 项"
        new_en = f"{r.new_declared} declared now" if r.new_declared is not None else f"{r.new_count} now"
        _finding(
            d, "change.arithmetic",
            Text(
                f"{where_zh}调整数目对不上：{base_zh}，取消 {r.removed}、新增 {r.added}{moves_zh}，应为 {r.expected} 项，{new_zh}",
                f"{where_en}: the adjustment does not add up: {base_en}, {r.removed} removed, {r.added} added{moves_en}, makes {r.expected}, but {new_en}",
            ),
            n, pointer,
        )


def _info(c: Catalog) -> CatalogInfo:
    data = c.data
    effective = data.get("effective")
    return CatalogInfo(
        c.id, c.kind, c.title, c.path, None if data.get("version") is None else str(data.get("version")),
        None if effective is None else str(_plain(effective)), data.get("doc_number"), len(c.items), len(c.categories),
        _declared_items(c), dict(data.get("adjustment") or {}),
    )


def _reasons(d: _Differ) -> list[dict]:
    """Reasons recorded in the new version: the adjustment's own, its records, and withdrawal records."""
    out = []
    for c in sorted(d.new, key=lambda c: c.id):
        adjustment = c.data.get("adjustment")
        if isinstance(adjustment, dict) and adjustment.get("reason"):
            out.append({"catalog": c.id, "code": None, "name": None, "action": None, "reason": str(adjustment["reason"]), "approval": adjustment.get("approval"), "effective": _plain(adjustment.get("date"))})
        for r in _records(c):
            if r.get("reason"):
                out.append({"catalog": c.id, "code": r.get("code"), "name": r.get("name"), "action": r.get("action"), "reason": str(r["reason"]), "approval": r.get("approval"), "effective": _plain(r.get("effective") or r.get("date"))})
    for ch in d.changes:
        if ch.kind == "withdrawn" and isinstance(ch.new_value, dict) and isinstance(ch.new_value.get("withdrawal"), dict):
            w = ch.new_value["withdrawal"]
            if w.get("reason") and not any(x["code"] == ch.new.code and x["name"] == ch.new.name for x in out):
                out.append({"catalog": ch.catalog, "code": ch.new.code, "name": ch.new.name, "action": "收回", "reason": str(w["reason"]), "approval": w.get("approval"), "effective": w.get("date")})
    return out


def diff_catalogs(old: list[Catalog], new: list[Catalog], settings: Settings, fuzzy: bool = True, old_label: str = "", new_label: str = "", findings: list[Finding] | None = None) -> DiffResult:
    """Compare two loaded catalog sets."""
    old = sorted(old, key=lambda c: (c.id, c.path))
    new = sorted(new, key=lambda c: (c.id, c.path))
    d = _Differ(old, new, settings, fuzzy)
    enabled = gc.isenabled()
    gc.disable()
    try:
        d.run()
    finally:
        if enabled:
            gc.enable()
    rows = _arithmetic(d)
    _gates(d)
    _arith_findings(d, rows)
    all_findings = list(findings or []) + d.findings
    all_findings.sort(key=Finding.sort_key)
    d.changes.sort(key=Change.sort_key)
    return DiffResult(
        old_label, new_label, [_info(c) for c in old], [_info(c) for c in new], d.changes, rows, all_findings,
        {k: d.matched[k] for k in ("code", "name", "similarity") if d.matched[k]}, d.renumbered, d.unchanged, _reasons(d),
    )


def diff_sides(old: Side, new: Side, project: Project, fuzzy: bool = True, accepted: set[str] | None = None) -> DiffResult:
    findings: list[Finding] = []
    old_catalogs = load_side(old, findings)
    new_catalogs = load_side(new, findings)
    return diff_catalogs(old_catalogs, new_catalogs, Settings.from_project(project, accepted), fuzzy, old.label, new.label, findings)
