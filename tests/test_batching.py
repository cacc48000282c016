import numpy as np
import pytest

from course_utils.teaching import batching
def _corpus(n=53, seed=0):
    rng = np.random.default_rng(seed)
    seqs = [list(rng.integers(1, 50, rng.integers(1, 40))) for _ in range(n)]
    labels = np.arange(n)                       # label i marks sequence i
    return seqs, labels


def _epoch(data):
    return [(x.numpy(), y.numpy()) for x, y in data]


def test_each_sequence_once_per_epoch_pre_padded_to_its_batch():
    seqs, labels = _corpus()
    data = batching.length_batches(seqs, labels, 8, maxlen=30, seed=1)
    assert data.cardinality().numpy() == 7
    for _ in range(2):                          # two epochs
        seen = []
        for x, y in _epoch(data):
            kept = [seqs[i][-30:] for i in y]
            assert x.shape == (len(y), max(len(k) for k in kept))        # padded to the batch's longest only
            for row, k in zip(x, kept):
                assert list(row[len(row) - len(k):]) == k and not row[:len(row) - len(k)].any()   # pre-padding
            seen.extend(y.tolist())
        assert sorted(seen) == list(range(len(seqs)))


def test_batches_group_similar_lengths_and_repeat_with_the_seed():
    seqs, labels = _corpus(400)
    lengths = np.array([len(s) for s in seqs])
    first = _epoch(batching.length_batches(seqs, labels, 20, seed=3, noise=2.0))
    spread = np.mean([np.ptp(lengths[y]) for _, y in first])
    assert spread < 0.25 * np.ptp(lengths)      # sorted batches: lengths within a batch are close
    again = _epoch(batching.length_batches(seqs, labels, 20, seed=3, noise=2.0))
    assert all(np.array_equal(a[1], b[1]) for a, b in zip(first, again))
    other = _epoch(batching.length_batches(seqs, labels, 20, seed=4, noise=2.0))
    assert not all(np.array_equal(a[1], b[1]) for a, b in zip(first, other))


def test_predict_by_length_returns_the_original_order():
    import keras
    seqs, _ = _corpus(37)
    ids = keras.Input((None,), dtype="int32")
    total = keras.layers.Lambda(lambda t: keras.ops.sum(keras.ops.cast(t, "float32"), axis=1, keepdims=True))(ids)
    model = keras.Model(ids, total)             # padding (0) adds nothing to the sum
    got = batching.predict_by_length(model, seqs, batch_size=8, maxlen=25)
    assert got.shape == (37, 1)
    assert np.allclose(got[:, 0], [sum(s[-25:]) for s in seqs])


@pytest.mark.parametrize("kwargs, message", [
    (dict(batch_size=0), "batch_size must be an integer >= 1"),
    (dict(batch_size=4, maxlen=0), "maxlen must be an integer >= 1 or None"),
    (dict(batch_size=4, noise=-1), "noise must be a number >= 0"),
])
def test_bad_arguments_name_the_parameter(kwargs, message):
    seqs, labels = _corpus(5)
    with pytest.raises(ValueError, match=message):
        batching.length_batches(seqs, labels, **kwargs)


def test_labels_must_match_and_empty_input_is_refused():
    with pytest.raises(ValueError, match="one entry per sequence"):
        batching.length_batches([[1], [2]], [0], 2)
    with pytest.raises(ValueError, match="empty"):
        batching.predict_by_length(None, [], 2)


@pytest.mark.parametrize("by_length", [True, False])
def test_batch_indices_partition_the_rows_and_repeat_with_the_generator_state(by_length):
    lengths = np.random.default_rng(0).integers(1, 60, 103)
    batches = batching.batch_indices(lengths, 10, np.random.default_rng(5), noise=1.0, by_length=by_length)
    assert sorted(len(b) for b in batches) == [3] + [10] * 10          # the last batch is the smaller one
    assert sorted(np.concatenate(batches).tolist()) == list(range(103))  # every row once
    again = batching.batch_indices(lengths, 10, np.random.default_rng(5), noise=1.0, by_length=by_length)
    assert all(np.array_equal(a, b) for a, b in zip(batches, again))
    spread = np.mean([np.ptp(lengths[b]) for b in batches])
    if by_length:       # sorted: close lengths within a batch (noise 1 keeps the order of lengths 2 apart)
        assert spread < 0.15 * np.ptp(lengths)
    else:               # at random: a batch spans most of the range
        assert spread > 0.5 * np.ptp(lengths)


def test_batch_indices_change_from_epoch_to_epoch_and_name_bad_arguments():
    lengths = np.arange(64) % 8                 # many ties: the noise decides the order within a length
    rng = np.random.default_rng(1)
    first, second = (batching.batch_indices(lengths, 8, rng) for _ in range(2))
    assert not all(np.array_equal(a, b) for a, b in zip(first, second))
    with pytest.raises(ValueError, match="batch_size must be an integer >= 1"):
        batching.batch_indices(lengths, 0, rng)
    with pytest.raises(ValueError, match="noise must be a number >= 0"):
        batching.batch_indices(lengths, 4, rng, noise=-0.5)


def test_as_dataset_declares_its_length_and_calls_the_generator_each_epoch():
    import tensorflow as tf
    calls = []

    def batches():
        calls.append(1)
        for i in range(3):
            yield np.full((2, i + 1), len(calls), dtype=np.int32)

    data = batching.as_dataset(batches, tf.TensorSpec([None, None], tf.int32), 3)
    assert data.cardinality().numpy() == 3
    assert [x.shape[1] for x in data] == [1, 2, 3] and [int(x[0, 0]) for x in data] == [2, 2, 2]
