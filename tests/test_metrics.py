"""course_utils.record: validation, display and the runner's metrics file."""
import json

import numpy as np
import pytest

from course_utils.course.metrics import describe, read_metrics_file, record


def test_record_prints_and_appends(tmp_path, monkeypatch, capsys):
    path = tmp_path / "m.jsonl"
    monkeypatch.setenv("COURSE_METRICS_FILE", str(path))
    record("02.flatten_test_accuracy", np.float32(0.75), reference=0.75, source="lecture 11")
    record("02.flatten_params", np.int64(80161))
    out = capsys.readouterr().out
    assert "02.flatten_test_accuracy = 0.7500  (reference 0.7500, lecture 11)" in out
    assert "02.flatten_params = 80,161" in out
    lines = [json.loads(x) for x in path.read_text().splitlines()]
    assert lines[0] == {"name": "02.flatten_test_accuracy", "value": 0.75, "reference": 0.75, "source": "lecture 11"}
    assert lines[1] == {"name": "02.flatten_params", "value": 80161}
    assert isinstance(lines[1]["value"], int)


def test_without_runner_nothing_is_written(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("COURSE_METRICS_FILE", raising=False)
    monkeypatch.chdir(tmp_path)
    record("01.x", 1.5)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("name", ["accuracy", "1.acc", "01.Acc", "01.acc-2", "01._a", "001.a", "01.a__b"])
def test_bad_names(name):
    with pytest.raises(ValueError, match="metric name must look like '01.snake_case_name'"):
        record(name, 1.0)


@pytest.mark.parametrize("value", ["0.9", None, True, float("nan"), float("inf"), [1.0]])
def test_bad_values(value):
    with pytest.raises(ValueError, match="metric 01.x: value must be"):
        record("01.x", value)


def test_reference_needs_source():
    with pytest.raises(ValueError, match="a reference needs its source"):
        record("01.x", 0.5, reference=0.6)


def test_read_keeps_last_of_a_name(tmp_path):
    p = tmp_path / "m.jsonl"
    p.write_text('{"name": "01.a", "value": 1}\n{"name": "01.b", "value": 2}\n{"name": "01.a", "value": 3}\n')
    assert read_metrics_file(p) == [{"name": "01.a", "value": 3}, {"name": "01.b", "value": 2}]
    assert read_metrics_file(tmp_path / "missing.jsonl") == []


def test_describe_small_and_large_numbers():
    assert describe({"name": "06.p", "value": 2.5e-5}) == "06.p = 2.5e-05"
    assert describe({"name": "03.wps", "value": 123456.0, "unit": "words/s"}) == "03.wps = 1.235e+05 words/s"


def test_below_shows_the_bound_and_stores_the_exact_value(tmp_path, monkeypatch, capsys):
    path = tmp_path / "m.jsonl"
    monkeypatch.setenv("COURSE_METRICS_FILE", str(path))
    record("05.lstm_max_abs_diff", np.float32(2.1e-7), below=1e-6)
    out = capsys.readouterr().out
    assert out.strip() == "05.lstm_max_abs_diff < 1e-06 \u2713 (exact value in the metrics file)"
    assert "2.1" not in out
    [entry] = read_metrics_file(path)
    assert entry["below"] == 1e-6 and abs(entry["value"] - 2.1e-7) < 1e-12


def test_below_fails_when_the_bound_does_not_hold(tmp_path, monkeypatch):
    path = tmp_path / "m.jsonl"
    monkeypatch.setenv("COURSE_METRICS_FILE", str(path))
    with pytest.raises(AssertionError, match="05.x = 2e-06 is not below its bound 1e-06"):
        record("05.x", 2e-6, below=1e-6)
    assert not path.exists()
