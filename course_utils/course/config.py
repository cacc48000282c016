"""Profiles, parameter validation, seeding and the one-line banner.

Every notebook calls :func:`setup` once, right after its ``parameters`` cell::

    cfg = course_utils.setup(
        PROFILE,
        knobs=dict(epochs=EPOCHS, num_words=NUM_WORDS),
        smoke=dict(epochs=2, num_words=2000),
        full=dict(epochs=10, num_words=10000),
        data="imdb",
    )
    cfg.epochs, cfg.profile, cfg.seed

A knob left at ``None`` in the parameters cell takes the profile's default, so one
notebook serves the fast smoke run (CI, nbval, ``make run``) and the real-data full
run (a student pressing Run all) without edits.
"""
from __future__ import annotations

import math
import os
import platform
import random
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

PROFILES = ("smoke", "full")
PROFILE_CHOICES = ("auto",) + PROFILES
PROFILE_ENV = "COURSE_PROFILE"
# where the course lives on GitHub: Colab badges and the Colab install line use it
GITHUB_REPO = "dl-text-seq/deep-learning-text-sequences"


# --- validation rules -------------------------------------------------------------
# A rule takes (name, value) and raises ValueError naming the parameter and what is
# allowed (course_utils.validate). Knobs are validated by name when a rule is registered,
# by type otherwise.
from ..validate import (  # noqa: E402,F401  (re-exported: setup's rules)
    flag, fraction, non_negative_float, non_negative_int, one_of, positive_float, positive_int, rate,
)

# Knob names shared across notebooks. A notebook may pass its own rules to setup().
KNOB_RULES: dict[str, Callable[[str, Any], None]] = {
    "epochs": positive_int,
    "batch_size": positive_int,
    "num_samples": positive_int,
    "num_words": positive_int,
    "maxlen": positive_int,
    "embedding_dim": positive_int,
    "units": positive_int,
    "vocab_size": positive_int,
    "num_buckets": positive_int,
    "seq_len": positive_int,
    "learning_rate": positive_float,
    "temperature": positive_float,
    "validation_split": fraction,
    "dropout": rate,
    "seed": non_negative_int,
}


def _rule_for(name: str, value: Any, extra: Mapping[str, Callable] | None):
    if extra and name in extra:
        return extra[name]
    if name in KNOB_RULES:
        return KNOB_RULES[name]
    # unregistered knob: judge by the type of its default
    if isinstance(value, bool):
        return flag
    if isinstance(value, int):
        return positive_int
    if isinstance(value, float):
        return positive_float
    return None


def resolve_profile(profile: Any = "auto") -> str:
    """``auto`` -> $COURSE_PROFILE if set, else ``full`` (a student's Run all)."""
    if profile not in PROFILE_CHOICES:
        raise ValueError(
            f"PROFILE must be one of {', '.join(map(repr, PROFILE_CHOICES))}; got {profile!r}"
        )
    if profile != "auto":
        return profile
    env = os.environ.get(PROFILE_ENV, "").strip()
    if not env:
        return "full"
    if env not in PROFILES:
        raise ValueError(
            f"environment variable {PROFILE_ENV} must be 'smoke' or 'full'; got {env!r} "
            f"(unset it to get the full profile)"
        )
    return env


@dataclass
class Config:
    """What setup() resolved: the profile, the seed and every knob (as attributes)."""

    profile: str
    seed: int
    knobs: dict[str, Any] = field(default_factory=dict)
    data_source: str = ""
    device: str = ""

    def __getattr__(self, name: str) -> Any:  # cfg.epochs instead of cfg.knobs["epochs"]
        knobs = self.__dict__.get("knobs", {})
        if name in knobs:
            return knobs[name]
        raise AttributeError(f"Config has no knob {name!r}; known: {sorted(knobs)}")

    @property
    def smoke(self) -> bool:
        return self.profile == "smoke"

    @property
    def banner(self) -> str:
        # repr for text knobs keeps the banner on one line ("ROMEO:\n" stays escaped)
        knobs = ", ".join(f"{k}={v!r}" if isinstance(v, str) else f"{k}={v}" for k, v in self.knobs.items())
        return (f"[course] profile={self.profile} | data: {self.data_source or 'none'} | "
                f"device: {self.device} | seed={self.seed}" + (f" | {knobs}" if knobs else ""))


