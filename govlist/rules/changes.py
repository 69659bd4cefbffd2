"""Rules on changes between two versions, run when `govlist diff`, `govlist changelog` or `render --changes-since`
compares them (scope "changes": `ctx.comparison` is a `govlist.diff.model.Comparison`, `ctx.project` the project of
the new version). Severities, the project's vocabularies and inline suppressions apply as to every other rule."""

from __future__ import annotations

from collections.abc import Iterator

from ..adjustment import approval_step, approval_text, steps
from ..catalog import Item
from ..model import Text
from ..normalize import normalize_name
from ..ruleset import Context, Problem, rule
from .common import data_at, filled

ASSIST = normalize_name("协助事项")
REQUIRE_ZH = {"reason": "原因", "approval": "批准", "effective": "生效日期", "date": "日期"}


@rule("change.assist-without-approval", "error", "新列入社区的协助事项没有准入申请和审批", "assisting item put on a community list without application and approval", scope="changes")
def assist_without_approval(ctx: Context) -> Iterator[Problem]:
    """
    社区工作事项清单的新版本中新增（或移入、拆分出、类型改为）一个协助事项，但该事项没有准入申请记录（`application`）
    或审批记录（`approval`）。按社区工作准入制度，协助事项须经部门申请、集中审核、区政府审定后方可列入；
    `govlist diff` 和 `govlist changelog` 比较两个版本时报告。

    OLD:
        kind: community
        items: [{code: SQ-01, name: 低保申请家庭入户核查协助, type: 依法履职事项}]
    PASS:
        kind: community
        items:
          - {code: SQ-01, name: 低保申请家庭入户核查协助, type: 依法履职事项}
          - code: SQ-02
            name: 老年人助餐服务协助
            type: 协助事项
            application: {department: 区民政局, date: "2025-03-03"}
            approval: {body: 区人民政府, date: "2025-04-10", doc_number: 区府〔2025〕3号}
    FAIL:
        kind: community
        items:
          - {code: SQ-01, name: 低保申请家庭入户核查协助, type: 依法履职事项}
          - {code: SQ-02, name: 老年人助餐服务协助, type: 协助事项}   # 新增，没有 application 和 approval

    English:
    A new version of a community work list adds (or moves in, splits out, or retypes as) an assisting item (协助事项)
    that has no application record (`application`) or approval record (`approval`). Under the community entry rules an
    assisting item is listed only after a department applies, the joint review and the district government's approval;
    reported by `govlist diff` and `govlist changelog` when comparing two versions.
    """
    cmp = ctx.comparison
    vocab = ctx.project.vocabulary("community_types")

    def is_assist(item: Item) -> bool:
        value = item.data.get("type")
        return isinstance(value, str) and normalize_name(vocab.resolve(value)[0] or value) == ASSIST

    arrived = list(cmp.added) + [p for _, parts, _ in cmp.splits for p in parts] + [n for _, n, _ in cmp.merges]
    # a pair that stayed where it was with the same data is not new to the list (skipped without reading its data)
    arrived += [n for o, n, _, _ in cmp.pairs if n.catalog.kind == "community" and (not cmp.same_category(o, n) or (not cmp.same_item(o, n) and not is_assist(o)))]
    for item in arrived:
        if item.catalog.kind != "community" or not is_assist(item):
            continue
        missing = [k for k in ("application", "approval") if not filled(item.data.get(k))]
        if missing:
            zh = "、".join({"application": "准入申请", "approval": "审批记录"}[k] for k in missing)
            yield Problem(
                item.catalog,
                item.pointer,
                Text(f"协助事项“{item.label()}”新列入社区清单，但没有{zh}（{', '.join(missing)}）", f"assisting item '{item.label()}' newly put on a community list without its {' and '.join(missing)} record"),
                item,
            )


