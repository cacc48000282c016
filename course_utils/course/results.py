"""Results of full-profile runs, kept with the course: every full figure a notebook quotes.

A full run takes minutes to an hour on 2 CPU cores, so its figures cannot be re-derived in the
smoke run that CI executes. The runner keeps them instead: ``python -m course_utils run --profile
full --split NAME --save-results`` appends one run per notebook to
``course_utils/course/full_results/NN.json`` (date, commit, machine, data split, seed, the knobs
given, seconds, status, and every metric the notebook recorded). A notebook shows them with
:func:`full_results`, one row per metric: this run's value (recorded in this kernel), each
recorded full run's value, and the paper's or lecture's reference.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import platform
import subprocess
from pathlib import Path
from typing import Any, Iterable

from .metrics import format_value, recorded

RESULTS_DIR = Path(__file__).resolve().parent / "full_results"
RUN_KEYS = ("date", "commit", "machine", "split", "seed", "parameters", "seconds", "status", "metrics")


def _number(notebook: str | int) -> str:
    text = str(notebook)
    if text.isdigit():
        text = text.zfill(2)
    if len(text) < 2 or not text[:2].isdigit():
        raise ValueError(f"notebook must be a two-digit number or a notebook name such as '10_bert_masked_lm'; "
                         f"got {notebook!r}")
    return text[:2]


def results_path(notebook: str | int, folder: str | os.PathLike | None = None) -> Path:
    return Path(folder or RESULTS_DIR) / f"{_number(notebook)}.json"


def load_runs(notebook: str | int, folder: str | os.PathLike | None = None) -> list[dict]:
    """The recorded full runs of a notebook, oldest first ([] when none is recorded)."""
    path = results_path(notebook, folder)
    if not path.exists():
        return []
    try:
        runs = json.loads(path.read_text(encoding="utf-8"))["runs"]
    except (json.JSONDecodeError, KeyError, TypeError) as exc:
        raise ValueError(f"{path} is not a results file ({exc}). Fix: restore it with `git checkout -- {path.name}` "
                         f"in {path.parent}, or delete it and re-run the full profile with --save-results.") from exc
    for run in runs:
        missing = [k for k in RUN_KEYS if k not in run]
        if missing:
            raise ValueError(f"{path}: a run lacks {missing}. Fix: restore the file from git.")
    return runs


def git_commit(cwd: str | os.PathLike | None = None) -> str:
    """The checkout's commit (short), with ``+dirty`` when files differ from it; ``unknown`` outside git."""
    try:
        head = subprocess.run(["git", "rev-parse", "--short=10", "HEAD"], cwd=cwd, capture_output=True, text=True,
                              timeout=10, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=cwd, capture_output=True,
                               text=True, timeout=10, check=True).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return head + ("+dirty" if dirty else "")


def machine() -> str:
    return f"{platform.machine()}, {os.cpu_count()} CPU cores, {platform.system()}"


def make_run(metrics: Iterable[dict], *, split: str, seed: Any, parameters: dict, seconds: float, status: str,
             cwd: str | os.PathLike | None = None) -> dict:
    # a knob that names a file keeps its name only: a results file carries no machine's paths
    knobs = {k: (Path(v).name if isinstance(v, str) and os.sep in v else v) for k, v in parameters.items()}
    return dict(date=dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"), commit=git_commit(cwd),
                machine=machine(), split=split, seed=seed, parameters=knobs, seconds=round(seconds),
                status=status, metrics={m["name"]: m["value"] for m in metrics})


def add_run(notebook: str | int, run: dict, folder: str | os.PathLike | None = None) -> Path:
    """Append ``run`` (from :func:`make_run`) to the notebook's results file, written atomically."""
    missing = [k for k in RUN_KEYS if k not in run]
    if missing:
        raise ValueError(f"a run needs {list(RUN_KEYS)}; missing {missing}")
    path = results_path(notebook, folder)
    path.parent.mkdir(parents=True, exist_ok=True)
    runs = load_runs(notebook, folder) + [run]
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps({"notebook": _number(notebook), "runs": runs}, indent=1) + "\n", encoding="utf-8")
    os.replace(tmp, path)
    return path


def full_results(notebook: str | int, names: Iterable[str] | None = None, folder: str | os.PathLike | None = None,
                 references: dict[str, tuple[float, str]] | None = None) -> list[dict]:
    """Print the table of a notebook's metrics: this run, each recorded full run, the reference.

    ``names``: the metrics to show (default: every metric recorded in this kernel or in a full
    run of this notebook, except timings and round-off bounds). ``references``: ``{name: (figure, source)}`` for figures a notebook
    cites without recording them. Returns the rows as dicts."""
    nn = _number(notebook)
    runs = load_runs(nn, folder)
    here = {k: v for k, v in recorded().items() if k.startswith(nn + ".")}
    if names is None:   # every result, but timings (unit "s") and round-off bounds, which vary by machine
        names = [k for k in dict.fromkeys(list(here) + [k for r in runs for k in r["metrics"]])
                 if not (k in here and (here[k].get("unit") == "s" or "below" in here[k]))]
    names = list(names)
    references = dict(references or {})
    for k, entry in here.items():
        if "reference" in entry and k not in references:
            references[k] = (entry["reference"], entry.get("source", ""))
    if not runs:
        print(f"No full-profile run of notebook {nn} is recorded yet (course_utils/course/full_results/{nn}.json). "
              f"A maintainer records one with: python -m course_utils run --profile full --only {nn} "
              f"--split '<data split>' --save-results")
    else:
        print(f"Full-profile runs of notebook {nn} (course_utils/course/full_results/{nn}.json):")
        for i, r in enumerate(runs, 1):
            seed = f"seed {r['seed']}" if r["seed"] is not None else "the notebook's fixed seed"
            knobs = "".join(f", {k}={v}" for k, v in r.get("parameters", {}).items() if k != "SEED")   # set for the run
            print(f"  run {i}: {r['date'][:10]}, commit {r['commit']}, {seed}{knobs}, {r['split']}, {r['machine']}, "
                  f"{r['seconds']:,} s, {r['status']}")
    header = ["metric", "this run"] + [f"full run {i}" for i in range(1, len(runs) + 1)] + ["reference"]
    rows, table = [], []
    for name in names:
        row = dict(metric=name, here=here[name]["value"] if name in here and "below" not in here[name] else None,
                   full=[r["metrics"].get(name) for r in runs], reference=references.get(name))
        rows.append(row)
        ref = f"{format_value(row['reference'][0])} ({row['reference'][1]})" if row["reference"] else ""
        table.append([name, "" if row["here"] is None else format_value(row["here"])]
                     + ["" if v is None else format_value(v) for v in row["full"]] + [ref])
    widths = [max(len(str(x)) for x in col) for col in zip(header, *table)]
    for line in [header] + table:
        print("  ".join(str(x).ljust(w) for x, w in zip(line, widths)).rstrip())
    return rows
