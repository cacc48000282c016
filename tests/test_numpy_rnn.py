"""course_utils.teaching.numpy_rnn reproduces keras.layers.SimpleRNN / LSTM / GRU (max abs diff < 1e-5)."""
import numpy as np
import pytest

keras = pytest.importorskip("keras")

from course_utils.teaching import numpy_rnn as reference  # noqa: E402
TOL = 1e-5
SHAPES = [(1, 1, 3, 2), (4, 7, 5, 3), (8, 20, 6, 5)]  # batch, time, features, units


def _randomize(layer, rng, scale=0.6):
    """Replace the layer's (small, partly zero) initial weights by random ones of a fixed scale,
    so that gates, biases and the reset convention all matter."""
    layer.set_weights([rng.normal(0.0, scale, w.shape).astype("float32") for w in layer.get_weights()])
    return [w.astype(np.float64) for w in layer.get_weights()]


def _inputs(rng, batch, time, features):
    return rng.normal(0.0, 1.0, (batch, time, features)).astype("float32")


def _max_diff(a, b):
    return float(np.max(np.abs(np.asarray(a, dtype=np.float64) - np.asarray(b, dtype=np.float64))))


@pytest.mark.parametrize("return_sequences", [True, False])
@pytest.mark.parametrize("shape", SHAPES)
def test_simple_rnn_matches_keras(shape, return_sequences):
    batch, time, features, units = shape
    rng = np.random.default_rng(sum(shape))
    layer = keras.layers.SimpleRNN(units, return_sequences=return_sequences, return_state=True)
    x = _inputs(rng, batch, time, features)
    layer(x)  # build
    weights = _randomize(layer, rng)
    out_k, h_k = layer(x)
    out, h = reference.simple_rnn_forward(x, weights, return_sequences=return_sequences)
    assert out.shape == tuple(out_k.shape)
    assert _max_diff(out, out_k) < TOL
    assert _max_diff(h, h_k) < TOL


def test_simple_rnn_initial_state_and_relu():
    rng = np.random.default_rng(1)
    layer = keras.layers.SimpleRNN(4, activation="relu", return_sequences=True)
    x, h0 = _inputs(rng, 3, 6, 2), rng.normal(size=(3, 4)).astype("float32")
    layer(x)
    weights = _randomize(layer, rng, scale=0.4)
    out_k = layer(x, initial_state=h0)
    out, _ = reference.simple_rnn_forward(x, weights, initial_state=h0,
                                          activation=lambda a: np.maximum(a, 0.0))
    assert _max_diff(out, out_k) < TOL


def test_simple_rnn_step_is_the_lecture_equation():
    rng = np.random.default_rng(2)
    kernel, rec, b = rng.normal(size=(3, 2)), rng.normal(size=(2, 2)), rng.normal(size=2)
    x_t, h_prev = rng.normal(size=3), rng.normal(size=2)
    U, W = kernel.T, rec.T  # column-vector notation: a = b + W h + U x
    expected = np.tanh(b + W @ h_prev + U @ x_t)
    assert np.allclose(reference.simple_rnn_step(x_t, h_prev, [kernel, rec, b]), expected)


@pytest.mark.parametrize("return_sequences", [True, False])
@pytest.mark.parametrize("shape", SHAPES)
def test_lstm_matches_keras(shape, return_sequences):
    batch, time, features, units = shape
    rng = np.random.default_rng(10 + sum(shape))
    layer = keras.layers.LSTM(units, return_sequences=return_sequences, return_state=True)
    x = _inputs(rng, batch, time, features)
    layer(x)
    weights = _randomize(layer, rng)
    out_k, h_k, c_k = layer(x)
    out, h, c = reference.lstm_forward(x, weights, return_sequences=return_sequences)
    assert out.shape == tuple(out_k.shape)
    assert _max_diff(out, out_k) < TOL
    assert _max_diff(h, h_k) < TOL
    assert _max_diff(c, c_k) < TOL


