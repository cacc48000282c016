"""The instructors' worked solutions (solutions/NN_name_solutions.ipynb) follow one layout.

One solutions notebook per student notebook that has an `## Exercises` cell, with one
`## Exercise k` section per exercise, in order; each section quotes the exercise, answers it
and checks the answer with an `assert`. The notebook opens like a student notebook (title,
Colab setup cell, the `parameters` cell, `course_utils.setup(...)`) and its stored outputs
come from one clean run (`make refresh`). nbval (`make nbval`) re-executes them.
"""
import ast
import json
import re
from pathlib import Path

import pytest

from course_utils.course import runner
from course_utils.course.config import GITHUB_REPO

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
SOLUTIONS = runner.discover_solutions(ROOT / "solutions")
# Notebooks whose solutions are scheduled for a later session: their absence is skipped
# (with the reason shown), but once the file exists it is checked like the others.
AWAITING_SOLUTIONS = ()

EXERCISE_ITEM = re.compile(r"^(\d+)\.\s", re.M)
SECTION = re.compile(r"^## Exercise (\d+)\b", re.M)


def _cells(path):
    return json.loads(path.read_text())["cells"]


def _src(cell):
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


def exercises(path: Path) -> list[str]:
    """The numbered items of a notebook's `## Exercises` cell ([] if it has none)."""
    for cell in _cells(path):
        text = _src(cell)
        if cell["cell_type"] == "markdown" and "## Exercises" in text:
            body = text.split("## Exercises", 1)[1]
            numbers = [int(n) for n in EXERCISE_ITEM.findall(body)]
            assert numbers == list(range(1, len(numbers) + 1)), f"{path.name}: exercises numbered {numbers}"
            return re.split(EXERCISE_ITEM, body)[2::2]
    return []


WITH_EXERCISES = [p for p in NOTEBOOKS if exercises(p)]


def test_exercise_parser_counts_items():
    assert len(WITH_EXERCISES) >= 7  # 00-06 at least
    assert len(exercises(ROOT / "notebooks" / "00_start_here.ipynb")) == 3


@pytest.mark.parametrize("notebook", WITH_EXERCISES, ids=lambda p: p.stem)
def test_every_notebook_with_exercises_has_solutions(notebook):
    target = runner.solution_for(notebook)
    if not target.exists() and notebook.name[:2] in AWAITING_SOLUTIONS:
        pytest.skip(f"{target.name}: solutions not written yet (AWAITING_SOLUTIONS)")
    assert target.exists(), f"{notebook.name} has exercises but no worked solutions: write solutions/{target.name}"


@pytest.mark.parametrize("path", SOLUTIONS, ids=lambda p: p.stem)
def test_solutions_layout(path):
    student = ROOT / "notebooks" / path.name.replace("_solutions.ipynb", ".ipynb")
    assert student.exists(), f"{path.name}: no student notebook {student.name}"
    check_layout(path, student)


