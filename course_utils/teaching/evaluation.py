"""Intrinsic evaluation of word vectors, and perplexity.

Everything works on plain ``(words, vectors)``: a list of ``n`` words and an ``(n, d)``
matrix whose row ``i`` is the vector of ``words[i]``. So the same functions serve word
vectors trained from scratch, gensim's ``KeyedVectors`` (``kv.index_to_key, kv.vectors``)
and pretrained GloVe files alike.

- :func:`word_similarity`: Spearman's rho between cosine similarities and human scores
  (WordSim-353, SimLex-999), with the number of pairs used and skipped.
- :func:`analogy_accuracy`: the Google analogy test ("a is to b as c is to d") with 3CosAdd
  (Mikolov et al. 2013), by section and overall; :func:`read_analogies` parses the file.
- :func:`solve_analogy` and :func:`nearest_neighbors`: the answers themselves, by cosine.
- :func:`perplexity`: exp of a mean negative log-likelihood in nats.
- :func:`corpus_bleu`: corpus-level BLEU (Papineni et al. 2002) from scratch, for teaching;
  with sacrebleu's default 13a tokenization it gives sacrebleu's number (unit-tested).
"""
from __future__ import annotations

import math
import os
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Iterable, Sequence

import numpy as np

__all__ = [
    "SimilarityResult", "AnalogyResult", "normalize", "word_similarity", "read_analogies",
    "analogy_accuracy", "solve_analogy", "nearest_neighbors", "perplexity",
    "BleuResult", "bleu_tokenize", "corpus_bleu",
]


# --------------------------------------------------------------------------- plumbing
def _index(words: Sequence[str], vectors) -> tuple[dict[str, int], np.ndarray]:
    """word -> row (first occurrence wins) and the matrix as a 2-D float array."""
    matrix = np.asarray(vectors)
    if matrix.ndim != 2:
        raise ValueError(f"vectors must be a 2-D (words, dimensions) matrix, got shape {matrix.shape}")
    if len(words) != matrix.shape[0]:
        raise ValueError(
            f"words and vectors disagree: {len(words)} words but {matrix.shape[0]} rows of vectors"
        )
    index: dict[str, int] = {}
    for i, w in enumerate(words):
        index.setdefault(w, i)
    return index, matrix


def normalize(vectors) -> np.ndarray:
    """Rows scaled to unit length (float32); all-zero rows stay zero."""
    matrix = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(matrix, axis=-1, keepdims=True)
    return matrix / np.where(norms > 0, norms, 1.0)


# --------------------------------------------------------------------------- similarity
@dataclass(frozen=True)
class SimilarityResult:
    """Spearman's rho between model and human similarities, on the pairs in vocabulary."""

    rho: float
    pvalue: float
    n_pairs: int  # pairs with both words in the vocabulary (the ones scored)
    n_skipped: int  # pairs with at least one word out of vocabulary

    @property
    def coverage(self) -> float:
        return self.n_pairs / (self.n_pairs + self.n_skipped)

    def __str__(self) -> str:
        return (f"rho={self.rho:.3f} (p={self.pvalue:.2g}) on {self.n_pairs} pairs, "
                f"{self.n_skipped} skipped")


def word_similarity(words: Sequence[str], vectors, pairs: Iterable[tuple[str, str, float]],
                    lowercase: bool = False) -> SimilarityResult:
    """Spearman's rho between the cosine similarity of each pair and its human score.

    ``pairs``: ``(word1, word2, score)`` triples (e.g. ``data.load_similarity_pairs``).
    Pairs with a word outside ``words`` are skipped and counted. Raises ``ValueError`` when
    fewer than 3 pairs are in vocabulary (no meaningful correlation).
    """
    from scipy.stats import spearmanr

    index, matrix = _index(words, vectors)
    unit = normalize(matrix)
    model, human, skipped = [], [], 0
    for w1, w2, score in pairs:
        if lowercase:
            w1, w2 = w1.lower(), w2.lower()
        if w1 in index and w2 in index:
            model.append(float(unit[index[w1]] @ unit[index[w2]]))
            human.append(float(score))
        else:
            skipped += 1
    if len(model) < 3:
        raise ValueError(
            f"word_similarity: only {len(model)} of {len(model) + skipped} pairs have both words "
            f"in the vocabulary ({len(index)} words); at least 3 are needed for a correlation"
        )
    result = spearmanr(model, human)
    return SimilarityResult(float(result.statistic), float(result.pvalue), len(model), skipped)


