"""Unit tests for course_utils.seq2seq: shapes, masking, attention weights, argument checks."""
import numpy as np
import pytest

keras = pytest.importorskip("keras")

from course_utils import decoding, seq2seq  # noqa: E402

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
    assert not hasattr(seq2seq, "graph_model")  # one home for decoding: course_utils.decoding


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
    (dict(translation_lr=0), "translation_lr")])
def test_setup_rules_name_the_bad_knob(knobs, message):
    import course_utils
    with pytest.raises(ValueError, match=message):
        course_utils.setup("smoke", knobs=knobs, rules=seq2seq.KNOB_RULES, quiet=True)
