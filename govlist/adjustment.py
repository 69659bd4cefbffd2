"""An adjustment (动态调整) as a recorded procedure: its steps in a list's header (`adjustment.steps`).

The procedure: a written request naming item, content, basis and reason (申请) → the staffing office's review (审核)
with the justice bureau's legality review (合法性审查) → the government's approval (批准) → publication (公布). Each
step has a body, a date and a 文号. The project file's `adjustment:` says which steps are required and the deadlines
between them in working days, so a district sets its own. Plain data and helpers; the checks are in
rules/adjustment.py, the gate in rules/changes.py and the notice in changelog.py read the same record.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass

#: the steps in procedural order: (step, stage); the review and the legality review share a stage (either order)
STEPS: tuple[tuple[str, int], ...] = (("申请", 1), ("审核", 2), ("合法性审查", 2), ("批准", 3), ("公布", 4))
STAGE = dict(STEPS)
STEP_EN = {"申请": "request", "审核": "review", "合法性审查": "legality review", "批准": "approval", "公布": "publication"}
DEFAULT_REQUIRED = ("申请", "审核", "合法性审查", "批准")
STEP_FIELDS = ("body", "date", "doc_number")
REQUEST_FIELDS = ("items", "content", "basis", "reason")


@dataclass(frozen=True)
class Deadline:
    start: str
    end: str
    working_days: int


@dataclass(frozen=True)
class AdjustmentRules:
    """The project file's `adjustment:` section: required steps and deadlines between steps."""

    required: tuple[str, ...] = DEFAULT_REQUIRED
    deadlines: tuple[Deadline, ...] = ()


def build_rules(section: object) -> AdjustmentRules:
    section = section if isinstance(section, dict) else {}
    required = tuple(str(s) for s in section.get("required_steps") or DEFAULT_REQUIRED)
    deadlines = []
    for entry in section.get("deadlines") or []:
        if isinstance(entry, dict) and isinstance(entry.get("working_days"), int):
            deadlines.append(Deadline(str(entry.get("from")), str(entry.get("to")), entry["working_days"]))
    return AdjustmentRules(required, tuple(deadlines))


def steps(adjustment: object) -> list[tuple[int, dict]]:
    """(index, step) of the recorded steps, as written."""
    raw = adjustment.get("steps") if isinstance(adjustment, dict) else None
    return [(i, s) for i, s in enumerate(raw or []) if isinstance(s, dict)]


def step_date(step: dict) -> _dt.date | None:
    try:
        return _dt.date.fromisoformat(str(step.get("date")))
    except ValueError:
        return None


def find_step(adjustment: object, name: str) -> dict | None:
    """The first recorded step called `name` (申请, 审核, 合法性审查, 批准, 公布), or None."""
    return next((s for _, s in steps(adjustment) if s.get("step") == name), None)


def approval_step(adjustment: object) -> dict | None:
    """The 批准 step when it names its body, date and 文号; None when not recorded or incomplete."""
    step = find_step(adjustment, "批准")
    return step if step is not None and all(str(step.get(k) or "").strip() for k in STEP_FIELDS) else None


def approval_text(adjustment: object) -> str:
    """How a notice cites the approval: "XX区人民政府（XX府〔2025〕3号，2025-04-10）" from the 批准 step, else the
    header's free-text `approval`."""
    step = approval_step(adjustment)
    if step is not None:
        return f"{step['body']}（{step['doc_number']}，{step['date']}）"
    free = adjustment.get("approval") if isinstance(adjustment, dict) else None
    return str(free).strip() if free is not None else ""
