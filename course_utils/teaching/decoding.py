"""Decoding a sequence model's output: greedy search and beam search (notebooks 08 and 09).

The search is written once, in NumPy, for any model. A model takes part through one callback,

    next_log_probs(rows, prefixes) -> (m, vocab) log-probabilities of the next token,

where ``rows[i]`` names the source example and ``prefixes[i]`` is the target so far, starting
with the start id. :func:`keras_next_log_probs` makes that callback from any Keras model
with inputs ``[source_ids, decoder_input_ids]`` and a softmax over the next token at each
decoder position (the teacher-forcing model itself), so one function decodes an RNN
encoder-decoder and a Transformer alike. It re-runs the model on the whole prefix at every
step: simple and exact, quadratic in the target length, fine for the short targets here.
Decoding calls the model once per output step; called eagerly, a Keras RNN runs op by op (on a
CPU, about a second per call), so the callback traces the model once as a TensorFlow graph,
for any batch size and lengths, and keeps that graph for the model's next callbacks.
:func:`teacher_forced_probs` runs the same graph once over whole targets (all positions). For the
course's RNN encoder-decoders, ``seq2seq.rnn_next_log_probs`` is a faster callback with the same
probabilities: it encodes each source once and keeps the decoder's state between steps.

Returned sequences exclude the start and end ids; each log-probability is the sum over the
chosen tokens, the end token included.
"""
from __future__ import annotations

import weakref
from typing import Callable

import numpy as np

NextLogProbs = Callable[[np.ndarray, np.ndarray], np.ndarray]


def _check_positive(name: str, value) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"{name} must be a positive integer (1, 2, 3, ...), got {value!r}")


# one traced graph per Keras model, shared by every callback made from it
_GRAPHS: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def _traced(model) -> Callable:
    """``(source, prefixes, first) -> probabilities at decoder positions first, first+1, ...``.

    A Keras model on the TensorFlow backend is traced once (``tf.function``, batch, lengths and
    ``first`` left free), so that decoding (the last position) and a teacher-forced pass (all
    positions) share one graph; any other callable taking ``[source, prefixes]`` is called as it is.
    """
    import keras

    if not isinstance(model, keras.Model) or keras.backend.backend() != "tensorflow":
        return lambda src, dec, first: np.asarray(model([src, dec], training=False))[:, first:, :]
    graph = _GRAPHS.get(model)
    if graph is None:
        import tensorflow as tf

        ref = weakref.ref(model)  # the cache must not keep the model alive
        dtypes = [tf.as_dtype(getattr(t, "dtype", None) or "int32") for t in model.inputs]
        spec = [tf.TensorSpec([None, None], dtype) for dtype in dtypes] + [tf.TensorSpec([], tf.int32)]

        def positions(src, dec, first):  # sliced inside the graph: only the positions asked for leave it
            return ref()([src, dec], training=False)[:, first:, :]

        traced = tf.function(positions, input_signature=spec)

        def graph(src, dec, first):
            src, dec = (np.asarray(a, dtype=d.as_numpy_dtype) for a, d in zip((src, dec), dtypes))
            return traced(src, dec, np.int32(first)).numpy()

        graph.traced = traced  # traced.experimental_get_tracing_count() stays 1
        _GRAPHS[model] = graph
    return graph


def _last_step_probs(model) -> Callable:
    """``(source, prefixes) -> probabilities at the last decoder position``, fast where possible."""
    graph = _traced(model)
    return lambda src, dec: graph(src, dec, np.shape(dec)[1] - 1)[:, 0, :]


def teacher_forced_probs(model, x_source, dec_in, batch_size: int = 512) -> np.ndarray:
    """The model's next-token probabilities at every decoder position, ``(N, T, vocab)``.

    One teacher-forced pass (``dec_in`` = START + the true target), through the graph that the
    decoding callback traced for the model (or traces it): ``.argmax(-1)`` is the teacher-forced
    prediction.
    """
    _check_positive("batch_size", batch_size)
    x_source, dec_in = np.asarray(x_source), np.asarray(dec_in)
    if len(x_source) != len(dec_in):
        raise ValueError(f"x_source has {len(x_source)} rows and dec_in {len(dec_in)}; they must be equal")
    graph = _traced(model)
    return np.concatenate([np.asarray(graph(x_source[i:i + batch_size], dec_in[i:i + batch_size], 0))
                           for i in range(0, len(x_source), batch_size)])


