"""Every rule's PASS/FAIL docstring examples run, on the path `govlist validate` (or, for the rules on changes,
`govlist diff`) takes: written to files, loaded, checked, collected.

What an example is (the convention, also in docs/architecture.md):

- A block after a line `PASS:` or `FAIL:` (an optional note in brackets: `FAIL (提示):`), indented four spaces.
  PASS: the rule finds nothing, and the files are read as lists (no parse.* or schema.* finding). FAIL: the rule
  finds something, and (but for the parse.* and schema.* rules) the files are read as lists too. A line of a FAIL example that ends in a comment (`- {name: x}   # why`) marks where a finding
  stands: when the example marks lines, the rule's findings in it are exactly on the marked lines.
- The block is one file, or several separated by `---` lines (a set rule that needs several lists). A file that
  starts with a comment `# name.yaml` gets that name; otherwise it is named after its kind (`duty.yaml`,
  `duty-2.yaml` …).
- A file that is a YAML list holds the items of a list of the rule's kind (its only kind, else the first of
  `kinds.KINDS` it checks; duty for a rule of every kind); the runner writes the header (`govlist: 1`, `kind`,
  `id` = the file's name without `.yaml`, `title`, and what the kind's schema requires) and `items:` (`units:` in a
  registry) above it. A file that is a mapping is a whole list: the header keys it does not write are added (and,
  when it lists no items, one item `{name: 示例事项}` below it), so it may write only what matters (`unit: 河滨街道`
  and `items:`), or set `kind: registry`, `id: …` itself. A mapping with `kind: project` is the project file,
  govlist.yaml.
- A block after a line `GIVEN:` holds files (a registry, a parent list, govlist.yaml …) that each PASS or FAIL
  example after it is checked with, so the examples show only what differs.
- For a rule on changes (scope "changes"), a block after a line `OLD:` is the earlier version, and each PASS or FAIL
  example after it is the later one, compared with `govlist diff`.
- A rule whose behaviour an example cannot show (a file that cannot be read, a baseline file) says so with a line
  `无法举例：<why>` in its Chinese text and `No example: <why>` in its English text, and has no examples.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

import pytest

import govlist.rules  # noqa: F401  (registers the rules)
from govlist.diff.engine import diff_paths
from govlist.kinds import KINDS
from govlist.model import Finding
from govlist.ruleset import RULES, Rule
from govlist.validate import validate_paths

LABEL = re.compile(r"^(PASS|FAIL|OLD|GIVEN)(?: ?[(（][^)）]*[)）])?:\s*$")
FILE_NAME = re.compile(r"^#\s*([\w./-]+\.yaml)\s*$")
TOP_KEY = re.compile(r"^([A-Za-z_][\w-]*)\s*:")
NO_EXAMPLE_ZH = "无法举例："
NO_EXAMPLE_EN = "No example:"

#: what the runner writes above an example beyond govlist, kind, id and title: the fields a kind's schema requires
REQUIRED = {"assessment": {"assessor": "示例街道办事处", "assessees": "[示例派出所]"}}


@dataclass
class Example:
    label: str  # PASS or FAIL
    text: str  # the block, dedented
    line: int  # the docstring line of the label (for messages)
    old: str | None = None  # for a rule on changes: the earlier version
    given: str | None = None  # the other files it is checked with

    def files(self) -> str:
        """The example's own files, then the files it is given (their lines come after the example's)."""
        return self.text + ("\n---\n" + self.given if self.given else "")


@dataclass
class File:
    name: str  # as a finding names it: the path from the folder the run starts in
    first: int  # the file line where the example's text starts (1-based)
    start: int  # the example line (0-based) this file's text starts at
    lines: int  # how many example lines it holds


@dataclass
class Written:
    files: list[File] = field(default_factory=list)

    def example_line(self, file_name: str, line: int) -> int | None:
        """The example line (0-based) a finding at `line` of `file_name` stands on, or None (the header)."""
        for f in self.files:
            if f.name == file_name and f.first <= line < f.first + f.lines:
                return f.start + line - f.first
        return None


def examples(rule: Rule) -> list[Example]:
    """The rule's examples, in docstring order."""
    lines = textwrap.dedent(rule.doc).splitlines()
    found: list[Example] = []
    old: str | None = None
    given: str | None = None
    index = 0
    while index < len(lines):
        match = LABEL.match(lines[index])
        if not match:
            index += 1
            continue
        start = index + 1
        index = start
        while index < len(lines) and (not lines[index].strip() or lines[index].startswith("    ")):
            index += 1
        text = textwrap.dedent("\n".join(lines[start:index])).strip("\n")
        if match.group(1) == "OLD":
            old = text
        elif match.group(1) == "GIVEN":
            given = text
        else:
            found.append(Example(match.group(1), text, start, old, given))
    return found


