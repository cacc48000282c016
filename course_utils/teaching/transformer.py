"""Transformer layers in Keras, shared by notebooks 09 (the Transformer) and 10 (BERT).

The pieces of Vaswani et al. (2017, "Attention is all you need") and Devlin et al. (2019,
BERT), written with ``keras.layers.MultiHeadAttention`` (whose arithmetic notebook 09 checks
against the NumPy reference in :mod:`course_utils.teaching.attention`):

- :func:`sinusoidal_encoding`: PE(pos, 2i) = sin(pos / 10000^(2i/d)), PE(pos, 2i+1) = cos(...);
- :class:`TokenPositionEmbedding`: token + position (+ segment) embeddings;
- :class:`EncoderBlock`: self-attention and a position-wise feed-forward network, each with a
  residual connection and layer normalisation (post-norm, as in the paper);
- :class:`DecoderBlock`: causal self-attention, cross-attention to the encoder, feed-forward;
- builders: :func:`build_encoder_classifier`, :func:`build_encoder_decoder` (inputs
  ``[source_ids, decoder_input_ids]``, softmax output (B, T_tgt, V)), :func:`build_bert` and
  :func:`build_bert_pretrainer` (MLM + NSP heads);
- the published configurations :data:`TRANSFORMER_BASE` and :data:`BERT_CONFIGS`.

Token id 0 is padding everywhere: padded keys are masked out of every attention.
"""
from __future__ import annotations

import math
from typing import Any

import numpy as np

__all__ = [
    "TRANSFORMER_BASE", "TRANSFORMER_BIG", "BERT_CONFIGS", "bert_config", "check_heads", "sinusoidal_encoding",
    "TokenPositionEmbedding", "EncoderBlock", "DecoderBlock", "TiedOutput",
    "build_encoder_classifier", "build_encoder_decoder", "build_bert", "build_bert_pretrainer",
    "encoder_block_params", "decoder_block_params",
]

# Vaswani et al. (2017), Table 3, "base": N = 6, d_model = 512, d_ff = 2048, h = 8, and
# a shared source-target vocabulary of about 37,000 BPE tokens (WMT 2014 En-De, §5.1).
TRANSFORMER_BASE: dict[str, Any] = dict(vocab_size=37000, num_layers=6, d_model=512, num_heads=8, d_ff=2048)
# Table 3, "big": d_model = 1024, d_ff = 4096, h = 16, the rest as base (the paper: 213M weights).
TRANSFORMER_BIG: dict[str, Any] = dict(vocab_size=37000, num_layers=6, d_model=1024, num_heads=16, d_ff=4096)

# Devlin et al. (2019), §3: BERT-base L=12, H=768, A=12; BERT-large L=24, H=1024, A=16;
# feed-forward 4H; WordPiece vocabulary of 30,522 tokens; 512 positions; 2 segments.
BERT_CONFIGS: dict[str, dict[str, Any]] = {
    "base": dict(vocab_size=30522, max_len=512, num_segments=2, num_layers=12, d_model=768, num_heads=12, d_ff=3072),
    "large": dict(vocab_size=30522, max_len=512, num_segments=2, num_layers=24, d_model=1024, num_heads=16, d_ff=4096),
}


def bert_config(size: str) -> dict[str, Any]:
    """A copy of the published BERT configuration ``size`` ("base" or "large")."""
    if size not in BERT_CONFIGS:
        raise ValueError(f"size must be one of {', '.join(map(repr, BERT_CONFIGS))}; got {size!r}")
    return dict(BERT_CONFIGS[size])


def _positive_int(name: str, value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"{name} must be a positive integer, got {value!r}")


def check_heads(d_model: int, num_heads: int) -> int:
    """The size of one head, d_model / num_heads; a ValueError when it is not a whole number."""
    _positive_int("d_model", d_model)
    _positive_int("num_heads", num_heads)
    if d_model % num_heads:
        raise ValueError(
            f"num_heads={num_heads} does not divide d_model={d_model}: each head gets d_model / num_heads "
            f"dimensions, so choose num_heads among the divisors of d_model")
    return d_model // num_heads


