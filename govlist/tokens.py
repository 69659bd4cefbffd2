"""Values a reader takes in whole: 文号, dates, article numbers, numbers and counts, codes.

One home for these patterns: the basis rules find 文号 and articles with them, the redline (diff/values.py) changes
each as a whole token (`〔2024〕15号 → 〔2025〕4号`, never `〔202[-4-]{+5+}〕…`), and the site keeps them on one line.
Nothing here knows about catalogs.
"""

from __future__ import annotations

import re

_CN_DIGITS = "〇零一二三四五六七八九十百千万亿两"

#: Official document numbers: 成华府办〔2012〕35号, 国发[2015]3号, 国务院令第412号 (the issuer before the bracket is
#: prose: an issuer changed reads character by character).
DOC_NUMBER = re.compile(rf"[〔\[［(（]\s*(?:19|20)\d{{2}}\s*[〕\]］)）]\s*第?\s*\d+\s*号|令\s*第\s*[0-9{_CN_DIGITS}]+\s*号")
#: An article of a law or rule: 第十一条, 第 24 条.
ARTICLE = re.compile(rf"第\s*[0-9０-９{_CN_DIGITS}]+\s*条")
#: Dates: 2024年1月1日, 2024年1月, 2024-01-01, 2024.1.1, 2024/01/01.
#: (The four digits are written once: a regex that starts with one branch tries every position far faster.)
DATE = re.compile(r"\d{4}(?:年\d{1,2}月(?:\d{1,2}日)?|[-./]\d{1,2}[-./]\d{1,2})")
#: A number, a code or a Latin word: 15, 3.5%, GM-JD-01-001, 12441500196720244T, GB/T (full-width forms too).
CODE = re.compile(r"[0-9A-Za-z０-９Ａ-Ｚａ-ｚ]+(?:[-_./:－][0-9A-Za-z０-９Ａ-Ｚａ-ｚ]+)*[%％]?")
#: A number written in Chinese numerals: 三十, 一百二十.
CN_NUMBER = re.compile(rf"[{_CN_DIGITS}]{{2,}}")

#: Everything that changes as a whole in a redline, longest kind first.
WHOLE = re.compile("|".join(p.pattern for p in (DOC_NUMBER, ARTICLE, DATE, CODE, CN_NUMBER)))
#: What the site keeps on one line: a 文号 with its issuer (XX政发〔2022〕6号) and a date.
NO_BREAK = re.compile(rf"[\u4e00-\u9fffA-Za-z]{{0,10}}(?:{DOC_NUMBER.pattern})|{DATE.pattern}")


def tokens(text: str) -> list[str]:
    """`text` cut into what a redline compares: each whole value (WHOLE) one token, every other character its own.
    Joined, the tokens give back `text` exactly."""
    out: list[str] = []
    at = 0
    for m in WHOLE.finditer(text):
        out.extend(text[at : m.start()])
        out.append(m.group())
        at = m.end()
    out.extend(text[at:])
    return out
