"""course_utils.data.generated.dates: the generated dates -> ISO task shared by notebooks 08 and 09."""
import datetime as dt

import numpy as np
import pytest

from course_utils.data.generated import dates


def test_every_format_is_parsed_back_to_its_date():
    """Each format keeps day, month and year recoverable (no ambiguous d/m/y order)."""
    d = dt.date(1998, 5, 3)
    texts = [f(d) for f in dates.FORMATS]
    assert "3 May 1998" in texts and "Sunday, May 3, 1998" in texts and "the 3rd of May 1998" in texts
    assert len(set(texts)) == len(texts)
    assert all(set(t) <= set(dates.SOURCE_ALPHABET) for t in texts)


@pytest.mark.parametrize("n,expected", [(1, "1st"), (2, "2nd"), (3, "3rd"), (4, "4th"), (11, "11th"),
                                        (12, "12th"), (13, "13th"), (21, "21st"), (22, "22nd"), (31, "31st")])
def test_ordinals(n, expected):
    assert dates._ordinal(n) == expected


def test_task_arrays_and_teacher_forcing():
    task = dates.date_task(200, 100, max_dates=3, seed=1)
    assert task.x_train.shape == (200, task.max_src_len) and task.x_test.shape == (100, task.max_src_len)
    assert task.dec_in_train.shape == task.dec_out_train.shape == (200, task.max_tgt_len)
    v = task.tgt_vocab
    for i in range(5):
        assert v.decode(task.dec_in_train[i]) == task.train_tgt[i]
        assert v.decode(task.dec_out_train[i]) == task.train_tgt[i]
        # the decoder's input is its output shifted right by one: teacher forcing
        n = len(task.train_tgt[i])
        assert task.dec_in_train[i, 0] == v.START and (task.dec_in_train[i, 1:n + 1] == task.dec_out_train[i, :n]).all()
        assert task.dec_out_train[i, n] == v.END
        assert task.src_vocab.decode(task.x_train[i]) == task.train_src[i]
    assert set(task.test_ndates) == {1, 2, 3}
    for s, t, k in zip(task.test_src, task.test_tgt, task.test_ndates):
        assert len(t.split()) == k
        assert all(dt.date.fromisoformat(x) for x in t.split())
    assert not set(task.test_src) & set(task.train_src)


def test_more_dates_mean_longer_inputs_and_outputs():
    task = dates.date_task(600, 10, max_dates=4, seed=0)
    lens = {k: np.mean([len(s) for s, n in zip(task.train_src, task.train_ndates) if n == k]) for k in range(1, 5)}
    assert lens[1] < lens[2] < lens[3] < lens[4]


def test_same_seed_same_task():
    a, b = dates.date_task(50, 20, seed=3), dates.date_task(50, 20, seed=3)
    assert a.train_src == b.train_src and a.test_tgt == b.test_tgt
    assert dates.date_task(50, 20, seed=4).train_src != a.train_src


def test_bad_arguments():
    with pytest.raises(ValueError, match="max_dates must be a positive integer"):
        dates.date_task(10, 10, max_dates=0)
    with pytest.raises(ValueError, match="n_test must be a positive integer"):
        dates.date_task(10, -1)
    with pytest.raises(ValueError, match="more than max_len=3"):
        dates.Seq2SeqVocab("abc").encode(["abcd"], 3)


def test_exact_match():
    assert dates.exact_match(["a", "b", "c", "d"], ["a", "b", "x", "d"]) == 0.75
    with pytest.raises(ValueError, match="2 predictions for 1 targets"):
        dates.exact_match(["a", "b"], ["a"])
