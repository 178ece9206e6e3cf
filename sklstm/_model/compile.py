"""From estimator parameters to a compiled Keras model.

Routed parameters (``optimizer__*``, ``loss__*``) are resolved with SciKeras's
own helpers, so SciKeras-style routing keeps working.
"""

import inspect
import threading

import numpy as np

from .._utils.routing import is_routed
from .._utils.scikeras import (
    get_loss_class_function_or_string,
    get_optimizer_class,
    route_params,
    try_to_convert_strings_to_classes,
    unflatten_params,
)
from .._utils.tf import keras
from .builders import build_model
from .graph_cache import keras_config, structure_key
from .quantiles import PinballLoss, quantile_levels

__all__ = [
    "build_compiled_model",
    "check_keras_names",
    "compile_kwargs",
    "network_params",
    "routed_params",
    "warm_start_model",
    "with_fresh_names",
]


def routed_params(est):
    """Check the ``**kwargs`` parameters of ``est`` and return them."""
    named = set(inspect.signature(type(est).__init__).parameters)
    extra = {k: v for k, v in est.get_params().items() if k not in named}
    bad = [k for k in extra if not is_routed(k)]
    if bad:
        raise TypeError(
            f"{type(est).__name__} got unknown parameter(s) {sorted(bad)}; "
            "besides its named parameters it accepts only routed ones, "
            "optimizer__<name> and loss__<name>."
        )
    return extra


def compile_kwargs(est):
    """The optimizer and loss for ``model.compile``, from ``est``'s parameters."""
    params = routed_params(est)
    opt_params = route_params(params, "optimizer", pass_filter=set(), strict=True)
    if est.learning_rate is not None:
        if "learning_rate" in opt_params:
            raise ValueError(
                "learning_rate and optimizer__learning_rate are both set; "
                "set only one of them."
            )
        opt_params["learning_rate"] = est.learning_rate
    optimizer = est.optimizer
    if isinstance(optimizer, keras.optimizers.Optimizer):
        # A fresh copy per fit: optimizer instances carry training state.
        config = {**optimizer.get_config(), **opt_params}
        optimizer = type(optimizer).from_config(config)
    else:
        optimizer = try_to_convert_strings_to_classes(optimizer, get_optimizer_class)
        optimizer = unflatten_params(items=optimizer, params=opt_params)
    loss_params = route_params(params, "loss", pass_filter=set(), strict=False)
    levels = quantile_levels(est.loss, est.quantiles)
    if levels is not None:
        return {"optimizer": optimizer, "loss": PinballLoss(levels, **loss_params)}
    loss = try_to_convert_strings_to_classes(
        est.loss, get_loss_class_function_or_string
    )
    loss = unflatten_params(items=loss, params=loss_params)
    return {"optimizer": optimizer, "loss": loss}


_NAMES = (
    ("activation", "tanh", keras.activations.get),
    ("optimizer", "adam", keras.optimizers.get),
    ("loss", "mse", keras.losses.get),
)


def check_keras_names(est):
    """Raise a ValueError naming the parameter whose Keras name is unknown."""
    for param, example, get in _NAMES:
        value = getattr(est, param)
        if not isinstance(value, str) or (param, value) == ("loss", "quantile"):
            continue
        try:
            get(value)
        except ValueError:
            raise ValueError(
                f"{param}={value!r} is not a name Keras knows; use a Keras "
                f"name such as {example!r}, or pass a Keras object."
            ) from None


def with_fresh_names(fn, *args):
    """Return ``fn(*args)``, run where Keras's name counters start afresh.

    Keras numbers automatic layer and optimizer names per thread (``lstm``,
    ``lstm_1``, ...), and TensorFlow keeps about 35 kB per distinct variable
    name for the life of the process. Building every model in a new thread
    gives every model the same names, so many fits leak nothing. The caller's
    dtype policy is carried over.
    """
    policy, out = keras.config.dtype_policy(), {}

    def target():
        try:
            keras.config.set_dtype_policy(policy)
            out["value"] = fn(*args)
        except BaseException as exc:  # re-raised in the calling thread
            out["error"] = exc

    thread = threading.Thread(target=target, name="sklstm-build")
    thread.start()
    thread.join()
    if "error" in out:
        raise out["error"]
    return out["value"]


#: Fits on at least this many windows build models for many samples (see
#: :data:`sklstm._model.builders.UNROLL_MAX_STEPS_MANY`) and train them in
#: larger batches (:func:`batch_size_for`).
MANY_SAMPLES = 20_000
#: ``batch_size="auto"``: windows per batch below :data:`MANY_SAMPLES`
#: windows (the single-series defaults were measured with it) and from there
#: on (many series at once: the M3 and Tourism competitions, see the
#: benchmarks).
AUTO_BATCH_SIZE = 32
AUTO_BATCH_SIZE_MANY = 256


def many_windows(n_samples):
    """Whether a fit on ``n_samples`` windows counts as one on many windows
    (at least :data:`MANY_SAMPLES`): the one reader of the threshold."""
    return n_samples >= MANY_SAMPLES


