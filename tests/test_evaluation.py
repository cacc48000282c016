"""Unit tests for course_utils.teaching.evaluation: tiny hand-made embeddings with known answers."""
import math

import numpy as np
import pytest

from course_utils.teaching import evaluation as ev
# Four words on a circle: cat and dog close, car and bus close, the two groups orthogonal.
WORDS = ["cat", "dog", "car", "bus"]
VECS = np.array([[1.0, 0.1], [1.0, 0.2], [0.1, 1.0], [0.0, 1.0]])


# --------------------------------------------------------------------------- normalize
def test_normalize_unit_rows_and_zero_rows_stay_zero():
    out = ev.normalize(np.array([[3.0, 4.0], [0.0, 0.0]]))
    assert np.allclose(out, [[0.6, 0.8], [0.0, 0.0]])
    assert out.dtype == np.float32


# --------------------------------------------------------------------------- similarity
def test_word_similarity_perfect_ranking_and_counts():
    # human scores in the same order as the cosines -> rho = 1
    pairs = [("cat", "dog", 9.0), ("car", "bus", 8.5), ("cat", "car", 1.0), ("dog", "bus", 0.5)]
    result = ev.word_similarity(WORDS, VECS, pairs)
    assert result.rho == pytest.approx(1.0)
    assert (result.n_pairs, result.n_skipped) == (4, 0)
    assert result.coverage == 1.0
    assert "rho=1.000" in str(result)


def test_word_similarity_reversed_ranking_is_minus_one():
    pairs = [("cat", "dog", 0.0), ("car", "bus", 1.0), ("cat", "car", 8.0), ("dog", "bus", 9.0)]
    assert ev.word_similarity(WORDS, VECS, pairs).rho == pytest.approx(-1.0)


def test_word_similarity_skips_and_counts_oov_pairs():
    pairs = [("cat", "dog", 9.0), ("car", "bus", 8.5), ("cat", "car", 1.0),
             ("cat", "unicorn", 5.0), ("zebra", "dog", 3.0)]
    result = ev.word_similarity(WORDS, VECS, pairs)
    assert (result.n_pairs, result.n_skipped) == (3, 2)
    assert result.coverage == pytest.approx(3 / 5)
    assert result.rho == pytest.approx(1.0)


def test_word_similarity_no_overlap_raises_clear_error():
    with pytest.raises(ValueError, match=r"only 0 of 2 pairs have both words in the vocabulary"):
        ev.word_similarity(WORDS, VECS, [("unicorn", "zebra", 1.0), ("cat", "yeti", 2.0)])


def test_word_similarity_too_few_pairs_raises():
    with pytest.raises(ValueError, match="at least 3"):
        ev.word_similarity(WORDS, VECS, [("cat", "dog", 1.0), ("car", "bus", 2.0)])


def test_word_similarity_lowercase_option():
    pairs = [("Cat", "DOG", 9.0), ("car", "Bus", 8.5), ("cat", "car", 1.0)]
    with pytest.raises(ValueError, match="only 1 of 3"):
        ev.word_similarity(WORDS, VECS, pairs)  # "Cat", "DOG", "Bus" are not in the vocabulary
    assert ev.word_similarity(WORDS, VECS, pairs, lowercase=True).n_pairs == 3


def test_word_similarity_matches_scipy_on_random_vectors():
    from scipy.stats import spearmanr

    rng = np.random.default_rng(0)
    words = [f"w{i}" for i in range(30)]
    E = rng.normal(size=(30, 5))
    pairs = [(f"w{i}", f"w{j}", float(rng.random())) for i, j in rng.integers(0, 30, (40, 2)) if i != j]
    unit = E / np.linalg.norm(E, axis=1, keepdims=True)
    cos = [unit[int(a[1:])] @ unit[int(b[1:])] for a, b, _ in pairs]
    expected = spearmanr(cos, [s for *_, s in pairs])
    result = ev.word_similarity(words, E, pairs)
    assert result.rho == pytest.approx(expected.statistic, abs=1e-6)
    assert result.pvalue == pytest.approx(expected.pvalue, rel=1e-4)


def test_word_similarity_matches_gensim_evaluator(tmp_path):
    from gensim.models import KeyedVectors

    rng = np.random.default_rng(1)
    words = [f"w{i}" for i in range(25)]
    E = rng.normal(size=(25, 6)).astype(np.float32)
    kv = KeyedVectors(6)
    kv.add_vectors(words, E)
    pairs = [(f"w{i}", f"w{j}", float(rng.integers(0, 10))) for i, j in rng.integers(0, 25, (30, 2)) if i != j]
    pairs.append(("w1", "absent", 3.0))
    path = tmp_path / "pairs.tsv"
    path.write_text("".join(f"{a}\t{b}\t{s}\n" for a, b, s in pairs))
    gensim_rho = kv.evaluate_word_pairs(str(path))[1].statistic
    assert ev.word_similarity(words, E, pairs).rho == pytest.approx(gensim_rho, abs=1e-6)


