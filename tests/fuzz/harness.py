"""The fuzzing harness: Hypothesis strategies that mutate YAML text, catalog structure, spreadsheets and diff pairs,
and targets that push each input through govlist's API (and, for some, the real CLI) and judge the outcome.

A target never raises: it returns an Outcome, so one run can count everything. What counts as a failure:
- internal error: an exception other than a UsageError escaping the core, an `internal.error` finding, exit code 3
  from the CLI, or a reporter that cannot render the result;
- unlocated finding: a finding without a file or with a line below 1;
- hang: one input taking more than HANG_SECONDS of CPU time (CPU, not wall clock, so that other work on a shared
  machine does not count; the long pass also arms a wall-clock watchdog that aborts a run blocked for good).

Used by the short pass in the normal test run (test_fuzz.py) and by the long pass (long.py).
"""

from __future__ import annotations

import io
import os
import random
import re
import shutil
import tempfile
import time
import traceback
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from hypothesis import strategies as st

REPO = Path(__file__).resolve().parents[2]
HANG_SECONDS = 10.0

# --- seeds --------------------------------------------------------------------------------------------------------


def _seed_texts() -> list[bytes]:
    """The example catalogs of the repository, the smaller ones first (big ones make slow inputs)."""
    files = sorted((p for p in (REPO / "catalogs").rglob("*.yaml") if p.name != "govlist.yaml"), key=lambda p: p.stat().st_size)
    texts = [p.read_bytes() for p in files if p.stat().st_size < 60_000]
    return texts or [b"govlist: 1\nkind: duty\nid: a\ntitle: t\nitems:\n  - name: x\n"]


SEEDS = _seed_texts()
#: libyaml where PyYAML has it: the pure-Python dumper was a fifth of the time a diff pair took to draw
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
SEED_DATA = [d for d in (yaml.load(t, Loader=_LOADER) for t in SEEDS) if isinstance(d, dict)]

HOSTILE_TOKENS = [
    "0x_",
    "0b_",
    "!!int abc",
    "!!float abc",
    "!!bool maybe",
    '!!int ""',
    "9" * 4400,
    "0x" + "f" * 4000,
    "1e400",
    ".nan",
    "-.inf",
    "~",
    "null",
    "yes",
    "no",
    "on",
    "2025-02-30",
    "2025-13-45",
    "12:30:45",
    "&a x",
    "*a",
    "*undefined",
    "<<: {a: 1}",
    "!!python/object:os.system",
    "!custom x",
    "? [a]\n: b",
    "[" * 70 + "]" * 70,
    "{" * 40,
    "'",
    '"',
    "\t",
    "\x1b[2J",
    "\x1b]8;;http://evil\x07x\x1b]8;;\x07",
    "\u202e",
    "\ufffe",
    "\ufeff",
    "\x00",
    "\x7f",
    "\x85",
    "\u2028",
    "---",
    "...",
    "%YAML 1.1",
    "#",
    ": ",
    "- ",
    "|",
    ">",
    "=HYPERLINK(\"http://evil\")",
    "@SUM(1)",
    "+1",
    "-1",
    "govlist: ignore[totals.items] 原因：x",
    "# govlist: ignore[*]",
    "网格" * 2000,
    "a" * 30_000,
    "巡查" * 300,
]
CATALOG_KEYS = [
    "govlist",
    "kind",
    "id",
    "title",
    "items",
    "categories",
    "units",
    "declared",
    "name",
    "code",
    "content",
    "basis",
    "responsible",
    "department",
    "type",
    "level",
    "parent",
    "subitems",
    "seq",
    "track",
    "method",
    "lead",
    "support",
    "handling",
    "jurisdiction",
    "effective",
    "version",
    "region",
    "unit",
    "duties",
    "refs",
]


def _scalar() -> st.SearchStrategy:
    return st.one_of(
        st.sampled_from(HOSTILE_TOKENS),
        st.text(max_size=40),
        st.integers(min_value=-(10**30), max_value=10**30),
        st.floats(allow_nan=True, allow_infinity=True),
        st.booleans(),
        st.none(),
        st.dates().map(str),
        st.sampled_from(["巡查", "违法建筑巡查", "违法建筑巡查处置", "行政许可", "块属块管", "duty", "power", "街道", "社区"]),
    )


