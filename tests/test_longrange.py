"""The generated long-range task: the label is the key at position 0 and nowhere else."""
import numpy as np
import pytest

from course_utils.data.generated.longrange import first_token_task


def test_label_is_the_key_at_position_0_only():
    task = first_token_task(500, length=120, n_keys=4, n_fillers=20, seed=1)
    assert task.x.shape == (500, 120) and task.y.shape == (500,) and task.length == 120
    assert task.x.dtype == np.int32 and task.y.dtype == np.int32
    assert task.vocab_size == 25
    assert np.array_equal(task.x[:, 0], [task.key_id(k) for k in task.y])
    keys = task.x >= 1 + task.n_fillers
    assert keys[:, 0].all() and not keys[:, 1:].any()          # the key appears once, at the start
    assert task.x.min() >= 1 and task.x.max() < task.vocab_size  # no padding, ids within the vocabulary


def test_labels_balanced_fillers_uniform_and_deterministic():
    a, b = first_token_task(4000, seed=3), first_token_task(4000, seed=3)
    assert np.array_equal(a.x, b.x) and np.array_equal(a.y, b.y)
    assert not np.array_equal(first_token_task(4000, seed=4).x, a.x)
    shares = np.bincount(a.y, minlength=4) / len(a.y)
    assert np.abs(shares - 0.25).max() < 0.03
    fillers = np.bincount(a.x[:, 1:].ravel(), minlength=21)[1:] / a.x[:, 1:].size
    assert np.abs(fillers - 1 / 20).max() < 0.005
    # nothing after position 0 tells the label: filler counts are independent of the key
    mean_by_key = [a.x[a.y == k, 1:].mean() for k in range(4)]
    assert np.ptp(mean_by_key) < 0.1


@pytest.mark.parametrize("kwargs, name", [(dict(n=0), "n"), (dict(n=5, length=1), "length"),
                                          (dict(n=5, n_keys=1), "n_keys"), (dict(n=5, n_fillers=0), "n_fillers"),
                                          (dict(n=5, length=10.0), "length")])
def test_bad_arguments(kwargs, name):
    with pytest.raises(ValueError, match=name):
        first_token_task(**kwargs)
