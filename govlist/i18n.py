"""Which language to speak: --lang, else GOVLIST_LANG, else the locale (English for an English locale, else Chinese)."""

from __future__ import annotations

import os

LANGS = ("zh", "en")


def detect_lang(explicit: str | None = None) -> str:
    if explicit:
        return "en" if explicit.lower().startswith("en") else "zh"
    if os.environ.get("GOVLIST_LANG"):
        return detect_lang(os.environ["GOVLIST_LANG"])
    for var in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = os.environ.get(var)
        if value:
            return "en" if value.lower().startswith("en") else "zh"
    return "zh"
