"""Unit tests for course_utils.teaching.seq2seq: shapes, masking, attention weights, argument checks."""
import numpy as np
import pytest

keras = pytest.importorskip("keras")

from course_utils.teaching import seq2seq  # noqa: E402

from course_utils.teaching import decoding
SRC_V, TGT_V = 9, 7


def _batch():
    src = np.array([[4, 5, 6, 0, 0], [7, 8, 4, 5, 6]], dtype="int32")
    dec = np.array([[1, 4, 5, 0], [1, 6, 4, 5]], dtype="int32")
    return src, dec


@pytest.mark.parametrize("attention", [None, "dot", "additive"])
def test_output_is_a_next_token_distribution(attention):
    keras.utils.set_random_seed(0)
    model = seq2seq.build_rnn_seq2seq(SRC_V, TGT_V, 4, 6, attention=attention)
    assert [t.name for t in model.inputs] == ["source_ids", "decoder_input_ids"]
    probs = np.asarray(model.predict(list(_batch()), verbose=0))
    assert probs.shape == (2, 4, TGT_V)
    assert np.allclose(probs.sum(-1), 1, atol=1e-5)


@pytest.mark.parametrize("attention", [None, "dot", "additive"])
def test_source_padding_is_masked(attention):
    """Appending more PAD to the source changes nothing."""
    keras.utils.set_random_seed(0)
    model = seq2seq.build_rnn_seq2seq(SRC_V, TGT_V, 4, 6, attention=attention)
    src, dec = _batch()
    longer = np.concatenate([src, np.zeros((2, 3), "int32")], axis=1)
    a = np.asarray(model.predict([src, dec], verbose=0))
    b = np.asarray(model.predict([longer, dec], verbose=0))
    assert np.abs(a - b).max() < 1e-5


def test_decoder_is_causal():
    """The prediction at position t does not depend on decoder inputs after t (teacher forcing is safe)."""
    keras.utils.set_random_seed(0)
    model = seq2seq.build_rnn_seq2seq(SRC_V, TGT_V, 4, 6, attention="dot")
    src, dec = _batch()
    changed = dec.copy()
    changed[:, 2:] = 3
    a, b = (np.asarray(model.predict([src, d], verbose=0)) for d in (dec, changed))
    assert np.abs(a[:, :2] - b[:, :2]).max() < 1e-6 and np.abs(a[1, 2:] - b[1, 2:]).max() > 1e-6


def test_bottleneck_decoder_reads_the_context_at_every_step():
    """Without attention the decoder's input is [y_{t-1}; c]: its kernel has embed_dim + units rows."""
    keras.utils.set_random_seed(0)
    plain = seq2seq.build_rnn_seq2seq(SRC_V, TGT_V, 4, 6)
    dot = seq2seq.build_rnn_seq2seq(SRC_V, TGT_V, 4, 6, attention="dot")
    assert plain.get_layer("decoder").get_weights()[0].shape == (4 + 6, 3 * 6)
    assert dot.get_layer("decoder").get_weights()[0].shape == (4, 3 * 6)


def test_attention_weights_model_gives_masked_distributions():
    keras.utils.set_random_seed(0)
    model = seq2seq.build_rnn_seq2seq(SRC_V, TGT_V, 4, 6, attention="additive")
    weights = np.asarray(seq2seq.attention_weights_model(model).predict(list(_batch()), verbose=0))
    assert weights.shape == (2, 4, 5)
    assert np.allclose(weights.sum(-1), 1, atol=1e-5)
    assert np.abs(weights[0, :, 3:]).max() < 1e-6  # padded source positions get no weight
    with pytest.raises(ValueError, match="no attention layer"):
        seq2seq.attention_weights_model(seq2seq.build_rnn_seq2seq(SRC_V, TGT_V, 4, 6))


