"""RNN encoder-decoder models in Keras, with or without attention (notebooks 08 and 09).

:func:`build_rnn_seq2seq` returns a teacher-forcing model with inputs
``[source_ids, decoder_input_ids]`` (post-padded, PAD = 0) and output the probabilities of the
next target token at every decoder position, ``(batch, T_tgt, tgt_vocab_size)``. The same model
decodes with :mod:`course_utils.teaching.decoding`: ``decoding.keras_next_log_probs(model, x_source)`` takes
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

:func:`rnn_next_log_probs` is a faster decoding callback for these models: it encodes each source
once and moves the decoder GRU one token per call, keeping its state, where
``decoding.keras_next_log_probs`` re-runs the whole model on the whole prefix at every step.

:func:`length_batches` groups the teacher-forcing triples into batches of similar source length,
each cut to its longest source and target: an RNN then runs over few padding steps, attention
scores fewer pairs, and Keras traces its training step once (the batch shapes are left free).
"""
from __future__ import annotations

import numpy as np

from . import batching

ATTENTION_KINDS = (None, "dot", "additive")

__all__ = ["ATTENTION_KINDS", "KNOB_RULES", "build_rnn_seq2seq", "attention_weights_model",
           "check_attention_kind", "length_batches", "rnn_next_log_probs"]


def check_attention_kind(attention) -> None:
    if attention not in ATTENTION_KINDS:
        raise ValueError(f"attention must be one of None, 'dot', 'additive'; got {attention!r}")


def _attention_knob(name: str, value) -> None:
    """The notebook's ATTENTION knob: the kind trained beside the bottleneck model."""
    if value not in ("dot", "additive"):
        raise ValueError(f"{name} must be one of 'dot', 'additive'; got {value!r}")


