"""What `make refresh` stores: no stderr noise, no timings, no errors, no machine paths."""
import nbformat

from course_utils.refresh import clean


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
