"""How a field value becomes one spreadsheet cell and back: the codecs a column names (tables.Column.codec).

Shared by import, export, the site and the PDF. Nothing here prints or touches files.

- text: as is (line breaks kept); name/code: line breaks inside the cell are dropped (wrapping in a narrow column)
- seq: digits (full-width too) → integer, anything else kept as text
- basis: one line → a string, several lines → a list
- lines / units: a list, one entry a line (units also split on 、；)
- resp: responsibilities as numbered lines "1. 受理：……"
- duties / lead: {unit, duties} objects as "单位：职责" lines (lead: one line → one object, several → a list)
- date: YYYY-MM-DD (also read from 2012/6/1, 2012年6月1日, an Excel date); bool: 是/否; int; number
"""

from __future__ import annotations

import datetime as _dt
import re

from .model import Text
from .tables import Column, nfkc

# --- codecs: value → cell ---------------------------------------------------------------------------------------

EXTRA_PREFIX = "extra:"


def extra_columns(items: list[dict]) -> list[Column]:
    """One column per key of the items' `extra` (columns an import kept under their own header), first seen first."""
    keys: dict[str, None] = {}
    for item in items:
        if isinstance(item.get("extra"), dict):
            keys.update(dict.fromkeys(str(k) for k in item["extra"]))
    return [Column(EXTRA_PREFIX + key, key, (), "text", 14) for key in keys]


def get_path(item: dict, field: str) -> object:
    if field.startswith(EXTRA_PREFIX):
        extra = item.get("extra")
        return extra.get(field[len(EXTRA_PREFIX) :]) if isinstance(extra, dict) else None
    node: object = item
    for part in field.split("."):
        if not isinstance(node, dict):
            return None
        node = node.get(part)
    return node


def set_path(item: dict, path: str, value: object) -> None:
    """Set a field of an item by its dotted path (handling.time_limit → item["handling"]["time_limit"])."""
    parts = path.split(".")
    node = item
    for part in parts[:-1]:
        node = node.setdefault(part, {})
    node[parts[-1]] = value


def _scalar(value: object) -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(value)


def to_cell(codec: str, value: object) -> object:
    """The cell for a field value: a string, an integer, or None for an empty cell."""
    if value is None:
        return None
    if codec in ("seq", "int", "number") and isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    if codec == "bool" and isinstance(value, bool):
        return "是" if value else "否"
    if codec == "basis" or codec in ("lines", "units"):
        return "\n".join(_scalar(v) for v in value) if isinstance(value, list) else _scalar(value)
    if codec == "aliases":
        return "、".join(_scalar(v) for v in value) if isinstance(value, list) else _scalar(value)
    if codec == "resp":
        if not isinstance(value, list):
            return _scalar(value)
        lines = []
        for i, step in enumerate(value, 1):
            if isinstance(step, dict):
                stage, content = step.get("stage"), step.get("content")
                lines.append(f"{i}. {_scalar(stage) if stage is not None else ''}" + (f"：{_scalar(content)}" if content not in (None, "") else ""))
            else:
                lines.append(f"{i}. {_scalar(step)}")
        return "\n".join(lines)
    if codec == "dutyrefs" and isinstance(value, list):
        return "\n".join(_duty_ref_line(ref) for ref in value)
    if codec in ("duties", "lead"):
        entries = value if isinstance(value, list) else [value]
        lines = []
        for entry in entries:
            if isinstance(entry, dict):
                unit, duties = entry.get("unit"), entry.get("duties")
                lines.append((_scalar(unit) if unit is not None else "") + (f"：{_scalar(duties)}" if duties not in (None, "") else ""))
            else:
                lines.append(_scalar(entry))
        return "\n".join(lines)
    if isinstance(value, (list, dict)):
        import json

        return json.dumps(value, ensure_ascii=False)
    return _scalar(value)


_DUTY_REF_PARTS = (("category", "类别"), ("code", "事项"))


def _duty_ref_line(ref: object) -> str:
    """An assessment indicator's duty reference as one line: "gumei-street-duty 类别：四违" / "… 事项：GM-JD-01-001"."""
    if not isinstance(ref, dict):
        return _scalar(ref)
    parts = [_scalar(ref.get("list") or "")]
    parts += [f"{label}：{_scalar(ref[key])}" for key, label in _DUTY_REF_PARTS if ref.get(key) is not None]
    return " ".join(parts)


