"""Unit tests for course_utils.teaching.language_model (vocabulary, n-gram baselines, temperature)."""
import math

import numpy as np
import pytest

from course_utils.teaching.language_model import (UNKNOWN, CharVocabulary, NGramLM, sample,
                                         softmax_with_temperature)


def test_vocabulary_round_trip_and_unknown():
    vocab = CharVocabulary.from_text("abca")
    assert len(vocab) == 4 and vocab.chars == [UNKNOWN, "a", "b", "c"]
    ids = vocab.encode("cab")
    assert ids.dtype == np.int32 and ids.tolist() == [3, 1, 2]
    assert vocab.decode(ids) == "cab"
    assert vocab.encode("az").tolist() == [1, 0]  # unseen -> 0
    assert vocab.decode([0]) == UNKNOWN
    assert "a" in vocab and "z" not in vocab


def test_vocabulary_rejects_bad_input():
    with pytest.raises(ValueError, match="at least one character"):
        CharVocabulary("")
    with pytest.raises(ValueError, match="single characters"):
        CharVocabulary(["ab"])


def test_unigram_counts_and_add_k():
    ids = np.array([1, 1, 2, 1])
    lm = NGramLM(1, vocab_size=4, k=1.0).fit(ids)
    assert lm.counts.tolist() == [0, 3, 1, 0]
    assert np.allclose(lm.probs, [1 / 8, 4 / 8, 2 / 8, 1 / 8])
    # targets are ids[1:] = 1, 2, 1
    expected = -(math.log(4 / 8) + math.log(2 / 8) + math.log(4 / 8)) / 3
    assert lm.mean_nll(ids) == pytest.approx(expected)
    assert lm.perplexity(ids) == pytest.approx(math.exp(expected))


def test_unsmoothed_unigram_gives_zero_to_unseen():
    lm = NGramLM(1, vocab_size=3, k=0).fit(np.array([1, 1, 2]))
    assert lm.log_probs(np.array([1, 0]))[0] == -np.inf
    assert lm.perplexity(np.array([1, 0])) == math.inf


def test_bigram_rows_are_distributions():
    ids = np.array([0, 1, 2, 1, 2, 0])
    lm = NGramLM(2, vocab_size=3, k=0.5).fit(ids)
    assert lm.counts[1, 2] == 2 and lm.counts.sum() == 5
    assert np.allclose(lm.probs.sum(axis=1), 1.0)
    assert lm.probs[1, 2] == pytest.approx((2 + 0.5) / (2 + 1.5))
    assert lm.log_probs(ids).shape == (5,)


def test_uniform_model_has_perplexity_vocab_size():
    lm = NGramLM(2, vocab_size=5, k=1.0).fit(np.array([0]))  # no pairs: add-1 gives uniform rows
    assert lm.perplexity(np.array([0, 3, 4, 1])) == pytest.approx(5.0)


@pytest.mark.parametrize("kwargs, message", [
    (dict(order=3, vocab_size=5), "order must be 1"),
    (dict(order=1, vocab_size=0), "vocab_size must be"),
    (dict(order=1, vocab_size=5, k=-1), "k must be"),
])
def test_ngram_bad_parameters(kwargs, message):
    with pytest.raises(ValueError, match=message):
        NGramLM(**kwargs)


def test_ngram_bad_use():
    lm = NGramLM(2, vocab_size=3)
    with pytest.raises(RuntimeError, match="fit"):
        lm.probs
    with pytest.raises(ValueError, match="lie in"):
        lm.fit(np.array([0, 3]))
    lm.fit(np.array([0, 1]))
    with pytest.raises(ValueError, match="at least 2"):
        lm.mean_nll(np.array([1]))
    with pytest.raises(ValueError, match="1-D array of integer"):
        lm.mean_nll(np.array([0.5, 1.0]))


def test_temperature_limits():
    logits = np.array([2.0, 1.0, 0.5, -1.0])
    p1 = softmax_with_temperature(logits, 1.0)
    assert np.allclose(p1, np.exp(logits) / np.exp(logits).sum())
    assert softmax_with_temperature(logits, 1e-3)[0] > 1 - 1e-12  # -> argmax
    assert np.allclose(softmax_with_temperature(logits, 1e6), 0.25, atol=1e-5)  # -> uniform
    big = softmax_with_temperature(np.array([1000.0, 0.0]), 0.5)  # no overflow
    assert np.isfinite(big).all() and big[0] == pytest.approx(1.0)
    for bad in (0, -1.0, float("nan"), True):
        with pytest.raises(ValueError, match="temperature"):
            softmax_with_temperature(logits, bad)


def test_sample_is_seeded_and_follows_distribution():
    logits = np.log(np.array([0.7, 0.2, 0.1]))
    draws = [sample(logits, 1.0, np.random.default_rng(0)) for _ in range(3)]
    assert len(set(draws)) == 1  # same seed, same draw
    rng = np.random.default_rng(1)
    counts = np.bincount([sample(logits, 1.0, rng) for _ in range(4000)], minlength=3) / 4000
    assert np.allclose(counts, [0.7, 0.2, 0.1], atol=0.03)
    assert {sample(logits, 1e-3, rng) for _ in range(50)} == {0}
    with pytest.raises(ValueError, match="one logits vector"):
        sample(np.zeros((2, 3)), 1.0, rng)
