"""Power and responsibility lists (权责清单): 责任事项, 追责情形 and the stages a power's responsibilities run through."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

from ..catalog import Catalog, Item
from ..normalize import normalize_name
from ..ruleset import Context, Problem, at, rule

# Core stages of 责任事项 by power type: (stage as named in messages, words any of which marks it in a stage name).
# Published lists name stages "立案", "立案责任", "1.立案阶段责任"…, and often "调查责任" for 调查取证 or
# "审查和决定" for 审查 + 决定, so a stage counts when its normalised name contains one of the words.
REQUIRED_STAGES: dict[str, tuple[tuple[str, tuple[str, ...]], ...]] = {
    "行政处罚": (("立案", ("立案",)), ("调查取证", ("调查", "取证")), ("决定", ("决定",)), ("送达", ("送达",)), ("执行", ("执行",))),
    "行政许可": (("受理", ("受理",)), ("审查", ("审查", "审核")), ("决定", ("决定",))),
}

#: REQUIRED_STAGES with each word normalised as the stages written are
_REQUIRED_KEYS = {kind: tuple((stage, tuple(normalize_name(w) for w in words)) for stage, words in stages) for kind, stages in REQUIRED_STAGES.items()}

USUAL_OPENING = "因不履行或不正确履行行政职责"
_OPENING = re.compile(r"^因不履行或(?:者)?不正确履行(?:行政)?职责")
_LEADING_NOISE = re.compile(r"^[\s\u3000\"'“”‘’「」『』【】\[\]（）()0-9一二三四五六七八九十、.．:：]*")


def _units(item: Item) -> Iterator[tuple[tuple, dict]]:
    """(pointer below the item, data) for the item and then each of its sub-items (子项)."""
    yield (), item.data
    for index, sub in enumerate(item.data.get("subitems") or []):
        if isinstance(sub, dict):
            yield ("subitems", index), sub


def _label(item: Item, pointer: tuple, data: dict) -> str:
    """How a message names the item (its label) or one of its sub-items (`pointer` not empty): code and name."""
    if not pointer:
        return item.label()
    code = data.get("code")
    return f"{code} {data.get('name') or ''}".strip() if code else str(data.get("name") or "")


def _present(value: object) -> bool:
    if isinstance(value, str):
        return value.strip() != ""
    if isinstance(value, list):
        return len(value) > 0
    return value is not None


def _missing(catalog: Catalog, field: str, zh_field: str, en_field: str) -> Iterator[Problem]:
    """Items (and sub-items) without `field`; a sub-item inherits its parent's, and sub-items may stand in for it."""
    for item in catalog.items:
        if _present(item.data.get(field)):
            continue
        subitems = [s for s in item.data.get("subitems") or [] if isinstance(s, dict)]
        if not subitems:
            yield at(
                item,
                None,
                f"权力事项“{item.label()}”没有{zh_field}（{field}）",
                f"power '{item.label()}' has no {en_field} ({field})",
            )
            continue
        for pointer, sub in list(_units(item))[1:]:
            if not _present(sub.get(field)):
                label = _label(item, pointer, sub)
                yield at(
                    item,
                    pointer,
                    f"权力事项“{item.label()}”的子项“{label}”没有{zh_field}（{field}），主项也没有可供沿用的{zh_field}",
                    f"sub-item '{label}' of power '{item.label()}' has no {en_field} ({field}), and its parent has none to inherit",
                )


@rule("power.responsibilities", "error", "权力事项没有责任事项", "a power has no responsibilities", kinds=["power"])
def responsibilities(catalog: Catalog, ctx: Context) -> Iterator[Problem]:
    """
    权责清单的每项权力都要列出责任事项（`responsibilities`，按环节写 受理、审查、决定、送达、事后监管……），
    这是“权责一致”的核心。子项（`subitems`）没写的沿用主项的责任事项；主项没写时，每个子项都必须有自己的，
    缺的子项逐个报告；没有子项的主项直接报告。空列表等于没写。

    PASS:
        - name: 临时占用城市道路审批
          responsibilities: [{stage: 受理, content: 依法受理申请}, {stage: 审查和决定, content: 作出决定}]
    FAIL:
        - name: 临时占用城市道路审批                     # 没有 responsibilities
          accountability: 因不履行或不正确履行行政职责……

    English:
    Every power of a 权责清单 lists its responsibilities (`responsibilities`, stage by stage: 受理, 审查, 决定, 送达,
    事后监管 …); that is the point of matching power with responsibility. A sub-item (`subitems`) without its own
    inherits its parent's; when the parent has none, each sub-item must have its own and each one lacking is reported;
    a parent without sub-items is reported itself. An empty list counts as none.
    """
    yield from _missing(catalog, "responsibilities", "责任事项", "responsibilities (责任事项)")


@rule("power.accountability", "error", "权力事项没有追责情形", "a power has no accountability clause", kinds=["power"])
def accountability(catalog: Catalog, ctx: Context) -> Iterator[Problem]:
    """
    每项权力都要写明追责情形（`accountability`），即不履行或不正确履行职责时追究责任的情形。子项沿用主项的
    追责情形；主项没写时，每个子项都必须有自己的。空文本等于没写。

    PASS:
        - name: 对露天烧烤的处罚
          responsibilities: [{stage: 立案}, {stage: 调查取证}, {stage: 决定}]
          accountability: 因不履行或不正确履行行政职责，有下列情形的，行政机关及相关工作人员应承担相应责任：（一）……
    FAIL:
        - name: 对露天烧烤的处罚                 # 没有 accountability
          responsibilities: [{stage: 立案}, {stage: 调查取证}, {stage: 决定}]

    English:
    Every power states its accountability clause (`accountability`): the cases in which failing to perform, or
    performing wrongly, is held to account. Sub-items inherit the parent's; when the parent has none, each sub-item
    must have its own. Empty text counts as none.
    """
    yield from _missing(catalog, "accountability", "追责情形", "accountability clause (追责情形)")


