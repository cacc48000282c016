"""Execute the course's notebooks headlessly (papermill) and gather their metrics.

``python -m course_utils run --profile smoke --only 01 03 --out build`` executes the
chosen notebooks into ``build/executed/``, writes ``build/metrics.json`` and renders
``build/site/index.html`` (see :mod:`course_utils.course.site`). A failing notebook does not
stop the run; the exit status is non-zero and names the notebook and the cell.

``python -m course_utils refresh`` re-executes notebooks in place, in the smoke
profile, in one clean kernel each, and stores their outputs for nbval.

Both also take the instructors' worked solutions, ``solutions/NN_<name>_solutions.ipynb``
(beside ``notebooks/``), after the notebooks: all of them by default, and with ``--only``
by ``NN_solutions`` (``--only 03 03_solutions``) or ``solutions`` (all). A notebook
without a solutions file is fine: new notebooks and their solutions need no change here.
"""
from __future__ import annotations

import contextlib
import json
import os
import re
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Iterable

from .config import PROFILE_ENV, PROFILES
from .metrics import METRICS_ENV, read_metrics_file



@contextlib.contextmanager
def stderr_to(path: Path):
    """Send file descriptor 2 of this process to ``path`` for the duration, and so the stderr
    of every kernel started meanwhile. TensorFlow's C++ logging (oneDNN, CUDA probing, XLA)
    writes lines there that would otherwise flood the terminal of `make run` / `make refresh`.
    Nothing is lost: the log is kept, and the runner names it when a notebook fails."""
    path.parent.mkdir(parents=True, exist_ok=True)
    sys.stderr.flush()
    saved = os.dup(2)
    with open(path, "ab") as log:
        os.dup2(log.fileno(), 2)
    try:
        yield path
    finally:
        sys.stderr.flush()
        os.dup2(saved, 2)
        os.close(saved)


NOTEBOOK_PATTERN = re.compile(r"^(\d\d)_[a-z0-9_]+\.ipynb$")
# instructors' worked solutions: solutions/NN_<notebook name>_solutions.ipynb
SOLUTIONS_DIR = "solutions"
SOLUTIONS_SUFFIX = "_solutions"
SOLUTIONS_PATTERN = re.compile(r"^(\d\d)_[a-z0-9_]+_solutions\.ipynb$")


def default_notebook_dir() -> Path:
    """``./notebooks`` when run from the repository, else the one beside the package."""
    here = Path.cwd() / "notebooks"
    if here.is_dir():
        return here
    return Path(__file__).resolve().parent.parent / "notebooks"


def solutions_dir_for(notebook_dir: str | os.PathLike) -> Path:
    """The worked solutions live beside the notebooks folder: ``<repo>/solutions``."""
    return Path(notebook_dir).resolve().parent / SOLUTIONS_DIR


def solution_for(notebook: str | os.PathLike) -> Path:
    """``notebooks/NN_name.ipynb`` -> ``solutions/NN_name_solutions.ipynb`` (which may not exist)."""
    notebook = Path(notebook)
    return solutions_dir_for(notebook.parent) / f"{notebook.stem}{SOLUTIONS_SUFFIX}.ipynb"


def discover_solutions(solutions_dir: str | os.PathLike) -> list[Path]:
    """The worked-solutions notebooks ``NN_name_solutions.ipynb``, in order; none if no folder."""
    folder = Path(solutions_dir)
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.glob("*.ipynb") if SOLUTIONS_PATTERN.match(p.name))


def _normalize_key(key) -> str:
    key = str(key).strip()
    head, sep, tail = key.partition("_")
    if head.isdigit() and len(head) == 1:
        key = "0" + key
    return key


def discover(notebook_dir: Path, only: Iterable[str] | None = None, solutions: bool = True) -> list[Path]:
    """The numbered notebooks in order, then (``solutions=True``) the worked solutions in order.

    ``only`` picks by number ("01") or file stem ("01_text_to_tensors"): a number picks the
    student notebook only. Solutions are picked by number + ``_solutions`` ("01_solutions"),
    by stem ("01_text_to_tensors_solutions"), or all of them with "solutions".
    """
    found = sorted(p for p in Path(notebook_dir).glob("*.ipynb") if NOTEBOOK_PATTERN.match(p.name))
    if not found:
        raise FileNotFoundError(f"no numbered notebooks (NN_name.ipynb) in {notebook_dir}")
    extra = discover_solutions(solutions_dir_for(notebook_dir)) if solutions else []
    if not only:
        return found + extra
    chosen = []
    for key in only:
        key = _normalize_key(key)
        match = [p for p in found if p.name[:2] == key or p.stem == key or p.name == key]
        match += [p for p in extra
                  if key == SOLUTIONS_DIR or p.name[:2] + SOLUTIONS_SUFFIX == key or p.stem == key or p.name == key]
        if not match:
            known = ", ".join(p.stem for p in found + extra)
            raise ValueError(f"--only {key!r} matches no notebook; known notebooks: {known}")
        chosen.extend(m for m in match if m not in chosen)
    # student notebooks first, then solutions, each in number order
    return [p for p in found if p in chosen] + [p for p in extra if p in chosen]


