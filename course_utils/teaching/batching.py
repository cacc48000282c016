"""Batches of similar length: the course's one home for length batching.

:func:`batch_indices` is the shared core (one epoch's batches as row indices: sorted by length
plus noise, cut, shuffled); :func:`as_dataset` wraps a batch generator for ``model.fit``. Built on
them: :func:`length_batches` here (text classification, 05 and 09), ``seq2seq.length_batches``
(source-target pairs, 08 and 09) and ``masked_lm.pretraining_dataset`` (BERT pre-training, 10).

Padding every IMDB review to 500 words makes a recurrent layer run 500 steps for a review of 80
words, and self-attention score 500 x 500 pairs. Sorting the reviews by length (plus a little
noise, so the batches change from epoch to epoch), cutting them into batches and padding each
batch only to its longest review spares most of that work: on IMDB's training split the mean
length, capped at 500 words, is about 220, so a recurrent layer does about 2.3 times fewer steps.
Reviews longer than ``maxlen`` keep their last ``maxlen`` words, as ``keras.utils.pad_sequences``
does by default. Padding goes in front (``pre``), as in notebooks 04 and 05: a recurrent layer
without a mask reads the few padding steps before the words, not after them.

:func:`length_batches` feeds ``model.fit``; :func:`predict_by_length` scores a list of sequences
the same way and returns the predictions in the original order.
"""
from __future__ import annotations

import numpy as np

__all__ = ["as_dataset", "batch_indices", "length_batches", "predict_by_length"]


def _check(sequences, batch_size, maxlen, noise):
    if isinstance(batch_size, bool) or not isinstance(batch_size, (int, np.integer)) or batch_size < 1:
        raise ValueError(f"batch_size must be an integer >= 1, got {batch_size!r}")
    if maxlen is not None and (isinstance(maxlen, bool) or not isinstance(maxlen, (int, np.integer)) or maxlen < 1):
        raise ValueError(f"maxlen must be an integer >= 1 or None, got {maxlen!r}")
    if isinstance(noise, bool) or not isinstance(noise, (int, float)) or noise < 0:
        raise ValueError(f"noise must be a number >= 0, got {noise!r}")
    if len(sequences) == 0:
        raise ValueError("sequences is empty: nothing to batch")


def batch_indices(lengths, batch_size: int, rng: np.random.Generator, *, noise: float = 8.0,
                  by_length: bool = True) -> list:
    """One epoch's batches, as arrays of row indices.

    ``by_length=True``: the rows sorted by ``lengths`` plus uniform noise in ``[0, noise)`` (a
    stable sort; the noise makes the batches change from epoch to epoch), cut into consecutive
    batches of ``batch_size`` (the last may be smaller). ``by_length=False``: the rows in a random
    order, cut the same way. The batches are then shuffled. ``rng`` is drawn from in a fixed order
    (the noise or the row permutation, then the batch permutation), so the same generator state
    gives the same batches.
    """
    if isinstance(batch_size, bool) or not isinstance(batch_size, (int, np.integer)) or batch_size < 1:
        raise ValueError(f"batch_size must be an integer >= 1, got {batch_size!r}")
    if isinstance(noise, bool) or not isinstance(noise, (int, float)) or noise < 0:
        raise ValueError(f"noise must be a number >= 0, got {noise!r}")
    lengths = np.asarray(lengths)
    if by_length:
        order = np.argsort(lengths + rng.uniform(0, noise, len(lengths)), kind="stable")
    else:
        order = rng.permutation(len(lengths))
    n_batches = -(-len(lengths) // batch_size)
    return [order[b * batch_size:(b + 1) * batch_size] for b in rng.permutation(n_batches)]


def as_dataset(batches, signature, n_batches: int):
    """``tf.data.Dataset.from_generator(batches, output_signature=signature)`` with its length
    declared, so that Keras knows how many steps an epoch has. ``batches`` is called once per
    epoch; declare the varying dimensions ``None`` and Keras traces its training step once."""
    import tensorflow as tf

    data = tf.data.Dataset.from_generator(batches, output_signature=signature)
    return data.apply(tf.data.experimental.assert_cardinality(n_batches))


def _pad(rows, maxlen):
    """Rows (lists of ids) -> int32 (batch, longest) array, pre-padded with 0, last `maxlen` ids kept."""
    rows = [r[-maxlen:] if maxlen else r for r in rows]
    width = max(max(len(r) for r in rows), 1)
    out = np.zeros((len(rows), width), dtype=np.int32)
    for i, r in enumerate(rows):
        if len(r):
            out[i, width - len(r):] = r
    return out


def length_batches(sequences, labels, batch_size: int, *, maxlen: int | None = None, seed: int = 0,
                   noise: float = 8.0):
    """A ``tf.data.Dataset`` of ``(ids, labels)`` batches of similar length, for ``model.fit``.

    sequences: a list of token-id lists (unpadded); labels: one per sequence.
    Each epoch the sequences are sorted by length plus uniform noise in ``[0, noise)``, cut into
    batches of ``batch_size`` (the last may be smaller), and the batches are shuffled; each batch is
    pre-padded to its longest sequence (after cutting to the last ``maxlen`` ids). The same
    arguments give the same batches in the same order. Shapes are declared ``(None, None)``, so
    Keras traces its training step once for all of them.
    """
    import tensorflow as tf

    _check(sequences, batch_size, maxlen, noise)
    labels = np.asarray(labels)
    if len(labels) != len(sequences):
        raise ValueError(f"labels must have one entry per sequence: {len(labels)} labels, {len(sequences)} sequences")
    rows = [list(s) for s in sequences]
    lengths = np.array([min(len(r), maxlen) if maxlen else len(r) for r in rows])
    rng = np.random.default_rng(seed)

    def batches():  # called once per epoch
        for r in batch_indices(lengths, batch_size, rng, noise=noise):
            yield _pad([rows[i] for i in r], maxlen), labels[r]

    spec = (tf.TensorSpec([None, None], tf.int32), tf.TensorSpec([None], tf.as_dtype(labels.dtype)))
    return as_dataset(batches, spec, -(-len(rows) // batch_size))


def predict_by_length(model, sequences, batch_size: int = 256, *, maxlen: int | None = None):
    """``model``'s predictions for every sequence, computed in batches of similar length (each
    pre-padded to its longest) and returned in the order of ``sequences``."""
    _check(sequences, batch_size, maxlen, 0)
    rows = [list(s) for s in sequences]
    order = np.argsort([min(len(r), maxlen) if maxlen else len(r) for r in rows], kind="stable")
    parts = []
    for b in range(0, len(rows), batch_size):
        parts.append(np.asarray(model.predict_on_batch(_pad([rows[i] for i in order[b:b + batch_size]], maxlen))))
    predictions = np.concatenate(parts)
    out = np.empty_like(predictions)
    out[order] = predictions
    return out
