"""course_utils.teaching.transformer: shapes, masks, causality, parameter counts, argument checks."""
import numpy as np
import pytest

keras = pytest.importorskip("keras")

from course_utils.teaching import attention, transformer as T  # noqa: E402
def _ids(rng, b, t, vocab, pad_from=None):
    x = rng.integers(1, vocab, (b, t)).astype("int32")
    if pad_from is not None:
        x[:, pad_from:] = 0
    return x


def test_heads_must_divide_d_model():
    with pytest.raises(ValueError, match="num_heads=3 does not divide d_model=16"):
        T.EncoderBlock(16, 3, 32)
    with pytest.raises(ValueError, match="num_heads"):
        T.build_bert(100, d_model=30, num_heads=4)
    assert T.check_heads(512, 8) == 64


def test_unknown_bert_size_and_bad_arguments():
    with pytest.raises(ValueError, match="size must be one of 'base', 'large'"):
        T.bert_config("huge")
    with pytest.raises(ValueError, match="positions"):
        T.TokenPositionEmbedding(10, 8, 4, positions="rotary")
    with pytest.raises(ValueError, match="dropout"):
        T.EncoderBlock(8, 2, 16, dropout=1.5)
    with pytest.raises(ValueError, match="d_model must be even"):
        T.sinusoidal_encoding(4, 5)


def test_sinusoidal_encoding_formula_and_shift_is_linear():
    pe = T.sinusoidal_encoding(50, 8).astype(np.float64)
    assert pe.shape == (50, 8)
    assert np.isclose(pe[3, 2], np.sin(3 / 10000 ** (2 / 8))) and np.isclose(pe[3, 3], np.cos(3 / 10000 ** (2 / 8)))
    # PE(pos + k) = PE(pos) M_k with M_k block-diagonal: a 2-D rotation by angle w_i k per frequency
    k, freq = 5, 10000 ** (-np.arange(0, 8, 2) / 8)
    M = np.zeros((8, 8))
    for i, w in enumerate(freq):
        c, s = np.cos(w * k), np.sin(w * k)
        M[2 * i:2 * i + 2, 2 * i:2 * i + 2] = [[c, -s], [s, c]]
    assert np.abs(pe[:-k] @ M - pe[k:]).max() < 1e-5
    assert np.abs(pe[:-k] @ M.T - pe[k:]).max() > 0.1          # the wrong rotation direction fails


def test_encoder_block_ignores_padding():
    rng = np.random.default_rng(0)
    model = T.build_encoder_classifier(30, 12, d_model=8, num_heads=2, d_ff=16, dropout=0.0)
    x = _ids(rng, 3, 12, 30, pad_from=7)
    y = x.copy()
    y[:, 7:] = 0
    a = model(x[:, :7]).numpy()              # no padding at all
    b = model(y).numpy()                     # the same reviews padded to 12
    assert np.abs(a - b).max() < 1e-5


def test_decoder_is_causal_and_the_leaky_one_is_not():
    rng = np.random.default_rng(1)
    src, tgt = _ids(rng, 2, 6, 20), _ids(rng, 2, 5, 20)
    changed = tgt.copy()
    changed[:, 3:] = (changed[:, 3:] % 19) + 1      # change positions 3 and 4 only
    for causal, should_hold in ((True, True), (False, False)):
        keras.utils.set_random_seed(0)
        model = T.build_encoder_decoder(20, 20, 6, 5, d_model=8, num_heads=2, d_ff=16, num_layers=1,
                                        dropout=0.0, causal=causal)
        diff = np.abs(model([src, tgt]).numpy()[:, :3] - model([src, changed]).numpy()[:, :3]).max()
        assert (diff < 1e-6) == should_hold, (causal, diff)


