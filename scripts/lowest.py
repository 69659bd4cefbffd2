"""Print a pip constraints file pinning every dependency of pyproject.toml (and its test extra) to its lower bound.

CI's second pass installs with these constraints, so each `>=` bound in pyproject.toml is one that really works.
A dependency without a `>=` lower bound is refused: the lowest pass would not know what to test.
Usage: python3 scripts/lowest.py [pyproject.toml] > constraints.txt
"""

import re
import sys
import tomllib
from pathlib import Path

REQUIREMENT = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(\[[^\]]*\])?\s*(.*?)\s*(;.*)?$")


def lowest_pins(pyproject: dict) -> list[str]:
    project = pyproject["project"]
    requirements = list(project.get("dependencies", [])) + list(project.get("optional-dependencies", {}).get("test", []))
    pins = []
    for requirement in requirements:
        match = REQUIREMENT.match(requirement)
        bound = re.search(r">=\s*([^,\s]+)", match.group(3)) if match else None
        if not bound:
            raise SystemExit(f"pyproject.toml: '{requirement}' has no lower bound (>=); the lowest-versions pass needs one")
        pins.append(f"{match.group(1)}=={bound.group(1)}")
    return pins


if __name__ == "__main__":
    path = Path(sys.argv[1] if len(sys.argv) > 1 else "pyproject.toml")
    print("\n".join(lowest_pins(tomllib.loads(path.read_text(encoding="utf-8")))))
