"""IMDB movie reviews: raw texts, and integer sequences with Keras' ``imdb.load_data`` semantics."""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from functools import lru_cache
from pathlib import Path

import numpy as np

from . import cache
from .cache import DataError, data_dir as _data_dir
from .text import WORD_RE
from .sources import check_profile
from .generated.reviews import generated_reviews, opinion_reviews

_BR_RE = re.compile(r"<\s*br\s*/?\s*>", re.IGNORECASE)
_SPLITS = ("train", "test")
_CLASSES = (("neg", 0), ("pos", 1))
_ARCHIVE_SUFFIXES = (".tar.gz", ".tgz", ".tar", ".zip")


def clean_review(text: str) -> str:
    """Replace the HTML line breaks of IMDB reviews (``<br />``, ``<br>``…) by newlines."""
    return _BR_RE.sub("\n", text)


def tokenize_review(text: str) -> list[str]:
    """Lower-case words of a review: ``<br />`` and punctuation removed, apostrophes kept.

    Used for both profiles, so smoke and full sequences are built the same way.
    """
    return WORD_RE.findall(clean_review(text).lower())


# --------------------------------------------------------------------------- raw folders
def _is_imdb_root(folder: Path) -> bool:
    return all((folder / s / c).is_dir() for s in _SPLITS for c, _ in _CLASSES)


def _stem(archive: Path) -> str:
    name = archive.name
    for suffix in _ARCHIVE_SUFFIXES:
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return archive.stem


def _local_imdb_root(folder: Path) -> Path | None:
    """The extracted ``aclImdb/`` folder, extracting a local ``aclImdb_v1.tar.gz`` if needed;
    None when neither is there. Never downloads."""
    root = folder / "aclImdb"
    if root.exists():
        if not _is_imdb_root(root):
            raise DataError(
                f"{root} exists but lacks train/pos, train/neg, test/pos or test/neg, so it is "
                f"not a complete aclImdb folder. Fix: delete {root} and run again (it is "
                f"re-extracted from aclImdb_v1.tar.gz, downloaded from "
                f"{cache.REGISTRY['aclImdb'].url} if needed)."
            )
        return root
    if cache.local_path("aclImdb", folder).exists():
        return cache.extract(cache.fetch("aclImdb", folder), root)
    return None


def _imdb_root(folder: Path, path: str | os.PathLike | None) -> Path:
    if path is not None:
        path = Path(path)
        if path.is_file():  # an archive such as aclImdb_dev.tar.gz: extract next to the data
            path = cache.extract(path, folder / _stem(path))
        if not _is_imdb_root(path):
            raise DataError(
                f"path={str(path)!r} is not an aclImdb-style folder: it needs train/pos, "
                f"train/neg, test/pos and test/neg folders of .txt reviews."
            )
        return path
    root = _local_imdb_root(folder)
    if root is None:
        try:
            archive = cache.fetch("aclImdb", folder)
        except cache.DataNotFoundError as exc:
            raise cache.DataNotFoundError(
                f"{exc} An extracted aclImdb/ folder (train/, test/) in {folder} works too."
            ) from exc
        root = cache.extract(archive, folder / "aclImdb")
    return root


def _read_split(root: Path, split: str, rng: np.random.RandomState):
    texts, labels = [], []
    for sub, label in _CLASSES:
        files = sorted((root / split / sub).glob("*.txt"))
        texts += [clean_review(f.read_text(encoding="utf-8", errors="replace")) for f in files]
        labels += [label] * len(files)
    order = rng.permutation(len(texts))
    return [texts[i] for i in order], np.asarray(labels, dtype=np.int64)[order]


