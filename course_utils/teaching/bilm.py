"""A small ELMo-style bidirectional language model (Peters et al. 2018), in Keras.

- :class:`TokenVocab`: words -> ids for the softmax, and words -> character ids for the encoder.
- :class:`Highway`: y = g * relu(W x + b) + (1 - g) * x with g = sigmoid(W_g x + b_g).
- :class:`CharCNNEncoder`: character embeddings, 1-D convolutions of several widths, max over
  the characters, a highway layer and a linear projection: one context-free vector per token.
- :func:`build_bilm`: a forward and a backward LSTM language model that share the token encoder
  and the softmax layer; returns the training model and a feature model that exposes every layer.
- :class:`ScalarMix` (a Keras layer) and :func:`scalar_mix` (the same formula in NumPy):
  ``gamma * sum_j softmax(s)_j * h_j``.

Token windows have a fixed length (no padding inside a window), so no masks are needed: the
forward LM at position t has read tokens 0..t, the backward LM tokens t..T-1.
"""
from __future__ import annotations

from collections import Counter
from functools import lru_cache
from typing import Iterable, Sequence

import numpy as np

__all__ = ["TokenVocab", "Highway", "CharCNNEncoder", "ScalarMix", "scalar_mix", "build_bilm",
           "bilm_targets", "DEFAULT_FILTERS"]

# (width, number of filters): ELMo's small model uses widths 1..7; a scaled-down set here
DEFAULT_FILTERS = ((1, 16), (2, 16), (3, 32), (4, 32), (5, 32))


class TokenVocab:
    """The softmax vocabulary (most frequent words + ``<unk>`` + sentence markers) and characters.

    ids: 0 = ``<pad>`` (never a target), 1 = ``<unk>``, 2 = ``<s>``, 3 = ``</s>``, then words by
    frequency. Characters: 0 = padding, 1 = begin-of-word, 2 = end-of-word, 3 = unknown character,
    4 and 5 = the sentence markers (one "character" each).
    """

    PAD, UNK, BOS, EOS = 0, 1, 2, 3
    SPECIALS = ("<pad>", "<unk>", "<s>", "</s>")

    def __init__(self, words: Sequence[str], chars: Iterable[str], max_chars: int = 16):
        if max_chars < 3:
            raise ValueError(f"max_chars must be >= 3 (begin, one character, end), got {max_chars!r}")
        self.words = list(self.SPECIALS) + [w for w in words if w not in self.SPECIALS]
        self.index = {w: i for i, w in enumerate(self.words)}
        self.chars = ["", "<bow>", "<eow>", "<unkc>", "<s>", "</s>"] + sorted(set(chars) - {"<s>", "</s>"})
        self.char_index = {c: i for i, c in enumerate(self.chars)}
        self.max_chars = max_chars
        self._char_cache: dict[str, np.ndarray] = {}

    @classmethod
    def from_tokens(cls, tokens: Iterable[str], max_words: int, max_chars: int = 16) -> "TokenVocab":
        """The ``max_words`` most frequent tokens (ties by first appearance) and every character seen."""
        if max_words < 1:
            raise ValueError(f"max_words must be a positive integer, got {max_words!r}")
        counts = Counter(tokens)
        words = [w for w, _ in counts.most_common() if w not in cls.SPECIALS][:max_words]
        chars = set("".join(counts))
        return cls(words, chars, max_chars)

    @property
    def size(self) -> int:
        return len(self.words)

    @property
    def char_size(self) -> int:
        return len(self.chars)

    def encode(self, tokens: Iterable[str]) -> np.ndarray:
        """Word ids (unknown words -> ``<unk>``), int32."""
        return np.array([self.index.get(t, self.UNK) for t in tokens], dtype=np.int32)

    def word_chars(self, word: str) -> np.ndarray:
        """``[bow, c1, ..., cn, eow, 0, ...]`` of length ``max_chars``; long words are cut."""
        ids = self._char_cache.get(word)
        if ids is None:
            ids = np.zeros(self.max_chars, dtype=np.int32)
            if word in ("<s>", "</s>"):  # markers get their own single "character"
                body = [self.char_index.get(word, 3)]
            else:
                body = [self.char_index.get(c, 3) for c in word[: self.max_chars - 2]]
            seq = [1] + body + [2]
            ids[: len(seq)] = seq
            self._char_cache[word] = ids
        return ids

    def encode_chars(self, tokens: Sequence[str]) -> np.ndarray:
        """Character ids of each token, (len(tokens), max_chars) int32."""
        if not tokens:
            return np.zeros((0, self.max_chars), dtype=np.int32)
        return np.stack([self.word_chars(t) for t in tokens])


