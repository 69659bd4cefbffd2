"""Findings about the baseline of accepted findings (`.govlist-baseline.yaml`, written by `govlist baseline`)."""

from ..ruleset import builtin

builtin(
    "baseline.expired",
    "error",
    "基线豁免已到期",
    "baseline waiver expired",
    """
基线文件中的条目接受了一条发现，但它的有效期 `until` 已过。豁免不再起作用：原来的发现重新报告，这条发现指向
基线文件中的条目。改正问题，或经批准后延长 `until`（并更新 `approved_by`）。“今天”取系统日期，可用环境变量
`GOVLIST_TODAY=YYYY-MM-DD` 指定。基线文件中到期的条目如：

    - fingerprint: "3f1c0a9e2b7d4c11"
      rule: "totals.items"
      file: "catalogs/street-duty.yaml"
      approved_by: "王科长"
      until: "2025-06-30"

无法举例：要有 `govlist baseline` 写下的基线文件（其中是发现的指纹），并用 `validate --baseline` 检查。

English:
An entry of the baseline file accepts a finding, but its `until` date has passed. The waiver no longer applies: the
original finding is reported again, and this finding points at the entry in the baseline file. Fix the problem, or
renew `until` with approval (and update `approved_by`). "Today" is the system date unless `GOVLIST_TODAY=YYYY-MM-DD`
says otherwise.

No example: it takes a baseline file written by `govlist baseline` (the fingerprints of findings) and a run of
`validate --baseline`.
""",
)

builtin(
    "baseline.unused",
    "info",
    "基线条目没有对应的发现",
    "unused baseline entry",
    """
基线文件中的条目没有匹配任何发现：问题可能已经改正。重新运行 `govlist baseline` 更新基线，或删除该条目。
只对本次检查的文件报告（pre-commit 只检查改动的文件时，其余文件的条目不算未使用）。

无法举例：要有 `govlist baseline` 写下的基线文件，并用 `validate --baseline` 检查。

English:
An entry of the baseline file matches no finding: the problem may have been fixed. Run `govlist baseline` again to
refresh the baseline, or remove the entry. Reported only for the files checked in this run (when pre-commit checks
only the changed files, the entries of the other files do not count as unused).

No example: it takes a baseline file written by `govlist baseline` and a run of `validate --baseline`.
""",
)
