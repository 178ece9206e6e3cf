"""SequenceFlattener: 3-D sequences into 2-D rows, for tabular estimators.

The inverse of :class:`~sklstm.SequenceReshaper`
(:mod:`sklstm._data.reshape`), in the same time-major column order.
"""

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin, _fit_context
from sklearn.utils.validation import (
    _check_feature_names_in,
    check_is_fitted,
    validate_data,
)

from .reshape import DOC_LINK_TEMPLATE, _ndim, _shape

__all__ = ["SequenceFlattener"]


class SequenceFlattener(TransformerMixin, BaseEstimator):
    """Flatten 3-D sequences into 2-D rows for tabular estimators.

    Turns ``X`` of shape ``(n_samples, timesteps, n_features)`` into an array
    of shape ``(n_samples, timesteps * n_features)`` in *time-major* order
    (all features of step 1, then all features of step 2, ...), i.e.
    ``X.reshape(n_samples, -1)``; the result is a view whenever the input is
    C-contiguous. 2-D input passes through unchanged, so the flattener can
    sit in front of any scikit-learn estimator in a
    :class:`~sklearn.pipeline.Pipeline`. Missing values are passed through.

    Attributes
    ----------
    input_shape_ : tuple of int
        Per-sample shape seen during :term:`fit`: ``(timesteps, n_features)``
        for 3-D input, ``(n_features,)`` for 2-D input. :meth:`transform`
        requires the same per-sample shape.

    n_features_in_ : int
        ``X.shape[1]`` during :term:`fit`, as for every scikit-learn
        estimator: the number of columns for 2-D input and the number of
        timesteps for 3-D input. Use `input_shape_` for the full shape.

    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of the columns seen during :term:`fit`. Defined only when `X`
        is a DataFrame whose column names are all strings.

    See Also
    --------
    SequenceReshaper : The reverse operation, 2-D rows to 3-D sequences.

    Examples
    --------
    >>> import numpy as np
    >>> from sklstm import SequenceFlattener
    >>> X = np.arange(8.0).reshape(2, 2, 2)  # 2 samples, 2 steps, 2 features
    >>> flattener = SequenceFlattener().fit(X)
    >>> flattener.transform(X)
    array([[0., 1., 2., 3.],
           [4., 5., 6., 7.]])
    >>> flattener.get_feature_names_out().tolist()
    ['x0_t0', 'x1_t0', 'x0_t1', 'x1_t1']
    """

    _doc_link_module = "sklstm"
    _doc_link_template = DOC_LINK_TEMPLATE
    _parameter_constraints: dict = {}

    def __init__(self):
        pass

    def _check_ndim(self, X):
        ndim = _ndim(X)
        if ndim is not None and ndim not in (2, 3):
            raise ValueError(
                f"{type(self).__name__} expects 2-D input (n_samples, "
                "n_features) or 3-D input (n_samples, timesteps, n_features), "
                f"got a {ndim}-D array of shape {_shape(X) or ()}. Reshape your data, "
                "e.g. X.reshape(-1, 1) for a single feature or "
                "X.reshape(len(X), timesteps, -1) for sequences."
            )

    def _validate(self, X, reset):
        params = dict(dtype="numeric", ensure_all_finite=False, copy=False)
        X = validate_data(self, X, allow_nd=True, reset=reset, **params)
        # check_array only enforces the ndim limits through allow_nd; be exact.
        self._check_ndim(X)
        if X.ndim == 3 and 0 in X.shape[1:]:
            raise ValueError(
                f"Found array with 0 timesteps or 0 features (shape={X.shape}) "
                "while a minimum of 1 is required. Pass non-empty sequences."
            )
        return X

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Record the per-sample shape of `X`.

        Parameters
        ----------
        X : array-like of shape (n_samples, timesteps, n_features) or \
                (n_samples, n_features)
            Sequences to flatten, or rows to pass through.

        y : None
            Ignored.

        Returns
        -------
        self : object
            Fitted flattener.
        """
        self._check_ndim(X)
        X = self._validate(X, reset=True)
        self.input_shape_ = tuple(int(d) for d in X.shape[1:])
        return self

    def transform(self, X):
        """Flatten `X` to ``(n_samples, timesteps * n_features)``.

        Parameters
        ----------
        X : array-like of shape (n_samples, timesteps, n_features) or \
                (n_samples, n_features)
            Same per-sample shape as during :term:`fit`.

        Returns
        -------
        X_2d : ndarray of shape (n_samples, timesteps * n_features)
            Time-major flattening of `X`; a view when `X` is C-contiguous.
            2-D input is returned as validated.
        """
        check_is_fitted(self)
        self._check_ndim(X)
        shape = _shape(X)
        if shape is not None and shape[1:] != self.input_shape_:
            if len(shape) == 2 and len(self.input_shape_) == 1:
                detail = (
                    f"X has {shape[1]} features, but {type(self).__name__} is "
                    f"expecting {self.n_features_in_} features as input"
                )
            else:
                detail = (
                    f"X has per-sample shape {shape[1:]}, but "
                    f"{type(self).__name__} was fitted on per-sample shape "
                    f"{self.input_shape_}"
                )
            raise ValueError(
                f"{detail}. Pass data with the same layout as at fit, or refit "
                "the flattener."
            )
        X = self._validate(X, reset=False)
        return X if X.ndim == 2 else np.reshape(X, (X.shape[0], -1))

    def get_feature_names_out(self, input_features=None):
        """Get output feature names for transformation.

        Parameters
        ----------
        input_features : array-like of str or None, default=None
            For 2-D input, the input column names (checked against
            `feature_names_in_` as usual). For 3-D input, one name per
            feature of a timestep, used instead of ``x0, x1, ...``.

        Returns
        -------
        feature_names_out : ndarray of str objects
            For 3-D input ``{feature}_t{step}`` in time-major order, e.g.
            ``x0_t0, x1_t0, x0_t1, x1_t1``; for 2-D input the input names.
        """
        check_is_fitted(self, "input_shape_")
        if len(self.input_shape_) == 1:
            return _check_feature_names_in(self, input_features)
        timesteps, n_features = self.input_shape_
        if input_features is None:
            bases = [f"x{i}" for i in range(n_features)]
        else:
            bases = [str(name) for name in input_features]
            if len(bases) != n_features:
                raise ValueError(
                    f"input_features has {len(bases)} names but each timestep "
                    f"has {n_features} features; pass one name per feature."
                )
        names = [f"{base}_t{t}" for t in range(timesteps) for base in bases]
        return np.asarray(names, dtype=object)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.requires_fit = True
        tags.input_tags.three_d_array = True
        tags.input_tags.allow_nan = True
        tags.transformer_tags.preserves_dtype = ["float64", "float32"]
        return tags
