"""Devolution catalogs (下放/赋权事项目录): source and receiver, dates, 委托 and 赋权 requirements, withdrawals."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterator

from ..catalog import Catalog, Item
from ..normalize import normalize_name
from ..ruleset import Context, Problem, at, rule
from ..fields import label as field_label
from .common import canonical, filled, same_unit

WITHDRAWN = "收回"


def _method(item: Item, ctx: Context) -> str | None:
    """The item's method after the `devolution_methods` vocabulary (委托下放 → 委托), or the text as written."""
    value = item.data.get("method")
    if value is None or str(value).strip() == "":
        return None
    return canonical(ctx, "devolution_methods", str(value).strip())


_WITHDRAWN_KEY = normalize_name(WITHDRAWN)


def _withdrawn(item: Item) -> bool:
    return normalize_name(str(item.data.get("status") or "")) == _WITHDRAWN_KEY


def parse_date(value: object) -> _dt.date | None:
    """A `YYYY-MM-DD` value as a date; None when absent or not a real date (the schema reports the format)."""
    if value is None:
        return None
    try:
        return _dt.date.fromisoformat(str(value).strip())
    except ValueError:
        return None


@rule("devolution.same-unit", "error", "原实施部门与承接主体相同", "source and receiver are the same unit", kinds=["devolution"])
def source_is_receiver(catalog: Catalog, ctx: Context) -> Iterator[Problem]:
    """
    下放事项的原实施部门（`source`）与承接主体（`receiver`）不能是同一单位：事项没有下放给任何人。
    两者都能在机构名录中找到时按机构比较（编码、名称、简称视为同一单位，如“区住建局”与
    “成华区住房和城乡建设局”）；否则按归一后的文字比较（忽略全半角和空格）。

    GIVEN:
        kind: registry
        units:
          - {code: ZJJ, name: 成华区住房和城乡建设局, aliases: [区住建局]}
          - {code: MZW, name: 猛追湾街道办事处, aliases: [猛追湾街道]}
    PASS:
        - {name: 燃气经营许可初审, source: 区住建局, receiver: 猛追湾街道}
    FAIL:
        - {name: 燃气经营许可初审, source: 区住建局, receiver: 成华区住房和城乡建设局}   # 名录中是同一单位

    English:
    The source department (`source`, 原实施部门) and the receiving unit (`receiver`, 承接主体) of a devolved item must
    differ, or nothing was devolved. When both resolve in the registry they are compared as units (a code, the name and
    an alias are the same unit, e.g. 区住建局 and 成华区住房和城乡建设局); otherwise as normalised text (width and spaces
    do not matter).
    """
    same: dict[tuple[str, str], bool] = {}
    for item in catalog.items:
        source, receiver = item.data.get("source"), item.data.get("receiver")
        if same_unit(ctx, source, receiver, same):
            yield at(
                item,
                "receiver",
                f"事项“{item.label()}”的承接主体“{receiver}”与原实施部门“{source}”是同一单位",
                f"item '{item.label()}': the receiver '{receiver}' is the same unit as the source '{source}'",
            )


@rule("devolution.date", "warning", "下放事项缺少实施日期或日期顺序不当", "devolution item without a date, or dates out of order", kinds=["devolution"])
def devolution_date(catalog: Catalog, ctx: Context) -> Iterator[Problem]:
    """
    有效的下放事项应有实施日期：事项自己的 `effective`，或目录头部的 `effective`（适用于全部事项）。两者都没有时，
    无法公布承接主体从何时起实施。交接日期（`handover`）晚于实施日期时也报告：事项已开始由承接主体实施，
    交接却尚未完成。实施日期取事项自己的 `effective`，没有时取目录头部的。已收回（`status: 收回`）的事项不检查。

    PASS:
        - {name: 廉租住房保障申请受理, effective: "2012-06-01", handover: "2012-05-29"}
    FAIL:
        - {name: 廉租住房保障申请受理}                                               # 事项和目录头部都没有 effective
        - {name: 临时救助申请受理, effective: "2012-06-01", handover: "2012-06-15"}   # 交接晚于实施

    English:
    An active devolved item needs a start date: its own `effective`, or the catalog header's `effective` (which applies
    to every item). Without either, nobody can publish from when the receiver is in charge. A handover date (`handover`)
    later than the start date is reported too: the receiver is in charge before the handover is done. The start date is
    the item's own `effective`, else the header's. Items taken back (`status: 收回`) are not checked.
    """
    header = catalog.data.get("effective")
    header_date = parse_date(header)
    for item in catalog.items:
        if _withdrawn(item):
            continue
        own = item.data.get("effective")
        if not filled(own) and not filled(header):
            yield at(
                item,
                None,
                f"事项“{item.label()}”没有实施日期：事项和目录头部都未填写 effective",
                f"item '{item.label()}' has no start date: neither the item nor the catalog header gives 'effective'",
            )
            continue
        start = parse_date(own) if filled(own) else header_date
        handover = parse_date(item.data.get("handover"))
        if start is not None and handover is not None and handover > start:
            where = "" if filled(own) else "（目录头部）"
            where_en = "" if filled(own) else " (catalog header)"
            yield at(
                item,
                "handover",
                f"事项“{item.label()}”的交接日期 {handover.isoformat()} 晚于实施日期{where} {start.isoformat()}",
                f"item '{item.label()}': handover {handover.isoformat()} is later than the start date{where_en} {start.isoformat()}",
            )