def _vocab_size(name: str, value) -> None:
    """A word vocabulary holds the 4 specials (PAD, START, END, UNK) and at least one word."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 5:
        raise ValueError(f"{name} must be an integer >= 5 (4 special tokens + words), got {value!r}")


def _knob_rules():
    from ..validate import positive_float, positive_int
    return {"attention": _attention_knob, "beam_width": positive_int, "max_len": positive_int,
            "n_beam": positive_int, "n_pairs": positive_int, "translation_lr": positive_float,
            "translation_units": positive_int, "translation_vocab": _vocab_size}


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


def length_batches(x, dec_in, dec_out, batch_size: int, seed: int = 0, noise: float = 4.0, by_length: bool = True):
    """A ``tf.data.Dataset`` of ``((source, decoder_input), target, weights)`` batches for ``fit``.

    Each epoch the pairs are sorted by source length plus uniform noise in ``[0, noise)`` (so the
    batches change from epoch to epoch), cut into batches of ``batch_size``, and the batches are
    shuffled; each batch is cut to its longest source and target, and PAD targets weigh 0.
    ``by_length=False`` draws the batches at random instead (a new shuffle every epoch; each batch
    is still cut to its longest pair): more padding, but every batch mixes short and long pairs.
    The same arguments give the same batches in the same order, so two models can see identical
    data. Shapes are declared ``(None, None)``: Keras traces its training step once for all of them.
    """
    import tensorflow as tf

    _positive("batch_size", batch_size)
    if isinstance(noise, bool) or not isinstance(noise, (int, float)) or noise < 0:
        raise ValueError(f"noise must be a number >= 0, got {noise!r}")
    x, dec_in, dec_out = (np.asarray(a, dtype=np.int32) for a in (x, dec_in, dec_out))
    if not len(x) == len(dec_in) == len(dec_out) or dec_in.shape != dec_out.shape:
        raise ValueError(f"x, dec_in and dec_out must have one row per pair and dec_in.shape == dec_out.shape; "
                         f"got {x.shape}, {dec_in.shape}, {dec_out.shape}")
    rng = np.random.default_rng(seed)
    src_len, tgt_len = (x != 0).sum(1), (dec_out != 0).sum(1)

    def batches():  # called once per epoch
        for r in batching.batch_indices(src_len, batch_size, rng, noise=noise, by_length=by_length):
            s, t = max(src_len[r].max(), 1), max(tgt_len[r].max(), 1)
            yield (x[r, :s], dec_in[r, :t]), dec_out[r, :t], (dec_out[r, :t] != 0).astype("float32")

    ids = tf.TensorSpec([None, None], tf.int32)
    spec = ((ids, ids), ids, tf.TensorSpec([None, None], tf.float32))
    return batching.as_dataset(batches, spec, -(-len(x) // batch_size))


def rnn_next_log_probs(model, x_source, batch_size: int = 512):
    """The decoding callback of :mod:`course_utils.teaching.decoding` for a model of :func:`build_rnn_seq2seq`,
    run step by step: the same probabilities as ``decoding.keras_next_log_probs(model, x_source)``.

    The sources are encoded once. Each call advances the decoder GRU by the last token of each
    prefix from the state it reached on the rest of the prefix, kept from the call before (greedy
    and beam search extend the prefixes of the previous call by one token); a prefix whose state
    is not kept is run from the start. Cost per call: one GRU step and one attention over the
    source, instead of the whole source and prefix. Encoder and step are traced once (TensorFlow).
    """
    import keras
    import tensorflow as tf

    from .decoding import _check_positive

    _check_positive("batch_size", batch_size)
    names = {lay.name for lay in model.layers}
    for n in ("src_embed", "encoder", "tgt_embed", "decoder", "next_token"):
        if n not in names:
            raise ValueError(f"model {model.name!r} is not one of build_rnn_seq2seq: it has no layer {n!r}")
    layer = {n: model.get_layer(n) for n in ("src_embed", "encoder", "tgt_embed", "decoder", "next_token")}
    attention = model.get_layer("attention") if "attention" in names else None
    combine = model.get_layer("combine") if attention is not None else None
    cell, units = layer["decoder"].cell, layer["decoder"].units
    x_source = np.asarray(x_source, dtype=np.int32)

    @tf.function(input_signature=[tf.TensorSpec([None, None], tf.int32)])
    def encode(src):
        enc_seq, enc_state = layer["encoder"](layer["src_embed"](src), mask=keras.ops.not_equal(src, 0))
        return enc_seq, enc_state

    f32 = tf.TensorSpec([None, units], tf.float32)

    @tf.function(input_signature=[tf.TensorSpec([None], tf.int32), f32, tf.TensorSpec([None], tf.int32), f32])
    def step(tokens, h, rows, c_rows):  # one decoder step for a batch of prefixes
        x = layer["tgt_embed"](tokens)
        if attention is None:  # the bottleneck decoder reads [y_{t-1}; c] (see _wire)
            x = keras.ops.concatenate([x, c_rows], axis=-1)
        real = keras.ops.not_equal(tokens, 0)[:, None]          # a PAD input is masked, as in the model:
        h = keras.ops.where(real, cell(x, [h], training=False)[0], h)  # the state carries over
        hidden = h
        if attention is not None:
            enc_seq, src_mask = tf.gather(enc_all, rows), tf.gather(mask_all, rows)
            context = attention([h[:, None, :], enc_seq], mask=[None, src_mask])[:, 0, :]
            context = context * keras.ops.cast(real, context.dtype)  # and a masked query reads nothing
            hidden = combine(keras.ops.concatenate([context, h], axis=-1))
        return layer["next_token"](hidden), h

    seqs, states = zip(*(encode(x_source[i:i + batch_size]) for i in range(0, len(x_source), batch_size)))
    enc_all = tf.constant(np.concatenate([np.asarray(a) for a in seqs]))       # (N, S, units)
    mask_all = tf.constant(x_source != 0)
    first_state = np.concatenate([np.asarray(a) for a in states])              # (N, units): h_S = c
    kept: dict = {}                                                             # (row, prefix bytes) -> state

    def run(tokens, h, rows):
        out = [step(tokens[i:i + batch_size], h[i:i + batch_size], rows[i:i + batch_size],
                    first_state[rows[i:i + batch_size]]) for i in range(0, len(rows), batch_size)]
        return np.concatenate([np.asarray(p) for p, _ in out]), np.concatenate([np.asarray(q) for _, q in out])

    def next_log_probs(rows, prefixes):
        nonlocal kept
        rows = np.asarray(rows, dtype=np.int32)
        prefixes = np.asarray(prefixes, dtype=np.int32)
        h = np.empty((len(rows), units), dtype=np.float32)
        missing = []
        for i, (r, p) in enumerate(zip(rows, prefixes)):
            state = kept.get((int(r), p[:-1].tobytes()))
            if state is None:
                missing.append(i)
            else:
                h[i] = state
        if missing:  # run these prefixes from the start, all but their last token
            m = np.array(missing)
            hm = first_state[rows[m]]
            for t in range(prefixes.shape[1] - 1):
                _, hm = run(prefixes[m, t], hm, rows[m])
            h[m] = hm
        probs, h = run(prefixes[:, -1], h, rows)
        kept = {(int(r), p.tobytes()): s for r, p, s in zip(rows, prefixes, h)}
        return np.log(np.clip(probs.astype(np.float64), 1e-30, None))

    return next_log_probs