@rule("power.stages", "warning", "责任事项缺少基本环节", "responsibilities lack a core stage", kinds=["power"])
def stages(catalog: Catalog, ctx: Context) -> Iterator[Problem]:
    """
    行政处罚和行政许可的责任事项要覆盖法定程序的基本环节：
    - 行政处罚：立案、调查取证（“调查”或“取证”）、决定、送达、执行；
    - 行政许可：受理、审查（“审查”或“审核”）、决定。
    环节名称归一后包含上述词即算覆盖，所以“立案责任”“审查和决定”“调查责任”都可以。权力类型按 `power_types`
    词表及别名识别（如“处罚”）。子项有自己的责任事项时单独检查，否则检查主项的。没有责任事项的由
    `power.responsibilities` 报告，这里不重复。其他类型不检查。

    PASS:
        - name: 对露天烧烤的处罚
          type: 行政处罚
          responsibilities: [{stage: 立案}, {stage: 调查取证}, {stage: 决定}, {stage: 送达}, {stage: 执行}]
    FAIL:
        - name: 对露天烧烤的处罚
          type: 行政处罚
          responsibilities: [{stage: 立案}, {stage: 调查取证}, {stage: 决定}]   # 缺 送达、执行

    English:
    The responsibilities of a 行政处罚 (penalty) and a 行政许可 (licence) must cover the core stages of the statutory
    procedure: for penalties 立案, 调查取证 (调查 or 取证), 决定, 送达, 执行; for licences 受理, 审查 (审查 or 审核),
    决定. A stage counts when its normalised name contains the word, so 立案责任, 审查和决定 and 调查责任 all do.
    Power types are read through the `power_types` vocabulary and its aliases (处罚). A sub-item with its own
    responsibilities is checked on its own, otherwise the parent's are. Missing responsibilities are left to
    `power.responsibilities`. Other types are not checked.
    """
    vocabulary = ctx.project.vocabulary("power_types")
    for item in catalog.items:
        power_type, _ = vocabulary.resolve(str(item.data.get("type") or ""))
        required = _REQUIRED_KEYS.get(power_type or "")
        if not required:
            continue
        for pointer, data in _units(item):
            stages_given = data.get("responsibilities")
            if not _present(stages_given) or not isinstance(stages_given, list):
                continue
            # the stages written, normalised, in one text: a word is in one of them when it is in that text
            names = "\0".join(normalize_name(str(s.get("stage") or "")) for s in stages_given if isinstance(s, dict))
            missing = [stage for stage, words in required if not any(word in names for word in words)]
            if missing:
                label = _label(item, pointer, data)
                whose = f"权力事项“{label}”" if not pointer else f"权力事项“{item.label()}”的子项“{label}”"
                whose_en = f"power '{label}'" if not pointer else f"sub-item '{label}' of power '{item.label()}'"
                yield at(
                    item,
                    pointer + ("responsibilities",),
                    f"{whose}为{power_type}，责任事项缺少基本环节：{'、'.join(missing)}",
                    f"{whose_en} is a {power_type} but its responsibilities lack the core stage(s): {', '.join(missing)}",
                )


@rule("power.accountability-form", "info", "追责情形未用通行开头", "accountability does not open with the usual wording", kinds=["power"])
def accountability_form(catalog: Catalog, ctx: Context) -> Iterator[Problem]:
    """
    追责情形通常以“因不履行或不正确履行行政职责，有下列情形的，行政机关及相关工作人员应承担相应责任：”开头，
    再逐条列出情形。不是这样开头的（例如只写“依法追究责任”）往往是漏抄或写得过于笼统，仅作提示。
    “或者”“职责”的常见写法（因不履行或者不正确履行职责）也算通行开头；开头的序号、引号和空格不计。

    PASS:
        - name: 临时占用城市道路审批
          accountability: 因不履行或不正确履行行政职责，有下列情形的，行政机关及相关工作人员应承担相应责任：……
    FAIL (提示):
        - name: 临时占用城市道路审批
          accountability: 按照有关规定追究相关人员责任。   # 没有常见开头

    English:
    An accountability clause usually opens with "因不履行或不正确履行行政职责，有下列情形的，行政机关及相关工作人员应
    承担相应责任：" and then lists the cases. One that does not (just "依法追究责任", say) was often copied short or is too
    vague; this is only a hint. The common variants (或者, 职责 without 行政) count as the usual opening; leading
    numbers, quotes and spaces are ignored.
    """
    for item in catalog.items:
        for pointer, data in _units(item):
            text = data.get("accountability")
            if not isinstance(text, str) or not text.strip() or _OPENING.match(text):
                continue  # (an opening already usual as written stays so after normalising: skip the work)
            opening = _LEADING_NOISE.sub("", unicodedata.normalize("NFKC", text).strip())
            if not _OPENING.match(opening):
                shown = text.strip()[:20] + ("…" if len(text.strip()) > 20 else "")
                label = _label(item, pointer, data)
                yield at(
                    item,
                    pointer + ("accountability",),
                    f"“{label}”的追责情形以“{shown}”开头，通常应以“{USUAL_OPENING}，有下列情形的……”开头并逐条列出情形",
                    f"the accountability clause of '{label}' opens with '{shown}'; it usually opens with '{USUAL_OPENING}，有下列情形的……' and lists the cases",
                )
