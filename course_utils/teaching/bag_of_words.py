"""The bag-of-words baseline: TF-IDF features and logistic regression, in Keras.

A review becomes one vector over the ``max_tokens`` most frequent words of the labelled training
reviews: each word's count in the review times its inverse document frequency,
``log(1 + N / (1 + df))`` over the N training reviews (Keras' ``TextVectorization(output_mode=
"tf_idf")``). Logistic regression is one sigmoid unit on that vector, with an L2 penalty on its
weights, fitted by full-batch Adam. Word order is lost, so "not good" and "good, not" look alike; the model
is still the baseline every text classifier should be compared with (Wang & Manning 2012 report
88-91% on IMDB with its NB-SVM variant and 25,000 labels).

Notebook 10 uses it as the "baseline a student met earlier" in its label-efficiency comparison:
how many labels a pre-trained encoder saves against it. Like the neural models there, it keeps
the epoch with the best accuracy on held-out labelled reviews.
"""
from __future__ import annotations

from typing import Sequence

import keras
import numpy as np
import tensorflow as tf

from ..validate import non_negative_float, positive_float, positive_int

__all__ = ["tfidf_logistic_regression", "accuracy"]


def _labels(name: str, labels, n: int) -> np.ndarray:
    y = np.asarray(labels)
    if y.shape != (n,) or not np.isin(y, (0, 1)).all():
        raise ValueError(f"{name} must hold one label 0 or 1 per review ({n} reviews); got shape {y.shape}, "
                         f"values {sorted(set(np.unique(y).tolist()))[:5]}")
    return y.astype("float32")


def tfidf_logistic_regression(train_texts: Sequence[str], train_labels, *, validation: tuple | None = None,
                              max_tokens: int = 20_000, l2: float = 1e-4, learning_rate: float = 0.05,
                              steps: int = 300, check_every: int = 10, seed: int = 0):
    """Fits TF-IDF + logistic regression on ``(train_texts, train_labels)``.

    The vocabulary and the IDF weights come from the training texts only. The weights minimise the
    mean cross-entropy plus ``l2`` times their squared norm by full-batch Adam (``steps`` steps at
    ``learning_rate``; the problem is convex, so there is one optimum to approach). With
    ``validation = (texts, labels)`` the model is scored every ``check_every`` steps and ends with
    the weights of its first best check (early stopping). Returns ``(model, curve)``: a Keras model
    that maps a batch of strings to the probability of label 1, and the validation accuracies
    (empty without ``validation``).
    """
    texts = [str(t) for t in train_texts]
    if not texts:
        raise ValueError("tfidf_logistic_regression needs at least one training review, got none")
    y = tf.constant(_labels("train_labels", train_labels, len(texts))[:, None])
    for name, value in (("max_tokens", max_tokens), ("steps", steps), ("check_every", check_every)):
        positive_int(name, value)
    non_negative_float("l2", l2)
    positive_float("learning_rate", learning_rate)
    keras.utils.set_random_seed(seed)
    vectorize = keras.layers.TextVectorization(max_tokens=max_tokens, output_mode="tf_idf", name="tfidf")
    vectorize.adapt(tf.constant(texts), batch_size=1024)
    features = vectorize(tf.constant(texts))                      # (N, vocabulary): dense, computed once
    w = tf.Variable(tf.zeros((features.shape[1], 1)))
    b = tf.Variable(tf.zeros((1,)))
    optimizer = keras.optimizers.Adam(learning_rate)

    @tf.function
    def step():
        with tf.GradientTape() as tape:
            logits = tf.matmul(features, w) + b
            loss = tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(y, logits)) + l2 * tf.reduce_sum(w * w)
        optimizer.apply_gradients(zip(tape.gradient(loss, [w, b]), [w, b]))

    curve, best = [], None
    if validation is not None:
        val_texts, val_labels = validation
        val_x = vectorize(tf.constant([str(t) for t in val_texts]))
        val_y = _labels("validation labels", val_labels, len(val_texts)) > 0.5
    for i in range(1, steps + 1):
        step()
        if validation is not None and (i % check_every == 0 or i == steps):
            curve.append(float((((tf.matmul(val_x, w) + b).numpy()[:, 0] > 0) == val_y).mean()))
            if best is None or curve[-1] > max(curve[:-1]):
                best = (w.numpy(), b.numpy())
    inputs = keras.Input((), dtype="string", name="review")
    dense = keras.layers.Dense(1, activation="sigmoid", name="logistic_regression")
    model = keras.Model(inputs, keras.ops.squeeze(dense(vectorize(inputs)), -1), name="tfidf_logistic_regression")
    dense.set_weights(list(best) if best is not None else [w.numpy(), b.numpy()])
    return model, curve


def accuracy(model, texts: Sequence[str], labels) -> float:
    """Share of ``texts`` whose predicted label (probability > 0.5) equals ``labels``."""
    y = _labels("labels", labels, len(texts))
    p = np.asarray(model.predict(tf.constant([str(t) for t in texts]), verbose=0, batch_size=1024))
    return float(((p > 0.5) == (y > 0.5)).mean())
