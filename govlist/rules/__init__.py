"""Every rule, grouped by concern. Importing this package registers them in `govlist.ruleset.RULES`."""

import importlib

_MODULES = ("builtin", "totals", "names", "basis", "vocab", "refs", "codes", "levels", "duty", "power", "territorial", "devolution", "community", "inheritance", "links", "changes", "baseline")

for _name in _MODULES:
    try:
        importlib.import_module(f"{__name__}.{_name}")
    except ModuleNotFoundError as exc:  # modules are added one by one; a missing one is skipped, a broken import is not
        if exc.name != f"{__name__}.{_name}":
            raise
