"""Generated movie reviews: the smoke-profile stand-in for IMDB.

The generative process (one review):

1. Length L ~ Uniform{8, ..., 32} words (``MIN_LENGTH``, ``MAX_LENGTH``).
2. Sentiment cues: k = 1 + Poisson(L / 6) cues (``CUE_EVERY``). Each cue has a polarity +1 or -1 (fair
   coin) and is a word from the matching lexicon (``POSITIVE_WORDS`` / ``NEGATIVE_WORDS``).
   With probability 0.15 the cue is negated: the word "not" is put right before it and its
   polarity flips ("not great" counts -1, "not boring" counts +1).
3. The label is the sign of the summed polarities. The cues are redrawn until the sum is
   non-zero (no ties) and its sign matches the label wanted for this review; labels are
   assigned alternately before shuffling, so the classes are balanced.
4. Filler: the remaining words are neutral words drawn Zipf-like (p ~ 1/rank) from the
   3,000 most frequent words of the Lee news corpus shipped with gensim (sentiment words
   and negators removed). About 1 filler word in 100 also gets a "not" in front, so the
   mere count of "not" says little.
5. Cues and filler are shuffled into one sequence, cut into sentences of 6-18 units
   (a unit is a word or a "not" + word pair, never split).
6. Label noise: 5% of the labels are flipped, so no model can reach 100% accuracy.

Why it teaches: a bag-of-words model sees "great" and "not" but not which cue the "not"
belongs to, so it stays below the ceiling; a model that reads word order (bigrams, an RNN,
a convolution) can resolve the negation and get closer to the ~95% ceiling.
Short and dense on purpose: an RNN on a 2-core CPU can read a whole review in a few
seconds per epoch, so the smoke profile compares models that have learnt something.
Measured on the default data (2,500 train / 2,500 test; seeds 0, 1, 2): logistic regression on
unigram counts reaches 0.744-0.758 test accuracy, on unigrams + bigrams 0.884-0.894, and the
generative rule itself (the ceiling) about 0.95; reviews have 20 words on average.
Everything is drawn from ``numpy.random.default_rng(seed)``: same seed, same reviews.
"""

from __future__ import annotations

from collections import Counter
from functools import lru_cache

import numpy as np

POSITIVE_WORDS = (
    "great", "excellent", "wonderful", "moving", "superb", "brilliant", "delightful",
    "touching", "masterful", "charming", "gripping", "beautiful", "hilarious", "enjoyable",
    "stunning",
)
NEGATIVE_WORDS = (
    "awful", "boring", "terrible", "dull", "worst", "mess", "tedious", "clumsy", "pointless",
    "dreadful", "lame", "bland", "predictable", "forgettable", "disappointing",
)
NEGATION = "not"
_NEGATORS = {"not", "no", "never", "nor", "nothing", "none", "neither", "without"}

MIN_LENGTH, MAX_LENGTH = 8, 32  # words per review, uniform
CUE_EVERY = 6  # one extra cue per CUE_EVERY words on average
NEGATE_P = 0.15  # chance that a cue is negated
NOISE_P = 0.05  # chance that a label is flipped
DISTRACTOR_P = 0.01  # chance that a filler word is preceded by "not"
FILLER_VOCAB = 3000


@lru_cache(maxsize=1)
def _filler() -> tuple[list[str], np.ndarray]:
    """Filler words (Lee corpus, by frequency) and the cumulative Zipf probabilities."""
    from ..bundled import lee_sentences

    counts = Counter(w for s in lee_sentences() for w in s)
    banned = set(POSITIVE_WORDS) | set(NEGATIVE_WORDS) | _NEGATORS
    ranked = sorted((w for w in counts if w not in banned), key=lambda w: (-counts[w], w))
    words = ranked[:FILLER_VOCAB]
    p = 1.0 / np.arange(1, len(words) + 1)
    return words, np.cumsum(p / p.sum())


