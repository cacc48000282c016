"""Attention in NumPy: the reference that notebooks 08, 09 and 10 check Keras against.

Every function works in float64 on plain arrays, with the batch first:

- scores: :func:`dot_scores` (Luong's "dot", optionally scaled) and :func:`additive_scores`
  (Bahdanau's v·tanh(W_q q + W_k k + b));
- weights and context: :func:`masked_softmax`, :func:`attend`;
- the Transformer's :func:`scaled_dot_product_attention` and :func:`multi_head_attention`,
  the latter with the weight layout of ``keras.layers.MultiHeadAttention``;
- masks: :func:`padding_mask` and :func:`causal_mask` (True = may attend, as in Keras).

A masked score is replaced by -1e9 before the softmax (Keras adds -1e9, which in float32 comes
to the same), so a row whose every key is masked gets uniform weights in both, not NaN.
"""
from __future__ import annotations

from typing import Sequence

import numpy as np

MASKED_SCORE = -1e9  # what Keras adds to a masked score before its softmax


def _f64(x) -> np.ndarray:
    return np.asarray(x, dtype=np.float64)


def padding_mask(lengths: Sequence[int], max_len: int) -> np.ndarray:
    """(B, max_len) bool: True at the first ``lengths[b]`` positions of row b (real tokens)."""
    lengths = np.asarray(lengths)
    if lengths.ndim != 1 or (lengths < 0).any() or (lengths > max_len).any():
        raise ValueError(f"lengths must be a 1-D sequence of integers in [0, max_len={max_len}], got {lengths!r}")
    return np.arange(max_len)[None, :] < lengths[:, None]


def causal_mask(n: int) -> np.ndarray:
    """(n, n) bool, lower triangle: position i may attend to positions j <= i only."""
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise ValueError(f"n must be a positive integer, got {n!r}")
    return np.tril(np.ones((n, n), dtype=bool))


def masked_softmax(scores, mask=None, axis: int = -1) -> np.ndarray:
    """Softmax of ``scores`` along ``axis``; where ``mask`` is False the weight is (about) 0."""
    s = _f64(scores)
    if mask is not None:
        s = np.where(np.asarray(mask, dtype=bool), s, MASKED_SCORE)
    s = s - s.max(axis=axis, keepdims=True)
    e = np.exp(s)
    return e / e.sum(axis=axis, keepdims=True)


def dot_scores(query, keys, scale: float | None = None) -> np.ndarray:
    """Luong's dot score q·k for every (query, key) pair: (B, Tq, d), (B, Tk, d) -> (B, Tq, Tk)."""
    q, k = _f64(query), _f64(keys)
    if q.shape[-1] != k.shape[-1]:
        raise ValueError(f"query and keys need the same last dimension, got {q.shape} and {k.shape}")
    s = q @ np.swapaxes(k, -1, -2)
    return s * scale if scale is not None else s


def additive_scores(query, keys, v, W_q=None, W_k=None, b=None) -> np.ndarray:
    """Bahdanau's additive score v·tanh(q W_q + k W_k + b): (B, Tq, d), (B, Tk, d) -> (B, Tq, Tk).

    With ``W_q = W_k = None`` (query and keys already projected) and ``b = None`` this is
    ``keras.layers.AdditiveAttention``: reduce_sum(scale * tanh(q + k)), with ``v`` = its scale.
    """
    q, k, v = _f64(query), _f64(keys), _f64(v)
    if W_q is not None:
        q = q @ _f64(W_q)
    if W_k is not None:
        k = k @ _f64(W_k)
    if q.shape[-1] != k.shape[-1] or v.shape != (q.shape[-1],):
        raise ValueError(f"projected query {q.shape}, keys {k.shape} and v {v.shape} must share the last dimension")
    hidden = q[..., :, None, :] + k[..., None, :, :]  # (B, Tq, Tk, a)
    if b is not None:
        hidden = hidden + _f64(b)
    return np.tanh(hidden) @ v


def _expand_key_mask(mask, n_query_dims: int):
    """A (B, Tk) padding mask applies to every query: (B, 1, Tk); (B, Tq, Tk) is used as is."""
    if mask is None:
        return None
    mask = np.asarray(mask, dtype=bool)
    return mask[:, None, :] if mask.ndim == 2 and n_query_dims == 3 else mask


def attend(scores, values, mask=None) -> tuple[np.ndarray, np.ndarray]:
    """Softmax the scores over the keys, then the context = weighted sum of the values.

    scores (B, Tq, Tk), values (B, Tk, dv), mask (B, Tk) or (B, Tq, Tk) with True = keep.
    Returns (context (B, Tq, dv), weights (B, Tq, Tk)); each row of weights sums to 1.
    """
    s = _f64(scores)
    weights = masked_softmax(s, _expand_key_mask(mask, s.ndim))
    return weights @ _f64(values), weights


def scaled_dot_product_attention(q, k, v, mask=None) -> tuple[np.ndarray, np.ndarray]:
    """softmax(q kᵀ / sqrt(d_k)) v (Vaswani et al. 2017, eq. 1), over any leading dimensions.

    mask: broadcastable to (..., Tq, Tk), True = may attend (a padding or a causal mask).
    """
    q, k = _f64(q), _f64(k)
    scores = dot_scores(q, k, scale=1.0 / np.sqrt(q.shape[-1]))
    weights = masked_softmax(scores, mask)
    return weights @ _f64(v), weights


def multi_head_attention(query, value, key=None, *, weights: Sequence[np.ndarray], num_heads: int,
                         mask=None) -> tuple[np.ndarray, np.ndarray]:
    """Multi-head attention with the weights of a ``keras.layers.MultiHeadAttention``.

    weights: ``layer.get_weights()``: query, key and value kernels (d_in, heads, key_dim) with
    biases (heads, key_dim), then the output kernel (heads, key_dim, d_out) and bias (d_out,).
    mask: (B, Tq, Tk) or broadcastable, True = may attend (Keras's ``attention_mask``).
    Returns (output (B, Tq, d_out), weights (B, heads, Tq, Tk)).
    """
    if len(weights) != 8:
        raise ValueError(f"weights must be the 8 arrays of a MultiHeadAttention with biases, got {len(weights)}")
    wq, bq, wk, bk, wv, bv, wo, bo = (_f64(w) for w in weights)
    if wq.shape[1] != num_heads:
        raise ValueError(f"num_heads={num_heads} does not match the query kernel's {wq.shape[1]} heads")
    key = value if key is None else key
    # project each input into every head: (B, T, d) x (d, h, k) -> (B, h, T, k)
    q = np.einsum("btd,dhk->bhtk", _f64(query), wq) + bq[None, :, None, :]
    k = np.einsum("btd,dhk->bhtk", _f64(key), wk) + bk[None, :, None, :]
    v = np.einsum("btd,dhk->bhtk", _f64(value), wv) + bv[None, :, None, :]
    if mask is not None:
        mask = np.asarray(mask, dtype=bool)
        if mask.ndim == 3:  # same mask for every head
            mask = mask[:, None, :, :]
    heads, attn = scaled_dot_product_attention(q, k, v, mask)  # (B, h, Tq, k)
    out = np.einsum("bhtk,hko->bto", heads, wo) + bo
    return out, attn
