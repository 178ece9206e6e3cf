"""The registry of architectures: the one list every part of sklstm reads.

Each entry says how :func:`sklstm._model.builders.build_model` builds the
architecture (builder family, default depth, bidirectional or not, output
head), which Keras layers its models contain (the allow-list of
:func:`sklstm.load`) and on which reference problems the tutorial runs it.
The estimator's ``architecture`` parameter, the data sets, the tutorial and
the safe file format all read this module, so adding an architecture is one
entry here (plus a builder family in :mod:`sklstm._model.builders` if none fits)
and its tests. It imports no TensorFlow.
"""

from dataclasses import dataclass

__all__ = ["ARCHITECTURES", "CELL_LAYERS", "REGISTRY", "Architecture", "keras_layers"]

#: Keras layer class of each recurrent cell (``cell`` parameter).
CELL_LAYERS = {"lstm": "LSTM", "gru": "GRU"}

# Keras layers of each builder family, beside the recurrent cells.
_FAMILY_LAYERS = {
    "vector": ("InputLayer", "Dense", "Reshape"),
    "encoder_decoder": ("InputLayer", "RepeatVector", "TimeDistributed", "Dense"),
}
# Keras layers a quantile head adds to every family (see
# :mod:`sklstm._model.quantiles`; its own layer is registered by sklstm).
_QUANTILE_LAYERS = ("Reshape",)
# Keras layers that covariates known ahead add to a family (``future=True``
# in :func:`sklstm._model.builders.build_model`): the input split in two and
# the forecast period joined to the encoding (flattened, then a hidden
# ``Dense``, in the vector family).
_FUTURE_LAYERS = {
    "vector": ("Cropping1D", "Concatenate", "Flatten", "Dense"),
    "encoder_decoder": ("Cropping1D", "Concatenate"),
}


@dataclass(frozen=True)
class Architecture:
    """One architecture.

    Attributes
    ----------
    name : str
        The value of the ``architecture`` parameter.
    family : {"vector", "encoder_decoder"}
        The builder: a recurrent stack ending in one vector and a ``Dense``
        head (one-to-many), or an encoder, ``RepeatVector`` and a decoder
        with a ``TimeDistributed(Dense)`` head (many-to-many).
    default_layers : int
        Depth when ``n_layers=None`` (of the encoder and of the decoder for
        the encoder-decoders).
    fixed_layers : bool
        Whether the depth is always ``default_layers``.
    bidirectional : bool
        Whether every recurrent layer is wrapped in ``Bidirectional``.
    problem : {"one_to_many", "many_to_many"}
        The reference problems of the tutorial it is shown on.
    """

    name: str
    family: str
    default_layers: int
    fixed_layers: bool
    bidirectional: bool
    problem: str

    @property
    def head(self):
        """The output head: "dense" or "time_distributed"."""
        return "dense" if self.family == "vector" else "time_distributed"

    @property
    def keras_layers(self):
        """Names of the Keras layer classes its models may contain."""
        wrapper = ("Bidirectional",) if self.bidirectional else ()
        return frozenset(
            (
                *_FAMILY_LAYERS[self.family],
                *_QUANTILE_LAYERS,
                *_FUTURE_LAYERS.get(self.family, ()),
                *wrapper,
                *CELL_LAYERS.values(),
            )
        )


#: Every architecture by name, in the reference tutorial's order.
REGISTRY = {
    a.name: a
    for a in (
        Architecture("simple", "vector", 1, True, False, "one_to_many"),
        Architecture("stacked", "vector", 2, False, False, "one_to_many"),
        Architecture("bidirectional", "vector", 1, False, True, "one_to_many"),
        Architecture(
            "encoder_decoder", "encoder_decoder", 1, False, False, "many_to_many"
        ),
        Architecture(
            "bidirectional_encoder_decoder",
            "encoder_decoder",
            1,
            False,
            True,
            "many_to_many",
        ),
    )
}

#: The architecture names, in the reference tutorial's order.
ARCHITECTURES = tuple(REGISTRY)


def keras_layers():
    """Names of every Keras layer class any architecture builds."""
    return frozenset().union(*(a.keras_layers for a in REGISTRY.values()))
