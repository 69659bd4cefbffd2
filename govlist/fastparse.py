"""A guarded fast parse for the hot path: yaml-rs reads a file only when nothing in it could mean anything else.

libyaml (loader.py) is the reference: it composes a node tree, govlist builds the values, and every error becomes a
located LoadError. yaml-rs (Rust, about 5 times as fast as libyaml's compose and build) reads YAML 1.2 with its own
types, refuses duplicate keys without a line, drops custom tags and keeps `<<` as a key, so it is used as a
*pre-filter*: `parse` gives a file's data, spans and marks, or None, and None means the libyaml path, exactly as
before (every error message, line and column comes from libyaml). None is given

* when yaml-rs cannot be imported, or the environment variable `GOVLIST_PARSER=libyaml` is set (read once, when this
  module is imported): libyaml only, the reference;
* when a cheap scan of the bytes (compiled regular expressions, C speed) finds anything whose meaning could differ
  between the two (`_scanned`, `_flows_ok`): a tab, a backslash, a control character libyaml refuses, a line break
  only one of them knows (a lone CR, NEL, LS, PS), a BOM inside the text; at any place a node can start (a line
  start, after `- `, `: `, `? `, `[`, `{`, `,`, or a quoted key's `:`): an anchor, alias, tag, directive, document
  marker, block scalar (but the literal ones below), complex key, merge key, a quoted scalar not closed on its
  line; and every plain
  scalar that YAML 1.1 (PyYAML's implicit resolvers, as govlist applies them) or yaml-rs could type as anything but
  text, except the forms both read alike as values: `0` and decimal integers of up to 18 digits (`-` allowed),
  `true`/`false`/`null` as `true`, `True`, `TRUE` (and so on) and `~`; in key position even those (govlist keeps a
  key as its text, yaml-rs types it), digits (and dots) that start a text (`3个工作日`, `1.中共`: no type matches a
  scalar with a character beyond ASCII), and codes of digits then letters, the first not an `e` (`36011800200Y`: no
  type of either schema matches). One form that reads otherwise is let through as a value, and made to read alike: digits
  starting with `0` that hold an 8 or a 9 (`08`, `0809`: not octal, so YAML 1.1 has no type for them and govlist
  keeps the text "08", where yaml-rs reads 8). Before yaml-rs reads the file, the `0` of each is swapped for a
  private-use character (_SENTINEL: text in every schema), and after it every _SENTINEL in the data's texts and keys
  becomes "0" again. The swap is made after every character a node start can follow, so also inside a quoted scalar,
  a comment or a longer plain text; one character for one, given back unchanged: the file declines when it holds
  _SENTINEL already. Spans and marks are read from the original text. Dates, `08` as a key, `-08`, `0_8`, `010`,
  `1_000`, `1e3`, `.5`, `+1`, `1:20`, `yes`/`no`/`on`/`off`/`y`/`n`, `0x1F`, `0o7` are all declined. A flow
  collection must close on its own line, with at most MAX_DEPTH brackets; no line may be indented (spaces and
  entries' `- `) MAX_DEPTH columns or more: yaml-rs recurses, and a text nested deep enough would overflow its stack
  and end the process;
* when a literal block scalar (`|` or `|-` ending the line of the key or entries that start it: govlist's importer
  writes multi-line cells so) is of another form than this: the first line with something on it right of the
  column of the key (or of the last entry's `-`), every line down to the first one left of that line either empty
  or at or right of its column, that one at or left of the key's column and not a comment, no line of spaces
  only, a line break after its last line (`_block`). yaml-rs never reads such a scalar: `_block` reads its text as
  libyaml does (the indentation cut, empty lines inside kept, those at its end dropped, `|` adding one line break),
  and the scan and yaml-rs see a placeholder in its place (_BLOCK and its number, on the header's line; its lines
  left empty). After yaml-rs, each placeholder must be a whole value, once, and becomes the text; else (a header
  in a longer plain text, say) the file declines. So indentation indicators, `|+`, `>`, a comment or spaces after
  the header, leading lines of spaces (libyaml's indentation then differs), and a scalar at the end of a text
  without a line break (libyaml: "x", yaml-rs: "x\n") all decline; a file already holding _BLOCK declines;
* when yaml-rs raises anything (a duplicate key, a syntax error, too deep for it);
* when its data is not a mapping of plain values (dict, list, str, int, bool, None) nested less than MAX_DEPTH deep;
* when the lines of the elements and of the top-level keys, found by an indentation scan of the text, disagree
  with the data (the number of elements of a list, the first key of an element, the top-level keys in order, a
  line left of an element's keys), or the root is not a block mapping starting at column 0.

For every file it takes, `data`, `spans`, `marks` are equal to the libyaml path's (tests/test_fastparse.py checks
every YAML file of the repository, hostile fixtures included, random mutations of the bundled catalogs,
leading-zero values put in at random places of them, and random block scalars).
"""

from __future__ import annotations

import os
import re
from itertools import accumulate, chain, compress, repeat, takewhile
from operator import methodcaller
from typing import Any

from .loaderrors import MAX_DEPTH

try:  # optional: without it (no wheel for this platform) libyaml reads every file, as it always could
    import yaml_rs as _yaml_rs
except ImportError:  # pragma: no cover - depends on the installation
    _yaml_rs = None  # type: ignore[assignment]

PARSER = os.environ.get("GOVLIST_PARSER", "").strip().lower()  # "libyaml": never take the fast path (the reference)
ENABLED = _yaml_rs is not None and PARSER != "libyaml"

SPAN_DEPTH = 4  # list elements whose lines are recorded: …/N and …/N/…/M (items, categories, units); loader.py's too

Spans = dict[tuple, tuple[int, int]]
Marks = dict[tuple, tuple[tuple[int, int], tuple[int, int]]]

