import numpy as np
import pytest

from sklstm._model.builders import ARCHITECTURES, build_model
from sklstm._utils.tf import keras


def _meta(t_in=3, f_in=1, s_out=3, f_out=1):
    return dict(
        n_timesteps_in=t_in, n_features_in=f_in, n_steps_out=s_out, n_features_out=f_out
    )


def _trainable(model):
    return sum(int(np.prod(w.shape)) for w in model.trainable_weights)


def test_reference_encoder_decoder_has_121301_parameters():
    model = build_model(_meta(), architecture="encoder_decoder", units=100, seed=0)
    assert _trainable(model) == 121_301
    kinds = [type(layer).__name__ for layer in model.layers]
    assert kinds == [
        "InputLayer",
        "LSTM",
        "RepeatVector",
        "LSTM",
        "TimeDistributed",
    ]


def test_simple_model_parameter_count_matches_lstm_formula():
    units, f_in, n_out = 50, 1, 2
    meta = _meta(1, f_in, n_out, 1)
    model = build_model(meta, architecture="simple", units=units, seed=0)
    lstm = 4 * (units * (f_in + units) + units)
    assert _trainable(model) == lstm + units * n_out + n_out


@pytest.mark.parametrize("architecture", ARCHITECTURES)
@pytest.mark.parametrize("shape", [(1, 1, 2, 1), (3, 2, 3, 1), (4, 2, 2, 3)])
def test_every_architecture_maps_input_to_output_shape(architecture, shape):
    model = build_model(_meta(*shape), architecture=architecture, units=4, seed=1)
    x = np.zeros((5, shape[0], shape[1]), dtype="float32")
    assert model(x).shape == (5, shape[2], shape[3])


@pytest.mark.parametrize(
    "architecture, layer_types",
    [
        ("simple", ["LSTM", "Dense", "Reshape"]),
        ("stacked", ["LSTM", "LSTM", "Dense", "Reshape"]),
        ("bidirectional", ["Bidirectional", "Dense", "Reshape"]),
        (
            "bidirectional_encoder_decoder",
            ["Bidirectional", "RepeatVector", "Bidirectional", "TimeDistributed"],
        ),
    ],
)
def test_layer_types(architecture, layer_types):
    model = build_model(_meta(), architecture=architecture, units=4, seed=0)
    assert [type(x).__name__ for x in model.layers[1:]] == layer_types


def test_stacked_depth_and_gru_cell():
    model = build_model(
        _meta(), architecture="stacked", n_layers=3, cell="gru", units=4
    )
    grus = [x for x in model.layers if isinstance(x, keras.layers.GRU)]
    assert len(grus) == 3
    assert [g.return_sequences for g in grus] == [True, True, False]


def test_same_seed_same_weights_and_directions_differ():
    a = build_model(_meta(), architecture="bidirectional", units=4, seed=7)
    b = build_model(_meta(), architecture="bidirectional", units=4, seed=7)
    c = build_model(_meta(), architecture="bidirectional", units=4, seed=8)
    for wa, wb in zip(a.get_weights(), b.get_weights()):
        np.testing.assert_array_equal(wa, wb)
    assert not np.array_equal(a.get_weights()[0], c.get_weights()[0])
    bidi = a.layers[1]
    fw, bw = bidi.forward_layer.get_weights(), bidi.backward_layer.get_weights()
    assert not np.array_equal(fw[0], bw[0])  # each direction has its own seed


def test_simple_refuses_more_layers():
    with pytest.raises(ValueError, match="architecture='stacked'"):
        build_model(_meta(), architecture="simple", n_layers=2)


def test_unknown_architecture_and_missing_meta():
    with pytest.raises(ValueError, match="use one of"):
        build_model(_meta(), architecture="lstm2")
    with pytest.raises(ValueError, match="n_steps_out"):
        build_model({"n_timesteps_in": 1, "n_features_in": 1})


@pytest.mark.parametrize("architecture", ARCHITECTURES)
def test_zero_head_starts_at_zero_and_trains(architecture):
    meta = _meta(4, 2, 2, 3)
    plain = build_model(meta, architecture=architecture, units=4, seed=1)
    zero = build_model(meta, architecture=architecture, units=4, seed=1, zero_head=True)
    x = np.random.default_rng(0).normal(size=(5, 4, 2)).astype("float32")
    np.testing.assert_array_equal(zero(x), np.zeros((5, 2, 3)))
    assert np.any(plain(x) != 0)
    assert _trainable(zero) == _trainable(plain)


@pytest.mark.parametrize(
    "steps, many_samples, unrolled",
    [(16, False, True), (17, False, False), (36, True, True), (65, True, False)],
)
def test_recurrent_layers_unroll_short_sequences_and_longer_ones_for_big_fits(
    steps, many_samples, unrolled
):
    meta = dict(n_timesteps_in=steps, n_features_in=1, n_steps_out=2, n_features_out=1)
    model = build_model(meta, units=2, many_samples=many_samples, seed=0)
    cells = [la for la in model.layers if type(la).__name__ == "LSTM"]
    assert cells and all(la.unroll is unrolled for la in cells)