def imdb_text(
    profile: str,
    data_dir: str | os.PathLike | None = None,
    *,
    path: str | os.PathLike | None = None,
    seed: int = 113,
):
    """Raw reviews: ``(train_texts, train_labels), (test_texts, test_labels)``.

    Texts are ``list[str]`` with ``<br />`` replaced by newlines; labels ``np.int64`` arrays,
    1 = positive. Each split is shuffled with ``RandomState(seed)``.

    full: an extracted ``aclImdb/`` folder in the data folder, else ``aclImdb_v1.tar.gz``
    there (downloaded if missing), extracted atomically. ``path`` may name another
    aclImdb-style folder or archive (e.g. a dev subset). smoke: generated reviews
    (``synthetic.generated_reviews``), no network.
    """
    check_profile(profile)
    if profile == "smoke":
        return generated_reviews()
    root = _imdb_root(_data_dir(data_dir), path)
    rng = np.random.RandomState(seed)
    return _read_split(root, "train", rng), _read_split(root, "test", rng)


# --------------------------------------------------------------------------- word index
def _frequency_index(texts) -> dict[str, int]:
    """1-based ranks by frequency in ``texts`` (ties broken alphabetically)."""
    counts = Counter(w for t in texts for w in tokenize_review(t))
    ranked = sorted(counts, key=lambda w: (-counts[w], w))
    return {w: i for i, w in enumerate(ranked, 1)}


@lru_cache(maxsize=1)
def _smoke_index() -> dict[str, int]:
    (train_texts, _), _ = generated_reviews()
    return _frequency_index(train_texts)


def _load_keras_index(folder: Path) -> dict[str, int]:
    path = cache.fetch("imdb_word_index", folder)
    with open(path, encoding="utf-8") as f:
        return {str(k): int(v) for k, v in json.load(f).items()}


def imdb_word_index(profile: str, data_dir: str | os.PathLike | None = None) -> dict[str, int]:
    """Word -> 1-based frequency rank, matching ``imdb_sequences`` (add ``index_from`` to decode).

    full: Keras' ``imdb_word_index.json`` (``the`` = 1), local or downloaded, md5-verified.
    smoke: ranks by frequency in the generated training reviews.
    """
    check_profile(profile)
    if profile == "smoke":
        return dict(_smoke_index())
    return _load_keras_index(_data_dir(data_dir))


# --------------------------------------------------------------------------- sequences
def _encode(texts, index: dict[str, int]) -> list[list[int]]:
    # Words missing from the index are skipped, as Keras does for words unseen in training.
    return [[index[w] for w in tokenize_review(t) if w in index] for t in texts]


def _load_npz(path: Path):
    """Load Keras' imdb.npz. Only called after its sha256 was verified by ``cache.fetch``:
    the ragged sequences are pickled object arrays, so loading them needs allow_pickle."""
    with np.load(path, allow_pickle=True) as f:
        return f["x_train"], f["y_train"], f["x_test"], f["y_test"]


def _object_array(seqs) -> np.ndarray:
    """A 1-D object array holding one sequence per item (never a 2-D array, even when all
    sequences happen to have the same length)."""
    out = np.empty(len(seqs), dtype=object)
    for i, s in enumerate(seqs):
        out[i] = list(s)
    return out


