"""Values that come from a vocabulary (权力类型, 方式, 事项类型, 履职类型, 层级, 单位类型): known values and aliases."""

from __future__ import annotations

import difflib
import os
from collections.abc import Iterator

from ..catalog import Catalog, Item
from ..fields import label as field_label
from ..model import Text, hint
from ..normalize import normalize_name
from ..project import VOCABULARY_OF_FIELD, Vocabulary
from ..ruleset import ALL_KINDS, Context, Problem, rule

#: (list kind, item field) → vocabulary name. The header `level` of every kind uses `levels`.
ITEM_FIELDS = VOCABULARY_OF_FIELD


def _values(catalog: Catalog, ctx: Context) -> Iterator[tuple[tuple, str, str, tuple, Item | None]]:
    """(field key, value, vocabulary name, pointer, item or None) for every vocabulary value of a catalog but an
    item's value written exactly as one of its vocabulary's values: that one resolves to itself, no alias, so neither
    rule below has anything to say of it (and it is most values: a list repeats a few canonical values)."""
    level = catalog.data.get("level")
    if level is not None and str(level).strip():
        yield (None, "level"), str(level), "levels", ("level",), None
    fields = [(field_key, vocabulary, frozenset(ctx.project.vocabulary(vocabulary).values)) for field_key, vocabulary in ITEM_FIELDS.items() if field_key[0] == catalog.kind]
    if not fields:
        return
    for item in catalog.items:
        get = item.data.get
        for field_key, vocabulary, canonical in fields:
            value = get(field_key[1])
            if value is None or (value.__class__ is str and value in canonical):
                continue
            if str(value).strip():
                yield field_key, str(value), vocabulary, item.pointer + (field_key[1],), item


def _whose(item: Item | None) -> tuple[str, str]:
    """Whose value a message speaks of: the item's, or the list header's."""
    return (f"事项“{item.label()}”的", f"item '{item.label()}': ") if item is not None else ("清单的", "")


def _close_match(value: str, vocabulary: Vocabulary) -> str | None:
    """The allowed value closest to `value` (through aliases too), for "did you mean"."""
    choices: dict[str, str] = {normalize_name(v): v for v in vocabulary.values}
    for alias, canonical in vocabulary.aliases.items():
        choices.setdefault(normalize_name(alias), canonical)
    key = normalize_name(value)
    contained = [canonical for k, canonical in choices.items() if k and (k in key or key in k)]
    if len(set(contained)) == 1:
        return contained[0]
    cutoff = 0.5 if len(key) <= 2 else 0.6  # 街办 → 街道, but not 行政调解 → 行政许可
    scored: list[tuple[float, int, int, str]] = []
    for choice, canonical in choices.items():
        ratio = difflib.SequenceMatcher(None, key, choice).ratio()
        if ratio >= cutoff:
            prefix = len(os.path.commonprefix([key, choice]))
            scored.append((ratio, prefix, -len(scored), canonical))
    return max(scored)[3] if scored else None


@rule("vocab.unknown", "error", "取值不在词表中", "value outside the vocabulary", kinds=ALL_KINDS)
def unknown_value(catalog: Catalog, ctx: Context) -> Iterator[Problem]:
    """
    取自词表的字段填了词表以外的值：权力清单的权力类型 `type`（词表 power_types）、下放目录的方式 `method`
    （devolution_methods）、社区工作事项的类型 `type`（community_types）和权力类型 `power_type`（power_types）、
    职责任务清单的履职类型 `track`（duty_tracks）、机构名录的单位类型 `type`（unit_types），以及清单头部的适用层级
    `level`（levels）。比较时不区分全角半角、忽略空格，别名（如 其他职权 → 其他行政权力）视为有效。
    消息列出允许的取值，并给出最接近的一个。

    各地词表不同（如增设“行政调解”或“9+X”类型），可在项目文件 govlist.yaml 的 `vocabularies` 中改写词表和别名。

    PASS:
        kind: power
        items:
          - {name: 对违法建设的处罚, type: 行政处罚}
    FAIL:
        kind: power
        items:
          - {name: 对违法建设的处罚, type: 行政处理}   # 不在 power_types 中（是否想写“行政处罚”？）

    English:
    A field that takes its value from a vocabulary holds something else: a power's `type` (vocabulary power_types),
    a devolution `method` (devolution_methods), a community item's `type` (community_types) and `power_type`
    (power_types), a duty item's `track` (duty_tracks), a registry unit's `type` (unit_types), and the header `level`
    (levels). Width and spaces do not matter, and aliases (其他职权 → 其他行政权力) are accepted. The message lists
    the allowed values and suggests the closest.

    Vocabularies differ between places (extra types such as 行政调解, "9+X"): change them and their aliases under
    `vocabularies` in the project file govlist.yaml.
    """
    for field_key, value, name, pointer, item in _values(catalog, ctx):
        vocabulary = ctx.project.vocabulary(name)
        canonical, _ = vocabulary.resolve(value)
        if canonical is not None:
            continue
        label = field_label(catalog.kind, pointer)
        close = _close_match(value, vocabulary)
        hint_zh, hint_en = hint(close).pair() if close else ("", "")
        whose_zh, whose_en = _whose(item)
        yield Problem(
            catalog,
            pointer,
            Text(
                f"{whose_zh}{label}“{value}”不在词表 {name} 中{hint_zh}；允许的取值：{'、'.join(vocabulary.values)}",
                f"{whose_en}{field_key[1]} '{value}' is not in the vocabulary {name}{hint_en}; allowed: {', '.join(vocabulary.values)}",
            ),
            item,
        )


@rule("vocab.alias", "info", "使用了词表别名", "a vocabulary alias was used", kinds=ALL_KINDS)
def alias_value(catalog: Catalog, ctx: Context) -> Iterator[Problem]:
    """
    字段用了词表的别名而不是规范取值，如权力类型写“其他职权”（规范取值为“其他行政权力”）、履职类型写“基本”
    （“基本履职事项”）。别名照常计数和比较，只是提示统一写法；公布时宜用规范取值。

    PASS:
        kind: power
        items:
          - {name: 城乡规划编制, type: 其他行政权力}
    FAIL:
        kind: power
        items:
          - {name: 城乡规划编制, type: 其他职权}   # 别名，规范取值为“其他行政权力”

    English:
    A field uses an alias of the vocabulary instead of the canonical value: a power type 其他职权 (canonical:
    其他行政权力), a duty track 基本 (基本履职事项). Aliases are counted and compared as their canonical value; this only
    suggests writing the canonical one, which is better for publication.
    """
    for field_key, value, name, pointer, item in _values(catalog, ctx):
        canonical, alias = ctx.project.vocabulary(name).resolve(value)
        if canonical is None or not alias:
            continue
        label = field_label(catalog.kind, pointer)
        whose_zh, whose_en = _whose(item)
        yield Problem(
            catalog,
            pointer,
            Text(
                f"{whose_zh}{label}“{value}”是别名，规范取值为“{canonical}”",
                f"{whose_en}{field_key[1]} '{value}' is an alias; the canonical value is '{canonical}'",
            ),
            item,
        )
