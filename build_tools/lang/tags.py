"""Language tags: the BCP 47 shape that book.toml's ``language``, a ``[text]{lang=…}`` span and an
imported document's language must have (a primary subtag of 2–3 letters, then subtags)."""

from __future__ import annotations

import re

LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*")


def is_language_tag(text: str) -> bool:
    """``text`` is a whole language tag ("fr", "en-GB", "zh-Hans-CN")."""
    return LANGUAGE_TAG.fullmatch(text) is not None