def _review(rng: np.random.Generator, positive: bool, words: list[str], cdf: np.ndarray) -> str:
    length = int(rng.integers(MIN_LENGTH, MAX_LENGTH + 1))
    while True:  # redraw the cues until their sum is non-zero with the wanted sign
        k = 1 + int(rng.poisson(length / CUE_EVERY))
        polarity = rng.choice((-1, 1), size=k)
        negated = rng.random(k) < NEGATE_P
        score = int(np.sum(np.where(negated, -polarity, polarity)))
        if score != 0 and (score > 0) == positive:
            break
    # A unit is a word, or "not <word>" kept together so no sentence break splits them.
    units = []
    for pol, neg in zip(polarity, negated):
        lexicon = POSITIVE_WORDS if pol > 0 else NEGATIVE_WORDS
        cue = lexicon[int(rng.integers(len(lexicon)))]
        units.append(f"{NEGATION} {cue}" if neg else cue)
    n_filler = max(length - len(units) - int(negated.sum()), 1)
    distract = rng.random(n_filler) < DISTRACTOR_P
    n_filler -= int(distract.sum())  # keep the total at `length` words
    picks = np.minimum(np.searchsorted(cdf, rng.random(n_filler)), len(words) - 1)
    units += [f"{NEGATION} {words[i]}" if d else words[i] for i, d in zip(picks, distract)]
    units = [units[i] for i in rng.permutation(len(units))]
    # Sentences of 6-18 units: cut points are running sums of random sentence lengths.
    cuts = np.cumsum(rng.integers(6, 19, size=len(units) // 6 + 1))
    cuts = [0] + [int(c) for c in cuts[cuts < len(units)]] + [len(units)]
    return " ".join(
        " ".join(units[a:b]).capitalize() + "." for a, b in zip(cuts, cuts[1:]))


@lru_cache(maxsize=4)
def _generate(n: int, seed: int) -> tuple[tuple[str, ...], np.ndarray]:
    rng = np.random.default_rng(seed)
    words, cdf = _filler()
    wanted = rng.permutation(np.arange(n) % 2)  # balanced, in random order
    texts = tuple(_review(rng, bool(w), words, cdf) for w in wanted)
    flip = rng.random(n) < NOISE_P
    labels = np.where(flip, 1 - wanted, wanted).astype(np.int64)
    return texts, labels


def generated_reviews(n_train: int = 2500, n_test: int = 2500, seed: int = 0):
    """Generated sentiment reviews: ``(train_texts, train_labels), (test_texts, test_labels)``.

    Texts are ``list[str]``, labels ``np.int64`` arrays (1 = positive). Deterministic for a
    given ``seed``; see the module docstring for the generative process.
    """
    for name, value in (("n_train", n_train), ("n_test", n_test)):
        if not isinstance(value, (int, np.integer)) or value < 1:
            raise ValueError(f"{name} must be a positive integer, got {value!r}")
    texts, labels = _generate(int(n_train) + int(n_test), int(seed))
    return (
        (list(texts[:n_train]), labels[:n_train].copy()),
        (list(texts[n_train:]), labels[n_train:].copy()),
    )


# ----------------------------------------------------------------------------- pre-training
# A second generator, for notebook 10 (BERT): reviews made of short opinion sentences whose
# sentiment words mostly agree with the review and whose intensifiers collocate with one
# polarity ("truly moving", "utterly boring"), so that unlabelled text alone says which words go
# together, as in real reviews. Its lexicons hold 60 words per polarity, drawn uniformly: a
# hundred labelled reviews see each word a few times, an unlabelled corpus of thousands sees
# each one hundreds of times. That is the situation in which pre-training pays off.
POSITIVE_LEXICON = POSITIVE_WORDS + (
    "splendid", "terrific", "marvelous", "fantastic", "magnificent", "heartfelt", "inspired",
    "captivating", "engaging", "lovely", "fresh", "clever", "witty", "elegant", "powerful",
    "riveting", "thrilling", "exquisite", "sublime", "haunting", "compelling", "remarkable",
    "outstanding", "memorable", "graceful", "tender", "joyful", "uplifting", "dazzling",
    "flawless", "inventive", "poignant", "vivid", "radiant", "sharp", "gorgeous", "charismatic",
    "nuanced", "wondrous", "exhilarating", "refreshing", "assured", "rich", "warm", "smart",
)
NEGATIVE_LEXICON = NEGATIVE_WORDS + (
    "horrible", "dreary", "painful", "lifeless", "incoherent", "shallow", "annoying", "stupid",
    "silly", "sloppy", "wooden", "stale", "tiresome", "messy", "plodding", "hollow", "cheap",
    "ugly", "unbearable", "atrocious", "laughable", "muddled", "overlong", "flat", "weak",
    "trite", "derivative", "insulting", "pathetic", "mediocre", "irritating", "dismal", "sluggish",
    "forced", "empty", "grating", "cringeworthy", "awkward", "hackneyed", "amateurish",
    "pretentious", "confusing", "disjointed", "unfunny", "contrived",
)
AGREE_P = 0.85  # chance that a sentiment word has the review's polarity
DEGREE_P = 0.5  # chance that a sentiment word gets an intensifier of its own polarity
POSITIVE_DEGREE = ("truly", "wonderfully", "genuinely", "delightfully")
NEGATIVE_DEGREE = ("utterly", "painfully", "dreadfully", "hopelessly")
ASPECTS = ("acting", "plot", "script", "music", "story", "cast", "ending", "dialogue", "direction",
           "pacing", "characters", "score", "effects", "photography", "humour", "editing")
TEMPLATES = (
    "the {n} was {a} .", "the {n} is {a} .", "a {a} film with {a} {n} .", "i found the {n} {a} .",
    "{a} {n} and {a} {n} .", "what {a} {n} !", "the {n} felt {a} , the {n} {a} .", "overall {a} .",
)


def _opinion_review(rng: np.random.Generator, positive: bool, aspects_per_review: int | None = None) -> str:
    # a focused review draws its aspects from a few of its own (drawn first); None leaves the
    # random stream exactly as before, so the default corpus does not change
    aspects = ASPECTS if aspects_per_review is None else tuple(
        ASPECTS[i] for i in rng.choice(len(ASPECTS), size=aspects_per_review, replace=False))
    sentences = []
    for _ in range(int(rng.integers(2, 6))):   # 2-5 sentences
        out = []
        for piece in TEMPLATES[int(rng.integers(len(TEMPLATES)))].split():
            if piece == "{a}":
                polar = (rng.random() < AGREE_P) == positive
                if rng.random() < DEGREE_P:
                    degree = POSITIVE_DEGREE if polar else NEGATIVE_DEGREE
                    out.append(degree[int(rng.integers(len(degree)))])
                lexicon = POSITIVE_LEXICON if polar else NEGATIVE_LEXICON
                out.append(lexicon[int(rng.integers(len(lexicon)))])
            elif piece == "{n}":
                out.append(aspects[int(rng.integers(len(aspects)))])
            else:
                out.append(piece)
        sentences.append(" ".join(out))
    return " ".join(sentences)


@lru_cache(maxsize=4)
def _generate_opinions(n: int, seed: int, aspects_per_review: int | None) -> tuple[tuple[str, ...], np.ndarray]:
    rng = np.random.default_rng(seed)
    labels = rng.permutation(np.arange(n) % 2).astype(np.int64)
    return tuple(_opinion_review(rng, bool(y), aspects_per_review) for y in labels), labels


def opinion_reviews(n: int, seed: int = 0, aspects_per_review: int | None = None) -> tuple[list[str], np.ndarray]:
    """``n`` generated opinion reviews and their labels (1 = positive, balanced): ``(texts, labels)``.

    A review is 2-5 sentences from :data:`TEMPLATES` ("the {n} was {a} ."), the aspects {n}
    uniform over :data:`ASPECTS`, each sentiment word {a} uniform over a 60-word lexicon of the
    review's polarity with probability ``AGREE_P`` (else of the other polarity), and preceded
    with probability ``DEGREE_P`` by an intensifier of the word's own polarity. The label is the
    polarity the review was drawn with. Deterministic for a given ``seed``.

    ``aspects_per_review``: ``None`` (default) draws every aspect from all of :data:`ASPECTS`; an
    integer k makes each review keep to k aspects of its own (drawn without replacement), so
    that its sentences share a topic as a real review's do (notebook 10's next-sentence task
    needs that; the default corpus is unchanged).
    """
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise ValueError(f"n must be a positive integer, got {n!r}")
    if aspects_per_review is not None and (
            isinstance(aspects_per_review, bool) or not isinstance(aspects_per_review, (int, np.integer))
            or not 1 <= aspects_per_review <= len(ASPECTS)):
        raise ValueError(f"aspects_per_review must be None or an integer from 1 to {len(ASPECTS)}, "
                         f"got {aspects_per_review!r}")
    k = None if aspects_per_review is None else int(aspects_per_review)
    texts, labels = _generate_opinions(int(n), int(seed), k)
    return list(texts), labels.copy()
