"""Every rule, grouped by concern. Importing this package registers them in `govlist.ruleset.RULES`.

A new rule module is added here by name (as yamllint lists its rules): a missing module is an import error, never
silently skipped. `common` holds what several rules share.
"""

from . import (  # noqa: F401  (imported for their @rule registrations)
    builtin,
    totals,
    names,
    basis,
    vocab,
    refs,
    codes,
    levels,
    duty,
    power,
    territorial,
    devolution,
    community,
    assessment,
    adjustment,
    inheritance,
    links,
    changes,
    baseline,
)
