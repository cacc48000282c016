"""Parameter checks shared by every layer: each rule takes ``(name, value)`` and raises a
``ValueError`` that names the parameter and what is allowed.

The bottom of the package: it imports nothing of course_utils, so the machinery
(``course.config.setup`` validates every knob with these rules), the teaching library and the
notebooks can all use it.
"""
from __future__ import annotations

import math
from typing import Any, Callable

__all__ = ["positive_int", "non_negative_int", "positive_float", "non_negative_float", "fraction", "rate",
           "one_of", "flag", "increasing_positive_ints"]


def positive_int(name: str, value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ValueError(f"{name} must be a positive integer (1, 2, 3, ...), got {value!r}")


def non_negative_int(name: str, value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"{name} must be an integer >= 0, got {value!r}")


def positive_float(name: str, value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value <= 0:
        raise ValueError(f"{name} must be a finite number > 0, got {value!r}")


def non_negative_float(name: str, value: Any) -> None:
    """A finite number >= 0 (a loss weight: 0 switches that loss off)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value < 0:
        raise ValueError(f"{name} must be a finite number >= 0, got {value!r}")


def fraction(name: str, value: Any) -> None:
    """A proportion strictly between 0 and 1 (validation split, dropout rate...)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value < 1:
        raise ValueError(f"{name} must be a number strictly between 0 and 1, got {value!r}")


def rate(name: str, value: Any) -> None:
    """A rate in [0, 1): 0 switches it off (dropout)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value < 1:
        raise ValueError(f"{name} must be a number in [0, 1) (0 = off), got {value!r}")


def one_of(*choices: Any) -> Callable[[str, Any], None]:
    def rule(name: str, value: Any) -> None:
        if value not in choices:
            allowed = ", ".join(repr(c) for c in choices)
            raise ValueError(f"{name} must be one of {allowed}; got {value!r}")
    return rule


def flag(name: str, value: Any) -> None:
    if not isinstance(value, bool):
        raise ValueError(f"{name} must be True or False, got {value!r}")


def increasing_positive_ints(name: str, value: Any) -> None:
    """A non-empty tuple or list of positive integers in increasing order (label counts of a curve)."""
    if (not isinstance(value, (tuple, list)) or not value
            or any(isinstance(v, bool) or not isinstance(v, int) or v <= 0 for v in value)
            or any(a >= b for a, b in zip(value, value[1:]))):
        hint = (" (papermill passes a tuple as its text: give a list, such as -p NAME '[100, 1000]')"
                if isinstance(value, str) else "")
        raise ValueError(f"{name} must be a non-empty tuple of positive integers in increasing order, "
                         f"such as (100, 1000, 5000); got {value!r}{hint}")