def batch_size_for(batch_size, n_samples):
    """The batch size a fit on ``n_samples`` windows trains with.

    An int is used as given; ``"auto"`` is :data:`AUTO_BATCH_SIZE`, or
    :data:`AUTO_BATCH_SIZE_MANY` on at least :data:`MANY_SAMPLES` windows,
    where 32 windows per update makes thousands of updates per epoch.
    """
    if batch_size != "auto":
        return int(batch_size)
    return AUTO_BATCH_SIZE_MANY if many_windows(n_samples) else AUTO_BATCH_SIZE


def build_compiled_model(est, input_shape, output_shape, seed, n_samples=0):
    """Build the model ``est``'s parameters describe and compile it.

    ``n_samples``: the windows it will train on (at least
    :data:`MANY_SAMPLES`: longer recurrent layers are unrolled).
    """
    return with_fresh_names(
        _build_compiled_model, est, input_shape, output_shape, seed, n_samples
    )


def _build_compiled_model(est, input_shape, output_shape, seed, n_samples):
    check_keras_names(est)
    meta = dict(
        n_timesteps_in=input_shape[0],
        n_features_in=input_shape[1],
        n_steps_out=output_shape[0],
        n_features_out=output_shape[1],
    )
    model = build_model(
        meta,
        architecture=est.architecture,
        n_layers=est.n_layers,
        zero_head=est.linear_path is not None,
        quantiles=quantile_levels(est.loss, est.quantiles),
        units=est.units,
        cell=est.cell,
        activation=est.activation,
        dropout=est.dropout,
        recurrent_dropout=est.recurrent_dropout,
        future=est.future_features is not None,
        many_samples=many_windows(n_samples),
        seed=seed,
    )
    model.compile(**compile_kwargs(est))
    model.optimizer.build(model.trainable_variables)
    return model


_BUILDER_PARAMS = (
    "architecture",
    "n_layers",
    "linear_path",
    "units",
    "cell",
    "activation",
    "dropout",
    "recurrent_dropout",
    "future_features",
)


def network_params(est):
    """The parameters that shape ``est``'s network, as a dict.

    ``quantiles`` is the resolved list of levels the head predicts (None
    for a point loss).
    """
    params = {name: getattr(est, name) for name in _BUILDER_PARAMS}
    if params["future_features"] is not None:  # plain ints, as JSON keeps them
        params["future_features"] = np.atleast_1d(params["future_features"]).tolist()
    levels = quantile_levels(est.loss, est.quantiles)
    return {**params, "quantiles": None if levels is None else list(levels)}


def _structure_changes(est, model, fitted_params, input_shape):
    """What differs between ``model`` and the network ``est`` describes."""
    if fitted_params is not None:
        new = network_params(est)
        return [
            f"{name} (was {fitted_params.get(name)!r}, now {new[name]!r})"
            for name in new
            if fitted_params.get(name) != new[name]
        ]
    # Unknown fitted parameters (an estimator saved by an older version):
    # compare the networks themselves.
    output_shape = model.outputs[0].shape[1:]
    rebuilt = build_compiled_model(est, input_shape, output_shape, seed=0)
    if structure_key(rebuilt) == structure_key(model):
        return []
    return [f"one of {', '.join(_BUILDER_PARAMS)}"]


def warm_start_model(est, model, fitted_params, input_shape):
    """The model a warm-start fit of ``est`` continues: ``model`` or a copy.

    Parameters that shape the network cannot change in a warm start (a
    ValueError names them). The optimizer, its learning rate and the loss
    can: as scikit-learn's ``MLPRegressor`` does, the fit continues with
    the new ones. A changed learning rate is set on the optimizer in place,
    keeping its state; a changed loss, optimizer or optimizer setting gives
    a copy of the model compiled with them, which keeps the optimizer's
    state only if the optimizer is unchanged. ``model`` itself is never
    recompiled, so an interrupted fit leaves it as it was.
    """
    changes = _structure_changes(est, model, fitted_params, input_shape)
    if changes:
        raise ValueError(
            f"warm_start=True continues the fitted network, but "
            f"{', '.join(changes)} changed since it was fitted; set "
            "warm_start=False to fit a new model, or restore the parameter."
        )
    kwargs = with_fresh_names(compile_kwargs, est)
    optimizer, loss = kwargs["optimizer"], kwargs["loss"]
    if not isinstance(optimizer, keras.optimizers.Optimizer):
        optimizer = with_fresh_names(keras.optimizers.get, optimizer)
    same_optimizer = keras_config(optimizer) == keras_config(model.optimizer)
    if same_optimizer and keras_config(loss) == keras_config(model.loss):
        lr = optimizer.get_config().get("learning_rate")
        if isinstance(lr, float) and lr != float(model.optimizer.learning_rate):
            model.optimizer.learning_rate = lr
        return model
    return with_fresh_names(_recompiled_copy, model, optimizer, loss, same_optimizer)


def _recompiled_copy(model, optimizer, loss, keep_state):
    copy = keras.models.clone_model(model)
    copy.set_weights(model.get_weights())
    copy.compile(optimizer=optimizer, loss=loss)
    optimizer.build(copy.trainable_variables)
    if keep_state:  # the same optimizer: its state, with the new learning rate
        lr = optimizer.get_config().get("learning_rate")
        for target, source in zip(optimizer.variables, model.optimizer.variables):
            target.assign(source.value)
        if isinstance(lr, float):
            optimizer.learning_rate = lr
    return copy
