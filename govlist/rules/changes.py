"""Gates on changes between two versions (`govlist diff`, `govlist changelog`). Reported by the diff, not by validate."""

from ..ruleset import builtin

builtin("change.assist-without-approval", "error", "新列入社区的协助事项没有准入申请和审批", "assisting item put on a community list without application and approval", """
社区工作事项清单的新版本中新增（或移入、拆分出、类型改为）一个协助事项，但该事项没有准入申请记录（`application`）
或审批记录（`approval`）。按社区工作准入制度，协助事项须经部门申请、集中审核、区政府审定后方可列入；
`govlist diff` 和 `govlist changelog` 比较两个版本时报告。

FAIL:
    # 新版本新增：
    - name: 老年人助餐服务协助
      type: 协助事项
      department: 区民政局            # 没有 application 和 approval

English:
A new version of a community work list adds (or moves in, splits out, or retypes as) an assisting item (协助事项)
that has no application record (`application`) or approval record (`approval`). Under the community entry rules an
assisting item is listed only after a department applies, the joint review and the district government's approval;
reported by `govlist diff` and `govlist changelog` when comparing two versions.
""")

builtin("change.withdrawal-record", "error", "取消或收回事项没有原因、批准和日期", "removed or taken-back item without reason, approval and date", """
项目文件 `changes.require` 要求记录的内容缺失：取消的事项（新版本中不再出现）应在新版本表头的
`adjustment.records` 中有一条记录（按编码或名称对应），收回的事项（`status: 收回`、改为“上级部门收回事项”，或移到
上级清单）应在 `withdrawal` 或 `adjustment.records` 中写明。要求哪些字段由项目文件决定，例如：

    changes:
      require:
        removal: [reason, approval, effective]      # 取消事项：原因、批准、生效日期
        withdrawal: [reason, approval, effective]   # 收回事项（effective 也可写作 withdrawal.date）

项目文件没有要求时不检查。

English:
What the project file's `changes.require` asks to be recorded is missing: a removed item (gone from the new
version) needs a record in the new version's header under `adjustment.records` (matched by code or name); an item
taken back (`status: 收回`, retracked to 上级部门收回事项, or moved to a higher level's list) needs it in its
`withdrawal` record or in `adjustment.records`. The project file says which fields are required (see the example
above); nothing is checked when it does not ask.
""")

builtin("change.version-not-bumped", "warning", "清单有变更但版本和日期未变", "catalog changed without a new version or date", """
两个版本之间某个清单的事项或表头有变更，但其版本（`version`）和生效日期（`effective`）都没有改。读者和系统都无法
区分调整前后的两份清单；调整后请更新版本号或生效日期。

FAIL:
    version: "2024"          # 新旧两版都是 2024，事项却已新增
    effective: "2024-01-01"

English:
A catalog's items or header changed between the two versions, but neither its version (`version`) nor its effective
date (`effective`) did, so readers cannot tell the lists before and after the adjustment apart. Update the version or
the effective date when adjusting a list.
""")

builtin("change.arithmetic", "error", "调整前后的事项数对不上", "adjustment arithmetic does not add up", """
原事项数 − 取消 + 新增（± 移入移出、拆分合并）应等于新事项数，对整个清单和每个类别都核对。原数和新数取公布总数
（`declared.items`、类别的 `declared`），没有公布时取实际条数。对不上通常说明公布总数漏改，或调整说明的数字与条目不符。

FAIL:
    # 2024 版 declared.items: 77；取消 3 项、新增 5 项
    # 2025 版 declared.items: 80        # 应为 79

English:
The old count − removed + added (± moves in and out, splits and merges) must equal the new count, for the whole list
and for each category. The counts are the declared totals (`declared.items`, a category's `declared`), or the
actual number of items where none is declared. A mismatch usually means a declared total was not updated, or the
adjustment notice's figures do not match the items.
""")
