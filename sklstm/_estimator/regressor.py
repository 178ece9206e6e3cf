"""LSTMSeqRegressor: the reference LSTM architectures as a scikit-learn regressor."""

from numbers import Integral, Real

from sklearn.base import RegressorMixin
from sklearn.utils._param_validation import Interval, StrOptions

from .._data.normalization import METHODS as WINDOW_METHODS
from .._data.normalization import SCALES as WINDOW_SCALES
from .._data.reshape import DOC_LINK_TEMPLATE
from .._model.builders import ARCHITECTURES, CELLS
from .._model.linear import LINEAR_PATHS
from .._persistence.files import write
from .._utils.scikeras import BaseWrapper
from .._utils.tf import keras
from .forecasts import SequenceForecasts
from .surface import SciKerasSurface
from .training import SequenceTraining

__all__ = ["LSTMSeqRegressor"]

_AUTO = StrOptions({"auto"})


class LSTMSeqRegressor(
    SequenceTraining, SequenceForecasts, RegressorMixin, SciKerasSurface, BaseWrapper
):
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
    linear_path : {"ridge", "ridge_window"} or None, default="ridge"
        A linear forecast beside the network (LSTNet's autoregressive
        highway), in the model's units: a ridge regression of the targets on
        the flattened window and, with window normalization, each window's
        level, its penalty chosen by leave-one-out (scikit-learn's
        ``RidgeCV``). It is fitted first; the network then learns its
        residuals and starts at zero, so training starts from the ridge
        forecast. "ridge_window": the same without the level, a forecast
        that moves with its window, for one model over many series of
        different levels (:ref:`many_series`). None: the network alone.
        See :ref:`forecasting`.
    n_target_features : int, default=1
        For a 2-D target only: how many output features each output step has.
        Its columns are read time-major (all features of step 1, then of
        step 2, ...), so ``y3d.reshape(n, -1)`` is the matching 2-D target.
    standardize : "auto" or bool, default="auto"
        Centre and scale the inputs (per feature, over samples and timesteps)
        and the targets (per output feature, over samples and output steps)
        of the training data (of the shifted windows, with window
        normalization), and map predictions back. "auto" standardizes for
        saturating activations ("tanh", "sigmoid", ...) and normalized
        windows, not for "relu" on raw windows, which extrapolates past the
        training range only unscaled. ``history_`` losses are in these units.
    window_normalization : {"auto", "last", "mean"} or None, default="auto"
        Shift every window by its own last value ("last") or mean ("mean"),
        per feature, and predict the target as the change from the input
        feature it continues; predictions are shifted back. The model sees
        shapes, not levels, and follows series that drift past every level
        seen in training (RevIN's "subtract last"). One-step windows keep
        their inputs; only the targets are shifted. "auto" is "last" when
        ``target_feature_index`` resolves, else None. Use None when the
        target does not continue the inputs. See :ref:`forecasting`.
    window_scale : {"mean_abs", "log"} or None, default=None
        With window normalization, also divide every window by its own
        scale, and predict the change relative to it; predictions (and
        quantiles, and conformal intervals) are mapped back with the same
        window's scale. One model then sees series of 100 and of 10,000
        alike: meant for many series at once
        (:func:`~sklstm.make_panel_windows`). "mean_abs": the mean absolute
        value of each feature over its timesteps (DeepAR's mean scaling;
        RevIN's full form); a window of zeros keeps scale 1. "log": the
        features the targets continue, and the targets, are taken as
        ``log1p`` (values must be above -1) and forecasts mapped back with
        ``expm1``, so the shift divides by the level: for seasons and
        trends that grow with the level (multiplicative), such as tourist
        numbers or sales. No effect without window normalization.
    future_features : int, list of int or None, default=None
        Input features known over the forecast period (calendar, weather
        forecasts, planned prices). With them every window of ``X`` spans
        the input steps *and* the forecast period: shape ``(n,
        n_steps_in + n_steps_out, features)``, as
        ``make_windows(..., future_columns=...)`` cuts it (static
        covariates too: ``make_panel_windows(..., static=...)``, whose
        ``future_features`` lists them). In the last
        ``n_steps_out`` steps only these features are read (the others may
        be NaN); the encoder-decoders feed them to the decoder step by
        step, the other architectures to their output layer, and the
        linear path sees them too. They keep their level under window
        normalization (only standardized). A feature the target continues
        cannot be one. See :ref:`covariates`.
    target_feature_index : int, list of int or None, default=None
        The input feature each target feature continues (one int for all).
        None: the target's own feature when the feature counts match, the
        only one for one input feature; otherwise it must be given.
    optimizer : str or keras.optimizers.Optimizer, default="adam"
        Keras optimizer; its parameters can be routed as
        ``optimizer__<name>`` (for example ``optimizer__beta_1=0.8``).
    learning_rate : float, default=None
        Learning rate of the optimizer. None keeps the optimizer's default
        (0.001 for Adam). Same as ``optimizer__learning_rate``.
    loss : "quantile", str or keras.losses.Loss, default="mse"
        Keras loss; parameters can be routed as ``loss__<name>``.
        "quantile" trains quantile forecasts of the levels in ``quantiles``
        with the mean pinball loss (as ``HistGradientBoostingRegressor(
        loss="quantile")``, all levels in one network, never crossing);
        ``predict`` then returns the median and :meth:`predict_quantiles`
        every level. See :ref:`prediction_intervals`.
    quantiles : array-like of float, default=None
        With ``loss="quantile"``: the levels to forecast, strictly increasing
        in (0, 1); the median 0.5 is always added. None means
        ``[0.1, 0.5, 0.9]`` (an 80% interval). Must be None for other losses.
    epochs : int, default=100
        Passes over the training data.
    batch_size : int or "auto", default="auto"
        Samples per gradient update. "auto": 32, or 256 on fits of 20,000
        windows or more (many series at once,
        :func:`~sklstm.make_panel_windows`), where 32 would make thousands
        of updates per epoch; the fit's own is ``batch_size_``.
    validation_split : float, default=0.2
        Fraction of the last training samples held out to compute
        ``val_loss`` each epoch (as Keras does: before shuffling): the most
        recent windows of a series, which early stopping and the best-weights
        checkpoint judge by. The linear path is fitted on all samples. 0
        trains the network on every sample, with no validation.
    shuffle : bool, default=True
        Reshuffle the training samples every epoch.
    early_stopping : bool, default=True
        Stop when the monitored loss (``val_loss`` with a validation split,
        else the training ``loss``) has not improved by ``min_delta`` for
        ``patience`` epochs, as Keras's ``EarlyStopping`` does. By default
        the network stops once it no longer improves the forecast of the
        most recent windows: on small, noisy series the network beside the
        linear path otherwise learns the noise (see :ref:`forecasting`).
    patience : int or "auto", default="auto"
        Epochs without improvement before early stopping. "auto": 20, or 10
        on fits of 20,000 windows or more, whose epochs are hundreds of
        updates each.
    min_delta : float, default=0.0
        Smallest decrease of the monitored loss that counts as improvement.
    restore_best_weights : bool, default=True
        End with the weights of the best epoch: the lowest monitored loss
        with early stopping, else, when there is a validation split, the
        lowest ``val_loss`` over all epochs (a best-only checkpoint). On the
        reference many-to-many experiments this halves to thirds the error
        at the test point, which lies past the training range.
    refit_full : bool or "auto", default="auto"
        Once the validation split has told how many epochs to train, train
        a new network on every window (the most recent ones included) for
        that many epochs and keep it; ``refit_epochs_`` records them. "auto"
        refits on 20,000 windows or more, where the validation windows are
        the latest steps of many series (M3 and Tourism: better on every
        such set, see :ref:`many_series`). No refit without a validation
        split, nor in ``partial_fit`` or a warm start; ``callbacks`` run in
        both fits.
    engine : {"auto", "fused", "keras"}, default="auto"
        "fused" runs all epochs inside one compiled TensorFlow graph, many
        times faster than ``model.fit`` on small data; "keras" uses
        ``model.fit``. "auto" picks "fused" unless ``callbacks`` are given,
        which only Keras's own loop can honour.
    callbacks : list of keras.callbacks.Callback, default=None
        Keras callbacks, passed to ``model.fit`` (implies the "keras" engine).
    warm_start : bool, default=False
        When True, a second ``fit`` continues from the fitted weights and
        optimizer state instead of building a new model, with the current
        ``learning_rate``, ``optimizer`` and ``loss`` (the optimizer state is
        kept unless the optimizer changed). Changing a parameter that shapes
        the network raises a ValueError.
    random_state : int, RandomState instance or None, default=None
        Seeds every initializer, dropout mask and the shuffling. An int gives
        the same predictions on every fit, in any process and thread. No
        global seed is set. On GPUs, bit-identical fits also need
        ``tf.config.experimental.enable_op_determinism()``, which sklstm
        leaves to the user because it is process-wide.
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
    n_iter_ : int
        Epochs run: the length of ``history_`` (with ``partial_fit``, all
        epochs so far).
    best_epoch_ : int or None
        0-based index in ``history_`` of the best epoch of the last fit: the
        lowest monitored loss (``val_loss`` with a validation split, else
        ``loss``) as early stopping judges it, ``min_delta`` included. With
        ``restore_best_weights`` (and early stopping or a validation split)
        the model holds this epoch's weights. None if no loss was finite.
    quantiles_ : ndarray of shape (n_levels,) or None
        The quantile levels the model forecasts (None for a point loss).
    best_loss_ : float or None
        The training loss at ``best_epoch_``: without a validation split the
        lowest training loss, as ``MLPRegressor.best_loss_``.
    best_validation_loss_ : float or None
        The validation loss at ``best_epoch_`` (None without a validation
        split): the loss early stopping and the checkpoint judge by.
    stopped_epoch_ : int or None
        0-based index of the epoch at which early stopping ended the last
        fit; None if it ran all its epochs.
    refit_epochs_ : int or None
        Epochs of the network refitted on every window (``refit_full``);
        None when the model is the one the validation split chose.
    batch_size_ : int
        The batch size the last fit trained with (``batch_size`` resolved).
    linear_coef_ : ndarray of shape (n_linear_features, out_steps * \
out_features) or None
        Coefficients of the linear path in the model's units, on the
        flattened window (time-major) followed by the window's level per
        feature (when the path reads it); None without a linear path.
    linear_intercept_ : ndarray of shape (out_steps * out_features,) or None
        Intercepts of the linear path.
    linear_alpha_ : float or None
        The ridge penalty leave-one-out chose for the linear path.
    level_mean_, level_scale_ : ndarray of shape (features,) or None
        Statistics that standardize each window's level for the linear path
        (None without window normalization, with ``linear_path="ridge_window"``
        or without a linear path).
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
    window_normalization_ : {"last", "mean"} or None
        The window normalization the fit used ("auto" resolved).
    window_scale_ : {"mean_abs", "log"} or None
        The window scale the fit used (None without window normalization).
    future_features_ : ndarray of int or None
        The future-known input features, sorted (None without them).
    target_feature_index_ : ndarray of shape (out_features,) or None
        The input feature each target feature continues (None without
        window normalization).
    x_mean_, x_scale_ : ndarray of shape (features,) or None
        Statistics used to standardize the inputs (None without
        ``standardize``).
    y_mean_, y_scale_ : ndarray of shape (out_features,) or None
        Statistics used to standardize the targets (None without
        ``standardize``).

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
        "linear_path": [StrOptions(set(LINEAR_PATHS)), None],
        "n_target_features": [Interval(Integral, 1, None, closed="left")],
        "standardize": [_AUTO, "boolean"],
        "window_normalization": [StrOptions({"auto", *WINDOW_METHODS}), None],
        "window_scale": [StrOptions(set(WINDOW_SCALES)), None],
        "future_features": [Integral, "array-like", None],
        "target_feature_index": [Integral, "array-like", None],
        "optimizer": [str, keras.optimizers.Optimizer, type],
        "learning_rate": [Interval(Real, 0, None, closed="neither"), None],
        "loss": [str, keras.losses.Loss, callable],
        "quantiles": ["array-like", Real, None],
        "epochs": [Interval(Integral, 1, None, closed="left")],
        "batch_size": [Interval(Integral, 1, None, closed="left"), _AUTO],
        "validation_split": [Interval(Real, 0, 1, closed="left")],
        "shuffle": ["boolean"],
        "early_stopping": ["boolean"],
        "patience": [Interval(Integral, 0, None, closed="left"), _AUTO],
        "min_delta": [Interval(Real, 0, None, closed="left")],
        "restore_best_weights": ["boolean"],
        "refit_full": ["boolean", _AUTO],
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
        linear_path="ridge",
        n_target_features=1,
        standardize="auto",
        window_normalization="auto",
        window_scale=None,
        future_features=None,
        target_feature_index=None,
        optimizer="adam",
        learning_rate=None,
        loss="mse",
        quantiles=None,
        epochs=100,
        batch_size="auto",
        validation_split=0.2,
        shuffle=True,
        early_stopping=True,
        patience="auto",
        min_delta=0.0,
        restore_best_weights=True,
        refit_full="auto",
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
        self.linear_path = linear_path
        self.n_target_features = n_target_features
        self.standardize = standardize
        self.window_normalization = window_normalization
        self.window_scale = window_scale
        self.future_features = future_features
        self.target_feature_index = target_feature_index
        self.optimizer = optimizer
        self.learning_rate = learning_rate
        self.loss = loss
        self.quantiles = quantiles
        self.epochs = epochs
        self.batch_size = batch_size
        self.validation_split = validation_split
        self.shuffle = shuffle
        self.early_stopping = early_stopping
        self.patience = patience
        self.min_delta = min_delta
        self.restore_best_weights = restore_best_weights
        self.refit_full = refit_full
        self.engine = engine
        self.callbacks = callbacks
        self.warm_start = warm_start
        self.random_state = random_state
        self.verbose = verbose
        vars(self).update(kwargs)
        # Which attributes the keywords made parameters (fit refuses the
        # unrouted ones); attributes set later on the instance are not.
        self._kwargs = tuple(kwargs)

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

    def save(self, path):
        """Save the fitted estimator in sklstm's safe, shareable format.

        Unlike pickle or joblib files, which can run arbitrary code when
        loaded, the file holds only the Keras model in Keras's native
        ``.keras`` format and plain JSON. Load it with :func:`sklstm.load`.

        Parameters
        ----------
        path : str, path-like or binary file object
            Where to write; ``.sklstm`` is the customary extension.

        See Also
        --------
        sklstm.load : Load the file, running no code from it.
        sklstm.save : The same as a function: its errors and an example.
        """
        write(self, path, LSTMSeqRegressor)

    def __repr__(self, N_CHAR_MAX=700):
        return super(BaseWrapper, self).__repr__(N_CHAR_MAX)
