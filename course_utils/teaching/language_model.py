"""Character-level language-model pieces shared by notebooks 06 onward.

- :class:`CharVocabulary`: characters <-> integer ids, with id 0 for characters never seen
  when the vocabulary was built (so held-out text always encodes).
- :class:`NGramLM`: add-k smoothed unigram (order 1) and bigram (order 2) baselines with
  ``mean_nll`` (nats per character) and ``perplexity``.
- :func:`softmax_with_temperature` and :func:`sample`: temperature sampling from logits.

Every model here scores the same targets, ``ids[1:]`` (each character given the ones before
it), so its numbers compare directly with a neural LM scored on the same text.
"""
from __future__ import annotations

import math
from typing import Iterable

import numpy as np

from .numpy_rnn import softmax

UNKNOWN = "\ufffd"  # what decode() writes for id 0


class CharVocabulary:
    """A character vocabulary: id 0 is "unknown", ids 1..n the sorted known characters."""

    def __init__(self, chars: Iterable[str]):
        chars = sorted(set(chars))
        if not chars:
            raise ValueError("a vocabulary needs at least one character")
        if any(len(c) != 1 for c in chars):
            raise ValueError("a CharVocabulary holds single characters")
        self.chars = [UNKNOWN] + [c for c in chars if c != UNKNOWN]
        self.index = {c: i for i, c in enumerate(self.chars)}
        self.index.pop(UNKNOWN)

    @classmethod
    def from_text(cls, text: str) -> "CharVocabulary":
        return cls(set(text))

    def __len__(self) -> int:
        return len(self.chars)

    def __contains__(self, char: str) -> bool:
        return char in self.index

    def encode(self, text: str) -> np.ndarray:
        """int32 ids of ``text``; characters outside the vocabulary map to 0."""
        get = self.index.get
        return np.fromiter((get(c, 0) for c in text), dtype=np.int32, count=len(text))

    def decode(self, ids: Iterable[int]) -> str:
        return "".join(self.chars[int(i)] for i in ids)


class NGramLM:
    """Add-k smoothed character n-gram language model over integer ids (order 1 or 2).

    ``P(b | a) = (n(a, b) + k) / (n(a) + k V)`` for the bigram, ``P(b) = (n(b) + k) / (N + k V)``
    for the unigram, where V is the vocabulary size. ``k = 0`` is the unsmoothed maximum
    likelihood estimate, which gives probability 0 to anything unseen.
    """

    def __init__(self, order: int, vocab_size: int, k: float = 1.0):
        if order not in (1, 2):
            raise ValueError(f"order must be 1 (unigram) or 2 (bigram), got {order!r}")
        if isinstance(vocab_size, bool) or not isinstance(vocab_size, int) or vocab_size < 1:
            raise ValueError(f"vocab_size must be a positive integer, got {vocab_size!r}")
        if isinstance(k, bool) or not isinstance(k, (int, float)) or not math.isfinite(k) or k < 0:
            raise ValueError(f"k must be a finite number >= 0, got {k!r}")
        self.order, self.vocab_size, self.k = order, vocab_size, float(k)
        self.counts: np.ndarray | None = None

    def _check_ids(self, ids) -> np.ndarray:
        ids = np.asarray(ids)
        if ids.ndim != 1 or not np.issubdtype(ids.dtype, np.integer):
            raise ValueError("ids must be a 1-D array of integer ids")
        if ids.size and (ids.min() < 0 or ids.max() >= self.vocab_size):
            raise ValueError(f"ids must lie in [0, {self.vocab_size}), got {ids.min()}..{ids.max()}")
        return ids.astype(np.int64)

    def fit(self, ids) -> "NGramLM":
        """Count unigrams (order 1) or adjacent pairs (order 2) in ``ids``."""
        ids = self._check_ids(ids)
        v = self.vocab_size
        if self.order == 1:
            self.counts = np.bincount(ids, minlength=v).astype(np.float64)
        else:
            pairs = ids[:-1] * v + ids[1:]
            self.counts = np.bincount(pairs, minlength=v * v).reshape(v, v).astype(np.float64)
        return self

    @property
    def probs(self) -> np.ndarray:
        """The smoothed table: shape (V,) for order 1, (V, V) with rows = previous id for order 2."""
        if self.counts is None:
            raise RuntimeError("call fit() before using the model")
        smoothed = self.counts + self.k
        total = smoothed.sum(axis=-1, keepdims=True)
        with np.errstate(invalid="ignore", divide="ignore"):
            p = smoothed / total
        return np.nan_to_num(p, nan=0.0)  # an unseen context with k = 0 predicts nothing

    def log_probs(self, ids) -> np.ndarray:
        """Natural-log probability of each target ``ids[1:]`` given the character before it."""
        ids = self._check_ids(ids)
        if ids.size < 2:
            raise ValueError("need at least 2 ids: the first is context, the rest are targets")
        p = self.probs
        chosen = p[ids[1:]] if self.order == 1 else p[ids[:-1], ids[1:]]
        with np.errstate(divide="ignore"):
            return np.log(chosen)

    def mean_nll(self, ids) -> float:
        """Mean negative log-likelihood of ``ids[1:]`` in nats per character (inf if any is 0)."""
        return float(-self.log_probs(ids).mean())

    def perplexity(self, ids) -> float:
        """exp(mean NLL): the model is as unsure as a uniform choice among this many characters."""
        return float(math.exp(self.mean_nll(ids)))


def softmax_with_temperature(logits, temperature: float = 1.0) -> np.ndarray:
    """softmax(logits / T) in float64 along the last axis; T -> 0 tends to argmax, T = 1 is the model."""
    if isinstance(temperature, bool) or not isinstance(temperature, (int, float)) \
            or not math.isfinite(temperature) or temperature <= 0:
        raise ValueError(f"temperature must be a finite number > 0, got {temperature!r}")
    return softmax(np.asarray(logits, dtype=np.float64) / float(temperature), axis=-1)


def sample(logits, temperature: float, rng: np.random.Generator) -> int:
    """Draw one id from softmax(logits / temperature) of a 1-D logits vector."""
    p = softmax_with_temperature(logits, temperature)
    if p.ndim != 1:
        raise ValueError(f"sample() takes one logits vector, got shape {p.shape}")
    return int(rng.choice(p.size, p=p))
