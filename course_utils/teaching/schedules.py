"""Learning-rate schedules for Transformers (notebook 10's pre-training; usable by any ``fit``).

A Transformer trained with a large constant learning rate from its first step tends to stall:
the updates of the first steps, taken with Adam's second-moment estimates still unreliable, push
the network where it does not recover (Xiong et al. 2020; Liu et al. 2020). BERT (Devlin et al.
2019, appendix A.2) warms up: the rate rises linearly from 0 to its peak over the first
``warmup_steps`` steps, then falls linearly to 0 at ``total_steps``.

:class:`WarmupLinearDecay` is that schedule as a Keras ``LearningRateSchedule``;
:func:`warmup_linear_decay` is the same arithmetic in NumPy, for plots and tests.
"""
from __future__ import annotations

import numpy as np

__all__ = ["warmup_linear_decay", "WarmupLinearDecay"]


def _check(peak, warmup_steps, total_steps):
    if isinstance(peak, bool) or not isinstance(peak, (int, float)) or not peak > 0:
        raise ValueError(f"peak must be a learning rate > 0, got {peak!r}")
    for name, value in (("warmup_steps", warmup_steps), ("total_steps", total_steps)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
            raise ValueError(f"{name} must be a positive integer, got {value!r}")
    if warmup_steps >= total_steps:
        raise ValueError(f"warmup_steps ({warmup_steps}) must be smaller than total_steps ({total_steps}): "
                         f"the rate must have steps left to decay over")


def warmup_linear_decay(step, peak: float, warmup_steps: int, total_steps: int):
    """The rate at (0-based) ``step``: ``peak * (step + 1) / warmup_steps`` while warming up,
    then ``peak * (total_steps - step) / (total_steps - warmup_steps)``, and 0 from
    ``total_steps`` on. ``step`` may be an array."""
    _check(peak, warmup_steps, total_steps)
    step = np.asarray(step, dtype=np.float64)
    rising = (step + 1) / warmup_steps
    falling = (total_steps - step) / (total_steps - warmup_steps)
    return peak * np.clip(np.minimum(rising, falling), 0.0, 1.0)


import keras  # noqa: E402  (after the NumPy version, which works without TensorFlow)


@keras.saving.register_keras_serializable(package="course_utils")
class WarmupLinearDecay(keras.optimizers.schedules.LearningRateSchedule):
    """BERT's schedule: linear warm-up to ``peak`` over ``warmup_steps``, linear decay to 0 at
    ``total_steps`` (:func:`warmup_linear_decay`). Pass it as an optimizer's learning rate."""

    def __init__(self, peak: float, warmup_steps: int, total_steps: int):
        _check(peak, warmup_steps, total_steps)
        self.peak, self.warmup_steps, self.total_steps = float(peak), int(warmup_steps), int(total_steps)

    def __call__(self, step):
        step = keras.ops.cast(step, "float32")
        rising = (step + 1.0) / self.warmup_steps
        falling = (self.total_steps - step) / (self.total_steps - self.warmup_steps)
        return self.peak * keras.ops.clip(keras.ops.minimum(rising, falling), 0.0, 1.0)

    def get_config(self):
        return dict(peak=self.peak, warmup_steps=self.warmup_steps, total_steps=self.total_steps)