#: a value for a catalog node: built once (a strategy built per draw is validated again every time)
VALUES = st.recursive(_scalar(), lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.sampled_from(CATALOG_KEYS) | st.text(max_size=8), inner, max_size=4)), max_leaves=12)


# --- mutators -----------------------------------------------------------------------------------------------------


@st.composite
def yaml_texts(draw) -> bytes:
    """A seed catalog's bytes, mutated: hostile tokens spliced in, bytes flipped, lines duplicated, cut short."""
    raw = bytearray(draw(st.sampled_from(SEEDS)))
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.sampled_from(["token", "token_line", "flip", "delete", "dup_line", "truncate", "bytes"]))
        at = draw(st.integers(0, max(len(raw) - 1, 0)))
        if op == "token":
            raw[at:at] = draw(st.sampled_from(HOSTILE_TOKENS)).encode("utf-8", "surrogatepass")
        elif op == "token_line":
            line_start = raw.rfind(b"\n", 0, at) + 1
            colon = raw.find(b": ", line_start, line_start + 200)
            if colon > 0:
                end = raw.find(b"\n", colon)
                end = len(raw) if end < 0 else end
                raw[colon + 2 : end] = draw(st.sampled_from(HOSTILE_TOKENS)).encode("utf-8", "surrogatepass")
        elif op == "flip" and raw:
            raw[at] = draw(st.integers(0, 255))
        elif op == "delete":
            del raw[at : at + draw(st.integers(1, 200))]
        elif op == "dup_line":
            line_start = raw.rfind(b"\n", 0, at) + 1
            end = raw.find(b"\n", at)
            end = len(raw) if end < 0 else end + 1
            raw[end:end] = raw[line_start:end] * draw(st.integers(1, 3))
        elif op == "truncate":
            del raw[at:]
        else:
            raw[at:at] = draw(st.binary(max_size=16))
    return bytes(raw)


def _mutate_structure(data: object, rng: random.Random, value: object) -> object:
    """Replace, delete or add one node somewhere in `data` (a deep copy is mutated)."""
    if not isinstance(data, (dict, list)) or not data or rng.random() < 0.15:
        return value
    if isinstance(data, dict):
        key = rng.choice(list(data))
        action = rng.random()
        if action < 0.15:
            data.pop(key)
        elif action < 0.3:
            data[rng.choice(CATALOG_KEYS)] = value
        else:
            data[key] = _mutate_structure(data[key], rng, value)
        return data
    index = rng.randrange(len(data))
    action = rng.random()
    if action < 0.15:
        data.pop(index)
    elif action < 0.3:
        data.insert(index, value)
    elif action < 0.4:
        data.append(data[index])  # a duplicate element (same code, same name)
    else:
        data[index] = _mutate_structure(data[index], rng, value)
    return data


