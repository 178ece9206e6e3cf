"""
===================================================
Grid search over the architectures, with a baseline
===================================================

Because :class:`~sklstm.LSTMSeqRegressor` is an ordinary scikit-learn
estimator, one :class:`~sklearn.model_selection.GridSearchCV` can compare the
five LSTM architectures with a classical model in the same cross-validation.
The classical baseline flattens each sequence with
:class:`~sklstm.SequenceFlattener` and fits a
:class:`~sklearn.linear_model.Ridge` regression on the flat rows.

The data is the many-to-many reference problem with two features: three
steps of two features in, three steps of one feature out.
"""

# %%
# The data
# --------
# ``X`` has shape ``(20, 3, 2)``. :class:`~sklearn.preprocessing.StandardScaler`
# needs 2-D input, so the sequences are flattened time-major,
# ``X.reshape(20, -1)``, and :class:`~sklstm.SequenceReshaper` turns the scaled
# rows back into sequences inside the pipeline. The target ``(20, 3, 1)``
# becomes the 2-D ``(20, 3)`` that scikit-learn's scorers and
# :class:`~sklearn.compose.TransformedTargetRegressor` expect.
import matplotlib.pyplot as plt
import numpy as np
from sklearn.compose import TransformedTargetRegressor
from sklearn.linear_model import Ridge
from sklearn.model_selection import GridSearchCV, ShuffleSplit
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import StandardScaler

from sklstm import LSTMSeqRegressor, SequenceFlattener, SequenceReshaper
from sklstm.datasets import load_many_to_many

data = load_many_to_many(n_features=2)
X = data.X.reshape(len(data.X), -1)  # (20, 6): step 1 (2 features), step 2, ...
y = data.y.reshape(len(data.y), -1)  # (20, 3)
print(X.shape, y.shape)

# %%
# One pipeline, two kinds of model
# --------------------------------
# The last step of the pipeline is itself a hyperparameter: the grid is a list
# of two sub-grids, one that tries the five architectures and one that swaps
# in the flattener and ridge regression. Inputs and targets are scaled in both.
# The networks are small and trained briefly so that the example runs fast.
lstm = LSTMSeqRegressor(units=16, learning_rate=0.02, epochs=30, random_state=0)
pipe = Pipeline(
    [
        ("scale", StandardScaler()),
        ("sequences", SequenceReshaper(n_features=2)),
        ("model", lstm),
    ]
)
model = TransformedTargetRegressor(regressor=pipe, transformer=StandardScaler())

architectures = [
    "simple",
    "stacked",
    "bidirectional",
    "encoder_decoder",
    "bidirectional_encoder_decoder",
]
param_grid = [
    {"regressor__model": [lstm], "regressor__model__architecture": architectures},
    {"regressor__model": [make_pipeline(SequenceFlattener(), Ridge(alpha=1e-3))]},
]

# %%
# Two random splits keep the example fast; with 20 samples, each trains on
# 15 and scores the R² on the other 5. ``refit=False``: only the scores are
# needed here.
cv = ShuffleSplit(n_splits=2, test_size=5, random_state=0)
search = GridSearchCV(model, param_grid, cv=cv, refit=False)
search.fit(X, y)

# %%
# The scores
# ----------
# All the scores are close to 1, so the chart shows what is left to explain,
# ``1 - R²``, on a log scale: the shorter the bar, the better the model.
results = search.cv_results_
labels = [
    params.get("regressor__model__architecture", "flatten + ridge")
    for params in results["params"]
]
means = results["mean_test_score"]
for label, mean in zip(labels, means):
    print(f"{label:>30}: R² = {mean:.4f}")

fig, ax = plt.subplots(figsize=(8, 4), layout="constrained")
positions = np.arange(len(labels))
colors = ["C0"] * len(architectures) + ["C1"]
ax.barh(positions, np.maximum(1 - means, 1e-6), color=colors)
ax.set_xscale("log")
ax.set_yticks(positions, labels)
ax.invert_yaxis()
ax.set_xlabel("1 - mean R² over the CV splits (log scale, lower is better)")
ax.set_title("Many-to-many reference problem (2 features)")
plt.show()

# %%
# The target is a linear function of the inputs, so ridge regression fits it
# almost exactly, and the grid search shows, in the same units, how far the
# briefly trained networks are from it. More ``epochs`` bring them closer, at
# the cost of time.