# --------------------------------------------------------------------------- analogies
def read_analogies(source: str | os.PathLike | Iterable[str]) -> list[tuple[str, str, str, str, str]]:
    """Questions of a Google-analogy-style file as ``(section, a, b, c, d)``, lower-cased.

    ``source``: a path, or an iterable of lines. A line ``: name`` starts a section; every
    other non-empty line holds four words, "a is to b as c is to d".
    """
    if isinstance(source, (str, os.PathLike)):
        with open(source, encoding="utf-8") as f:
            return read_analogies(f.read().splitlines())
    out, section = [], None
    for n, line in enumerate(source, 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith(":"):
            section = line[1:].strip()
            continue
        fields = line.lower().split()
        if len(fields) != 4:
            raise ValueError(f"analogy line {n} has {len(fields)} words, expected 4: {line!r}")
        if section is None:
            raise ValueError(f"analogy line {n} comes before any ': section' header: {line!r}")
        out.append((section, *fields))
    return out


@dataclass
class AnalogyResult:
    """3CosAdd analogy accuracy, overall and by section, on the questions in vocabulary."""

    correct: int
    total: int  # questions with all four words in vocabulary (the ones answered)
    skipped: int  # questions with a word out of vocabulary
    sections: dict[str, tuple[int, int]] = field(default_factory=dict)  # name -> (correct, total)

    @property
    def accuracy(self) -> float:
        return self.correct / self.total if self.total else 0.0

    def section_accuracy(self, name: str) -> float:
        c, t = self.sections[name]
        return c / t if t else 0.0

    def __str__(self) -> str:
        return (f"accuracy={self.accuracy:.3f} ({self.correct}/{self.total} answered, "
                f"{self.skipped} skipped)")


def _3cosadd_top(unit: np.ndarray, a: np.ndarray, b: np.ndarray, c: np.ndarray,
                 batch_size: int, topn: int = 1) -> np.ndarray:
    """Row indices of the best ``topn`` answers to ``b - a + c``, the three question words
    excluded, for arrays of question indices ``a, b, c``; computed in batches."""
    # keep one batch of scores under ~64M floats, whatever the vocabulary size
    batch_size = max(1, min(batch_size, (1 << 26) // max(len(unit), 1)))
    out = np.empty((len(a), topn), dtype=np.int64)
    rows = np.arange(min(batch_size, len(a)))
    for start in range(0, len(a), batch_size):
        sl = slice(start, start + batch_size)
        target = unit[b[sl]] - unit[a[sl]] + unit[c[sl]]
        scores = target @ unit.T  # cosine up to a positive factor per row: same ranking
        r = rows[: len(target)]
        for q in (a[sl], b[sl], c[sl]):
            scores[r, q] = -np.inf
        if topn == 1:
            out[sl, 0] = scores.argmax(axis=1)
        else:
            part = np.argpartition(-scores, topn - 1, axis=1)[:, :topn]
            order = np.argsort(-np.take_along_axis(scores, part, axis=1), axis=1)
            out[sl] = np.take_along_axis(part, order, axis=1)
    return out


def analogy_accuracy(words: Sequence[str], vectors, questions: Iterable[tuple[str, str, str, str, str]],
                     batch_size: int = 1024) -> AnalogyResult:
    """3CosAdd: answer ``argmax_x cos(x, b - a + c)`` over all words but ``a, b, c``.

    ``questions``: ``(section, a, b, c, d)`` tuples (:func:`read_analogies`,
    ``data.load_analogies``). Questions with any word out of vocabulary are skipped and
    counted, as gensim's ``evaluate_word_analogies`` does. Vectors are unit-normalized first.
    """
    index, matrix = _index(words, vectors)
    unit = normalize(matrix)
    sections: dict[str, list[int]] = OrderedDict()
    keep, skipped = [], 0
    for section, *quad in questions:
        sections.setdefault(section, [0, 0])
        if all(w in index for w in quad):
            keep.append((section, *(index[w] for w in quad)))
        else:
            skipped += 1
    if keep:
        names = [k[0] for k in keep]
        a, b, c, d = (np.array([k[i] for k in keep], dtype=np.int64) for i in range(1, 5))
        hit = _3cosadd_top(unit, a, b, c, batch_size)[:, 0] == d
        for name, h in zip(names, hit):
            sections[name][0] += int(h)
            sections[name][1] += 1
    correct = sum(s[0] for s in sections.values())
    total = sum(s[1] for s in sections.values())
    return AnalogyResult(correct, total, skipped, {k: (v[0], v[1]) for k, v in sections.items()})


def solve_analogy(words: Sequence[str], vectors, a: str, b: str, c: str,
                  topn: int = 5) -> list[tuple[str, float]]:
    """The ``topn`` words closest (cosine) to ``b - a + c``, the three excluded.

    ``solve_analogy(words, vectors, "man", "king", "woman")`` asks king - man + woman.
    Raises ``KeyError`` naming any question word that is not in the vocabulary.
    """
    index, matrix = _index(words, vectors)
    missing = [w for w in (a, b, c) if w not in index]
    if missing:
        raise KeyError(f"not in the vocabulary: {', '.join(missing)}")
    unit = normalize(matrix)
    topn = min(topn, len(index) - 3)
    ia, ib, ic = (np.array([index[w]]) for w in (a, b, c))
    best = _3cosadd_top(unit, ia, ib, ic, 1, topn)[0]
    target = unit[ib[0]] - unit[ia[0]] + unit[ic[0]]
    target = target / (np.linalg.norm(target) or 1.0)
    return [(words[i], float(unit[i] @ target)) for i in best]


# --------------------------------------------------------------------------- neighbours
def nearest_neighbors(words: Sequence[str], vectors, query: str, k: int = 10,
                      exclude_query: bool = True) -> list[tuple[str, float]]:
    """The ``k`` words with the highest cosine similarity to ``query``, best first."""
    index, matrix = _index(words, vectors)
    if query not in index:
        raise KeyError(f"{query!r} is not in the vocabulary")
    unit = normalize(matrix)
    sims = unit @ unit[index[query]]
    if exclude_query:
        sims[index[query]] = -np.inf
    k = min(k, len(sims) - int(exclude_query))
    best = np.argpartition(-sims, k - 1)[:k] if k < len(sims) else np.arange(len(sims))
    best = best[np.argsort(-sims[best], kind="stable")][:k]
    return [(words[i], float(sims[i])) for i in best]


# --------------------------------------------------------------------------- perplexity
def perplexity(mean_nats: float) -> float:
    """Perplexity ``exp(mean negative log-likelihood)``, the NLL per token in nats.

    A model that spreads its probability uniformly over ``V`` choices has a mean NLL of
    ``log V`` nats and a perplexity of ``V``.
    """
    value = float(mean_nats)
    if not math.isfinite(value) or value < 0:
        raise ValueError(f"mean_nats must be a finite, non-negative number of nats, got {mean_nats!r}")
    return math.exp(value)


# --------------------------------------------------------------------------- BLEU
@dataclass(frozen=True)
class BleuResult:
    """Corpus BLEU on a 0-100 scale, with the pieces it is made of."""

    score: float
    precisions: tuple[float, ...]   # modified n-gram precisions, in percent
    brevity_penalty: float
    hyp_len: int
    ref_len: int

    def __str__(self) -> str:
        p = "/".join(f"{x:.1f}" for x in self.precisions)
        return (f"BLEU = {self.score:.2f} {p} (BP = {self.brevity_penalty:.3f}, "
                f"hyp_len = {self.hyp_len}, ref_len = {self.ref_len})")


def bleu_tokenize(text: str) -> list[str]:
    """sacrebleu's default "13a" tokenization (the mteval-v13a rules), re-written here."""
    import re

    text = text.replace("<skipped>", "").replace("-\n", "").replace("\n", " ")
    if "&" in text:
        text = text.replace("&quot;", '"').replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")
    text = f" {text} "
    text = re.sub(r"([\{-\~\[-\` -\&\(-\+\:-\@\/])", r" \1 ", text)  # most punctuation
    text = re.sub(r"([^0-9])([\.,])", r"\1 \2 ", text)  # period/comma unless preceded by a digit
    text = re.sub(r"([\.,])([^0-9])", r" \1 \2", text)  # period/comma unless followed by a digit
    text = re.sub(r"([0-9])(-)", r"\1 \2 ", text)        # dash when preceded by a digit
    return text.split()


def _ngrams(tokens: Sequence[str], n: int):
    from collections import Counter

    return Counter(tuple(tokens[i:i + n]) for i in range(len(tokens) - n + 1))


def corpus_bleu(hypotheses: Sequence[str], references: Sequence[str], max_n: int = 4,
                tokenize=bleu_tokenize) -> BleuResult:
    """Corpus BLEU with one reference per hypothesis, as sacrebleu computes it by default.

    BLEU = BP * exp(mean_n log p_n), where p_n is the *modified* n-gram precision summed over the
    corpus (each hypothesis n-gram counts at most as often as it occurs in its reference), and
    BP = exp(1 - r/c) when the hypotheses' total length c is below the references' r, else 1.
    No smoothing: if some p_n is 0 the score is 0.
    """
    if len(hypotheses) != len(references):
        raise ValueError(f"{len(hypotheses)} hypotheses for {len(references)} references")
    if not hypotheses:
        raise ValueError("corpus_bleu needs at least one sentence")
    if isinstance(max_n, bool) or not isinstance(max_n, int) or max_n < 1:
        raise ValueError(f"max_n must be a positive integer, got {max_n!r}")
    matches, totals = [0] * max_n, [0] * max_n
    hyp_len = ref_len = 0
    for hyp, ref in zip(hypotheses, references):
        h, r = tokenize(hyp), tokenize(ref)
        hyp_len += len(h)
        ref_len += len(r)
        for n in range(1, max_n + 1):
            hc, rc = _ngrams(h, n), _ngrams(r, n)
            matches[n - 1] += sum(min(c, rc[g]) for g, c in hc.items())
            totals[n - 1] += max(len(h) - n + 1, 0)
    precisions = tuple(100.0 * m / t if t else 0.0 for m, t in zip(matches, totals))
    bp = 1.0 if hyp_len > ref_len else (math.exp(1 - ref_len / hyp_len) if hyp_len else 0.0)
    if min(matches) == 0:
        return BleuResult(0.0, precisions, bp, hyp_len, ref_len)
    log_mean = sum(math.log(m / t) for m, t in zip(matches, totals)) / max_n
    return BleuResult(100.0 * bp * math.exp(log_mean), precisions, bp, hyp_len, ref_len)