def _deepcopy(data: object) -> object:
    if isinstance(data, dict):
        return {k: _deepcopy(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_deepcopy(v) for v in data]
    return data


def _dump(data: object) -> bytes:
    return yaml.dump(data, Dumper=_DUMPER, allow_unicode=True, sort_keys=False, width=1_000_000).encode("utf-8", "surrogatepass")


@st.composite
def catalog_structures(draw) -> bytes:
    """A seed catalog's data with one to three nodes replaced, deleted or added, dumped back to YAML."""
    data = _deepcopy(draw(st.sampled_from(SEED_DATA)))
    rng = random.Random(draw(st.integers(0, 2**32)))
    for _ in range(draw(st.integers(1, 3))):
        data = _mutate_structure(data, rng, draw(VALUES))
    return _dump(data)


@st.composite
def diff_pairs(draw) -> tuple[bytes, bytes]:
    """(old, new): a seed catalog and a structural mutation of it, or two different mutations."""
    base = _deepcopy(draw(st.sampled_from(SEED_DATA)))
    rng = random.Random(draw(st.integers(0, 2**32)))
    new = _deepcopy(base)
    for _ in range(draw(st.integers(1, 4))):
        new = _mutate_structure(new, rng, draw(VALUES))
    old = base if draw(st.booleans()) else _mutate_structure(_deepcopy(base), rng, draw(VALUES))
    if draw(st.booleans()):  # long texts on both sides: the redline and name similarity must stay bounded
        long_old, long_new = draw(st.sampled_from([("网格" * 5000, "网格" * 4999 + "巡查"), ("a" * 20_000, "b" * 20_000), ("巡查处置" * 2500, "处置巡查" * 2500)]))
        for target, text in ((old, long_old), (new, long_new)):
            if isinstance(target, dict) and isinstance(target.get("items"), list) and target["items"] and isinstance(target["items"][0], dict):
                target["items"][0]["name"] = text
    return _dump(old), _dump(new)


_CELLS = st.one_of(st.sampled_from(HOSTILE_TOKENS + ["事项名称", "编码", "序号", "类别", "一、综合类（3项）", "共3类9项", "# kind: duty", "# categories: 5", "# declared: [1]"]), st.text(max_size=20), st.integers(-5, 10**6), st.none())
HEADERS = [["序号", "事项名称", "事项编码", "事项内容"], ["事项名称", "编码"], ["类别", "事项名称", "责任部门"], ["权力类型", "项目编码", "项目名称", "子项"]]


@st.composite
def spreadsheets(draw) -> tuple[str, bytes]:
    """(suffix, bytes): a CSV (UTF-8, GB18030 or UTF-16, maybe cut) or an xlsx (openpyxl-written, maybe with damaged
    parts, merged ranges or long cells)."""
    header = draw(st.sampled_from(HEADERS))
    rows = [header] + draw(st.lists(st.lists(_CELLS, max_size=len(header) + 1), max_size=12))
    if draw(st.booleans()):
        rows.insert(0, [draw(st.sampled_from(["某街道职责清单", "共" + "9" * 5000 + "项", "# categories: 5", "=cmd"]))])
    if draw(st.booleans()):
        out = io.StringIO()
        import csv

        csv.writer(out).writerows([["" if c is None else str(c).replace("\x00", "") for c in r] for r in rows])
        text = out.getvalue()
        codec = draw(st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "utf-16"]))
        raw = text.encode(codec, "replace")
        if draw(st.booleans()):
            raw = raw[: draw(st.integers(0, len(raw)))]
        return ".csv", raw
    return ".xlsx", _xlsx(draw, rows)