def check_layout(path: Path, student: Path):
    cells = _cells(path)
    src = [_src(c) for c in cells]

    # title: "# NN · <title>: worked solutions", for instructors, a link to the student notebook
    title = src[0]
    assert cells[0]["cell_type"] == "markdown"
    assert re.match(rf"# {path.name[:2]} · .+: worked solutions\s*$", title.splitlines()[0]), title.splitlines()[0]
    assert "instructors" in title.lower()
    assert f"../notebooks/{student.name}" in title, "title cell links to the student notebook"
    assert f"https://colab.research.google.com/github/{GITHUB_REPO}/blob/main/solutions/{path.name}" in title

    # set-up and parameters cells, as in the student notebooks
    code = [i for i, c in enumerate(cells) if c["cell_type"] == "code"]
    tagged = [i for i, c in enumerate(cells) if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert f"git+https://github.com/{GITHUB_REPO}" in src[code[0]] and "google.colab" in src[code[0]]
    assert tagged == [code[1]], "the first code cell after the setup cell, and only it, is tagged `parameters`"
    params = src[code[1]]
    body = ast.parse(params).body
    for stmt in body:  # papermill parameters: literal assignments only
        assert isinstance(stmt, ast.Assign) and len(stmt.targets) == 1, ast.unparse(stmt)
        assert isinstance(stmt.targets[0], ast.Name) and stmt.targets[0].id.isupper(), ast.unparse(stmt)
        ast.literal_eval(stmt.value)
    assert ast.unparse(body[0]) == "PROFILE = 'auto'", "PROFILE = \"auto\" comes first"
    assert any("course_utils.setup(" in src[i] for i in code[2:4]), "course_utils.setup(...) right after the parameters"

    # one `## Exercise k` section per exercise, in order, each quoting it, answering it and checking it
    wanted = exercises(student)
    starts = [i for i, s in enumerate(src) if cells[i]["cell_type"] == "markdown" and SECTION.search(s)]
    numbers = [int(SECTION.search(src[i]).group(1)) for i in starts]
    assert numbers == list(range(1, len(wanted) + 1)), f"sections {numbers} for {len(wanted)} exercises"
    for k, (start, end) in enumerate(zip(starts, starts[1:] + [len(cells)]), 1):
        assert re.search(r"^> ", src[start], re.M), f"Exercise {k}: quote the exercise text (a `> ` block)"
        first_words = " ".join(wanted[k - 1].split()[:4])
        quoted = " ".join(line[2:] for line in src[start].splitlines() if line.startswith("> "))
        assert first_words in " ".join(quoted.split()), f"Exercise {k}: the quote should start like {first_words!r}"
        section = range(start + 1, end)
        assert any(cells[i]["cell_type"] == "markdown" for i in range(start, end)), f"Exercise {k}: no answer"
        asserts = [i for i in section if cells[i]["cell_type"] == "code"
                   and any(isinstance(n, ast.Assert) for n in ast.walk(ast.parse(_strip_magics(src[i]))))]
        assert asserts, f"Exercise {k}: no code cell with an `assert` checking the answer"

    # stored outputs from one clean run, without errors
    counts = [c.get("execution_count") for c in cells if c["cell_type"] == "code"]
    assert counts == list(range(1, len(counts) + 1)), "stored outputs must come from one clean run (make refresh)"
    for i in code:
        assert not any(o.get("output_type") == "error" for o in cells[i].get("outputs", [])), f"cell {i} stores an error"


def _planted(tmp_path, edit):
    """A copy of the 00 solutions with one planted defect."""
    source = ROOT / "solutions" / "00_start_here_solutions.ipynb"
    nb = json.loads(source.read_text())
    edit(nb["cells"])
    path = tmp_path / source.name
    path.write_text(json.dumps(nb))
    return path


def _retitle(cells, old, new):
    for c in cells:
        text = _src(c)
        if old in text:
            c["source"] = text.replace(old, new)
            return


@pytest.mark.parametrize("defect, message", [
    (lambda cells: _retitle(cells, "## Exercise 3", "## Exercise three"), "sections \\[1, 2\\] for 3 exercises"),
    (lambda cells: _retitle(cells, "> Set `COURSE_DATA_DIR`", "Set `COURSE_DATA_DIR`"), "Exercise 3: quote the exercise"),
    (lambda cells: _retitle(cells, "assert ", "check = "), "no code cell with an `assert`"),
    (lambda cells: cells[2]["metadata"].pop("tags"), "only it, is tagged `parameters`"),
    (lambda cells: cells[-1].__setitem__("execution_count", 99), "one clean run"),
])
def test_layout_check_catches_planted_defects(tmp_path, defect, message):
    student = ROOT / "notebooks" / "00_start_here.ipynb"
    check_layout(_planted(tmp_path, lambda cells: None), student)  # the copy itself passes
    with pytest.raises(AssertionError, match=message):
        check_layout(_planted(tmp_path, defect), student)


def _strip_magics(source: str) -> str:
    return "\n".join("" if line.lstrip().startswith(("%", "!")) else line for line in source.splitlines())
