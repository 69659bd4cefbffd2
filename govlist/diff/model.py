"""What a diff is made of: references to items, changes, count arithmetic, catalog headers, the result, settings.

Plain data: the engine (`engine.py`) builds it, the reporters (`diffreport`, `changelog`, `render`) read it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..catalog import Catalog, Item
from ..kinds import department
from ..model import Finding, Severity, Text, json_pointer
from ..normalize import normalize_name
from ..project import Project
from .labels import KINDS_ORDER, LEVEL_RANK
from .sideload import header, same_data

DEFAULT_LEVELS = {
    "added": "major",
    "removed": "major",
    "withdrawn": "major",
    "devolved": "major",
    "moved": "major",
    "split": "major",
    "merged": "major",
    "renamed": "minor",
    "renamed.form": "editorial",
    "changed": "minor",
    "changed.note": "editorial",
    "category": "minor",
    "catalog": "minor",
    "catalog.note": "editorial",
    "catalog.source": "editorial",
    "catalog.illustrative": "editorial",
}


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

    def identity(self) -> tuple:
        """Which item this is, to count it once however many changes it has: its place in its file (two items
        without a code may share a name, in two categories)."""
        return (self.catalog, self.file, self.pointer)

    def fingerprint_part(self) -> list:
        """What a change's fingerprint takes of an item: list, code, name, and its category when it has no code (two
        items without a code may share a name in two categories); never its place, which moves with 序号."""
        part: list = [self.catalog, self.code, self.name]
        return part + [self.category] if not self.code and self.category is not None else part

    def as_json(self) -> dict:
        return {"catalog": self.catalog, "category": self.category, "code": self.code, "name": self.name, "department": self.department, "file": self.file, "pointer": json_pointer(self.pointer), "basis": self.basis}


def item_ref(item: Item) -> ItemRef:
    """Where an item stands: its list, category, code, name, department, file, pointer and basis."""
    category = item.category.get("name") if item.category else None
    basis = item.data.get("basis")
    basis_text = "；".join(str(b) for b in basis) if isinstance(basis, list) else (str(basis) if basis else "")
    return ItemRef(item.catalog.id, item.code, item.name, category, department(item.catalog.kind, item.data), item.catalog.path, item.pointer, basis_text)


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
            "catalog": self.catalog,
            "category": self.category,
            "old_declared": self.old_declared,
            "old_count": self.old_count,
            "removed": self.removed,
            "added": self.added,
            "moved_in": self.moved_in,
            "moved_out": self.moved_out,
            "expected": self.expected,
            "new_declared": self.new_declared,
            "new_count": self.new_count,
            "ok": self.ok,
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
            "id": self.id,
            "kind": self.kind,
            "title": self.title,
            "file": self.file,
            "version": self.version,
            "effective": self.effective,
            "doc_number": self.doc_number,
            "items": self.items,
            "categories": self.categories,
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
    pairing: list = field(default_factory=list)  # pairing.ListPair: which old list each new list was compared with, and how
    unread: list[tuple[str, Finding]] = field(default_factory=list)  # ("old" | "new", why): files not compared
    set_aside: list[tuple[str, CatalogInfo]] = field(default_factory=list)  # ("old" | "new", list): lists left without a partner while the other side has unread files

    def failed(self, level: str | None) -> bool:
        if level is None:
            return False
        rank = LEVEL_RANK[level]
        return any(not c.accepted and LEVEL_RANK[c.level] >= rank for c in self.changes)

    def not_compared(self) -> list[Text]:
        """Plain sentences on what was not compared: each file that could not be read or failed its format, and why;
        each list of the other side set aside because of it (empty when everything was compared)."""
        out = []
        for side, f in self.unread:
            where = f"{f.file}:{f.line}:{f.column}" if f.line else f.file
            zh_side, en_side = ("旧版", "old") if side == "old" else ("新版", "new")
            out.append(
                Text(
                    f"{zh_side}文件 {f.file} 无法读取或不符合格式，未作比较：{where} [{f.rule}] {f.message.zh}", f"the {en_side} file {f.file} could not be read or does not match its format, so it was not compared: {where} [{f.rule}] {f.message.en}"
                )
            )
        for side, c in self.set_aside:
            zh_side, en_side, zh_other, en_other, zh_kind, en_kind = ("旧版", "old", "新版", "new", "取消", "removed") if side == "old" else ("新版", "new", "旧版", "old", "新增", "added")
            out.append(
                Text(
                    f"{zh_side}清单 {c.id}《{c.title}》（{c.file}）在{zh_other}中没有对应，可能就在未能比较的文件中：未作比较，其事项不计为{zh_kind}",
                    f"the {en_side} list {c.id} “{c.title}” ({c.file}) has no partner in the {en_other} version and may be in the file that was not compared: not compared, its items are not counted as {en_kind}",
                )
            )
        return out

    def findings_failed(self, severity: Severity | None) -> bool:
        return severity is not None and any(f.severity >= severity for f in self.findings)


# --- what the rules on changes see ---------------------------------------------------------------------------------


@dataclass
class Comparison:
    """Two matched versions and their changes: what a rule of scope "changes" reads as `ctx.comparison`."""

    settings: "Settings"
    old_by_id: dict[str, Catalog]
    new_by_id: dict[str, Catalog]
    pairs: list[tuple[Item, Item, str, float]]  # (old, new, method, score)
    splits: list[tuple[Item, list[Item], float]]
    merges: list[tuple[list[Item], Item, float]]
    removed: list[Item]
    added: list[Item]
    catmap: dict[tuple[str, int], tuple[str, int] | None]  # old (list id, category index) → new one
    changes: list["Change"]
    arithmetic: list["Arithmetic"]

    def ref(self, item: Item) -> "ItemRef":
        return item_ref(item)

    def record_for(self, catalog: Catalog | None, ref: "ItemRef") -> dict | None:
        return record_for(catalog, ref)

    def header(self, catalog: Catalog) -> dict:
        """A list's own fields (version, effective, declared, adjustment…), read without reading its items."""
        return header(catalog)

    def same_item(self, old: Item, new: Item) -> bool:
        """True when a matched pair's data are known to be equal but for 序号 without reading them (False: not known)."""
        return same_data(old, new)

    def same_category(self, old: Item, new: Item) -> bool:
        """Whether a matched item stayed in its list and (mapped) category."""
        if old.catalog.id != new.catalog.id:
            return False
        return old.category_index is None or self.catmap.get((old.catalog.id, old.category_index)) == (new.catalog.id, new.category_index)


