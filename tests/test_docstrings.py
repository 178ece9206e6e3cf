"""Every public object's docstring passes numpydoc's validation."""

import inspect

import pytest

import sklstm

numpydoc_validate = pytest.importorskip("numpydoc.validate")

# Checks we do not enforce, with the reason.
IGNORED = {
    "GL08",  # inherited scikit-learn methods (set_output, ...) are theirs
    "ES01",  # an extended summary is welcome, not required
    "SA01",  # a See Also section is welcome, not required
    "EX01",  # examples are required on the public objects themselves, below
    "RT02",  # "Returns" may name the value (numpydoc style varies)
    "PR02",  # **kwargs of SciKeras-style routing are documented in prose
    "SS05",  # summary verbs in imperative or third person both read well
}


def _public_objects():
    for name in sklstm.__all__:
        obj = getattr(sklstm, name)
        if inspect.ismodule(obj):
            for sub in obj.__all__:
                yield f"sklstm.{name}.{sub}", getattr(obj, sub)
            continue
        yield f"sklstm.{name}", obj
        if inspect.isclass(obj):
            for meth, member in vars(obj).items():
                if callable(member) and not meth.startswith("_"):
                    yield f"sklstm.{name}.{meth}", member


PUBLIC = [(n, o) for n, o in _public_objects() if callable(o)]


@pytest.mark.parametrize("name, obj", PUBLIC, ids=[n for n, _ in PUBLIC])
def test_docstring_is_valid_numpydoc(name, obj):
    result = numpydoc_validate.validate(name)
    errors = [(c, m) for c, m in result["errors"] if c not in IGNORED]
    assert not errors, f"{name}: {errors}"


@pytest.mark.parametrize(
    "name", [n for n in sklstm.__all__ if not n.endswith("Error") and n != "datasets"]
)
def test_public_objects_have_examples(name):
    assert "Examples" in (getattr(sklstm, name).__doc__ or "")
