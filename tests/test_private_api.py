"""Every private name sklstm imports from another package is listed, with why."""

import ast
import pathlib

import pytest

from sklstm._utils.private_api import PRIVATE_APIS

_PACKAGE = pathlib.Path(__file__).resolve().parents[1] / "sklstm"


def _is_private(dotted):
    parts = dotted.split(".")
    return any(p.startswith("_") for p in parts) or dotted.startswith(
        ("keras.src", "tensorflow.python")
    )


def _private_imports(path):
    """Dotted names of the private modules and names a file imports."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.level == 0:
            found |= {f"{node.module}.{a.name}" for a in node.names}
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
    return {name for name in found if _is_private(name)}


@pytest.mark.parametrize(
    "path", sorted(_PACKAGE.rglob("*.py")), ids=lambda p: str(p.relative_to(_PACKAGE))
)
def test_every_private_import_is_listed(path):
    unlisted = {
        name
        for name in _private_imports(path)
        if not any(name == api or name.startswith(api + ".") for api in PRIVATE_APIS)
    }
    assert not unlisted, f"{path} imports private {sorted(unlisted)}"


def test_the_checker_sees_private_imports(tmp_path):
    code = "from sklearn.base import _fit_context\nfrom keras.src import ops\n"
    code += "import tensorflow.python.eager\nfrom sklearn.utils import Bunch\n"
    (tmp_path / "m.py").write_text(code)
    assert _private_imports(tmp_path / "m.py") == {
        "sklearn.base._fit_context",
        "keras.src.ops",
        "tensorflow.python.eager",
    }
