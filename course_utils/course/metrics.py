"""Record a notebook's key results, with the reference figure they reproduce.

``record("02.flatten_test_accuracy", acc, reference=0.75, source="lecture 11")``
displays the value in the notebook (a JSON display output plus a readable line) and,
when the runner sets ``COURSE_METRICS_FILE``, appends it there as one JSON line. The
runner gathers those lines into ``build/metrics.json`` and the site's metrics table.
"""
from __future__ import annotations

import json
import math
import os
import re
from numbers import Real
from pathlib import Path
from typing import Any

METRICS_ENV = "COURSE_METRICS_FILE"
_RECORDED: dict[str, dict] = {}   # this process's entries by name (results.full_results shows them)
NAME_PATTERN = re.compile(r"^\d\d\.[a-z0-9]+(?:_[a-z0-9]+)*$")


def _as_number(name: str, value: Any) -> float | int:
    # numpy / TF scalars expose .item(); bool is a number in Python but never a metric
    if hasattr(value, "item") and callable(value.item):
        try:
            value = value.item()
        except (TypeError, ValueError):
            pass
    if isinstance(value, bool) or not isinstance(value, Real):
        raise ValueError(f"metric {name}: value must be a real number, got {value!r} ({type(value).__name__})")
    if not math.isfinite(value):
        raise ValueError(f"metric {name}: value must be finite, got {value!r}")
    return int(value) if isinstance(value, int) else float(value)


def format_value(value: float | int) -> str:
    if isinstance(value, int):
        return f"{value:,}"
    if value != 0 and (abs(value) >= 1e5 or abs(value) < 1e-3):
        return f"{value:.4g}"
    return f"{value:.4f}"


def record(name: str, value: Any, reference: Any = None, source: str | None = None,
           unit: str | None = None, below: Any = None) -> None:
    """Record one metric: display it and, under the runner, append it to the metrics file.

    name: ``<two-digit notebook>.<snake_case>``, e.g. ``01.hash_collision_rate``.
    reference: the lecture's or paper's figure this value is compared with, if any.
    source: where the reference comes from (required when a reference is given).
    below: for a value whose digits depend on the machine (a float32 round-off difference
        such as max |numpy - keras|): assert ``value < below`` and display only the bound,
        ``name < 1e-06 ✓``, so stored outputs match on every CPU; the exact value still goes
        to the metrics file and the report's table.
    """
    if not isinstance(name, str) or not NAME_PATTERN.match(name):
        raise ValueError(
            f"metric name must look like '01.snake_case_name' (two-digit notebook, dot, "
            f"lower-case snake_case); got {name!r}"
        )
    entry: dict[str, Any] = {"name": name, "value": _as_number(name, value)}
    if reference is not None:
        entry["reference"] = _as_number(name + " reference", reference)
        if not source:
            raise ValueError(f"metric {name}: a reference needs its source (e.g. source='lecture 11')")
    if source:
        entry["source"] = source
    if unit:
        entry["unit"] = unit
    if below is not None:
        entry["below"] = _as_number(name + " bound", below)
        if not entry["value"] < entry["below"]:
            raise AssertionError(f"{name} = {entry['value']:.3g} is not below its bound {entry['below']:g}")
    _display(entry)
    _RECORDED[name] = entry
    path = os.environ.get(METRICS_ENV)
    if path:
        with Path(path).open("a", encoding="utf-8") as fh:
            fh.write(json.dumps(entry) + "\n")


def recorded() -> dict[str, dict]:
    """The metrics recorded in this process (this kernel), by name; a later entry of a name wins."""
    return dict(_RECORDED)


def describe(entry: dict) -> str:
    if "below" in entry:  # the machine-independent reading: the asserted bound, not the digits
        return f"{entry['name']} < {entry['below']:g} \u2713 (exact value in the metrics file)"
    text = f"{entry['name']} = {format_value(entry['value'])}"
    if entry.get("unit"):
        text += f" {entry['unit']}"
    if "reference" in entry:
        text += f"  (reference {format_value(entry['reference'])}, {entry['source']})"
    elif entry.get("source"):
        text += f"  ({entry['source']})"
    return text


def _display(entry: dict) -> None:
    try:
        from IPython import get_ipython
        from IPython.display import display
    except ImportError:
        get_ipython = None
    if get_ipython is not None and get_ipython() is not None:
        shown = {k: v for k, v in entry.items() if not ("below" in entry and k == "value")}
        display({"application/json": shown, "text/plain": describe(entry)}, raw=True)
    else:
        print(describe(entry))


def read_metrics_file(path: str | os.PathLike) -> list[dict]:
    """The entries a run appended, in order; a later entry of the same name wins."""
    p = Path(path)
    if not p.exists():
        return []
    by_name: dict[str, dict] = {}
    for line in p.read_text(encoding="utf-8").splitlines():
        if line.strip():
            entry = json.loads(line)
            by_name[entry["name"]] = entry
    return list(by_name.values())
