"""Shared test helpers: write small catalog sets to a temporary folder and validate them."""

from __future__ import annotations

import json
import os as _os
import textwrap
from pathlib import Path

import pytest

from govlist.result import Report
from govlist.validate import validate_paths

REPO = Path(__file__).resolve().parent.parent
CATALOGS = REPO / "catalogs"


def write_set(root: Path, files: dict[str, str]) -> Path:
    """Write {relative path: YAML text (dedented)} under root; returns root."""
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return root


def doc(kind: str, body: str, level: str | None = None, unit: str | None = None, id: str | None = None) -> str:
    """A list file: a header (govlist, kind, id — default KIND-list —, title, then level and unit when given) and the
    body, flush left."""
    head = f"govlist: 1\nkind: {kind}\nid: {id or kind + '-list'}\ntitle: 示例清单\n"
    head += f"level: {level}\n" if level else ""
    head += f"unit: {unit}\n" if unit else ""
    return head + textwrap.dedent(body).lstrip("\n")


def messages(report: Report, rule_id: str, lang: str | None = None) -> list:
    """The messages of one rule's findings, in report order: Text, or the text in `lang` when given."""
    return [f.message if lang is None else f.message.get(lang) for f in report.findings if f.rule == rule_id]


def hits(report: Report, rule_id: str) -> list[tuple[str, int, int, str | None]]:
    """(file name, line, column, item code) of each finding of one rule, in report order."""
    return [(Path(f.file).name, f.line, f.column, f.item) for f in report.findings if f.rule == rule_id]


@pytest.fixture
def validate_set(tmp_path, monkeypatch):
    """validate_set({"a.yaml": "...", "govlist.yaml": "..."}) -> Report, run from inside the temporary folder."""
    monkeypatch.chdir(tmp_path)

    def run(files: dict[str, str]) -> Report:
        write_set(tmp_path, files)
        return validate_paths([tmp_path], debug=True)

    return run


# --- golden files (tests/golden): `pytest --regen-golden` or GOVLIST_REGEN_GOLDEN=1 rewrites them -------------------

GOLDEN = REPO / "tests" / "golden"


@pytest.fixture
def catalog_set(tmp_path, monkeypatch):
    """A copy of the example catalogs with findings of several kinds: a wrong declared total, a file that does not
    parse; the working folder is its parent."""
    import shutil

    shutil.copytree(CATALOGS, tmp_path / "c", ignore=shutil.ignore_patterns(".govlist-cache"))
    street = tmp_path / "c" / "gumei" / "street-duty.yaml"
    street.write_text(street.read_text(encoding="utf-8").replace("items: 184", "items: 185", 1), encoding="utf-8")
    (tmp_path / "c" / "broken.yaml").write_text("govlist: 1\nkind: duty\n\tid: x\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path / "c"


def pytest_addoption(parser):
    parser.addoption("--regen-golden", action="store_true", default=False, help="rewrite the golden files in tests/golden")


@pytest.fixture
def golden(request):
    """golden(name, text): compare text with tests/golden/NAME, or rewrite the file when regenerating."""
    regen = request.config.getoption("--regen-golden") or _os.environ.get("GOVLIST_REGEN_GOLDEN") == "1"

    def check(name: str, text: str) -> None:
        path = GOLDEN / name
        if regen:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(text.encode("utf-8"))
            return
        assert path.is_file(), f"missing golden file {path}; run pytest --regen-golden"
        expected = path.read_bytes().decode("utf-8")
        assert text == expected, f"output differs from {path.name}; if the change is intended, run pytest --regen-golden"

    return check


def entry_parts(path) -> list[bytes]:
    """A checked file's entry (`<key>.entry`) as written: its first line, then its parts (entry, record, data)."""
    head, rest = path.read_bytes().split(b"\n", 1)
    parts, lengths = [], json.loads(head)["parts"]
    for length in lengths:
        parts.append(rest[:length])
        rest = rest[length + 1 :]
    return [head, *parts]


def write_entry(path, head: bytes, parts: list[bytes]) -> None:
    """An entry written back with these parts, its first line giving their lengths: only what they hold is wrong."""
    header = json.loads(head)
    header["parts"] = [len(part) for part in parts]
    path.write_bytes(b"\n".join([json.dumps(header).encode(), *parts, b""]))
