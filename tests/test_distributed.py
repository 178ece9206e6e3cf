"""Grid searches on a real Dask cluster of worker processes.

One ``LocalCluster`` of two single-threaded worker processes serves the whole
module. A distributed ``GridSearchCV`` (Dask, or joblib's own loky processes)
must give exactly the results of a local ``n_jobs=1`` search, its workers
must run TensorFlow on one thread each, and a worker process killed in the
middle of a search must not lose the search: Dask reruns the lost tasks
elsewhere and the nanny restarts the worker. Also here: the Ray route (only
where Ray is installed), a smoke run of ``benchmarks/distributed.py`` and a
check of ``benchmarks/gpu_check.py``'s cuDNN detection.
"""

import os
import signal
import sys
import threading
import time
from pathlib import Path

import joblib
import numpy as np
import pytest
from numpy.testing import assert_array_equal
from sklearn.model_selection import GridSearchCV, KFold

from sklstm import LSTMSeqRegressor
from sklstm.datasets import load_many_to_many

distributed = pytest.importorskip("distributed")
dask = pytest.importorskip("dask")

ROOT = Path(__file__).resolve().parent.parent
ARCHITECTURES = ["simple", "stacked", "encoder_decoder"]
FOLDS = 2  # 3 architectures x 2 folds = 6 fit tasks per search


def _data():
    # The many-to-many reference problem scaled down, and two shifted copies:
    # 60 samples. X (1,440 bytes) is above joblib's 1 kB threshold, so its
    # Dask backend scatters X and y to the workers instead of sending them
    # with every task, as it does for any real data set.
    data = load_many_to_many()
    X, y = data.X / 100.0, data.y.reshape(len(data.y), -1) / 100.0
    shifts = (0.0, 0.05, 0.1)
    X = np.concatenate([X + s for s in shifts])
    y = np.concatenate([y + s for s in shifts])
    return X, y


def _search(n_jobs):
    est = LSTMSeqRegressor(units=4, epochs=3, batch_size=4, random_state=0)
    return GridSearchCV(
        est,
        {"architecture": ARCHITECTURES},
        cv=KFold(FOLDS),
        n_jobs=n_jobs,
        refit=False,  # refit runs in the client process either way
    )


def _dask_search(client, X, y, **backend):
    with joblib.parallel_config(backend="dask", client=client, **backend):
        return _search(n_jobs=-1).fit(X, y)


@pytest.fixture(scope="module")
def local_search():
    X, y = _data()
    return _search(n_jobs=1).fit(X, y)


@pytest.fixture(scope="module")
def client():
    # Workers are spawned with this process's sys.path; they need the
    # repository root to unpickle functions of the benchmarks package.
    added = str(ROOT) not in sys.path
    if added:
        sys.path.insert(0, str(ROOT))
    # As the scaling guide recommends: without Dask's MALLOC_TRIM_THRESHOLD_,
    # which slows TensorFlow fits about 2x. The nannies write their workers'
    # environment into this process's, which is put back afterwards.
    from benchmarks.distributed import DASK_CONFIG

    environ = dict(os.environ)
    with dask.config.set(DASK_CONFIG):
        cluster = distributed.LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            dashboard_address=":0",  # any free port: never clash on 8787
        )
    client = distributed.Client(cluster)
    yield client
    client.close()
    cluster.close()
    os.environ.clear()
    os.environ.update(environ)
    if added:
        sys.path.remove(str(ROOT))


def _assert_same_search(search, expected):
    results, reference = search.cv_results_, expected.cv_results_
    assert np.all(np.isfinite(results["mean_test_score"]))
    for fold in range(FOLDS):
        key = f"split{fold}_test_score"
        assert_array_equal(results[key], reference[key])
    assert_array_equal(results["mean_test_score"], reference["mean_test_score"])
    assert search.best_params_ == expected.best_params_


def test_dask_search_equals_local_search(client, local_search):
    # Bit-identical: fits with one random_state are reproducible across
    # processes, and the worker's single TF thread changes no result.
    X, y = _data()
    assert X.nbytes > 1e3  # so joblib scatters it
    _assert_same_search(_dask_search(client, X, y), local_search)


