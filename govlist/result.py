"""What a run hands to its reporters, and the one exception a user may cause: a usage problem."""

from __future__ import annotations

from dataclasses import dataclass

from .catalog import Catalog
from .model import Finding, Severity, Text
from .project import Project


class UsageError(Exception):
    """A usage problem (missing path, bad option value): exit code 2."""

    def __init__(self, message: Text) -> None:
        super().__init__(message.en)
        self.message = message


@dataclass
class Report:
    """Everything a reporter needs: the findings, sorted, and what was checked."""

    findings: list[Finding]
    files: list[str]
    catalogs: list[Catalog]
    project: Project
    suppressed: int = 0  # by inline comments and by the baseline
    baselined: int = 0  # of those, accepted by the baseline

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    def failed(self, fail_on: Severity | None) -> bool:
        return fail_on is not None and any(f.severity >= fail_on for f in self.findings)