# Anywhere in the file: what libyaml refuses or reads otherwise than yaml-rs (tabs, escapes and lone CRs included).
_BAD_BYTES = bytes([*range(0x09), 0x09, 0x0B, 0x0C, *range(0x0E, 0x20), 0x5C, 0x7F])  # all but \n and \r; `\` (escapes)
_BAD_CHARACTERS = ("\u2028", "\u2029", "\ufeff", "\ufffe", "\uffff")  # LS, PS, a BOM, U+FFFE, U+FFFF (fast to find in a str)
_C1 = re.compile(rb"\xc2[\x80-\x9f]")  # C1 controls, NEL among them
_LONE_CR = re.compile(rb"\r(?!\n)")

# The end of a scalar that a value may be: the end of the line, a comment, or a flow indicator (in block context a
# `,` `]` `}` makes the scalar longer, "1, 2", which both read as text).
_VALUE_END = rb"(?:[ ]*+(?:\r?\n|\Z|[,\]}])|[ ]+#)"
_WORD_END = rb"(?=[ ]*+(?:\r?\n|\Z|[:#,\]}]))"
# A value of digits starting with 0 that holds an 8 or a 9 (`08`, `0809`, `008`): not octal, so YAML 1.1 has no type
# for it and govlist reads the text "08"; yaml-rs (YAML 1.2) reads the integer 8. Its tail after the `0`:
_LEADING_ZERO_TAIL = rb"[0-7]*+[89][0-9]*+" + _VALUE_END
# Where the scan lets such a value through, parse gives yaml-rs the text with that `0` replaced by _SENTINEL (a
# private-use character: text in every schema, no indicator, one character as the `0` is) and turns _SENTINEL back
# into "0" in every text of the data, keys included. The pattern finds the `0` after every character a node start can
# follow (a line start or indentation, `: `, `- `, `? `, a quoted key's `:`, `[`, `{`, `,`, and the start of the
# text): each node start the scan let through, and maybe places inside a quoted scalar, a comment or a longer plain
# scalar, where yaml-rs reads the same text with one character swapped, given back by the restore. Files that
# already hold _SENTINEL decline: then the swap is one to one.
_SENTINEL = "\ue000"
_SENTINEL_BYTES = _SENTINEL.encode("utf-8")
_LEADING_ZERO = re.compile(rb"0(?<![^\n :\[{,]0)(?=" + _LEADING_ZERO_TAIL + rb")")  # `0` first: fast to search
# What may not start a node on the fast path. Each branch starts with a literal or a set, so that the regular
# expression engine skips the branches that cannot match at once (most nodes start with a Chinese character).
_BOOLEAN_WORDS = (b"yes", b"Yes", b"YES", b"no", b"No", b"NO", b"on", b"On", b"ON", b"off", b"Off", b"OFF")
_TYPED_KEYS = (b"true", b"True", b"TRUE", b"false", b"False", b"FALSE", b"null", b"Null", b"NULL")
_FIRST_BRANCHES = (
    rb"(?:[+.=<!&*%@`|>?:,]"  # signs and dots (numbers, `...`), tags, anchors, aliases, directives, block scalars, keys
    rb"|-(?![ \r\n]|\Z|[1-9][0-9]{0,17}" + _VALUE_END + rb")"  # `-` other than an entry or a negative integer (`---`)
    # digits other than an integer value, the start of a text (`3个工作日`, `1.中共`: digits, dots and spaces cannot end
    # a scalar, and no type matches one with a character beyond ASCII), a code of digits then letters the first of
    # which is not an exponent's `e` (`36011800200Y`: no type of either schema; a `0` first could be 0x, 0o, 0b), or a
    # leading-zero value with an 8 or 9 (rewritten before yaml-rs reads it: _LEADING_ZERO): 010, 1e3, 1.5, 1:20,
    # dates, and any key but a text
    rb"|0(?!" + _VALUE_END + rb"|[0-9.]*+[ ]*+[\x80-\xff]|" + _LEADING_ZERO_TAIL + rb")"
    rb"|[1-9](?![0-9]{0,17}" + _VALUE_END + rb"|[0-9.]*+[ ]*+[\x80-\xff]|[0-9]*+[A-DF-Za-df-z][0-9A-Za-z]*+" + _VALUE_END + rb")"
    rb"|~(?!" + _VALUE_END + rb")"  # `~` as anything but a value
    rb"|[yYnN]"
    + _WORD_END  # YAML 1.1 booleans that yaml-rs reads as text
    + b"".join(rb"|" + word + _WORD_END for word in _BOOLEAN_WORDS)
    + b"".join(rb"|" + word + rb"[ ]*+:" for word in _TYPED_KEYS)  # typed keys
    + rb"|\"(?=[^\"\n]*+(?:\n|\Z))"  # a double-quoted scalar not closed on its line
    rb"|'(?=(?:[^'\n]|'')*+(?:\n|\Z))"  # a single-quoted one
    rb")"
)
# The bytes a branch of _FIRST_BRANCHES can start with, looked ahead for first: a node start that is none of them (a
# Chinese character, a key's letter: nearly all) then fails after one test of a set, where the engine would try
# each branch in turn (the scan: about 0.8x of its time on the synthetic set). tests/test_fastparse.py checks that
# the guarded patterns find what the branches alone find.
_FIRST_BYTES = b"+.=<!&*%@`|>?:,-0123456789~yYnN\"'" + bytes(word[0] for word in _BOOLEAN_WORDS + _TYPED_KEYS)
_FIRST = rb"(?=[" + b"".join(re.escape(bytes([byte])) for byte in sorted(set(_FIRST_BYTES))) + rb"])" + _FIRST_BRANCHES
# Where a node may start, each scanned for by a pattern that starts with a literal (fast to search for), run only
# when the text has its literal: a line start (the text is scanned with a b"\n" before it), after `: ` or a quoted
# or flow key's `:` (`{"a":08}`), `- `, `? `, and inside a flow collection.
_AFTER_COLON = rb":(?:(?<=[\"'\]}]:)[ ]*+|[ ]++)"
_NODE_STARTS = [(b"\n", rb"\n[ ]*+"), (b":", _AFTER_COLON), (b"- ", rb"- [ ]*+"), (b"?", rb"\? [ ]*+")]
_RISKY = [(literal, re.compile(prefix + _FIRST)) for literal, prefix in _NODE_STARTS]
_RISKY += [(literal, re.compile(re.escape(literal) + rb"(?:[ ]*+" + _FIRST + rb"|#)")) for literal in (b"[", b"{", b",")]  # `[#`: no comment
_FLOW_STARTS = [(literal, re.compile(prefix + rb"[\[{]")) for literal, prefix in _NODE_STARTS]
# a flow collection's line, from its opening bracket to its end or a comment: indicators, spaces, quoted scalars
# without brackets, plain words; a `:` only before a space (libyaml refuses `[x:]`, `{x:}`, `[x :]`, which yaml-rs
# reads as a pair with an empty value)
_FLOW_LINE = re.compile(rb"(?:[\[\]{}, ]|:(?= )|\"[^\"\n\[\]{}]*\"|'(?:[^'\n\[\]{}]|'')*'|[^\"'\s\[\]{},:#][^\s\[\]{},:]*+)*+\r?")