def _duty_ref(line: str) -> dict:
    list_id, _, rest = line.strip().partition(" ")
    ref: dict = {"list": list_id}
    for key, label in _DUTY_REF_PARTS:
        match = re.search(label + r"[：:]\s*(.+?)(?=\s+(?:类别|事项)[：:]|$)", rest)
        if match:
            ref[key] = match.group(1).strip()
    return ref


# --- codecs: cell → value ---------------------------------------------------------------------------------------


class CellError(Exception):
    def __init__(self, message: Text) -> None:
        super().__init__(message.en)
        self.message = message


def cell_text(raw: object) -> str:
    """Any cell value as text: integral floats without '.0', dates as YYYY-MM-DD, CRLF as LF, outer spaces trimmed."""
    if raw is None:
        return ""
    if isinstance(raw, bool):
        return "是" if raw else "否"
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, _dt.datetime):
        return raw.date().isoformat()
    if isinstance(raw, _dt.date):
        return raw.isoformat()
    text = str(raw).replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(line.rstrip() for line in text.split("\n")).strip()


_LINE_SPLIT = re.compile(r"\n+")
_UNIT_SPLIT = re.compile(r"[\n、；;]+")
_RESP_LINE = re.compile(r"^\s*(?:[（(]?\s*(\d+|[一二三四五六七八九十]{1,3})\s*[)）.．、]|([①-⑳]))\s*(.*)$")
_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_TRUE = {"是", "√", "✓", "y", "yes", "true", "1", "可", "可承担", "纳入"}
_FALSE = {"否", "×", "✗", "n", "no", "false", "0", "不可", "不纳入"}


def _labelled(line: str, head: str, rest: str) -> dict:
    """A line 单位：职责 as {head: 单位, rest: 职责} (a full-width colon first, else an ASCII one; no rest without a colon)."""
    first, sep, second = line.partition("：")
    if not sep:
        first, sep, second = line.partition(":")
    entry: dict = {head: first.strip()}
    if sep and second.strip():
        entry[rest] = second.strip()
    return entry


def _split_unit(line: str) -> dict:
    return _labelled(line, "unit", "duties")


def _split_units(line: str) -> list[dict]:
    """ "A、B：职责" → two units sharing the duties; "A、B、C" → three units (a lead cell naming four units is four leads)."""
    entry = _split_unit(line)
    units = [u.strip() for u in re.split(r"[、；;]", entry["unit"]) if u.strip()]
    if len(units) <= 1:
        return [entry]
    return [{"unit": u, **({"duties": entry["duties"]} if "duties" in entry else {})} for u in units]


_CITATION_END = r"(?:条|款|项|目|号|》|\)|）|、|；|;|，|,|。)"
_BASIS_START = re.compile(r"^\s*(?:《|【|〈|\d+[.、．]\s*《|[（(]\d+[)）]\s*《)")
_BASIS_BREAK = re.compile(r"(?<=" + _CITATION_END + r")\s*(?=《)")


def split_bases(text: str) -> list[str]:
    """A basis cell cut into its citations: a new citation starts at 《 (or 【法律】…) at the start of a line, or at
    a 《 that follows the end of another citation on the same line (…第三条《…》). Lines that do not start a
    citation are the page's hard wraps and are joined to the line before."""
    bases: list[str] = []
    for raw_line in text.split("\n"):
        line = raw_line.strip()
        if not line:
            continue
        if bases and not _BASIS_START.match(line):
            bases[-1] = _join(bases[-1], line)
        else:
            bases.append(line)
    out: list[str] = []
    for basis in bases:
        out.extend(part.strip("、；;，, ") for part in _BASIS_BREAK.split(basis) if part.strip("、；;，, "))
    return out or [text.strip()]


def join_lines(lines: list[str]) -> str:
    """Lines a page wrapped (a paragraph copied from a PDF, a line a row) as the one text they print: joined with no
    space between Chinese characters, with one between two Latin letters or digits."""
    text = ""
    for line in (line.strip() for line in lines):
        if line:
            text = _join(text, line) if text else line
    return text


def _join(left: str, right: str) -> str:
    if left[-1:].isascii() and left[-1:].isalnum() and right[:1].isascii() and right[:1].isalnum():
        return left + " " + right
    return left + right


