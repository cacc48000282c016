"""A generated corpus in which some words have two senses by construction (notebook 07, smoke).

Each homograph ("bank", "play", "stick") has two senses, and each sense has its
own topic words ("bank": money, loan ... vs river, mud ...). A sentence picks one sense and fills
a template shared by all senses with that sense's topic words, before and after the homograph,
plus function words. So the only thing that tells the two "bank"s apart is the context, which
is exactly what a contextual representation must pick up and a static one cannot.

Sentences without any homograph (topic words only) are mixed in, as real text would have them.
Sense frequencies are unequal (``major_share`` for the first sense), as in real text, so the
most-frequent-sense baseline is above one half.

The space of sentences is small (280 per word sense), so two samples share many sentences word
for word. An evaluation sample that must be new to a model passes ``exclude=`` (the sentences the
model read) and ``unique=True`` (no sentence twice, so that two halves of it share none).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Sequence

import numpy as np

# homograph -> (sense name, topic words) for its two senses. Topic words are unique per sense.
HOMOGRAPHS: dict[str, tuple[tuple[str, tuple[str, ...]], ...]] = {
    "bank": (("money", ("money", "loan", "cash", "account", "savings")),
             ("river", ("river", "water", "mud", "fishing", "boat"))),
    "play": (("theatre", ("stage", "actors", "audience", "script", "tickets")),
             ("games", ("children", "ball", "toys", "park", "puppy"))),
    "stick": (("wood", ("branch", "tree", "twig", "forest", "fire")),
              ("adhere", ("glue", "tape", "label", "poster", "wall"))),
}

# {a}, {b}, {c}: topic words of the sentence's sense; {w}: the homograph.
TEMPLATES = (
    "the {a} {w} had {b} and {c}",
    "we went to the {w} {a} with the {b}",
    "the {a} and {b} {w} {c} were there",
    "my {a} {w} {b} is very old",
    "after the {w} {a} came the {b}",
    "she saw {a} by the {w} and {b}",
    "the {a} {w} was full of {b}",
    "they talked of the {w} {a} and {b} {c}",
)
FILLER_TEMPLATES = (
    "the {a} and the {b} were there",
    "we saw {a} and {b} and {c} today",
    "there was a {a} with the {b}",
)


@dataclass(frozen=True)
class SenseCorpus:
    """Tokenized sentences, and for every homograph occurrence its (sentence, position, word, sense);
    ``templates``: for every occurrence, the index of its sentence's template in ``TEMPLATES``."""

    sentences: list[list[str]]
    occurrences: list[tuple[int, int, str, int]]
    templates: list[int] = field(default_factory=list)

    @property
    def n_tokens(self) -> int:
        return sum(len(s) for s in self.sentences)

    def labels(self) -> np.ndarray:
        """A class per occurrence: 2 * (index of the word in HOMOGRAPHS) + sense."""
        words = list(HOMOGRAPHS)
        return np.array([2 * words.index(w) + k for _, _, w, k in self.occurrences], dtype=np.int32)


def sense_name(word: str, sense: int) -> str:
    return HOMOGRAPHS[word][sense][0]


def sense_corpus(n_sentences: int, seed: int = 0, filler_share: float = 0.3,
                 major_share: float = 0.6, exclude: Iterable[Sequence[str]] | None = None,
                 unique: bool = False) -> SenseCorpus:
    """``n_sentences`` generated sentences; ``filler_share`` of them contain no homograph.

    The first sense of each homograph is chosen with probability ``major_share``.
    ``exclude``: sentences (token lists) that must not be drawn; a drawn one is skipped and another
    drawn. ``unique``: skip a sentence already drawn. Both keep the order of the draws, so
    without them the corpus is the same as before. If the sentences left run out (no new one in
    10,000 draws in a row), a ``ValueError`` says so.
    """
    if isinstance(n_sentences, bool) or not isinstance(n_sentences, (int, np.integer)) or n_sentences < 1:
        raise ValueError(f"n_sentences must be a positive integer, got {n_sentences!r}")
    if not 0 <= filler_share < 1:
        raise ValueError(f"filler_share must be in [0, 1), got {filler_share!r}")
    if not 0 < major_share < 1:
        raise ValueError(f"major_share must be strictly between 0 and 1, got {major_share!r}")
    skip = {tuple(s) for s in exclude} if exclude is not None else set()
    rng = np.random.default_rng(seed)
    words = list(HOMOGRAPHS)
    sentences: list[list[str]] = []
    occurrences: list[tuple[int, int, str, int]] = []
    templates: list[int] = []
    misses = 0
    while len(sentences) < n_sentences:
        if misses >= 10_000:
            raise ValueError(f"only {len(sentences)} sentences could be drawn of the n_sentences={n_sentences} asked: "
                             f"the generator's sentences are used up by exclude= / unique=")
        word = words[rng.integers(len(words))]
        sense = 0 if rng.random() < major_share else 1
        topic = HOMOGRAPHS[word][sense][1]
        a, b, c = rng.choice(topic, size=3, replace=False)
        if rng.random() < filler_share:
            template = FILLER_TEMPLATES[rng.integers(len(FILLER_TEMPLATES))]
            tokens, pos = template.format(a=a, b=b, c=c).split(), None
        else:
            t = int(rng.integers(len(TEMPLATES)))
            tokens = TEMPLATES[t].format(a=a, b=b, c=c, w="\0").split()
            pos = tokens.index("\0")
            tokens[pos] = word
        key = tuple(tokens)
        if key in skip:
            misses += 1
            continue
        misses = 0
        if unique:
            skip.add(key)
        if pos is not None:
            occurrences.append((len(sentences), pos, word, sense))
            templates.append(t)
        sentences.append(tokens)
    return SenseCorpus(sentences, occurrences, templates)