# A literal block scalar's header `|` or `|-` ending its line, after a key (`key: |-`) or entries (`- |-`) that start
# the line; groups: the indentation, the entries, the key with its `:`, the chomping indicator. Such a scalar's text
# is read here, as libyaml reads it (_block), never by yaml-rs: the scan and yaml-rs see a placeholder instead.
# The key runs to its line's first `: ` (possessive: a long line costs its length, not its square).
_BLOCK_HEADER = re.compile(rb"\n([ ]*+)((?:-[ ]++)*+)((?:[^ \r\n#'\"\[\]{},?&*!|>%@`:-](?:[^\r\n:]++|:(?! ))*+:[ ]++)?)\|(-?)\r?\n")
_BLOCK_BAR = re.compile(rb"\|-?\r?\n")
_BLOCK = "\ue001"  # the placeholder's first character (private use, as _SENTINEL), followed by the scalar's number
_BLOCK_BYTES = _BLOCK.encode("utf-8")
# A key and its `:` (plain keys: quoted ones fail the check): the shortest text before spaces and a `:` that ends its
# line or is followed by a space, as `([^\n]*?)[ ]*:(?=[ \r\n]|\Z)` reads it, but without backtracking: the key is
# taken in runs (of neither spaces nor colons; of spaces not before such a `:`; a `:` not such), each possessive, so a
# line costs its length (the lazy form cost its square on a run of spaces: `{a` and 40,000 spaces took a second)
_KEY_END = rb":(?=[ \r\n]|\Z)"
_KEY = re.compile(rb"((?:[^ \n:]++|[ ]++(?!" + _KEY_END + rb")|:(?![ \r\n]|\Z))*+)[ ]*+" + _KEY_END)
# a line at column 0 that is neither a comment, nor blank, nor an entry; group 1 its key as _KEY reads it, if it has
# one, the match's end after the key's `:` and the spaces after it
_TOP_KEY = re.compile(rb"\n(?=[^ \r\n#-])(?:" + _KEY.pattern + rb"[ ]*+)?")
_VALUE_ENDS = (b"", b"\n", b"\r", b"#")  # what may follow a key's `: ` when its value is not on its line
# A line whose indentation and entries (`- - - x`) reach this column: nesting so deep that yaml-rs, which recurses,
# could overflow the stack (measured: a one-line list 20,000 deep kills the process on Linux's 8 MiB main thread;
# threads on Windows and macOS have 1 MiB and 512 KiB). Each block level starts right of its parent's (an entry's
# list may start at its key's column), so below this column a text nests at most 2 * 64 + 2 levels deep in block
# style; a flow collection is held to MAX_DEPTH brackets on its line (_flows_ok). Deeper than MAX_DEPTH is refused
# anyway, with its line, by libyaml's path.
_DEEP_LINE = re.compile(rb"\n[ -]{%d}" % MAX_DEPTH)
_TOKEN = re.compile(rb"\n *+[^ \r\n#]")  # the next line with something on it that is not a comment
_SPACES = re.compile(rb"[ ]*")
_NOT_A_KEY = (b"", b"\n", b"\r", b"#", b"{")  # what may follow an entry's `- ` when its mapping does not start there
_BELOW: dict[int, re.Pattern[bytes]] = {}  # column → the next line starting left of it
# by column: each line left of the keys of a block sequence's entries of the one form catalogs write, `- x` (one
# space after the `-`, then neither a space, a comment nor a flow mapping: group 1; group 2 the key on the line, as
# _KEY reads it, if any), and the first such line that is not such an entry (_Layout._entries)
_ENTRIES: dict[int, tuple[re.Pattern[bytes], re.Pattern[bytes]]] = {}
_MATCH_START = re.Match.start
_MATCH_END = re.Match.end
_MATCH_GROUP = re.Match.group
_ENTRY = methodcaller("group", 1)  # a match of _entry_patterns' first pattern that is an entry
_DICT = frozenset({dict})
_CONTAINERS = frozenset({dict, list})
_NO_SPAN = (-1, -1)
# A literal block scalar's lines (_block): its first line with something on it, after empty ones (CRs only), and
# its indentation; the end of an empty line; a line of spaces only; the CRs that end a line.
_BLOCK_FIRST = re.compile(rb"(?:\r*+\n)*+([ ]*+)(?!\r*+(?:\n|\Z))[^\n]*+\n")
_CR_ONLY = re.compile(rb"\r*+(?:\n|\Z)")
_SPACES_LINE = re.compile(rb"\n[ ]++\r*+\n")
_LINE_END_CRS = re.compile(rb"(?<!\r)\r++(?=\n)")
# by column and owner's column: the first line that ends a block scalar indented so, or makes it decline: one with
# something on it left of that column (spaces only included); it ends the scalar (its empty group matches) when it
# is at or left of the owner's column, not a comment and not spaces only. And the line break and indentation that
# start each of the scalar's lines after its first.
_BLOCK_END: dict[tuple[int, int], tuple[re.Pattern[bytes], bytes]] = {}


