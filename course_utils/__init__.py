"""Helpers for the notebook course "Deep Learning for Text and Sequences", in three layers.

- ``course_utils.teaching``: the pieces notebooks import (NumPy references, Keras models,
  decoding, masking, evaluation, plots, the pre-trained checkpoints);
- ``course_utils.data``: one loader per data set, the verified download cache, generated data;
- ``course_utils.course``: the machinery that runs the course (profiles and ``setup``, metrics,
  results of full runs, the runner, the report site).

Imports run one way: notebooks -> teaching -> data; the machinery may import everything, and
nothing imports the machinery except this face, which carries what every notebook calls:
:func:`setup`, :func:`record` and :func:`full_results`. ``course_utils.validate`` (parameter
rules) sits below all three. ARCHITECTURE.md has the map.
"""
from __future__ import annotations

import importlib.abc
import sys

from .course.config import Config, setup
from .course.metrics import record
from .course.results import full_results

__all__ = ["Config", "setup", "record", "full_results"]
__version__ = "0.1.0"

# Where the modules of the flat layout went (the package was split into layers in December 2026).
MOVED = {
    **{f"course_utils.{m}": f"course_utils.course.{m}" for m in ("config", "metrics", "runner", "refresh", "site")},
    **{f"course_utils.{m}": f"course_utils.teaching.{m}" for m in (
        "attention", "transformer", "seq2seq", "decoding", "bilm", "language_model", "masked_lm", "evaluation",
        "schedules", "batching", "plots", "checkpoint")},
    "course_utils." + "reference": "course_utils.teaching.numpy_rnn",
    **{f"course_utils.data.{m}": f"course_utils.data.generated.{m}" for m in ("dates", "senses")},
    "course_utils.data." + "synthetic": "course_utils.data.generated.reviews",
}


def _moved_message(old: str) -> str:
    new = MOVED[old]
    hint = " (parameter rules such as positive_int: course_utils.validate)" if old == "course_utils." + "config" else ""
    return f"{old} has moved to {new}{hint}. Fix: import {new.rpartition('.')[2]} from {new.rpartition('.')[0]}."


class _MovedModuleFinder(importlib.abc.MetaPathFinder):
    """Turns an import of a moved module into an ImportError that names its new place."""

    def find_spec(self, fullname, path=None, target=None):
        if fullname in MOVED:
            raise ImportError(_moved_message(fullname), name=fullname)
        return None


if not any(isinstance(f, _MovedModuleFinder) for f in sys.meta_path):
    sys.meta_path.insert(0, _MovedModuleFinder())


def __getattr__(name: str):
    if f"course_utils.{name}" in MOVED:   # `from course_utils import transformer`
        raise ImportError(_moved_message(f"course_utils.{name}"), name=f"course_utils.{name}")
    raise AttributeError(f"module 'course_utils' has no attribute {name!r}")
