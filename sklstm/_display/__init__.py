"""Plotting Displays in scikit-learn style: the training history
(``history``) and multi-step forecasts (``forecast``). Import no TensorFlow."""