def test_encoder_decoder_shapes_and_attention_model():
    rng = np.random.default_rng(2)
    model, attn = T.build_encoder_decoder(20, 15, 9, 7, d_model=8, num_heads=2, d_ff=16, num_layers=(1, 2),
                                          with_attention_model=True)
    src, tgt = _ids(rng, 3, 9, 20, pad_from=6), _ids(rng, 3, 4, 15)
    probs = model([src, tgt]).numpy()
    assert probs.shape == (3, 4, 15) and np.allclose(probs.sum(-1), 1, atol=1e-5)
    maps = attn([src, tgt])
    assert sorted(maps) == ["decoder_0", "decoder_1"] and tuple(maps["decoder_0"].shape) == (3, 2, 4, 9)
    for w in maps.values():
        w = np.asarray(w)
        assert np.allclose(w.sum(-1), 1, atol=1e-5)                 # distributions over the source...
        assert np.abs(w[..., 6:]).max() < 1e-6                      # ...whose padding is never attended


def test_mha_layer_matches_the_numpy_reference_with_a_causal_mask():
    rng = np.random.default_rng(3)
    block = T.DecoderBlock(8, 2, 16)
    x, ctx = rng.normal(size=(2, 5, 8)).astype("float32"), rng.normal(size=(2, 4, 8)).astype("float32")
    block(x, ctx)
    layer = block.self_attention
    out = layer(x, x, use_causal_mask=True).numpy()
    ref, _ = attention.multi_head_attention(x, x, weights=layer.get_weights(), num_heads=2,
                                            mask=attention.causal_mask(5)[None])
    assert np.abs(out - ref).max() < 1e-5


def test_parameter_counts_follow_the_formulas():
    d, ff, v, n = 16, 32, 50, 2
    model = T.build_encoder_decoder(v, v, 10, 10, d_model=d, num_heads=2, d_ff=ff, num_layers=n, shared_embedding=True)
    assert model.count_params() == v * d + n * T.encoder_block_params(d, ff) + n * T.decoder_block_params(d, ff)
    bert = T.build_bert(v, max_len=12, d_model=d, num_heads=2, d_ff=ff, num_layers=n)
    emb = (v + 12 + 2) * d + 2 * d
    assert bert.count_params() == emb + n * T.encoder_block_params(d, ff) + d * d + d


def test_published_transformer_sizes_by_the_block_formulas():
    # Keras-built blocks of the base width have exactly the formulas' weights (the notebook checks the
    # whole base model); by the same formulas the big model is within 1% of the paper's 213M.
    for config in (T.TRANSFORMER_BASE, T.TRANSFORMER_BIG):
        d, ff, h = config["d_model"], config["d_ff"], config["num_heads"]
        enc, dec = T.EncoderBlock(d, h, ff), T.DecoderBlock(d, h, ff)
        enc.build((None, None, d)), dec.build((None, None, d))
        assert enc.count_params() == T.encoder_block_params(d, ff)
        assert dec.count_params() == T.decoder_block_params(d, ff)
    big = T.TRANSFORMER_BIG
    total = (big["vocab_size"] * big["d_model"] + big["num_layers"] * T.encoder_block_params(big["d_model"], big["d_ff"])
             + big["num_layers"] * T.decoder_block_params(big["d_model"], big["d_ff"]))
    assert total == 214_245_376 and abs(total / 213e6 - 1) < 0.01


def test_bert_pretrainer_predicts_only_at_the_given_positions():
    bert = T.build_bert(40, max_len=10, d_model=8, num_heads=2, d_ff=16, num_layers=1, dropout=0.0)
    pre = T.build_bert_pretrainer(bert, max_predictions=3)
    rng = np.random.default_rng(4)
    ids, seg = _ids(rng, 2, 10, 40), np.zeros((2, 10), "int32")
    pos = np.array([[1, 4, 0], [2, 2, 9]], "int32")
    out = pre([ids, seg, pos])
    assert tuple(out["mlm"].shape) == (2, 3, 40) and tuple(out["nsp"].shape) == (2, 2)
    mlm = out["mlm"].numpy()
    assert np.allclose(mlm[1, 0], mlm[1, 1]) and not np.allclose(mlm[0, 0], mlm[0, 1])


