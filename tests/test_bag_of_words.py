"""The TF-IDF + logistic-regression baseline of notebook 10 (course_utils.teaching.bag_of_words)."""
import numpy as np
import pytest

from course_utils.teaching import bag_of_words as bow
from course_utils.validate import increasing_positive_ints

GOOD, BAD = ("great", "superb", "moving"), ("dull", "awful", "tedious")
FILLER = ("the", "film", "plot", "was", "and", "cast", "music", "i", "found")


def reviews(n, seed):
    """Reviews whose label is the lexicon of their one sentiment word, among neutral filler."""
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 2, n)
    texts = [" ".join(list(rng.choice(FILLER, 6)) + [str(rng.choice(GOOD if y else BAD))]) for y in labels]
    return texts, labels


def test_learns_the_sentiment_words_and_keeps_its_best_check():
    (x, y), (vx, vy), (tx, ty) = reviews(60, 0), reviews(30, 1), reviews(200, 2)
    model, curve = bow.tfidf_logistic_regression(x, y, validation=(vx, vy), steps=50, check_every=10)
    assert len(curve) == 5 and max(curve) == 1.0
    assert bow.accuracy(model, tx, ty) > 0.97    # early stopping keeps the first perfect check
    p = np.asarray(model.predict(np.array(["the plot was superb"], dtype=object), verbose=0))
    assert p.shape == (1,) and p[0] > 0.5


def test_a_word_never_seen_in_training_has_no_weight():
    x, y = reviews(40, 3)
    model, curve = bow.tfidf_logistic_regression(x, y, steps=20)
    assert curve == []                                          # no validation, no curve
    vocabulary = model.get_layer("tfidf").get_vocabulary()
    assert "wonderful" not in vocabulary and "superb" in vocabulary
    # an unseen word maps to the out-of-vocabulary slot, so it cannot move a prediction by itself
    p = np.asarray(model.predict(np.array(["wonderful", "zzzz"], dtype=object), verbose=0))
    assert abs(p[0] - p[1]) < 1e-6


def test_untrained_check_fails_on_shuffled_labels():
    # the same data with labels unrelated to the words: held-out accuracy near chance, so the accuracy
    # check above is one that can fail
    (x, y), (tx, ty) = reviews(60, 4), reviews(400, 5)
    model, _ = bow.tfidf_logistic_regression(x, np.arange(60) % 2, steps=50)
    assert bow.accuracy(model, tx, ty) < 0.75


@pytest.mark.parametrize("kwargs, message", [
    (dict(l2=-1.0), "l2"), (dict(steps=0), "steps"), (dict(learning_rate=0), "learning_rate"),
    (dict(max_tokens=0), "max_tokens"), (dict(check_every=0), "check_every")])
def test_bad_settings_name_the_parameter(kwargs, message):
    x, y = reviews(10, 6)
    with pytest.raises(ValueError, match=message):
        bow.tfidf_logistic_regression(x, y, **kwargs)


def test_bad_labels_and_empty_data_are_refused():
    x, y = reviews(10, 7)
    with pytest.raises(ValueError, match="train_labels"):
        bow.tfidf_logistic_regression(x, y + 1)
    with pytest.raises(ValueError, match="train_labels"):
        bow.tfidf_logistic_regression(x, y[:5])
    with pytest.raises(ValueError, match="at least one"):
        bow.tfidf_logistic_regression([], [])


@pytest.mark.parametrize("value", [(), [3, 2], (1, 1), (0, 5), (1.5, 3), "100", (True, 2), 100])
def test_label_counts_rule(value):
    with pytest.raises(ValueError, match="LABEL_COUNTS must be a non-empty tuple"):
        increasing_positive_ints("LABEL_COUNTS", value)
    increasing_positive_ints("LABEL_COUNTS", (30, 100, 1000))


def test_label_counts_rule_says_how_to_pass_a_tuple_through_papermill():
    with pytest.raises(ValueError, match=r"papermill passes a tuple as its text: give a list"):
        increasing_positive_ints("LABEL_COUNTS", "(500, 2000)")
    increasing_positive_ints("LABEL_COUNTS", [500, 2000])