def test_decodes_with_course_decoding():
    """The plain model decodes through one traced graph, with the eager model's probabilities."""
    keras.utils.set_random_seed(0)
    model = seq2seq.build_rnn_seq2seq(SRC_V, TGT_V, 4, 6, attention="dot")
    src, _ = _batch()
    fn = decoding.keras_next_log_probs(model, src)
    seqs, lp = decoding.greedy_decode(fn, 2, start_id=1, end_id=2, max_len=5)
    beam, blp = decoding.beam_search(fn, 2, start_id=1, end_id=2, max_len=5, beam_width=3)
    assert len(seqs) == len(beam) == 2 and np.all(lp <= 0) and np.all(blp >= lp - 1e-9)
    dec = np.array([[1, 4], [1, 5]], dtype="int32")
    eager = np.log(np.asarray(model([src, dec], training=False))[:, -1, :])
    assert np.abs(fn(np.arange(2), dec) - eager).max() < 1e-5
    assert not hasattr(seq2seq, "graph_model")  # one home for decoding: course_utils.teaching.decoding


@pytest.mark.parametrize("kwargs, name", [
    (dict(attention="luong"), "attention"), (dict(attention="Dot"), "attention"),
    (dict(units=0), "units"), (dict(embed_dim=-1), "embed_dim")])
def test_bad_arguments_name_the_knob(kwargs, name):
    args = dict(src_vocab_size=SRC_V, tgt_vocab_size=TGT_V, embed_dim=4, units=6) | kwargs
    with pytest.raises(ValueError, match=name):
        seq2seq.build_rnn_seq2seq(**args)


@pytest.mark.parametrize("knobs, message", [
    (dict(beam_width=0), "beam_width must be a positive integer"),
    (dict(max_len=-3), "max_len must be a positive integer"),
    (dict(attention="luong"), "attention must be one of 'dot', 'additive'; got 'luong'"),
    (dict(translation_lr=0), "translation_lr"),
    (dict(translation_vocab=4), "translation_vocab must be an integer >= 5"),
    (dict(translation_units=0), "translation_units must be a positive integer")])
def test_setup_rules_name_the_bad_knob(knobs, message):
    import course_utils
    with pytest.raises(ValueError, match=message):
        course_utils.setup("smoke", knobs=knobs, rules=seq2seq.KNOB_RULES, quiet=True)


@pytest.mark.parametrize("attention", [None, "dot", "additive"])
def test_step_by_step_decoding_gives_the_rerun_probabilities(attention):
    """rnn_next_log_probs (encode once, one GRU step per call) == re-running the model on the prefix,
    for greedy and beam search, for prefixes it has not seen, and for a PAD token in a prefix."""
    keras.utils.set_random_seed(0)
    model = seq2seq.build_rnn_seq2seq(SRC_V, TGT_V, 4, 6, attention=attention)
    src = np.array([[4, 5, 6, 0, 0], [7, 8, 4, 5, 6], [5, 5, 0, 0, 0]], dtype="int32")
    rerun, stepped = decoding.keras_next_log_probs(model, src), seq2seq.rnn_next_log_probs(model, src, batch_size=2)
    g1, lp1 = decoding.greedy_decode(rerun, 3, start_id=1, end_id=2, max_len=6)
    g2, lp2 = decoding.greedy_decode(stepped, 3, start_id=1, end_id=2, max_len=6)
    assert g1 == g2 and np.abs(lp1 - lp2).max() < 1e-5
    b1, blp1 = decoding.beam_search(rerun, 3, start_id=1, end_id=2, max_len=6, beam_width=3)
    b2, blp2 = decoding.beam_search(seq2seq.rnn_next_log_probs(model, src), 3, start_id=1, end_id=2, max_len=6,
                                    beam_width=3)
    assert b1 == b2 and np.abs(blp1 - blp2).max() < 1e-5
    prefixes = np.array([[1, 4, 0, 5], [1, 6, 6, 3], [1, 3, 4, 4]])   # fresh prefixes, one with a PAD inside
    rows = np.array([2, 0, 1])
    assert np.abs(seq2seq.rnn_next_log_probs(model, src)(rows, prefixes) - rerun(rows, prefixes)).max() < 1e-5