def _below(column: int) -> re.Pattern[bytes]:
    found = _BELOW.get(column)
    if found is None:
        found = _BELOW[column] = re.compile(rb"\n {0,%d}+[^ \r\n#]" % (column - 1))
    return found


def _entry_patterns(column: int) -> tuple[re.Pattern[bytes], re.Pattern[bytes]]:
    found = _ENTRIES.get(column)
    if found is None:
        entry = rb"( {%d}- )(?=[^ \r\n#{])" % column
        below = rb" {0,%d}+[^ \r\n#]" % (column + 1)
        found = _ENTRIES[column] = (
            re.compile(rb"\n(?:" + entry + rb"(?:" + _KEY.pattern + rb")?|" + below + rb")"),
            re.compile(rb"\n(?!" + entry + rb")" + below),
        )
    return found


def _block_end(column: int, owner: int) -> tuple[re.Pattern[bytes], bytes]:
    found = _BLOCK_END.get((column, owner))
    if found is None:
        pattern = re.compile(rb"\n(?![ ]{%d}|\r*+(?:\n|\Z))(?:[ ]{0,%d}+(?![ \#]|\r*+(?:\n|\Z))())?" % (column, owner))
        found = _BLOCK_END[(column, owner)] = (pattern, b"\n" + b" " * column)
    return found


def _skip_spaces(nl: bytes, index: int) -> int:
    """The index of the first byte from `index` on that is not a space."""
    return _SPACES.match(nl, index).end()  # type: ignore[union-attr]


class Decline(Exception):
    """The scan and the data disagree: libyaml reads the file."""


def parse(text: bytes, decoded: str | None = None) -> tuple[object, Spans, Marks] | None:
    """(data, spans, marks) of a file's text (UTF-8, checked, BOM dropped) as the libyaml path gives them, or None.
    `decoded`: the text as a str, when the caller has it already (the encoding check decodes it)."""
    if not ENABLED or not text:
        return None
    nl = b"\n" + text
    if decoded is None:
        decoded = text.decode("utf-8")
    blocks: list[str] = []
    scanned = _scanned(text, nl, decoded, blocks)
    if scanned is None:
        return None
    source = text if scanned is nl else scanned[1:]
    if blocks and _BLOCK in decoded:
        return None  # a placeholder would not be one to one
    source, swapped = _LEADING_ZERO.subn(_SENTINEL_BYTES, source)
    if swapped and _SENTINEL in decoded:
        return None  # the swap would not be one to one
    try:
        # yaml-rs reads the UTF-8 bytes as they are: given a str it would have them made again (PyUnicode_AsUTF8)
        data = _yaml_rs.load(source, parse_datetime=False)
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException:  # any refusal, and a panic of the extension (pyo3's PanicException is a BaseException)
        return None
    if type(data) is not dict or not data:
        return None
    try:
        if not (_restore(data, blocks) if swapped or blocks else _plain(data)):
            return None
        spans, marks = _Layout(nl, data).scan()  # from the text as it is (`source` may have other columns on a line)
    except Decline:
        return None
    except Exception:  # a fault of the scan itself: libyaml reads the file, as for any doubt (no internal error shown)
        return None
    return data, spans, marks


def _scanned(text: bytes, nl: bytes, decoded: str, blocks: list[str]) -> bytes | None:
    """The text as the scan checked it and yaml-rs may read it (`nl` itself, or with its literal block scalars
    replaced by placeholders, their texts appended to `blocks`), or None: something could read otherwise, nest too
    deep or cross a line in flow style."""
    if not _characters_ok(text, decoded):
        return None
    scanned = nl
    if b"|" in text and _BLOCK_BAR.search(nl):
        masked = _placeholders(nl, blocks)
        if masked is None:
            return None
        scanned = masked
    if any(literal in scanned and pattern.search(scanned) for literal, pattern in _RISKY) or _DEEP_LINE.search(scanned) or not _flows_ok(scanned):
        return None
    return scanned


def _scan_passes(text: bytes, nl: bytes, decoded: str) -> bool:
    """The scan of the text finds nothing that could read otherwise, nest too deep or cross a line in flow style."""
    return _scanned(text, nl, decoded, []) is not None


def _characters_ok(text: bytes, decoded: str) -> bool:
    """No character libyaml refuses or reads otherwise than yaml-rs (tabs, escapes, line breaks only one knows), in
    the whole text (block scalars included)."""
    if len(text.translate(None, _BAD_BYTES)) != len(text) or any(bad in decoded for bad in _BAD_CHARACTERS):
        return False
    return not ((b"\xc2" in text and _C1.search(text)) or (b"\r" in text and _LONE_CR.search(text)))


