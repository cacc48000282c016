"""course_utils.teaching.attention: the NumPy reference agrees with Keras's attention layers."""
import keras
import numpy as np
import pytest

from course_utils.teaching import attention as att
rng = np.random.default_rng(0)
B, TQ, TK, D = 2, 3, 5, 4
Q = rng.normal(size=(B, TQ, D)).astype("float32")
K = rng.normal(size=(B, TK, D)).astype("float32")
V = rng.normal(size=(B, TK, 6)).astype("float32")
LENGTHS = [5, 2]


def test_masks():
    assert att.padding_mask([2, 0, 3], 3).tolist() == [[True, True, False], [False, False, False], [True, True, True]]
    assert att.causal_mask(3).tolist() == [[True, False, False], [True, True, False], [True, True, True]]
    with pytest.raises(ValueError, match="lengths must be"):
        att.padding_mask([4], 3)
    with pytest.raises(ValueError, match="n must be a positive integer"):
        att.causal_mask(0)


def test_masked_softmax_rows_sum_to_one_and_masked_weights_vanish():
    mask = att.padding_mask(LENGTHS, TK)[:, None, :]
    w = att.masked_softmax(rng.normal(size=(B, TQ, TK)), mask)
    assert np.allclose(w.sum(-1), 1)
    assert np.abs(w[1, :, 2:]).max() < 1e-300
    # a row with every key masked gets uniform weights, as in Keras
    assert np.allclose(att.masked_softmax(np.array([[1.0, 5.0]]), np.array([[False, False]])), 0.5)


@pytest.mark.parametrize("masked", [False, True])
def test_dot_attention_equals_keras_attention(masked):
    layer = keras.layers.Attention()
    value_mask = att.padding_mask(LENGTHS, TK)
    kwargs = {"mask": [None, value_mask]} if masked else {}
    out, w = layer([Q, V, K], return_attention_scores=True, **kwargs)
    ctx, ref_w = att.attend(att.dot_scores(Q, K), V, value_mask if masked else None)
    assert np.abs(np.asarray(out) - ctx).max() < 1e-5
    assert np.abs(np.asarray(w) - ref_w).max() < 1e-5


@pytest.mark.parametrize("masked", [False, True])
def test_additive_attention_equals_keras_additive_attention(masked):
    layer = keras.layers.AdditiveAttention()
    layer.build([Q.shape, V.shape, K.shape])
    scale = rng.normal(size=(D,))
    layer.set_weights([scale])
    value_mask = att.padding_mask(LENGTHS, TK)
    kwargs = {"mask": [None, value_mask]} if masked else {}
    out, w = layer([Q, V, K], return_attention_scores=True, **kwargs)
    ctx, ref_w = att.attend(att.additive_scores(Q, K, scale), V, value_mask if masked else None)
    assert np.abs(np.asarray(out) - ctx).max() < 1e-5
    assert np.abs(np.asarray(w) - ref_w).max() < 1e-5


def test_additive_with_projections_is_the_projected_keras_score():
    wq, wk, v = rng.normal(size=(D, 7)), rng.normal(size=(D, 7)), rng.normal(size=7)
    full = att.additive_scores(Q, K, v, W_q=wq, W_k=wk)
    assert np.allclose(full, att.additive_scores(Q @ wq, K @ wk, v))
    with pytest.raises(ValueError, match="share the last dimension"):
        att.additive_scores(Q, K, v)


def test_scaled_dot_product_attention_scales_by_sqrt_dk():
    out, w = att.scaled_dot_product_attention(Q, K, V)
    ref_out, ref_w = att.attend(att.dot_scores(Q, K) / np.sqrt(D), V)
    assert np.allclose(out, ref_out) and np.allclose(w, ref_w)


def _mha(num_heads=2, key_dim=3, d_model=D):
    layer = keras.layers.MultiHeadAttention(num_heads=num_heads, key_dim=key_dim)
    x = rng.normal(size=(B, TK, d_model)).astype("float32")
    layer(x, x)
    layer.set_weights([rng.normal(0, 0.5, w.shape) for w in layer.get_weights()])
    return layer, x


@pytest.mark.parametrize("mask_kind", [None, "padding", "causal"])
def test_multi_head_attention_equals_keras(mask_kind):
    layer, x = _mha()
    mask = None
    if mask_kind == "padding":
        mask = np.repeat(att.padding_mask(LENGTHS, TK)[:, None, :], TK, axis=1)
    elif mask_kind == "causal":
        mask = np.broadcast_to(att.causal_mask(TK), (B, TK, TK))
    out, scores = layer(x, x, attention_mask=mask, return_attention_scores=True)
    ref_out, ref_scores = att.multi_head_attention(x, x, weights=layer.get_weights(), num_heads=2, mask=mask)
    assert np.abs(np.asarray(out) - ref_out).max() < 1e-5
    assert np.abs(np.asarray(scores) - ref_scores).max() < 1e-5


def test_multi_head_attention_checks_its_weights():
    layer, x = _mha()
    with pytest.raises(ValueError, match="num_heads=4 does not match"):
        att.multi_head_attention(x, x, weights=layer.get_weights(), num_heads=4)
    with pytest.raises(ValueError, match="the 8 arrays"):
        att.multi_head_attention(x, x, weights=layer.get_weights()[:6], num_heads=2)


def test_a_wrong_mask_would_be_caught():
    """The Keras comparison can fail: ignoring the padding mask changes the result."""
    layer = keras.layers.Attention()
    value_mask = att.padding_mask(LENGTHS, TK)
    out = layer([Q, V, K], mask=[None, value_mask])
    unmasked, _ = att.attend(att.dot_scores(Q, K), V)
    assert np.abs(np.asarray(out) - unmasked).max() > 1e-2
