"""NumPy reference implementations of the recurrent layers (forward pass only).

Each function takes an input batch ``x`` of shape ``(batch, time, features)`` and the
weights of the matching Keras layer, exactly as ``layer.get_weights()`` returns them, and
reproduces the layer's output: the full output sequence (or, with
``return_sequences=False``, the last step) and the final state(s), in the order Keras
returns them with ``return_state=True``.

The code follows the lecture's notation, one time step at a time. Keras stores kernels
as ``(inputs, units)`` matrices and multiplies row vectors from the right
(``x @ kernel``); the lecture writes column vectors multiplied from the left (``U x``).
So ``U = kernel.T`` and ``W = recurrent_kernel.T``, and for a batch of row vectors
``U x`` becomes ``x @ U.T``.

- SimpleRNN (tanh):  a = b + W h(t-1) + U x(t),  h(t) = tanh(a)
- LSTM (Hochreiter & Schmidhuber 1997; Keras gate order i, f, c, o):
  i = σ(...), f = σ(...), c̃ = tanh(...), c(t) = f * c(t-1) + i * c̃,
  o = σ(...), h(t) = o * tanh(c(t))
- GRU (Cho et al. 2014; Keras gate order z, r, h):
  z = σ(...), r = σ(...), h̃ = tanh(...), h(t) = z * h(t-1) + (1 - z) * h̃
  (Keras's convention: z = 1 keeps the old state). ``reset_after=True`` (the Keras
  default, cuDNN-compatible) applies r after the recurrent matrix product and has two
  bias vectors; ``reset_after=False`` (the original paper) applies it before.

All arithmetic is in float64; Keras runs in float32, so outputs agree to about 1e-6.
"""
from __future__ import annotations

from typing import Callable, Sequence

import numpy as np

__all__ = [
    "sigmoid", "softmax",
    "simple_rnn_step", "simple_rnn_forward",
    "lstm_step", "lstm_forward",
    "gru_step", "gru_forward",
]


def sigmoid(a: np.ndarray) -> np.ndarray:
    """Logistic function σ(a) = 1 / (1 + e^(-a)), Keras's default recurrent activation."""
    return 1.0 / (1.0 + np.exp(-a))


def softmax(o: np.ndarray, axis: int = -1) -> np.ndarray:
    """softmax(o)_k = e^(o_k) / Σ_j e^(o_j), computed stably (max subtracted first)."""
    e = np.exp(o - np.max(o, axis=axis, keepdims=True))
    return e / np.sum(e, axis=axis, keepdims=True)


def _prepare(x, units: int, states: Sequence | None, n_states: int):
    x = np.asarray(x, dtype=np.float64)
    if x.ndim != 3:
        raise ValueError(f"x must have shape (batch, time, features), got shape {x.shape}")
    if states is None:
        states = [np.zeros((x.shape[0], units)) for _ in range(n_states)]
    states = [np.asarray(s, dtype=np.float64) for s in states]
    if len(states) != n_states or any(s.shape != (x.shape[0], units) for s in states):
        raise ValueError(f"expected {n_states} initial state(s) of shape {(x.shape[0], units)}")
    return x, states


def _output(hs: list[np.ndarray], return_sequences: bool) -> np.ndarray:
    return np.stack(hs, axis=1) if return_sequences else hs[-1]


# --------------------------------------------------------------------------- SimpleRNN
def simple_rnn_step(x_t, h_prev, weights, activation: Callable = np.tanh):
    """One step of the vanilla RNN: a = b + W h(t-1) + U x(t), h(t) = activation(a)."""
    kernel, recurrent_kernel, b = weights
    U, W = kernel.T, recurrent_kernel.T
    a = b + h_prev @ W.T + x_t @ U.T
    return activation(a)


def simple_rnn_forward(x, weights, initial_state=None, return_sequences: bool = True,
                       activation: Callable = np.tanh):
    """``keras.layers.SimpleRNN`` forward pass. Returns ``(output, h_final)``.

    weights: ``[kernel (features, units), recurrent_kernel (units, units), bias (units,)]``.
    """
    units = weights[1].shape[0]
    x, (h,) = _prepare(x, units, None if initial_state is None else [initial_state], 1)
    hs = []
    for t in range(x.shape[1]):
        h = simple_rnn_step(x[:, t], h, weights, activation)
        hs.append(h)
    return _output(hs, return_sequences), h


