"""The safe file format of fitted :class:`~sklstm.LSTMSeqRegressor` models.

The archive, its checks and the Keras model inside; :mod:`sklstm._estimator.saving`
holds the public :func:`sklstm.save` and :func:`sklstm.load`, which name the
estimator class this module is given (it imports no estimator).

Why not pickle? ``pickle`` and ``joblib`` rebuild objects by calling code
that the file itself names, so loading a pickle from someone else can run
arbitrary code on your machine: use them only for files you made yourself.
:func:`sklstm.save` writes a format meant for sharing. A ``.sklstm`` file is a zip
archive with exactly two members:

``model.keras``
    The Keras model in Keras's native format: weights, optimizer state and a
    layer configuration. :func:`sklstm.load` accepts only the standard layers that
    sklstm builds, then loads the model with
    ``keras.saving.load_model(..., safe_mode=True)``, which also refuses
    layers that carry Python code (``Lambda``).
``estimator.json``
    Plain JSON: the sklstm version, the constructor parameters and the fitted
    attributes (training history, shapes, feature names).

Loading runs no code from the file. Anything unexpected (another member, a
JSON value that is not plain data, an unknown parameter, a file from another
sklstm major.minor version, a model whose shapes disagree with the recorded
ones, a truncated archive) raises :class:`UnsafeModelError`.
"""

import io
import json
import os
import re
import tempfile
import zipfile
import zlib

import numpy as np
from sklearn.utils.validation import check_is_fitted

from .._model.architectures import keras_layers
from .._utils.routing import is_routed
from .._version import __version__
from .fitted_json import fitted_from_json, fitted_to_json

__all__ = ["UnsafeModelError", "model_from_bytes", "model_to_bytes", "read", "write"]

_MODEL, _STATE = "model.keras", "estimator.json"
_FORMAT = "sklstm.LSTMSeqRegressor"
_BOMB_FLOOR, _BOMB_RATIO = 1 << 26, 100  # a member may not expand beyond these
# The Keras objects sklstm builds, by module (None: any class of the module);
# the layers come from the architecture registry.
_KERAS_ALLOWED = {
    "keras.layers": keras_layers(),
    "keras": {"DTypePolicy", "FloatDTypePolicy"},
    "keras.initializers": None,
    "keras.optimizers": None,
    "keras.losses": None,
}
# sklstm's own registered Keras objects: the quantile head and its loss.
_SKLSTM_OBJECTS = {
    "sklstm._model.quantiles": {"NonCrossingQuantiles", "PinballLoss"},
}
_KERAS_MEMBERS = {"config.json", "metadata.json", "model.weights.h5"}
_HINTS = {
    "optimizer": "pass optimizer as a string such as 'adam' (its settings as "
    "optimizer__<name>=value)",
    "loss": "pass loss as a string such as 'mse' (its settings as loss__<name>)",
    "activation": "pass activation as a string such as 'tanh'",
    "callbacks": "set callbacks=None (callbacks only act during fit)",
    "random_state": "pass random_state as an int or None",
}


class UnsafeModelError(ValueError):
    """A file that :func:`load` refuses: tampered, corrupted or incompatible."""


def write(estimator, path, estimator_class):
    """Write the fitted ``estimator`` to ``path`` (see :func:`sklstm.save`).

    ``estimator_class`` is the one class the format stores: its parameters
    are the names the file may hold, and any other type is refused.
    """
    from .._utils.tf import keras

    if type(estimator) is not estimator_class:
        raise TypeError(
            f"save stores {estimator_class.__name__} instances, not "
            f"{type(estimator).__name__}; use pickle or joblib for other "
            "estimators (trusted use only)."
        )
    check_is_fitted(estimator)
    fitted = fitted_to_json(estimator)
    state = {
        "format": _FORMAT,
        "sklstm_version": __version__,
        "keras_version": keras.__version__,
        "params": _plain_params(
            estimator.get_params(deep=False), estimator_class, saving=True
        ),
        "fitted": fitted,
    }
    model_bytes = model_to_bytes(estimator.model_)
    buffer = io.BytesIO()  # built in memory: a failure leaves no partial file
    with zipfile.ZipFile(buffer, "w") as zf:
        text = json.dumps(state, indent=1)
        zf.writestr(_STATE, text, compress_type=zipfile.ZIP_DEFLATED)
        zf.writestr(_MODEL, model_bytes)  # already a zip archive: stored
    if hasattr(path, "write"):
        path.write(buffer.getvalue())
    else:
        with open(path, "wb") as f:
            f.write(buffer.getvalue())


