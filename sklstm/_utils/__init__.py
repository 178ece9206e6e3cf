"""Foundations every other part may import: TensorFlow and Keras imported
once and quietly (``tf``, ``quiet``), the one module that imports SciKeras and
patches what it lacks for current scikit-learn (``scikeras``), the
routed-parameter rule (``routing``), every seed of a fit (``seeds``), and the
list of private APIs of other packages that sklstm relies on
(``private_api``). Imports nothing else of sklstm."""