@rule("change.withdrawal-record", "error", "取消或收回事项没有原因、批准和日期", "removed or taken-back item without reason, approval and date", scope="changes")
def withdrawal_record(ctx: Context) -> Iterator[Problem]:
    """
    项目文件 `changes.require` 要求记录的内容缺失：取消的事项（新版本中不再出现）应在新版本表头的
    `adjustment.records` 中有一条记录（按编码或名称对应），收回的事项（`status: 收回`、改为“上级部门收回事项”，或移到
    上级清单）应在 `withdrawal` 或 `adjustment.records` 中写明。要求哪些字段由项目文件决定（见下例中的
    govlist.yaml：`removal` 是取消事项，`withdrawal` 是收回事项，其 effective 也可写作 withdrawal.date）。

    清单头部记录了调整程序（`adjustment.steps`）时，批准以其中的“批准”步骤为准（机关、日期、文号齐全），事项记录中的
    文字批准说明不再算数；没有记录调整程序的，仍看事项记录中的 `approval`。项目文件没有要求时不检查。

    GIVEN:
        kind: project
        changes:
          require:
            removal: [reason, approval, effective]      # 取消事项：原因、批准、生效日期
            withdrawal: [reason, approval, effective]   # 收回事项
    OLD:
        items: [{code: "01", name: 违法建设巡查}, {code: "02", name: 户外广告设置审批}]
    PASS:
        adjustment:
          records: [{code: "02", reason: 审批权限调整, approval: 区府〔2025〕3号, effective: "2025-04-01"}]
        items: [{code: "01", name: 违法建设巡查}]
    FAIL:
        adjustment:
          records: [{code: "02", reason: 审批权限调整}]   # 取消了 02，记录缺批准和生效日期
        items: [{code: "01", name: 违法建设巡查}]

    English:
    What the project file's `changes.require` asks to be recorded is missing: a removed item (gone from the new
    version) needs a record in the new version's header under `adjustment.records` (matched by code or name); an item
    taken back (`status: 收回`, retracked to 上级部门收回事项, or moved to a higher level's list) needs it in its
    `withdrawal` record or in `adjustment.records`. The project file says which fields are required (see govlist.yaml
    in the examples). When the header records the procedure (`adjustment.steps`), the approval is its 批准 step (with body,
    date and 文号), and a free-text approval in an item's record no longer counts; without a recorded procedure the
    record's `approval` is read as before. Nothing is checked when the project file does not ask.
    """
    cmp = ctx.comparison
    for what in ("removal", "withdrawal"):
        required = cmp.settings.require.get(what) or []
        if not required:
            continue
        entries = cmp.removed if what == "removal" else [c.new for c in cmp.changes if c.kind == "withdrawn"]
        for entry in entries:
            if what == "removal":
                ref = cmp.ref(entry)
                target = cmp.new_by_id.get(entry.catalog.id)
                record = cmp.record_for(target, ref) or {}
                pointer = (("adjustment",) if "adjustment" in cmp.header(target) else ()) if target is not None else entry.pointer
                where = target if target is not None else entry.catalog
            else:
                ref = entry
                where = cmp.new_by_id.get(ref.catalog)
                item_data = data_at(where.data if where is not None else None, ref.pointer)
                record = dict(cmp.record_for(where, ref) or {})
                withdrawal = item_data.get("withdrawal") if isinstance(item_data, dict) else None
                if isinstance(withdrawal, dict):
                    record.update({k: v for k, v in withdrawal.items() if filled(v)})
                pointer = ref.pointer + (("withdrawal",) if isinstance(withdrawal, dict) else ())
            adjustment = cmp.header(where).get("adjustment") if where is not None else None
            approved = approval_step(adjustment)
            if approved is not None or steps(adjustment):
                # the recorded procedure decides: its 批准 step (body, date, 文号), not a free-text approval
                record = {k: v for k, v in record.items() if k != "approval"}
                if approved is not None:
                    record["approval"] = approval_text(adjustment)
            dated = filled(record.get("effective")) or filled(record.get("date"))
            missing = [k for k in required if not filled(record.get(k)) and not (k in ("effective", "date") and dated)]
            if missing:
                label_zh, label_en = ("取消", "removed") if what == "removal" else ("收回", "taken back")
                yield Problem(
                    where,
                    pointer,
                    Text(
                        f"{label_zh}事项“{ref.label()}”缺少{'、'.join(REQUIRE_ZH.get(k, k) for k in missing)}的记录（项目文件 changes.require.{what} 要求）",
                        f"{label_en} item '{ref.label()}' has no recorded {', '.join(missing)} (required by changes.require.{what} in the project file)",
                    ),
                    code=ref.code,
                )


