"""Small real texts that ship inside gensim's test data: offline in every profile.

- the Lee news corpus (Lee, Pincombe & Welsh 2005): 300 Australian news documents;
- Pang & Lee movie-review sentences (Pang & Lee 2005): 100 positive, 100 negative.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path


def gensim_test_file(name: str) -> Path:
    """Path of a file in gensim's bundled test data (``lee_background.cor`` ...)."""
    from gensim.test.utils import datapath

    return Path(datapath(name))


def lee_corpus(which: str = "background") -> list[str]:
    """The Lee news corpus, one document per string (``background``: 300 docs, ``test``: 50)."""
    files = {"background": "lee_background.cor", "test": "lee.cor"}
    if which not in files:
        raise ValueError(f"which must be one of {sorted(files)}; got {which!r}")
    with open(gensim_test_file(files[which]), encoding="utf-8", errors="replace") as fh:
        return [line.strip() for line in fh if line.strip()]


def pang_lee_sentences() -> list[tuple[str, int]]:
    """(sentence, label) pairs; label 1 = positive, 0 = negative."""
    pairs = []
    # the file is Windows-1252 (its dashes are byte 0x97), not UTF-8
    with open(gensim_test_file("pang_lee_polarity.cor"), encoding="cp1252") as fh:
        for line in fh:
            label, _, text = line.strip().partition(" ")
            if label in ("__label__pos", "__label__neg"):
                pairs.append((text, int(label == "__label__pos")))
    return pairs


# --------------------------------------------------------------------------- Lee corpus
def lee_corpus_path() -> Path:
    """The Lee background news corpus shipped in gensim's test data (300 documents)."""
    return gensim_test_file("lee_background.cor")


@lru_cache(maxsize=1)
def lee_sentences() -> tuple[tuple[str, ...], ...]:
    """The Lee corpus, one document per line, tokenized with gensim's simple_preprocess."""
    from gensim.utils import simple_preprocess

    with open(lee_corpus_path(), encoding="utf-8") as f:
        return tuple(tuple(simple_preprocess(line)) for line in f if line.strip())
