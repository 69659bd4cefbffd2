"""Field labels: the name a reader sees for a field of a list (履职类型 for a duty item's `track`), in Chinese and English.

The one home of a field's Chinese label is the `title` of the field in its kind's JSON Schema (`schemas/`), where
every field has one, in context: a power item's `type` is 权力类型, a community item's 事项类型, a unit's 单位类型; an
adjustment step's `body` is 机关, an approval's 审定机关. `label(kind, pointer)` reads it for the field a pointer reaches
(list positions skipped). In English a field is named by its key, as written in the YAML (`doc_number`; a page shows
"doc number"), so that a reader can find it in the file.

A diff names a changed field without its list (a `content` of any kind): `BRIEF_ZH` holds those short names
(内容, 编码), kept here beside the full ones.
"""

from __future__ import annotations

from functools import lru_cache

from .model import Text
from .schema import schema_document, schema_names


def label(kind: str | None, pointer: tuple | str, lang: str = "zh") -> str:
    """The label of the field at `pointer` (keys from the document's top; list positions are skipped) in a document
    of `kind`; a key the schema does not title, or an unknown kind, is labelled by the key itself."""
    path = (pointer,) if isinstance(pointer, str) else tuple(str(p) for p in pointer if not isinstance(p, int))
    if not path:
        return ""
    if lang == "en":
        return path[-1].replace("_", " ")
    return labels(kind).get(path, path[-1]) if kind else path[-1]


def text(kind: str | None, pointer: tuple | str) -> Text:
    """The label in both languages."""
    return Text(label(kind, pointer, "zh"), label(kind, pointer, "en"))


@lru_cache(maxsize=None)
def labels(kind: str) -> dict[tuple[str, ...], str]:
    """Every titled field of a kind's schema: path of keys → Chinese title (empty for a kind without a schema)."""
    if kind not in schema_names():
        return {}
    found: dict[tuple[str, ...], str] = {}
    _walk(schema_document(kind), kind, (), found, frozenset())
    return found


_MAX_DEPTH = 8  # deeper than any field a list has; stops a schema that refers to itself


def _walk(node: object, doc: str, path: tuple[str, ...], found: dict[tuple[str, ...], str], seen: frozenset) -> None:
    if not isinstance(node, dict) or len(path) > _MAX_DEPTH:
        return
    ref = node.get("$ref")
    if isinstance(ref, str) and (ref, path) not in seen:
        target_doc, target = _resolve(ref, doc)
        _walk(target, target_doc, path, found, seen | {(ref, path)})
    for key in ("allOf", "anyOf", "oneOf"):
        for sub in node.get(key) or []:
            _walk(sub, doc, path, found, seen)
    for key in ("if", "then", "else", "items", "additionalProperties"):
        _walk(node.get(key), doc, path, found, seen)
    for key, sub in (node.get("properties") or {}).items():
        if isinstance(sub, dict):
            if isinstance(sub.get("title"), str):
                found.setdefault(path + (key,), sub["title"])
            _walk(sub, doc, path + (key,), found, seen)


def _resolve(ref: str, doc: str) -> tuple[str, object]:
    """The schema node a `$ref` names: another packaged schema's (common.schema.json#/$defs/…) or this one's."""
    file, _, fragment = ref.partition("#")
    target_doc = file.removesuffix(".schema.json") if file else doc
    node: object = schema_document(target_doc) if target_doc in schema_names() else {}
    for part in fragment.strip("/").split("/"):
        if part and isinstance(node, dict):
            node = node.get(part, {})
    return target_doc, node


#: the short names a diff gives a field it names without its list (a changed 内容 of an item of any kind)
BRIEF_ZH = {
    "content": "内容",
    "basis": "依据",
    "note": "备注",
    "type": "类型",
    "department": "部门",
    "lead": "牵头/主体责任",
    "support": "配合",
    "responsible": "责任主体",
    "track": "履职类型",
    "jurisdiction": "条块类型",
    "handling": "处置",
    "source": "原实施部门",
    "receiver": "承接主体",
    "method": "方式",
    "entrustor": "委托机关",
    "decision": "赋权决定",
    "effective": "实施日期",
    "handover": "交接日期",
    "status": "状态",
    "withdrawal": "收回情况",
    "responsibilities": "责任事项",
    "accountability": "追责情形",
    "subitems": "子项",
    "application": "准入申请",
    "approval": "审批",
    "funding": "经费保障",
    "code": "编码",
    "name": "名称",
    "category": "类别",
    "catalog": "清单",
    "title": "标题",
    "doc_number": "文号",
    "version": "版本",
    "declared": "公布总数",
    "issuer": "发文机关",
    "level": "层级",
    "unit": "适用单位",
    "power_type": "权力类型",
    "reason": "原因",
    "date": "日期",
    "body": "审定机关",
    "form": "审批表",
    "amount": "金额",
    "conditions": "条件",
    "duties": "职责",
    "process": "处置流程",
    "time_limit": "处置时限",
    "stage": "环节",
    "records": "调整记录",
    "items": "事项数",
    "categories": "类别数",
    "breakdowns": "分组数",
    "counts": "数目",
    "grids": "适用网格",
    "territorial": "对应属地事项",
    "grid": "网格可承担",
    "illustrative": "示例说明",
    "adjustment": "调整情况",
    "weight": "权重",
    "formula": "计算方法",
    "target": "目标值",
    "data_source": "数据来源",
    "assessor": "考核主体",
    "organizer": "牵头部门",
    "assessees": "被考核对象",
    "cycle": "考核周期",
    "methods": "考核方式",
    "veto": "一票否决",
    "results": "结果运用",
    "total_weight": "总分",
    "steps": "调整程序",
}
