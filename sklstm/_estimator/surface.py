"""What :class:`~sklstm.LSTMSeqRegressor` keeps, hides and changes of SciKeras.

SciKeras's ``BaseWrapper`` brings a public surface made for its own fitting
pipeline, which sklstm replaces (data checks, scaling, training loop). The
mixin here, placed before ``BaseWrapper`` in the class's bases:

- hides the leftovers, so that ``hasattr`` is False for them and ``dir`` of
  an instance does not list them: ``feature_encoder``/``target_encoder``
  (sklstm has no encoders), ``scorer`` (a stub that always raised),
  ``current_epoch`` and ``initialized_`` (training facts are fitted
  attributes such as ``history_``; ``check_is_fitted`` tells whether a model
  exists);
- takes parameter names from the signature, the keywords given to
  ``__init__`` and routed ``<prefix>__<name>`` keys, not from every attribute
  in ``__dict__`` as SciKeras does (so ``est.note = "x"`` is no parameter);
- clones and pickles without SciKeras's patches of Keras classes
  (:mod:`sklstm._estimator.pickling`).

What is kept works as SciKeras documents it (``initialize``, ``get_params``,
``set_params`` with routed parameters, metadata routing).
"""

import inspect

from .pickling import copy_keras_params, pack_state, unpack_state

__all__ = ["SciKerasSurface"]


class _NotProvided:
    """A name inherited from ``BaseWrapper`` that the subclass does not provide."""

    def __set_name__(self, owner, name):
        self.name = name

    def __get__(self, obj, owner=None):
        raise AttributeError(
            f"{(owner or type(obj)).__name__!r} has no attribute {self.name!r}"
        )


class SciKerasSurface:
    """Mixin for a ``BaseWrapper`` subclass; see the module docstring."""

    feature_encoder = _NotProvided()
    target_encoder = _NotProvided()
    scorer = _NotProvided()
    current_epoch = _NotProvided()
    initialized_ = _NotProvided()

    def __dir__(self):
        hidden = {
            name
            for cls in type(self).__mro__
            for name, value in vars(cls).items()
            if type(value) is _NotProvided
        }
        return sorted(set(super().__dir__()) - hidden)

    def _get_param_names(self):
        """The named parameters, then those given as ``**kwargs`` or routed.

        SciKeras reads parameter names from ``__dict__``, so any attribute set
        on an instance (``est.note = "x"``) would become a parameter; here only
        the signature's names, the keywords given to ``__init__`` (recorded in
        ``_kwargs``) and routed ``<prefix>__<name>`` keys set later
        (``set_params``) count.
        """
        named = [
            name
            for name, p in inspect.signature(type(self).__init__).parameters.items()
            if name != "self" and p.kind is not p.VAR_KEYWORD
        ]
        given = getattr(self, "_kwargs", ())
        extra = [
            k for k in vars(self) if k in given or ("__" in k and not k.startswith("_"))
        ]
        return named + extra

    def __sklearn_clone__(self):
        params = self.get_params(deep=False)
        keras_params = copy_keras_params(params)
        if not keras_params:
            return super().__sklearn_clone__()
        # Clone a shallow twin without the Keras objects, then add fresh copies.
        twin = object.__new__(type(self))
        vars(twin).update(vars(self), **dict.fromkeys(keras_params))
        clone = super(SciKerasSurface, twin).__sklearn_clone__()
        return clone.set_params(**keras_params)

    def __getstate__(self):
        return pack_state(super().__getstate__())

    def __setstate__(self, state):
        super().__setstate__(unpack_state(state))
