"""The set-up files agree with each other, and every notebook follows the house layout."""
import ast
import json
import re
import sys
from pathlib import Path

import pytest

from course_utils.course.config import GITHUB_REPO

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    tomllib = pytest.importorskip("tomli")

ROOT = Path(__file__).resolve().parent.parent
NAME = re.compile(r"^\s*([A-Za-z0-9_.\-]+)")


def _name(requirement):
    return NAME.match(requirement).group(1).lower().replace("_", "-")


def _pyproject():
    return tomllib.loads((ROOT / "pyproject.toml").read_text())


def _pyproject_packages():
    project = _pyproject()["project"]
    names = {_name(r) for r in project["dependencies"]}
    for extra in project["optional-dependencies"].values():
        names |= {_name(r) for r in extra if not r.startswith("course_utils")}
    return names


def test_environment_yml_lists_the_pyproject_packages():
    text = (ROOT / "environment.yml").read_text()
    deps = re.search(r"^dependencies:\n((?:  .*\n?)+)", text, re.M).group(1)
    conda = {_name(line.strip()[2:]) for line in deps.splitlines()
             if line.startswith("  - ") and not line.strip().endswith(":")}
    conda -= {"python", "pip"}
    assert conda == _pyproject_packages()


def test_lock_pins_every_package():
    lock = (ROOT / "requirements.lock").read_text()
    pinned = {_name(line) for line in lock.splitlines() if "==" in line and not line.startswith(("#", " "))}
    missing = _pyproject_packages() - pinned
    assert not missing, f"requirements.lock lacks {sorted(missing)}: run `make lock`"


def test_colab_ranges_admit_colab_versions():
    """Installing course_utils in Colab must not reinstall TensorFlow/Keras/NumPy."""
    from packaging.requirements import Requirement
    deps = {Requirement(r).name.lower(): Requirement(r) for r in _pyproject()["project"]["dependencies"]}
    for pkg, colab_version in [("tensorflow", "2.20.0"), ("keras", "3.13.0"), ("numpy", "2.0.2")]:
        assert deps[pkg].specifier.contains(colab_version), (pkg, colab_version)
    assert "3.13" not in _pyproject()["project"]["requires-python"].replace(">=3.10", "")


NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_layout(path):
    nb = json.loads(path.read_text())
    cells = nb["cells"]
    src = ["".join(c["source"]) for c in cells]
    badge = f"https://colab.research.google.com/github/{GITHUB_REPO}/blob/main/notebooks/{path.name}"
    assert cells[0]["cell_type"] == "markdown" and badge in src[0], "title cell needs the Colab badge"
    assert "What you will learn" in src[0]
    assert f"git+https://github.com/{GITHUB_REPO}" in src[1] and "google.colab" in src[1], "Colab setup cell"
    code = [i for i, c in enumerate(cells) if c["cell_type"] == "code"]
    tagged = [i for i, c in enumerate(cells) if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert code[0] == 1 and tagged == [code[1]], "the first code cell after the setup cell, and only it, is tagged `parameters`"
    params = src[code[1]]
    for stmt in ast.parse(params).body:  # papermill parameters: literal assignments only
        assert isinstance(stmt, ast.Assign) and len(stmt.targets) == 1, ast.unparse(stmt)
        assert isinstance(stmt.targets[0], ast.Name) and stmt.targets[0].id.isupper(), ast.unparse(stmt)
        ast.literal_eval(stmt.value)  # raises on anything but a literal
    assert 'PROFILE = "auto"' in params
    assert any("course_utils.setup(" in s for s in src), "notebooks call course_utils.setup once"
    assert "Exercises" in src[-1] or any("## Exercises" in s for s in src[-3:])
    counts = [c.get("execution_count") for c in cells if c["cell_type"] == "code"]
    assert counts == list(range(1, len(counts) + 1)), "stored outputs must come from one clean run (make refresh)"