def _keras_semantics(x_train, y_train, x_test, y_test, *, num_words, maxlen, skip_top,
                     start_char, oov_char, index_from, seed):
    """Shuffle, offset, filter and cut exactly like ``keras.datasets.imdb.load_data``."""
    rng = np.random.RandomState(seed)
    x_train, x_test = _object_array(x_train), _object_array(x_test)
    y_train, y_test = np.asarray(y_train, dtype=np.int64), np.asarray(y_test, dtype=np.int64)
    idx = np.arange(len(x_train))
    rng.shuffle(idx)
    x_train, y_train = x_train[idx], y_train[idx]
    idx = np.arange(len(x_test))
    rng.shuffle(idx)
    x_test, y_test = x_test[idx], y_test[idx]

    head = [start_char] if start_char is not None else []
    offset = index_from or 0
    x_train = [head + [int(w) + offset for w in x] for x in x_train]
    x_test = [head + [int(w) + offset for w in x] for x in x_test]

    if maxlen:  # Keras drops (does not truncate) sequences of maxlen words or more
        keep = [i for i, x in enumerate(x_train) if len(x) < maxlen]
        x_train, y_train = [x_train[i] for i in keep], y_train[keep]
        keep = [i for i, x in enumerate(x_test) if len(x) < maxlen]
        x_test, y_test = [x_test[i] for i in keep], y_test[keep]
        if not x_train or not x_test:
            raise ValueError(
                f"After filtering for sequences shorter than maxlen={maxlen}, no sequence "
                f"was kept. Increase maxlen."
            )

    xs = x_train + x_test
    if not num_words:  # as in Keras, the highest index itself then becomes oov_char
        num_words = max(max(x) for x in xs if x)
    if oov_char is not None:
        xs = [[w if skip_top <= w < num_words else oov_char for w in x] for x in xs]
    else:
        xs = [[w for w in x if skip_top <= w < num_words] for x in xs]

    n = len(x_train)
    return (_object_array(xs[:n]), y_train), (_object_array(xs[n:]), y_test)


@lru_cache(maxsize=1)
def _smoke_sequences():
    (train_texts, y_train), (test_texts, y_test) = generated_reviews()
    index = _smoke_index()
    return _encode(train_texts, index), y_train, _encode(test_texts, index), y_test


def _raw_sequences(profile: str, folder: Path | None, root: Path | None):
    """Integer sequences (1-based word ranks) built from raw texts, with a note saying how."""
    if profile == "smoke":
        x_train, y_train, x_test, y_test = _smoke_sequences()  # cached; _keras_semantics copies
        note = "generated reviews (smoke), indexed by word frequency in the training texts"
        return x_train, y_train, x_test, y_test, note
    rng = np.random.RandomState(0)  # order is reshuffled later with the caller's seed
    (train_texts, y_train), (test_texts, y_test) = (
        _read_split(root, "train", rng), _read_split(root, "test", rng))
    if cache.local_path("imdb_word_index", folder).exists():
        index = _load_keras_index(folder)
        note = f"raw reviews in {root}, indexed by the Keras word index (imdb_word_index.json)"
    else:
        index = _frequency_index(train_texts)
        note = (f"raw reviews in {root}, indexed by word frequency in the training texts "
                f"(no imdb_word_index.json in {folder})")
    return _encode(train_texts, index), y_train, _encode(test_texts, index), y_test, note


def imdb_sequences(
    profile: str,
    num_words: int | None = 10000,
    maxlen: int | None = None,
    skip_top: int = 0,
    start_char: int | None = 1,
    oov_char: int | None = 2,
    index_from: int = 3,
    seed: int = 113,
    data_dir: str | os.PathLike | None = None,
    *,
    verbose: bool = True,
):
    """IMDB reviews as integer sequences, like ``keras.datasets.imdb.load_data``.

    Returns ``(x_train, y_train), (x_test, y_test)``: object arrays of ``list[int]`` and
    ``np.int64`` labels. Word ``w`` of rank r (``imdb_word_index``) becomes ``r + index_from``;
    each sequence starts with ``start_char``; words outside ``[skip_top, num_words)`` become
    ``oov_char``; sequences of ``maxlen`` or more words are dropped; both splits are shuffled
    with ``RandomState(seed)``.

    full, in order of preference: ``imdb.npz`` in the data folder (sha256-verified), else a
    local ``aclImdb/`` folder or ``aclImdb_v1.tar.gz`` tokenized with ``tokenize_review``
    (indexed by ``imdb_word_index.json`` if present, else by training-set frequency), else
    ``imdb.npz`` downloaded. smoke: the generated reviews, tokenized and indexed the same way.
    With ``verbose`` one line says which source was used.
    """
    check_profile(profile)
    for name, value in (("num_words", num_words), ("maxlen", maxlen)):
        if value is not None and (not isinstance(value, (int, np.integer)) or value < 1):
            raise ValueError(f"{name} must be a positive integer or None, got {value!r}")
    if profile == "smoke":
        x_train, y_train, x_test, y_test, note = _raw_sequences("smoke", None, None)
    else:
        folder = _data_dir(data_dir)
        root = None
        if not cache.local_path("imdb.npz", folder).exists():
            root = _local_imdb_root(folder)
        if root is None:
            path = cache.fetch("imdb.npz", folder)  # verified before anything is unpickled
            x_train, y_train, x_test, y_test = _load_npz(path)
            note = f"Keras imdb.npz ({path})"
        else:
            x_train, y_train, x_test, y_test, note = _raw_sequences("full", folder, root)
    if verbose:
        print(f"imdb_sequences ({profile}): {note}")
    return _keras_semantics(
        x_train, y_train, x_test, y_test, num_words=num_words, maxlen=maxlen,
        skip_top=skip_top, start_char=start_char, oov_char=oov_char,
        index_from=index_from, seed=seed,
    )