def test_mismatched_words_and_vectors_raise():
    with pytest.raises(ValueError, match="3 words but 4 rows"):
        ev.word_similarity(WORDS[:3], VECS, [("cat", "dog", 1.0)])
    with pytest.raises(ValueError, match="2-D"):
        ev.nearest_neighbors(WORDS, np.ones(4), "cat")


# --------------------------------------------------------------------------- analogies
# An exact "gender" offset: man->woman = king->queen = boy->girl; "apple" is a distractor.
A_WORDS = ["man", "woman", "king", "queen", "boy", "girl", "apple"]
A_VECS = np.array([
    [1.0, 0.0, 0.0],   # man
    [1.0, 1.0, 0.0],   # woman
    [1.0, 0.0, 1.0],   # king
    [1.0, 1.0, 1.0],   # queen
    [2.0, 0.0, 0.2],   # boy
    [2.0, 1.0, 0.2],   # girl
    [0.0, 0.0, -1.0],  # apple
])

ANALOGY_FILE = """\
: gender
man woman king queen
king queen man woman
man woman boy girl
: broken
man king woman apple
man woman king unicorn
"""


def test_read_analogies_parses_sections(tmp_path):
    path = tmp_path / "q.txt"
    path.write_text(ANALOGY_FILE)
    questions = ev.read_analogies(path)
    assert questions[0] == ("gender", "man", "woman", "king", "queen")
    assert [q[0] for q in questions] == ["gender"] * 3 + ["broken"] * 2
    assert ev.read_analogies(ANALOGY_FILE.splitlines()) == questions


def test_read_analogies_lowercases_and_rejects_bad_lines():
    assert ev.read_analogies([": s", "Paris France Rome Italy"]) == [("s", "paris", "france", "rome", "italy")]
    with pytest.raises(ValueError, match="expected 4"):
        ev.read_analogies([": s", "a b c"])
    with pytest.raises(ValueError, match="before any ': section' header"):
        ev.read_analogies(["a b c d"])


def test_solve_analogy_king_man_woman():
    answer = ev.solve_analogy(A_WORDS, A_VECS, "man", "king", "woman", topn=2)
    assert answer[0][0] == "queen"
    assert answer[0][1] > 0.95 > answer[1][1]   # cosine of the answer with king - man + woman (unit vectors)
    assert all(w not in ("man", "king", "woman") for w, _ in answer)


def test_solve_analogy_excludes_question_words():
    # b - a + c = king exactly here, but king is a question word and must not be returned
    vecs = np.array([[0.0, 1.0], [0.0, 1.0], [1.0, 0.0], [0.9, 0.1]])
    answer = ev.solve_analogy(["a", "b", "c", "d"], vecs, "a", "b", "c", topn=1)
    assert answer[0][0] == "d"


def test_solve_analogy_oov_raises_keyerror_naming_words():
    with pytest.raises(KeyError, match="unicorn"):
        ev.solve_analogy(A_WORDS, A_VECS, "man", "unicorn", "woman")


def test_analogy_accuracy_by_section_and_overall():
    questions = ev.read_analogies(ANALOGY_FILE.splitlines())
    result = ev.analogy_accuracy(A_WORDS, A_VECS, questions, batch_size=2)
    assert result.sections["gender"] == (3, 3)
    # "man king woman apple": apple is in vocabulary but the answer is queen -> wrong
    assert result.sections["broken"] == (0, 1)
    assert (result.correct, result.total, result.skipped) == (3, 4, 1)
    assert result.accuracy == pytest.approx(0.75)
    assert result.section_accuracy("gender") == 1.0
    assert "3/4 answered, 1 skipped" in str(result)


def test_analogy_accuracy_batch_size_does_not_change_answers():
    rng = np.random.default_rng(3)
    words = [f"w{i}" for i in range(40)]
    E = rng.normal(size=(40, 4))
    qs = [("s", *(f"w{i}" for i in rng.choice(40, 4, replace=False))) for _ in range(50)]
    a = ev.analogy_accuracy(words, E, qs, batch_size=1)
    b = ev.analogy_accuracy(words, E, qs, batch_size=1000)
    assert (a.correct, a.total) == (b.correct, b.total)


def test_analogy_accuracy_nothing_in_vocabulary_is_zero_not_error():
    result = ev.analogy_accuracy(A_WORDS, A_VECS, [("s", "x", "y", "z", "w")])
    assert (result.correct, result.total, result.skipped, result.accuracy) == (0, 0, 1, 0.0)


