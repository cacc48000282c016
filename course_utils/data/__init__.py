"""The data layer: one loader per data set, a verified download cache, generated data sets.

Loaders (``imdb``, ``corpora``, ``translation``, ``bundled``) depend on the shared helpers
(``cache``, ``sources``, ``text``) and on ``generated`` (data made by code), never on each
other; nothing here imports the teaching library or the machinery.

Every loader takes ``profile`` ("smoke": bundled or generated data, never the network;
"full": the real data set) and ``data_dir`` (else ``$COURSE_DATA_DIR``, else a user cache
folder), and returns plain Python / NumPy objects. See ``data/README.md`` for each source.
"""

from .bundled import gensim_test_file, lee_corpus, lee_corpus_path, lee_sentences, pang_lee_sentences
from .cache import (
    ENV_DATA_DIR,
    ENV_OFFLINE,
    REGISTRY,
    ChecksumError,
    DataError,
    DataNotFoundError,
    DownloadError,
    RemoteFile,
    data_dir,
    extract,
    extract_member,
    fetch,
    file_digest,
    offline,
    verify,
)
from .corpora import (
    GLOVE_DIMS,
    PretrainedVectors,
    char_corpus,
    eval_set_path,
    glove_vectors,
    load_analogies,
    load_similarity_pairs,
    word2vec_corpus,
)
from .imdb import clean_review, imdb_sequences, imdb_text, imdb_unsup_text, imdb_word_index, tokenize_review
from .sources import PROFILES, SOURCES, check_profile
from .generated.reviews import NEGATIVE_WORDS, POSITIVE_WORDS, generated_reviews
from .text import WORD_RE, tokenize_words

__all__ = [
    "gensim_test_file", "lee_corpus", "lee_corpus_path", "lee_sentences", "pang_lee_sentences",
    "ENV_DATA_DIR", "ENV_OFFLINE", "REGISTRY", "ChecksumError", "DataError", "DataNotFoundError",
    "DownloadError", "RemoteFile", "data_dir", "extract", "extract_member", "fetch",
    "file_digest", "offline", "verify",
    "GLOVE_DIMS", "PretrainedVectors", "char_corpus", "eval_set_path", "glove_vectors",
    "lee_corpus_path", "lee_sentences", "load_analogies", "load_similarity_pairs",
    "tokenize_words", "word2vec_corpus",
    "clean_review", "imdb_sequences", "imdb_text", "imdb_unsup_text", "imdb_word_index", "tokenize_review",
    "PROFILES", "SOURCES", "check_profile",
    "NEGATIVE_WORDS", "POSITIVE_WORDS", "generated_reviews", "WORD_RE",
]
