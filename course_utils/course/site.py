"""The instructors' report: ``build/site/index.html`` plus each executed notebook as HTML.

The worked solutions (``solutions/NN_name_solutions.ipynb``) are listed in their own table
after the student notebooks."""
from __future__ import annotations

import html
from datetime import datetime, timezone
from pathlib import Path

from .metrics import format_value


def _render_notebook(executed: Path, target: Path) -> bool:
    """Executed notebook -> standalone HTML page; False if nbconvert cannot render it."""
    import nbformat
    from nbconvert import HTMLExporter

    try:
        nb = nbformat.read(executed, as_version=4)
        body, _ = HTMLExporter().from_notebook_node(nb)
    except Exception as exc:  # a broken notebook should not sink the whole report
        target.write_text(f"<p>could not render {html.escape(executed.name)}: {html.escape(str(exc))}</p>")
        return False
    target.write_text(body, encoding="utf-8")
    return True


def _metric_rows(result) -> str:
    rows = []
    for m in result.metrics:
        ref = format_value(m["reference"]) if "reference" in m else ""
        if "below" in m:  # a round-off figure: the notebook asserts and shows only the bound
            ref = (ref + " " if ref else "") + f"bound &lt; {m['below']:g}"
        unit = f" {html.escape(m['unit'])}" if m.get("unit") else ""
        rows.append(
            "<tr><td>{}</td><td class=num>{}{}</td><td class=num>{}</td><td>{}</td></tr>".format(
                html.escape(m["name"]), format_value(m["value"]), unit, ref, html.escape(m.get("source", "")))
        )
    return "\n".join(rows) or "<tr><td colspan=4><em>no metrics recorded</em></td></tr>"


def is_solutions(name: str) -> bool:
    """A worked-solutions notebook (``NN_name_solutions``), as opposed to a student notebook."""
    return name.endswith("_solutions")


def _of_which(results) -> str:
    n = sum(is_solutions(r.notebook) for r in results)
    return f" (of which {n} worked solutions)" if n else ""


def _solutions_table(rows: list[str]) -> str:
    if not rows:
        return ""
    return ("<h2>Worked solutions (for instructors)</h2>\n"
            "<table><tr><th>notebook</th><th>status</th><th>seconds</th><th>metrics</th></tr>\n"
            + "".join(rows) + "</table>\n")


STYLE = """
body{font-family:system-ui,sans-serif;max-width:70rem;margin:2rem auto;padding:0 1rem;color:#222}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1.5rem}
th,td{border-bottom:1px solid #ddd;padding:.3rem .6rem;text-align:left}
td.num{text-align:right;font-variant-numeric:tabular-nums}
.ok{color:#137333;font-weight:600}.failed{color:#b3261e;font-weight:600}
"""


def build_site(results, out_dir: Path, profile: str) -> Path:
    site = Path(out_dir) / "site"
    site.mkdir(parents=True, exist_ok=True)
    summary_rows, solution_rows, sections = [], [], []
    for r in results:
        page = None
        if r.executed:
            page = f"{r.notebook}.html"
            _render_notebook(Path(out_dir) / r.executed, site / page)
        link = f'<a href="{page}">{html.escape(r.notebook)}</a>' if page else html.escape(r.notebook)
        status = f'<span class="{r.status}">{r.status}</span>'
        if r.error:
            where = f"cell {r.failed_cell} ({r.failed_source}): " if r.failed_cell is not None else ""
            status += f"<br><small>{html.escape(where + r.error)}</small>"
        (solution_rows if is_solutions(r.notebook) else summary_rows).append(
            f"<tr><td>{link}</td><td>{status}</td><td class=num>{r.seconds:.1f}</td>"
            f"<td class=num>{len(r.metrics)}</td></tr>")
        sections.append(
            f"<h3>{link}</h3><table><tr><th>metric</th><th>value</th><th>reference</th>"
            f"<th>source</th></tr>{_metric_rows(r)}</table>")
    total = sum(r.seconds for r in results)
    stamp = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    index = f"""<!doctype html><html><head><meta charset="utf-8">
<title>Deep Learning for Text and Sequences: run report</title><style>{STYLE}</style></head><body>
<h1>Deep Learning for Text and Sequences</h1>
<p>Profile <b>{html.escape(profile)}</b>, {len(results)} notebooks{_of_which(results)}, {total:.1f} s of execution, built {stamp}.</p>
<h2>Notebooks</h2>
<table><tr><th>notebook</th><th>status</th><th>seconds</th><th>metrics</th></tr>
{''.join(summary_rows)}</table>
{_solutions_table(solution_rows)}<h2>Metrics</h2>
<p>Each measured value beside the lecture's or paper's figure it is compared with.</p>
{''.join(sections)}
</body></html>
"""
    path = site / "index.html"
    path.write_text(index, encoding="utf-8")
    return path
