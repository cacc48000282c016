"""Text helpers that several loaders share: what counts as a word."""
from __future__ import annotations

import re

__all__ = ["WORD_RE", "tokenize_words"]

# A word: letters/digits, optionally joined by apostrophes ("don't", "hold's").
WORD_RE = re.compile(r"[^\W_]+(?:'[^\W_]+)*")


def tokenize_words(text: str) -> list[str]:
    """Lower-case ``text`` and split it into words (punctuation dropped, apostrophes kept)."""
    return WORD_RE.findall(text.lower())
