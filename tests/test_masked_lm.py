"""course_utils.teaching.masked_lm: WordPiece vocabulary, BERT's 80/10/10 masking, NSP pairs, encoding."""
import numpy as np
import pytest

from course_utils.teaching import masked_lm as M
def test_wordpiece_has_the_special_tokens_first():
    pytest.importorskip("tokenizers")
    texts = ["the movie was wonderful and the actors were wonderful", "a boring movie, boring actors"] * 20
    tok = M.train_wordpiece(texts, vocab_size=60, min_frequency=1)
    assert [tok.id_to_token(i) for i in range(5)] == list(M.SPECIAL_TOKENS)
    enc = tok.encode("wonderful unseenword", add_special_tokens=False)
    assert enc.tokens[0].startswith("w") and any(t.startswith("##") for t in enc.tokens)  # pieces
    with pytest.raises(ValueError, match="vocab_size"):
        M.train_wordpiece(texts, vocab_size=3)


def test_masking_proportions_and_specials_never_chosen():
    rng = np.random.default_rng(0)
    ids = rng.integers(5, 100, (2000, 60))
    ids[:, 0], ids[:, 30], ids[:, 50:] = M.CLS, M.SEP, M.PAD
    inputs, labels, weights, action = M.mask_tokens(ids, rng, vocab_size=100)
    special = np.isin(ids, [M.PAD, M.CLS, M.SEP])
    assert not weights[special].any() and (inputs[special] == ids[special]).all()
    n = (~special).sum()
    chosen = weights.sum()
    assert abs(chosen / n - 0.15) < 4 * np.sqrt(0.15 * 0.85 / n)
    for kind, p in ((M.TO_MASK, 0.8), (M.TO_RANDOM, 0.1), (M.KEPT, 0.1)):
        share = (action == kind).sum() / chosen
        assert abs(share - p) < 4 * np.sqrt(p * (1 - p) / chosen), (kind, share)
    assert (inputs[action == M.TO_MASK] == M.MASK).all()
    assert (inputs[action == M.KEPT] == ids[action == M.KEPT]).all()
    assert (inputs[action == M.TO_RANDOM] >= 5).all()               # random tokens are ordinary ones
    assert (labels[weights > 0] == ids[weights > 0]).all() and (labels[weights == 0] == 0).all()


def test_a_planted_bug_in_the_rates_is_caught():
    rng = np.random.default_rng(1)
    ids = rng.integers(5, 100, (2000, 50))
    _, _, weights, action = M.mask_tokens(ids, rng, vocab_size=100, mask_token_rate=0.7, random_token_rate=0.2)
    share = (action == M.TO_MASK).sum() / weights.sum()
    assert abs(share - 0.8) > 4 * np.sqrt(0.8 * 0.2 / weights.sum())


@pytest.mark.parametrize("knob,value", [("mask_rate", 0.0), ("mask_rate", 1.0), ("mask_rate", -0.1),
                                        ("mask_token_rate", 1.5), ("random_token_rate", -1)])
def test_bad_rates_name_the_knob(knob, value):
    with pytest.raises(ValueError, match=knob):
        M.mask_tokens(np.ones((2, 3), int) * 7, np.random.default_rng(0), vocab_size=10, **{knob: value})


def test_nsp_pairs_are_half_true_and_random_ones_come_from_other_documents():
    docs = [[f"d{i} s{j}" for j in range(6)] for i in range(400)]
    pairs = M.make_nsp_pairs(docs, np.random.default_rng(0))
    assert len(pairs) == 400 * 5
    share = np.mean([p[2] for p in pairs])
    assert abs(share - 0.5) < 4 * np.sqrt(0.25 / len(pairs))
    for a, b, is_next in pairs:
        da, sa = a.split()
        db, sb = b.split()
        if is_next:
            assert da == db and int(sb[1:]) == int(sa[1:]) + 1
        else:
            assert da != db
    with pytest.raises(ValueError, match="at least 2"):
        M.make_nsp_pairs(docs[:1], np.random.default_rng(0))
    with pytest.raises(ValueError, match="p_next"):
        M.make_nsp_pairs(docs, np.random.default_rng(0), p_next=1.0)


def test_encode_pair_and_single():
    ids, seg = M.encode_pair([10, 11, 12, 13], [20, 21], 8)
    assert ids.tolist() == [M.CLS, 10, 11, 12, M.SEP, 20, 21, M.SEP]       # the longer one was cut
    assert seg.tolist() == [0, 0, 0, 0, 0, 1, 1, 1]
    ids, seg = M.encode_pair([10], [20], 7)
    assert ids.tolist() == [M.CLS, 10, M.SEP, 20, M.SEP, M.PAD, M.PAD] and seg.tolist() == [0, 0, 0, 1, 1, 0, 0]
    x, s = M.encode_single([[7, 8, 9, 10], [7]], 4)
    assert x.tolist() == [[M.CLS, 7, 8, M.SEP], [M.CLS, 7, M.SEP, M.PAD]] and not s.any()