def _keras():
    import keras  # late import: `import course_utils.teaching.bilm` stays cheap
    return keras


@lru_cache(maxsize=1)
def _layers():
    keras = _keras()

    @keras.saving.register_keras_serializable(package="course_utils")
    class Highway(keras.layers.Layer):
        """y = g * relu(W x + b) + (1 - g) * x, g = sigmoid(W_g x + b_g) (Srivastava et al. 2015).

        The gate bias starts at -1 so that, at first, most of x is carried through.
        """

        def build(self, input_shape):
            d = int(input_shape[-1])
            self.transform = keras.layers.Dense(d, activation="relu", name="transform")
            self.gate = keras.layers.Dense(d, activation="sigmoid", name="gate",
                                           bias_initializer=keras.initializers.Constant(-1.0))
            self.transform.build(input_shape)
            self.gate.build(input_shape)

        def call(self, x):
            g = self.gate(x)
            return g * self.transform(x) + (1.0 - g) * x

    @keras.saving.register_keras_serializable(package="course_utils")
    class CharCNNEncoder(keras.layers.Layer):
        """(batch, tokens, chars) int ids -> (batch, tokens, proj_dim): one vector per token type.

        embedding of each character -> Conv1D of each width (tanh) -> max over characters ->
        concatenation -> highway -> linear projection. Nothing crosses token boundaries, so the
        output for a token depends on its characters only (context-free, like a static vector).
        """

        def __init__(self, char_vocab_size, char_dim=16, filters=DEFAULT_FILTERS, proj_dim=64, **kwargs):
            super().__init__(**kwargs)
            for name, value in (("char_vocab_size", char_vocab_size), ("char_dim", char_dim), ("proj_dim", proj_dim)):
                if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
                    raise ValueError(f"{name} must be a positive integer, got {value!r}")
            filters = tuple((int(w), int(n)) for w, n in filters)
            if not filters or any(w < 1 or n < 1 for w, n in filters):
                raise ValueError(f"filters must be a non-empty list of (width >= 1, count >= 1), got {filters!r}")
            self.char_vocab_size, self.char_dim, self.filters, self.proj_dim = (
                int(char_vocab_size), int(char_dim), filters, int(proj_dim))
            self.embed = keras.layers.Embedding(self.char_vocab_size, self.char_dim, name="char_embed")
            self.convs = [keras.layers.Conv1D(n, w, activation="tanh", padding="valid", name=f"conv{w}")
                          for w, n in filters]
            self.highway = Highway(name="highway")
            self.proj = keras.layers.Dense(self.proj_dim, name="projection")

        def call(self, chars):
            shape = keras.ops.shape(chars)
            b, t, c = shape[0], shape[1], shape[2]
            x = self.embed(keras.ops.reshape(chars, (-1, c)))  # (b*t, chars, char_dim)
            pooled = [keras.ops.max(conv(x), axis=1) for conv in self.convs]  # max over time
            h = self.highway(keras.ops.concatenate(pooled, axis=-1))
            out = self.proj(h)
            return keras.ops.reshape(out, (b, t, self.proj_dim))

        def get_config(self):
            return {**super().get_config(), "char_vocab_size": self.char_vocab_size,
                    "char_dim": self.char_dim, "filters": [list(f) for f in self.filters],
                    "proj_dim": self.proj_dim}

    @keras.saving.register_keras_serializable(package="course_utils")
    class ScalarMix(keras.layers.Layer):
        """ELMo's task representation: gamma * sum_j softmax(s)_j * h_j over a list of layers.

        s starts at 0 (equal weights) and gamma at 1; both are learned with the task.
        """

        def build(self, input_shape):
            if not isinstance(input_shape, (list, tuple)) or len(input_shape) < 1 or \
                    not isinstance(input_shape[0], (list, tuple)):
                raise ValueError("ScalarMix takes a list of tensors of the same shape")
            self.n_layers = len(input_shape)
            self.s = self.add_weight(name="s", shape=(self.n_layers,), initializer="zeros")
            self.gamma = self.add_weight(name="gamma", shape=(), initializer="ones")

        def call(self, layers):
            if len(layers) != self.n_layers:
                raise ValueError(f"ScalarMix was built for {self.n_layers} layers, got {len(layers)}")
            w = keras.ops.softmax(self.s)
            return self.gamma * sum(w[j] * layers[j] for j in range(self.n_layers))

    return Highway, CharCNNEncoder, ScalarMix