def _placeholders(nl: bytes, blocks: list[str]) -> bytes | None:
    """`nl` with each literal block scalar (_BLOCK_HEADER) replaced by a placeholder on its header's line and its
    lines by empty ones; each one's text, as libyaml reads it, appended to `blocks`. None when one is of a form not
    proven to read alike (_block). A `|` ending a line elsewhere is left as it is (the scan declines it at a node
    start)."""
    out: list[bytes] = []
    append = out.append
    done = 0  # nl[:done] is in `out`
    at = 0
    search, match, rfind, count, add = _BLOCK_BAR.search, _BLOCK_HEADER.match, nl.rfind, nl.count, blocks.append  # a file may hold 100,000s
    while True:
        bar = search(nl, at)
        if bar is None:
            break
        bar_start, bar_end = bar.span()
        header = match(nl, rfind(b"\n", 0, bar_start))
        if header is None or header.end() != bar_end:
            at = bar_end
            continue
        indent, entries, key, strip = header.groups()
        # the column of the block collection holding the scalar (libyaml's indentation then): its key's, else the
        # last entry's
        if key:
            if b" #" in key:
                return None  # a comment, not a key
            owner = len(indent) + len(entries)
        elif entries:
            owner = len(indent) + entries.rstrip(b" ").rfind(b"-")
        else:
            at = bar_end
            continue  # `|` alone on its line: the scan declines it
        end, text = _block(nl, bar_end, owner)
        if end < 0:
            return None
        append(nl[done:bar_start])
        append(b"%s%d%s" % (_BLOCK_BYTES, len(blocks), b"\n" * count(b"\n", bar_start, end)))
        add(text if strip else text + "\n")
        done = at = end
    append(nl[done:])
    return b"".join(out) if blocks else nl


def _block(nl: bytes, start: int, owner: int) -> tuple[int, str]:
    """(end, text) of a literal block scalar's lines from `start` (after its header's line break) in a block
    collection at column `owner`, as libyaml reads it for `|-` (for `|` one line break is added): the first line
    with something on it sets the indentation (it must be right of `owner`), each line at or right of it is a line of
    the text (what is right of the indentation kept), empty lines between them line breaks, empty lines at the end
    dropped; it ends before the first line left of its indentation, which must be at or left of `owner` and not a
    comment. `end` is that line's start (or the end of the text), -1 for any other form: a line of spaces only (at
    the start they may set the indentation, later they may be text), no line with something on it, the last line of
    the text without a line break. The CRs that end a line are no part of it (a line of CRs only is empty).

    No Python loop over the lines (a file of block scalars cost 2.8-4 times libyaml's time so): one search of a
    compiled pattern finds the end (_block_end), and the text is cut out of the segment at once, the CRs that end
    its lines dropped by one substitution and the indentation by one replace; a line of spaces only inside it is
    looked for only when a line ends in a space."""
    first = _BLOCK_FIRST.match(nl, start)  # empty lines, then one with something on it and a line break
    if first is None:
        return -1, ""  # nothing but empty lines, a line of spaces only, the text's last line without a line break
    line, at = first.span(1)  # its start, and the start of its text
    column = at - line
    if column <= owner:
        return -1, ""
    eol = first.end() - 1
    end_of, indent = _BLOCK_END.get((column, owner)) or _block_end(column, owner)
    found = end_of.search(nl, eol)
    if found is None:  # the text ends inside the block: its last line must be empty (else it has no line break)
        end = len(nl)
        if _CR_ONLY.match(nl, nl.rfind(b"\n", eol) + 1) is None:
            return -1, ""
    elif found.lastindex is None:
        return -1, ""  # a line left of the text but right of its owner, a comment, a line of spaces only
    else:
        end = found.start() + 1
    if (nl.find(b" \n", eol, end) >= 0 or nl.find(b" \r", eol, end) >= 0) and _SPACES_LINE.search(nl, eol, end):
        return -1, ""  # a line of spaces only inside (a line ending in a space, looked at closer)
    # from the first line's text to the end of the last line with something on it (empty lines at the end dropped):
    # every line of the text after the first but empty ones starts with a line break and `column` spaces
    text = nl[at:end].rstrip(b"\r\n")
    if b"\r" in text:
        text = _LINE_END_CRS.sub(b"", text)
    text = text.replace(indent, b"\n")
    if line > start:  # empty lines before the first
        text = b"\n" * nl.count(b"\n", start, line) + text
    return end, text.decode("utf-8")


def _flows_ok(nl: bytes) -> bool:
    """Every flow collection closes on the line it opens on (its brackets balance, none in a quoted scalar, no comment)."""
    if b"[" not in nl and b"{" not in nl:
        return True
    starts = sorted({match.end() - 1 for literal, pattern in _FLOW_STARTS if literal in nl for match in pattern.finditer(nl)})
    last = -1
    for start in starts:
        if start < last:
            continue  # a second flow on a line already checked
        last = nl.find(b"\n", start)
        if last < 0:
            last = len(nl)
        comment = nl.find(b" #", start, last)  # a comment after the flow (or inside it: then what is left fails)
        end = last if comment < 0 else comment
        rest = nl[start:end]
        opened = rest.count(b"[") + rest.count(b"{")
        if opened > MAX_DEPTH or rest.count(b"[") != rest.count(b"]") or rest.count(b"{") != rest.count(b"}") or not _FLOW_LINE.fullmatch(nl, start, end):
            return False
        if not rest.rstrip(b" \r").endswith((b"]", b"}")):
            return False
    return True


_SCALARS = (str, int, bool, type(None))


def _plain(root: dict) -> bool:
    """Only dicts with text keys, lists and plain scalars, no collection MAX_DEPTH deep (the builder's bound)."""
    stack: list[tuple[Any, int]] = [(root, 0)]
    pop, push = stack.pop, stack.append
    while stack:
        node, depth = pop()
        if depth >= MAX_DEPTH:
            return False
        if type(node) is dict:
            for key in node:
                if type(key) is not str:
                    return False
            values = node.values()
        else:
            values = node
        for value in values:
            kind = type(value)
            if kind is str:
                continue
            if kind is dict or kind is list:
                push((value, depth + 1))
            elif kind not in _SCALARS:
                return False
    return True


