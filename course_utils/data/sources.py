"""The two data profiles and a human description of each data source per profile."""

from __future__ import annotations

PROFILES = ("smoke", "full")

SOURCES: dict[str, dict[str, str]] = {
    "imdb": {
        "smoke": "generated reviews (course_utils.data.generated.reviews): 2,500 train + 2,500 test, "
        "8-32 words, sentiment cues with negation, 5% label noise; no network",
        "full": "IMDB Large Movie Review Dataset (Maas et al. 2011), 25,000 train + 25,000 test "
        "(aclImdb/ folder or aclImdb_v1.tar.gz; Keras imdb.npz for sequences)",
    },
    "word2vec_corpus": {
        "smoke": "Lee news corpus from gensim's test data (lee_background.cor, ~60k words)",
        "full": "text8: 17M words of cleaned English Wikipedia (M. Mahoney), or a local text file",
    },
    "glove": {
        "smoke": "smoke stand-in: word2vec vectors trained on the Lee corpus + 2,000 unlabelled generated reviews, NOT GloVe",
        "full": "GloVe 6B pretrained vectors (Pennington et al. 2014), 400k words",
    },
    "char_corpus": {
        "smoke": "Lee news corpus text from gensim's test data (~360 KB)",
        "full": "Tiny Shakespeare (char-rnn), 1,115,394 characters",
    },
    "eval_sets": {
        "smoke": "WordSim-353, SimLex-999 and Google analogies from gensim's test data",
        "full": "WordSim-353, SimLex-999 and Google analogies from gensim's test data",
    },
}


def check_profile(profile: str) -> str:
    """Return ``profile`` if it is a known profile, else raise a ValueError that says so."""
    if profile not in PROFILES:
        raise ValueError(f"profile must be one of {PROFILES!r}, got {profile!r}")
    return profile
