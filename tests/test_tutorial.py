"""Tests for sklstm._tutorial: the reference experiments, two ways."""

import numpy as np
import pytest

from sklstm._tutorial import (
    DEFAULTS,
    REFERENCE_SETTINGS,
    SETTINGS,
    format_seed_table,
    format_table,
)
from sklstm.datasets import load_reference


def test_network_alone_is_the_tutorials_training_and_defaults_are_sklstms():
    assert REFERENCE_SETTINGS["linear_path"] is None
    assert REFERENCE_SETTINGS["early_stopping"] is False
    assert (
        REFERENCE_SETTINGS["epochs"] == 1000 and REFERENCE_SETTINGS["batch_size"] == 3
    )
    assert DEFAULTS == {}
    assert SETTINGS == {"network alone": REFERENCE_SETTINGS, "defaults": DEFAULTS}


def test_one_to_many_2_is_one_step_of_two_features():
    # [x1 + 1, x2 + 1]: each target feature continues its own input feature.
    # Read as two steps of one feature, the second "step" continued feature 1
    # and the stacked network alone missed the tutorial's error (median 0.43);
    # tests/test_main.py checks that every network alone now beats it.
    data = load_reference("one_to_many_2")
    assert data.n_target_features == 2
    np.testing.assert_array_equal(data.y, data.X[:, 0, :] + 1)


@pytest.mark.parametrize("seeds", [1, 2])
def test_tables_show_both_settings_side_by_side(seeds):
    fits = {
        name: [
            dict(
                problem="one_to_many_1",
                architecture="simple",
                seed=seed,
                expected=np.array([11.0, 12.0]),
                predicted=np.array([11.0, 12.0]) + err,
                printed=np.array([10.98, 12.11]),
                error=err,
                printed_error=0.11,
                fit_time=1.0,
            )
            for seed in range(seeds)
        ]
        for name, err in [("network alone", 0.05), ("defaults", 0.5)]
    }
    table = (format_table if seeds == 1 else format_seed_table)(fits)
    header, _, row = table.splitlines()
    assert "network alone" in header and "defaults" in header
    cells = row.split()
    if seeds == 1:  # tutorial's error, then each prediction, error and time
        assert cells[6:] == [
            "0.11", "[11.05,", "12.05]", "0.05", "1.0",
            "[11.50,", "12.50]", "0.50", "1.0",
        ]  # fmt: skip
    else:
        assert cells[2:] == [
            "2", "0.11", "0.050", "0.050", "yes", "1.0", "0.500", "0.500", "NO", "1.0"
        ]  # fmt: skip
