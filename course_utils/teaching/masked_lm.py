"""BERT's pre-training data: a WordPiece vocabulary, masked-LM masking and next-sentence pairs.

Devlin et al. (2019, §3.1 and appendix A.1):

- the vocabulary is WordPiece with the special tokens [PAD], [UNK], [CLS], [SEP], [MASK]
  (trained here with the HuggingFace ``tokenizers`` library, :func:`train_wordpiece`);
- masked LM: 15% of the (non-special) token positions are chosen for prediction; a chosen
  position is replaced by [MASK] 80% of the time, by a random token 10% of the time and left
  unchanged 10% of the time (:func:`mask_tokens`);
- next-sentence prediction: sentence B follows sentence A in the text 50% of the time and is a
  random sentence from another document otherwise (:func:`make_nsp_pairs`);
- inputs are ``[CLS] A [SEP] B [SEP]`` with segment ids 0 for [CLS] A [SEP] and 1 for B [SEP]
  (:func:`encode_pair`).
"""
from __future__ import annotations

import re
from typing import Iterable, Sequence

import numpy as np

from . import batching

__all__ = [
    "SPECIAL_TOKENS", "PAD", "UNK", "CLS", "SEP", "MASK", "NOT_CHOSEN", "TO_MASK", "TO_RANDOM", "KEPT",
    "train_wordpiece", "mask_tokens", "split_sentences", "segment_documents", "make_nsp_pairs", "gather_predictions", "encode_pair", "encode_single",
    "encode_pairs", "pretraining_batch", "pretraining_dataset", "held_out_accuracy",
]

SPECIAL_TOKENS = ("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]")
PAD, UNK, CLS, SEP, MASK = range(5)   # their ids in every vocabulary train_wordpiece builds
# what mask_tokens did at each position
NOT_CHOSEN, TO_MASK, TO_RANDOM, KEPT = 0, 1, 2, 3


def _fraction(name, value, closed=False):
    ok = isinstance(value, (int, float)) and not isinstance(value, bool) and (
        0 <= value <= 1 if closed else 0 < value < 1)
    if not ok:
        interval = "[0, 1]" if closed else "(0, 1), strictly between 0 and 1"
        raise ValueError(f"{name} must be a number in {interval}; got {value!r}")


def train_wordpiece(texts: Iterable[str], vocab_size: int = 8000, min_frequency: int = 2):
    """A lower-casing WordPiece tokenizer (``tokenizers.Tokenizer``) trained on ``texts``.

    The special tokens get ids 0-4 in the order of :data:`SPECIAL_TOKENS` ([PAD] = 0).
    Continuation pieces start with ``##`` as in BERT.
    """
    from tokenizers import Tokenizer, decoders, models, normalizers, pre_tokenizers, trainers

    if isinstance(vocab_size, bool) or not isinstance(vocab_size, int) or vocab_size <= len(SPECIAL_TOKENS):
        raise ValueError(f"vocab_size must be an integer > {len(SPECIAL_TOKENS)}, got {vocab_size!r}")
    tokenizer = Tokenizer(models.WordPiece(unk_token="[UNK]"))
    tokenizer.normalizer = normalizers.BertNormalizer(lowercase=True, clean_text=True, strip_accents=True)
    tokenizer.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    tokenizer.decoder = decoders.WordPiece()
    trainer = trainers.WordPieceTrainer(vocab_size=vocab_size, min_frequency=min_frequency,
                                        special_tokens=list(SPECIAL_TOKENS), show_progress=False)
    tokenizer.train_from_iterator(texts, trainer)
    for i, token in enumerate(SPECIAL_TOKENS):
        assert tokenizer.token_to_id(token) == i, (token, tokenizer.token_to_id(token))
    return tokenizer