def default_kind(rule: Rule) -> str:
    if rule.kinds is None:
        return "duty"
    return next(kind for kind in KINDS if kind in rule.kinds)


def write(example_text: str, rule: Rule, root: Path, side: str = "") -> Written:
    """Write an example's files into `root` (its folder `side`: old or new, for a rule on changes) by the convention
    above; the run starts in `root`."""
    written = Written()
    lines = example_text.splitlines()
    documents: list[tuple[int, list[str]]] = [(0, [])]
    for number, line in enumerate(lines):
        if re.match(r"^---\s*(#.*)?$", line):
            documents.append((number + 1, []))
        else:
            documents[-1][1].append(line)
    used: set[str] = set()
    for start, doc_lines in documents:
        content = [line for line in doc_lines if line.strip() and not line.lstrip().startswith("#")]
        keys = {m.group(1) for line in content if (m := TOP_KEY.match(line))}
        kind_line = next((line for line in content if line.startswith("kind:")), None)
        kind = kind_line.split(":", 1)[1].split("#")[0].strip() if kind_line else default_kind(rule)
        named = FILE_NAME.match(doc_lines[0]) if doc_lines else None
        if named:
            name = named.group(1)
        elif kind == "project":
            name = "govlist.yaml"
        else:
            name, n = f"{kind}.yaml", 2
            while name in used:
                name, n = f"{kind}-{n}.yaml", n + 1
        used.add(name)
        header = {"govlist": "1", "kind": kind}
        if kind != "project":
            header |= {"id": Path(name).stem, "title": "示例清单"} | REQUIRED.get(kind, {})
        head = "".join(f"{key}: {value}\n" for key, value in header.items() if key not in keys)
        body = "\n".join(doc_lines)
        if content and content[0].startswith("-"):  # a list of items
            head += ("units" if kind == "registry" else "items") + ":\n"
            body = textwrap.indent(body, "  ")
        elif kind != "project" and not keys & {"items", "categories", "units"}:
            body += "\n" + ("units" if kind == "registry" else "items") + ": [{name: 示例事项}]"
        shown = f"{side}/{name}" if side else name
        path = root / shown
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(head + body + "\n", encoding="utf-8")
        written.files.append(File(shown, head.count("\n") + 1, start, len(doc_lines)))
    return written


def run(rule: Rule, example: Example, root: Path) -> tuple[list[Finding], Written]:
    """The findings of the example's files (the run starts in `root`), and where the files came from."""
    if rule.scope == "changes":
        assert example.old is not None, f"{rule.id}: an example of a rule on changes needs an OLD: version before it"
        write(example.old, rule, root, "old")
        written = write(example.files(), rule, root, "new")
        return diff_paths("old", "new").findings, written
    written = write(example.files(), rule, root)
    return validate_paths([Path(".")], debug=True, jobs=1, cache=False).findings, written


def marked_lines(text: str) -> set[int]:
    """The example lines (0-based) that end in a comment: where a FAIL example says a finding stands."""
    return {n for n, line in enumerate(text.splitlines()) if not line.lstrip().startswith("#") and _comment_start(line) is not None}


