"""Regenerate the smoke outputs stored in the notebooks (``make refresh``).

Each notebook runs top to bottom in one fresh kernel, in the smoke profile, from its own
folder (``notebooks/``, or ``solutions/`` for the instructors' worked solutions, which
``runner.discover`` lists after the notebooks; ``--only 03_solutions`` picks one). What is stored is what nbval compares later, so the stored copy is
cleaned of what differs from run to run or from machine to machine: stderr streams
(TensorFlow's C-level log lines land there under a kernel manager), execution
timestamps, and widget state. A stored output that shows a machine path is an error:
fix the cell rather than storing it.
"""
from __future__ import annotations

import os
import re
import sys
import tempfile
import time
from pathlib import Path

ABS_PATH = re.compile(r"(?:^|[\s'\"(=:])/(?:root|tmp|home|work|usr|opt|var|srv|mnt)/[^\s'\"]*|site-packages")


def _output_text(out: dict) -> str:
    parts = []
    if "text" in out:
        parts.append(out["text"] if isinstance(out["text"], str) else "".join(out["text"]))
    for mime, val in out.get("data", {}).items():
        if mime.startswith("text/") or mime == "application/json":
            parts.append(val if isinstance(val, str) else str(val))
    return "\n".join(parts)


def clean(nb) -> list[str]:
    """Strip run-specific noise in place; return problems that must be fixed in the notebook."""
    problems = []
    nb.metadata.pop("widgets", None)
    nb.metadata.pop("papermill", None)
    for index, cell in enumerate(nb.cells):
        cell.metadata.pop("execution", None)
        cell.metadata.pop("papermill", None)
        if cell.cell_type != "code":
            continue
        cell.outputs = [o for o in cell.outputs
                        if not (o.get("output_type") == "stream" and o.get("name") == "stderr")]
        for out in cell.outputs:
            if out.get("output_type") == "error":
                problems.append(f"cell {index}: stores an error ({out.get('ename')})")
            match = ABS_PATH.search(_output_text(out))
            if match:
                problems.append(f"cell {index}: output shows a machine path ({match.group(0).strip()[:80]})")
    return problems


def refresh(paths: list[Path], timeout: int = 600) -> dict[str, float]:
    """Execute each notebook in place (smoke profile) and store cleaned outputs."""
    import nbformat
    from nbclient import NotebookClient

    from .runner import stderr_to

    os.environ["COURSE_PROFILE"] = "smoke"
    os.environ.pop("COURSE_METRICS_FILE", None)
    times: dict[str, float] = {}
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        client = NotebookClient(nb, timeout=timeout, kernel_name="python3", record_timing=False,
                                resources={"metadata": {"path": str(path.parent)}})
        start = time.perf_counter()
        with tempfile.TemporaryDirectory() as tmp:
            log = Path(tmp) / "kernel.stderr.log"
            try:
                with stderr_to(log):   # TensorFlow's C++ log lines stay off the terminal
                    client.execute()
            except Exception:
                print(f"{path.name}: kernel stderr (last lines):\n{log.read_text(errors='replace')[-4000:]}",
                      file=sys.stderr)
                raise
        times[path.stem] = round(time.perf_counter() - start, 1)
        problems = clean(nb)
        if problems:
            raise RuntimeError(f"{path.name}: not stored, fix these first:\n  " + "\n  ".join(problems))
        nbformat.write(nb, path)
        print(f"{path.stem:<32} {times[path.stem]:7.1f} s  stored")
    return times