def mask_tokens(ids, rng: np.random.Generator, *, vocab_size: int, mask_rate: float = 0.15,
                mask_token_rate: float = 0.8, random_token_rate: float = 0.1,
                special_ids: Sequence[int] = (PAD, UNK, CLS, SEP, MASK), mask_id: int = MASK):
    """BERT's masked-LM corruption of a batch of token ids.

    Every position whose id is not in ``special_ids`` is chosen independently with probability
    ``mask_rate``. A chosen position becomes ``mask_id`` with probability ``mask_token_rate``, a
    random non-special token with probability ``random_token_rate``, and keeps its token
    otherwise. Special tokens ([PAD], [CLS], [SEP]...) are never chosen.

    Returns ``(inputs, labels, weights, action)``, all shaped like ``ids``: the corrupted ids,
    the original ids (the targets, 0 where not chosen), 1.0 at chosen positions (the loss
    weights), and what was done (:data:`NOT_CHOSEN`, :data:`TO_MASK`, :data:`TO_RANDOM`,
    :data:`KEPT`).
    """
    _fraction("mask_rate", mask_rate)
    _fraction("mask_token_rate", mask_token_rate, closed=True)
    _fraction("random_token_rate", random_token_rate, closed=True)
    if mask_token_rate + random_token_rate > 1:
        raise ValueError(f"mask_token_rate + random_token_rate must be <= 1; got "
                         f"{mask_token_rate} + {random_token_rate}")
    ids = np.asarray(ids)
    special = np.asarray(sorted(set(special_ids)))
    ordinary = np.setdiff1d(np.arange(vocab_size), special)
    if ordinary.size == 0:
        raise ValueError("vocab_size leaves no ordinary (non-special) token to draw")
    candidate = ~np.isin(ids, special)
    chosen = candidate & (rng.random(ids.shape) < mask_rate)
    u = rng.random(ids.shape)
    action = np.full(ids.shape, NOT_CHOSEN, dtype=np.int8)
    action[chosen & (u < mask_token_rate)] = TO_MASK
    action[chosen & (u >= mask_token_rate) & (u < mask_token_rate + random_token_rate)] = TO_RANDOM
    action[chosen & (u >= mask_token_rate + random_token_rate)] = KEPT
    inputs = ids.copy()
    inputs[action == TO_MASK] = mask_id
    n_random = int((action == TO_RANDOM).sum())
    inputs[action == TO_RANDOM] = rng.choice(ordinary, size=n_random)
    labels = np.where(chosen, ids, 0)
    return inputs, labels, chosen.astype("float32"), action


def gather_predictions(labels, weights, max_predictions: int):
    """The chosen positions of each row, for a model that predicts only there.

    Returns ``(positions, targets, target_weights)``, each (B, max_predictions): the indices of
    the first ``max_predictions`` chosen positions of each row (0-padded), the original tokens
    there, and 1.0 for real entries (0.0 for padding; a row with more chosen positions than
    ``max_predictions`` keeps only the first ones, as BERT caps them).
    """
    labels, weights = np.asarray(labels), np.asarray(weights)
    n = labels.shape[0]
    positions = np.zeros((n, max_predictions), dtype="int32")
    targets = np.zeros((n, max_predictions), dtype="int32")
    target_weights = np.zeros((n, max_predictions), dtype="float32")
    rows, cols = np.nonzero(weights > 0)
    rank = np.arange(rows.size) - np.searchsorted(rows, rows)      # 0, 1, 2... within each row
    keep = rank < max_predictions
    rows, cols, rank = rows[keep], cols[keep], rank[keep]
    positions[rows, rank] = cols
    targets[rows, rank] = labels[rows, cols]
    target_weights[rows, rank] = 1.0
    return positions, targets, target_weights


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def split_sentences(text: str, min_words: int = 3) -> list[str]:
    """Sentences of ``text``, split after '.', '!' or '?' followed by white space; pieces of
    fewer than ``min_words`` words are joined to the next one."""
    out, carry = [], ""
    for piece in _SENTENCE_END.split(text.replace("\n", " ")):
        piece = (carry + " " + piece).strip() if carry else piece.strip()
        if len(piece.split()) < min_words:
            carry = piece
            continue
        out.append(piece)
        carry = ""
    if carry:
        if out:
            out[-1] = out[-1] + " " + carry
        else:
            out.append(carry)
    return out


