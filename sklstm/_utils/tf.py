"""TensorFlow and Keras, imported once and quietly (see :mod:`sklstm._utils.quiet`)."""

from .quiet import import_tensorflow

tf, keras = import_tensorflow()

__all__ = ["keras", "tf"]