def read(path, estimator_class):
    """The fitted ``estimator_class`` instance saved at ``path``.

    See :func:`sklstm.load`.

    Runs no code from the file; raises :class:`UnsafeModelError` for anything
    unexpected.
    """

    if hasattr(path, "read"):
        data, where = path.read(), repr(getattr(path, "name", "file object"))
    else:
        with open(path, "rb") as f:
            data, where = f.read(), repr(os.fspath(path))
    where = f"cannot load {where}"
    members = _read_zip(data, {_MODEL, _STATE}, {_MODEL, _STATE}, where)
    state = _json(members[_STATE], f"{where}: {_STATE}")
    if not isinstance(state, dict) or state.get("format") != _FORMAT:
        raise UnsafeModelError(f"{where}: it is not a file written by sklstm.save.")
    _check_version(state.get("sklstm_version"), where)
    params, fitted = state.get("params"), state.get("fitted")
    if not isinstance(params, dict) or not isinstance(fitted, dict):
        raise UnsafeModelError(f"{where}: params or fitted attributes are missing.")
    try:
        plain = _plain_params(params, estimator_class, saving=False)
        estimator = estimator_class(**plain)
        estimator._validate_params()
    except (TypeError, ValueError) as exc:
        raise UnsafeModelError(f"{where}: {exc}") from exc
    try:
        fitted = fitted_from_json(fitted)
    except ValueError as exc:
        raise UnsafeModelError(f"{where}: {exc}") from None
    model = _load_keras(members[_MODEL], where)
    levels = () if fitted["quantiles_"] is None else (len(fitted["quantiles_"]),)
    expected = (
        (None, *fitted["input_shape_"]),
        (None, *fitted["output_shape_"], *levels),
    )
    if (model.input_shape, model.output_shape) != expected:
        raise UnsafeModelError(
            f"{where}: its Keras model maps {model.input_shape} to "
            f"{model.output_shape}, but the recorded fitted attributes say "
            f"{expected[0]} to {expected[1]}; the file was tampered with."
        )
    if getattr(model, "optimizer", None) is None:
        raise UnsafeModelError(f"{where}: its Keras model has no optimizer.")
    vars(estimator).update(fitted, model_=model)
    return estimator


def _plain_params(params, estimator_class, *, saving):
    """Check the parameters for the JSON file: plain values and known names."""
    error = TypeError if saving else UnsafeModelError
    known = set(estimator_class().get_params())
    plain = {}
    for name, value in params.items():
        routed = isinstance(name, str) and is_routed(name) and name.isidentifier()
        if name not in known and not routed:
            raise error(
                f"unknown parameter {name!r}: {estimator_class.__name__} accepts "
                "its named parameters and routed optimizer__<name> and "
                "loss__<name> ones."
            )
        if isinstance(value, np.generic):  # e.g. np.float64 from a param grid
            value = value.item()
        if isinstance(value, tuple | np.ndarray) and name == "quantiles":
            value = np.asarray(value).tolist()  # written as a JSON list
        if isinstance(value, str | int | float | None) or (
            isinstance(value, list)
            and all(type(v) in (int, float) for v in value)
            and (name == "quantiles" or not value)
        ):
            plain[name] = value
            continue
        message = f"parameter {name} (of type {type(value).__name__}) is not plain data"
        if not saving:
            raise error(f"{message}; refusing it.")
        hint = _HINTS.get(name, f"pass {name} as None, a bool, int, float or str")
        raise error(
            f"{message}, and sklstm's safe format stores only plain JSON values. "
            f"To save with sklstm.save, {hint}; or use pickle/joblib for trusted use."
        )
    return plain