def __getattr__(name):  # Highway, CharCNNEncoder, ScalarMix are built on first use (keras import)
    if name in ("Highway", "CharCNNEncoder", "ScalarMix"):
        classes = dict(zip(("Highway", "CharCNNEncoder", "ScalarMix"), _layers()))
        globals().update(classes)
        return classes[name]
    raise AttributeError(f"module 'course_utils.teaching.bilm' has no attribute {name!r}")


def scalar_mix(layers, s, gamma) -> np.ndarray:
    """NumPy reference of :class:`ScalarMix`: gamma * sum_j softmax(s)_j * layers[j] (float64)."""
    layers = [np.asarray(h, dtype=np.float64) for h in layers]
    s = np.asarray(s, dtype=np.float64)
    if s.shape != (len(layers),):
        raise ValueError(f"s must hold one weight per layer ({len(layers)}), got shape {s.shape}")
    w = np.exp(s - s.max())
    w /= w.sum()
    return float(gamma) * sum(wj * h for wj, h in zip(w, layers))


def build_bilm(vocab_size: int, char_vocab_size: int, *, char_dim: int = 16, filters=DEFAULT_FILTERS,
               proj_dim: int = 64, units: int = 128, n_layers: int = 2, leaky: bool = False):
    """The biLM. Returns ``(train_model, feature_model)``.

    train_model: chars (batch, T, max_chars) -> [forward logits, backward logits], each
        (batch, T, vocab_size). The forward LM at position t predicts token t+1, the backward LM
        token t-1 (see :func:`bilm_targets`). Both share the CharCNNEncoder and the softmax Dense.
    feature_model: chars -> a list of ``n_layers + 1`` tensors (batch, T, 2*proj_dim): layer 0 is
        the token encoder output repeated for both directions ([x; x], context-free), layer j is
        [forward LSTM j; backward LSTM j], each LSTM projected to proj_dim as in ELMo.
    leaky=True builds the classic bug on purpose: the "backward" LSTMs read left to right, so the
        backward state at t has seen token t-1, its own target.
    """
    keras = _keras()
    _, CharCNNEncoder, _ = _layers()
    for name, value in (("vocab_size", vocab_size), ("units", units), ("n_layers", n_layers)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
            raise ValueError(f"{name} must be a positive integer, got {value!r}")
    chars = keras.Input(shape=(None, None), dtype="int32", name="chars")
    encoder = CharCNNEncoder(char_vocab_size, char_dim, filters, proj_dim, name="char_cnn")
    x = encoder(chars)
    softmax = keras.layers.Dense(vocab_size, name="shared_softmax")  # logits; shared by both LMs

    def direction(x, name, backward):
        states = []
        h = keras.ops.flip(x, axis=1) if backward else x  # the backward LM reads right to left
        for j in range(n_layers):
            out = keras.layers.LSTM(units, return_sequences=True, name=f"{name}_lstm{j + 1}")(h)
            out = keras.layers.Dense(proj_dim, name=f"{name}_proj{j + 1}")(out)
            h = out + h if j > 0 else out  # residual between LSTM layers, as in ELMo
            states.append(keras.ops.flip(h, axis=1) if backward else h)  # back to text order
        return states

    fwd = direction(x, "forward", backward=False)
    bwd = direction(x, "backward", backward=not leaky)
    train_model = keras.Model(chars, [softmax(fwd[-1]), softmax(bwd[-1])], name="bilm")
    layers = [keras.ops.concatenate([x, x], axis=-1)]
    layers += [keras.ops.concatenate([f, b], axis=-1) for f, b in zip(fwd, bwd)]
    feature_model = keras.Model(chars, layers, name="bilm_features")
    return train_model, feature_model


def bilm_targets(window_ids: np.ndarray) -> tuple[slice, np.ndarray, np.ndarray]:
    """Inputs and targets from windows of T + 2 token ids: (input slice, forward, backward).

    The model reads tokens 1..T; the forward target at position t is token t+1 and the backward
    target token t-1, so every input position has both a left and a right neighbour to predict.
    """
    window_ids = np.asarray(window_ids)
    if window_ids.ndim != 2 or window_ids.shape[1] < 3:
        raise ValueError(f"windows must be (n, T + 2) with T >= 1, got shape {window_ids.shape}")
    return slice(1, -1), window_ids[:, 2:], window_ids[:, :-2]
