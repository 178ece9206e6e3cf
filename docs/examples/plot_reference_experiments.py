"""
================================================
Two reference experiments, predicted vs expected
================================================

Fit :class:`~sklstm.LSTMSeqRegressor` on two of the reference problems of the
classic Keras LSTM tutorial (see :doc:`/tutorial`): a one-to-many problem
(one number in, the next two out) and a many-to-many problem (three steps in,
three steps out), and compare the predictions with the exact answers.

The tutorial trains for 1000 epochs on unscaled data. To keep this example
fast, it scales inputs and targets with
:class:`~sklearn.preprocessing.StandardScaler` instead and trains for 100
epochs.
"""

# %%
# One-to-many: ``x -> [x + 1, x + 2]``
# -------------------------------------
# Each of the 15 samples is one timestep of one feature. A 2-D ``X`` is read
# as univariate series (every column a timestep), which lets
# :class:`~sklearn.preprocessing.StandardScaler` scale it directly, and
# :class:`~sklearn.compose.TransformedTargetRegressor` scales the target.
import matplotlib.pyplot as plt
import numpy as np
from sklearn.compose import TransformedTargetRegressor
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sklstm import LSTMSeqRegressor
from sklstm.datasets import load_many_to_many, load_one_to_many


def scaled(estimator):
    """Scale the 2-D inputs and the target around ``estimator``."""
    return TransformedTargetRegressor(
        regressor=make_pipeline(StandardScaler(), estimator),
        transformer=StandardScaler(),
    )


one = load_one_to_many()
print(one.X.shape, one.y.shape)

one_model = scaled(
    LSTMSeqRegressor(
        architecture="stacked",
        units=16,
        learning_rate=0.01,
        epochs=100,
        batch_size=4,
        random_state=0,
    )
)
one_model.fit(one.X[:, :, 0], one.y)
one_pred = one_model.predict(one.X_test[:, :, 0])
print("expected", one.y_test.ravel(), "predicted", one_pred.ravel().round(2))

# %%
# Many-to-many: three steps in, three steps out
# ---------------------------------------------
# The target has shape ``(20, 3, 1)``. ``TransformedTargetRegressor`` needs a
# 1-D or 2-D target, so it is flattened to ``(20, 3)``; predictions come back
# with that shape. The test input lies just past the training range, so this
# is extrapolation, the hardest case for these networks.
many = load_many_to_many()
print(many.X.shape, many.y.shape)

many_model = scaled(
    LSTMSeqRegressor(
        architecture="encoder_decoder",
        units=16,
        learning_rate=0.01,
        epochs=100,
        batch_size=4,
        random_state=0,
    )
)
many_model.fit(many.X[:, :, 0], many.y.reshape(len(many.y), -1))
many_pred = many_model.predict(many.X_test[:, :, 0])
print("expected", many.y_test.ravel(), "predicted", many_pred.ravel().round(2))

# %%
# Predicted vs expected
# ---------------------
# Left: every training sample of the one-to-many problem and the test point.
# Right: the many-to-many test sequence, with the tutorial's printed
# prediction for the same architecture for comparison.
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 4), layout="constrained")

train_pred = one_model.predict(one.X[:, :, 0])
ax1.plot(one.y.ravel(), train_pred.ravel(), "o", alpha=0.6, label="training")
ax1.plot(one.y_test.ravel(), one_pred.ravel(), "s", color="C3", label="test")
lims = [one.y.min() - 2, one.y.max() + 2]
ax1.plot(lims, lims, "k--", lw=1, label="perfect")
ax1.set(xlabel="expected", ylabel="predicted", title="one-to-many, stacked LSTM")
ax1.legend()

steps = np.arange(1, 4)
ax2.plot(steps, many.y_test.ravel(), "k--o", label="expected")
ax2.plot(
    steps, many_pred.ravel(), "-s", color="C3", label="sklstm (100 epochs, scaled)"
)
ax2.plot(
    steps,
    many.printed["encoder_decoder"],
    ":^",
    color="C2",
    label="tutorial (1000 epochs, printed)",
)
ax2.set(
    xlabel="output step",
    ylabel="value",
    xticks=steps,
    title="many-to-many test input [300, 305, 310]",
)
ax2.legend()
plt.show()
