"""The headless runner behind `make run`: discovery, failures, metrics.json and the site."""
import json
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from course_utils.course import runner
from course_utils.__main__ import main

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"


def _notebook(path, *sources):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell('PROFILE = "auto"', metadata={"tags": ["parameters"]})]
    nb.cells += [nbformat.v4.new_code_cell(s) for s in sources]
    nbformat.write(nb, path)


def test_discover_orders_and_selects(tmp_path):
    for name in ["02_b.ipynb", "00_a.ipynb", "10_c.ipynb", "notes.ipynb"]:
        _notebook(tmp_path / name)
    assert [p.name for p in runner.discover(tmp_path)] == ["00_a.ipynb", "02_b.ipynb", "10_c.ipynb"]
    assert [p.name for p in runner.discover(tmp_path, ["2", "10"])] == ["02_b.ipynb", "10_c.ipynb"]
    assert [p.name for p in runner.discover(tmp_path, ["00_a"])] == ["00_a.ipynb"]
    with pytest.raises(ValueError, match="--only '07' matches no notebook; known notebooks: 00_a, 02_b, 10_c"):
        runner.discover(tmp_path, ["07"])
    with pytest.raises(FileNotFoundError, match="no numbered notebooks"):
        runner.discover(tmp_path / "empty")


def test_list_command(capsys):
    assert main(["list", "--notebooks", str(NOTEBOOKS)]) == 0
    names = capsys.readouterr().out.split()
    assert names[:2] == ["00_start_here.ipynb", "01_text_to_tensors.ipynb"]


def test_bad_profile_is_reported(capsys, tmp_path):
    with pytest.raises(SystemExit):
        main(["run", "--profile", "fast", "--out", str(tmp_path)])
    assert "invalid choice: 'fast'" in capsys.readouterr().err


def test_failing_notebook_does_not_stop_the_run(tmp_path, capfd):
    nbs = tmp_path / "nbs"
    nbs.mkdir()
    _notebook(nbs / "01_fails.ipynb", "import os\nos.write(2, b'planted C-level noise\\n')",
              "raise ValueError('planted failure')")
    _notebook(nbs / "02_works.ipynb",
              "from course_utils import record\nrecord('02.answer', 42, reference=42, source='test')")
    out = tmp_path / "build"
    code = main(["run", "--profile", "smoke", "--notebooks", str(nbs), "--out", str(out)])
    captured = capfd.readouterr()   # file-descriptor level: what a terminal would show
    text = captured.out
    assert code == 1
    assert "01_fails.ipynb, cell 2 (from 0): ValueError: planted failure" in text
    assert "in: raise ValueError('planted failure')" in text
    # the kernel's own stderr (where TensorFlow's C++ logging goes) is kept in a log, not the terminal
    assert "kernel stderr: logs/01_fails.stderr.log" in text
    assert "planted C-level noise" in (out / "logs" / "01_fails.stderr.log").read_text()
    assert "planted C-level noise" not in captured.err + captured.out
    report = json.loads((out / "metrics.json").read_text())
    by_name = {r["notebook"]: r for r in report["notebooks"]}
    assert by_name["01_fails"]["status"] == "failed" and by_name["01_fails"]["failed_cell"] == 2
    assert by_name["02_works"]["status"] == "ok"
    assert by_name["02_works"]["metrics"] == [{"name": "02.answer", "value": 42, "reference": 42, "source": "test"}]
    assert by_name["02_works"]["profile"] == "smoke"
    index = (out / "site" / "index.html").read_text()
    assert "planted failure" in index and "02.answer" in index
    assert (out / "site" / "02_works.html").exists()