def records(catalog: Catalog | None) -> list[dict]:
    """The adjustment records of a catalog's header (`adjustment.records`)."""
    adjustment = header(catalog).get("adjustment") if catalog is not None else None
    found = adjustment.get("records") if isinstance(adjustment, dict) else None
    return [r for r in (found or []) if isinstance(r, dict)]


def record_for(catalog: Catalog | None, ref: "ItemRef") -> dict | None:
    """The adjustment record of an item, by code, else by normalised name."""
    for record in records(catalog):
        if ref.code and record.get("code") is not None and str(record.get("code")) == ref.code:
            return record
        if record.get("name") and normalize_name(str(record["name"])) == normalize_name(ref.name):
            return record
    return None


# --- settings -------------------------------------------------------------------------------------------------------


@dataclass
class Settings:
    levels: dict[str, str]
    require: dict[str, list[str]]
    accepted: frozenset[str]
    project: Project  # its vocabularies and rule severities apply to the gates as to every rule

    @classmethod
    def from_project(cls, project: Project, accepted: set[str] | None = None) -> "Settings":
        data = getattr(project, "changes", None) or {}
        levels = dict(DEFAULT_LEVELS)
        levels.update({str(k): str(v) for k, v in (data.get("levels") or {}).items()})
        require = {str(k): [str(x) for x in (v or [])] for k, v in (data.get("require") or {}).items()}
        fps = {str(x) for x in (data.get("accepted") or [])} | set(accepted or ())
        return cls(levels, require, frozenset(fps), project)

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
