"""Import TensorFlow and Keras without flooding the console.

TensorFlow's C++ runtime writes start-up lines to the process's standard error
(oneDNN notices, CUDA probing, CPU feature guards) before its logging is
configured, so ``TF_CPP_MIN_LOG_LEVEL`` alone cannot hide them. Importing
sklstm itself touches nothing: TensorFlow is imported only when the estimator
(or another part that needs it) is first used, and only then, unless
``TF_CPP_MIN_LOG_LEVEL`` is ``0`` or ``1`` (the user asks for logs):

- file descriptor 2 points at ``/dev/null`` while TensorFlow imports and
  discovers its devices, and is restored straight after;
- when ``TF_CPP_MIN_LOG_LEVEL`` is unset, it is set to ``3`` for that same
  import only (TensorFlow reads it once, at import) and removed again, so
  the environment that child processes inherit is left as the user set it;
- TensorFlow's Python logger drops its "triggered tf.function retracing"
  notices.

``KERAS_BACKEND`` defaults to ``tensorflow`` for the import of Keras only.
``OMP_NUM_THREADS`` (or ``SKLSTM_NUM_THREADS``), when set, also sizes
TensorFlow's intra- and inter-op thread pools at import: process-based
parallel backends (joblib's loky, Dask workers) set it to each worker's share
of the cores.

To see TensorFlow's logs, set ``TF_CPP_MIN_LOG_LEVEL=0`` (or ``1``) before
sklstm imports TensorFlow, or import TensorFlow yourself first: sklstm then
leaves the import alone. ``2`` and ``3`` keep the console quiet.
"""

import contextlib
import importlib
import logging
import os
import sys

__all__ = ["import_tensorflow", "stderr_silenced"]

_LEVEL = "TF_CPP_MIN_LOG_LEVEL"


def user_wants_logs():
    """True when ``TF_CPP_MIN_LOG_LEVEL`` asks for INFO or WARNING lines."""
    return os.environ.get(_LEVEL, "").strip() in ("0", "1")


@contextlib.contextmanager
def environ_default(name, value):
    """Set ``os.environ[name]`` for the block when it is unset, then unset it."""
    if name in os.environ:
        yield
        return
    os.environ[name] = value
    try:
        yield
    finally:
        os.environ.pop(name, None)


@contextlib.contextmanager
def stderr_silenced():
    """Point file descriptor 2 at ``/dev/null`` for the duration of the block.

    Python-level writes to ``sys.stderr`` are flushed first so that nothing
    the user printed before is lost.
    """
    try:
        sys.stderr.flush()
        saved = os.dup(2)
    except (OSError, ValueError, AttributeError):  # no real fd 2 (some IDEs)
        yield
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    try:
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)


def import_tensorflow():
    """Import and return ``(tensorflow, keras)``, quietly the first time.

    Returns
    -------
    tf : module
        The ``tensorflow`` module.
    keras : module
        The ``keras`` module (Keras 3 on the TensorFlow backend).
    """
    quiet = not user_wants_logs()
    with environ_default("KERAS_BACKEND", "tensorflow"):
        if "tensorflow" in sys.modules or not quiet:
            fresh = "tensorflow" not in sys.modules
            tf = importlib.import_module("tensorflow")
            if fresh:
                _limit_threads(tf)
        else:
            with environ_default(_LEVEL, "3"), stderr_silenced():
                tf = importlib.import_module("tensorflow")
                _limit_threads(tf)
                # Device discovery prints CUDA probing errors on machines
                # without a GPU; do it now, while standard error is silenced.
                tf.config.list_physical_devices()
                tf.constant(0.0)
        keras = importlib.import_module("keras")
    if quiet:
        logger = tf.get_logger()
        if _drop_retracing_notices not in logger.filters:
            logger.addFilter(_drop_retracing_notices)
    if keras.backend.backend() != "tensorflow":
        raise ImportError(
            f"sklstm needs Keras on the TensorFlow backend, but KERAS_BACKEND is "
            f"{keras.backend.backend()!r}; set KERAS_BACKEND=tensorflow before "
            "importing keras or sklstm."
        )
    return tf, keras


def _drop_retracing_notices(record: logging.LogRecord) -> bool:
    """Drop TensorFlow's "triggered tf.function retracing" notices.

    Every fit builds a new model and so traces new functions by design; the
    notice would be printed on the fifth fit of a grid search.
    """
    return "triggered tf.function retracing" not in record.getMessage()


def _limit_threads(tf):
    """Size TensorFlow's thread pools from ``OMP_NUM_THREADS`` when it is set.

    Process-based parallel backends give each worker its share of the cores
    this way: joblib's loky workers and Dask's nanny-started workers set
    ``OMP_NUM_THREADS``, which TensorFlow itself ignores. Without this, N
    workers on N cores would each start N TensorFlow threads. It must happen
    before TensorFlow's runtime starts, hence at import.
    """
    value = os.environ.get("SKLSTM_NUM_THREADS", os.environ.get("OMP_NUM_THREADS"))
    try:
        n = int(value)
    except (TypeError, ValueError):
        return
    if n > 0:
        try:
            tf.config.threading.set_intra_op_parallelism_threads(n)
            tf.config.threading.set_inter_op_parallelism_threads(n)
        except RuntimeError:  # the runtime already started
            pass
