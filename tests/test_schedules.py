"""course_utils.teaching.schedules: BERT's warm-up then linear decay, in NumPy and as a Keras schedule."""
import numpy as np
import pytest

from course_utils.teaching.schedules import warmup_linear_decay


def test_rises_to_the_peak_then_falls_to_zero():
    steps = np.arange(0, 120)
    lr = warmup_linear_decay(steps, 1e-3, 10, 100)
    assert np.isclose(lr[0], 1e-4) and np.isclose(lr[9], 1e-3)          # step 0 already trains
    assert np.all(np.diff(lr[:10]) > 0) and np.all(np.diff(lr[10:100]) < 0)
    assert np.isclose(lr[55], 1e-3 * 45 / 90)
    assert lr.max() <= 1e-3 and np.all(lr[100:] == 0)


@pytest.mark.parametrize("args, match", [((0, 10, 100), "peak"), ((1e-3, 0, 100), "warmup_steps"),
                                         ((1e-3, 10, 2.5), "total_steps"), ((1e-3, 100, 100), "smaller")])
def test_bad_arguments_name_the_problem(args, match):
    with pytest.raises(ValueError, match=match):
        warmup_linear_decay(0, *args)


def test_keras_schedule_equals_the_numpy_one_and_round_trips():
    keras = pytest.importorskip("keras")
    from course_utils.teaching.schedules import WarmupLinearDecay

    schedule = WarmupLinearDecay(5e-4, 20, 200)
    steps = np.arange(0, 230, 7)
    ours = np.array([float(schedule(s)) for s in steps])
    assert np.allclose(ours, warmup_linear_decay(steps, 5e-4, 20, 200), rtol=1e-5, atol=1e-10)
    again = keras.optimizers.schedules.deserialize(keras.optimizers.schedules.serialize(schedule))
    assert again.get_config() == schedule.get_config()
    optimizer = keras.optimizers.Adam(schedule)
    assert np.isclose(float(optimizer.learning_rate), 5e-4 / 20)     # the rate at iteration 0
    with pytest.raises(ValueError, match="warmup_steps"):
        WarmupLinearDecay(1e-3, -1, 10)
