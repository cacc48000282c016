"""The course's pre-trained mini-BERTs: their recipes, the runs that make them, and their loaders.

Two checkpoints ship in ``assets/``: the smoke profile's (:data:`SMOKE_BERT`,
:func:`load_smoke_bert`) and the full profile's (:data:`FULL_BERT`, :func:`load_full_bert`), a
mini-BERT pre-trained on all 50,000 unlabelled IMDB reviews (see the end of this docstring).

Pre-training is the costly half of BERT: Devlin et al. (2019) pre-trained for 1,000,000 steps,
then fine-tuned in minutes, and everybody since starts from the checkpoints they published.
Notebook 10 does the same at toy scale. In the full profile it fine-tunes :data:`FULL_BERT`'s
checkpoint (with ``USE_CHECKPOINT = False`` it pre-trains for itself, ``PRETRAIN_MINUTES``); the smoke profile, which must run in about a minute on 2 CPU cores, runs
the first steps of its own pre-training loop with the same model and corpus and then loads this
checkpoint: :data:`SMOKE_BERT` pre-trained for ``epochs`` passes by :func:`train_smoke_bert` on the
smoke corpus (``imdb_unsup_text("smoke", aspects_per_review=1)``: generated opinion reviews, each
keeping to one aspect of the film so that next-sentence prediction has a topic to learn) at a constant rate,
pre-norm, on whole 32-token rows without gradient clipping (the notebook's loop batches by
length and clips at norm 1; on these rows that changes little). Rebuild it with

    python -m course_utils.teaching.checkpoint            # writes course_utils/teaching/assets/smoke_bert*

which takes a few minutes on 2 CPU cores (the card, ``smoke_bert_card.json``, records the time,
the losses and the held-out accuracies of the run that made the shipped files).
:func:`load_smoke_bert` refuses files whose SHA-256 differs from :data:`SHA256`: rebuild, then
update :data:`SHA256` (the message gives the new values).

The full profile's checkpoint, :data:`FULL_BERT`: 4 pre-norm blocks of width 128 (4 heads, feed-
forward 512, 128 positions, 1.9M weights), WordPiece of 8,000 pieces trained on the 47,500
training reviews (the first 2,500 of ``imdb_unsup_text("full")`` are held out), next-sentence
pairs of single sentences (notebook 10's own recipe, section 5), Adam with a 300-step warm-up to
1e-3 and a linear decay to 0 at 14,000 steps of 32 pairs, gradients clipped at norm 1. The shipped
run took 5,303 s on one CPU thread; its card (``full_bert_card.json``) gives the held-out MLM and
NSP accuracies every 1,000 steps. Rebuild it with

    python -m course_utils.teaching.checkpoint --full --data-dir DIR   # DIR holds aclImdb/ (or gets it)

(hours on a few CPU cores), then update :data:`FULL_SHA256`. A recipe with ``segment_pieces`` set
pairs runs of consecutive sentences up to that many pieces instead (the first attempt, 62 pieces:
it fine-tuned worse; maintainers/10.md).
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

__all__ = ["ASSETS", "SMOKE_BERT", "FILES", "SHA256", "SMOKE_BERT_NO_NSP", "NO_NSP_FILES", "NO_NSP_SHA256",
           "load_smoke_bert_no_nsp", "FULL_BERT", "FULL_FILES", "FULL_SHA256", "max_predictions",
           "smoke_pretraining_data", "build_smoke_bert", "train_smoke_bert", "load_smoke_bert", "build_full_bert",
           "train_full_bert", "load_full_bert"]

ASSETS = Path(__file__).resolve().parent / "assets"
# The recipe. Notebook 10's smoke profile uses the same corpus, sizes and learning rate.
SMOKE_BERT: dict[str, Any] = dict(
    n_reviews=5000,         # imdb_unsup_text("smoke", n_smoke=...): generated opinion reviews
    aspects_per_review=1,   # each review keeps to one aspect ("the music ..."), so a true next sentence shares
                            # the review's topic and NSP has something to learn, as on real text
    held_out_reviews=250,   # the first reviews, never trained on: held-out MLM / NSP accuracy
    vocab_size=2000,        # asked of the WordPiece trainer (it stops earlier on this corpus)
    max_len=32, d_model=64, num_heads=2, d_ff=256, num_layers=2, dropout=0.1,
    norm_first=True,        # pre-norm blocks, as the notebook's own loop: NSP leaves its plateau within a few passes
    mask_rate=0.15, learning_rate=1e-3, batch_size=32, epochs=20, seed=0,
)
FILES = {"tokenizer": "smoke_bert_tokenizer.json", "weights": "smoke_bert.weights.h5", "card": "smoke_bert_card.json"}
# The same recipe without the next-sentence loss (RoBERTa's finding, Liu et al. 2019: NSP is not needed)
SMOKE_BERT_NO_NSP: dict[str, Any] = {**SMOKE_BERT, "nsp_weight": 0.0}
NO_NSP_FILES = {"tokenizer": "smoke_bert_no_nsp_tokenizer.json", "weights": "smoke_bert_no_nsp.weights.h5",
                "card": "smoke_bert_no_nsp_card.json"}
NO_NSP_SHA256 = {
    "tokenizer": "e70f4c418b018e738baf63d7bc30649bd3df41c3c1c008131cea8429103f3b14",
    "weights": "32617cab649693fed311a89c5690f3e363ec0036c33de09009a837e380336c12",
}
# SHA-256 of the shipped tokenizer and weights (the card is informative only)
SHA256 = {
    "tokenizer": "da84f537dc98313fbca2e884ca5f5070524749361ace00149ba46d3dc87f72a3",
    "weights": "3b890f25b5658989982254258c6c596b307060b5fdcbb9372f9ba2dc16af1a1b",
}

# The full profile's recipe (the run that made the shipped full_bert* files; its card repeats it)
FULL_BERT: dict[str, Any] = dict(
    n_reviews=50000,        # imdb_unsup_text("full"): all of IMDB's unlabelled train/unsup reviews
    held_out_reviews=2500,  # the first reviews, never trained on (nor in the vocabulary)
    vocab_size=8000, max_len=128, d_model=128, num_heads=4, d_ff=512, num_layers=4, dropout=0.1,
    norm_first=True,        # pre-norm blocks (Xiong et al. 2020); BERT is post-norm
    mask_rate=0.15, peak_lr=1e-3, warmup_steps=300, total_steps=14000, batch_size=32,
    segment_pieces=None,    # None: pairs of single sentences, as notebook 10; a number: runs of consecutive
                            # sentences up to that many pieces (the first attempt's 62, which fine-tuned worse)
    clipnorm=1.0, seed=0,
)
FULL_FILES = {"tokenizer": "full_bert_tokenizer.json", "weights": "full_bert.weights.h5", "card": "full_bert_card.json"}
# SHA-256 of the shipped tokenizer and weights (7 December 2026, 14,000 steps; the card is informative only)
FULL_SHA256 = {
    "tokenizer": "8c92e489318f111da2ed9b5b16e31d0927937dc2a367c4e5972856cead5950cc",
    "weights": "593eef16888491125c70b21dc8bb984fa5700ac87eef1d880b6ff33afb90d520",
}
FULL_HELD_OUT_PAIRS = 3000      # held-out pairs scored during the full run


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
    texts = imdb_unsup_text("smoke", n_smoke=recipe["n_reviews"], aspects_per_review=recipe.get("aspects_per_review"))
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
                                  d_ff=r["d_ff"], num_layers=r["num_layers"], dropout=r["dropout"],
                                  norm_first=r.get("norm_first", False))
    pretrainer = transformer.build_bert_pretrainer(bert, max_predictions(r["max_len"], r["mask_rate"]))
    pretrainer.compile(optimizer=keras.optimizers.Adam(r["learning_rate"]),
                       loss={"mlm": "sparse_categorical_crossentropy", "nsp": "sparse_categorical_crossentropy"},
                       loss_weights={"mlm": 1.0, "nsp": r.get("nsp_weight", 1.0)})
    return bert, pretrainer


def _save_weights(pretrainer, path: Path) -> None:
    """The encoder's and both heads' weights, without the optimizer's state (a third of the size)."""
    import keras

    keras.Model(pretrainer.inputs, pretrainer.outputs).save_weights(path)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def train_smoke_bert(folder: str | Path = ASSETS, recipe: dict | None = None, log=print, files: dict | None = None) -> dict:
    """Runs the recipe and writes the tokenizer, the weights and a card into ``folder`` (under the
    names of ``files``, default :data:`FILES`; :data:`NO_NSP_FILES` for the recipe without NSP)."""
    import keras
    import tensorflow as tf

    r = {**SMOKE_BERT, **(recipe or {})}
    files = files or FILES
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    from ..data.imdb import imdb_unsup_text

    t_start = time.perf_counter()
    texts = imdb_unsup_text("smoke", n_smoke=r["n_reviews"], aspects_per_review=r.get("aspects_per_review"))
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
    tokenizer.save(str(folder / files["tokenizer"]))
    _save_weights(pretrainer, folder / files["weights"])
    card = dict(recipe=r, vocab_size=vocab_size, training_pairs=int(len(train[0])), held_out_pairs=int(len(held_out[0])),
                steps=int(r["epochs"] * math.ceil(len(train[0]) / r["batch_size"])),
                seconds=round(time.perf_counter() - t_start), history=history,
                machine=f"{platform.machine()}, {__import__('os').cpu_count()} CPU cores",
                versions=dict(tensorflow=tf.__version__, keras=keras.__version__),
                sha256={k: _sha256(folder / files[k]) for k in ("tokenizer", "weights")})
    (folder / files["card"]).write_text(json.dumps(card, indent=1) + "\n", encoding="utf-8")
    return card


