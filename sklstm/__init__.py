"""sklstm: LSTM sequence regression that drops into scikit-learn.

``LSTMSeqRegressor`` wraps the classic Keras LSTM architectures (simple,
stacked, bidirectional, encoder-decoder, bidirectional encoder-decoder)
through SciKeras; ``SequenceReshaper``, ``SequenceFlattener``,
``make_windows`` (one series) and ``make_panel_windows`` (many series) shape
the data, ``recency_weights`` weighs their recent windows more, and
``SplitConformalForecaster`` adds calibrated prediction intervals to
multi-step forecasts. The estimator (and with it TensorFlow) is imported
on first use, so the transformers load in a blink.
"""

import importlib

from ._data.flatten import SequenceFlattener
from ._data.panel import make_panel_windows
from ._data.recency import recency_weights
from ._data.reshape import SequenceReshaper
from ._data.windows import make_windows
from ._persistence.files import UnsafeModelError
from ._version import __version__ as __version__

__all__ = [
    "ForecastDisplay",
    "HistoryDisplay",
    "LSTMSeqRegressor",
    "SequenceFlattener",
    "SequenceReshaper",
    "SplitConformalForecaster",
    "TrainingDivergedError",
    "UnsafeModelError",
    "datasets",
    "load",
    "make_panel_windows",
    "make_windows",
    "recency_weights",
    "save",
]

_LAZY = {
    "ForecastDisplay": "._display.forecast",
    "HistoryDisplay": "._display.history",
    "LSTMSeqRegressor": "._estimator.regressor",
    "SplitConformalForecaster": "._intervals.forecaster",
    "TrainingDivergedError": "._training.divergence",
    "datasets": ".datasets",
    "load": "._estimator.saving",
    "save": "._estimator.saving",
}


def __getattr__(name):
    if name in _LAZY:
        module = importlib.import_module(_LAZY[name], __name__)
        value = module if name == "datasets" else getattr(module, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'sklstm' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(__all__))