@rule("devolution.entrustor", "error", "委托事项缺少委托机关", "entrusted item without its entrusting authority", kinds=["devolution"])
def entrustor(catalog: Catalog, ctx: Context) -> Iterator[Problem]:
    """
    以“委托”方式下放的事项（方式按词表归一，如“委托下放”视为“委托”），承接主体以委托机关的名义实施，
    必须写明委托机关（`entrustor`）。委托机关也不能就是承接主体本身（比较方法同 devolution.same-unit）。

    PASS:
        - {name: 燃气安全宣传, method: 委托, entrustor: 区住建局, receiver: 社区}
    FAIL:
        - {name: 燃气安全宣传, method: 委托下放}             # 没有 entrustor
    FAIL:
        - name: 燃气安全宣传
          method: 委托
          receiver: 猛追湾街道
          entrustor: 猛追湾街道办事处                        # 自己委托自己
        ---
        kind: registry
        units:
          - {code: ZJJ, name: 成华区住房和城乡建设局, aliases: [区住建局]}
          - {code: MZW, name: 猛追湾街道办事处, aliases: [猛追湾街道]}

    English:
    An item devolved by entrustment (委托; the method is read through the vocabulary, so 委托下放 counts as 委托) is
    carried out in the name of the entrusting authority, which must be named in `entrustor`. The entrustor cannot be the
    receiver itself (compared as in devolution.same-unit).
    """
    same: dict[tuple[str, str], bool] = {}
    for item in catalog.items:
        if _method(item, ctx) != "委托":
            continue
        given = item.data.get("entrustor")
        if not filled(given):
            yield at(
                item,
                "method",
                f"事项“{item.label()}”以委托方式下放，但没有写明委托机关（entrustor）",
                f"item '{item.label()}' is devolved by entrustment (委托) but names no entrusting authority ('entrustor')",
            )
        elif same_unit(ctx, given, item.data.get("receiver"), same):
            yield at(
                item,
                "entrustor",
                f"事项“{item.label()}”的委托机关“{given}”与承接主体“{item.data.get('receiver')}”是同一单位",
                f"item '{item.label()}': the entrusting authority '{given}' is the receiver '{item.data.get('receiver')}' itself",
            )


def _labels(catalog: Catalog, item: Item, record: str, keys: list[str]) -> list[tuple[str, str]]:
    """The (Chinese, English) labels of `keys` under the item's `record` field."""
    return [(field_label(catalog.kind, (*item.pointer, record, key)), field_label(catalog.kind, (*item.pointer, record, key), "en")) for key in keys]


#: the parts of a decision and of a withdrawal record that must be filled (their labels: govlist.fields)
_DECISION_FIELDS = ("title", "doc_number", "date")