def _unzip(raw: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def _zip(parts: dict[str, bytes]) -> bytes:
    """The parts as a zip whose bytes depend on the parts only (every entry dated 1980-01-01, not the current time)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in parts.items():
            archive.writestr(zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), data, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def workbook_bytes(rows: list[list[object]], title: str) -> bytes:
    """An openpyxl-written xlsx of `rows` whose bytes depend on `rows` and `title` only. openpyxl stamps the current
    time into docProps/core.xml and into every zip entry; a draw whose bytes change with the clock makes Hypothesis
    stop with FlakyStrategyDefinition, so both are fixed here."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = title
    for r, row in enumerate(rows, 1):
        for c, value in enumerate(row, 1):
            if isinstance(value, str):
                value = "".join(ch for ch in value if (ch >= " " or ch in "\t\n\r") and not ("\ud800" <= ch <= "\udfff" or ch in "\ufffe\uffff"))[:32000]
            sheet.cell(r, c, value)
    buffer = io.BytesIO()
    book.save(buffer)
    parts = _unzip(buffer.getvalue())
    parts["docProps/core.xml"] = re.sub(rb"(<dcterms:(?:created|modified)\b[^>]*>)[^<]*", rb"\g<1>2025-01-01T00:00:00Z", parts["docProps/core.xml"])
    return _zip(parts)


def _position(draw, size: int) -> int:
    """A position in 0..size-1 drawn without `size` in the draw, so the choices Hypothesis records never depend on the
    length of generated bytes (a compressed length is easily changed by any detail)."""
    return draw(st.integers(0, 2**16 - 1)) * size >> 16


def _xlsx(draw, rows: list[list[object]]) -> bytes:
    raw = workbook_bytes(rows, draw(st.sampled_from(["清单", "Sheet1", "清单信息"])))
    merge = draw(st.sampled_from([None, None, None, None, None, "A2:B3", "C3:XFD1048576", "A1:D1", "B2:B2000", "A1:XFD1"]))
    damage = draw(st.booleans())
    if merge or damage:
        parts = _unzip(raw)
        if merge:  # a merged range written into the sheet's XML (openpyxl itself would build every cell)
            for name in parts:
                if name.startswith("xl/worksheets/sheet"):
                    parts[name] = parts[name].replace(b"</sheetData>", f'</sheetData><mergeCells count="1"><mergeCell ref="{merge}"/></mergeCells>'.encode(), 1)
        if damage:  # damage one part
            name = sorted(parts)[_position(draw, len(parts))]
            data = bytearray(parts[name])
            at = _position(draw, len(data))
            data[at : at + draw(st.integers(1, 8))] = draw(st.binary(min_size=1, max_size=8))
            parts[name] = bytes(data)
        raw = _zip(parts)
    if draw(st.booleans()):  # flip raw bytes of the zip itself (deflate data, directory)
        data = bytearray(raw)
        for _ in range(draw(st.integers(1, 4))):
            data[_position(draw, len(data))] = draw(st.integers(0, 255))
        raw = bytes(data)
    return raw


# --- outcomes -----------------------------------------------------------------------------------------------------


@dataclass
class Outcome:
    internal: list[str] = field(default_factory=list)
    unlocated: list[str] = field(default_factory=list)
    seconds: float = 0.0  # wall clock
    cpu: float = 0.0  # this process's CPU time: what a hang is judged by on a machine shared with other work


@dataclass
class Tally:
    inputs: int = 0
    by_target: dict = field(default_factory=dict)
    internal: list = field(default_factory=list)
    unlocated: list = field(default_factory=list)
    hangs: list = field(default_factory=list)
    slowest: float = 0.0
    slowest_input: tuple = ()  # (target, CPU seconds, the input), so a slow input can be looked at before it is a hang

    def add(self, target: str, outcome: Outcome, sample: object) -> None:
        self.inputs += 1
        self.by_target[target] = self.by_target.get(target, 0) + 1
        keep = repr(sample)[:2000]
        if outcome.cpu > self.slowest:
            self.slowest, self.slowest_input = outcome.cpu, (target, round(outcome.cpu, 2), keep)
        self.internal += [(target, text, keep) for text in outcome.internal]
        self.unlocated += [(target, text, keep) for text in outcome.unlocated]
        if outcome.cpu > HANG_SECONDS:
            self.hangs.append((target, round(outcome.cpu, 1), keep))


def _check_findings(findings, outcome: Outcome) -> None:
    for f in findings:
        if f.rule == "internal.error":
            outcome.internal.append(f"internal.error finding: {f.message.en}")
        if not f.file or f.line < 1:
            outcome.unlocated.append(f"{f.rule} at {f.file!r}:{f.line}:{f.column}: {f.message.en}")


def _run(outcome: Outcome, fn) -> object:
    from govlist.result import UsageError

    try:
        return fn()
    except UsageError:
        return None
    except Exception:  # what the harness is here to find
        outcome.internal.append(traceback.format_exc(limit=-6))
        return None


class Workspace:
    """A scratch folder reused between inputs (cleared each time); the working folder moves there while a target runs."""

    def __init__(self, base: Path | None = None) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="govlist-fuzz-", dir=base))

    def fresh(self) -> Path:
        for child in self.root.iterdir():
            shutil.rmtree(child) if child.is_dir() and not child.is_symlink() else child.unlink()
        return self.root

    def close(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)


def _in(folder: Path, fn):
    old = os.getcwd()
    os.chdir(folder)
    try:
        return fn()
    finally:
        os.chdir(old)


PROJECT = b"govlist: 1\nkind: project\nname: fuzz\n"


