"""Work counted in steps, not seconds: how many lines of one function's frames a call runs (a trace).

A bound on a clock breaks on a loaded machine and passes on a fast one whatever the code does; a count of the Python
lines a function runs is the same on every machine, so a test can tell linear work from quadratic work exactly."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any


def lines_run(function: Callable, call: Callable[[], Any]) -> tuple[int, Any]:
    """(lines run in `function`'s frames, what `call()` returned). Frames of `function` only: what it calls in C, or
    in other Python functions, is not counted; a generator's frame counts each time it is resumed."""
    code = function.__code__
    seen = 0

    def trace(frame, event, arg):
        nonlocal seen
        if frame.f_code is code:
            if event == "line":
                seen += 1
            return trace
        return None

    kept = sys.gettrace()  # a coverage tool's, say
    sys.settrace(trace)
    try:
        result = call()
    finally:
        sys.settrace(kept)
    return seen, result