def keras_next_log_probs(model, x_source, batch_size: int = 512) -> NextLogProbs:
    """The decoding callback for a Keras model with inputs [source_ids, decoder_input_ids].

    ``model`` is the plain (teacher-forcing) Keras model; it is traced once as a graph.
    """
    _check_positive("batch_size", batch_size)
    x_source = np.asarray(x_source)
    last_step = _last_step_probs(model)

    def next_log_probs(rows: np.ndarray, prefixes: np.ndarray) -> np.ndarray:
        out = []
        for start in range(0, len(rows), batch_size):
            r = rows[start:start + batch_size]
            out.append(np.asarray(last_step(x_source[r], prefixes[start:start + batch_size])))
        return np.log(np.clip(np.concatenate(out).astype(np.float64), 1e-30, None))

    return next_log_probs


def greedy_decode(next_log_probs: NextLogProbs, n: int, start_id: int, end_id: int,
                  max_len: int) -> tuple[list[list[int]], np.ndarray]:
    """Pick the most probable next token at each step, for ``n`` source examples at once.

    Stops a sequence at ``end_id`` or after ``max_len`` generated tokens.
    """
    _check_positive("n", n)
    _check_positive("max_len", max_len)
    prefixes = np.full((n, 1), start_id, dtype=np.int64)
    logprob = np.zeros(n)
    done = np.zeros(n, dtype=bool)
    sequences: list[list[int]] = [[] for _ in range(n)]
    for _ in range(max_len):
        rows = np.flatnonzero(~done)
        lp = next_log_probs(rows, prefixes[rows])
        best = lp.argmax(axis=-1)
        logprob[rows] += lp[np.arange(len(rows)), best]
        step = np.full(n, end_id, dtype=np.int64)
        step[rows] = best
        prefixes = np.concatenate([prefixes, step[:, None]], axis=1)
        for r, tok in zip(rows, best):
            if tok == end_id:
                done[r] = True
            else:
                sequences[r].append(int(tok))
        if done.all():
            break
    return sequences, logprob


def beam_search(next_log_probs: NextLogProbs, n: int, start_id: int, end_id: int, max_len: int,
                beam_width: int = 4, length_penalty: float = 0.0) -> tuple[list[list[int]], np.ndarray]:
    """Keep the ``beam_width`` most probable prefixes per example; return the best finished one.

    Hypotheses are ranked by log-probability / length**length_penalty (0 = plain
    log-probability; Wu et al. 2016 use a penalty to stop short outputs from winning). A search
    stops for an example once its ``beam_width`` best hypotheses have all ended, or after
    ``max_len`` tokens. With ``beam_width=1`` this is greedy search.
    """
    _check_positive("n", n)
    _check_positive("max_len", max_len)
    _check_positive("beam_width", beam_width)
    if isinstance(length_penalty, bool) or not isinstance(length_penalty, (int, float)) or length_penalty < 0:
        raise ValueError(f"length_penalty must be a number >= 0, got {length_penalty!r}")

    def rank(h):
        tokens, lp, _ = h
        return lp / max(len(tokens), 1) ** length_penalty

    # per example: a list of hypotheses (tokens after start incl. end if finished, logprob, finished)
    beams: list[list[tuple[list[int], float, bool]]] = [[([], 0.0, False)] for _ in range(n)]
    for _ in range(max_len):
        alive = [(i, h) for i in range(n) for h in beams[i] if not h[2]]
        if not alive:
            break
        rows = np.array([i for i, _ in alive])
        prefixes = np.array([[start_id] + h[0] for _, h in alive], dtype=np.int64)
        lp = next_log_probs(rows, prefixes)
        candidates: list[list[tuple[list[int], float, bool]]] = [[h for h in beams[i] if h[2]] for i in range(n)]
        for (i, (tokens, score, _)), row_lp in zip(alive, lp):
            for tok in np.argsort(-row_lp, kind="stable")[:beam_width]:  # ties: lowest id, as argmax
                candidates[i].append((tokens + [int(tok)], score + float(row_lp[tok]), int(tok) == end_id))
        beams = [sorted(c, key=rank, reverse=True)[:beam_width] if c else b for c, b in zip(candidates, beams)]
    sequences, logprobs = [], np.zeros(n)
    for i, hyps in enumerate(beams):
        finished = [h for h in hyps if h[2]] or hyps
        tokens, score, ended = max(finished, key=rank)
        sequences.append(tokens[:-1] if ended else tokens)
        logprobs[i] = score
    return sequences, logprobs