def segment_documents(tokenizer, texts: Sequence[str], max_pieces: int) -> list[list[str]]:
    """Each text as a list of **segments**: runs of consecutive sentences (:func:`split_sentences`)
    joined while their WordPiece count stays within ``max_pieces``.

    BERT's "sentences" A and B are such spans of text, not linguistic sentences (Devlin et al.
    2019, §3.1): a pair ``[CLS] A [SEP] B [SEP]`` of two segments of at most ``max_pieces`` pieces
    fills ``2 * max_pieces + 3`` positions, so ``max_pieces = (max_len - 4) // 2`` fits
    ``max_len``. A new segment starts when the next sentence would overflow the current one; a
    single sentence longer than ``max_pieces`` is a segment by itself (:func:`encode_pair` cuts it).
    Pass the result to :func:`make_nsp_pairs`. Sentences are tokenized in one batch.
    """
    if isinstance(max_pieces, bool) or not isinstance(max_pieces, (int, np.integer)) or max_pieces < 1:
        raise ValueError(f"max_pieces must be a positive integer, got {max_pieces!r}")
    sentences = [split_sentences(t) for t in texts]
    flat = [s for doc in sentences for s in doc]
    lengths = iter([len(e.ids) for e in tokenizer.encode_batch(flat, add_special_tokens=False)] if flat else [])
    out = []
    for doc in sentences:
        segments, current, n = [], [], 0
        for sentence in doc:
            k = next(lengths)
            if current and n + k > max_pieces:
                segments.append(" ".join(current))
                current, n = [], 0
            current.append(sentence)
            n += k
        if current:
            segments.append(" ".join(current))
        out.append(segments)
    return out


def make_nsp_pairs(documents: Sequence[Sequence], rng: np.random.Generator, p_next: float = 0.5):
    """Next-sentence pairs ``(a, b, is_next)`` from documents given as lists of sentences.

    For every sentence ``a`` that has a successor in its document: with probability ``p_next``
    ``b`` is that successor (is_next = 1), otherwise ``b`` is a random sentence of another
    document (is_next = 0), as in BERT's pre-training data.
    """
    _fraction("p_next", p_next)
    docs = [list(d) for d in documents if len(d) > 0]
    if len(docs) < 2:
        raise ValueError("make_nsp_pairs needs at least 2 non-empty documents (random sentences come from another one)")
    pairs = []
    for i, doc in enumerate(docs):
        for j in range(len(doc) - 1):
            if rng.random() < p_next:
                pairs.append((doc[j], doc[j + 1], 1))
            else:
                k = int(rng.integers(len(docs) - 1))
                k += k >= i                               # any document but this one
                other = docs[k]
                pairs.append((doc[j], other[int(rng.integers(len(other)))], 0))
    return pairs


def encode_pair(a_ids: Sequence[int], b_ids: Sequence[int], max_len: int):
    """``[CLS] a [SEP] b [SEP]`` padded with [PAD] to ``max_len``, and its segment ids.

    When too long, the longer of a and b loses its last token until it fits (BERT's
    truncation). Returns two int32 arrays of length ``max_len``."""
    a, b = list(a_ids), list(b_ids)
    if max_len < 5:
        raise ValueError(f"max_len must be >= 5 to hold [CLS] a [SEP] b [SEP]; got {max_len}")
    while len(a) + len(b) > max_len - 3:
        (a if len(a) >= len(b) else b).pop()
    tokens = [CLS] + a + [SEP] + b + [SEP]
    segments = [0] * (len(a) + 2) + [1] * (len(b) + 1)
    pad = max_len - len(tokens)
    return (np.asarray(tokens + [PAD] * pad, dtype="int32"), np.asarray(segments + [0] * pad, dtype="int32"))