def _run_cli(args, cwd, env_extra):
    import os
    env = dict(os.environ, **env_extra)
    return subprocess.run([sys.executable, "-m", "course_utils", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=600)


@pytest.mark.parametrize("profile", ["smoke", "full"])
def test_end_to_end_notebook_01(tmp_path, profile):
    """Notebook 01 runs offline in both profiles and its metrics reach metrics.json and the site."""
    out = tmp_path / "build"
    proc = _run_cli(["run", "--profile", profile, "--only", "01", "--out", str(out)], ROOT,
                    {"COURSE_OFFLINE": "1", "COURSE_DATA_DIR": str(tmp_path / "data")})
    assert proc.returncode == 0, proc.stdout + proc.stderr
    report = json.loads((out / "metrics.json").read_text())
    (nb,) = report["notebooks"]
    assert nb["notebook"] == "01_text_to_tensors" and nb["status"] == "ok" and nb["profile"] == profile
    metrics = {m["name"]: m for m in nb["metrics"]}
    rate = metrics["01.hash_collision_rate"]
    assert 0 < rate["value"] < 1 and "reference" in rate and rate["source"].startswith("analytic")
    executed = nbformat.read(out / "executed" / "01_text_to_tensors.ipynb", as_version=4)
    banner = "".join(o.get("text", "") for c in executed.cells if c.cell_type == "code" for o in c.outputs)
    assert f"[course] profile={profile}" in banner
    index = (out / "site" / "index.html").read_text()
    assert "01_text_to_tensors.html" in index and "01.hash_collision_rate" in index
    assert (out / "site" / "01_text_to_tensors.html").stat().st_size > 10_000



def test_stderr_to_captures_child_process_stderr_and_restores(tmp_path, capfd):
    log = tmp_path / "logs" / "k.stderr.log"
    with runner.stderr_to(log):
        subprocess.run([sys.executable, "-c", "import sys; sys.stderr.write('child noise\\n')"], check=True)
    subprocess.run([sys.executable, "-c", "import sys; sys.stderr.write('after\\n')"], check=True)
    assert log.read_text() == "child noise\n"
    assert capfd.readouterr().err == "after\n"


# --- worked solutions (solutions/NN_name_solutions.ipynb, beside notebooks/) -------------

def _course_tree(tmp_path, notebooks, solutions):
    nbs, sol = tmp_path / "notebooks", tmp_path / "solutions"
    nbs.mkdir()
    sol.mkdir()
    for name in notebooks:
        _notebook(nbs / name)
    for name in solutions:
        _notebook(sol / name)
    return nbs, sol


def test_discover_adds_solutions_after_the_notebooks(tmp_path):
    nbs, sol = _course_tree(tmp_path, ["00_a.ipynb", "01_b.ipynb", "07_new.ipynb"],
                            ["01_b_solutions.ipynb", "00_a_solutions.ipynb", "notes.ipynb"])
    names = [p.relative_to(tmp_path).as_posix() for p in runner.discover(nbs)]
    # 07 has no solutions yet: fine, it runs alone; a later solutions/07_new_solutions.ipynb is picked up
    assert names == ["notebooks/00_a.ipynb", "notebooks/01_b.ipynb", "notebooks/07_new.ipynb",
                     "solutions/00_a_solutions.ipynb", "solutions/01_b_solutions.ipynb"]
    assert [p.name for p in runner.discover(nbs, solutions=False)] == ["00_a.ipynb", "01_b.ipynb", "07_new.ipynb"]
    _notebook(sol / "07_new_solutions.ipynb")
    assert runner.discover(nbs)[-1].name == "07_new_solutions.ipynb"
    assert runner.solution_for(nbs / "07_new.ipynb") == sol.resolve() / "07_new_solutions.ipynb"


def test_only_picks_solutions_by_number_stem_or_all(tmp_path):
    nbs, sol = _course_tree(tmp_path, ["00_a.ipynb", "01_b.ipynb"], ["00_a_solutions.ipynb", "01_b_solutions.ipynb"])
    pick = lambda *keys: [p.name for p in runner.discover(nbs, keys)]  # noqa: E731
    assert pick("1") == ["01_b.ipynb"]  # a number picks the student notebook only
    assert pick("1_solutions", "01") == ["01_b.ipynb", "01_b_solutions.ipynb"]  # notebooks first
    assert pick("00_a_solutions") == ["00_a_solutions.ipynb"]
    assert pick("solutions") == ["00_a_solutions.ipynb", "01_b_solutions.ipynb"]
    with pytest.raises(ValueError, match="--only '02_solutions' matches no notebook; known notebooks: "
                                         "00_a, 01_b, 00_a_solutions, 01_b_solutions"):
        runner.discover(nbs, ["02_solutions"])


def test_repository_solutions_match_notebooks():
    """Every solutions file belongs to a student notebook of the same name, and `list` shows it."""
    for path in runner.discover_solutions(ROOT / "solutions"):
        assert (NOTEBOOKS / path.name.replace("_solutions.ipynb", ".ipynb")).exists(), path.name


def test_run_reports_solutions_in_their_own_table(tmp_path):
    nbs, sol = _course_tree(tmp_path, [], [])
    _notebook(nbs / "01_b.ipynb", "from course_utils import record\nrecord('01.x', 1)")
    _notebook(sol / "01_b_solutions.ipynb", "from course_utils import record\nrecord('01.solutions_x', 2)")
    out = tmp_path / "build"
    assert main(["run", "--profile", "smoke", "--notebooks", str(nbs), "--out", str(out)]) == 0
    report = json.loads((out / "metrics.json").read_text())
    assert [r["notebook"] for r in report["notebooks"]] == ["01_b", "01_b_solutions"]
    assert all(r["status"] == "ok" for r in report["notebooks"])
    index = (out / "site" / "index.html").read_text()
    assert "Worked solutions (for instructors)" in index and "(of which 1 worked solutions)" in index
    assert index.index("01_b_solutions.html") > index.index("Worked solutions")
    assert (out / "site" / "01_b_solutions.html").exists()
    assert (out / "executed" / "01_b_solutions.ipynb").exists()


def test_skip_solutions_runs_the_student_notebooks_only(tmp_path):
    """`make run` passes --skip-solutions (the smoke run stays within its 10 minutes); `make
    solutions` names them with --only, which wins over the flag."""
    nbs, sol = _course_tree(tmp_path, [], [])
    _notebook(nbs / "01_b.ipynb", "x = 1")
    _notebook(sol / "01_b_solutions.ipynb", "x = 2")
    out = tmp_path / "build"
    assert main(["run", "--notebooks", str(nbs), "--out", str(out), "--skip-solutions"]) == 0
    assert [r["notebook"] for r in json.loads((out / "metrics.json").read_text())["notebooks"]] == ["01_b"]
    assert main(["run", "--notebooks", str(nbs), "--out", str(out), "--skip-solutions", "--only", "solutions"]) == 0
    assert [r["notebook"] for r in json.loads((out / "metrics.json").read_text())["notebooks"]] == ["01_b_solutions"]
