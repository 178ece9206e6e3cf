import numpy as np
import pytest
from numpy.testing import assert_array_equal

from sklstm import datasets
from sklstm.datasets import (
    ARCHITECTURES,
    REFERENCE_PROBLEMS,
    load_many_to_many,
    load_one_to_many,
    load_reference,
)


@pytest.mark.parametrize(
    "problem, X_shape, y_shape, X_test, y_test, units",
    [
        ("one_to_many_1", (15, 1, 1), (15, 2), [[[10]]], [[11, 12]], 50),
        ("one_to_many_2", (25, 1, 2), (25, 2), [[[40, 60]]], [[41, 61]], 50),
        (
            "many_to_many_1",
            (20, 3, 1),
            (20, 3, 1),
            [[[300], [305], [310]]],
            [[[315], [320], [325]]],
            100,
        ),
        (
            "many_to_many_2",
            (20, 3, 2),
            (20, 3, 1),
            [[[300, 315], [305, 320], [310, 325]]],
            [[[330], [335], [340]]],
            100,
        ),
    ],
)
def test_shapes_and_test_point(problem, X_shape, y_shape, X_test, y_test, units):
    data = load_reference(problem)
    assert data.problem == problem
    assert data.X.shape == X_shape
    assert data.y.shape == y_shape
    assert data.X_test.shape == (1, *X_shape[1:])
    assert data.y_test.shape == (1, *y_shape[1:])
    assert_array_equal(data.X_test, X_test)
    assert_array_equal(data.y_test, y_test)
    assert data.units == units
    for array in (data.X, data.y, data.X_test, data.y_test):
        assert array.dtype == np.float64
    assert isinstance(data.DESCR, str) and data.DESCR


def test_one_to_many_1_values():
    data = load_one_to_many()
    assert_array_equal(data.X.ravel(), np.arange(1, 44, 3))
    assert data.X[0, 0, 0] == 1 and data.X[-1, 0, 0] == 43
    x = data.X[:, 0, 0]
    assert_array_equal(data.y, np.column_stack([x + 1, x + 2]))
    assert_array_equal(data.y_test, data.X_test[:, 0, :] + [1, 2])


def test_one_to_many_2_values():
    data = load_one_to_many(n_features=2)
    k = np.arange(1, 26)
    assert_array_equal(data.X[:, 0, 0], 2 * k)
    assert_array_equal(data.X[:, 0, 1], 3 * k)
    assert_array_equal(data.y, data.X[:, 0, :] + 1)
    assert_array_equal(data.y_test, data.X_test[:, 0, :] + 1)


def test_many_to_many_1_values():
    data = load_many_to_many()
    assert_array_equal(data.X.ravel(), np.arange(5, 301, 5))
    assert_array_equal(data.y.ravel(), np.arange(20, 316, 5))
    assert_array_equal(data.X[0, :, 0], [5, 10, 15])
    assert_array_equal(data.y, data.X + 15)
    assert_array_equal(data.y_test, data.X_test + 15)


def test_many_to_many_2_values():
    data = load_many_to_many(n_features=2)
    assert_array_equal(data.X[:, :, 0].ravel(), np.arange(5, 301, 5))
    assert_array_equal(data.X[:, :, 1].ravel(), np.arange(20, 316, 5))
    assert_array_equal(data.X[0], [[5, 20], [10, 25], [15, 30]])
    assert_array_equal(data.y.ravel(), np.arange(35, 331, 5))
    assert_array_equal(data.y[..., 0], data.X[..., 0] + 30)
    assert_array_equal(data.y[..., 0], data.X[..., 1] + 15)
    assert_array_equal(data.y_test[..., 0], data.X_test[..., 1] + 15)


# The tutorial's printed predictions, copied from its output and not from
# sklstm.datasets, with the worst absolute error the reference experiments
# page (shared/reference/tutorial-experiments.md) gives for each: a value
# mistyped in either table, or one architecture's row given to another, makes
# the two disagree.
_TUTORIAL = {
    "one_to_many_1": {
        "simple": ([10.98, 12.11], 0.11),
        "stacked": ([11.00, 11.99], 0.01),
        "bidirectional": ([11.04, 12.08], 0.08),
    },
    "one_to_many_2": {
        "simple": ([40.95, 60.94], 0.06),
        "stacked": ([40.98, 60.99], 0.02),
        "bidirectional": ([41.10, 61.16], 0.16),
    },
    "many_to_many_1": {
        "encoder_decoder": ([316.03, 322.27, 328.55], 3.55),
        "bidirectional_encoder_decoder": ([315.75, 321.47, 327.94], 2.94),
    },
    "many_to_many_2": {
        "encoder_decoder": ([324.58, 328.90, 335.68], 6.10),
        "bidirectional_encoder_decoder": ([330.49, 335.35, 339.64], 0.49),
    },
}


@pytest.mark.parametrize("problem", REFERENCE_PROBLEMS)
def test_printed_predictions(problem):
    data = load_reference(problem)
    expected = _TUTORIAL[problem]
    # exactly the architectures the tutorial ran on this problem
    assert list(data.printed) == list(expected)
    for arch, (printed, worst_error) in expected.items():
        values = data.printed[arch]
        assert values == printed, arch
        errors = np.abs(np.subtract(values, data.y_test.ravel()))
        assert round(float(errors.max()), 2) == worst_error, arch


def test_loaders_match_load_reference():
    pairs = [
        (load_one_to_many(1), "one_to_many_1"),
        (load_one_to_many(2), "one_to_many_2"),
        (load_many_to_many(1), "many_to_many_1"),
        (load_many_to_many(2), "many_to_many_2"),
    ]
    for data, name in pairs:
        other = load_reference(name)
        assert data.problem == name
        for key in ("X", "y", "X_test", "y_test"):
            assert_array_equal(data[key], other[key])
    assert REFERENCE_PROBLEMS == tuple(name for _, name in pairs)
    assert ARCHITECTURES == (
        "simple",
        "stacked",
        "bidirectional",
        "encoder_decoder",
        "bidirectional_encoder_decoder",
    )


def test_fresh_copies_each_call():
    first = load_one_to_many()
    first.X[0] = -1.0
    first.printed["simple"].append(0.0)
    second = load_one_to_many()
    assert second.X[0, 0, 0] == 1.0
    assert second.printed["simple"] == [10.98, 12.11]


@pytest.mark.parametrize("loader", [load_one_to_many, load_many_to_many])
@pytest.mark.parametrize("n_features", [0, 3, True])
def test_bad_n_features(loader, n_features):
    with pytest.raises(ValueError, match="n_features=1 or n_features=2"):
        loader(n_features=n_features)


def test_unknown_problem():
    with pytest.raises(ValueError, match="Unknown reference problem 'x'; use one of"):
        load_reference("x")


def test_public_module_exports():
    assert set(datasets.__all__) == {
        "ARCHITECTURES",
        "REFERENCE_PROBLEMS",
        "load_many_to_many",
        "load_one_to_many",
        "load_reference",
    }
