"""LSTMSeqRegressor: the reference LSTM architectures as a scikit-learn regressor."""

import contextlib
import inspect
import types
from numbers import Integral, Real

import numpy as np
from sklearn.base import RegressorMixin, _fit_context
from sklearn.metrics import r2_score
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import check_is_fitted

from . import _validation as V
from ._builders import ARCHITECTURES, CELLS, build_model
from ._engine import fused_fit, make_predict_function
from ._keras_loop import check_finite_history, check_loss_did_not_explode, keras_fit
from ._reshape import DOC_LINK_TEMPLATE
from ._scikeras import (
    BaseWrapper,
    get_loss_class_function_or_string,
    get_optimizer_class,
    route_params,
    try_to_convert_strings_to_classes,
    unflatten_params,
)
from ._tf import keras, tf

__all__ = ["LSTMSeqRegressor"]

_ROUTED = ("optimizer", "loss")


@contextlib.contextmanager
def _deterministic_ops(wanted):
    """Enable TensorFlow's op determinism for one fit, then restore the setting.

    Only needed on GPUs: on CPUs the kernels sklstm uses are deterministic
    already (two fits with one seed give bit-identical weights), and the
    switch would cost time for nothing.
    """
    from tensorflow.python.framework import config as cfg

    if not wanted or cfg.is_op_determinism_enabled():
        yield
        return
    if not tf.config.list_physical_devices("GPU"):
        yield
        return
    cfg.enable_op_determinism()
    try:
        yield
    finally:
        cfg.disable_op_determinism()


def _predict_function(model):
    """The model's compiled forward pass, cached on the model itself.

    Cached outside the estimator's ``__dict__``, which ``predict`` must not
    change; a plain namespace is neither tracked nor saved by Keras.
    """
    cache = getattr(model, "_sklstm_predict", None)
    if cache is None:
        cache = model._sklstm_predict = types.SimpleNamespace(
            fn=make_predict_function(model)
        )
    return cache.fn


