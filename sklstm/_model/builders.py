"""Keras model builders for the reference LSTM architectures.

Plain functions that know nothing of scikit-learn: given the shapes of one
sample (``meta``) and a few hyperparameters they return an uncompiled
:class:`keras.Model`. Every model maps ``(n, timesteps, features)`` to
``(n, out_steps, out_features)``, so the estimator handles one output layout
whatever the architecture.

Every initializer (and every dropout mask) gets an explicit seed derived from
``seed``: Keras 3 layers created without one draw from Python's global
``random`` module, which other threads of the same process also draw from.
"""

from .._utils.seeds import LayerSeeds
from .._utils.tf import keras
from .architectures import ARCHITECTURES, CELL_LAYERS, REGISTRY
from .quantiles import NonCrossingQuantiles

__all__ = ["ARCHITECTURES", "CELLS", "build_model"]

#: The recurrent cells :func:`build_model` knows (see
#: :mod:`sklstm._model.architectures`, which also lists the architectures).
CELLS = {name: getattr(keras.layers, layer) for name, layer in CELL_LAYERS.items()}

#: Recurrent layers over at most this many steps are unrolled: for short
#: sequences this trains about 1.5-2x faster and traces faster than a
#: ``tf.while_loop`` over the steps (measured on the reference experiments).
UNROLL_MAX_STEPS = 16

#: For a fit on many windows (``many_samples=True``), recurrent layers over
#: at most this many steps are unrolled too: the longer trace is paid back
#: within a few epochs. Measured on two cores, batch 256: 80,000 random
#: windows of 36 steps, an epoch without validation 15.5 s rolled, 8.2 s
#: unrolled (about 20 s more tracing); Tourism monthly's 78,902 windows with
#: early stopping's validation split, 19.8 s against 18.4 s.
UNROLL_MAX_STEPS_MANY = 64


def _recurrent(
    cell,
    units,
    *,
    seeds,
    return_sequences,
    steps,
    unroll_max,
    go_backwards=False,
    **kw,
):
    return CELLS[cell](
        units,
        return_sequences=return_sequences,
        go_backwards=go_backwards,
        unroll=steps <= unroll_max,
        kernel_initializer=keras.initializers.GlorotUniform(seed=seeds()),
        recurrent_initializer=keras.initializers.Orthogonal(seed=seeds()),
        seed=seeds(),
        **kw,
    )


def _recurrent_block(x, *, bidirectional, return_sequences, seeds, cell, units, **kw):
    """One recurrent layer, or a Bidirectional pair with distinct seeds."""
    kw["steps"] = x.shape[1]
    forward = _recurrent(
        cell, units, seeds=seeds, return_sequences=return_sequences, **kw
    )
    if not bidirectional:
        return forward(x)
    # An explicit backward layer: Keras would otherwise clone the forward
    # layer's config, seeds included, and both directions would start equal.
    backward = _recurrent(
        cell,
        units,
        seeds=seeds,
        return_sequences=return_sequences,
        go_backwards=True,
        **kw,
    )
    return keras.layers.Bidirectional(forward, backward_layer=backward)(x)


def _dense(units, seeds, activation=None):
    return keras.layers.Dense(
        units,
        activation=activation,
        kernel_initializer=keras.initializers.GlorotUniform(seed=seeds()),
    )


def _head(units, seeds, zero_head):
    """The output ``Dense``; all zeros at start with ``zero_head``."""
    if zero_head:
        return keras.layers.Dense(units, kernel_initializer="zeros")
    return _dense(units, seeds)


