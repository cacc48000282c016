"""The generated sense corpus: senses exist by construction, deterministic, bad arguments."""
import numpy as np
import pytest

from course_utils.data.generated.senses import HOMOGRAPHS, TEMPLATES, sense_corpus, sense_name


def test_every_occurrence_is_surrounded_by_its_sense_topic_words():
    corpus = sense_corpus(300, seed=1)
    assert corpus.occurrences
    for i, pos, word, sense in corpus.occurrences:
        sentence = corpus.sentences[i]
        assert sentence[pos] == word
        topic = set(HOMOGRAPHS[word][sense][1])
        other = set(HOMOGRAPHS[word][1 - sense][1])
        context = set(sentence[:pos] + sentence[pos + 1:])
        assert context & topic and not context & other


def test_topic_words_are_unique_per_sense():
    words = [w for senses in HOMOGRAPHS.values() for _, topic in senses for w in topic]
    assert len(words) == len(set(words)) and not set(words) & set(HOMOGRAPHS)


def test_deterministic_shares_and_labels():
    a, b = sense_corpus(2000, seed=3), sense_corpus(2000, seed=3)
    assert a.sentences == b.sentences and a.occurrences == b.occurrences
    assert sense_corpus(50, seed=4).sentences != a.sentences[:50]
    share_filler = 1 - len(a.occurrences) / len(a.sentences)
    assert abs(share_filler - 0.3) < 0.04
    labels = a.labels()
    assert abs(np.mean(labels % 2 == 0) - 0.6) < 0.04  # the first sense is the frequent one
    assert set(labels) == set(range(2 * len(HOMOGRAPHS)))
    assert sense_corpus(100, seed=0, filler_share=0.0).labels().size == 100
    assert sense_name("bank", 1) == "river"


@pytest.mark.parametrize("kwargs, name", [(dict(n_sentences=0), "n_sentences"),
                                          (dict(n_sentences=5, filler_share=1.0), "filler_share"),
                                          (dict(n_sentences=5, major_share=0.0), "major_share")])
def test_bad_arguments(kwargs, name):
    with pytest.raises(ValueError, match=name):
        sense_corpus(**kwargs)


def test_default_draws_unchanged():
    # the corpus notebook 07 trains on (seed 0) starts as it did before exclude= and unique= existed
    corpus = sense_corpus(2000, seed=0)
    assert [" ".join(s) for s in corpus.sentences[:4]] == [
        "she saw forest by the stick and branch", "they talked of the stick label and wall poster",
        "the glue and the label were there", "the twig and the branch were there"]
    assert sense_corpus(300, seed=1, exclude=[]).sentences == sense_corpus(300, seed=1).sentences


def test_exclude_and_unique_give_sentences_never_seen():
    train = sense_corpus(2000, seed=0)
    seen = {tuple(s) for s in train.sentences}
    assert len(seen) < len(train.sentences)  # the plain generator repeats sentences
    fresh = sense_corpus(450, seed=1, filler_share=0.0, exclude=train.sentences, unique=True)
    drawn = [tuple(s) for s in fresh.sentences]
    assert len(drawn) == 450 == len(set(drawn)) and not set(drawn) & seen
    assert len(fresh.occurrences) == 450 and set(fresh.labels()) == set(range(2 * len(HOMOGRAPHS)))


def test_templates_of_occurrences():
    corpus = sense_corpus(300, seed=2)
    assert len(corpus.templates) == len(corpus.occurrences)
    for (i, pos, word, _), t in zip(corpus.occurrences, corpus.templates):
        parts = TEMPLATES[t].split()
        assert parts[pos] == "{w}" and len(parts) == len(corpus.sentences[i])
        assert all(p.startswith("{") or p == w for p, w in zip(parts, corpus.sentences[i]))


def test_used_up_sentences_are_reported():
    with pytest.raises(ValueError, match="used up"):
        sense_corpus(1700, filler_share=0.0, unique=True)  # 1,680 distinct sentences with a homograph exist
