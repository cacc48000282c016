"""Results of full runs: written by the runner, read and shown by full_results()."""
import json

import pytest

import course_utils
from course_utils.course import metrics, results
from course_utils.course.runner import notebook_defaults


def _run(**metrics_):
    return results.make_run([{"name": k, "value": v} for k, v in metrics_.items()], split="IMDB by movie", seed=0,
                            parameters={"SEED": 0}, seconds=12.3, status="ok")


def test_a_run_carries_its_provenance(tmp_path):
    run = _run(**{"10.finetuned_test_accuracy": 0.8})
    assert set(results.RUN_KEYS) <= set(run)
    assert run["metrics"] == {"10.finetuned_test_accuracy": 0.8} and run["seconds"] == 12
    assert run["commit"] and run["machine"] and run["date"].endswith("UTC")
    path = results.add_run("10_bert_masked_lm", run, tmp_path)
    results.add_run("10", _run(**{"10.finetuned_test_accuracy": 0.81}), tmp_path)
    assert path == tmp_path / "10.json"
    runs = results.load_runs(10, tmp_path)
    assert [r["metrics"]["10.finetuned_test_accuracy"] for r in runs] == [0.8, 0.81]


def test_a_file_knob_keeps_its_name_only():
    run = results.make_run([], split="s", seed=0, parameters={"CORPUS_PATH": "/home/me/data/text8.txt", "SEED": 1},
                           seconds=1, status="ok")
    assert run["parameters"] == {"CORPUS_PATH": "text8.txt", "SEED": 1}


def test_table_shows_this_run_beside_the_full_runs(tmp_path, capsys):
    results.add_run("98", _run(**{"98.accuracy": 0.8125}), tmp_path)
    metrics.record("98.accuracy", 0.5)
    metrics.record("98.seconds_per_epoch", 1.5, unit="s")          # timings are left out by default
    metrics.record("98.max_abs_diff", 1e-8, below=1e-6)            # and so are round-off bounds
    rows = course_utils.full_results("98", folder=tmp_path, references={"98.accuracy": (0.9, "paper")})
    out = capsys.readouterr().out
    assert "run 1:" in out and "IMDB by movie" in out and "0.8125" in out and "0.9000 (paper)" in out
    assert rows == [dict(metric="98.accuracy", here=0.5, full=[0.8125], reference=(0.9, "paper"))]


def test_table_names_the_knobs_a_run_set(tmp_path, capsys):
    run = results.make_run([{"name": "96.accuracy", "value": 0.8}], split="s", seed=1,
                           parameters={"SEED": 1, "LABEL_COUNTS": [500, 19000]}, seconds=1, status="ok")
    results.add_run("96", run, tmp_path)
    course_utils.full_results("96", folder=tmp_path)
    assert "seed 1, LABEL_COUNTS=[500, 19000], s," in capsys.readouterr().out


def test_no_recorded_run_says_how_to_record_one(tmp_path, capsys):
    assert course_utils.full_results("97", folder=tmp_path) == []
    assert "--save-results" in capsys.readouterr().out


def test_damaged_file_names_the_fix(tmp_path):
    (tmp_path / "10.json").write_text("{not json")
    with pytest.raises(ValueError, match="git checkout"):
        results.load_runs("10", tmp_path)
    (tmp_path / "10.json").write_text(json.dumps({"runs": [{"date": "x"}]}))
    with pytest.raises(ValueError, match="lacks"):
        results.load_runs("10", tmp_path)
    with pytest.raises(ValueError, match="two-digit"):
        results.results_path("x")


def test_shipped_results_files_are_well_formed():
    for path in sorted(results.RESULTS_DIR.glob("*.json")):
        runs = results.load_runs(path.stem)
        assert runs, path
        for run in runs:
            assert run["split"] != "not stated", f"{path}: a recorded run must name its data split"


def test_runner_reads_the_notebooks_seed(tmp_path):
    import nbformat

    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell('PROFILE = "auto"\nSEED = 3\nEPOCHS = None')
    cell.metadata["tags"] = ["parameters"]
    nb.cells = [cell]
    nbformat.write(nb, str(tmp_path / "01_x.ipynb"))
    assert notebook_defaults(tmp_path / "01_x.ipynb") == {"PROFILE": "auto", "SEED": 3, "EPOCHS": None}


def test_save_results_needs_a_full_run_and_a_split(tmp_path):
    from course_utils.course import runner

    with pytest.raises(ValueError, match="full"):
        runner.run("smoke", ["01"], tmp_path, save_results=True)
    with pytest.raises(ValueError, match="--split"):
        runner.run("full", ["01"], tmp_path, save_results=True)
