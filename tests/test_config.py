"""Profiles, knob validation, seeding and the banner."""
import random

import numpy as np
import pytest

import course_utils
from course_utils.course.config import resolve_profile, setup


@pytest.fixture
def no_profile_env(monkeypatch):
    monkeypatch.delenv("COURSE_PROFILE", raising=False)


def test_auto_is_full_without_env(no_profile_env):
    assert resolve_profile("auto") == "full"


def test_auto_follows_env(monkeypatch):
    monkeypatch.setenv("COURSE_PROFILE", "smoke")
    assert resolve_profile("auto") == "smoke"
    assert resolve_profile("full") == "full"  # explicit beats the variable


@pytest.mark.parametrize("bad", ["fast", "Smoke", "", None, 1])
def test_unknown_profile_names_parameter_and_choices(bad):
    with pytest.raises(ValueError, match=r"PROFILE must be one of 'auto', 'smoke', 'full'"):
        resolve_profile(bad)


def test_bad_env_profile_is_reported(monkeypatch):
    monkeypatch.setenv("COURSE_PROFILE", "quick")
    with pytest.raises(ValueError, match="COURSE_PROFILE must be 'smoke' or 'full'; got 'quick'"):
        resolve_profile("auto")


@pytest.mark.parametrize("knob, value, message", [
    ("epochs", -1, "epochs must be a positive integer"),
    ("epochs", 0, "epochs must be a positive integer"),
    ("epochs", 2.5, "epochs must be a positive integer"),
    ("epochs", True, "epochs must be a positive integer"),
    ("num_samples", 0, "num_samples must be a positive integer"),
    ("batch_size", "32", "batch_size must be a positive integer"),
    ("learning_rate", 0.0, "learning_rate must be a finite number > 0"),
    ("learning_rate", float("nan"), "learning_rate must be a finite number > 0"),
    ("validation_split", 1.0, "validation_split must be a number strictly between 0 and 1"),
    ("dropout", 1.0, r"dropout must be a number in \[0, 1\) \(0 = off\)"),
    ("dropout", -0.1, r"dropout must be a number in \[0, 1\)"),
    ("my_count", -4, "my_count must be a positive integer"),  # unregistered: judged by type
])
def test_invalid_knobs_raise_naming_the_parameter(knob, value, message):
    with pytest.raises(ValueError, match=message):
        setup("smoke", knobs={knob: value}, quiet=True)


def test_dropout_zero_means_off():
    assert setup("smoke", knobs=dict(dropout=0.0), quiet=True).dropout == 0.0


def test_none_takes_profile_default():
    cfg = setup("smoke", knobs=dict(epochs=None, units=8), smoke=dict(epochs=2), full=dict(epochs=10), quiet=True)
    assert (cfg.epochs, cfg.units, cfg.profile) == (2, 8, "smoke")
    cfg = setup("full", knobs=dict(epochs=None), smoke=dict(epochs=2), full=dict(epochs=10), quiet=True)
    assert cfg.epochs == 10


def test_defaults_without_knobs_are_exposed():
    cfg = setup("smoke", smoke=dict(maxlen=20), full=dict(maxlen=500), quiet=True)
    assert cfg.maxlen == 20


def test_none_without_default_is_an_error():
    with pytest.raises(ValueError, match="epochs is None and has no default for profile 'smoke'"):
        setup("smoke", knobs=dict(epochs=None), quiet=True)


def test_one_sided_default_is_an_error():
    with pytest.raises(ValueError, match="knob 'epochs' has a default for one profile only"):
        setup("smoke", smoke=dict(epochs=2), full={}, quiet=True)


def test_custom_rule_and_unknown_attribute():
    from course_utils.validate import one_of
    with pytest.raises(ValueError, match="padding must be one of 'pre', 'post'; got 'middle'"):
        setup("smoke", knobs=dict(padding="middle"), rules=dict(padding=one_of("pre", "post")), quiet=True)
    cfg = setup("smoke", knobs=dict(padding="post"), rules=dict(padding=one_of("pre", "post")), quiet=True)
    with pytest.raises(AttributeError, match="no knob 'epochs'"):
        cfg.epochs


@pytest.mark.parametrize("value", [-0.5, float("nan"), float("inf"), True, "1"])
def test_non_negative_float_refuses_what_is_no_loss_weight(value):
    from course_utils.validate import non_negative_float
    with pytest.raises(ValueError, match="nsp_weight must be a finite number >= 0"):
        setup("smoke", knobs=dict(nsp_weight=value), rules=dict(nsp_weight=non_negative_float), quiet=True)


def test_non_negative_float_takes_zero():
    from course_utils.validate import non_negative_float
    assert setup("smoke", knobs=dict(nsp_weight=0), rules=dict(nsp_weight=non_negative_float), quiet=True).nsp_weight == 0


def test_seed_makes_runs_repeatable():
    import tensorflow as tf
    draws = []
    for _ in range(2):
        setup("smoke", seed=7, quiet=True)
        draws.append((random.random(), np.random.rand(), float(tf.random.uniform(()))))
    assert draws[0] == draws[1]
    with pytest.raises(ValueError, match="seed must be an integer >= 0"):
        setup("smoke", seed=-1, quiet=True)


def test_banner_names_profile_data_and_device(capsys):
    setup("smoke", knobs=dict(epochs=3, prompt="ROMEO:\n"), data={"smoke": "generated reviews", "full": "IMDB"})
    line = capsys.readouterr().out.strip()
    assert "prompt='ROMEO:\\n'" in line
    assert line.startswith("[course] profile=smoke | data: generated reviews | device: ")
    assert "TensorFlow" in line and "seed=0" in line and "epochs=3" in line
    assert "\n" not in line


def test_banner_uses_data_sources():
    from course_utils import data
    cfg = course_utils.setup("smoke", data="imdb", quiet=True)
    assert cfg.data_source == data.SOURCES["imdb"]["smoke"]


def test_setup_drops_only_the_retracing_warning(caplog):
    import logging

    setup("smoke", quiet=True)
    setup("smoke", quiet=True)                      # a second call adds no second filter
    tf_logger = logging.getLogger("tensorflow")
    assert sum(type(f).__name__ == "_RetracingFilter" for f in tf_logger.filters) == 1
    with caplog.at_level(logging.WARNING, logger="tensorflow"):
        tf_logger.warning("5 out of the last 5 calls to <function f> triggered tf.function retracing. Tracing is expensive")
        tf_logger.warning("some other TensorFlow warning")
    assert [r.getMessage() for r in caplog.records] == ["some other TensorFlow warning"]