def _restore(root: dict, blocks: list[str]) -> bool:
    """_plain, and on the way every _SENTINEL turned back into "0", in values and keys, and each placeholder (a value
    that is _BLOCK and a number) replaced by its text, `blocks[number]`: one walk of the data, not two (each costs
    about a tenth of yaml-rs's reading). Decline unless each placeholder is a whole value, once: else the scan's block
    scalar was not one (its header in a comment, a longer plain scalar)."""
    placeholders = {_BLOCK + str(number): number for number in range(len(blocks))}
    used = [False] * len(blocks)
    stack: list[tuple[Any, int]] = [(root, 0)]
    pop, push = stack.pop, stack.append
    while stack:
        node, depth = pop()
        if depth >= MAX_DEPTH:
            return False
        if type(node) is dict:
            for key in node:
                if type(key) is not str:
                    return False
            keys = "".join(node)
            if _BLOCK in keys:
                raise Decline
            if _SENTINEL in keys:  # in a key (rare: a quoted key, a flow mapping's)
                items = list(node.items())
                node.clear()
                node.update((key.replace(_SENTINEL, "0"), value) for key, value in items)
            pairs: Any = node.items()
        else:
            pairs = enumerate(node)
        for key, value in pairs:
            kind = type(value)
            if kind is str:
                if _BLOCK in value:
                    number = placeholders.get(value)
                    if number is None or used[number]:
                        raise Decline
                    used[number] = True
                    node[key] = blocks[number]
                elif _SENTINEL in value:
                    node[key] = value.replace(_SENTINEL, "0")
            elif kind is dict or kind is list:
                push((value, depth + 1))
            elif kind not in _SCALARS:
                return False
    if not all(used):
        raise Decline
    return True


def _matters(value: object, depth: int) -> bool:
    """Whether loader._visit records a span at or below `value`, a list or a non-top-level mapping at pointer length
    `depth` (it records the mapping elements of lists, within SPAN_DEPTH)."""
    if type(value) is list:
        return depth < SPAN_DEPTH and dict in map(type, value)
    if depth + 1 >= SPAN_DEPTH:
        return False  # its lists' elements would be deeper than SPAN_DEPTH
    return any((type(child) is list or type(child) is dict) and _matters(child, depth + 1) for child in value.values())  # type: ignore[attr-defined]


def _below_matters(items: list, depth: int) -> bool:
    """Whether _mapping records a span below any of `items` (mappings), their values at pointer length `depth`: the
    values' types taken in C, _matters asked of their lists and mappings only."""
    values = list(chain.from_iterable(map(dict.values, items)))
    kinds = list(map(type, values))
    if _CONTAINERS.isdisjoint(kinds):
        return False
    return any(map(_matters, compress(values, map(_CONTAINERS.__contains__, kinds)), repeat(depth)))


def _fill(value: object, path: tuple, span: tuple[int, int], spans: Spans) -> None:
    """loader._visit for a collection written on one line: every span it records is that line."""
    if len(path) >= SPAN_DEPTH:
        return
    if type(value) is dict:
        for key, child in value.items():
            if type(child) is dict or type(child) is list:
                if not path and type(child) is dict:
                    spans[(key,)] = span
                _fill(child, path + (key,), span, spans)
    elif type(value) is list:
        for index, child in enumerate(value):
            if type(child) is dict:
                spans[path + (index,)] = span
                _fill(child, path + (index,), span, spans)


