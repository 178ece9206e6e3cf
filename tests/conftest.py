import os
import threading

import numpy as np
import pytest

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
# Under pytest-xdist (`make test` runs a worker per core) each worker runs
# TensorFlow on one thread (sklstm sizes TF's pools from SKLSTM_NUM_THREADS),
# instead of every worker's pools competing for all cores: measured 20%
# faster on 2 cores. Set before any test module imports TensorFlow.
if os.environ.get("PYTEST_XDIST_WORKER"):
    os.environ.setdefault("SKLSTM_NUM_THREADS", "1")


@pytest.fixture
def assert_threaded_fits_equal_sequential():
    """Check that estimators fitted in parallel threads predict as sequential ones."""
    from sklstm import LSTMSeqRegressor

    def check(params, X, Y):
        sequential = [LSTMSeqRegressor(**p).fit(X, Y).predict(X) for p in params]
        results = [None] * len(params)

        def work(i):
            results[i] = LSTMSeqRegressor(**params[i]).fit(X, Y).predict(X)

        threads = [threading.Thread(target=work, args=(i,)) for i in range(len(params))]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        for got, expected in zip(results, sequential, strict=True):
            np.testing.assert_array_equal(got, expected)

    return check