def _read_zip(data, required, allowed, where):
    """Return the members of a zip archive as bytes, refusing any surprise."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = zf.namelist()
            if not required <= set(names) <= allowed or len(set(names)) < len(names):
                optional = f" (and optionally {sorted(allowed - required)})"
                raise UnsafeModelError(
                    f"{where}: it holds {sorted(names)}, not {sorted(required)}"
                    f"{optional if allowed - required else ''}; anything else, "
                    "such as a pickle, is refused."
                )
            for info in zf.infolist():
                size = info.file_size
                if size > _BOMB_FLOOR and size > _BOMB_RATIO * info.compress_size:
                    raise UnsafeModelError(f"{where}: {info.filename} is a zip bomb.")
            return {name: zf.read(name) for name in names}
    except (zipfile.BadZipFile, EOFError, OSError, RuntimeError, zlib.error) as exc:
        raise UnsafeModelError(
            f"{where}: it is not a readable sklstm archive (truncated or "
            f"corrupted?): {exc}"
        ) from exc


def _json(data, where):
    try:
        return json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise UnsafeModelError(f"{where} is not valid JSON: {exc}") from exc


def _check_version(saved, where):
    def major_minor(version):
        if isinstance(version, str):
            match = re.match(r"(\d+)\.(\d+)(?!\d)", version)
            return match and match.groups()

    if not major_minor(saved) or major_minor(saved) != major_minor(__version__):
        raise UnsafeModelError(
            f"{where}: it was saved by sklstm {saved!r} and this is sklstm "
            f"{__version__!r}; files load only in the major.minor version that "
            "saved them. Load it with that version, or refit the model."
        )


def _keras_object_ok(node, loss_functions):
    module, name = node.get("module"), node["class_name"]
    registered, config = node.get("registered_name"), node.get("config")
    if module is None:
        return name == "__keras_tensor__"  # a link between layers
    if name == "Functional":
        keras_module = str(module).startswith("keras.")
        return keras_module and registered in (None, name, ">" + name)
    if (module, name) == ("builtins", "function"):  # a Keras loss function by name
        return (
            registered == name and isinstance(config, str) and config in loss_functions
        )
    if module in _SKLSTM_OBJECTS:
        return name in _SKLSTM_OBJECTS[module] and registered == f"sklstm>{name}"
    allowed = _KERAS_ALLOWED.get(module, ())
    return registered is None and (allowed is None or name in allowed)


def _check_keras_config(node, where, loss_functions):
    """Refuse any Keras object that sklstm does not build, before Keras sees it."""
    if isinstance(node, dict) and "class_name" in node:
        if not _keras_object_ok(node, loss_functions):
            raise UnsafeModelError(
                f"{where}: its Keras model contains {node['class_name']!r} from "
                f"module {node.get('module')!r}, which sklstm never builds; "
                "refusing to load it."
            )
    children = node.values() if isinstance(node, dict) else node
    for child in children if isinstance(node, dict | list) else ():
        _check_keras_config(child, where, loss_functions)


def _load_keras(data, where):
    """Check the ``.keras`` archive, then load it with Keras's safe mode."""
    from .._utils.tf import keras

    where = f"{where}: {_MODEL}"
    members = _read_zip(data, _KERAS_MEMBERS - {"metadata.json"}, _KERAS_MEMBERS, where)
    losses = {n for n in dir(keras.losses) if not n.startswith("_")}
    try:
        _check_keras_config(_json(members["config.json"], where), where, losses)
    except RecursionError as exc:
        raise UnsafeModelError(f"{where}: its config is nested too deeply.") from exc
    try:
        return model_from_bytes(data)
    except Exception as exc:
        raise UnsafeModelError(
            f"{where}: Keras refused to load it in safe mode: {exc}"
        ) from exc


def model_to_bytes(model):
    """The bytes of ``model`` in Keras's native ``.keras`` format.

    Keras's public ``save_model`` writes only to a path ending in ``.keras``,
    so the archive passes through a private temporary directory that is
    removed before returning (the in-memory variant is private Keras API).
    """
    from .._utils.tf import keras

    with tempfile.TemporaryDirectory(prefix="sklstm-") as tmp:
        keras.saving.save_model(model, os.path.join(tmp, _MODEL))
        with open(os.path.join(tmp, _MODEL), "rb") as f:
            return f.read()


def model_from_bytes(data):
    """The compiled Keras model (weights, optimizer state) of ``.keras`` bytes.

    Loaded in Keras's safe mode, which refuses layers that carry Python code.
    """
    from .._utils.tf import keras

    with tempfile.TemporaryDirectory(prefix="sklstm-") as tmp:
        with open(os.path.join(tmp, _MODEL), "wb") as f:
            f.write(data)
        return keras.saving.load_model(
            os.path.join(tmp, _MODEL), safe_mode=True, compile=True
        )