def _tf_threads():
    """What a worker reports: its OMP_NUM_THREADS and TF's thread pools."""
    from sklstm import LSTMSeqRegressor  # noqa: F401  (imports TF the sklstm way)
    from sklstm._utils.tf import tf

    return (
        os.environ.get("OMP_NUM_THREADS"),
        tf.config.threading.get_intra_op_parallelism_threads(),
        tf.config.threading.get_inter_op_parallelism_threads(),
    )


def test_workers_run_tensorflow_on_one_thread(client):
    threads = client.run(_tf_threads)
    assert len(threads) == 2
    assert set(threads.values()) == {("1", 1, 1)}


def _malloc_trim_threshold():
    return os.environ.get("MALLOC_TRIM_THRESHOLD_")


# Read before any cluster of this module starts: a LocalCluster's nannies
# write their workers' variables into this process's environment.
_MALLOC_TRIM_AT_IMPORT = _malloc_trim_threshold()


def test_recommended_config_starts_workers_without_malloc_trim(client):
    # The scaling guide's setting (Dask's default, 65536, slows TensorFlow
    # fits about 2x): the workers of the fixture's cluster, started with it,
    # have no MALLOC_TRIM_THRESHOLD_ unless this process had one.
    values = set(client.run(_malloc_trim_threshold).values())
    assert values == {_MALLOC_TRIM_AT_IMPORT}
    assert dask.config.get("distributed.nanny.pre-spawn-environ")[
        "MALLOC_TRIM_THRESHOLD_"
    ]  # Dask's own default is still there outside the setting


class _TaskLog(distributed.SchedulerPlugin):
    """Scheduler plugin: count finished tasks, note lost ones and lost workers."""

    name = "sklstm-task-log"

    def __init__(self):
        self.finished = set()
        self.released_while_processing = set()
        self.removed_workers = []

    def transition(self, key, start, finish, *args, **kwargs):
        if start == "processing" and finish == "memory":  # a fit is done
            self.finished.add(key)
        elif start == "processing" and finish == "released":
            self.released_while_processing.add(key)

    def remove_worker(self, scheduler, worker, **kwargs):
        self.removed_workers.append(worker)


def _task_log(dask_scheduler):
    log = dask_scheduler.plugins[_TaskLog.name]
    return dict(
        finished=set(log.finished),
        lost=set(log.released_while_processing),
        removed=list(log.removed_workers),
    )