def _comment_start(line: str) -> int | None:
    quote = None
    for index, char in enumerate(line):
        if quote:
            quote = None if char == quote else quote
        elif char in "\"'" and (index == 0 or line[index - 1] in " [{:,"):
            quote = char
        elif char == "#" and index > 0 and line[index - 1] in " \t":
            return index
    return None


def _reads_as_lists(rule: Rule, example: Example) -> bool:
    """Whether the example's files must be read as lists: all but the FAIL examples of the rules on files that are not."""
    return example.label == "PASS" or not rule.id.startswith(("parse.", "schema."))


# --- the tests ------------------------------------------------------------------------------------------------------

CASES = [(rule_id, n) for rule_id in sorted(RULES) for n in range(len(examples(RULES[rule_id])))]


@pytest.mark.parametrize("rule_id", sorted(RULES))
def test_every_rule_has_examples_or_says_why_not(rule_id):
    rule = RULES[rule_id]
    found = examples(rule)
    zh, en = rule.documentation("zh"), rule.documentation("en")
    if NO_EXAMPLE_ZH in zh or NO_EXAMPLE_EN in en:
        assert NO_EXAMPLE_ZH in zh and NO_EXAMPLE_EN in en, "say why there is no example in both languages"
        assert not found, "a rule says it has no example, yet has one"
        return
    assert any(e.label == "FAIL" for e in found), "a FAIL: example, or a line 无法举例：/No example: saying why not"
    assert all(e.text.strip() for e in found), "an empty example"
    assert all((e.old is not None) == (rule.scope == "changes") for e in found), "OLD: comes before the examples of a rule on changes, and only there"
    if rule.scope != "builtin":
        assert any(e.label == "PASS" for e in found), "a PASS: example beside the FAIL one"


@pytest.mark.parametrize(("rule_id", "n"), CASES, ids=[f"{rule_id}-{n}" for rule_id, n in CASES])
def test_docstring_example(rule_id, n, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    rule = RULES[rule_id]
    example = examples(rule)[n]
    fault = judge(rule, example, *run(rule, example, tmp_path))
    assert fault is None, f"the {example.label} example at docstring line {example.line} of {rule_id} {fault}"


def judge(rule: Rule, example: Example, findings: list[Finding], written: Written) -> str | None:
    """What is wrong with an example's findings, or None."""
    own = [f for f in findings if f.rule == rule.id]
    shown = "\n".join(f"  {f.rule} {f.file}:{f.line}:{f.column} {f.message.en}" for f in findings)
    if _reads_as_lists(rule, example) and any(f.rule.startswith(("parse.", "schema.")) for f in findings):
        return f"is not read as a list:\n{shown}"
    if example.label == "PASS":
        return f"has findings of the rule:\n{shown}" if own else None
    if not own:
        return f"has no finding of the rule:\n{shown}"
    marked = marked_lines(example.text)
    lines = {written.example_line(f.file.replace("\\", "/"), f.line) for f in own}
    if marked and lines != marked:
        return f"has findings on example lines {sorted(lines, key=str)}, not on the marked lines {sorted(marked)}:\n{shown}"
    return None


@pytest.mark.parametrize(
    ("label", "text", "fault"),
    [
        ("FAIL", "unit: 河滨街道\nitems:\n  - {name: 燃气安全宣传, track: 配合, lead: 区住建委}", "has no finding of the rule"),
        ("FAIL", "- {name: 燃气安全宣传, track: 配合}\n- {name: 防汛知识宣传, track: 配合}   # here", "not on the marked lines [1]"),
        ("PASS", "- {name: 燃气安全宣传, track: 配合}", "has findings of the rule"),
        ("PASS", "- {name: 燃气安全宣传, trak: 配合}", "is not read as a list"),
    ],
)
def test_a_wrong_example_is_caught(label, text, fault, tmp_path, monkeypatch):
    """The runner is no rubber stamp: an example that says the wrong thing fails."""
    monkeypatch.chdir(tmp_path)
    rule = RULES["duty.assist-without-lead"]
    example = Example(label, text, 0)
    assert fault in (judge(rule, example, *run(rule, example, tmp_path)) or "")