def _quantile_head(x, quantiles):
    """Reshape ``(..., f * k)`` outputs to ``(..., f, k)`` increasing quantiles."""
    if quantiles is None:
        return x
    k, levels = len(quantiles), [float(q) for q in quantiles]
    if 0.5 not in levels or levels != sorted(set(levels)):
        raise ValueError(
            f"quantiles={levels} must be increasing and include the median 0.5, "
            f"which the other levels are built around; pass {sorted({*levels, 0.5})}."
        )
    x = keras.layers.Reshape((*x.shape[1:-1], x.shape[-1] // k, k))(x)
    return NonCrossingQuantiles(levels.index(0.5))(x)


def _check_meta(meta):
    keys = ("n_timesteps_in", "n_features_in", "n_steps_out", "n_features_out")
    missing = [k for k in keys if k not in meta]
    if missing:
        raise ValueError(f"meta lacks {missing}; it needs all of {list(keys)}.")
    return tuple(int(meta[k]) for k in keys)


def _vector_stack(x, ahead, n_layers, s_out, f_out, k, head, block, hidden):
    """The "vector" family: a stack ending in one vector, a ``Dense`` head.

    The forecast period's covariates ``ahead``, if any, join the vector
    through a ``hidden`` relu layer, so that they act on the forecast
    nonlinearly and together with the past (a head alone would add them
    linearly, as the linear path already does).
    """
    for i in range(n_layers):
        x = block(x, return_sequences=i < n_layers - 1)
    if ahead is not None:
        x = keras.layers.Concatenate()([x, keras.layers.Flatten()(ahead)])
        x = hidden(x)
    x = head(s_out * f_out * k)(x)
    return keras.layers.Reshape((s_out, f_out * k))(x)


def _encoder_decoder_stack(x, ahead, n_layers, s_out, f_out, k, head, block, hidden):
    """The "encoder_decoder" family: encoder, ``RepeatVector``, decoder, per
    step; the decoder reads each step's covariates ``ahead``, if any."""
    for i in range(n_layers):
        x = block(x, return_sequences=i < n_layers - 1)
    x = keras.layers.RepeatVector(s_out)(x)
    if ahead is not None:
        x = keras.layers.Concatenate()([x, ahead])
    for _ in range(n_layers):
        x = block(x, return_sequences=True)
    return keras.layers.TimeDistributed(head(f_out * k))(x)


def build_model(
    meta,
    *,
    architecture="stacked",
    n_layers=None,
    zero_head=False,
    quantiles=None,
    units=50,
    cell="lstm",
    activation="tanh",
    dropout=0.0,
    recurrent_dropout=0.0,
    future=False,
    many_samples=False,
    seed=None,
):
    """Build one of the five reference architectures by name.

    The "vector" family ("simple", "stacked", "bidirectional") is a
    recurrent stack ending in one vector and a ``Dense`` head that predicts
    all ``n_steps_out * n_features_out`` values at once (one-to-many). The
    "encoder_decoder" family repeats the encoder's last state once per output
    step (``RepeatVector``), decodes it with as many recurrent layers and maps
    each step with ``TimeDistributed(Dense)`` (many-to-many).

    Parameters
    ----------
    meta : dict
        Shapes of one sample: ``n_timesteps_in``, ``n_features_in``,
        ``n_steps_out`` and ``n_features_out``.
    architecture : {"simple", "stacked", "bidirectional", "encoder_decoder", \
"bidirectional_encoder_decoder"}, default="stacked"
        Which model to build.
    n_layers : int or None, default=None
        Depth of the recurrent stack (of the encoder and of the decoder for
        the encoder-decoders). None means the reference depth: 2 for
        "stacked", 1 otherwise. "simple" is always one layer.
    zero_head : bool, default=False
        Start the output layer at zero, so that the untrained model predicts
        zero: for a network that learns the residuals of another model (the
        estimator's ``linear_path``), which its training then starts from.
    quantiles : sequence of float or None, default=None
        Predict these quantile levels (increasing, 0.5 among them) of every
        target value: the output gains a last axis, one per level, whose
        values never cross (see :mod:`sklstm._model.quantiles`).
    units : int, default=50
        Units of every recurrent layer (the reference tutorial uses 50 for
        the vector family and 100 for the encoder-decoders).
    cell : {"lstm", "gru"}, default="lstm"
        Recurrent cell.
    activation : str, default="tanh"
        Activation of the recurrent layers.
    dropout, recurrent_dropout : float, default=0.0
        Dropout on the inputs and on the recurrent state of every layer.
    future : bool, default=False
        The input's last ``n_steps_out`` steps are the forecast period, with
        the covariates known ahead (and zeros for the rest): the recurrent
        stack reads the steps before them; the forecast period goes, with
        the encoding, through a relu ``Dense`` of ``units`` before the head
        (vector family) or into the decoder, step by step
        (encoder-decoders).
    many_samples : bool, default=False
        The model will train on many windows: unroll recurrent layers up to
        :data:`UNROLL_MAX_STEPS_MANY` steps instead of
        :data:`UNROLL_MAX_STEPS` (faster epochs for a longer trace).
    seed : int or None, default=None
        Root seed for every initializer and dropout mask.

    Returns
    -------
    model : keras.Model
        Uncompiled model from ``(timesteps, features)`` to
        ``(n_steps_out, n_features_out)`` (and ``len(quantiles)``).

    Examples
    --------
    >>> meta = dict(n_timesteps_in=3, n_features_in=2, n_steps_out=3,
    ...             n_features_out=1)
    >>> build_model(meta, architecture="bidirectional", units=8).output_shape
    (None, 3, 1)
    >>> meta = dict(n_timesteps_in=3, n_features_in=1, n_steps_out=3,
    ...             n_features_out=1)
    >>> build_model(meta, architecture="encoder_decoder", units=100).count_params()
    121301
    """
    if architecture not in REGISTRY:
        raise ValueError(
            f"architecture={architecture!r} is unknown; use one of {ARCHITECTURES}."
        )
    arch = REGISTRY[architecture]
    if n_layers is None:
        n_layers = arch.default_layers
    if arch.fixed_layers and n_layers != arch.default_layers:
        deeper = [
            f"architecture={a.name!r}"
            for a in REGISTRY.values()
            if not a.fixed_layers
            and (a.family, a.bidirectional) == (arch.family, arch.bidirectional)
        ]
        n = arch.default_layers
        layers = "one recurrent layer" if n == 1 else f"{n} recurrent layers"
        raise ValueError(
            f"architecture={architecture!r} has exactly {layers}, got "
            f"n_layers={n_layers}; use "
            f"{' or '.join(deeper)} for another depth."
        )
    t_in, f_in, s_out, f_out = _check_meta(meta)
    if future and t_in <= s_out:
        raise ValueError(
            f"future=True needs inputs longer than the {s_out} forecast steps "
            f"they end with; got n_timesteps_in={t_in}."
        )
    seeds = LayerSeeds(seed)

    def block(x, return_sequences):
        return _recurrent_block(
            x,
            return_sequences=return_sequences,
            bidirectional=arch.bidirectional,
            seeds=seeds,
            cell=cell,
            units=units,
            activation=activation,
            dropout=dropout,
            recurrent_dropout=recurrent_dropout,
            unroll_max=UNROLL_MAX_STEPS_MANY if many_samples else UNROLL_MAX_STEPS,
        )

    def head(n_outputs):
        return _head(n_outputs, seeds, zero_head)

    def hidden(x):
        return _dense(units, seeds, activation="relu")(x)

    inputs = keras.Input((t_in, f_in))
    x, ahead = inputs, None
    if future:  # the steps before the forecast period, and the period itself
        x = keras.layers.Cropping1D((0, s_out))(inputs)
        ahead = keras.layers.Cropping1D((t_in - s_out, 0))(inputs)
    k = 1 if quantiles is None else len(quantiles)
    family = _FAMILIES[arch.family]
    x = family(x, ahead, n_layers, s_out, f_out, k, head, block, hidden)
    return keras.Model(inputs, _quantile_head(x, quantiles))


#: The body of each architecture family of :mod:`sklstm._model.architectures`.
_FAMILIES = {"vector": _vector_stack, "encoder_decoder": _encoder_decoder_stack}