def test_lstm_initial_state():
    rng = np.random.default_rng(3)
    layer = keras.layers.LSTM(5, return_sequences=True, return_state=True)
    x = _inputs(rng, 2, 4, 3)
    h0, c0 = (rng.normal(size=(2, 5)).astype("float32") for _ in range(2))
    layer(x)
    weights = _randomize(layer, rng)
    out_k, h_k, c_k = layer(x, initial_state=[h0, c0])
    out, h, c = reference.lstm_forward(x, weights, initial_state=[h0, c0])
    assert max(_max_diff(out, out_k), _max_diff(h, h_k), _max_diff(c, c_k)) < TOL


@pytest.mark.parametrize("reset_after", [True, False])
@pytest.mark.parametrize("return_sequences", [True, False])
@pytest.mark.parametrize("shape", SHAPES)
def test_gru_matches_keras(shape, return_sequences, reset_after):
    batch, time, features, units = shape
    rng = np.random.default_rng(20 + sum(shape))
    layer = keras.layers.GRU(units, return_sequences=return_sequences, return_state=True,
                             reset_after=reset_after)
    x = _inputs(rng, batch, time, features)
    layer(x)
    weights = _randomize(layer, rng)
    assert weights[2].shape == ((2, 3 * units) if reset_after else (3 * units,))
    out_k, h_k = layer(x)
    out, h = reference.gru_forward(x, weights, return_sequences=return_sequences,
                                   reset_after=reset_after)
    assert out.shape == tuple(out_k.shape)
    assert _max_diff(out, out_k) < TOL
    assert _max_diff(h, h_k) < TOL


def test_gru_reset_conventions_differ():
    """The two conventions are different functions: using the wrong one is caught."""
    rng = np.random.default_rng(4)
    layer = keras.layers.GRU(4, return_sequences=True, reset_after=False)
    x = _inputs(rng, 3, 5, 2)
    layer(x)
    k, rk, b = _randomize(layer, rng)
    right, _ = reference.gru_forward(x, [k, rk, b], reset_after=False)
    wrong, _ = reference.gru_forward(x, [k, rk, np.stack([b, np.zeros_like(b)])], reset_after=True)
    assert _max_diff(right, layer(x)) < TOL
    assert _max_diff(wrong, right) > 1e-3


def test_gru_keras_convention_z_one_keeps_state():
    """h = z * h_prev + (1 - z) * h_tilde: a saturated update gate copies the old state."""
    units = 3
    kernel = np.zeros((2, 3 * units))
    rec = np.zeros((units, 3 * units))
    bias = np.zeros((2, 3 * units))
    bias[0, :units] = 50.0  # z = sigmoid(50) = 1
    h_prev = np.array([[0.3, -0.2, 0.9]])
    h = reference.gru_step(np.ones((1, 2)), h_prev, [kernel, rec, bias])
    assert np.allclose(h, h_prev)


def test_softmax_and_sigmoid():
    o = np.array([[1.0, 2.0, 3.0], [1000.0, 1000.0, 1000.0]])
    p = reference.softmax(o)
    assert np.allclose(p.sum(axis=-1), 1.0) and np.allclose(p[1], 1 / 3)
    assert np.isclose(reference.sigmoid(0.0), 0.5)


@pytest.mark.parametrize("bad", [
    lambda w: reference.simple_rnn_forward(np.zeros((2, 3)), w),                      # 2-D input
    lambda w: reference.simple_rnn_forward(np.zeros((2, 3, 1)), w, initial_state=np.zeros((2, 5))),
])
def test_bad_shapes_raise(bad):
    w = [np.zeros((1, 4)), np.zeros((4, 4)), np.zeros(4)]
    with pytest.raises(ValueError, match="shape"):
        bad(w)


def test_gru_bias_shape_checked():
    w = [np.zeros((1, 6)), np.zeros((2, 6)), np.zeros(6)]
    with pytest.raises(ValueError, match="reset_after=True"):
        reference.gru_forward(np.zeros((1, 2, 1)), w, reset_after=True)