@rule("change.version-not-bumped", "warning", "清单有变更但版本和日期未变", "catalog changed without a new version or date", scope="changes")
def version_not_bumped(ctx: Context) -> Iterator[Problem]:
    """
    两个版本之间某个清单的事项或表头有变更，但其版本（`version`）和生效日期（`effective`）都没有改。读者和系统都无法
    区分调整前后的两份清单；调整后请更新版本号或生效日期。

    OLD:
        version: "2024"
        items: [{code: "01", name: 违法建设巡查}]
    PASS:
        version: "2025"
        items: [{code: "01", name: 违法建设巡查}, {code: "02", name: 燃气安全宣传}]
    FAIL:
        version: "2024"          # 新旧两版都是 2024，事项却已新增
        items: [{code: "01", name: 违法建设巡查}, {code: "02", name: 燃气安全宣传}]

    English:
    A catalog's items or header changed between the two versions, but neither its version (`version`) nor its effective
    date (`effective`) did, so readers cannot tell the lists before and after the adjustment apart. Update the version or
    the effective date when adjusting a list.
    """
    cmp = ctx.comparison
    changed_ids = {c.catalog for c in cmp.changes if c.kind != "catalog" or c.field not in (("version",), ("effective",))}
    for cid in sorted(changed_ids):
        o, n = cmp.old_by_id.get(cid), cmp.new_by_id.get(cid)
        if o is None or n is None:
            continue
        old_header, new_header = cmp.header(o), cmp.header(n)
        if old_header.get("version") == new_header.get("version") and old_header.get("effective") == new_header.get("effective"):
            pointer = ("version",) if "version" in new_header else (("effective",) if "effective" in new_header else ())
            version, effective = new_header.get("version"), new_header.get("effective")
            effective = effective.isoformat() if hasattr(effective, "isoformat") else effective
            yield Problem(
                n,
                pointer,
                Text(
                    f"清单“{cid}”有变更，但版本（{version or '未填'}）和生效日期（{effective or '未填'}）都没有改",
                    f"list '{cid}' changed but neither its version ({version or 'none'}) nor its effective date ({effective or 'none'}) did",
                ),
            )


@rule("change.arithmetic", "error", "调整前后的事项数对不上", "adjustment arithmetic does not add up", scope="changes")
def arithmetic(ctx: Context) -> Iterator[Problem]:
    """
    原事项数 − 取消 + 新增（± 移入移出、拆分合并）应等于新事项数，对整个清单和每个类别都核对。原数和新数取公布总数
    （`declared.items`、类别的 `declared`），没有公布时取实际条数。对不上通常说明公布总数漏改，或调整说明的数字与条目不符。

    OLD:
        declared: {items: 2}
        items: [{code: "01", name: 违法建设巡查}, {code: "02", name: 户外广告设置审批}]
    PASS:
        declared: {items: 2}                # 2 − 1 + 1 = 2
        items: [{code: "01", name: 违法建设巡查}, {code: "03", name: 燃气安全宣传}]
    FAIL:
        declared: {items: 3}                # 取消 1 项、新增 1 项：应为 2
        items: [{code: "01", name: 违法建设巡查}, {code: "03", name: 燃气安全宣传}]

    English:
    The old count − removed + added (± moves in and out, splits and merges) must equal the new count, for the whole list
    and for each category. The counts are the declared totals (`declared.items`, a category's `declared`), or the
    actual number of items where none is declared. A mismatch usually means a declared total was not updated, or the
    adjustment notice's figures do not match the items.
    """
    cmp = ctx.comparison
    for r in cmp.arithmetic:
        if r.ok or (r.old_declared is None and r.new_declared is None):
            continue
        n = cmp.new_by_id.get(r.catalog)
        pointer: tuple = ("declared", "items") if r.category is None else ()
        if n is None:  # the list is gone from the new side: said at the old list's top, not at file "" 0:0
            old = cmp.old_by_id.get(r.catalog)
            if old is None:
                continue
            n, pointer = old, ()
        if r.category is not None and n is not None:
            for i, cat in enumerate(n.categories):
                if str(cat.get("name") or "") == r.category:
                    pointer = ("categories", i, "declared") if "declared" in cat else ("categories", i)
        if n is not None and r.category is None and not isinstance(cmp.header(n).get("declared"), dict):
            pointer = ()
        where_zh = f"清单“{r.catalog}”" + (f"类别“{r.category}”" if r.category else "")
        where_en = f"list '{r.catalog}'" + (f" category '{r.category}'" if r.category else "")
        moves_zh = f"，移入 {r.moved_in}、移出 {r.moved_out}" if r.moved_in or r.moved_out else ""
        moves_en = f", {r.moved_in} moved in, {r.moved_out} out" if r.moved_in or r.moved_out else ""
        base_zh = f"原公布 {r.old_declared} 项" if r.old_declared is not None else f"原有 {r.old_count} 项"
        base_en = f"{r.old_declared} declared before" if r.old_declared is not None else f"{r.old_count} before"
        new_zh = f"新公布 {r.new_declared} 项" if r.new_declared is not None else f"新版实有 {r.new_count} 项"
        new_en = f"{r.new_declared} declared now" if r.new_declared is not None else f"{r.new_count} now"
        yield Problem(
            n,
            pointer,
            Text(
                f"{where_zh}调整数目对不上：{base_zh}，取消 {r.removed}、新增 {r.added}{moves_zh}，应为 {r.expected} 项，{new_zh}",
                f"{where_en}: the adjustment does not add up: {base_en}, {r.removed} removed, {r.added} added{moves_en}, makes {r.expected}, but {new_en}",
            ),
        )
