"""govlist/normalize.py: names as they are compared."""

from __future__ import annotations

import re
import unicodedata

from hypothesis import given, settings, strategies as st

from govlist.normalize import _PUNCT, normalize_name

#: every character _PUNCT takes, and some it keeps that look alike or are letters of other scripts
ALPHABET = "婚育状况证明（）()、，,。.．;；:：!！?？\"'“”‘’`·•・…—-–_/\\|[]【】〔〕{}<>《》〈〉「」『』 \u3000\t\nＡａAaÄ１1ⅠⅰΣς㊀﹚⁾"


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=16))
def test_normalize_name_is_nfkc_without_punctuation_lower_cased(name):
    # the shortcut for names of letters, digits and ideographs only gives what the regex gives
    assert normalize_name.__wrapped__(name) == _PUNCT.sub("", unicodedata.normalize("NFKC", name)).lower()


def test_normalize_name_examples():
    assert normalize_name("居民身份证申领（换领）") == normalize_name("居民身份证申领(换领)") == "居民身份证申领换领"
    assert normalize_name("ＸＸ区 民政局") == "xx区民政局"
    assert normalize_name("婚育状况证明") == "婚育状况证明"
    assert not re.search(r"\s", normalize_name("a\u3000b\tc"))
