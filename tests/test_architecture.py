"""The package's layers, read from its import statements (ARCHITECTURE.md).

notebooks -> teaching -> data; the machinery (course/) may import everything; nothing imports the
machinery except the package's face; validate imports nothing of the package; no import circle;
the data loaders depend on the shared helpers and on generated data, never on each other.
"""
import ast
import importlib
from pathlib import Path

import pytest

import course_utils

ROOT = Path(course_utils.__file__).resolve().parent


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path) -> set[str]:
    """The course_utils modules a file imports (at any depth: late imports count too)."""
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("course_utils")}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if not target.startswith("course_utils"):
                continue
            for alias in node.names:   # `from pkg import module` imports pkg.module when that is a module
                sub = f"{target}.{alias.name}"
                found.add(sub if sub in MODULES else target)
    return {m for m in found if m in MODULES}


FILES = {_module_name(p): p for p in ROOT.rglob("*.py")}
MODULES = set(FILES)
GRAPH = {m: _imports(p) for m, p in FILES.items()}


def _layer(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "face"


def test_the_tree_has_the_three_layers_each_with_a_docstring():
    for package in ("course_utils.course", "course_utils.teaching", "course_utils.data",
                    "course_utils.data.generated"):
        doc = ast.get_docstring(ast.parse(FILES[package].read_text(encoding="utf-8")))
        assert doc and len(doc.split()) > 5, f"{package} needs a docstring that says its job"
    flat = sorted(p.name for p in ROOT.glob("*.py"))
    assert flat == ["__init__.py", "__main__.py", "validate.py"], flat


@pytest.mark.parametrize("module", sorted(m for m in MODULES if _layer(m) in ("teaching", "data", "validate")))
def test_nothing_below_the_machinery_imports_it(module):
    bad = {m for m in GRAPH[module] if _layer(m) in ("course", "face") and m != "course_utils"}
    assert not bad, f"{module} imports the machinery: {bad}"
    assert "course_utils" not in GRAPH[module], f"{module} imports the package's face"


def test_imports_run_one_way():
    allowed = {"validate": set(), "data": {"data", "validate"}, "teaching": {"teaching", "data", "validate"}}
    for module, targets in GRAPH.items():
        layer = _layer(module)
        if layer in allowed:
            bad = {t for t in targets if _layer(t) not in allowed[layer]}
            assert not bad, f"{module} ({layer}) imports {bad}"


def test_no_import_circle():
    seen, done = [], set()

    def visit(m):
        if m in done:
            return
        assert m not in seen, "import circle: " + " -> ".join(seen[seen.index(m):] + [m])
        seen.append(m)
        for t in GRAPH[m]:
            if t != m and not m.startswith(t + "."):   # a module may import its own package's face
                visit(t)
        seen.pop()
        done.add(m)

    for m in sorted(GRAPH):
        visit(m)


def test_data_loaders_do_not_import_each_other():
    loaders = {f"course_utils.data.{n}" for n in ("imdb", "corpora", "translation")}
    for loader in loaders:
        assert not (GRAPH[loader] & (loaders - {loader})), f"{loader} imports {GRAPH[loader] & loaders}"


def test_a_moved_module_names_its_new_place():
    with pytest.raises(ImportError, match=r"course_utils.teaching.masked_lm"):
        from course_utils import masked_lm  # noqa: F401
    with pytest.raises(ImportError, match=r"course_utils.data.generated.reviews"):
        importlib.import_module("course_utils.data.synthetic")
    with pytest.raises(ImportError, match=r"course_utils.validate"):
        from course_utils.config import positive_int  # noqa: F401
    with pytest.raises(AttributeError):
        getattr(course_utils, "no_such_thing")
