"""A loaded catalog as plain data: header, categories and a flat list of items, each knowing where it stands."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from .loader import Document
from .normalize import normalize_name, strip_gloss


#: a field of an item's data read as a plain dict's, for the fields a slim item (index.SlimItem) always keeps: its code
#: and name (index.ITEM_FIELDS) and a link's fields (index.kept_fields); SlimItem's own `get`, which looks whether a
#: field is kept first, would only add a call of Python to the most read fields
kept_field = dict.get


_UNREAD = object()  # an item's code not read yet (None is a code not given)


@dataclass(slots=True, eq=False)
class Item:
    """One item (事项) of a list, or one unit of a registry. `pointer` locates it in its file."""

    data: dict
    pointer: tuple
    catalog: "Catalog"
    category: dict | None = None
    category_index: int | None = None
    _key: str | None = field(default=None, init=False, repr=False)  # caches for the properties below: rules read
    _stripped_key: str | None = field(default=None, init=False, repr=False)  # an item's code and name many times
    _code_read: object = field(default=_UNREAD, init=False, repr=False)
    _name_read: str | None = field(default=None, init=False, repr=False)

    @property
    def code(self) -> str | None:
        code = self._code_read
        if code is _UNREAD:
            code = kept_field(self.data, "code")
            code = self._code_read = None if code is None else str(code)
        return code  # type: ignore[return-value]

    @property
    def name(self) -> str:
        name = self._name_read
        if name is None:
            name = self._name_read = str(kept_field(self.data, "name") or "")
        return name

    @property
    def key(self) -> str:
        """The name as names are compared: normalize_name(name)."""
        if self._key is None:
            self._key = normalize_name(self.name)
        return self._key

    @property
    def stripped_key(self) -> str:
        """The name without trailing glosses, as names are compared: normalize_name(strip_gloss(name))."""
        if self._stripped_key is None:
            self._stripped_key = normalize_name(strip_gloss(self.name))
        return self._stripped_key

    def label(self) -> str:
        """How a message names the item: its code and name."""
        return f"{self.code} {self.name}".strip() if self.code else self.name


@dataclass(eq=False)
class Catalog:
    """A schema-valid catalog file."""

    doc: Document
    data: dict
    items: list[Item] = field(default_factory=list)

    @property
    def path(self) -> str:
        return self.doc.path

    @property
    def kind(self) -> str:
        return self.data["kind"]

    @property
    def id(self) -> str:
        return str(self.data.get("id", ""))

    @property
    def title(self) -> str:
        return str(self.data.get("title", ""))

    @property
    def level(self) -> str | None:
        return self.data.get("level")

    @property
    def categories(self) -> list[dict]:
        return self.data.get("categories") or []


_POINTERS: dict[tuple, tuple] = {}  # one tuple for each item position: every list of a set has an item 3 of category 1


def _pointer(*pointer) -> tuple:
    return _POINTERS.setdefault(pointer, pointer) if len(_POINTERS) < 1 << 20 else pointer


def make_catalog(doc: Document) -> Catalog:
    data = doc.data
    assert isinstance(data, dict)
    catalog = Catalog(doc, data)
    items = catalog.items
    if data.get("kind") == "registry":
        for index, unit in enumerate(data.get("units") or []):
            items.append(Item(unit, _pointer("units", index), catalog))
    elif data.get("categories"):
        for c_index, category in enumerate(data["categories"]):
            for index, item in enumerate(category.get("items") or []):
                items.append(Item(item, _pointer("categories", c_index, "items", index), catalog, category, c_index))
    else:
        for index, item in enumerate(data.get("items") or []):
            items.append(Item(item, _pointer("items", index), catalog))
    return catalog


class UnitIndex:
    """Every registry unit of the set, found by code, name or alias (width and spaces do not matter)."""

    by_key: Mapping[str, Item]
    by_code: Mapping[str, Item]

    def __init__(self, registries: list[Catalog]) -> None:
        by_key: dict[str, Item] = {}
        by_code: dict[str, Item] = {}
        for registry in registries:
            for unit in registry.items:
                code = unit.code
                if code:
                    by_code.setdefault(code, unit)
                for key in (code, unit.data.get("name"), *(unit.data.get("aliases") or [])):
                    if key:
                        by_key.setdefault(normalize_name(str(key)), unit)
        self.by_key, self.by_code = by_key, by_code

    def __bool__(self) -> bool:
        return bool(self.by_key)

    def find(self, ref: str) -> Item | None:
        return self.by_key.get(normalize_name(ref))

    def same(self, a: object, b: object) -> bool:
        """Whether two references name the same unit: the same registry unit when both resolve, else equal names."""
        if a is None or b is None:
            return False
        a_text, b_text = str(a), str(b)
        if not normalize_name(a_text) or not normalize_name(b_text):
            return False
        unit_a, unit_b = self.find(a_text), self.find(b_text)
        if unit_a is not None and unit_b is not None:
            return unit_a is unit_b
        return normalize_name(a_text) == normalize_name(b_text)