class _Layout:
    """Spans and marks from the text's indentation, checked against the data. Positions are indexes into `nl` (the
    text with a b"\\n" before it): the line of the b"\\n" at index p is the number of b"\\n" before p."""

    def __init__(self, nl: bytes, data: dict) -> None:
        self.nl = nl
        self.data = data
        self.spans: Spans = {}
        self._at = 0
        self._count = 0
        self._eof: tuple[int, int] | None = None
        self._ended = 0

    def line(self, newline: int) -> int:
        """0-based line of the text that follows the b"\\n" at `newline` (counted on from the last one asked)."""
        if newline >= self._at:
            self._count += self.nl.count(b"\n", self._at, newline)
        else:
            self._count -= self.nl.count(b"\n", newline, self._at)
        self._at = newline
        return self._count

    def column(self, index: int) -> int:
        """Column (in characters, as libyaml counts) of the byte at `index`."""
        start = self.nl.rfind(b"\n", 0, index) + 1
        return len(self.nl[start:index].decode("utf-8"))

    def end_line(self, found: re.Match[bytes] | None, column: int) -> int:
        """The line where a block mapping at `column` ends (loader._lines_of): that of the next token, or at the end
        of the text that of libyaml's mark there: the end of the last line when that is left of the mapping (libyaml
        closes it before it sees the end), else the start of the next line (libyaml starts a new line at the end
        when the text does not end with a line break)."""
        if found is not None:
            return self.line(found.start())
        if self._eof is None:
            last = self.nl.rfind(b"\n")
            self._eof = (self.line(last), len(self.nl[last + 1 :].decode("utf-8")))
        eof_line, eof_column = self._eof
        return eof_line if eof_column < column or eof_column == 0 else eof_line + 1

    def line_end(self, index: int) -> int:
        end = self.nl.find(b"\n", index)
        return len(self.nl) if end < 0 else end

    def scan(self) -> tuple[Spans, Marks]:
        """The spans and marks, or Decline. The top-level keys are read by one search: their lines counted by
        bytes.count mapped in C, a value on its key's line marked at once, any other value read by _value."""
        nl, data = self.nl, self.data
        found = list(_TOP_KEY.finditer(nl))
        if len(found) != len(data):
            raise Decline
        first_token = _TOKEN.search(nl)
        if first_token is None or first_token.start() != found[0].start():
            raise Decline  # the root mapping starts at column 0 on its first line with anything on it
        keys = list(map(_MATCH_GROUP, found, repeat(1)))
        if None in keys or list(map(bytes.decode, keys)) != list(data):
            raise Decline  # a line at column 0 that is no plain key, or another key than the data's there
        newlines = list(map(_MATCH_START, found))
        lines = list(accumulate(map(nl.count, repeat(b"\n"), newlines, newlines[1:]), initial=self.line(newlines[0])))
        start = (lines[0] + 1, 1)
        marks: Marks = {(): (start, start)}
        next_keys = [*newlines[1:], len(nl)]
        for key, value, newline, after, key_line, next_key in zip(data, data.values(), newlines, map(_MATCH_END, found), lines, next_keys):
            if nl[after : after + 1] not in _VALUE_ENDS and type(value) is not dict and type(value) is not list:
                marks[(key,)] = ((key_line + 1, len(nl[newline + 1 : after].decode("utf-8")) + 1), (key_line + 1, 1))
            else:
                self._at, self._count = newline, key_line  # line()'s place: this key's
                colon = self._key_at(newline + 1, key).end() - 1
                marks[(key,)] = (self._value(key, value, key_line, colon, after, next_key), (key_line + 1, 1))
        return self.spans, marks

    def _value(self, key: str, value: object, key_line: int, colon: int, after: int, next_key: int) -> tuple[int, int]:
        """The mark of a top-level value (1-based), its spans recorded on the way."""
        nl = self.nl
        char = nl[after : after + 1]
        kind = type(value)
        if char not in _VALUE_ENDS:
            if kind is dict or kind is list:
                if char not in (b"[", b"{"):
                    raise Decline
                _fill({key: value}, (), (key_line, key_line + 1), self.spans)
            return (key_line + 1, self.column(after) + 1)
        token = _TOKEN.search(nl, self.line_end(after))
        if token is not None and token.start() < next_key:
            at = token.end() - 1
            column = at - token.start() - 1
            if column == 0 and not (nl[at : at + 1] == b"-" and kind is list):
                raise Decline  # a line at column 0 before the next key: not a key's value
            line = self.line(token.start())
            if kind is dict:
                assert type(value) is dict
                self._first_key(value, at)
                end = _below(column).search(nl, self.line_end(at))
                if (end.start() if end is not None else len(nl)) != next_key:
                    raise Decline  # the mapping ends elsewhere than at the next key
                self.spans[(key,)] = (line, max(line + 1, self.end_line(end, column)))
                self._mapping(value, (key,), at, column, end.start() if end is not None else len(nl))
            elif kind is list:
                assert type(value) is list
                if nl[at : at + 1] != b"-":
                    raise Decline
                if _matters(value, 1) and self._sequence(value, (key,), at, column) != next_key:
                    raise Decline  # the list ends elsewhere than at the next key
            return (line + 1, column + 1)
        if value is not None:
            raise Decline
        return (key_line + 1, self.column(colon) + 2)  # an empty value: right after the `:` (libyaml's VALUE end)

    def _key_at(self, at: int, key: str) -> re.Match[bytes]:
        """The key and its `:` at `at`, which must be `key` (a plain key: a quoted one declines)."""
        found = _KEY.match(self.nl, at)
        if found is None or found.group(1).decode("utf-8") != key:
            raise Decline
        return found

    def _first_key(self, value: dict, at: int) -> None:
        """Decline unless the mapping's first key is the one at `at`."""
        if not value:
            raise Decline
        self._key_at(at, next(iter(value)))

    def _mapping(self, value: dict, path: tuple, start: int, column: int, end: int) -> None:
        """The spans below a block mapping at `column`, whose first key is at `start` and which ends before `end`."""
        if len(path) >= SPAN_DEPTH:
            return
        kinds = list(map(type, value.values()))
        if _CONTAINERS.isdisjoint(kinds):
            return  # no list or mapping below it is recorded
        nl = self.nl
        first = next(iter(value))
        depth = len(path) + 1
        for key, child in compress(value.items(), map(_CONTAINERS.__contains__, kinds)):  # its lists and mappings
            if _matters(child, depth):
                if key == first:
                    at = start
                else:
                    at = nl.find(b"\n" + b" " * column + key.encode("utf-8") + b":", start, end)
                    if at < 0:
                        raise Decline
                    at += column + 1
                self._child(child, path + (key,), self._key_at(at, key).end(), column, end)

    def _child(self, child: object, path: tuple, after_colon: int, column: int, end: int) -> None:
        """A list or mapping value of a key at `column`, its `:` just before `after_colon`."""
        nl = self.nl
        after = _skip_spaces(nl, after_colon)
        char = nl[after : after + 1]
        if char not in (b"", b"\n", b"\r", b"#"):
            if char not in (b"[", b"{"):
                raise Decline
            line = self.line(nl.rfind(b"\n", 0, after))
            _fill(child, path, (line, line + 1), self.spans)
            return
        token = _TOKEN.search(nl, self.line_end(after))
        if token is None or token.start() >= end:
            raise Decline
        at = token.end() - 1
        inner = at - token.start() - 1
        if type(child) is list:
            if nl[at : at + 1] != b"-" or inner < column:
                raise Decline
            ended = self._sequence(child, path, at, inner)
            if ended < len(nl) and _skip_spaces(nl, ended + 1) - ended - 1 > column:
                raise Decline  # the list ends on a line right of the key it belongs to
        else:
            if inner <= column:
                raise Decline
            self._first_key(child, at)  # type: ignore[arg-type]
            below = _below(inner).search(nl, self.line_end(at))
            if below is not None and below.end() - below.start() - 2 > column:
                raise Decline
            self._mapping(child, path, at, inner, below.start() if below is not None else len(nl))  # type: ignore[arg-type]

    def _sequence(self, items: list, path: tuple, dash: int, column: int) -> int:
        """The spans of a block sequence whose first `-` is at `dash` (the first thing on its line), at `column`; gives
        the index of the b"\\n" before the line that ends it (or the end of the text)."""
        ended = self._entries(items, path, dash, column)
        return self._each_entry(items, path, dash, column) if ended < 0 else ended

    def _entries(self, items: list, path: tuple, dash: int, column: int) -> int:
        """_each_entry for the form catalogs write, in a few calls of C whatever the number of elements, or -1 (then
        _each_entry reads the sequence, and declines where it must): every element a mapping, every entry `- key: …`
        with one space after its `-` and the element's first key on its line (so its keys are at column + 2), and the
        first line after the entries left of their keys, if any, is no entry. Then every line left of the keys up to
        that one is an entry, so the entries of the sequence are the lines one pattern finds in one search, each
        element's first key is that pattern's group, and an element ends where the next entry starts; the lines are
        counted from one entry to the next by bytes.count, mapped in C. Gives what _each_entry gives, or -1 where
        _each_entry could decline (tests/test_fastparse.py checks both on random sequences)."""
        nl = self.nl
        count = len(items)
        if not count or not _DICT.issuperset(map(type, items)) or not all(items):
            return -1  # an element that is not a mapping, or an empty one
        lines_left, stop = _ENTRIES.get(column) or _entry_patterns(column)
        first = dash - column - 1  # the b"\n" before the first entry's line
        found = list(takewhile(_ENTRY, lines_left.finditer(nl, first)))  # up to the first line left that is no entry
        if len(found) != count or not found or found[0].start() != first:
            return -1  # a first entry of another form, more entries or fewer than elements
        end = stop.search(nl, found[-1].end())  # that line, found again (the search runs over the last element only)
        ended = len(nl) if end is None else end.start()
        keys = list(map(_MATCH_GROUP, found, repeat(2)))
        if None in keys or list(map(bytes.decode, keys)) != list(map(next, map(iter, items))):
            return -1  # an entry's line without a key, or an element's first key not the one on its entry's line
        inner = column + 2
        if end is not None:
            end_column = end.end() - ended - 2
            at = end.end() - 1
            if end_column > column or (end_column == column and nl[at : at + 1] == b"-" and nl[at + 1 : at + 2] in (b" ", b"\n", b"\r", b"")):
                return -1  # a line left of the keys but right of the `-`, or one more entry than elements
        newlines = list(map(_MATCH_START, found))
        spans = self.spans
        pointers = map(path.__add__, zip(range(count)))
        if len(path) + 1 < SPAN_DEPTH and _below_matters(items, len(path) + 2):
            # the elements' own lists and mappings too (_mapping), each after its element's span
            newlines.append(ended)
            last = count - 1
            for index, (pointer, item) in enumerate(zip(pointers, items)):
                line = self.line(newlines[index])  # counted on from where the element before left line() (its end)
                spans[pointer] = _NO_SPAN  # its place in the order: before its element's own spans
                self._mapping(item, pointer, newlines[index] + inner + 1, inner, newlines[index + 1])
                spans[pointer] = (line, self.line(newlines[index + 1]) if index < last else max(line + 1, self.end_line(end, inner)))
        else:
            lines = list(accumulate(map(nl.count, repeat(b"\n"), newlines, newlines[1:]), initial=self.line(first)))
            self._at, self._count = newlines[-1], lines[-1]  # line()'s place: the last entry's
            lines.append(max(lines[-1] + 1, self.end_line(end, inner)))
            spans.update(zip(pointers, zip(lines, lines[1:])))
        self._ended = ended
        return ended

    def _each_entry(self, items: list, path: tuple, dash: int, column: int) -> int:
        """_sequence for every form: element by element."""
        nl, spans, end_of_text = self.nl, self.spans, len(self.nl)
        below_entry = _below(column + 1)
        count = len(items)
        deeper = len(path) + 1 < SPAN_DEPTH
        spaces = _SPACES.match
        below_inner, below_element = -1, below_entry
        for index, item in enumerate(items):
            if dash < 0:
                raise Decline  # fewer entries than elements
            after = spaces(nl, dash + 1).end()  # type: ignore[union-attr]
            char = nl[after : after + 1]
            if type(item) is dict and char not in _NOT_A_KEY:  # `- key: …`: the element starts on its entry's line
                start = after
                inner = column + after - dash
                line = self.line(dash - column - 1)
            elif type(item) is dict and char != b"{":  # `-` alone: the element starts on the next line
                token = _TOKEN.search(nl, self.line_end(after))
                if token is None:
                    raise Decline
                start = token.end() - 1
                inner = start - token.start() - 1
                if inner <= column:
                    raise Decline
                line = self.line(token.start())
            else:  # not a mapping, or one written on its line (`- {a: 1}`)
                if type(item) is dict:
                    line = self.line(dash - column - 1)
                    spans[path + (index,)] = (line, line + 1)
                    _fill(item, path + (index,), (line, line + 1), spans)
                line_end = nl.find(b"\n", after)
                found = below_entry.search(nl, line_end) if line_end >= 0 else None
                dash = self._next_entry(found, column, index + 1 < count)
                continue
            if item:
                self._key_at(start, next(iter(item)))  # the element's first key is on its first line
            if inner != below_inner:
                below_inner, below_element = inner, _below(inner)
            line_end = nl.find(b"\n", start)
            found = below_element.search(nl, line_end) if line_end >= 0 else None
            if found is None:
                ended = end_of_text
                spans[path + (index,)] = (line, max(line + 1, self.end_line(None, inner)))
            else:
                ended = found.start()
                if found.end() - ended - 2 > column:
                    raise Decline  # a line left of the element's keys but right of its `-`
                spans[path + (index,)] = (line, max(line + 1, self.line(ended)))
            if deeper:
                self._mapping(item, path + (index,), start, inner, ended)
            dash = self._next_entry(found, column, index + 1 < count)
        return self._ended

    def _next_entry(self, found: re.Match[bytes] | None, column: int, more: bool) -> int:
        """The `-` of the next entry of a sequence at `column` (found: the next line at or left of it), or -1 when the
        sequence ends there; a disagreement with the number of elements declines."""
        nl = self.nl
        entry = -1
        if found is not None and found.end() - found.start() - 2 == column:
            at = found.end() - 1
            if nl[at : at + 1] == b"-" and nl[at + 1 : at + 2] in (b" ", b"\n", b"\r", b""):
                entry = at
        if (entry >= 0) != more:
            raise Decline
        self._ended = len(nl) if found is None else found.start()
        return entry