_STAGE = re.compile(r"(?:(?<=^)|(?<=[\s；;。]))(?=(?:\d{1,2}\s*[.、．]|[（(]\s*(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*[)）]|[①-⑳]|[一二三四五六七八九十]{1,3}、)\s*\S)")


def split_stages(text: str) -> list[str]:
    """A 责任事项 cell cut at its numbering (1. 1、 （一） ① 一、), whether the stages stand on one line or several;
    a line without numbering continues the stage before it."""
    lines: list[str] = []
    for line in text.split("\n"):
        parts = [p.strip() for p in _STAGE.split(line) if p.strip()]
        lines.extend(parts or [])
    return lines


def join_wrapped(text: str) -> str:
    """A unit's name wrapped by a narrow column (乡镇\n人民\n政府) joined again; other text kept as it is."""
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    if len(lines) > 1 and all(len(line) <= 6 and not re.search(r"[、，,；;。：:]", line) for line in lines):
        return "".join(lines)
    return text


def from_cell(codec: str, raw: object) -> object:
    """The field value of a cell, or None for an empty cell. Raises CellError for a value the field cannot hold."""
    if codec in ("int", "number", "seq") and isinstance(raw, (int, float)) and not isinstance(raw, bool):
        if isinstance(raw, float) and not raw.is_integer():
            if codec == "number":
                return raw
            raise CellError(Text(f"应为整数，却是“{raw}”", f"expected a whole number, got '{raw}'"))
        return int(raw)
    text = cell_text(raw)
    if text == "":
        return None
    if codec in ("name", "code"):
        return "".join(part.strip() for part in text.split("\n"))
    if codec == "seq":
        flat = nfkc(text).strip().rstrip(".、")
        return int(flat) if re.fullmatch(r"\d+", flat) else text
    if codec == "basis":
        bases = split_bases(text)
        return bases[0] if len(bases) == 1 else bases
    if codec == "unit":
        return join_wrapped(text)
    if codec == "lines":
        return [line.strip() for line in _LINE_SPLIT.split(text) if line.strip()]
    if codec in ("units", "aliases"):
        return [part.strip() for part in _UNIT_SPLIT.split(text) if part.strip()]
    if codec == "date":
        match = _DATE.match(nfkc(text))
        if match:
            y, m, d = (int(g) for g in match.groups())
            try:
                return _dt.date(y, m, d).isoformat()
            except ValueError:
                pass
        raise CellError(Text(f"日期“{text}”无法识别，应为 YYYY-MM-DD", f"cannot read the date '{text}'; expected YYYY-MM-DD"))
    if codec == "bool":
        key = nfkc(text).strip().lower()
        if key in _TRUE:
            return True
        if key in _FALSE:
            return False
        raise CellError(Text(f"“{text}”应为 是 或 否", f"'{text}' should be 是 (yes) or 否 (no)"))
    if codec == "int":
        flat = nfkc(text).replace(",", "").strip()
        if re.fullmatch(r"\d+", flat):
            return int(flat)
        raise CellError(Text(f"应为整数，却是“{text}”", f"expected a whole number, got '{text}'"))
    if codec == "number":
        flat = nfkc(text).replace(",", "").strip()
        if re.fullmatch(r"\d+", flat):
            return int(flat)
        if re.fullmatch(r"\d+\.\d+", flat):
            return float(flat)
        return text
    if codec == "resp":
        steps: list[dict] = []
        for line in split_stages(text):
            if not line.strip():
                continue
            match = _RESP_LINE.match(line)
            body = match.group(3) if match else line.strip()
            if match or not steps:
                steps.append(_labelled(body, "stage", "content"))
            else:  # a continuation line of the previous stage
                prev = steps[-1]
                prev["content"] = (prev.get("content", "") + "\n" + line.strip()).strip()
        return steps
    if codec == "duties":
        return [e for line in text.split("\n") if line.strip() for e in _split_units(line.strip())]
    if codec == "dutyrefs":
        return [_duty_ref(line) for line in text.split("\n") if line.strip()]
    if codec == "lead":
        entries = [e for line in text.split("\n") if line.strip() for e in _split_units(line.strip())]
        return entries[0] if len(entries) == 1 else entries
    return text