def describe_device() -> str:
    """'CPU (2 cores)' or 'GPU: <name>' plus the TensorFlow/Keras versions."""
    import tensorflow as tf
    import keras

    gpus = tf.config.list_physical_devices("GPU")
    where = f"GPU x{len(gpus)}" if gpus else f"CPU ({os.cpu_count()} cores)"
    return f"{where}, TensorFlow {tf.__version__}, Keras {keras.__version__}"


def seed_everything(seed: int) -> None:
    """Seed Python, NumPy and TensorFlow (via Keras) in one call."""
    random.seed(seed)
    try:
        import keras
    except ImportError:  # course_utils without TF (docs builds)
        import numpy as np
        np.random.seed(seed)
        return
    keras.utils.set_random_seed(seed)
    _quiet_retracing_warning()


class _RetracingFilter:
    """Drops TensorFlow's "N out of the last M calls ... triggered tf.function retracing" warning.

    The notebooks build a fresh model for every setting they compare, so each model traces its
    own training step once: that is the design, not the repeated-tracing bug the warning is about,
    and its text in a stored output only misleads a reader. Every other TensorFlow message stays."""

    def filter(self, record) -> bool:
        return "triggered tf.function retracing" not in record.getMessage()


def _quiet_retracing_warning() -> None:
    import logging

    tf_logger = logging.getLogger("tensorflow")
    if not any(isinstance(f, _RetracingFilter) for f in tf_logger.filters):
        tf_logger.addFilter(_RetracingFilter())


def setup(
    profile: Any = "auto",
    *,
    knobs: Mapping[str, Any] | None = None,
    smoke: Mapping[str, Any] | None = None,
    full: Mapping[str, Any] | None = None,
    rules: Mapping[str, Callable[[str, Any], None]] | None = None,
    data: str | Mapping[str, str] | None = None,
    seed: int = 0,
    quiet: bool = False,
) -> Config:
    """Resolve the profile, validate every knob, seed everything, print the banner.

    knobs: the notebook's parameters (``None`` = use the profile default).
    smoke/full: per-profile defaults for knobs left at ``None``.
    rules: validation rules for knobs not in :data:`KNOB_RULES`.
    data: a key of ``course_utils.data.SOURCES`` (the banner shows that source for the
        profile), a ``{"smoke": ..., "full": ...}`` mapping, or a plain description.
    """
    resolved = resolve_profile(profile)
    non_negative_int("seed", seed)
    defaults = dict((smoke if resolved == "smoke" else full) or {})
    given = dict(knobs or {})
    one_sided = sorted(set(smoke or {}) ^ set(full or {}))
    if one_sided:
        raise ValueError(f"knob {one_sided[0]!r} has a default for one profile only; give it for smoke and full")
    values: dict[str, Any] = {}
    for name in list(given) + [n for n in defaults if n not in given]:
        value = given.get(name)
        if value is None:
            if name not in defaults:
                raise ValueError(f"{name} is None and has no default for profile {resolved!r}; set a value")
            value = defaults[name]
        rule = _rule_for(name, value, rules)
        if rule is not None:
            rule(name, value)
        values[name] = value

    seed_everything(seed)
    from ..teaching.plots import apply_style
    apply_style()
    cfg = Config(profile=resolved, seed=seed, knobs=values,
                 data_source=_describe_data(data, resolved), device=describe_device())
    if not quiet:
        print(cfg.banner)
    return cfg


def _describe_data(data: str | Mapping[str, str] | None, profile: str) -> str:
    if data is None:
        return ""
    if isinstance(data, Mapping):
        return data[profile]
    from .. import data as data_module  # late: keeps `import course_utils` light

    sources = getattr(data_module, "SOURCES", {})
    if data in sources:
        return sources[data][profile]
    return data


def in_colab() -> bool:
    try:
        import google.colab  # noqa: F401
    except ImportError:
        return False
    return True


def python_version() -> str:
    return platform.python_version()
