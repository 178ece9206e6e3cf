"""The layout by concept: which part may import which, and no import circle.

Every import of every module (function-level ones included) is read from the
source; the rules are those of docs/developers.rst.
"""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "sklstm"

#: What each private part may import of the others (besides itself).
ALLOWED = {
    "_utils": set(),
    "_model": {"_utils"},
    "_data": {"_utils", "_model.linear"},
    "_training": {"_utils", "_data", "_model"},
    "_persistence": {
        "_utils",
        "_version",
        "_model.architectures",
        "_model.linear",
        "_data",
    },
    "_intervals": {"_data"},
    "_display": set(),
}


def _module_name(path):
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules():
    return {_module_name(p): p for p in PACKAGE.rglob("*.py")}


def _imports(name, path, modules):
    """The sklstm modules that ``name`` imports, at any level of its code."""
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            elif (node.module or "").startswith("sklstm"):
                target = node.module
            else:
                continue
            for alias in node.names:  # `from .. import module` names a module
                sub = f"{target}.{alias.name}"
                found.add(sub if sub in modules else target)
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("sklstm")}
    return found - {name}


@pytest.fixture(scope="module")
def graph():
    modules = _modules()
    return {name: _imports(name, path, modules) for name, path in modules.items()}


def _part(module):
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


@pytest.mark.parametrize("part", sorted(ALLOWED))
def test_each_part_imports_only_what_the_map_allows(graph, part):
    allowed = ALLOWED[part]
    bad = {
        f"{module} -> {target}"
        for module, targets in graph.items()
        if _part(module) == part
        for target in targets
        if _part(target) != part
        and not any(
            target.removeprefix("sklstm.") == a
            or target.removeprefix("sklstm.").startswith(a + ".")
            for a in allowed
        )
    }
    assert not bad, sorted(bad)


def test_no_import_circle(graph):
    state, stack = {}, []

    def visit(module):
        state[module] = "open"
        stack.append(module)
        for target in sorted(graph.get(module, ())):
            if state.get(target) == "open":
                cycle = stack[stack.index(target) :] + [target]
                pytest.fail("import circle: " + " -> ".join(cycle))
            if target not in state:
                visit(target)
        stack.pop()
        state[module] = "done"

    for module in sorted(graph):
        if module not in state:
            visit(module)


def test_the_rules_see_every_part():
    parts = {p.name for p in PACKAGE.iterdir() if p.is_dir() and p.name[0] == "_"}
    assert parts - {"__pycache__"} == set(ALLOWED) | {"_estimator"}


def test_the_rules_can_fail(graph):
    # A part that imported the estimator would be caught.
    graph = {**graph, "sklstm._data.units": {"sklstm._estimator.regressor"}}
    with pytest.raises(AssertionError, match="_estimator.regressor"):
        test_each_part_imports_only_what_the_map_allows(graph, "_data")
    graph["sklstm._estimator.regressor"] = {"sklstm._data.units"}
    with pytest.raises(pytest.fail.Exception, match="import circle"):
        test_no_import_circle(graph)
