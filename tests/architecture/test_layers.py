"""The package's import graph points down the pipeline, and has no cycles.

A stage may import the stages below it and never one above, so ``ls generator`` is the
pipeline: core → infra → load → photos → check → press, publication → render → adapters.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "generator"
LAYERS = {"core": 0, "infra": 1, "load": 2, "photos": 3, "check": 4, "press": 5, "publication": 5,
          "render": 6, "adapters": 7}


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """Modules of our package that ``path`` imports, at any depth of the file."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level:
            raise AssertionError(f"{path}: relative import; the house uses absolute imports")
    return {name for name in found if name.startswith("generator.")}


MODULES = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
GRAPH = {name: {m for m in _imports(path) if m in MODULES and m != name} for name, path in MODULES.items()}


def _stage(module: str) -> str:
    return module.split(".")[1] if module.count(".") >= 1 else ""


def test_every_module_lives_in_a_stage() -> None:
    loose = [name for name in MODULES if _stage(name) not in LAYERS and name not in {"generator", "generator.__main__"}]
    assert loose == []


@pytest.mark.parametrize("module", sorted(m for m in MODULES if _stage(m) in LAYERS))
def test_imports_point_down(module: str) -> None:
    stage = _stage(module)
    upward = [m for m in GRAPH[module] if _stage(m) in LAYERS and _stage(m) != stage
              and LAYERS[_stage(m)] >= LAYERS[stage]]
    assert upward == [], f"{module} imports a stage at or above its own ({stage})"


def test_no_import_cycles() -> None:
    done: set[str] = set()

    def visit(module: str, stack: tuple[str, ...]) -> None:
        assert module not in stack, "cycle: " + " -> ".join(stack[stack.index(module):] + (module,))
        if module in done:
            return
        for target in GRAPH[module]:
            visit(target, stack + (module,))
        done.add(module)

    for module in MODULES:
        visit(module, ())


@pytest.mark.parametrize("framework", ["mkdocs", "click"])
def test_only_the_adapters_import_the_frameworks(framework: str) -> None:
    offenders = [name for name, path in MODULES.items() if _stage(name) != "adapters"
                 and any(n == framework or n.startswith(f"{framework}.") for n in _raw_imports(path))]
    assert offenders == []


def test_core_imports_nothing_of_ours_outside_core() -> None:
    outside = {name: sorted(m for m in GRAPH[name] if _stage(m) != "core")
               for name in MODULES if _stage(name) == "core"}
    assert {name: targets for name, targets in outside.items() if targets} == {}


def test_the_check_finds_an_upward_import(tmp_path: Path) -> None:
    """The graph is read from real imports: an upward one written into a file is seen."""
    module = tmp_path / "bad.py"
    module.write_text("from generator.adapters.cli import main\nimport generator.render.site\n", encoding="utf-8")
    assert _imports(module) >= {"generator.adapters.cli", "generator.render.site"}


def _raw_imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names
