"""Sphinx configuration for the sklstm documentation."""

import os
import re

# Before anything imports Keras: sklstm runs on the TensorFlow backend only.
os.environ.setdefault("KERAS_BACKEND", "tensorflow")
# Render the gallery's figures off-screen.
os.environ.setdefault("MPLBACKEND", "Agg")

import sklstm  # noqa: E402

# -- Project -----------------------------------------------------------------
project = "sklstm"
author = "sklstm developers"
copyright = "sklstm developers"
version = release = sklstm.__version__

# -- General -----------------------------------------------------------------
extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.viewcode",
    "numpydoc",
    "sphinx_gallery.gen_gallery",
]
templates_path = ["_templates"]
# The docstrings follow scikit-learn's conventions: `name` is code.
default_role = "literal"
# examples/ holds the gallery *sources*; sphinx-gallery renders them into
# auto_examples/, which is what Sphinx reads.
exclude_patterns = ["_build", "_templates", "examples", "**/*.ipynb"]
# No intersphinx: the build must work offline. Links to scikit-learn and NumPy
# objects are resolved by _external_reference below instead.

# -- autodoc / autosummary / numpydoc ------------------------------------------
autosummary_generate = True
autodoc_default_options = {"members": True, "inherited-members": True}
autodoc_typehints = "none"
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False

# Inherited members that are not part of sklstm's API: the SciKeras wrapper's
# own machinery (LSTMSeqRegressor builds its model itself; only its set_params
# is kept) and scikit-learn's metadata-routing boilerplate.
_SKIPPED_MODULE_PREFIXES = ("scikeras.",)
_KEPT_NAMES = {"set_params"}
_SKIPPED_NAME_PATTERN = re.compile(r"^(set_\w+_request|get_metadata_routing)$")


def _skip_member(app, what, name, obj, skip, options):
    if name in _KEPT_NAMES:
        return None
    if _SKIPPED_NAME_PATTERN.match(name):
        return True
    module = getattr(obj, "__module__", None) or getattr(
        getattr(obj, "fget", None), "__module__", ""
    )
    if module and module.startswith(_SKIPPED_MODULE_PREFIXES):
        return True
    return None


# -- Links to scikit-learn and NumPy without intersphinx ------------------------
_SKLEARN = "https://scikit-learn.org/stable/"
_NUMPY = "https://numpy.org/doc/stable/reference/generated/"


def _external_reference(app, env, node, contnode):
    """Link scikit-learn glossary terms and public API objects by URL pattern."""
    from docutils import nodes

    domain, reftype = node.get("refdomain"), node.get("reftype")
    target = node.get("reftarget", "")
    if (
        domain == "std"
        and reftype == "ref"
        and "docstring of sklearn." in str(node.source)
    ):
        # A method inherited from scikit-learn (e.g. set_output) that points
        # into scikit-learn's own user guide: keep the link text only.
        return contnode
    uri = None
    if domain == "std" and reftype == "term":
        slug = re.sub(r"[^a-z0-9._]+", "-", " ".join(target.lower().split()))
        uri = f"{_SKLEARN}glossary.html#term-{slug}"
    elif domain == "py":
        parts = target.split(".")
        if parts[0] == "sklearn" and not any(p.startswith("_") for p in parts):
            uri = f"{_SKLEARN}modules/generated/{target}.html"
        elif parts[0] == "numpy":
            uri = f"{_NUMPY}{target}.html"
    if uri is None:
        return None
    ref = nodes.reference("", "", internal=False, refuri=uri)
    ref.append(contnode)
    return ref


def setup(app):
    app.connect("autodoc-skip-member", _skip_member)
    app.connect("missing-reference", _external_reference)


# -- Gallery -------------------------------------------------------------------
sphinx_gallery_conf = {
    "examples_dirs": "examples",
    "gallery_dirs": "auto_examples",
    "filename_pattern": r"/plot_",
    "within_subsection_order": "FileNameSortKey",
    "backreferences_dir": "generated/backreferences",
    "doc_module": ("sklstm",),
    "reference_url": {"sklstm": None},
    "matplotlib_animations": False,
    "remove_config_comments": True,
    "download_all_examples": False,
    "show_memory": False,
}

# -- HTML ----------------------------------------------------------------------
html_theme = "pydata_sphinx_theme"
html_title = f"sklstm {version}"
html_theme_options = {
    "navigation_with_keys": False,
    "show_toc_level": 2,
}
html_show_sourcelink = False
