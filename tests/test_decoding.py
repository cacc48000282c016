"""course_utils.teaching.decoding: greedy and beam search on a model whose probabilities we know."""
import keras
import numpy as np
import pytest

from course_utils.teaching.decoding import beam_search, greedy_decode, keras_next_log_probs

START, END, A, B = 1, 2, 3, 4
V = 5


def toy_lm(rows, prefixes):
    """P(a)=.6, P(b)=.4 first; after a: a .35, b .35, end .3; after b: end .9, a .1; then end."""
    out = np.full((len(rows), V), 1e-12)
    for i, p in enumerate(prefixes):
        p = list(p[1:])
        if not p:
            out[i, [A, B]] = [0.6, 0.4]
        elif p == [A]:
            out[i, [A, B, END]] = [0.35, 0.35, 0.3]
        elif p == [B]:
            out[i, [END, A]] = [0.9, 0.1]
        else:
            out[i, END] = 1.0
    return np.log(out / out.sum(1, keepdims=True))


def test_greedy_takes_the_locally_best_token():
    seqs, lp = greedy_decode(toy_lm, 2, START, END, max_len=10)
    assert seqs == [[A, A], [A, A]]
    assert np.allclose(lp, np.log(0.6 * 0.35 * 1.0))


def test_beam_finds_the_more_probable_sequence_greedy_misses():
    seqs, lp = beam_search(toy_lm, 1, START, END, max_len=10, beam_width=3)
    assert seqs == [[B]]
    assert np.allclose(lp, np.log(0.4 * 0.9))
    assert lp[0] > greedy_decode(toy_lm, 1, START, END, max_len=10)[1][0]


def test_beam_width_one_is_greedy():
    g, glp = greedy_decode(toy_lm, 1, START, END, max_len=10)
    b, blp = beam_search(toy_lm, 1, START, END, max_len=10, beam_width=1)
    assert g == b and np.allclose(glp, blp)


def test_max_len_stops_unfinished_sequences():
    seqs, _ = greedy_decode(toy_lm, 1, START, END, max_len=1)
    assert seqs == [[A]]
    seqs, _ = beam_search(toy_lm, 1, START, END, max_len=1, beam_width=2)
    assert seqs in ([[A]], [[B]])


@pytest.mark.parametrize("knob,kwargs", [
    ("beam_width", dict(beam_width=0)),
    ("max_len", dict(max_len=-1)),
    ("length_penalty", dict(length_penalty=-0.5)),
])
def test_bad_knobs_name_themselves(knob, kwargs):
    args = dict(max_len=5, beam_width=2)
    args.update(kwargs)
    with pytest.raises(ValueError, match=knob):
        beam_search(toy_lm, 1, START, END, **args)


def test_keras_callback_reads_the_last_position():
    src = keras.Input((None,), dtype="int32")
    dec = keras.Input((None,), dtype="int32")
    x = keras.layers.Embedding(V, 4)(dec)
    probs = keras.layers.Dense(V, activation="softmax")(x)
    model = keras.Model([src, dec], probs)
    x_source = np.zeros((3, 2), dtype="int32")
    f = keras_next_log_probs(model, x_source, batch_size=2)
    prefixes = np.array([[START, A], [START, B], [START, A]])
    lp = f(np.array([0, 1, 2]), prefixes)
    expected = np.log(np.asarray(model([x_source, prefixes]))[:, -1, :])
    assert lp.shape == (3, V) and np.allclose(lp, expected, atol=1e-6)
    seqs, _ = greedy_decode(f, 3, START, END, max_len=4)
    assert len(seqs) == 3 and all(len(s) <= 4 for s in seqs)


def _toy_keras_model():
    src = keras.Input((None,), dtype="int32")
    dec = keras.Input((None,), dtype="int32")
    x = keras.layers.GRU(4, return_sequences=True)(keras.layers.Embedding(V, 4)(dec))
    return keras.Model([src, dec], keras.layers.Dense(V, activation="softmax")(x))


def test_keras_callback_traces_the_plain_model_once():
    """Any batch size and prefix length, and every callback made from the same model, reuse one graph."""
    from course_utils.teaching import decoding
    model = _toy_keras_model()
    x_source = np.zeros((5, 3), dtype="int32")
    f = keras_next_log_probs(model, x_source)
    g = keras_next_log_probs(model, x_source[:2], batch_size=1)
    for n, length in ((5, 1), (3, 4), (1, 7)):
        prefixes = np.full((n, length), START, dtype=np.int64)  # the searches pass int64 prefixes
        expected = np.log(np.asarray(model([x_source[:n], prefixes.astype("int32")]))[:, -1, :])
        assert np.allclose(f(np.arange(n), prefixes), expected, atol=1e-5)
    assert np.allclose(g(np.arange(2), prefixes[:1].repeat(2, 0)), f(np.arange(2), prefixes[:1].repeat(2, 0)), atol=1e-6)
    assert decoding._GRAPHS[model].traced.experimental_get_tracing_count() == 1


def test_keras_callback_accepts_any_callable_and_checks_batch_size():
    calls = []

    def fake_model(inputs, training=False):
        src, dec = inputs
        calls.append(training)
        return np.full((len(src), dec.shape[1], V), 1.0 / V)

    f = keras_next_log_probs(fake_model, np.zeros((2, 3), dtype="int32"))
    assert np.allclose(f(np.array([0, 1]), np.full((2, 2), START)), np.log(1.0 / V)) and calls == [False]
    with pytest.raises(ValueError, match="batch_size"):
        keras_next_log_probs(fake_model, np.zeros((2, 3)), batch_size=0)


def test_teacher_forced_probs_share_the_decoding_graph():
    """All positions in one pass, equal to the eager model, through the graph decoding traced."""
    from course_utils.teaching import decoding
    model = _toy_keras_model()
    x_source = np.zeros((5, 3), dtype="int32")
    dec_in = np.array([[START, A, B, A]] * 5)
    f = keras_next_log_probs(model, x_source)
    f(np.arange(5), dec_in[:, :2])
    probs = decoding.teacher_forced_probs(model, x_source, dec_in, batch_size=2)
    assert probs.shape == (5, 4, V)
    assert np.allclose(probs, np.asarray(model([x_source, dec_in.astype("int32")])), atol=1e-5)
    assert decoding._GRAPHS[model].traced.experimental_get_tracing_count() == 1
    with pytest.raises(ValueError, match="rows"):
        decoding.teacher_forced_probs(model, x_source, dec_in[:3])
    with pytest.raises(ValueError, match="batch_size"):
        decoding.teacher_forced_probs(model, x_source, dec_in, batch_size=0)