@dataclass
class NotebookResult:
    notebook: str
    status: str  # "ok" or "failed"
    seconds: float
    profile: str
    metrics: list[dict] = field(default_factory=list)
    error: str | None = None
    failed_cell: int | None = None  # index in the source notebook, counting from 0
    failed_source: str | None = None  # first line of that cell
    executed: str | None = None  # path relative to the output folder


def _failure_details(exc: Exception) -> tuple[str, int | None]:
    """A one-line message and the failing cell's index from a papermill error."""
    cell = getattr(exc, "cell_index", None)
    ename = getattr(exc, "ename", type(exc).__name__)
    evalue = getattr(exc, "evalue", str(exc))
    message = f"{ename}: {evalue}".strip()
    return message.splitlines()[0][:500] if message else ename, cell


def _source_cell_index(executed: Path, cell: int | None) -> int | None:
    """Map a cell index of the executed copy back to the source notebook.

    papermill inserts an ``injected-parameters`` cell after the ``parameters`` cell, shifting
    every later cell by one; when the error carried no index, find the cell with the error.
    """
    try:
        cells = json.loads(executed.read_text(encoding="utf-8")).get("cells", [])
    except (OSError, ValueError):
        return cell
    if cell is None:
        cell = next((i for i, c in enumerate(cells)
                     if any(o.get("output_type") == "error" for o in c.get("outputs", []))), None)
    injected = next((i for i, c in enumerate(cells)
                     if "injected-parameters" in c.get("metadata", {}).get("tags", [])), None)
    if cell is not None and injected is not None and cell > injected:
        cell -= 1
    return cell


def _cell_first_line(notebook: Path, cell: int | None) -> str:
    try:
        source = json.loads(notebook.read_text(encoding="utf-8"))["cells"][cell]["source"]
    except (OSError, ValueError, KeyError, IndexError, TypeError):
        return ""
    text = "".join(source) if isinstance(source, list) else source
    lines = [ln for ln in text.splitlines() if ln.strip()]
    return lines[0][:80] if lines else ""


def execute_one(path: Path, out_dir: Path, profile: str, timeout: int | None = None,
                parameters: dict | None = None) -> NotebookResult:
    """Run one notebook with papermill into ``out_dir/executed``; never raises for notebook errors.
    ``parameters`` override the notebook's knobs (papermill injects them after its parameters cell)."""
    import papermill as pm

    executed_dir = out_dir / "executed"
    executed_dir.mkdir(parents=True, exist_ok=True)
    target = executed_dir / path.name
    with tempfile.TemporaryDirectory() as tmp:
        metrics_file = Path(tmp) / "metrics.jsonl"
        saved = {k: os.environ.get(k) for k in (METRICS_ENV, PROFILE_ENV)}
        os.environ[METRICS_ENV] = str(metrics_file)
        os.environ[PROFILE_ENV] = profile
        start = time.perf_counter()
        error, cell = None, None
        log = out_dir / "logs" / f"{path.stem}.stderr.log"
        log.unlink(missing_ok=True)
        try:
            with stderr_to(log):
                pm.execute_notebook(
                    str(path), str(target),
                    parameters={**(parameters or {}), "PROFILE": profile},
                    cwd=str(path.parent),
                    progress_bar=False,
                    execution_timeout=timeout,
                    report_mode=False,
                )
        except Exception as exc:  # papermill raises for any error output; keep going
            error, cell = _failure_details(exc)
            cell = _source_cell_index(target, cell)
        finally:
            seconds = time.perf_counter() - start
            for key, value in saved.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value
        metrics = read_metrics_file(metrics_file)
    return NotebookResult(
        notebook=path.stem, status="failed" if error else "ok", seconds=round(seconds, 1),
        profile=profile, metrics=metrics, error=error, failed_cell=cell,
        failed_source=_cell_first_line(path, cell) if error else None,
        executed=str(target.relative_to(out_dir)) if target.exists() else None,
    )


