"""Unit tests for course_utils.teaching.bilm: shapes, causality (and a planted leak), ScalarMix vs NumPy."""
import numpy as np
import pytest

keras = pytest.importorskip("keras")

from course_utils.teaching import bilm  # noqa: E402
TOKENS = "the cat sat on the mat </s> the dog sat on the log </s>".split()


@pytest.fixture(scope="module")
def vocab():
    return bilm.TokenVocab.from_tokens(TOKENS, max_words=20, max_chars=8)


def tiny(vocab, leaky=False, n_layers=2):
    keras.utils.set_random_seed(0)
    return bilm.build_bilm(vocab.size, vocab.char_size, char_dim=4, filters=((1, 4), (2, 4)),
                           proj_dim=6, units=5, n_layers=n_layers, leaky=leaky)


def test_vocab_ids_chars_and_unknowns(vocab):
    assert vocab.words[:4] == ["<pad>", "<unk>", "<s>", "</s>"]
    assert vocab.encode(["the", "zebra"]).tolist() == [vocab.index["the"], vocab.UNK]
    chars = vocab.word_chars("cat")
    assert chars.shape == (8,) and chars[0] == 1 and chars[4] == 2 and chars[5:].sum() == 0
    assert vocab.word_chars("catastrophically")[-1] == 2  # cut, still ends with end-of-word
    assert vocab.word_chars("qz")[1] == 3  # unseen character -> unknown-character id
    assert not np.array_equal(vocab.word_chars("<s>"), vocab.word_chars("</s>"))


def test_vocab_bad_arguments():
    with pytest.raises(ValueError, match="max_words"):
        bilm.TokenVocab.from_tokens(TOKENS, max_words=0)
    with pytest.raises(ValueError, match="max_chars"):
        bilm.TokenVocab(["a"], "a", max_chars=2)


def test_targets_shift_left_and_right():
    w = np.arange(10).reshape(2, 5)
    sl, fwd, bwd = bilm.bilm_targets(w)
    assert w[:, sl].tolist() == [[1, 2, 3], [6, 7, 8]]
    assert fwd.tolist() == [[2, 3, 4], [7, 8, 9]] and bwd.tolist() == [[0, 1, 2], [5, 6, 7]]
    with pytest.raises(ValueError, match="T \\+ 2"):
        bilm.bilm_targets(np.zeros((2, 2)))


def test_shapes_and_shared_layers(vocab):
    train, features = tiny(vocab)
    x = np.stack([vocab.encode_chars(TOKENS[:7])] * 2)
    f, b = train.predict(x, verbose=0)
    assert f.shape == b.shape == (2, 7, vocab.size)
    layers = features.predict(x, verbose=0)
    assert [h.shape for h in layers] == [(2, 7, 12)] * 3
    assert sum(1 for layer in train.layers if layer.name == "shared_softmax") == 1
    assert np.allclose(layers[0][..., :6], layers[0][..., 6:])  # layer 0 = [x; x]


def _max_change(features, x, t):
    """Forward states at <= t when tokens > t change; backward states at >= t when tokens < t change."""
    after, before = x.copy(), x.copy()
    after[:, t + 1:] = after[:, t + 1:][:, ::-1]
    before[:, :t] = before[:, :t][:, ::-1]
    base = features.predict(x, verbose=0)[1:]
    fa, fb = features.predict(after, verbose=0)[1:], features.predict(before, verbose=0)[1:]
    fwd = max(np.abs(a[:, : t + 1, :6] - c[:, : t + 1, :6]).max() for a, c in zip(fa, base))
    bwd = max(np.abs(a[:, t:, 6:] - c[:, t:, 6:]).max() for a, c in zip(fb, base))
    return fwd, bwd


def test_causality_holds_and_a_planted_leak_is_caught(vocab):
    x = np.stack([vocab.encode_chars("the cat sat on the mat </s> the dog".split())])
    _, features = tiny(vocab)
    fwd, bwd = _max_change(features, x, t=4)
    assert fwd < 1e-6 and bwd < 1e-6
    _, leaky = tiny(vocab, leaky=True)
    leaky.set_weights(features.get_weights())
    fwd_l, bwd_l = _max_change(leaky, x, t=4)
    assert fwd_l < 1e-6 and bwd_l > 1e-4  # the un-reversed backward LSTM sees earlier tokens


def test_scalar_mix_layer_equals_numpy_formula():
    rng = np.random.default_rng(0)
    layers = [rng.normal(size=(2, 3, 4)) for _ in range(3)]
    mix = bilm.ScalarMix()
    mix([h.astype("float32") for h in layers])
    s = np.array([0.5, -1.0, 2.0])
    mix.set_weights([s.astype("float32"), np.float32(0.7)])
    out = keras.ops.convert_to_numpy(mix([h.astype("float32") for h in layers]))
    w = np.exp(s) / np.exp(s).sum()
    expected = 0.7 * sum(wj * h for wj, h in zip(w, layers))
    assert np.abs(out - expected).max() < 1e-5
    assert np.allclose(bilm.scalar_mix(layers, s, 0.7), expected)
    # at initialisation (s = 0, gamma = 1) the mix is the mean
    fresh = bilm.ScalarMix()
    out0 = keras.ops.convert_to_numpy(fresh([h.astype("float32") for h in layers]))
    assert np.abs(out0 - np.mean(layers, axis=0)).max() < 1e-5


def test_scalar_mix_failures():
    with pytest.raises(ValueError, match="one weight per layer"):
        bilm.scalar_mix([np.zeros(2), np.zeros(2)], [0.0], 1.0)
    mix = bilm.ScalarMix()
    mix([np.zeros((1, 2), "float32")] * 2)
    with pytest.raises(ValueError, match="built for 2 layers"):
        mix([np.zeros((1, 2), "float32")] * 3)


def test_builder_argument_checks(vocab):
    with pytest.raises(ValueError, match="units"):
        bilm.build_bilm(vocab.size, vocab.char_size, units=0)
    with pytest.raises(ValueError, match="filters"):
        bilm.build_bilm(vocab.size, vocab.char_size, filters=())
    with pytest.raises(ValueError, match="proj_dim"):
        bilm.build_bilm(vocab.size, vocab.char_size, proj_dim=0)
