"""The adjustment record (调整程序) in a list's header: complete steps, in order, within the district's deadlines."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from ..adjustment import REQUEST_FIELDS, STAGE, STEP_EN, STEP_FIELDS, step_date, steps
from ..catalog import Catalog
from ..fields import label as field_label
from ..kinds import LIST_KINDS
from ..ruleset import Context, Problem, at_catalog, rule
from .common import filled


def _where(index: int, key: str | None = None) -> tuple:
    return ("adjustment", "steps", index) + ((key,) if key else ())


def _dated(recorded: list[tuple[int, dict]], name: str) -> tuple[int, date] | None:
    """The first recorded step called `name` that carries a date: (its index, the date), or None."""
    for index, step in recorded:
        day = step_date(step)
        if step.get("step") == name and day is not None:
            return index, day
    return None


@rule("adjustment.incomplete", "error", "调整程序记录不全", "the adjustment record is incomplete", kinds=LIST_KINDS)
def incomplete(catalog: Catalog, ctx: Context) -> Iterator[Problem]:
    """
    清单头部记录了调整程序（`adjustment.steps`）时，检查记录是否完整：

    - 项目文件 `adjustment.required_steps` 要求的步骤都在（默认：申请、审核、合法性审查、批准；公布可在公布后补记）；
    - 每一步写明机关（`body`）和日期（`date`），公布以外的每一步还要写文号（`doc_number`）；
    - 申请写明调整的事项（`items`）、内容（`content`）、依据（`basis`）和理由（`reason`）。

    没有记录调整程序的清单不检查（取消、收回事项是否有批准由 `change.withdrawal-record` 在比较版本时检查）。

    PASS:
        adjustment:
          steps:
            - {step: 申请, body: 区民政局, date: "2025-03-03", doc_number: 民发〔2025〕5号,
               items: [CH-SQ-012], content: 取消“出具居住证明”, basis: 《居住证暂行条例》, reason: 证明事项已取消}
            - {step: 审核, body: 区委编办, date: "2025-03-14", doc_number: 编发〔2025〕8号}
            - {step: 合法性审查, body: 区司法局, date: "2025-03-17", doc_number: 司审〔2025〕2号}
            - {step: 批准, body: 区人民政府, date: "2025-04-10", doc_number: 区府〔2025〕3号}
    FAIL:
        adjustment:
          steps:
            - {step: 申请, body: 区民政局, date: "2025-03-03"}     # 缺文号、事项、内容、依据、理由
            - {step: 批准, body: 区人民政府, date: "2025-04-10", doc_number: 区府〔2025〕3号}
        # 也缺审核、合法性审查（报告在 steps 上）

    English:
    When a list's header records the adjustment procedure (`adjustment.steps`), the record must be complete:

    - the steps the project file's `adjustment.required_steps` asks for are there (default: 申请 request, 审核 review,
      合法性审查 legality review, 批准 approval; 公布 publication may be added once published);
    - every step names its body (`body`) and date (`date`), and every step but publication its 文号 (`doc_number`);
    - the request names the items (`items`), the content (`content`), the basis (`basis`) and the reason (`reason`).

    A list that records no procedure is not checked (whether removed or taken-back items carry an approval is the
    diff gate `change.withdrawal-record`).
    """
    recorded = steps(catalog.data.get("adjustment"))
    if not recorded:
        return
    names = {s.get("step") for _, s in recorded}
    missing = [s for s in ctx.project.adjustment.required if s not in names]
    if missing:
        yield at_catalog(
            catalog,
            ("adjustment", "steps"),
            f"调整程序缺少{'、'.join(missing)}步骤（项目文件 adjustment.required_steps 要求）",
            f"the adjustment record lacks the step(s) {', '.join(STEP_EN.get(s, s) for s in missing)} (required by adjustment.required_steps)",
        )
    for index, step in recorded:
        name = str(step.get("step") or "")
        wanted = [f for f in STEP_FIELDS if not (f == "doc_number" and name == "公布")]
        if name == "申请":
            wanted += list(REQUEST_FIELDS)
        lacking = [f for f in wanted if not filled(step.get(f))]
        if lacking:
            yield at_catalog(
                catalog,
                _where(index),
                f"调整程序的“{name}”步骤缺少{'、'.join(f'{field_label(catalog.kind, _where(index, f))}（{f}）' for f in lacking)}",
                f"the {STEP_EN.get(name, name)} step of the adjustment lacks {', '.join(lacking)}",
            )


@rule("adjustment.step-order", "error", "调整程序的步骤日期顺序不对", "adjustment steps dated out of order", kinds=LIST_KINDS)
def step_order(catalog: Catalog, ctx: Context) -> Iterator[Problem]:
    """
    调整程序按 申请 → 审核、合法性审查（两者先后不限）→ 批准 → 公布 的顺序进行，各步骤的日期不得早于前一阶段的
    日期：例如批准日期早于审核日期、公布日期早于批准日期，记录自相矛盾。报告位置是日期倒置的那一步。

    PASS:
        adjustment:
          steps:
            - {step: 审核, date: "2025-03-14"}
            - {step: 批准, date: "2025-04-10"}
            - {step: 公布, date: "2025-04-14"}
    FAIL:
        adjustment:
          steps:
            - {step: 审核, date: "2025-03-14"}
            - {step: 批准, date: "2025-03-10"}   # 批准早于审核

    English:
    The procedure runs request (申请) → review and legality review (审核, 合法性审查, in either order) → approval (批准) →
    publication (公布); no step may be dated before a step of an earlier stage: an approval dated before the review,
    or a publication before the approval, is an inconsistent record. The finding points at the step whose date is
    out of order.
    """
    dated = [(index, step, day) for index, step in steps(catalog.data.get("adjustment")) if (day := step_date(step)) is not None and step.get("step") in STAGE]
    for index, step, day in dated:
        stage = STAGE[step["step"]]
        later = [(s, d) for _, s, d in dated if STAGE[s["step"]] < stage and d > day]
        if later:
            earlier_step, earlier_day = max(later, key=lambda pair: pair[1])
            yield at_catalog(
                catalog,
                _where(index, "date"),
                f"调整程序的“{step['step']}”日期 {day.isoformat()} 早于“{earlier_step['step']}”的日期 {earlier_day.isoformat()}，记录自相矛盾",
                f"the {STEP_EN[step['step']]} is dated {day.isoformat()}, before the {STEP_EN[earlier_step['step']]} of {earlier_day.isoformat()}; the record is inconsistent",
            )


@rule("adjustment.deadline", "warning", "调整程序超出时限", "an adjustment step outside its deadline", kinds=LIST_KINDS)
def deadline(catalog: Catalog, ctx: Context) -> Iterator[Problem]:
    """
    按项目文件 `adjustment.deadlines` 检查调整程序步骤之间的时限，工作日按工作日历计算（法定节假日不算，调休上班日
    算，见 docs/format.md“工作日历”）。每条时限写 `{from, to, working_days}`（见下例中的项目文件 govlist.yaml）。
    两步都记录了日期才检查；项目文件没有时限的不检查。日期所在年份不在工作日历中时不猜测，报告无法计算。

    GIVEN:
        kind: project
        adjustment:
          deadlines:
            - {from: 申请, to: 审核, working_days: 15}   # 收到申请后 15 个工作日内审核
            - {from: 批准, to: 公布, working_days: 3}    # 批准后 3 个工作日内公布
    PASS:
        adjustment:
          steps:
            - {step: 批准, date: "2025-09-26"}
            - {step: 公布, date: "2025-09-30"}
    FAIL:
        adjustment:
          steps:
            - {step: 批准, date: "2025-09-26"}
            - {step: 公布, date: "2025-10-10"}   # 国庆中秋放假 8 天，9 月 28 日调休上班：5 个工作日，超过 3

    English:
    Checks the deadlines between the steps of the procedure that the project file sets in `adjustment.deadlines`,
    each `{from, to, working_days}` (see the project file in the examples below), counting working days on the working-day calendar
    (public holidays off, 调休 working weekends on; "Working-day calendar" in docs/format.md). Only steps that both
    carry a date are checked; nothing is checked when the project sets no deadline. A date in a year the calendar does
    not know is never guessed: the rule reports that it cannot count.
    """
    rules = ctx.project.adjustment
    if not rules.deadlines:
        return
    recorded = steps(catalog.data.get("adjustment"))
    calendar = ctx.project.calendar
    for limit in rules.deadlines:
        start, end = _dated(recorded, limit.start), _dated(recorded, limit.end)
        if start is None or end is None:
            continue
        first, last = start[1], end[1]
        if last < first:
            continue  # adjustment.step-order reports it
        count = calendar.working_days_after(first, last)
        if count.days is None:
            zh, en = calendar.describe_unknown(count.unknown)
            yield at_catalog(catalog, _where(end[0], "date"), f"调整程序“{limit.start}”到“{limit.end}”的时限：{zh}", f"the deadline from {STEP_EN.get(limit.start)} to {STEP_EN.get(limit.end)}: {en}")
        elif count.days > limit.working_days:
            yield at_catalog(
                catalog,
                _where(end[0], "date"),
                f"“{limit.start}”（{first.isoformat()}）到“{limit.end}”（{last.isoformat()}）用时 {count.days} 个工作日，超过项目文件规定的 {limit.working_days} 个工作日",
                f"{STEP_EN.get(limit.start)} ({first.isoformat()}) to {STEP_EN.get(limit.end)} ({last.isoformat()}) took {count.days} working days, more than the {limit.working_days} the project file allows",
            )