def test_encode_single_keeps_head_and_tail_of_a_long_text():
    text = list(range(10, 20))                                   # 10 pieces, 6 fit in max_len 8
    rows = {h: M.encode_single([text, [7, 8]], 8, head=h)[0] for h in (None, 0, 2, 6)}
    assert rows[None][0].tolist() == [M.CLS, 10, 11, 12, 13, 14, 15, M.SEP] == rows[6][0].tolist()
    assert rows[0][0].tolist() == [M.CLS, 14, 15, 16, 17, 18, 19, M.SEP]          # the tail only
    assert rows[2][0].tolist() == [M.CLS, 10, 11, 16, 17, 18, 19, M.SEP]          # 2 from the start, 4 from the end
    for r in rows.values():                                                        # a short text is never cut
        assert r[1].tolist() == [M.CLS, 7, 8, M.SEP, M.PAD, M.PAD, M.PAD, M.PAD]
    for bad in (-1, 7, 2.5):
        with pytest.raises(ValueError, match="head must be an integer from 0 to max_len - 2 = 6"):
            M.encode_single([text], 8, head=bad)

def test_gather_predictions():
    weights = np.array([[0, 1, 0, 1, 1], [0, 0, 0, 0, 0], [1, 0, 0, 0, 0]], "float32")
    labels = np.arange(15).reshape(3, 5) * (weights > 0)
    pos, tgt, w = M.gather_predictions(labels, weights, 2)
    assert pos.tolist() == [[1, 3], [0, 0], [0, 0]] and tgt.tolist() == [[1, 3], [0, 0], [10, 0]]
    assert w.tolist() == [[1, 1], [0, 0], [1, 0]]


def test_split_sentences():
    assert M.split_sentences("Great film. Loved it a lot! Ok. The end was weak?") == [
        "Great film. Loved it a lot!", "Ok. The end was weak?"]


def test_encode_pairs_tokenizes_each_sentence_once_and_keeps_the_labels():
    pytest.importorskip("tokenizers")
    texts = ["the plot was thin .", "the music saved it .", "awful ."] * 10
    tok = M.train_wordpiece(texts, vocab_size=80, min_frequency=1)
    pairs = [("the plot was thin .", "the music saved it .", 1), ("the music saved it .", "awful .", 0)]
    ids, segments, is_next = M.encode_pairs(tok, pairs, 16)
    assert ids.shape == segments.shape == (2, 16) and ids.dtype == segments.dtype == np.int32
    assert is_next.tolist() == [1, 0]
    a = tok.encode("the plot was thin .", add_special_tokens=False).ids
    b = tok.encode("the music saved it .", add_special_tokens=False).ids
    expect_ids, expect_segments = M.encode_pair(a, b, 16)
    np.testing.assert_array_equal(ids[0], expect_ids)
    np.testing.assert_array_equal(segments[0], expect_segments)


def test_pretraining_batch_matches_mask_tokens_and_gather_predictions():
    rng = np.random.default_rng(0)
    ids = rng.integers(5, 50, (64, 12)).astype("int32")
    ids[:, 0], ids[:, -1] = M.CLS, M.SEP
    segments, is_next = np.zeros_like(ids), rng.integers(0, 2, 64)
    x, y, w = M.pretraining_batch(ids, segments, is_next, np.random.default_rng(7), vocab_size=50, max_predictions=4)
    inputs, labels, weights, _ = M.mask_tokens(ids, np.random.default_rng(7), vocab_size=50)
    positions, targets, target_weights = M.gather_predictions(labels, weights, 4)
    np.testing.assert_array_equal(x[0], inputs)
    np.testing.assert_array_equal(x[2], positions)
    np.testing.assert_array_equal(y["mlm"], targets)
    np.testing.assert_array_equal(w["mlm"], target_weights)
    assert y["nsp"].tolist() == is_next.tolist() and w["nsp"].tolist() == [1.0] * 64


def test_held_out_accuracy_of_a_model_that_copies_its_input_is_perfect_on_kept_tokens():
    import keras
    from keras import ops

    class Oracle(keras.Model):   # predicts, at each chosen position, the token it sees there
        def __init__(self, vocab_size, max_predictions):
            ids = keras.Input((None,), dtype="int32")
            seg = keras.Input((None,), dtype="int32")
            pos = keras.Input((None,), dtype="int32")
            seen = ops.take_along_axis(ids, pos, axis=1)
            mlm = ops.one_hot(seen, vocab_size)
            nsp = ops.one_hot(ops.zeros_like(ids[:, 0]), 2)
            super().__init__([ids, seg, pos], {"mlm": mlm, "nsp": nsp})

    rng = np.random.default_rng(1)
    ids = rng.integers(5, 40, (300, 10)).astype("int32")
    data = (ids, np.zeros_like(ids), np.zeros(300, "int32"))
    scores = M.held_out_accuracy(Oracle(40, 4), data, vocab_size=40)
    # right where the token was kept (10%) or replaced by itself at random (~1/40 of 10%), wrong under [MASK]
    assert 0.07 < scores["mlm"] < 0.14 and scores["nsp"] == 1.0
    assert 0 < scores["mlm_most_frequent"] < 0.1