def _check_files(folder: Path, files: dict, expected: dict, what: str, rebuild: str) -> None:
    for key, name in files.items():
        if not (folder / name).is_file():
            raise FileNotFoundError(f"{folder / name} is missing: the {what} checkpoint is incomplete. Fix: "
                                    f"reinstall course_utils, or rebuild it with `{rebuild}`.")
    for key in ("tokenizer", "weights") if expected else ():
        got = _sha256(folder / files[key])
        if got != expected[key]:
            constant = {id(FILES): "SHA256", id(NO_NSP_FILES): "NO_NSP_SHA256"}.get(id(files), "FULL_SHA256")
            raise ValueError(f"{folder / files[key]} has SHA-256 {got}, expected {expected[key]}: the {what} checkpoint "
                             f"is damaged or was rebuilt. Fix: reinstall course_utils, or after a deliberate rebuild "
                             f"(`{rebuild}`) set checkpoint.{constant}[{key!r}] = {got!r}.")


def _load(folder: Path, files: dict, expected: dict, what: str, rebuild: str, build, check: bool):
    import keras
    from tokenizers import Tokenizer

    folder = Path(folder)
    _check_files(folder, files, expected if check else None, what, rebuild)
    card = json.loads((folder / files["card"]).read_text(encoding="utf-8"))
    tokenizer = Tokenizer.from_file(str(folder / files["tokenizer"]))
    bert, pretrainer = build(tokenizer.get_vocab_size(), card["recipe"])
    keras.Model(pretrainer.inputs, pretrainer.outputs).load_weights(folder / files["weights"])   # same layers, no optimizer
    return tokenizer, bert, pretrainer, card


