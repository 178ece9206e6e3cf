"""
================================================
Two reference experiments, predicted vs expected
================================================

Fit :class:`~sklstm.LSTMSeqRegressor` on two of the reference problems of the
classic Keras LSTM tutorial (see :doc:`/tutorial`): a one-to-many problem
(one number in, the next two out) and a many-to-many problem (three steps in,
three steps out), and compare the predictions with the exact answers.

Each problem is fitted two ways, as ``sklstm tutorial`` does:

- **the network alone**, as the tutorial trains it: no linear path
  (``linear_path=None``) and no early stopping. sklstm still normalizes each
  window by its last value and standardizes, as it does for every network.
  The tutorial runs 1000 epochs; this example runs 200 to stay fast;
- **sklstm's defaults**: a ridge regression of the window beside the
  network, and early stopping. Every reference problem is a linear
  sequence, so the ridge regression alone answers it exactly: the defaults
  column shows what sklstm adds, not what the LSTM learns.
"""

# %%
# One-to-many: ``x -> [x + 1, x + 2]``
# -------------------------------------
# Each of the 15 samples is one timestep of one feature.
import matplotlib.pyplot as plt
import numpy as np

from sklstm import LSTMSeqRegressor
from sklstm.datasets import load_many_to_many, load_one_to_many

# The tutorial's training of the network alone, shortened to 200 epochs.
NETWORK_ALONE = dict(
    activation="relu",
    epochs=200,
    batch_size=3,
    validation_split=0.2,
    linear_path=None,
    early_stopping=False,
)

one = load_one_to_many()
print(one.X.shape, one.y.shape)
one_model = LSTMSeqRegressor(
    architecture="stacked", units=one.units, random_state=0, **NETWORK_ALONE
).fit(one.X, one.y)
one_pred = one_model.predict(one.X_test)
print("expected", one.y_test.ravel(), "network alone", one_pred.ravel().round(2))

# %%
# Many-to-many: three steps in, three steps out
# ---------------------------------------------
# The target has shape ``(20, 3, 1)``. The test input lies just past the
# training range, so this is extrapolation, the hardest case for the
# tutorial's networks; sklstm's window normalization makes every training
# window look alike (inputs -10, -5, 0; targets 5, 10, 15).
many = load_many_to_many()
print(many.X.shape, many.y.shape)
many_models = {
    "network alone (200 epochs)": LSTMSeqRegressor(
        architecture="encoder_decoder",
        units=many.units,
        random_state=0,
        **NETWORK_ALONE,
    ),
    "sklstm defaults": LSTMSeqRegressor(
        architecture="encoder_decoder", units=many.units, random_state=0
    ),
}
many_preds = {}
for name, model in many_models.items():
    many_preds[name] = model.fit(many.X, many.y).predict(many.X_test).ravel()
    print(name, "predicted", many_preds[name].round(2))
print("expected", many.y_test.ravel())

# %%
# Predicted vs expected
# ---------------------
# Left: every training sample of the one-to-many problem and the test point,
# network alone. Right: the many-to-many test sequence, both ways, with the
# tutorial's printed prediction for the same architecture.
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 4), layout="constrained")

train_pred = one_model.predict(one.X)
ax1.plot(one.y.ravel(), train_pred.ravel(), "o", alpha=0.6, label="training")
ax1.plot(one.y_test.ravel(), one_pred.ravel(), "s", color="C3", label="test")
lims = [one.y.min() - 2, one.y.max() + 2]
ax1.plot(lims, lims, "k--", lw=1, label="perfect")
ax1.set(
    xlabel="expected",
    ylabel="predicted",
    title="one-to-many, stacked LSTM alone",
)
ax1.legend()

steps = np.arange(1, 4)
ax2.plot(steps, many.y_test.ravel(), "k--o", label="expected")
for (name, pred), marker in zip(many_preds.items(), ["-s", "-D"]):
    ax2.plot(steps, pred, marker, label=name, alpha=0.8)
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
