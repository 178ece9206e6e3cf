"""The architecture registry is the one list that every part of sklstm reads."""

import pytest

from sklstm import _tutorial, datasets
from sklstm._estimator.regressor import LSTMSeqRegressor
from sklstm._model.architectures import ARCHITECTURES, REGISTRY, keras_layers
from sklstm._model.builders import build_model
from sklstm._persistence import files as _persistence

_META = dict(n_timesteps_in=3, n_features_in=2, n_steps_out=2, n_features_out=1)


def _layer_classes(model):
    """Class names of every layer in the model, wrapped ones included."""
    names = set()
    for layer in model.layers:
        names.add(type(layer).__name__)
        for attr in ("layer", "forward_layer", "backward_layer"):
            inner = getattr(layer, attr, None)
            if inner is not None:
                names.add(type(inner).__name__)
    return names


@pytest.mark.parametrize("name", ARCHITECTURES)
def test_entry_describes_what_the_builder_builds(name):
    arch = REGISTRY[name]
    built = set()
    for cell in ("lstm", "gru"):
        model = build_model(_META, architecture=name, cell=cell, units=2, seed=0)
        built |= _layer_classes(model)
        head = type(model.layers[-1]).__name__
        assert (
            head
            == {"dense": "Reshape", "time_distributed": "TimeDistributed"}[arch.head]
        )
        quantile = build_model(
            _META, architecture=name, cell=cell, quantiles=(0.1, 0.5, 0.9), units=2
        )
        built |= _layer_classes(quantile)
        assert type(quantile.layers[-1]).__name__ == "NonCrossingQuantiles"
    # The persistence allow-list is exact: nothing built is missing from it
    # (load would refuse a valid file) and nothing listed is never built;
    # sklstm's own quantile head is allowed by its module.
    sklstm_objects = _persistence._SKLSTM_OBJECTS["sklstm._model.quantiles"]
    assert built - sklstm_objects == arch.keras_layers
    assert built & sklstm_objects == {"NonCrossingQuantiles"}
    depth = arch.default_layers * (2 if arch.family == "encoder_decoder" else 1)
    model = build_model(_META, architecture=name, units=2, seed=0)
    recurrent = [
        la for la in model.layers if type(la).__name__ in ("LSTM", "Bidirectional")
    ]
    assert len(recurrent) == depth
    assert ("Bidirectional" in built) is arch.bidirectional
    if arch.fixed_layers:
        with pytest.raises(ValueError, match="exactly"):
            build_model(_META, architecture=name, n_layers=arch.default_layers + 1)


def test_every_consumer_reads_the_registry():
    assert datasets.ARCHITECTURES == ARCHITECTURES
    assert {a for _, a in _tutorial.EXPERIMENTS} == set(ARCHITECTURES)
    for problem, arch in _tutorial.EXPERIMENTS:
        assert problem.startswith(REGISTRY[arch].problem)
        assert arch in datasets.load_reference(problem).printed
    assert _persistence._KERAS_ALLOWED["keras.layers"] == keras_layers()
    options = LSTMSeqRegressor._parameter_constraints["architecture"][0].options
    assert options == set(ARCHITECTURES)