def load_smoke_bert(folder: str | Path = ASSETS, check: bool = True):
    """The shipped smoke checkpoint: ``(tokenizer, bert, pretrainer, card)``.

    Raises ``FileNotFoundError`` or ``ValueError`` naming the file and the fix when a file is
    missing or its SHA-256 is not the expected one (a damaged or stale checkpoint)."""
    return _load(folder, FILES, SHA256, "smoke mini-BERT", "python -m course_utils.teaching.checkpoint",
                 build_smoke_bert, check)


def load_smoke_bert_no_nsp(folder: str | Path = ASSETS, check: bool = True):
    """The smoke checkpoint pre-trained without the NSP loss (:data:`SMOKE_BERT_NO_NSP`), as
    :func:`load_smoke_bert`; its files are checked against :data:`NO_NSP_SHA256`."""
    return _load(folder, NO_NSP_FILES, NO_NSP_SHA256, "smoke mini-BERT without NSP",
                 "python -m course_utils.teaching.checkpoint --no-nsp", build_smoke_bert, check)


def build_full_bert(vocab_size: int, recipe: dict | None = None):
    """The full recipe's mini-BERT and its pre-training heads: ``(bert, pretrainer)``, compiled with
    Adam on BERT's warm-up + linear decay schedule and global gradient clipping."""
    import keras

    from . import schedules, transformer

    r = {**FULL_BERT, **(recipe or {})}
    bert = transformer.build_bert(vocab_size, max_len=r["max_len"], d_model=r["d_model"], num_heads=r["num_heads"],
                                  d_ff=r["d_ff"], num_layers=r["num_layers"], dropout=r["dropout"], norm_first=r["norm_first"])
    pretrainer = transformer.build_bert_pretrainer(bert, max_predictions(r["max_len"], r["mask_rate"]))
    lr = schedules.WarmupLinearDecay(r["peak_lr"], r["warmup_steps"], r["total_steps"])
    pretrainer.compile(optimizer=keras.optimizers.Adam(lr, global_clipnorm=r["clipnorm"]),
                       loss={"mlm": "sparse_categorical_crossentropy", "nsp": "sparse_categorical_crossentropy"})
    return bert, pretrainer


