"""What `make refresh` stores: no stderr noise, no timings, no errors, no machine paths."""
import nbformat

from course_utils.course.refresh import clean


def _nb(outputs):
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("x", execution_count=1)
    cell.outputs = [nbformat.from_dict(o) for o in outputs]
    cell.metadata["execution"] = {"iopub.status.busy": "2026-01-01T00:00:00"}
    nb.cells = [cell]
    return nb


def test_clean_drops_stderr_and_timestamps():
    nb = _nb([{"output_type": "stream", "name": "stderr", "text": "I0000 oneDNN ...\n"},
              {"output_type": "stream", "name": "stdout", "text": "ok\n"}])
    assert clean(nb) == []
    assert [o["name"] for o in nb.cells[0].outputs] == ["stdout"]
    assert "execution" not in nb.cells[0].metadata


def test_clean_reports_machine_paths_and_errors():
    nb = _nb([{"output_type": "stream", "name": "stdout", "text": "saved to /home/me/x.txt\n"},
              {"output_type": "error", "ename": "ValueError", "evalue": "x", "traceback": []}])
    problems = clean(nb)
    assert any("machine path (/home/me/x.txt)" in p for p in problems)
    assert any("stores an error (ValueError)" in p for p in problems)


def test_refresh_stores_a_solutions_notebook(tmp_path):
    """`make refresh` finds solutions/NN_name_solutions.ipynb (beside notebooks/) and stores its
    outputs, run from its own folder, with execution counts 1..n."""
    from course_utils.course import runner
    from course_utils.course.refresh import refresh

    nbs, sol = tmp_path / "notebooks", tmp_path / "solutions"
    nbs.mkdir()
    sol.mkdir()
    for path, source in [(nbs / "01_b.ipynb", "print('student')"),
                         (sol / "01_b_solutions.ipynb", "import os\nprint(os.path.basename(os.getcwd()))")]:
        nb = nbformat.v4.new_notebook()
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        nb.cells = [nbformat.v4.new_code_cell('PROFILE = "auto"', metadata={"tags": ["parameters"]}),
                    nbformat.v4.new_code_cell(source)]
        nbformat.write(nb, path)
    paths = runner.discover(nbs, ["01_solutions"])
    assert [p.name for p in paths] == ["01_b_solutions.ipynb"]
    times = refresh(paths)
    assert list(times) == ["01_b_solutions"]
    stored = nbformat.read(sol / "01_b_solutions.ipynb", as_version=4)
    assert [c.execution_count for c in stored.cells] == [1, 2]
    assert stored.cells[1].outputs[0]["text"] == "solutions\n"
    assert nbformat.read(nbs / "01_b.ipynb", as_version=4).cells[1].outputs == []  # not touched
