"""The routed-parameter rule, in one place: ``optimizer__<name>`` and ``loss__<name>``.

SciKeras routes ``<prefix>__<name>`` keyword parameters to the object the
prefix names; sklstm accepts the two prefixes it builds objects for. The
estimator (:mod:`sklstm._model.compile`) and the safe file format
(:mod:`sklstm._persistence.files`) both read this rule.
"""

__all__ = ["ROUTED_PREFIXES", "is_routed"]

#: The objects whose parameters can be routed.
ROUTED_PREFIXES = ("optimizer", "loss")


def is_routed(name):
    """Whether ``name`` is a routed parameter, ``<prefix>__<name>``.

    Examples
    --------
    >>> is_routed("optimizer__beta_1"), is_routed("units"), is_routed("loss__")
    (True, False, False)
    """
    prefix, sep, rest = str(name).partition("__")
    return bool(sep) and prefix in ROUTED_PREFIXES and bool(rest)