def test_pretraining_dataset_cuts_batches_to_their_longest_row_and_masks_afresh():
    tf = pytest.importorskip("tensorflow")
    rng = np.random.default_rng(3)
    lengths = rng.integers(6, 30, 50)
    ids = np.zeros((50, 32), "int32")
    for i, n in enumerate(lengths):
        ids[i, :n] = rng.integers(5, 40, n)
        ids[i, 0], ids[i, n - 1] = M.CLS, M.SEP
    segments = (ids != 0).astype("int32") * (np.arange(32) > 3)
    is_next = rng.integers(0, 2, 50).astype("int32")
    data = M.pretraining_dataset(ids, segments, is_next, vocab_size=40, max_predictions=8, batch_size=8, seed=1)
    assert int(data.cardinality()) == 7
    passes = [list(data.as_numpy_iterator()) for _ in range(2)]
    for batches in passes:
        assert sum(len(x[0]) for x, _, _ in batches) == 50
        for (x, seg, pos), y, w in batches:
            width = x.shape[1]
            assert (x[:, -1] != 0).any() and width <= 32                     # cut to its longest row, no shorter
            slots = y["mlm"].shape[1]                                          # cut to the most any row uses
            assert pos.max() < width and 1 <= slots <= 8 and w["mlm"].sum(1).max() == slots
            assert np.all((w["mlm"] > 0) <= (y["mlm"] > 0))                    # weights only on real targets
            assert np.all(y["mlm"][w["mlm"] > 0] >= 5)                         # never a special token
    widths = [b[0][0].shape[1] for b in passes[0]]
    assert np.mean(widths) < 32                                                # batching by length spares padding
    masks = [np.concatenate([b[2]["mlm"].ravel() for b in p]).sum() for p in passes]
    order = [np.concatenate([b[1]["mlm"].ravel() for b in p]) for p in passes]
    assert masks[0] > 0 and not np.array_equal(order[0], order[1])             # a new draw each pass
    again = list(M.pretraining_dataset(ids, segments, is_next, vocab_size=40, max_predictions=8, batch_size=8,
                                       seed=1).as_numpy_iterator())
    assert all(np.array_equal(a[0][0], b[0][0]) for a, b in zip(again, passes[0]))
    with pytest.raises(ValueError, match="batch_size"):
        M.pretraining_dataset(ids, segments, is_next, vocab_size=40, max_predictions=8, batch_size=0)


class _CountingTokenizer:
    """Stands in for a WordPiece tokenizer: one piece per word."""

    class _Enc:
        def __init__(self, n):
            self.ids = list(range(n))

    def encode_batch(self, texts, add_special_tokens=False):
        return [self._Enc(len(t.split())) for t in texts]


def test_segment_documents_joins_consecutive_sentences_within_the_budget():
    tok = _CountingTokenizer()
    doc = "one two three. four five six. seven eight nine ten eleven twelve. a b c."
    other = "just one sentence here."
    segments = M.segment_documents(tok, [doc, other], max_pieces=6)
    # 3 + 3 words fit 6; the 6-word sentence starts a segment of its own; the last 3 overflow it
    assert segments == [["one two three. four five six.", "seven eight nine ten eleven twelve.", "a b c."],
                        ["just one sentence here."]]
    # every sentence kept, in order; a budget of 1 makes each sentence a segment (a long one is not cut)
    assert " ".join(segments[0]) == " ".join(M.split_sentences(doc))
    assert M.segment_documents(tok, [doc], max_pieces=1) == [M.split_sentences(doc)]
    assert M.segment_documents(tok, [doc], max_pieces=100) == [[" ".join(M.split_sentences(doc))]]
    assert M.segment_documents(tok, [], max_pieces=5) == []
    for bad in (0, -3, 2.5, True):
        with pytest.raises(ValueError, match="max_pieces"):
            M.segment_documents(tok, [doc], max_pieces=bad)


def test_segment_documents_feed_nsp_pairs_of_segments():
    pytest.importorskip("tokenizers")
    texts = [f"the plot was dull number {i}. the cast was fine. the music was loud. it ends well." for i in range(6)]
    tok = M.train_wordpiece(texts, vocab_size=80, min_frequency=1)
    docs = M.segment_documents(tok, texts, max_pieces=12)
    assert all(len(tok.encode(s, add_special_tokens=False).ids) <= 12 for d in docs for s in d)
    pairs = M.make_nsp_pairs(docs, np.random.default_rng(0))
    assert len(pairs) == sum(len(d) - 1 for d in docs) and all(a in sum(docs, []) for a, _, _ in pairs)