def test_decoder_block_returns_attention_weights_as_distributions_over_real_positions():
    rng = np.random.default_rng(5)
    block = T.DecoderBlock(8, 2, 16)
    x, ctx = rng.normal(size=(2, 5, 8)).astype("float32"), rng.normal(size=(2, 7, 8)).astype("float32")
    ctx_mask = attention.padding_mask([7, 4], 7)                  # example 1: 3 padded source positions
    out, (self_w, cross_w) = block(x, ctx, context_mask=ctx_mask, return_attention=True)
    self_w, cross_w = np.asarray(self_w), np.asarray(cross_w)
    assert tuple(out.shape) == (2, 5, 8)
    assert self_w.shape == (2, 2, 5, 5) and cross_w.shape == (2, 2, 5, 7)      # (B, heads, T_query, T_key)
    assert np.allclose(cross_w.sum(-1), 1, atol=1e-5) and np.allclose(self_w.sum(-1), 1, atol=1e-5)
    assert np.abs(cross_w[1, :, :, 4:]).max() < 1e-6 and cross_w[1, :, :, :4].min() > 0   # padding gets 0 weight
    assert np.abs(self_w * ~attention.causal_mask(5)).max() < 1e-6                       # no weight on the future
    # the same block without return_attention gives the same output
    assert np.abs(np.asarray(block(x, ctx, context_mask=ctx_mask)) - np.asarray(out)).max() < 1e-6


def test_attention_model_shares_the_trained_weights():
    rng = np.random.default_rng(6)
    keras.utils.set_random_seed(0)
    model, attn = T.build_encoder_decoder(20, 15, 9, 7, d_model=8, num_heads=2, d_ff=16, num_layers=1,
                                          dropout=0.0, with_attention_model=True)
    src, tgt = _ids(rng, 2, 9, 20, pad_from=5), _ids(rng, 2, 4, 15)
    maps = attn([src, tgt])
    assert list(maps) == ["decoder_0"]                             # a dict even for one block (not a bare tensor)
    before = np.asarray(maps["decoder_0"])
    assert before.shape == (2, 2, 4, 9)
    layer = model.get_layer("decoder_0").cross_attention
    layer.set_weights([w * 3 for w in layer.get_weights()])       # "training" changes the shared layer...
    after = np.asarray(attn([src, tgt])["decoder_0"])
    assert np.abs(after - before).max() > 1e-3                     # ...and the attention model sees it
    assert np.allclose(after.sum(-1), 1, atol=1e-5) and np.abs(after[..., 5:]).max() < 1e-6


def test_pre_norm_block_keeps_the_residual_path_and_the_weight_count():
    rng = np.random.default_rng(5)
    x = rng.normal(size=(2, 6, 8)).astype("float32")
    post = T.EncoderBlock(8, 2, 16)
    pre = T.EncoderBlock(8, 2, 16, norm_first=True)
    post(x), pre(x)
    assert post.count_params() == pre.count_params()
    pre.set_weights(post.get_weights())
    h = pre.norm1(x)
    attended = pre.attention(h, h, h)
    mid = x + attended.numpy()
    expected = mid + pre.ffn(pre.norm2(mid)).numpy()                 # x + Attn(LN x), then + FFN(LN .)
    assert np.allclose(pre(x).numpy(), expected, atol=1e-5)
    assert not np.allclose(post(x).numpy(), expected, atol=1e-3)     # post-norm is a different function
    with pytest.raises(ValueError, match="norm_first"):
        T.EncoderBlock(8, 2, 16, norm_first="yes")
    d, ff, n, v = 16, 32, 2, 50
    bert = T.build_bert(v, max_len=12, d_model=d, num_heads=2, d_ff=ff, num_layers=n, norm_first=True)
    emb = (v + 12 + 2) * d + 2 * d
    assert bert.count_params() == emb + n * T.encoder_block_params(d, ff) + 2 * d + d * d + d   # + final norm
    assert bert.get_layer("final_norm") is not None
