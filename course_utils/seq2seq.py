"""RNN encoder-decoder models in Keras, with or without attention (notebooks 08 and 09).

:func:`build_rnn_seq2seq` returns a teacher-forcing model with inputs
``[source_ids, decoder_input_ids]`` (post-padded, PAD = 0) and output the probabilities of the
next target token at every decoder position, ``(batch, T_tgt, tgt_vocab_size)``. The same model
decodes with :mod:`course_utils.decoding`: ``decoding.keras_next_log_probs(model, x_source)`` takes
the plain model and traces it once as a graph for step-by-step decoding.

- ``attention=None``: the encoder GRU's final state ``c`` is the decoder GRU's initial state and
  is read again at every decoder step beside the previous token (input ``[y_{t-1}; c]``, as in
  Cho et al. 2014 and the RNNencdec baseline of Bahdanau et al. 2015). That one vector is the
  only thing the decoder knows about the source: the bottleneck of Sutskever et al. 2014 /
  Cho et al. 2014.
- ``attention="dot"`` (Luong et al. 2015) or ``"additive"`` (Bahdanau et al. 2015): at each
  decoder step the decoder state scores every encoder state (``keras.layers.Attention`` /
  ``keras.layers.AdditiveAttention``, padded source positions masked out), the softmax of the
  scores weights the encoder states into a context vector, and ``tanh(W [context; state])``
  feeds the output softmax (Luong's "attentional hidden state").

:func:`attention_weights_model` rewires a trained attention model's layers into a model that
outputs the attention weights ``(batch, T_tgt, T_src)`` for heatmaps.
"""
from __future__ import annotations

import numpy as np

ATTENTION_KINDS = (None, "dot", "additive")

__all__ = ["ATTENTION_KINDS", "KNOB_RULES", "build_rnn_seq2seq", "attention_weights_model",
           "check_attention_kind"]


def check_attention_kind(attention) -> None:
    if attention not in ATTENTION_KINDS:
        raise ValueError(f"attention must be one of None, 'dot', 'additive'; got {attention!r}")


def _attention_knob(name: str, value) -> None:
    """The notebook's ATTENTION knob: the kind trained beside the bottleneck model."""
    if value not in ("dot", "additive"):
        raise ValueError(f"{name} must be one of 'dot', 'additive'; got {value!r}")


def _knob_rules():
    from .config import positive_float, positive_int
    return {"attention": _attention_knob, "beam_width": positive_int, "max_len": positive_int,
            "n_beam": positive_int, "n_pairs": positive_int, "translation_lr": positive_float}


# validation rules for setup(): course_utils.setup(..., rules=seq2seq.KNOB_RULES)
KNOB_RULES = _knob_rules()


def _positive(name, value):
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"{name} must be a positive integer, got {value!r}")


def _wire(layers: dict, src, dec_in, attention):
    """Connect the named layers; returns (probabilities, attention weights or None)."""
    import keras

    src_mask = keras.ops.not_equal(src, 0)
    dec_mask = keras.ops.not_equal(dec_in, 0)
    enc_seq, enc_state = layers["encoder"](layers["src_embed"](src), mask=src_mask)
    dec_x = layers["tgt_embed"](dec_in)
    if attention is None:  # the one context vector c = enc_state, read at every step (Cho et al. 2014)
        dec_x = keras.ops.concatenate([dec_x, keras.ops.zeros_like(dec_x[..., :1]) + enc_state[:, None, :]], axis=-1)
    dec_seq = layers["decoder"](dec_x, initial_state=enc_state, mask=dec_mask)
    weights = None
    if attention is None:
        hidden = dec_seq
    else:
        context, weights = layers["attention"]([dec_seq, enc_seq], mask=[dec_mask, src_mask],
                                               return_attention_scores=True)
        hidden = layers["combine"](keras.ops.concatenate([context, dec_seq], axis=-1))
    return layers["output"](hidden), weights


def build_rnn_seq2seq(src_vocab_size: int, tgt_vocab_size: int, embed_dim: int, units: int,
                      attention: str | None = None, name: str | None = None):
    """A GRU encoder-decoder; ``attention`` is None, "dot" or "additive" (else ValueError)."""
    import keras

    check_attention_kind(attention)
    for arg, value in (("src_vocab_size", src_vocab_size), ("tgt_vocab_size", tgt_vocab_size),
                       ("embed_dim", embed_dim), ("units", units)):
        _positive(arg, value)
    layers = {
        "src_embed": keras.layers.Embedding(src_vocab_size, embed_dim, name="src_embed"),
        "encoder": keras.layers.GRU(units, return_sequences=True, return_state=True, name="encoder"),
        "tgt_embed": keras.layers.Embedding(tgt_vocab_size, embed_dim, name="tgt_embed"),
        "decoder": keras.layers.GRU(units, return_sequences=True, name="decoder"),
        "output": keras.layers.Dense(tgt_vocab_size, activation="softmax", name="next_token"),
    }
    if attention == "dot":
        layers["attention"] = keras.layers.Attention(name="attention")
    elif attention == "additive":
        layers["attention"] = keras.layers.AdditiveAttention(name="attention")
    if attention is not None:
        layers["combine"] = keras.layers.Dense(units, activation="tanh", name="combine")
    src = keras.Input(shape=(None,), dtype="int32", name="source_ids")
    dec_in = keras.Input(shape=(None,), dtype="int32", name="decoder_input_ids")
    probs, _ = _wire(layers, src, dec_in, attention)
    default = "seq2seq_" + (attention or "no_attention")
    return keras.Model([src, dec_in], probs, name=name or default)


def attention_weights_model(model):
    """A model with the same inputs and layers that outputs the attention weights (B, T_tgt, T_src)."""
    import keras

    try:
        att = model.get_layer("attention")
    except ValueError:
        raise ValueError(f"model {model.name!r} has no attention layer (built with attention=None?)") from None
    kind = "additive" if isinstance(att, keras.layers.AdditiveAttention) else "dot"
    names = ("src_embed", "encoder", "tgt_embed", "decoder", "attention", "combine")
    layers = {n: model.get_layer(n) for n in names}
    layers["output"] = model.get_layer("next_token")
    src = keras.Input(shape=(None,), dtype="int32", name="source_ids")
    dec_in = keras.Input(shape=(None,), dtype="int32", name="decoder_input_ids")
    _, weights = _wire(layers, src, dec_in, kind)
    return keras.Model([src, dec_in], weights, name=model.name + "_weights")
