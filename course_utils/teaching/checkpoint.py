"""The smoke profile's pre-trained mini-BERT: its recipe, the run that makes it, and its loader.

Pre-training is the costly half of BERT: Devlin et al. (2019) pre-trained for 1,000,000 steps,
then fine-tuned in minutes, and everybody since starts from the checkpoints they published.
Notebook 10 does the same at toy scale. In the full profile it pre-trains for real (its
``PRETRAIN_MINUTES``); the smoke profile, which must run in about a minute on 2 CPU cores, runs
the first steps of its own pre-training loop with the same model and corpus and then loads this
checkpoint: :data:`SMOKE_BERT` pre-trained for ``epochs`` passes by :func:`train_smoke_bert` on the
smoke corpus (``imdb_unsup_text("smoke")``, generated opinion reviews) at a constant rate,
post-norm, on whole 32-token rows without gradient clipping (the notebook's loop batches by
length and clips at norm 1; on these rows that changes little). Rebuild it with

    python -m course_utils.teaching.checkpoint            # writes course_utils/teaching/assets/smoke_bert*

which takes a few minutes on 2 CPU cores (the card, ``smoke_bert_card.json``, records the time,
the losses and the held-out accuracies of the run that made the shipped files).
:func:`load_smoke_bert` refuses files whose SHA-256 differs from :data:`SHA256`: rebuild, then
update :data:`SHA256` (the message gives the new values).
"""
from __future__ import annotations

import hashlib
import json
import math
import platform
import time
from pathlib import Path
from typing import Any

import numpy as np

from . import masked_lm

__all__ = ["ASSETS", "SMOKE_BERT", "FILES", "SHA256", "max_predictions", "smoke_pretraining_data",
           "build_smoke_bert", "train_smoke_bert", "load_smoke_bert"]

ASSETS = Path(__file__).resolve().parent / "assets"
# The recipe. Notebook 10's smoke profile uses the same corpus, sizes and learning rate.
SMOKE_BERT: dict[str, Any] = dict(
    n_reviews=5000,         # imdb_unsup_text("smoke", n_smoke=...): generated opinion reviews
    held_out_reviews=250,   # the first reviews, never trained on: held-out MLM / NSP accuracy
    vocab_size=2000,        # asked of the WordPiece trainer (it stops earlier on this corpus)
    max_len=32, d_model=64, num_heads=2, d_ff=256, num_layers=2, dropout=0.1,
    mask_rate=0.15, learning_rate=1e-3, batch_size=32, epochs=12, seed=0,
)
FILES = {"tokenizer": "smoke_bert_tokenizer.json", "weights": "smoke_bert.weights.h5", "card": "smoke_bert_card.json"}
# SHA-256 of the shipped tokenizer and weights (the card is informative only)
SHA256 = {
    "tokenizer": "018461c2d61f4b383c3084eb8835fea8b3e2db6d1088ebef83aa60d422952a45",
    "weights": "c38004b6e0faf479eff000f259c67b040ea2f080649e3d5fbf6fa3c022aad718",
}


def max_predictions(max_len: int, mask_rate: float) -> int:
    """Slots for masked positions per row: 1.5 times the expected number (BERT caps them too)."""
    return int(math.ceil(1.5 * mask_rate * max_len))


def smoke_pretraining_data(tokenizer, recipe: dict | None = None, seed: int | None = None):
    """Pre-training pairs of the smoke corpus, split by review: ``(train, held_out)``, each
    ``(ids, segments, is_next)`` from :func:`masked_lm.encode_pairs`. Next-sentence pairs are
    drawn with ``seed`` (default: the recipe's) within each part, so no held-out sentence is
    ever trained on."""
    from ..data.imdb import imdb_unsup_text

    recipe = {**SMOKE_BERT, **(recipe or {})}
    rng = np.random.default_rng(recipe["seed"] if seed is None else seed)
    texts = imdb_unsup_text("smoke", n_smoke=recipe["n_reviews"])
    held = recipe["held_out_reviews"]
    parts = []
    for docs in (texts[held:], texts[:held]):
        pairs = masked_lm.make_nsp_pairs([masked_lm.split_sentences(t) for t in docs], rng)
        parts.append(masked_lm.encode_pairs(tokenizer, pairs, recipe["max_len"]))
    return parts[0], parts[1]


def build_smoke_bert(vocab_size: int, recipe: dict | None = None):
    """The recipe's mini-BERT and its pre-training heads: ``(bert, pretrainer)``, compiled."""
    import keras

    from . import transformer

    r = {**SMOKE_BERT, **(recipe or {})}
    bert = transformer.build_bert(vocab_size, max_len=r["max_len"], d_model=r["d_model"], num_heads=r["num_heads"],
                                  d_ff=r["d_ff"], num_layers=r["num_layers"], dropout=r["dropout"])
    pretrainer = transformer.build_bert_pretrainer(bert, max_predictions(r["max_len"], r["mask_rate"]))
    pretrainer.compile(optimizer=keras.optimizers.Adam(r["learning_rate"]),
                       loss={"mlm": "sparse_categorical_crossentropy", "nsp": "sparse_categorical_crossentropy"})
    return bert, pretrainer