def check_catalog_bytes(raw: bytes, ws: Workspace, cli: bool = False) -> Outcome:
    """validate (every reporter), stats, export of a valid table kind, and optionally the real CLI, on one file."""
    from govlist.loader import LoadError, load_file
    from govlist.report import REPORTERS
    from govlist.stats import compute_stats, render_stats_json, render_stats_text
    from govlist.validate import validate_paths

    outcome = Outcome()
    start, cpu = time.perf_counter(), time.process_time()
    root = ws.fresh()
    (root / "govlist.yaml").write_bytes(PROJECT)
    (root / "a.yaml").write_bytes(raw)

    def work() -> None:
        report = _run(outcome, lambda: validate_paths([Path(".")]))
        if report is None:
            return
        _check_findings(report.findings, outcome)
        for name, reporter in REPORTERS.items():
            for lang in ("zh", "en"):
                text = _run(outcome, lambda: reporter(report, lang, name == "text"))
                if text is not None:
                    _run(outcome, lambda: text.encode("utf-8"))
        _run(outcome, lambda: render_stats_text(compute_stats(report.catalogs, report.project), "zh", []))
        _run(outcome, lambda: render_stats_json(compute_stats(report.catalogs, report.project)))
        if report.catalogs:
            from govlist.exporter import check_exportable, export_catalog
            from govlist.tables import TABLE_KINDS

            try:
                doc = load_file(Path("a.yaml"), "a.yaml")
            except LoadError:
                return
            if isinstance(doc.data, dict) and doc.data.get("kind") in TABLE_KINDS:
                if _run(outcome, lambda: check_exportable(doc) or True):
                    for fmt in ("csv", "xlsx"):
                        _run(outcome, lambda: export_catalog(doc.data, fmt))
        if cli:
            _cli(outcome, ["validate", ".", "-f", "json"])
            _cli(outcome, ["export", "a.yaml", "-o", "out.csv", "--force"])

    _in(root, work)
    outcome.seconds, outcome.cpu = time.perf_counter() - start, time.process_time() - cpu
    return outcome


def _cli(outcome: Outcome, args: list[str]) -> None:
    from typer.testing import CliRunner

    from govlist.cli import app

    result = CliRunner().invoke(app, args, catch_exceptions=True)
    if result.exit_code == 3 or (result.exception is not None and not isinstance(result.exception, SystemExit)):
        outcome.internal.append(f"govlist {' '.join(args)} -> exit {result.exit_code}: {result.output[-500:]} {result.exception!r}")


def check_diff_pair(pair: tuple[bytes, bytes], ws: Workspace) -> Outcome:
    from govlist.diff import diff_paths
    from govlist.diffreport import RENDERERS

    outcome = Outcome()
    start, cpu = time.perf_counter(), time.process_time()
    root = ws.fresh()
    (root / "govlist.yaml").write_bytes(PROJECT)
    for side, raw in zip(("old", "new"), pair):
        (root / side).mkdir()
        (root / side / "a.yaml").write_bytes(raw)

    def work() -> None:
        result = _run(outcome, lambda: diff_paths("old", "new"))
        if result is None:
            return
        _check_findings(result.findings, outcome)
        for name, render in RENDERERS.items():
            text = _run(outcome, lambda: render(result, "zh"))
            if text is not None:
                _run(outcome, lambda: text.encode("utf-8"))

    _in(root, work)
    outcome.seconds, outcome.cpu = time.perf_counter() - start, time.process_time() - cpu
    return outcome


def check_spreadsheet(sheet: tuple[str, bytes], ws: Workspace) -> Outcome:
    """import (API): a refusal is fine; what it writes must load and validate without an internal error."""
    from govlist.importer import dump_yaml, import_table, schema_ref_for
    from govlist.loader import LoadError, load_bytes

    outcome = Outcome()
    start, cpu = time.perf_counter(), time.process_time()
    root = ws.fresh()
    suffix, raw = sheet
    path = root / ("t" + suffix)
    path.write_bytes(raw)

    def work() -> None:
        for kind in ("duty", "power"):
            imported = _run(outcome, lambda: import_table(path, kind))
            if imported is None:
                continue
            catalog, _ = imported
            text = _run(outcome, lambda: dump_yaml(catalog, schema_ref_for(catalog["kind"], root / "out.yaml")))
            if text is None:
                continue
            try:
                load_bytes(text.encode("utf-8"), "out.yaml")
            except LoadError as exc:
                outcome.internal.append(f"import wrote YAML that does not load: {exc.rule} {exc.message.en}")

    _in(root, work)
    outcome.seconds, outcome.cpu = time.perf_counter() - start, time.process_time() - cpu
    return outcome


def peak_memory_mib() -> float | None:
    """The process's peak resident memory in MiB, where the OS reports it (not on Windows without psutil)."""
    try:
        import resource
    except ImportError:
        return None
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1024 / (1024 if os.uname().sysname == "Darwin" else 1)