# --------------------------------------------------------------------------- unlabelled
def imdb_unsup_text(
    profile: str,
    data_dir: str | os.PathLike | None = None,
    *,
    limit: int | None = None,
    seed: int = 113,
    n_smoke: int = 5000,
    aspects_per_review: int | None = None,
) -> list[str]:
    """The unlabelled reviews of IMDB (``aclImdb/train/unsup``, 50,000 in the official archive),
    for pre-training; no label is read. ``<br />`` becomes a newline; the order is shuffled
    with ``RandomState(seed)`` and ``limit`` keeps the first ``limit`` of them.

    full: ``aclImdb/train/unsup/`` in the data folder used as is, else ``aclImdb_v1.tar.gz``
    there (downloaded if missing) extracted as for :func:`imdb_text`. smoke: ``n_smoke``
    generated opinion reviews (:func:`~course_utils.data.generated.reviews.opinion_reviews` with
    ``seed``; their labels are dropped), no network: the corpus the course's smoke mini-BERT
    checkpoint was pre-trained on (:mod:`course_utils.teaching.checkpoint`). ``aspects_per_review`` is passed
    to the generator (each review keeps to that many aspects; ``None``, the default, is the
    checkpoint's corpus); it is refused in the full profile, whose reviews are real.
    """
    check_profile(profile)
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, (int, np.integer)) or limit < 1):
        raise ValueError(f"limit must be a positive integer or None, got {limit!r}")
    if profile != "smoke" and aspects_per_review is not None:
        raise ValueError(f"aspects_per_review={aspects_per_review!r} sets the smoke profile's review generator; the "
                         f"{profile} profile reads real reviews. Fix: leave aspects_per_review=None there.")
    if profile == "smoke":
        texts, _ = opinion_reviews(n_smoke, seed=seed, aspects_per_review=aspects_per_review)
        return texts[:limit] if limit else texts
    folder = _data_dir(data_dir)
    unsup = folder / "aclImdb" / "train" / "unsup"
    if not unsup.is_dir():
        if (folder / "aclImdb").exists():
            raise DataError(
                f"{folder / 'aclImdb'} has no train/unsup/ folder of unlabelled reviews. Fix: put the "
                f"unlabelled .txt reviews in {unsup}, or delete {folder / 'aclImdb'} and run again (it is "
                f"re-extracted from aclImdb_v1.tar.gz, downloaded from {cache.REGISTRY['aclImdb'].url} if needed).")
        unsup = _imdb_root(folder, None) / "train" / "unsup"
        if not unsup.is_dir():
            raise DataError(f"{unsup} is missing from the extracted archive: is it the official aclImdb_v1.tar.gz?")
    files = sorted(unsup.glob("*.txt"))
    if not files:
        raise DataError(f"{unsup} holds no .txt reviews. Fix: put the unlabelled reviews there.")
    order = np.random.RandomState(seed).permutation(len(files))
    if limit:
        order = order[:limit]
    return [clean_review(files[i].read_text(encoding="utf-8", errors="replace")) for i in order]