def load_full_bert(folder: str | Path = ASSETS, check: bool = True):
    """The shipped full-profile checkpoint (:data:`FULL_BERT`), or one in ``folder``:
    ``(tokenizer, bert, pretrainer, card)``.

    Raises ``FileNotFoundError`` or ``ValueError`` naming the file and the fix when a file is
    missing or its SHA-256 is not the expected one (:data:`FULL_SHA256`)."""
    return _load(folder, FULL_FILES, FULL_SHA256, "full-profile mini-BERT",
                 "python -m course_utils.teaching.checkpoint --full --data-dir DIR", build_full_bert, check)


def train_full_bert(data_dir: str | Path | None = None, out: str | Path = ASSETS, recipe: dict | None = None,
                    log=print, save_every: int = 500, eval_every: int = 1000) -> dict:
    """Runs :data:`FULL_BERT` on the unlabelled IMDB reviews in ``data_dir`` (``imdb_unsup_text("full",
    data_dir)``) and writes the tokenizer, the weights and a card into ``out``: every ``save_every``
    steps (each file replaced atomically, the card's ``"final"`` false) and at the end (``"final"``
    true). Every ``eval_every`` steps and at the end the card's history gets the held-out MLM and
    NSP accuracies on up to 3,000 next-sentence pairs of the held-out reviews' sentences (or segments)."""
    import os

    import keras
    import tensorflow as tf

    from ..data.imdb import imdb_unsup_text

    r = {**FULL_BERT, **(recipe or {})}
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    t_start = time.perf_counter()

    def say(*parts):
        log(f"[{time.perf_counter() - t_start:7.0f} s] " + " ".join(str(p) for p in parts))

    texts = imdb_unsup_text("full", data_dir, limit=r["n_reviews"])
    held_texts, train_texts = texts[:r["held_out_reviews"]], texts[r["held_out_reviews"]:]
    tokenizer = masked_lm.train_wordpiece(train_texts, vocab_size=r["vocab_size"])
    vocab_size = tokenizer.get_vocab_size()
    say(f"{len(texts)} reviews, vocabulary {vocab_size}")
    if r["segment_pieces"]:
        train_docs = masked_lm.segment_documents(tokenizer, train_texts, r["segment_pieces"])
        held_docs = masked_lm.segment_documents(tokenizer, held_texts, r["segment_pieces"])
    else:   # sentences, as notebook 10
        train_docs = [masked_lm.split_sentences(t) for t in train_texts]
        held_docs = [masked_lm.split_sentences(t) for t in held_texts]
    held_pairs = masked_lm.make_nsp_pairs(held_docs, np.random.default_rng(r["seed"] + 999))[:FULL_HELD_OUT_PAIRS]
    held_data = masked_lm.encode_pairs(tokenizer, held_pairs, r["max_len"])
    say(f"{'segments' if r['segment_pieces'] else 'sentences'}: train {sum(map(len, train_docs))}, held-out pairs {len(held_pairs)}")
    keras.utils.set_random_seed(r["seed"])
    bert, pretrainer = build_full_bert(vocab_size, r)
    pretrainer.optimizer.build(pretrainer.trainable_variables)
    npred = max_predictions(r["max_len"], r["mask_rate"])
    history, stats = [], dict(pairs_seen=0, epochs=0)

    def save(step, final=False):
        tmp = {k: out / f"{Path(name).stem}.tmp{Path(name).suffix}" for k, name in FULL_FILES.items()}
        tmp["weights"] = out / "full_bert.tmp.weights.h5"       # Keras wants the .weights.h5 ending
        _save_weights(pretrainer, tmp["weights"])
        tokenizer.save(str(tmp["tokenizer"]))
        for key in ("weights", "tokenizer"):
            os.replace(tmp[key], out / FULL_FILES[key])
        card = dict(recipe=r, vocab_size=vocab_size, steps=int(step), final=final,
                    seconds=round(time.perf_counter() - t_start), pairs_seen=stats["pairs_seen"],
                    epochs_started=stats["epochs"], held_out_pairs=len(held_pairs),
                    held_out_reviews=r["held_out_reviews"], history=history,
                    machine=f"{platform.machine()}, {os.cpu_count()} CPU cores",
                    versions=dict(tensorflow=tf.__version__, keras=keras.__version__),
                    sha256={k: _sha256(out / FULL_FILES[k]) for k in ("tokenizer", "weights")})
        tmp["card"].write_text(json.dumps(card, indent=1) + "\n", encoding="utf-8")
        os.replace(tmp["card"], out / FULL_FILES["card"])
        return card

    def scores(step, logs=None):
        s = masked_lm.held_out_accuracy(pretrainer, held_data, vocab_size=vocab_size, mask_rate=r["mask_rate"])
        entry = dict(step=int(step), seconds=round(time.perf_counter() - t_start))
        if logs:
            entry.update(mlm_loss=round(float(logs["mlm_loss"]), 4), nsp_loss=round(float(logs["nsp_loss"]), 4))
        entry.update(held_out_mlm_accuracy=round(s["mlm"], 4), held_out_nsp_accuracy=round(s["nsp"], 4),
                     mlm_most_frequent=round(s["mlm_most_frequent"], 4))
        history.append(entry)
        say("held-out", entry)

    class Progress(keras.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            step = int(self.model.optimizer.iterations.numpy())
            stats["pairs_seen"] += r["batch_size"]
            if step % 100 == 0:
                say(f"step {step}: mlm_loss {logs['mlm_loss']:.3f} nsp_loss {logs['nsp_loss']:.3f}")
            if step % eval_every == 0:
                scores(step, logs)
            if step % save_every == 0:
                save(step)
            if step >= r["total_steps"]:
                self.model.stop_training = True

    progress, epoch = Progress(), 0
    while int(pretrainer.optimizer.iterations.numpy()) < r["total_steps"]:
        pairs = masked_lm.make_nsp_pairs(train_docs, np.random.default_rng(r["seed"] + epoch))
        data = masked_lm.encode_pairs(tokenizer, pairs, r["max_len"])
        stats["epochs"] = epoch + 1
        say(f"epoch {epoch + 1}: {len(pairs)} pairs")
        ds = masked_lm.pretraining_dataset(*data, vocab_size=vocab_size, max_predictions=npred, batch_size=r["batch_size"],
                                           mask_rate=r["mask_rate"], seed=r["seed"] + epoch)
        pretrainer.fit(ds, epochs=1, verbose=0, callbacks=[progress])
        epoch += 1
    step = int(pretrainer.optimizer.iterations.numpy())
    if not history or history[-1]["step"] != step:
        scores(step)
    return save(step, final=True)


def main(argv=None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m course_utils.teaching.checkpoint",
                                     description="Rebuild a pre-trained mini-BERT of notebook 10: the smoke profile's "
                                                 "(default, minutes) or, with --full, the full profile's (hours).")
    parser.add_argument("--out", default=str(ASSETS), help="folder for the three files (default: the package's assets)")
    parser.add_argument("--epochs", type=int, default=SMOKE_BERT["epochs"], help="smoke: passes over the pairs")
    parser.add_argument("--no-nsp", action="store_true", help="smoke: the same recipe without the NSP loss")
    parser.add_argument("--full", action="store_true", help="the full profile's checkpoint (FULL_BERT) on IMDB's "
                                                             "50,000 unlabelled reviews")
    parser.add_argument("--data-dir", default=None, help="--full: the data folder with aclImdb/ (default: "
                                                         "COURSE_DATA_DIR, else the user cache; downloaded if missing)")
    parser.add_argument("--steps", type=int, default=FULL_BERT["total_steps"], help="--full: training steps")
    args = parser.parse_args(argv)
    if args.epochs < 1:
        parser.error(f"--epochs must be a positive integer, got {args.epochs}")
    if args.steps <= FULL_BERT["warmup_steps"]:
        parser.error(f"--steps must be an integer > {FULL_BERT['warmup_steps']} (the warm-up), got {args.steps}")
    if args.full:
        card = train_full_bert(args.data_dir, args.out, dict(total_steps=args.steps))
        files = FULL_FILES
    else:
        files = NO_NSP_FILES if args.no_nsp else FILES
        recipe = SMOKE_BERT_NO_NSP if args.no_nsp else SMOKE_BERT
        card = train_smoke_bert(args.out, {**recipe, "epochs": args.epochs}, files=files)
    print(f"wrote {', '.join(files.values())} to {args.out} in {card['seconds']} s; SHA-256: {card['sha256']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