@rule("devolution.decision", "error", "赋权事项缺少赋权决定", "empowered item without its published decision", kinds=["devolution"])
def decision(catalog: Catalog, ctx: Context) -> Iterator[Problem]:
    """
    以“赋权”方式交给街道、乡镇的事项（方式按词表归一，如“赋予”视为“赋权”），承接主体以自己的名义行使，
    依《中华人民共和国行政处罚法》第二十四条须有省级公布的决定。必须填写 `decision`，且决定的名称（`title`）、
    文号（`doc_number`）和日期（`date`）齐全；缺几项就在一条发现中列出几项。

    PASS:
        - name: 对占道经营的处罚
          method: 赋权
          decision: {title: XX省人民政府关于赋予乡镇（街道）部分县级行政执法权的决定, doc_number: X府发〔2021〕15号, date: "2021-06-30"}
    FAIL:
        - {name: 对占道经营的处罚, method: 赋权}            # 没有 decision
    FAIL:
        - name: 对占道经营的处罚
          method: 赋权
          decision: {title: XX省人民政府关于赋予乡镇（街道）部分县级行政执法权的决定}   # 缺文号和日期

    English:
    An item given to a street or township by empowerment (赋权; read through the vocabulary, so 赋予 counts) is exercised
    in the receiver's own name, which under Article 24 of the Administrative Penalty Law needs a published provincial
    decision. `decision` is required, with its `title`, `doc_number` and `date`; one finding lists every part missing.
    """
    for item in catalog.items:
        if _method(item, ctx) != "赋权":
            continue
        given = item.data.get("decision")
        if not isinstance(given, dict) or not given:
            yield at(
                item,
                "method",
                f"事项“{item.label()}”以赋权方式下放，但没有写明省级赋权决定（decision：名称、文号、日期）",
                f"item '{item.label()}' is devolved by empowerment (赋权) but gives no provincial decision ('decision': title, doc_number, date)",
            )
            continue
        missing = _labels(catalog, item, "decision", [key for key in _DECISION_FIELDS if not filled(given.get(key))])
        if missing:
            yield at(
                item,
                "decision",
                f"事项“{item.label()}”的赋权决定缺少{'、'.join(zh for zh, _ in missing)}",
                f"item '{item.label()}': the empowerment decision lacks its {', '.join(en for _, en in missing)}",
            )


_WITHDRAWAL_FIELDS = ("reason", "approval", "date")


@rule("devolution.withdrawal", "warning", "收回事项的记录不完整", "incomplete record of a withdrawn item", kinds=["devolution"])
def withdrawal(catalog: Catalog, ctx: Context) -> Iterator[Problem]:
    """
    已收回（`status: 收回`）的事项应记录收回情况 `withdrawal`：原因（`reason`，如 接不住、专业性强、依据已取消）、
    批准情况（`approval`）和日期（`date`），缺几项就在一条发现中列出几项；收回日期早于实施日期也报告。
    反过来，状态不是“收回”的事项却写了 `withdrawal`，说明状态漏改或收回情况写错了位置。

    PASS:
        - name: 燃气经营许可初审
          status: 收回
          withdrawal: {reason: 专业性强，街道接不住, approval: XX府〔2022〕8号, date: "2022-03-01"}
    FAIL:
        - {name: 燃气经营许可初审, status: 收回}                 # 没有 withdrawal
    FAIL:
        - {name: 燃气经营许可初审, withdrawal: {reason: 依据已取消}}   # 状态仍是有效

    English:
    An item taken back (`status: 收回`) should record the withdrawal in `withdrawal`: the reason (`reason`, e.g. the
    receiver could not cope, too specialised, basis repealed), the approval (`approval`) and the date (`date`); one
    finding lists every part missing, and a withdrawal dated before the item's start date is reported too. Conversely, an
    item whose status is not 收回 but that has a `withdrawal` has a status left unchanged or a misplaced record.
    """
    header_date = parse_date(catalog.data.get("effective"))
    for item in catalog.items:
        record = item.data.get("withdrawal")
        if not _withdrawn(item):
            if record:
                yield at(
                    item,
                    "withdrawal",
                    f"事项“{item.label()}”的状态不是“收回”，却写了收回情况（withdrawal）：请改状态为收回或删除收回情况",
                    f"item '{item.label()}': status is not 收回 but it has a withdrawal record; set status: 收回 or remove 'withdrawal'",
                )
            continue
        record = record if isinstance(record, dict) else {}
        missing = _labels(catalog, item, "withdrawal", [key for key in _WITHDRAWAL_FIELDS if not filled(record.get(key))])
        if missing:
            yield at(
                item,
                "withdrawal" if record else "status",
                f"已收回事项“{item.label()}”缺少{'、'.join(zh for zh, _ in missing)}",
                f"withdrawn item '{item.label()}' lacks its withdrawal {', '.join(en for _, en in missing)}",
            )
        taken_back = parse_date(record.get("date"))
        start = parse_date(item.data.get("effective")) or header_date
        if taken_back is not None and start is not None and taken_back < start:
            yield at(
                item,
                ("withdrawal", "date"),
                f"事项“{item.label()}”的收回日期 {taken_back.isoformat()} 早于实施日期 {start.isoformat()}",
                f"item '{item.label()}': withdrawn on {taken_back.isoformat()}, before its start date {start.isoformat()}",
            )