# --------------------------------------------------------------------------- LSTM
def lstm_step(x_t, h_prev, c_prev, weights):
    """One LSTM step. Returns ``(h, c)``.

    weights: ``[kernel (features, 4u), recurrent_kernel (u, 4u), bias (4u,)]`` with the
    four blocks of columns in Keras's order i (input), f (forget), c (candidate), o (output).
    """
    kernel, recurrent_kernel, bias = weights
    a = x_t @ kernel + h_prev @ recurrent_kernel + bias  # all four pre-activations at once
    a_i, a_f, a_c, a_o = np.split(a, 4, axis=-1)
    f = sigmoid(a_f)                  # forget gate: how much of c(t-1) to keep
    i = sigmoid(a_i)                  # input gate: how much of the candidate to write
    c_tilde = np.tanh(a_c)            # candidate values
    c = f * c_prev + i * c_tilde      # cell update: the additive path
    o = sigmoid(a_o)                  # output gate: how much of the cell to show
    h = o * np.tanh(c)
    return h, c


def lstm_forward(x, weights, initial_state=None, return_sequences: bool = True):
    """``keras.layers.LSTM`` forward pass. Returns ``(output, h_final, c_final)``.

    initial_state: ``[h0, c0]`` or None for zeros.
    """
    units = weights[1].shape[0]
    x, (h, c) = _prepare(x, units, initial_state, 2)
    hs = []
    for t in range(x.shape[1]):
        h, c = lstm_step(x[:, t], h, c, weights)
        hs.append(h)
    return _output(hs, return_sequences), h, c


# --------------------------------------------------------------------------- GRU
def gru_step(x_t, h_prev, weights, reset_after: bool = True):
    """One GRU step in Keras's convention. Returns ``h``.

    weights: ``[kernel (features, 3u), recurrent_kernel (u, 3u), bias]``, column blocks in
    Keras's order z (update), r (reset), h (candidate). ``bias`` has shape ``(2, 3u)`` (input
    bias, recurrent bias) when ``reset_after=True``, ``(3u,)`` when ``reset_after=False``.
    """
    kernel, recurrent_kernel, bias = weights
    if reset_after:
        b_in, b_rec = bias[0], bias[1]
    else:
        b_in, b_rec = bias, np.zeros_like(bias)
    W_z, W_r, W_h = np.split(kernel, 3, axis=-1)
    U_z, U_r, U_h = np.split(recurrent_kernel, 3, axis=-1)
    bi_z, bi_r, bi_h = np.split(b_in, 3)
    br_z, br_r, br_h = np.split(b_rec, 3)

    z = sigmoid(x_t @ W_z + bi_z + h_prev @ U_z + br_z)   # update gate
    r = sigmoid(x_t @ W_r + bi_r + h_prev @ U_r + br_r)   # reset gate
    if reset_after:   # r scales the recurrent contribution after the matrix product
        h_tilde = np.tanh(x_t @ W_h + bi_h + r * (h_prev @ U_h + br_h))
    else:             # r scales the previous state before the matrix product
        h_tilde = np.tanh(x_t @ W_h + bi_h + (r * h_prev) @ U_h)
    return z * h_prev + (1.0 - z) * h_tilde


def gru_forward(x, weights, initial_state=None, return_sequences: bool = True,
                reset_after: bool = True):
    """``keras.layers.GRU`` forward pass. Returns ``(output, h_final)``."""
    units = weights[1].shape[0]
    bias = np.asarray(weights[2])
    if reset_after and bias.shape != (2, 3 * units):
        raise ValueError(f"reset_after=True needs a bias of shape (2, {3 * units}), got {bias.shape}")
    if not reset_after and bias.shape != (3 * units,):
        raise ValueError(f"reset_after=False needs a bias of shape ({3 * units},), got {bias.shape}")
    x, (h,) = _prepare(x, units, None if initial_state is None else [initial_state], 1)
    hs = []
    for t in range(x.shape[1]):
        h = gru_step(x[:, t], h, weights, reset_after)
        hs.append(h)
    return _output(hs, return_sequences), h