def notebook_defaults(path: Path) -> dict:
    """The literal values of a notebook's ``parameters`` cell (``SEED``, ...)."""
    import ast

    import nbformat

    for cell in nbformat.read(str(path), as_version=4).cells:
        if cell.cell_type == "code" and "parameters" in cell.metadata.get("tags", []):
            values = {}
            for node in ast.parse(cell.source).body:
                if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
                    try:
                        values[node.targets[0].id] = ast.literal_eval(node.value)
                    except ValueError:
                        pass
            return values
    return {}


def run(profile: str, only: Iterable[str] | None = None, out: str | os.PathLike = "build",
        notebook_dir: str | os.PathLike | None = None, timeout: int | None = None,
        site: bool = True, solutions: bool = True, parameters: dict | None = None,
        split: str | None = None, save_results: bool = False) -> list[NotebookResult]:
    """Execute notebooks, write metrics.json and the site; return the results.

    solutions=False leaves out the worked solutions unless ``only`` names them. ``parameters``
    override knobs in every notebook run (``{"SEED": 1}``). A full-profile run writes each
    notebook's run (date, commit, machine, ``split``, seed, knobs, metrics) to
    ``out/full_results/NN.json``, and with ``save_results`` also to the course's results files
    (:mod:`course_utils.course.results`), which the notebooks' results tables read.
    """
    from . import results as full_runs

    if save_results and profile != "full":
        raise ValueError("--save-results records full-profile runs only; add --profile full")
    if save_results and not split:
        raise ValueError("--save-results needs --split: name the data the run used, e.g. "
                         "--split 'IMDB train re-split by movie, 20,066 / 4,934'")
    from tqdm.auto import tqdm

    if profile not in PROFILES:
        raise ValueError(f"--profile must be one of {', '.join(PROFILES)}; got {profile!r}")
    out_dir = Path(out)
    out_dir.mkdir(parents=True, exist_ok=True)
    notebooks = discover(Path(notebook_dir) if notebook_dir else default_notebook_dir(), only,
                         solutions=solutions or bool(only))
    results: list[NotebookResult] = []
    # a live bar on a terminal; plain per-notebook lines in logs (disable=None: off when not a TTY)
    bar = tqdm(notebooks, desc=f"notebooks ({profile})", unit="nb", file=sys.stdout, disable=None)
    for path in bar:
        bar.set_postfix_str(path.stem)
        result = execute_one(path, out_dir, profile, timeout=timeout, parameters=parameters)
        results.append(result)
        if profile == "full" and not path.stem.endswith(SOLUTIONS_SUFFIX):
            knobs = {**notebook_defaults(path), **(parameters or {})}
            entry = full_runs.make_run(result.metrics, split=split or "not stated", seed=knobs.get("SEED"),
                                       parameters=parameters or {}, seconds=result.seconds, status=result.status,
                                       cwd=path.parent)
            for folder in [out_dir / "full_results"] + ([None] if save_results else []):
                bar.write(f"{'':32} run recorded in {full_runs.add_run(path.stem, entry, folder)}")
        where = f" (cell {result.failed_cell})" if result.failed_cell is not None else ""
        tail = f"FAILED{where}: {result.error}" if result.error else f"{len(result.metrics)} metrics"
        bar.write(f"{path.stem:<32} {result.seconds:7.1f} s  {tail}")
    write_metrics_json(results, out_dir / "metrics.json", profile)
    if site:
        from .site import build_site
        build_site(results, out_dir, profile)
    return results


def write_metrics_json(results: list[NotebookResult], path: Path, profile: str) -> None:
    payload = {
        "profile": profile,
        "total_seconds": round(sum(r.seconds for r in results), 1),
        "notebooks": [asdict(r) for r in results],
    }
    path.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")


def summary_exit_code(results: list[NotebookResult]) -> tuple[int, str]:
    failed = [r for r in results if r.status != "ok"]
    if not failed:
        return 0, f"all {len(results)} notebooks ran ({sum(r.seconds for r in results):.1f} s)"
    lines = [f"{len(failed)} of {len(results)} notebooks failed:"]
    for r in failed:
        cell = f"cell {r.failed_cell} (from 0)" if r.failed_cell is not None else "unknown cell"
        lines.append(f"  {r.notebook}.ipynb, {cell}: {r.error}")
        if r.failed_source:
            lines.append(f"    in: {r.failed_source}")
        lines.append(f"    kernel stderr: logs/{r.notebook}.stderr.log in the output folder")
    return 1, "\n".join(lines)
