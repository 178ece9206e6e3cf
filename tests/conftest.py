import os
import threading

import numpy as np
import pytest

os.environ.setdefault("KERAS_BACKEND", "tensorflow")


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
