"""The architecture registry is the one list that every part of sklstm reads."""

import importlib.util
import sys

import pytest

from sklstm import _tutorial, datasets
from sklstm._estimator import regressor as _regressor
from sklstm._estimator.regressor import LSTMSeqRegressor
from sklstm._model import architectures as _architectures
from sklstm._model import builders as _builders
from sklstm._model.architectures import ARCHITECTURES, REGISTRY
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
        ahead = build_model(_META, architecture=name, cell=cell, future=True, units=2)
        built |= _layer_classes(ahead)
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


# What the registry holds, written out here and not read from it.
_NAMES = (
    "simple",
    "stacked",
    "bidirectional",
    "encoder_decoder",
    "bidirectional_encoder_decoder",
)
_EXPERIMENTS = (
    ("one_to_many_1", "simple"),
    ("one_to_many_1", "stacked"),
    ("one_to_many_1", "bidirectional"),
    ("one_to_many_2", "simple"),
    ("one_to_many_2", "stacked"),
    ("one_to_many_2", "bidirectional"),
    ("many_to_many_1", "encoder_decoder"),
    ("many_to_many_1", "bidirectional_encoder_decoder"),
    ("many_to_many_2", "encoder_decoder"),
    ("many_to_many_2", "bidirectional_encoder_decoder"),
)
_LAYERS = {
    "InputLayer",
    "Cropping1D",
    "Concatenate",
    "Flatten",
    "Dense",
    "Reshape",
    "RepeatVector",
    "TimeDistributed",
    "Bidirectional",
    "LSTM",
    "GRU",
}


def _run_again(module):
    """Run ``module``'s source again, as a new module beside it in its package.

    Its relative imports resolve to the modules already imported (and
    monkeypatched), and nothing in ``sys.modules`` changes.
    """
    name = f"{module.__package__}._registry_probe"
    spec = importlib.util.spec_from_file_location(name, module.__file__)
    copy = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(copy)
    return copy


def _consumers():
    """The registry as each consumer sees it."""
    return dict(
        datasets=tuple(datasets.ARCHITECTURES),
        tutorial=_tutorial.EXPERIMENTS,
        persistence=set(_persistence._KERAS_ALLOWED["keras.layers"]),
        estimator=LSTMSeqRegressor._parameter_constraints["architecture"][0].options,
    )


def test_every_consumer_reads_the_registry(monkeypatch):
    # Today's consumers hold today's registry...
    assert ARCHITECTURES == _NAMES
    assert _consumers() == dict(
        datasets=_NAMES,
        tutorial=_EXPERIMENTS,
        persistence=_LAYERS,
        estimator=set(_NAMES),
    )
    for problem, arch in _EXPERIMENTS:
        assert arch in datasets.load_reference(problem).printed

    # ... and derive it: one more entry in the registry (of a new builder
    # family with a layer of its own) reaches every one of them.
    probe = _architectures.Architecture(
        "probe", "probe_family", 1, True, False, "many_to_many"
    )
    monkeypatch.setattr(_architectures, "REGISTRY", {**REGISTRY, "probe": probe})
    monkeypatch.setattr(_architectures, "ARCHITECTURES", (*ARCHITECTURES, "probe"))
    monkeypatch.setitem(_architectures._FAMILY_LAYERS, "probe_family", ("Probe",))
    builders = _run_again(_builders)
    assert builders.ARCHITECTURES == (*_NAMES, "probe")
    monkeypatch.setitem(sys.modules, _builders.__name__, builders)
    regressor = _run_again(_regressor)
    constraint = regressor.LSTMSeqRegressor._parameter_constraints["architecture"]
    dataset = _run_again(datasets)
    monkeypatch.setitem(sys.modules, datasets.__name__, dataset)
    assert dict(
        datasets=tuple(dataset.ARCHITECTURES),
        tutorial=_run_again(_tutorial).EXPERIMENTS,
        persistence=set(_run_again(_persistence)._KERAS_ALLOWED["keras.layers"]),
        estimator=constraint[0].options,
    ) == dict(
        datasets=(*_NAMES, "probe"),
        tutorial=(
            *_EXPERIMENTS[:8],
            ("many_to_many_1", "probe"),
            *_EXPERIMENTS[8:],
            ("many_to_many_2", "probe"),
        ),
        persistence=_LAYERS | {"Probe"},
        estimator={*_NAMES, "probe"},
    )
