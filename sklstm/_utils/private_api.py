"""Every private API of another package that sklstm uses, and why.

sklstm uses public TensorFlow, Keras, SciKeras and scikit-learn APIs wherever
one exists. The entries below are the exceptions, each with the reason; a
test (``tests/test_private_api.py``) fails when a module imports a private
name that is not listed here. Pickling relies on none of them: fitted
estimators pickle through their own ``__getstate__``
(:mod:`sklstm._estimator.pickling`), not through SciKeras's patches of Keras
classes.
"""

__all__ = ["PRIVATE_APIS"]

#: Private API -> (where sklstm uses it, why there is no public alternative).
PRIVATE_APIS = {
    "scikeras._utils": (
        "sklstm/_utils/scikeras.py (used by sklstm/_model/compile.py)",
        "SciKeras's parameter routing (route_params, unflatten_params and the "
        "optimizer/loss name resolvers) has no public API; sklstm resolves "
        "optimizer__*/loss__* exactly as SciKeras documents. SciKeras 0.13 is "
        "its last release, so these helpers will not move under us.",
    ),
    "scikeras.wrappers.BaseWrapper._get_param_names": (
        "sklstm/_estimator/surface.py",
        "overridden, as SciKeras itself overrides scikit-learn's hook, so that "
        "only the signature's names and routed keywords are parameters.",
    ),
    "sklearn.base._fit_context": (
        "sklstm/_estimator/regressor.py, sklstm/_intervals/forecaster.py",
        "scikit-learn's own way to validate parameters once per fit and "
        "honour skip_parameter_validation; documented for third-party "
        "estimators in scikit-learn's developer guide, not yet public.",
    ),
    "sklearn.utils._param_validation": (
        "sklstm/_estimator/regressor.py, sklstm/_data/reshape.py, "
        "sklstm/_intervals/forecaster.py",
        "Interval, StrOptions and HasMethods for _parameter_constraints, the "
        "format that _fit_context validates; scikit-learn has no public "
        "spelling.",
    ),
    "sklearn.utils.validation._check_sample_weight": (
        "sklstm/_data/validation.py",
        "scikit-learn's sample_weight checks and messages, shared by its own "
        "estimators; no public equivalent.",
    ),
    "sklearn.utils.validation._check_feature_names_in": (
        "sklstm/_data/reshape.py",
        "validates get_feature_names_out's input_features exactly as "
        "scikit-learn's transformers do; no public equivalent.",
    ),
    "sklearn.utils._optional_dependencies.check_matplotlib_support": (
        "sklstm/_display/history.py, sklstm/_display/forecast.py",
        "the matplotlib check and message of scikit-learn's own Display "
        "classes, which sklstm's displays mirror.",
    ),
    "tensorflow.python.framework.config": (
        "sklstm/_training/contract.py",
        "is_op_determinism_enabled/disable_op_determinism: TensorFlow's public "
        "API can enable op determinism but neither read nor undo it "
        "(engine issue 11 owns this use).",
    ),
    "tensorflow.python.eager.context": (
        "sklstm/_training/keras_loop.py",
        "reads TensorFlow's global seed, which has no public getter "
        "(engine issue 11 owns this use).",
    ),
}