def test_analogy_accuracy_matches_gensim(tmp_path):
    from gensim.models import KeyedVectors

    rng = np.random.default_rng(4)
    words = [f"w{i}" for i in range(60)]
    E = rng.normal(size=(60, 3)).astype(np.float32)
    # plant an offset so that some answers are right
    E[1] = E[0] + E[2] - E[3] + 0.01
    kv = KeyedVectors(3)
    kv.add_vectors(words, E)
    lines = [": planted", "w3 w2 w0 w1"] + [": random"] + [
        " ".join(f"w{i}" for i in rng.choice(60, 4, replace=False)) for _ in range(80)]
    path = tmp_path / "q.txt"
    path.write_text("\n".join(lines) + "\n")
    gensim_score, _ = kv.evaluate_word_analogies(str(path))
    ours = ev.analogy_accuracy(words, E, ev.read_analogies(path))
    assert ours.sections["planted"] == (1, 1)
    assert ours.accuracy == pytest.approx(gensim_score)


# --------------------------------------------------------------------------- neighbours
def test_nearest_neighbors_order_and_exclusion():
    result = ev.nearest_neighbors(WORDS, VECS, "cat", k=3)
    assert [w for w, _ in result] == ["dog", "car", "bus"]
    assert result[0][1] > result[1][1] > result[2][1]
    with_query = ev.nearest_neighbors(WORDS, VECS, "cat", k=1, exclude_query=False)
    assert with_query[0][0] == "cat" and with_query[0][1] == pytest.approx(1.0)


def test_nearest_neighbors_k_larger_than_vocabulary_and_oov():
    assert len(ev.nearest_neighbors(WORDS, VECS, "cat", k=10)) == 3
    with pytest.raises(KeyError, match="unicorn"):
        ev.nearest_neighbors(WORDS, VECS, "unicorn")


# --------------------------------------------------------------------------- perplexity
def test_perplexity_of_uniform_model_is_vocabulary_size():
    assert ev.perplexity(math.log(50)) == pytest.approx(50.0)
    assert ev.perplexity(0.0) == 1.0
    assert ev.perplexity(np.float32(1.0)) == pytest.approx(math.e, rel=1e-6)


@pytest.mark.parametrize("bad", [-0.1, float("nan"), float("inf")])
def test_perplexity_rejects_bad_input(bad):
    with pytest.raises(ValueError, match="mean_nats"):
        ev.perplexity(bad)


# --------------------------------------------------------------------------- BLEU
BLEU_HYP = ["the cat sat on the mat.", "a dog runs in the park", "I like green eggs and ham!",
            "Where is the train station?", "It's 3.5 km, not 4,000 m-long."]
BLEU_REF = ["the cat is on the mat.", "a dog is running in the park", "I do not like green eggs and ham!",
            "Where's the station?", "It is 3.5 km, not 4,000 m long."]


def test_bleu_tokenizer_matches_sacrebleu_13a():
    from sacrebleu.tokenizers.tokenizer_13a import Tokenizer13a
    tok = Tokenizer13a()
    for s in BLEU_HYP + BLEU_REF + ['He said "no" &amp; left (ok); 1,000.5-2 a/b.']:
        assert ev.bleu_tokenize(s) == tok(s).split(), s


def test_corpus_bleu_matches_sacrebleu():
    import sacrebleu
    ours = ev.corpus_bleu(BLEU_HYP, BLEU_REF)
    ref = sacrebleu.corpus_bleu(BLEU_HYP, [BLEU_REF])
    assert ours.score == pytest.approx(ref.score, abs=1e-9)
    assert ours.precisions == pytest.approx(tuple(ref.precisions), abs=1e-9)
    assert ours.brevity_penalty == pytest.approx(ref.bp) and (ours.hyp_len, ours.ref_len) == (ref.sys_len, ref.ref_len)
    short = ["the cat", "a dog"]
    assert ev.corpus_bleu(short, BLEU_REF[:2]).score == pytest.approx(
        sacrebleu.corpus_bleu(short, [BLEU_REF[:2]]).score, abs=1e-9)


def test_corpus_bleu_perfect_zero_and_clipping():
    assert ev.corpus_bleu(BLEU_REF, BLEU_REF).score == pytest.approx(100.0)
    assert ev.corpus_bleu(["xyz qqq"], ["the cat sat on the mat"]).score == 0.0
    # "the the the ..." gets credit for "the" only as often as the reference has it
    clipped = ev.corpus_bleu(["the the the the"], ["the cat the mat"], max_n=1)
    assert clipped.precisions[0] == pytest.approx(50.0)
    assert "BLEU =" in str(clipped)


def test_corpus_bleu_bad_input():
    with pytest.raises(ValueError, match="2 hypotheses for 1 references"):
        ev.corpus_bleu(["a", "b"], ["a"])
    with pytest.raises(ValueError, match="at least one"):
        ev.corpus_bleu([], [])
    with pytest.raises(ValueError, match="max_n"):
        ev.corpus_bleu(["a"], ["a"], max_n=0)