def encode_single(ids_list: Sequence[Sequence[int]], max_len: int, head: int | None = None):
    """``[CLS] text [SEP]`` for each text, padded: (N, max_len) ids and zero segments.

    A text longer than the ``max_len - 2`` pieces that fit is cut: to its first pieces
    (``head=None``), or to its first ``head`` pieces followed by its last ``max_len - 2 - head``
    (Sun et al. 2019, *How to Fine-Tune BERT for Text Classification?*: head + tail reads IMDB
    better than either end alone, since a review's verdict often comes last)."""
    if max_len < 3:
        raise ValueError(f"max_len must be >= 3 to hold [CLS] text [SEP]; got {max_len}")
    room = max_len - 2
    if head is not None and not (isinstance(head, (int, np.integer)) and 0 <= head <= room):
        raise ValueError(f"head must be an integer from 0 to max_len - 2 = {room} (pieces kept from the start of a long "
                         f"text), or None to keep the start only; got {head!r}")
    out = np.zeros((len(ids_list), max_len), dtype="int32")
    for i, ids in enumerate(ids_list):
        ids = list(ids)
        if len(ids) > room:
            ids = ids[:room] if head is None or head == room else ids[:head] + ids[len(ids) - (room - head):]
        row = [CLS] + ids + [SEP]
        out[i, : len(row)] = row
    return out, np.zeros_like(out)


def encode_pairs(tokenizer, pairs: Sequence[tuple[str, str, int]], max_len: int):
    """Sentence pairs ``(a, b, is_next)`` -> ``(ids, segments, is_next)`` arrays for pre-training:
    (N, max_len) int32 ``[CLS] a [SEP] b [SEP]`` rows (:func:`encode_pair`), their segment ids,
    and the (N,) int32 next-sentence labels. Each distinct sentence is tokenized once."""
    texts = sorted({s for a, b, _ in pairs for s in (a, b)})
    ids_of = {t: e.ids for t, e in zip(texts, tokenizer.encode_batch(texts, add_special_tokens=False))}
    encoded = [encode_pair(ids_of[a], ids_of[b], max_len) for a, b, _ in pairs]
    ids = np.stack([e[0] for e in encoded]) if encoded else np.zeros((0, max_len), "int32")
    segments = np.stack([e[1] for e in encoded]) if encoded else np.zeros((0, max_len), "int32")
    return ids, segments, np.asarray([y for _, _, y in pairs], dtype="int32")


def pretraining_batch(ids, segments, is_next, rng: np.random.Generator, *, vocab_size: int,
                      max_predictions: int, mask_rate: float = 0.15):
    """Inputs, targets and sample weights for ``transformer.build_bert_pretrainer``'s ``fit``.

    Masks ``ids`` afresh (:func:`mask_tokens`) and gathers the chosen positions
    (:func:`gather_predictions`): returns ``([masked_ids, segments, positions],
    {"mlm": targets, "nsp": is_next}, {"mlm": target_weights, "nsp": ones})``.
    """
    inputs, labels, weights, _ = mask_tokens(ids, rng, vocab_size=vocab_size, mask_rate=mask_rate)
    positions, targets, target_weights = gather_predictions(labels, weights, max_predictions)
    return ([inputs, segments, positions], {"mlm": targets, "nsp": np.asarray(is_next, "int32")},
            {"mlm": target_weights, "nsp": np.ones(len(target_weights), "float32")})