class LSTMSeqRegressor(RegressorMixin, BaseWrapper):
    """LSTM regressor for one-to-many and many-to-many sequence problems.

    Wraps the classic Keras LSTM architectures through SciKeras so that they
    work with every scikit-learn tool: ``Pipeline``, ``GridSearchCV``,
    ``cross_val_score``, ``clone``, pickling. No model function to write.

    Read more in the :ref:`User Guide <user_guide>`.

    Parameters
    ----------
    architecture : {"simple", "stacked", "bidirectional", "encoder_decoder", \
"bidirectional_encoder_decoder"}, default="stacked"
        "simple", "stacked" and "bidirectional" end in one vector and a
        ``Dense`` head that predicts the flattened target (one-to-many);
        the encoder-decoders repeat the encoder's state once per output step
        and decode it with ``TimeDistributed(Dense)`` (many-to-many).
    units : int, default=50
        Units of every recurrent layer.
    n_layers : int, default=None
        Depth of the recurrent stack (encoder and decoder each, for the
        encoder-decoders). None means the reference depth: 2 for "stacked",
        1 for the others.
    cell : {"lstm", "gru"}, default="lstm"
        Recurrent cell.
    activation : str, default="tanh"
        Activation of the recurrent layers. The reference tutorial uses
        "relu"; "tanh" is Keras's default and allows the cuDNN kernel on GPUs.
    dropout : float, default=0.0
        Dropout on the inputs of every recurrent layer.
    recurrent_dropout : float, default=0.0
        Dropout on the recurrent state of every recurrent layer.
    n_target_features : int, default=1
        For a 2-D target only: how many output features each output step has.
        Its columns are read time-major (all features of step 1, then of
        step 2, ...), so ``y3d.reshape(n, -1)`` is the matching 2-D target.
    optimizer : str or keras.optimizers.Optimizer, default="adam"
        Keras optimizer; its parameters can be routed as
        ``optimizer__<name>`` (for example ``optimizer__beta_1=0.8``).
    learning_rate : float, default=None
        Learning rate of the optimizer. None keeps the optimizer's default
        (0.001 for Adam). Same as ``optimizer__learning_rate``.
    loss : str or keras.losses.Loss, default="mse"
        Keras loss; parameters can be routed as ``loss__<name>``.
    epochs : int, default=100
        Passes over the training data.
    batch_size : int, default=32
        Samples per gradient update.
    validation_split : float, default=0.0
        Fraction of the last training samples held out to compute
        ``val_loss`` each epoch (as Keras does: before shuffling).
    shuffle : bool, default=True
        Reshuffle the training samples every epoch.
    early_stopping : bool, default=False
        Stop when the monitored loss (``val_loss`` with a validation split,
        else the training ``loss``) has not improved by ``min_delta`` for
        ``patience`` epochs, as Keras's ``EarlyStopping`` does.
    patience : int, default=10
        Epochs without improvement before early stopping.
    min_delta : float, default=0.0
        Smallest decrease of the monitored loss that counts as improvement.
    restore_best_weights : bool, default=True
        With early stopping, end with the weights of the best epoch.
    engine : {"auto", "fused", "keras"}, default="auto"
        "fused" runs all epochs inside one compiled TensorFlow graph, many
        times faster than ``model.fit`` on small data; "keras" uses
        ``model.fit``. "auto" picks "fused" unless ``callbacks`` are given,
        which only Keras's own loop can honour.
    callbacks : list of keras.callbacks.Callback, default=None
        Keras callbacks, passed to ``model.fit`` (implies the "keras" engine).
    warm_start : bool, default=False
        When True, a second ``fit`` continues from the fitted weights and
        optimizer state instead of building a new model.
    random_state : int, RandomState instance or None, default=None
        Seeds every initializer, dropout mask and the shuffling. An int gives
        the same predictions on every fit.
    verbose : int, default=0
        0 prints nothing; 1 shows training progress.
    **kwargs : dict
        Routed parameters for the optimizer (``optimizer__*``) and the loss
        (``loss__*``), SciKeras style.

    Attributes
    ----------
    model_ : keras.Model
        The fitted Keras model.
    history_ : dict of list
        Per-epoch ``loss`` (and ``val_loss`` with a validation split).
    n_features_in_ : int
        ``X.shape[1]`` as seen in fit: the number of timesteps.
    feature_names_in_ : ndarray of str
        Column names, when fit was given a DataFrame with string columns.
    input_shape_ : tuple of int
        ``(timesteps, features)`` of one input sample.
    output_shape_ : tuple of int
        ``(out_steps, out_features)`` that the model predicts per sample.
    target_shape_ : tuple of int
        Shape of one target sample as given to fit; ``predict`` returns it.

    See Also
    --------
    SequenceReshaper : Turn 2-D tables into 3-D sequences inside a Pipeline.
    make_windows : Cut a long series into supervised windows.

    Examples
    --------
    >>> import numpy as np
    >>> from sklstm import LSTMSeqRegressor
    >>> X = np.arange(1, 46, 3, dtype=float).reshape(15, 1, 1)
    >>> y = np.hstack([X[:, 0] + 1, X[:, 0] + 2])
    >>> est = LSTMSeqRegressor(architecture="simple", epochs=3, random_state=0)
    >>> est.fit(X, y).predict(X[:2]).shape
    (2, 2)
    """

    _doc_link_module = "sklstm"
    _doc_link_template = DOC_LINK_TEMPLATE
    _parameter_constraints = {
        "architecture": [StrOptions(set(ARCHITECTURES))],
        "units": [Interval(Integral, 1, None, closed="left")],
        "n_layers": [Interval(Integral, 1, None, closed="left"), None],
        "cell": [StrOptions(set(CELLS))],
        "activation": [str, callable],
        "dropout": [Interval(Real, 0, 1, closed="left")],
        "recurrent_dropout": [Interval(Real, 0, 1, closed="left")],
        "n_target_features": [Interval(Integral, 1, None, closed="left")],
        "optimizer": [str, keras.optimizers.Optimizer, type],
        "learning_rate": [Interval(Real, 0, None, closed="neither"), None],
        "loss": [str, keras.losses.Loss, callable],
        "epochs": [Interval(Integral, 1, None, closed="left")],
        "batch_size": [Interval(Integral, 1, None, closed="left")],
        "validation_split": [Interval(Real, 0, 1, closed="left")],
        "shuffle": ["boolean"],
        "early_stopping": ["boolean"],
        "patience": [Interval(Integral, 0, None, closed="left")],
        "min_delta": [Interval(Real, 0, None, closed="left")],
        "restore_best_weights": ["boolean"],
        "engine": [StrOptions({"auto", "fused", "keras"})],
        "callbacks": [list, None],
        "warm_start": ["boolean"],
        "random_state": ["random_state"],
        "verbose": ["verbose"],
    }

    def __init__(
        self,
        *,
        architecture="stacked",
        units=50,
        n_layers=None,
        cell="lstm",
        activation="tanh",
        dropout=0.0,
        recurrent_dropout=0.0,
        n_target_features=1,
        optimizer="adam",
        learning_rate=None,
        loss="mse",
        epochs=100,
        batch_size=32,
        validation_split=0.0,
        shuffle=True,
        early_stopping=False,
        patience=10,
        min_delta=0.0,
        restore_best_weights=True,
        engine="auto",
        callbacks=None,
        warm_start=False,
        random_state=None,
        verbose=0,
        **kwargs,
    ):
        self.architecture = architecture
        self.units = units
        self.n_layers = n_layers
        self.cell = cell
        self.activation = activation
        self.dropout = dropout
        self.recurrent_dropout = recurrent_dropout
        self.n_target_features = n_target_features
        self.optimizer = optimizer
        self.learning_rate = learning_rate
        self.loss = loss
        self.epochs = epochs
        self.batch_size = batch_size
        self.validation_split = validation_split
        self.shuffle = shuffle
        self.early_stopping = early_stopping
        self.patience = patience
        self.min_delta = min_delta
        self.restore_best_weights = restore_best_weights
        self.engine = engine
        self.callbacks = callbacks
        self.warm_start = warm_start
        self.random_state = random_state
        self.verbose = verbose
        vars(self).update(kwargs)

    # ----------------------------------------------------------------- tags
    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.three_d_array = True
        tags.target_tags.required = True
        tags.target_tags.single_output = True
        tags.target_tags.multi_output = True
        tags.regressor_tags.poor_score = True
        return tags

    def __sklearn_is_fitted__(self):
        return hasattr(self, "model_")

    # ------------------------------------------------------------- building
    def _routed_params(self):
        """Check the ``**kwargs`` parameters; return them by destination."""
        named = set(inspect.signature(type(self).__init__).parameters)
        extra = {k: v for k, v in self.get_params().items() if k not in named}
        bad = [k for k in extra if k.split("__")[0] not in _ROUTED or "__" not in k]
        if bad:
            raise TypeError(
                f"{type(self).__name__} got unknown parameter(s) {sorted(bad)}; "
                "besides its named parameters it accepts only routed ones, "
                "optimizer__<name> and loss__<name>."
            )
        return extra

    def _compile_kwargs(self):
        params = self._routed_params()
        opt_params = route_params(params, "optimizer", pass_filter=set(), strict=True)
        if self.learning_rate is not None:
            if "learning_rate" in opt_params:
                raise ValueError(
                    "learning_rate and optimizer__learning_rate are both set; "
                    "set only one of them."
                )
            opt_params["learning_rate"] = self.learning_rate
        optimizer = self.optimizer
        if isinstance(optimizer, keras.optimizers.Optimizer):
            # A fresh copy per fit: optimizer instances carry training state.
            config = {**optimizer.get_config(), **opt_params}
            optimizer = type(optimizer).from_config(config)
        else:
            optimizer = try_to_convert_strings_to_classes(
                optimizer, get_optimizer_class
            )
            optimizer = unflatten_params(items=optimizer, params=opt_params)
        loss = try_to_convert_strings_to_classes(
            self.loss, get_loss_class_function_or_string
        )
        loss_params = route_params(params, "loss", pass_filter=set(), strict=False)
        loss = unflatten_params(items=loss, params=loss_params)
        return {"optimizer": optimizer, "loss": loss}

    def _build(self, input_shape, output_shape, seed):
        meta = dict(
            n_timesteps_in=input_shape[0],
            n_features_in=input_shape[1],
            n_steps_out=output_shape[0],
            n_features_out=output_shape[1],
        )
        try:
            model = build_model(
                meta,
                architecture=self.architecture,
                n_layers=self.n_layers,
                units=self.units,
                cell=self.cell,
                activation=self.activation,
                dropout=self.dropout,
                recurrent_dropout=self.recurrent_dropout,
                seed=seed,
            )
            compile_kwargs = self._compile_kwargs()
        except ValueError as exc:
            if "Could not interpret" not in str(exc):
                raise
            raise ValueError(
                f"{exc}. Check activation={self.activation!r}, optimizer="
                f"{self.optimizer!r} and loss={self.loss!r}: use Keras names such "
                "as 'tanh', 'adam' and 'mse'."
            ) from None
        model.compile(**compile_kwargs)
        return model

    # -------------------------------------------------------------- fitting
    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y, sample_weight=None):
        """Build a new model (unless ``warm_start``) and train it on (X, y).

        Parameters
        ----------
        X : array-like of shape (n_samples, timesteps) or \
(n_samples, timesteps, features)
            Input sequences. A 2-D X is read as univariate series (one
            feature, every column a timestep).
        y : array-like of shape (n_samples,), (n_samples, n_outputs) or \
(n_samples, out_steps, out_features)
            Targets. ``predict`` returns the same shape.
        sample_weight : array-like of shape (n_samples,), default=None
            Per-sample weights; samples of weight zero are left out.

        Returns
        -------
        self : LSTMSeqRegressor
            The fitted estimator.
        """
        return self._fit(X, y, sample_weight, epochs=self.epochs, partial=False)

    def partial_fit(self, X, y, sample_weight=None):
        """Train for one more epoch, keeping weights, optimizer and history.

        Parameters
        ----------
        X : array-like of shape (n_samples, timesteps) or \
(n_samples, timesteps, features)
            Input sequences.
        y : array-like of shape (n_samples,), (n_samples, n_outputs) or \
(n_samples, out_steps, out_features)
            Targets.
        sample_weight : array-like of shape (n_samples,), default=None
            Per-sample weights.

        Returns
        -------
        self : LSTMSeqRegressor
            The updated estimator.
        """
        if not hasattr(self, "model_"):
            self._validate_params()
        return self._fit(X, y, sample_weight, epochs=1, partial=True)

    def _fit(self, X, y, sample_weight, *, epochs, partial):
        reuse = (partial or self.warm_start) and hasattr(self, "model_")
        with self._transaction(reuse):
            X = V.check_sequences(self, X, reset=not reuse)
            y3, target_shape = V.check_targets(y, len(X), self.n_target_features)
            X, y3, w = V.check_weights(sample_weight, X, y3)
            V.check_split(len(X), self.validation_split)
            if reuse and y3.shape[1:] != self.output_shape_:
                raise ValueError(
                    f"y has per-sample shape {y3.shape[1:]} but the fitted model "
                    f"predicts {self.output_shape_}; set warm_start=False to fit "
                    "a new model."
                )
            rng = check_random_state(self.random_state)
            build_seed, shuffle_seed = (int(s) for s in rng.randint(2**31 - 1, size=2))
            if reuse:
                model, initial_epoch = self.model_, len(self.history_.get("loss", []))
                initial_epoch = initial_epoch if partial else 0
            else:
                model = self._build(X.shape[1:], y3.shape[1:], build_seed)
                initial_epoch = 0
            with _deterministic_ops(self.random_state is not None):
                history = self._train(
                    model, X, y3, w, epochs, shuffle_seed, initial_epoch
                )
            check_loss_did_not_explode(history["loss"][initial_epoch:])
            if partial and reuse:
                history = {k: self.history_.get(k, []) + v for k, v in history.items()}
            self.model_ = model
            self.history_ = history
            self.input_shape_ = tuple(X.shape[1:])
            self.output_shape_ = tuple(y3.shape[1:])
            self.target_shape_ = tuple(target_shape)
        return self

    def _engine_name(self):
        if self.engine == "auto":
            return "keras" if self.callbacks else "fused"
        if self.engine == "fused" and self.callbacks:
            raise ValueError(
                "engine='fused' cannot run Keras callbacks; use engine='keras' "
                "(or 'auto') with callbacks, or drop the callbacks."
            )
        return self.engine

    def _train(self, model, X, y, w, epochs, seed, initial_epoch):
        """Train ``model`` in place with the chosen engine; return the history."""
        monitor = "val_loss" if self.validation_split else "loss"
        es = None
        if self.early_stopping:
            es = dict(
                monitor=monitor,
                patience=self.patience,
                min_delta=self.min_delta,
                restore_best_weights=self.restore_best_weights,
            )
        common = dict(
            sample_weight=w,
            batch_size=self.batch_size,
            validation_split=self.validation_split,
            shuffle=self.shuffle,
            early_stopping=es,
            verbose=self.verbose,
            initial_epoch=initial_epoch,
        )
        if self._engine_name() == "keras":
            history = keras_fit(
                model,
                X,
                y,
                epochs=epochs,
                seed=seed + initial_epoch,
                callbacks=self.callbacks or (),
                **common,
            )
            check_finite_history(history)
            return history
        return fused_fit(
            model, X, y, epochs=initial_epoch + epochs, seed=seed, **common
        ).history

    @contextlib.contextmanager
    def _transaction(self, reuse):
        """Leave the estimator as it was if the block raises (or is interrupted)."""
        saved = dict(self.__dict__)
        weights = self.model_.get_weights() if reuse else None
        opt_vars = (
            [v.numpy() for v in self.model_.optimizer.variables] if reuse else None
        )
        try:
            yield
        except BaseException:
            if reuse:
                saved["model_"].set_weights(weights)
                for var, value in zip(saved["model_"].optimizer.variables, opt_vars):
                    var.assign(value)
            self.__dict__.clear()
            self.__dict__.update(saved)
            raise

    # ----------------------------------------------------------- predicting
    def predict(self, X):
        """Predict targets for the sequences X.

        Parameters
        ----------
        X : array-like of shape (n_samples, timesteps) or \
(n_samples, timesteps, features)
            Input sequences, shaped like those given to ``fit``.

        Returns
        -------
        y_pred : ndarray
            Predictions, of shape ``(n_samples,) + target_shape_``: the shape
            of the target given to ``fit``.
        """
        check_is_fitted(self)
        X = V.check_sequences(self, X, reset=False)
        y_pred = _predict_function(self.model_)(X)
        if not np.all(np.isfinite(y_pred)):
            raise ValueError(
                "the model predicts NaN or inf for this X: its weights or the "
                "inputs are out of range. Scale X (StandardScaler) and refit with "
                "a lower learning_rate."
            )
        return y_pred.reshape((len(X),) + self.target_shape_).astype(
            np.float64, copy=False
        )

    def score(self, X, y, sample_weight=None):
        """Return the coefficient of determination R² of the prediction.

        Multi-step targets are flattened to ``(n_samples, -1)`` and the R² of
        every output is averaged uniformly.

        Parameters
        ----------
        X : array-like of shape (n_samples, timesteps) or \
(n_samples, timesteps, features)
            Test sequences.
        y : array-like
            True targets, shaped like those given to ``fit``.
        sample_weight : array-like of shape (n_samples,), default=None
            Sample weights.

        Returns
        -------
        score : float
            R² of ``self.predict(X)`` against ``y``.
        """
        y_pred = self.predict(X)
        y = np.asarray(y)
        if y.ndim > 2:
            y, y_pred = y.reshape(len(y), -1), y_pred.reshape(len(y_pred), -1)
        return r2_score(y, y_pred, sample_weight=sample_weight)

    def __repr__(self, N_CHAR_MAX=700):
        return super(BaseWrapper, self).__repr__(N_CHAR_MAX)