def test_step_by_step_decoding_checks_its_arguments():
    model = seq2seq.build_rnn_seq2seq(SRC_V, TGT_V, 4, 6)
    with pytest.raises(ValueError, match="batch_size"):
        seq2seq.rnn_next_log_probs(model, np.ones((2, 3), "int32"), batch_size=0)
    with pytest.raises(ValueError, match="not one of build_rnn_seq2seq"):
        seq2seq.rnn_next_log_probs(keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)]), np.ones((2, 3)))


def _pairs(n=70, seed=0):
    rng = np.random.default_rng(seed)
    src_len, tgt_len = rng.integers(1, 12, n), rng.integers(1, 6, n)
    x = np.zeros((n, 12), "int32")
    dec_out = np.zeros((n, 7), "int32")
    for i in range(n):
        x[i, :src_len[i]] = rng.integers(4, SRC_V, src_len[i])
        dec_out[i, :tgt_len[i]] = rng.integers(3, TGT_V, tgt_len[i])
        dec_out[i, tgt_len[i]] = 2
    dec_in = np.concatenate([np.ones((n, 1), "int32"), dec_out[:, :-1] * (dec_out[:, :-1] != 2)], axis=1)
    return x, dec_in, dec_out


@pytest.mark.parametrize("by_length", [True, False])
def test_length_batches_cover_every_pair_once_per_epoch(by_length):
    x, dec_in, dec_out = _pairs()
    data = seq2seq.length_batches(x, dec_in, dec_out, 16, seed=3, by_length=by_length)
    assert int(data.cardinality()) == 5
    for _ in range(2):  # two epochs: each pair once, each batch cut to its longest source and target
        seen = []
        for (src, dec), target, weight in data.as_numpy_iterator():
            src_len = (src != 0).sum(1)
            assert src.shape[1] == src_len.max() and target.shape[1] == (target != 0).sum(1).max()
            assert dec.shape == target.shape == weight.shape and np.array_equal(weight, target != 0)
            seen += [tuple(s[s != 0]) for s in src]
        assert sorted(seen) == sorted(tuple(s[s != 0]) for s in x)
    spec = data.element_spec[0][0]
    assert spec.shape.as_list() == [None, None]  # shapes left free: Keras traces one training step


def test_length_batches_group_by_length_and_repeat_with_the_seed():
    x, dec_in, dec_out = _pairs(200)
    spread = lambda d: np.mean([np.ptp((s != 0).sum(1)) for (s, _), _, _ in d.as_numpy_iterator()])
    by_length = seq2seq.length_batches(x, dec_in, dec_out, 20, seed=1)
    at_random = seq2seq.length_batches(x, dec_in, dec_out, 20, seed=1, by_length=False)
    assert spread(by_length) <= 4 < spread(at_random)   # noise 4: lengths in a batch differ by < 4 + 1
    sources = lambda d: [b[0][0] for b in d.as_numpy_iterator()]
    one, two = (seq2seq.length_batches(x, dec_in, dec_out, 20, seed=1) for _ in range(2))
    first_epoch = sources(one)
    assert all(np.array_equal(a, b) for a, b in zip(first_epoch, sources(two)))  # same seed: same batches
    assert not all(np.array_equal(a, b) for a, b in zip(first_epoch, sources(one)))  # a new order each epoch


@pytest.mark.parametrize("kwargs, name", [(dict(batch_size=0), "batch_size"), (dict(noise=-1), "noise")])
def test_length_batches_name_a_bad_argument(kwargs, name):
    x, dec_in, dec_out = _pairs()
    with pytest.raises(ValueError, match=name):
        seq2seq.length_batches(x, dec_in, dec_out, **(dict(batch_size=8) | kwargs))
    with pytest.raises(ValueError, match="one row per pair"):
        seq2seq.length_batches(x[:-1], dec_in, dec_out, 8)