def _save_weights(pretrainer, path: Path) -> None:
    """The encoder's and both heads' weights, without the optimizer's state (a third of the size)."""
    import keras

    keras.Model(pretrainer.inputs, pretrainer.outputs).save_weights(path)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def train_smoke_bert(folder: str | Path = ASSETS, recipe: dict | None = None, log=print) -> dict:
    """Runs the recipe and writes the tokenizer, the weights and a card into ``folder``."""
    import keras
    import tensorflow as tf

    r = {**SMOKE_BERT, **(recipe or {})}
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    from ..data.imdb import imdb_unsup_text

    t_start = time.perf_counter()
    texts = imdb_unsup_text("smoke", n_smoke=r["n_reviews"])
    tokenizer = masked_lm.train_wordpiece(texts, vocab_size=r["vocab_size"])
    vocab_size = tokenizer.get_vocab_size()
    train, held_out = smoke_pretraining_data(tokenizer, r)
    keras.utils.set_random_seed(r["seed"])
    bert, pretrainer = build_smoke_bert(vocab_size, r)
    npred = max_predictions(r["max_len"], r["mask_rate"])
    history = []
    for epoch in range(r["epochs"]):
        x, y, w = masked_lm.pretraining_batch(*train, np.random.default_rng(r["seed"] + epoch), vocab_size=vocab_size,
                                              max_predictions=npred, mask_rate=r["mask_rate"])
        h = pretrainer.fit(x, y, sample_weight=w, batch_size=r["batch_size"], epochs=1, verbose=0)
        scores = masked_lm.held_out_accuracy(pretrainer, held_out, vocab_size=vocab_size, mask_rate=r["mask_rate"])
        history.append(dict(epoch=epoch + 1, mlm_loss=round(float(h.history["mlm_loss"][-1]), 4),
                            nsp_loss=round(float(h.history["nsp_loss"][-1]), 4),
                            held_out_mlm_accuracy=round(scores["mlm"], 4), held_out_nsp_accuracy=round(scores["nsp"], 4)))
        log(f"epoch {epoch + 1}/{r['epochs']}: {history[-1]} ({time.perf_counter() - t_start:.0f} s)")
    tokenizer.save(str(folder / FILES["tokenizer"]))
    _save_weights(pretrainer, folder / FILES["weights"])
    card = dict(recipe=r, vocab_size=vocab_size, training_pairs=int(len(train[0])), held_out_pairs=int(len(held_out[0])),
                steps=int(r["epochs"] * math.ceil(len(train[0]) / r["batch_size"])),
                seconds=round(time.perf_counter() - t_start), history=history,
                machine=f"{platform.machine()}, {__import__('os').cpu_count()} CPU cores",
                versions=dict(tensorflow=tf.__version__, keras=keras.__version__),
                sha256={k: _sha256(folder / FILES[k]) for k in ("tokenizer", "weights")})
    (folder / FILES["card"]).write_text(json.dumps(card, indent=1) + "\n", encoding="utf-8")
    return card


def load_smoke_bert(folder: str | Path = ASSETS, check: bool = True):
    """The shipped checkpoint: ``(tokenizer, bert, pretrainer, card)``.

    Raises ``FileNotFoundError`` or ``ValueError`` naming the file and the fix when a file is
    missing or its SHA-256 is not the expected one (a damaged or stale checkpoint)."""
    import keras
    from tokenizers import Tokenizer

    folder = Path(folder)
    for key, name in FILES.items():
        if not (folder / name).is_file():
            raise FileNotFoundError(f"{folder / name} is missing: the smoke mini-BERT checkpoint is incomplete. Fix: "
                                    f"reinstall course_utils, or rebuild it with `python -m course_utils.teaching.checkpoint`.")
    if check:
        for key in ("tokenizer", "weights"):
            got = _sha256(folder / FILES[key])
            if got != SHA256[key]:
                raise ValueError(f"{folder / FILES[key]} has SHA-256 {got}, expected {SHA256[key]}: the checkpoint is "
                                 f"damaged or was rebuilt. Fix: reinstall course_utils, or after a deliberate rebuild "
                                 f"(`python -m course_utils.teaching.checkpoint`) set checkpoint.SHA256[{key!r}] = {got!r}.")
    card = json.loads((folder / FILES["card"]).read_text(encoding="utf-8"))
    tokenizer = Tokenizer.from_file(str(folder / FILES["tokenizer"]))
    bert, pretrainer = build_smoke_bert(tokenizer.get_vocab_size(), card["recipe"])
    keras.Model(pretrainer.inputs, pretrainer.outputs).load_weights(folder / FILES["weights"])   # same layers, no optimizer
    return tokenizer, bert, pretrainer, card


def main(argv=None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m course_utils.teaching.checkpoint",
                                     description="Rebuild the smoke profile's pre-trained mini-BERT (notebook 10).")
    parser.add_argument("--out", default=str(ASSETS), help="folder for the three files (default: the package's assets)")
    parser.add_argument("--epochs", type=int, default=SMOKE_BERT["epochs"])
    args = parser.parse_args(argv)
    if args.epochs < 1:
        parser.error(f"--epochs must be a positive integer, got {args.epochs}")
    card = train_smoke_bert(args.out, dict(epochs=args.epochs))
    print(f"wrote {', '.join(FILES.values())} to {args.out} in {card['seconds']} s; SHA-256: {card['sha256']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
