"""From a composed YAML node tree to plain data: dicts, lists, strings, numbers, yes/no (dates stay text, as JSON
Schema expects). Whatever a catalog cannot hold (a tag, a merge key, a duplicate key, an unreadable number, nesting
too deep, aliases that expand to too much) is refused as a located LoadError."""

from __future__ import annotations

from typing import cast

from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .loaderrors import MAX_DEPTH, LoadError, too_deep
from .model import Text

_EXTRA_ALIAS_NODES = 100_000
_MAX_DIGITS = 4_000  # an integer longer than this is not a count or a code, and Python cannot print one over 4,300
_MAX_INT_BITS = 13_000  # about 3,900 decimal digits: `0x…` and `0b…` integers are held to the same bound

_T = "tag:yaml.org,2002:"
_STR, _INT, _FLOAT, _BOOL, _NULL, _TS = (_T + "str", _T + "int", _T + "float", _T + "bool", _T + "null", _T + "timestamp")
_MAP, _SEQ = _T + "map", _T + "seq"
_CONSTRUCT = SafeConstructor()


class _Builder:
    """Turns composed nodes into dicts, lists and scalars. Dates stay strings (as JSON Schema expects)."""

    __slots__ = ("budget", "count_aliases")

    def __init__(self, budget: int, count_aliases: bool) -> None:
        self.budget = budget
        self.count_aliases = count_aliases

    def fail(self, node: Node, rule: str, zh: str, en: str) -> LoadError:
        return LoadError(rule, Text(zh, en), node.start_mark.line + 1, node.start_mark.column + 1)

    def build(self, node: Node, depth: int) -> object:
        if self.count_aliases:
            self.budget -= 1
            if self.budget < 0:
                return self._alias_bomb(node)
        cls = type(node)
        if cls is ScalarNode:
            tag = node.tag
            if tag == _STR:
                return node.value
            if tag == _NULL:
                return None
            try:
                if tag == _INT:
                    text = node.value  # a plain decimal (a seq, a count) as int() reads it; the other forms as PyYAML does
                    value = int(text) if text.isdigit() and text.isascii() and text[0] != "0" else _CONSTRUCT.construct_yaml_int(cast(ScalarNode, node))
                    if value.bit_length() > _MAX_INT_BITS:
                        raise ValueError("too many digits")
                    return value
                if tag == _BOOL:
                    return _CONSTRUCT.construct_yaml_bool(cast(ScalarNode, node))
                if tag == _FLOAT:
                    return _CONSTRUCT.construct_yaml_float(cast(ScalarNode, node))
            except (ValueError, LookupError, TypeError, ArithmeticError):
                raise self._bad_value(node) from None
            if tag == _TS:
                return node.value
            raise self._bad_tag(node)
        if depth >= MAX_DEPTH:
            raise self.fail(node, "parse.too-deep", too_deep().zh, too_deep().en)
        if cls is MappingNode:
            if node.tag != _MAP:
                raise self._bad_tag(node)
            out: dict = {}
            build = self.build
            plain = not self.count_aliases  # a text value is taken as it is, without a call (most values are)
            for key_node, value_node in node.value:
                if type(key_node) is not ScalarNode:
                    raise self.fail(key_node, "parse.yaml", "键必须是简单的文字", "a key must be plain text")
                if key_node.tag not in (_STR, _INT, _FLOAT, _BOOL, _NULL, _TS):
                    if key_node.tag == _T + "merge":
                        raise self.fail(key_node, "parse.tag", "不支持合并键“<<”，请直接写出各字段", "merge keys ('<<') are not supported; write the fields out")
                    raise self._bad_tag(key_node)
                key = key_node.value
                if key in out:
                    raise self.fail(
                        key_node,
                        "parse.duplicate-key",
                        f"键“{key}”重复出现（YAML 只会保留最后一个，前面的内容会被悄悄丢弃）",
                        f"duplicate key '{key}' (YAML would silently keep only the last one)",
                    )
                out[key] = value_node.value if plain and type(value_node) is ScalarNode and value_node.tag == _STR else build(value_node, depth + 1)
            return out
        if cls is SequenceNode:
            if node.tag != _SEQ:
                raise self._bad_tag(node)
            build = self.build
            plain = not self.count_aliases
            return [child.value if plain and type(child) is ScalarNode and child.tag == _STR else build(child, depth + 1) for child in node.value]
        raise self._bad_tag(node)  # pragma: no cover - compose yields only the three node kinds

    def _bad_tag(self, node: Node) -> LoadError:
        return self.fail(
            node,
            "parse.tag",
            f"不支持的 YAML 标签“{node.tag}”：清单只能包含文字、数字、日期、列表和映射",
            f"unsupported YAML tag '{node.tag}': a catalog holds only text, numbers, dates, lists and mappings",
        )

    def _bad_value(self, node: Node) -> LoadError:
        kind = {_INT: ("整数", "an integer"), _FLOAT: ("小数", "a number"), _BOOL: ("是/否值", "a yes/no value")}[node.tag]
        shown = node.value if len(node.value) <= 40 else node.value[:40] + "…"
        if node.tag != _BOOL and len(node.value) > _MAX_DIGITS:
            zh, en = f"数字超过 {_MAX_DIGITS} 位，不是清单中的数值", f"a number of more than {_MAX_DIGITS} digits is not a catalog value"
        else:
            zh, en = f"“{shown}”不能读作{kind[0]}", f"'{shown}' cannot be read as {kind[1]}"
        return self.fail(node, "parse.value", f"{zh}；如果这是文字，请加引号", f"{en}; quote it if it is text")

    def _alias_bomb(self, node: Node) -> object:
        raise self.fail(
            node,
            "parse.alias-bomb",
            "别名（*引用）展开后的内容过多，疑似“十亿笑声”攻击，已拒绝",
            "aliases (*references) expand to far too much data (a 'billion laughs' attack?); refused",
        )


def build_document(root: Node | None, raw: bytes) -> object:
    if root is None:
        return None
    count_aliases = b"&" in raw  # no anchor, no alias: skip the expansion count on the hot path
    return _Builder(_EXTRA_ALIAS_NODES + 2 * len(raw), count_aliases).build(root, 0)