def pretraining_dataset(ids, segments, is_next, *, vocab_size: int, max_predictions: int, batch_size: int = 32,
                        mask_rate: float = 0.15, seed: int = 0, noise: float = 8.0):
    """Pre-training batches of similar length for ``fit``: a ``tf.data.Dataset`` whose every pass
    (epoch) masks the rows afresh (:func:`pretraining_batch`), sorts them by length plus uniform
    noise in ``[0, noise)``, cuts them into batches of ``batch_size``, shuffles the batches and cuts
    each batch to its longest row.

    Rows of ``[CLS] A [SEP] B [SEP]`` are padded at the end, so cutting a batch drops only
    padding: a sentence pair of IMDB is about 53 pieces long, and a model fed whole 128-piece
    rows spends most of its work on [PAD]. The same arguments give the same batches in the same
    order. The prediction slots (:func:`gather_predictions` packs each row's chosen positions
    first) are cut to the most any row of the batch uses, so the MLM head's softmax runs over
    about 0.15 x the batch's width rather than ``max_predictions`` slots. Shapes are declared
    ``(None, None)``: Keras traces its training step once.
    """
    import tensorflow as tf

    ids, segments, is_next = np.asarray(ids, "int32"), np.asarray(segments, "int32"), np.asarray(is_next, "int32")
    if isinstance(batch_size, bool) or not isinstance(batch_size, (int, np.integer)) or batch_size < 1:
        raise ValueError(f"batch_size must be a positive integer, got {batch_size!r}")
    if isinstance(noise, bool) or not isinstance(noise, (int, float)) or noise < 0:
        raise ValueError(f"noise must be a number >= 0, got {noise!r}")
    if len(ids) == 0 or ids.shape != segments.shape or len(is_next) != len(ids):
        raise ValueError(f"ids and segments must be equal non-empty (N, T) arrays with one is_next label per row; "
                         f"got {ids.shape}, {segments.shape}, {is_next.shape}")
    _fraction("mask_rate", mask_rate)
    lengths = (ids != PAD).sum(1)
    rng = np.random.default_rng(seed)

    def batches():  # called once per pass
        x, y, w = pretraining_batch(ids, segments, is_next, rng, vocab_size=vocab_size,
                                    max_predictions=max_predictions, mask_rate=mask_rate)
        slots_used = w["mlm"].sum(1).astype(int)
        for r in batching.batch_indices(lengths, batch_size, rng, noise=noise):
            width, slots = int(lengths[r].max()), max(1, int(slots_used[r].max()))
            yield ((x[0][r, :width], x[1][r, :width], x[2][r, :slots]), {"mlm": y["mlm"][r, :slots], "nsp": y["nsp"][r]},
                   {"mlm": w["mlm"][r, :slots], "nsp": w["nsp"][r]})

    spec = tf.TensorSpec
    signature = ((spec([None, None], tf.int32), spec([None, None], tf.int32), spec([None, None], tf.int32)),
                 {"mlm": spec([None, None], tf.int32), "nsp": spec([None], tf.int32)},
                 {"mlm": spec([None, None], tf.float32), "nsp": spec([None], tf.float32)})
    return batching.as_dataset(batches, signature, -(-len(ids) // batch_size)).prefetch(2)


def held_out_accuracy(pretrainer, data, *, vocab_size: int, mask_rate: float = 0.15, seed: int = 10_000,
                      batch_size: int = 128) -> dict:
    """A pre-trainer's accuracy on held-out ``data = (ids, segments, is_next)``, masked with ``seed``.

    Returns ``{"mlm": accuracy at the masked positions, "nsp": next-sentence accuracy,
    "mlm_most_frequent": accuracy of always answering the most frequent masked token}``.
    """
    ids, segments, is_next = data
    # no cap: every chosen position is scored (slots = the row's width)
    x, y, w = pretraining_batch(ids, segments, is_next, np.random.default_rng(seed), vocab_size=vocab_size,
                                max_predictions=ids.shape[1], mask_rate=mask_rate)
    mlm_guess, nsp_guess = np.zeros_like(y["mlm"]), np.zeros_like(y["nsp"])
    for b in range(0, len(ids), batch_size):   # batch by batch: (rows, slots, V) probabilities are large
        r = slice(b, b + batch_size)
        slots = max(1, int(w["mlm"][r].sum(1).max()))
        out = pretrainer.predict_on_batch([x[0][r], x[1][r], x[2][r, :slots]])
        mlm_guess[r, :slots] = np.asarray(out["mlm"]).argmax(-1)
        nsp_guess[r] = np.asarray(out["nsp"]).argmax(-1)
    chosen = w["mlm"] > 0
    targets = y["mlm"][chosen]
    return {"mlm": float((mlm_guess[chosen] == targets).mean()),
            "nsp": float((nsp_guess == y["nsp"]).mean()),
            "mlm_most_frequent": float((targets == np.bincount(targets).argmax()).mean())}