@rule("devolution.withdrawn-still-listed", "error", "已收回的事项仍在下放目录中", "a withdrawn item is still devolved", scope="set")
def withdrawn_still_listed(ctx: Context) -> Iterator[Problem]:
    """
    已经收回的事项不能仍作为有效事项留在下放/赋权目录中。收回的事项包括：下放目录中 `status: 收回` 的事项，
    和职责任务清单中履职类型为“上级部门收回事项”（别名“收回”）的事项。全部清单中任一有效的下放事项，
    名称（归一并去掉括号注释后）与收回事项相同，或编码与另一下放目录中收回事项的编码相同（编码只在下放目录之间
    比较，因为不同种类的清单编码体系不同），即报告在该有效事项上。

    GIVEN:
        kind: duty
        items: [{name: 燃气安全监督检查, track: 上级部门收回事项}]
    PASS:
        kind: devolution
        items: [{name: 燃气经营许可初审, method: 委托, entrustor: 区住建局}]
    FAIL:
        kind: devolution
        items:
          - {name: 燃气安全监督检查, method: 委托, entrustor: 区住建局}   # 收回后仍在下放目录中

    English:
    An item that was taken back cannot still stand as an active item of a devolution catalog. Taken back are: items of a
    devolution catalog with `status: 收回`, and items of a duty list whose track is 上级部门收回事项 (alias 收回). An
    active devolved item anywhere in the set whose name (normalised, glosses stripped) equals a taken-back item's, or
    whose code equals the code of a taken-back item of another devolution catalog (codes are compared between devolution
    catalogs only, since other kinds of list use other code schemes), is reported on that active item.
    """
    by_name: dict[str, Item] = {}
    by_code: dict[str, Item] = {}
    tracks = ctx.project.vocabulary("duty_tracks")
    # whether a status or a track written so says taken back: a set writes a few of them over and over
    said: dict[tuple[str, object], bool] = {}
    for catalog in ctx.of_kind("duty", "devolution"):
        field = "status" if catalog.kind == "devolution" else "track"
        for item in catalog.items:
            value = item.data.get(field)
            if value is None:
                continue  # neither a status nor a track that says so
            taken_back = said.get((field, value)) if type(value) is str else None
            if taken_back is None:
                taken_back = _withdrawn(item) if field == "status" else tracks.resolve(str(value))[0] == "上级部门收回事项"
                if type(value) is str:
                    said[field, value] = taken_back
            if not taken_back:
                continue
            key = item.stripped_key  # normalize_name(strip_gloss(name)), kept on the item (links read it too)
            if key:
                by_name.setdefault(key, item)
            if catalog.kind == "devolution" and item.code:
                by_code.setdefault(normalize_name(item.code), item)
    if not by_name and not by_code:
        return
    for catalog in ctx.of_kind("devolution"):
        for item in catalog.items:
            if _withdrawn(item):  # normalize_name remembers the few statuses a set writes
                continue
            other = by_name.get(item.stripped_key)
            field = "name"
            if other is None and by_code and (code := item.code):
                other = by_code.get(normalize_name(code))
                field = "code"
                if other is not None and other.catalog is catalog:
                    other = None  # a duplicate code within one catalog is the codes rules' concern
            if other is None:
                continue
            if other.catalog.kind == "duty":
                zh_what, en_what = f"职责任务清单“{other.catalog.title or other.catalog.id}”列为上级部门收回事项", f"the duty list '{other.catalog.id}' lists it as taken back by the upper level"
            else:
                zh_what, en_what = f"目录“{other.catalog.title or other.catalog.id}”中已收回（{other.label()}）", f"it was taken back in catalog '{other.catalog.id}' ({other.label()})"
            yield at(
                item,
                field,
                f"事项“{item.label()}”仍作为有效下放事项列出，但{zh_what}",
                f"item '{item.label()}' is still listed as an active devolved item, but {en_what}",
            )