def _check_rate(name: str, value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value < 1:
        raise ValueError(f"{name} must be a number in [0, 1), got {value!r}")


def sinusoidal_encoding(length: int, d_model: int, base: float = 10000.0) -> np.ndarray:
    """(length, d_model) float32: PE[pos, 2i] = sin(pos / base^(2i/d)), PE[pos, 2i+1] = cos(pos / base^(2i/d))."""
    _positive_int("length", length)
    _positive_int("d_model", d_model)
    if d_model % 2:
        raise ValueError(f"d_model must be even for sine/cosine pairs, got {d_model}")
    pos = np.arange(length, dtype=np.float64)[:, None]
    freq = base ** (-np.arange(0, d_model, 2, dtype=np.float64) / d_model)   # (d/2,)
    pe = np.empty((length, d_model))
    pe[:, 0::2] = np.sin(pos * freq)
    pe[:, 1::2] = np.cos(pos * freq)
    return pe.astype("float32")


# ----------------------------------------------------------------------------- layers
import keras  # noqa: E402  (after the NumPy helpers, which work without TensorFlow)
from keras import ops  # noqa: E402


def _key_mask(padding_mask):
    """(B, Tk) True = real token -> (B, 1, Tk), the attention_mask Keras broadcasts over queries."""
    if padding_mask is None:
        return None
    return ops.expand_dims(ops.cast(padding_mask, "bool"), 1)


class TokenPositionEmbedding(keras.layers.Layer):
    """Token embedding + position embedding (+ segment embedding), optionally layer-normalised.

    positions="sinusoidal": fixed encodings (no weights), tokens scaled by sqrt(d_model) as in
    Vaswani et al. (§3.4). positions="learned": a trainable (max_len, d_model) table (BERT).
    num_segments > 0 adds a segment table (BERT's sentence A / B); call with ``[ids, segments]``.
    """

    def __init__(self, vocab_size, max_len, d_model, positions="learned", num_segments=0,
                 layer_norm=False, dropout=0.0, **kwargs):
        super().__init__(**kwargs)
        for name, value in (("vocab_size", vocab_size), ("max_len", max_len), ("d_model", d_model)):
            _positive_int(name, value)
        if positions not in ("learned", "sinusoidal"):
            raise ValueError(f"positions must be 'learned' or 'sinusoidal'; got {positions!r}")
        if isinstance(num_segments, bool) or not isinstance(num_segments, int) or num_segments < 0:
            raise ValueError(f"num_segments must be an integer >= 0, got {num_segments!r}")
        _check_rate("dropout", dropout)
        self.vocab_size, self.max_len, self.d_model = vocab_size, max_len, d_model
        self.positions, self.num_segments = positions, num_segments
        self.token_embedding = keras.layers.Embedding(vocab_size, d_model, name="token_embedding")
        if positions == "learned":
            self.position_embedding = keras.layers.Embedding(max_len, d_model, name="position_embedding")
        else:
            self.encoding = sinusoidal_encoding(max_len, d_model)
        self.segment_embedding = (keras.layers.Embedding(num_segments, d_model, name="segment_embedding")
                                  if num_segments else None)
        self.norm = keras.layers.LayerNormalization(epsilon=1e-12, name="norm") if layer_norm else None
        self.dropout = keras.layers.Dropout(dropout) if dropout else None

    def build(self, input_shape):
        ids_shape = input_shape[0] if self.num_segments else input_shape
        self.token_embedding.build(ids_shape)
        if self.positions == "learned":
            self.position_embedding.build((None,))
        if self.segment_embedding is not None:
            self.segment_embedding.build(ids_shape)
        if self.norm is not None:
            self.norm.build(tuple(ids_shape) + (self.d_model,))
        self.built = True

    def call(self, inputs, training=None):
        if self.num_segments:
            ids, segments = inputs
        else:
            ids, segments = inputs, None
        x = self.token_embedding(ids)
        length = ops.shape(ids)[1]
        if self.positions == "learned":
            x = x + self.position_embedding(ops.arange(length))[None]
        else:
            x = x * math.sqrt(self.d_model) + ops.convert_to_tensor(self.encoding)[None, :length]
        if segments is not None:
            x = x + self.segment_embedding(segments)
        if self.norm is not None:
            x = self.norm(x)
        if self.dropout is not None:
            x = self.dropout(x, training=training)
        return x


class _FeedForward(keras.layers.Layer):
    """Position-wise FFN(x) = act(x W1 + b1) W2 + b2 (Vaswani et al. eq. 2, ReLU; BERT uses GELU)."""

    def __init__(self, d_model, d_ff, activation="relu", **kwargs):
        super().__init__(**kwargs)
        self.inner = keras.layers.Dense(d_ff, activation=activation, name="inner")
        self.outer = keras.layers.Dense(d_model, name="outer")

    def build(self, input_shape):
        self.inner.build(input_shape)
        self.outer.build(tuple(input_shape[:-1]) + (self.inner.units,))
        self.built = True

    def call(self, x):
        return self.outer(self.inner(x))


class EncoderBlock(keras.layers.Layer):
    """x -> LayerNorm(x + Attention(x, x, x)) -> LayerNorm(. + FFN(.)) (post-norm, as in the paper).

    ``norm_first=True`` is the pre-norm variant, x + Attention(LN(x)), then . + FFN(LN(.)): the
    residual path carries x untouched, which trains stably without a long warm-up (Xiong et al.
    2020, "On layer normalization in the Transformer architecture"); a stack of them needs a
    final layer norm (:func:`build_bert` adds it). Same weights, same count.

    Call with ``x`` (B, T, d_model) and ``padding_mask`` (B, T), True = real token; padded
    positions are never attended to. ``return_attention=True`` also returns the attention
    weights (B, heads, T, T).
    """

    def __init__(self, d_model, num_heads, d_ff, dropout=0.0, activation="relu", epsilon=1e-6, norm_first=False,
                 **kwargs):
        super().__init__(**kwargs)
        key_dim = check_heads(d_model, num_heads)
        _positive_int("d_ff", d_ff)
        _check_rate("dropout", dropout)
        if not isinstance(norm_first, bool):
            raise ValueError(f"norm_first must be True (pre-norm) or False (post-norm), got {norm_first!r}")
        self.d_model, self.num_heads, self.d_ff, self.norm_first = d_model, num_heads, d_ff, norm_first
        self.attention = keras.layers.MultiHeadAttention(num_heads, key_dim, dropout=dropout, name="self_attention")
        self.ffn = _FeedForward(d_model, d_ff, activation, name="ffn")
        self.norm1 = keras.layers.LayerNormalization(epsilon=epsilon, name="norm1")
        self.norm2 = keras.layers.LayerNormalization(epsilon=epsilon, name="norm2")
        self.drop1 = keras.layers.Dropout(dropout)
        self.drop2 = keras.layers.Dropout(dropout)

    def build(self, input_shape):
        self.attention.build(input_shape, input_shape)
        self.ffn.build(input_shape)
        self.norm1.build(input_shape)
        self.norm2.build(input_shape)
        self.built = True

    def call(self, x, padding_mask=None, training=None, return_attention=False):
        if self.norm_first:
            h = self.norm1(x)
            attended, weights = self.attention(h, h, h, attention_mask=_key_mask(padding_mask),
                                               return_attention_scores=True, training=training)
            x = x + self.drop1(attended, training=training)
            x = x + self.drop2(self.ffn(self.norm2(x)), training=training)
            return (x, weights) if return_attention else x
        attended, weights = self.attention(x, x, x, attention_mask=_key_mask(padding_mask),
                                           return_attention_scores=True, training=training)
        x = self.norm1(x + self.drop1(attended, training=training))
        x = self.norm2(x + self.drop2(self.ffn(x), training=training))
        return (x, weights) if return_attention else x


class DecoderBlock(keras.layers.Layer):
    """Causal self-attention, cross-attention to the encoder output, feed-forward; each with a
    residual connection and layer normalisation.

    Call with ``x`` (B, T, d), ``context`` (B, S, d), ``padding_mask`` (B, T) of the target and
    ``context_mask`` (B, S) of the source. ``causal=False`` removes the look-ahead mask: a
    deliberately broken decoder that notebook 09 uses to show that its causality check can fail.
    ``return_attention=True`` also returns (self-attention, cross-attention) weights.
    """

    def __init__(self, d_model, num_heads, d_ff, dropout=0.0, activation="relu", causal=True, epsilon=1e-6, **kwargs):
        super().__init__(**kwargs)
        key_dim = check_heads(d_model, num_heads)
        _positive_int("d_ff", d_ff)
        _check_rate("dropout", dropout)
        self.causal = bool(causal)
        self.self_attention = keras.layers.MultiHeadAttention(num_heads, key_dim, dropout=dropout, name="self_attention")
        self.cross_attention = keras.layers.MultiHeadAttention(num_heads, key_dim, dropout=dropout, name="cross_attention")
        self.ffn = _FeedForward(d_model, d_ff, activation, name="ffn")
        self.norms = [keras.layers.LayerNormalization(epsilon=epsilon, name=f"norm{i}") for i in (1, 2, 3)]
        self.drops = [keras.layers.Dropout(dropout) for _ in range(3)]

    def build(self, x_shape, context_shape=None):
        context_shape = context_shape or x_shape
        self.self_attention.build(x_shape, x_shape)
        self.cross_attention.build(x_shape, context_shape)
        self.ffn.build(x_shape)
        for norm in self.norms:
            norm.build(x_shape)
        self.built = True

    def call(self, x, context, padding_mask=None, context_mask=None, training=None, return_attention=False):
        attended, self_weights = self.self_attention(
            x, x, x, attention_mask=_key_mask(padding_mask), use_causal_mask=self.causal,
            return_attention_scores=True, training=training)
        x = self.norms[0](x + self.drops[0](attended, training=training))
        attended, cross_weights = self.cross_attention(
            x, context, context, attention_mask=_key_mask(context_mask),
            return_attention_scores=True, training=training)
        x = self.norms[1](x + self.drops[1](attended, training=training))
        x = self.norms[2](x + self.drops[2](self.ffn(x), training=training))
        return (x, (self_weights, cross_weights)) if return_attention else x


class TiedOutput(keras.layers.Layer):
    """Logits = x Eᵀ (+ bias) with E the token embedding matrix of ``embedding`` (weight tying,
    Press & Wolf 2017; used by the Transformer's pre-softmax layer and BERT's MLM head)."""

    def __init__(self, embedding: TokenPositionEmbedding, use_bias=False, activation=None, **kwargs):
        super().__init__(**kwargs)
        self.embedding = embedding
        self.use_bias = use_bias
        self.activation = keras.activations.get(activation)

    def build(self, input_shape):
        if self.use_bias:
            self.bias = self.add_weight(shape=(self.embedding.vocab_size,), initializer="zeros", name="bias")
        self.built = True

    def call(self, x):
        logits = ops.matmul(x, ops.transpose(self.embedding.token_embedding.embeddings))
        if self.use_bias:
            logits = logits + self.bias
        return self.activation(logits)


def _real_tokens(ids):
    return ops.not_equal(ids, 0)


# ----------------------------------------------------------------------------- builders
def build_encoder_classifier(vocab_size, max_len, d_model=32, num_heads=2, d_ff=64, num_layers=1,
                             dropout=0.1, positions="learned", name="transformer_classifier"):
    """ids (B, T) -> P(positive) (B, 1): embedding, ``num_layers`` encoder blocks, mean over the
    real (non-padding) positions, dropout, a sigmoid unit."""
    _positive_int("num_layers", num_layers)
    check_heads(d_model, num_heads)
    ids = keras.Input((None,), dtype="int32", name="token_ids")
    mask = _real_tokens(ids)
    x = TokenPositionEmbedding(vocab_size, max_len, d_model, positions=positions, name="embedding")(ids)
    for i in range(num_layers):
        x = EncoderBlock(d_model, num_heads, d_ff, dropout=dropout, name=f"encoder_{i}")(x, padding_mask=mask)
    weights = ops.expand_dims(ops.cast(mask, x.dtype), -1)
    pooled = ops.sum(x * weights, axis=1) / ops.maximum(ops.sum(weights, axis=1), 1.0)
    if dropout:
        pooled = keras.layers.Dropout(dropout)(pooled)
    out = keras.layers.Dense(1, activation="sigmoid", name="classifier")(pooled)
    return keras.Model(ids, out, name=name)


def build_encoder_decoder(src_vocab_size, tgt_vocab_size, max_src_len, max_tgt_len, d_model=64, num_heads=4,
                          d_ff=128, num_layers=2, dropout=0.1, shared_embedding=False, positions="sinusoidal",
                          causal=True, with_attention_model=False, name="transformer"):
    """``[source_ids (B, S), decoder_input_ids (B, T)] -> softmax (B, T, tgt_vocab_size)``.

    num_layers: an int (encoder and decoder alike) or ``(encoder_layers, decoder_layers)``.
    shared_embedding=True: one token table for source, target and the pre-softmax layer
    (Vaswani et al. §3.4; needs one shared vocabulary). With ``with_attention_model`` also
    returns a second model (same layers, so it sees the trained weights) whose output is a dict
    ``{"decoder_0": ..., "decoder_1": ...}`` of the decoder blocks' cross-attention weights, each
    (B, heads, T, S): row t of a head is a distribution over the real source positions (padding
    gets weight 0). A dict, not a list, because Keras returns a one-output list as a bare tensor.
    """
    enc_layers, dec_layers = (num_layers, num_layers) if isinstance(num_layers, (int, np.integer)) else num_layers
    _positive_int("encoder layers", enc_layers)
    _positive_int("decoder layers", dec_layers)
    check_heads(d_model, num_heads)
    if shared_embedding and src_vocab_size != tgt_vocab_size:
        raise ValueError(f"shared_embedding needs one vocabulary; got src_vocab_size={src_vocab_size}, "
                         f"tgt_vocab_size={tgt_vocab_size}")
    src = keras.Input((None,), dtype="int32", name="source_ids")
    tgt = keras.Input((None,), dtype="int32", name="decoder_input_ids")
    src_mask, tgt_mask = _real_tokens(src), _real_tokens(tgt)
    src_embed = TokenPositionEmbedding(src_vocab_size, max_src_len if not shared_embedding else max(max_src_len, max_tgt_len),
                                       d_model, positions=positions, dropout=dropout, name="source_embedding")
    tgt_embed = src_embed if shared_embedding else TokenPositionEmbedding(
        tgt_vocab_size, max_tgt_len, d_model, positions=positions, dropout=dropout, name="target_embedding")
    x = src_embed(src)
    for i in range(enc_layers):
        x = EncoderBlock(d_model, num_heads, d_ff, dropout=dropout, name=f"encoder_{i}")(x, padding_mask=src_mask)
    y = tgt_embed(tgt)
    cross = {}
    for i in range(dec_layers):
        y, (_, cross[f"decoder_{i}"]) = DecoderBlock(d_model, num_heads, d_ff, dropout=dropout, causal=causal,
                                                     name=f"decoder_{i}")(
            y, x, padding_mask=tgt_mask, context_mask=src_mask, return_attention=True)
    if shared_embedding:
        probs = TiedOutput(tgt_embed, activation="softmax", name="tied_softmax")(y)
    else:
        probs = keras.layers.Dense(tgt_vocab_size, activation="softmax", name="softmax")(y)
    model = keras.Model([src, tgt], probs, name=name)
    if with_attention_model:
        return model, keras.Model([src, tgt], cross, name=name + "_attention")
    return model


def build_bert(vocab_size, max_len=128, d_model=64, num_heads=4, d_ff=256, num_layers=2, num_segments=2,
               dropout=0.1, norm_first=False, name="bert"):
    """BERT's encoder: ``[token_ids, segment_ids] -> [sequence_output (B, T, d), pooled (B, d)]``.

    Token + learned position + segment embeddings with layer norm, ``num_layers`` encoder blocks
    (GELU feed-forward), and the pooler: tanh(W h_[CLS] + b) on the first position.
    ``norm_first=True``: pre-norm blocks (:class:`EncoderBlock`) and a final layer norm
    (``final_norm``, 2 * d_model more weights); BERT itself is post-norm.
    """
    _positive_int("num_layers", num_layers)
    check_heads(d_model, num_heads)
    ids = keras.Input((None,), dtype="int32", name="token_ids")
    segments = keras.Input((None,), dtype="int32", name="segment_ids")
    mask = _real_tokens(ids)
    x = TokenPositionEmbedding(vocab_size, max_len, d_model, positions="learned", num_segments=num_segments,
                               layer_norm=True, dropout=dropout, name="embedding")([ids, segments])
    for i in range(num_layers):
        x = EncoderBlock(d_model, num_heads, d_ff, dropout=dropout, activation="gelu", epsilon=1e-12,
                         norm_first=norm_first, name=f"encoder_{i}")(x, padding_mask=mask)
    if norm_first:
        x = keras.layers.LayerNormalization(epsilon=1e-12, name="final_norm")(x)
    pooled = keras.layers.Dense(d_model, activation="tanh", name="pooler")(x[:, 0])
    return keras.Model([ids, segments], [x, pooled], name=name)


def build_bert_pretrainer(bert: keras.Model, max_predictions: int, name="bert_pretrainer"):
    """Adds BERT's two pre-training heads to ``bert`` (from :func:`build_bert`).

    Inputs ``[token_ids, segment_ids, mask_positions (B, P)]``; outputs
    ``{"mlm": (B, P, V) softmax, "nsp": (B, 2) softmax}``. The MLM head (dense + GELU + layer
    norm, then logits tied to the token embedding plus a bias) runs only at the chosen
    positions, as BERT's does: a softmax over the vocabulary at every position would cost
    ~1/0.15 times more. ``max_predictions`` is the most slots the training data gives a row
    (BERT caps them); the model takes any number P, so a batch can be cut to the slots it uses.
    """
    _positive_int("max_predictions", max_predictions)
    embedding = bert.get_layer("embedding")
    ids, segments = bert.inputs
    positions = keras.Input((None,), dtype="int32", name="mask_positions")
    sequence, pooled = bert.outputs
    h = ops.take_along_axis(sequence, ops.expand_dims(positions, -1), axis=1)        # (B, P, d)
    h = keras.layers.Dense(embedding.d_model, activation="gelu", name="mlm_transform")(h)
    h = keras.layers.LayerNormalization(epsilon=1e-12, name="mlm_norm")(h)
    mlm = TiedOutput(embedding, use_bias=True, activation="softmax", name="mlm")(h)
    nsp = keras.layers.Dense(2, activation="softmax", name="nsp")(pooled)
    return keras.Model([ids, segments, positions], {"mlm": mlm, "nsp": nsp}, name=name)


# ----------------------------------------------------------------------------- counting
def _mha_params(d_model):
    return 4 * (d_model * d_model + d_model)   # q, k, v, output kernels and biases


def _ffn_params(d_model, d_ff):
    return d_model * d_ff + d_ff + d_ff * d_model + d_model


def encoder_block_params(d_model, d_ff):
    """Weights of one encoder block: attention + FFN + 2 layer norms (gamma and beta)."""
    return _mha_params(d_model) + _ffn_params(d_model, d_ff) + 2 * 2 * d_model


def decoder_block_params(d_model, d_ff):
    """Weights of one decoder block: 2 attentions + FFN + 3 layer norms."""
    return 2 * _mha_params(d_model) + _ffn_params(d_model, d_ff) + 3 * 2 * d_model