def _kill_a_busy_worker(client, pids, killed, stop, timeout=120):
    """Once the first task has finished, SIGKILL a worker that has tasks."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and not stop.is_set():
        if client.run_on_scheduler(_task_log)["finished"]:
            busy = [w for w, keys in client.processing().items() if keys]
            if busy:
                killed["address"], killed["pid"] = busy[0], pids[busy[0]]
                os.kill(pids[busy[0]], signal.SIGKILL)
                return
        time.sleep(0.02)


def test_search_survives_a_killed_worker(client, local_search):
    client.wait_for_workers(2, timeout=60)
    client.register_plugin(_TaskLog())
    pids = client.run(os.getpid)
    killed, stop = {}, threading.Event()
    killer = threading.Thread(
        target=_kill_a_busy_worker, args=(client, pids, killed, stop)
    )
    killer.start()
    # The recipe of docs/scaling.rst: a copy of X and y on every worker, kept
    # there. Without it, joblib scatters them to one worker only, and the
    # search fails if that worker dies before another one holds a copy.
    X, y = _data()
    client.amm.stop()
    try:
        search = _dask_search(client, X, y, scatter=[X, y])
    finally:
        client.amm.start()
        stop.set()
        killer.join()
    # The kill landed mid-search, on a worker with tasks in flight ...
    assert killed, "no worker was killed: no task finished within the timeout"
    log = client.run_on_scheduler(_task_log)
    assert killed["address"] in log["removed"]
    assert log["lost"], "the killed worker had no task to lose"
    # ... Dask ran the lost tasks again elsewhere ...
    assert log["lost"] <= log["finished"]
    # ... and the search has every result, equal to the local one.
    _assert_same_search(search, local_search)
    # The nanny restarted the worker, again with one TF thread.
    client.wait_for_workers(2, timeout=60)
    threads = client.run(_tf_threads)
    assert killed["pid"] not in client.run(os.getpid).values()
    assert set(threads.values()) == {("1", 1, 1)}


def test_ray_backend_matches_local_search(local_search):
    # Ray is not a dependency of any extra (its wheel is ~80 MB); this runs
    # only where it is installed.
    ray = pytest.importorskip("ray")
    from ray.util.joblib import register_ray

    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    try:
        register_ray()
        X, y = _data()
        with joblib.parallel_config(backend="ray"):
            search = _search(n_jobs=-1).fit(X, y)
    finally:
        ray.shutdown()
    _assert_same_search(search, local_search)


def test_loky_search_equals_local_search(local_search):
    # joblib's default backend, what n_jobs=2 gives without Dask. Its two
    # worker processes stay up for the benchmark's loky run below.
    X, y = _data()
    _assert_same_search(_search(n_jobs=2).fit(X, y), local_search)


def test_benchmark_quick_mode(client, capsys, monkeypatch):
    from benchmarks import BENCHMARKS
    from benchmarks import distributed as bench
    from benchmarks.__main__ import _parser
    from benchmarks._common import Report

    assert "distributed" in BENCHMARKS
    assert _parser().parse_args(["--only", "distributed"]).only == ["distributed"]
    # One candidate instead of two: every code path, half the fits (the
    # other benchmarks' quick modes run in tests/test_benchmarks.py).
    monkeypatch.setitem(bench.QUICK, "architectures", ("simple",))
    bench.run(Report("sklstm benchmarks"), quick=True, client=client)
    text = capsys.readouterr().out
    for line in (
        "== distributed: ",
        "backend  workers                first search s  speedup  later searches s",
        "dask workers (OMP_NUM_THREADS, TF intra-op threads): [('1', 1)]",
        "loky workers (OMP_NUM_THREADS, TF intra-op threads): [('1', 1)]",
        "same cv scores in every run: yes",
        "dask throughput ratio (2 workers / 1), first search: ",
        "joblib throughput ratio (n_jobs=2 / n_jobs=1), first search: ",
        "joblib throughput ratio (n_jobs=2 / n_jobs=1), later searches: not measured",
    ):
        assert line in text, f"{line!r} missing from:\n{text}"


def test_gpu_check_finds_cudnn_where_keras_allows_it(monkeypatch):
    # Without a GPU, pretend Keras sees one, and build (not run) the models.
    import importlib

    import tensorflow as tf

    if not tf.config.list_physical_devices("GPU"):
        rnn = importlib.import_module("keras.src.backend.tensorflow.rnn")
        assert hasattr(rnn, "_is_gpu_available"), (
            "Keras no longer decides on cuDNN with rnn._is_gpu_available: update "
            "this test's GPU stand-in and benchmarks/gpu_check.py's cuDNN rule."
        )
        monkeypatch.setattr(rnn, "_is_gpu_available", lambda: True)
    if str(ROOT) not in sys.path:
        monkeypatch.syspath_prepend(str(ROOT))
    from benchmarks import gpu_check
    from sklstm._model.compile import build_compiled_model

    def model(steps, **params):
        est = LSTMSeqRegressor(architecture="stacked", units=4, **params)
        return build_compiled_model(est, (steps, 4), (3, 1), 0)

    def check(m, steps):
        layers = list(gpu_check._recurrent_layers(m))
        eligible = [gpu_check.cudnn_eligible(layer) for layer in layers]
        return eligible, gpu_check.cudnn_ops(m, (steps, 4))

    assert check(model(24, activation="tanh"), 24) == ([True, True], 2)
    assert check(model(24, activation="relu"), 24) == ([False, False], 0)
    assert check(model(3, activation="tanh"), 3) == ([False, False], 0)  # unrolled
