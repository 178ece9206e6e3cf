"""distributed: grid-search throughput with 1 and 2 worker processes.

The same ``GridSearchCV`` (five architectures x ``KFold(2)`` = 10 fits, no
refit; 100 epochs, batch 3, relu, 100 units, adam, mse on the many-to-many
reference data, y flattened to ``(n, 3)``) runs on two parallel backends:

- Dask: a ``LocalCluster`` of 2 worker processes with 1 thread each, under
  ``joblib.parallel_config(backend="dask")``. The 1-worker run restricts the
  tasks to one of the two workers (``workers=[address]``), which is the same
  as a cluster of one worker: the other one sits idle.
- joblib's own backend: ``n_jobs=1`` (sequential, in this process, what a
  user gets without parallelism; note that TensorFlow's thread pools span
  every core there, so this is not "one single-threaded worker") vs
  ``n_jobs=2`` (two loky worker processes, one TensorFlow thread each).
  loky replaces a worker whose memory grew by more than 300 MB since its
  first task (its leak protection), and TensorFlow processes grow by some
  20 MB per fit, so long runs pay a worker restart (TensorFlow's import)
  now and then; the report lists loky's warnings about it.

Every process that fits (the workers, and in full mode this one for
``n_jobs=1``) first imports TensorFlow and fits every architecture once, tiny
and in another configuration, so that start-up costs are out of the timings
but no training graph of the search is cached. The first search then shows
what a user's search costs: every process traces each configuration it meets
(the sequential search traces each one once; each worker traces those it is
sent, often all of them). The later searches (full mode: the median of 2)
show a running pool whose processes have cached the graphs. Every run must
give the same cross-validation scores (sklstm fits are reproducible across
processes with the same ``random_state``).

Each worker gets one core's worth of TensorFlow threads: Dask's nanny and
loky set ``OMP_NUM_THREADS`` in their workers and sklstm sizes TensorFlow's
thread pools from it (shown in the report).

Targets (issue #18): with 2 workers, at least 1.8x the fits per second of 1
worker on Dask and 1.5x with loky (``n_jobs=2``), on the first search and
on the later ones. They
means something only on an otherwise idle machine with 2 or more cores: the
report ends with the load average, which shows other processes' share.
"""

import os
import time
import warnings

import joblib
import numpy as np
from sklearn.model_selection import GridSearchCV, KFold

from sklstm import LSTMSeqRegressor
from sklstm._model.builders import ARCHITECTURES
from sklstm.datasets import load_reference

from ._common import ratio, verdict

TITLE = "distributed: GridSearchCV throughput with 1 and 2 worker processes"
SPEED_TARGETS = {"dask": 1.8, "joblib": 1.5}
SETTINGS = dict(units=100, activation="relu", batch_size=3)
FULL = dict(architectures=ARCHITECTURES, folds=2, epochs=100, repeats=3)
# One search only: no later searches to show.
QUICK = dict(architectures=("simple", "stacked"), folds=2, epochs=2, repeats=1)


def _data():
    data = load_reference("many_to_many_1")
    return data.X, data.y.reshape(len(data.y), -1)


def _search(archs, folds, epochs, n_jobs):
    est = LSTMSeqRegressor(epochs=epochs, random_state=0, **SETTINGS)
    return GridSearchCV(
        est,
        {"architecture": list(archs)},
        cv=KFold(folds),
        scoring="neg_mean_squared_error",
        refit=False,
        n_jobs=n_jobs,
    )


def _timed(search, X, y, repeats, **backend):
    """Fit ``search`` ``repeats`` times; return the first search's wall time,
    the median of the later ones (None if ``repeats`` is 1) and the search.

    ``backend`` (if any) goes to :func:`joblib.parallel_config`.
    """
    times = []
    for _ in range(repeats):
        with joblib.parallel_config(**backend):
            start = time.perf_counter()
            search.fit(X, y)
            times.append(time.perf_counter() - start)
    later = float(np.median(times[1:])) if repeats > 1 else None
    return times[0], later, search


def _forget_graphs():
    """Drop this process's cached training and predict graphs."""
    from sklstm._model.graph_cache import FORWARDS, LOOPS, TEMPLATES

    for pool in (LOOPS, TEMPLATES, FORWARDS):
        pool.clear()


def _warm_up(architectures):
    """Import TensorFlow (the sklstm way) and fit each architecture once, tiny.

    The first fit of an architecture in a process costs extra time (Keras and
    TensorFlow set up their code paths); every process pays it here, before
    the timed searches. The graphs traced here are then dropped: the searches'
    own configurations (100 units) are not among them anyway. Returns what
    the process's TensorFlow runs on: ``(OMP_NUM_THREADS, intra-op threads)``.
    """
    from sklstm._utils.tf import tf

    X, y = _data()
    for arch in architectures:
        LSTMSeqRegressor(architecture=arch, units=2, epochs=1).fit(X, y)
    _forget_graphs()
    return (
        os.environ.get("OMP_NUM_THREADS", "unset"),
        tf.config.threading.get_intra_op_parallelism_threads(),
    )


#: Dask's nanny sets ``MALLOC_TRIM_THRESHOLD_=65536`` in its workers by
#: default, which makes TensorFlow fits about 2x slower (see the scaling
#: guide); the cluster is started as the guide recommends, without it.
DASK_CONFIG = {"distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None}


def _start_dask():
    """A quiet 2-worker ``LocalCluster`` and its client, or None without Dask.

    The nannies run in this process and write their workers' environment
    into its ``os.environ`` (``OMP_NUM_THREADS=1`` ...), where the loky
    workers started later would inherit it: :func:`_stop_dask` puts the
    environment back.
    """
    try:
        import dask
        from distributed import Client, LocalCluster
    except ImportError:
        return None, None
    with dask.config.set(DASK_CONFIG):
        cluster = LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            dashboard_address=":0",  # any free port: never clash on 8787
            silence_logs=50,  # logging.CRITICAL: nothing on stderr
        )
    return cluster, Client(cluster)


def _stop_dask(cluster, client, environ):
    client.close()
    # Workers that trained models can take longer than the nanny's grace
    # period to exit on a busy machine; the nanny then kills them (and would
    # warn, but the cluster's logs are silenced).
    cluster.close()
    os.environ.clear()
    os.environ.update(environ)


def _measure_dask(client, settings, X, y):
    """Rows for 1 and 2 Dask workers, their scores, and the workers' threads."""
    workers = sorted(client.scheduler_info()["workers"])
    archs, folds, epochs, repeats = (
        settings[k] for k in ("architectures", "folds", "epochs", "repeats")
    )
    search = _search(archs, folds, epochs, n_jobs=-1)
    dask = dict(backend="dask", client=client)
    threads = sorted(set(client.run(_warm_up, archs, workers=workers[:2]).values()))
    one = _timed(search, X, y, repeats, workers=workers[:1], **dask)
    scores = [one[-1].cv_results_["mean_test_score"].copy()]
    client.run(_forget_graphs, workers=workers[:2])  # a cold first search again
    two = _timed(search, X, y, repeats, workers=workers[:2], **dask)
    scores.append(two[-1].cv_results_["mean_test_score"].copy())
    rows = [("dask", "1 worker", 1, *one[:2]), ("dask", "2 workers", 2, *two[:2])]
    return rows, scores, threads


def _measure_joblib(settings, X, y, quick):
    """Rows for n_jobs=1 (sequential) and n_jobs=2 (loky), their scores, the
    loky workers' threads and the warnings loky gave."""
    archs, folds, epochs, repeats = (
        settings[k] for k in ("architectures", "folds", "epochs", "repeats")
    )
    if not quick:  # as the workers are (not in the test suite's process)
        _warm_up(archs)
    one = _timed(_search(archs, folds, epochs, n_jobs=1), X, y, repeats)
    scores = [one[-1].cv_results_["mean_test_score"].copy()]
    # loky warns (from a thread of its own) when it replaces a worker whose
    # memory grew by more than 300 MB; report that instead of printing it.
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        # Start the loky workers and warm them up: each task takes seconds
        # (the TensorFlow import), so the two tasks land on the two workers.
        pool = joblib.Parallel(n_jobs=2)
        threads = sorted(set(pool(joblib.delayed(_warm_up)(archs) for _ in range(2))))
        search = _search(archs, folds, epochs, n_jobs=2)
        two = _timed(search, X, y, repeats)
        scores.append(two[-1].cv_results_["mean_test_score"].copy())
        # Free the workers' memory (each holds a TensorFlow runtime); they
        # exit in the background.
        from joblib.externals.loky import get_reusable_executor

        get_reusable_executor().shutdown(wait=False)
    rows = [
        ("joblib", "n_jobs=1 (sequential)", 1, *one[:2]),
        ("joblib", "n_jobs=2 (loky)", 2, *two[:2]),
    ]
    ours = [w for w in caught if "loky" in w.filename]
    for w in caught:
        if w not in ours:
            warnings.showwarning(w.message, w.category, w.filename, w.lineno)
    messages = sorted({str(w.message).split(".")[0] for w in ours})
    return rows, scores, threads, messages


def run(report, quick=False, *, client=None):
    """Run the benchmark and add it to ``report``.

    ``client``: a Dask client whose (first two) workers to use instead of
    starting a ``LocalCluster``; the test suite passes its own.
    """
    settings = QUICK if quick else FULL
    archs, folds, epochs = (settings[k] for k in ("architectures", "folds", "epochs"))
    n_fits = len(archs) * folds
    X, y = _data()
    report.heading(TITLE)
    report.text(
        f"many_to_many_1: X {X.shape}, y {y.shape}; {len(archs)} architectures x "
        f"KFold({folds}) = {n_fits} fits per search, no refit; {epochs} epochs, "
        f"batch {SETTINGS['batch_size']}, {SETTINGS['units']} units, relu; "
        f"{settings['repeats']} searches in a row; every process warmed up "
        "first, with no graph of the search cached."
    )
    rows, scores, notes = [], [], []
    own = client is None
    cluster = None
    environ = dict(os.environ)
    if own:
        cluster, client = _start_dask()
    if client is None:
        notes.append(
            "dask: skipped, dask.distributed is not installed "
            "(pip install 'sklstm[distributed]')"
        )
    else:
        try:
            dask_rows, dask_scores, threads = _measure_dask(client, settings, X, y)
        finally:
            if own:
                _stop_dask(cluster, client, environ)
        rows += dask_rows
        scores += dask_scores
        notes.append(f"dask workers (OMP_NUM_THREADS, TF intra-op threads): {threads}")
    joblib_rows, joblib_scores, threads, messages = _measure_joblib(
        settings, X, y, quick
    )
    rows += joblib_rows
    scores += joblib_scores
    notes.append(f"loky workers (OMP_NUM_THREADS, TF intra-op threads): {threads}")
    notes.append(
        "joblib n_jobs=1 runs in this process, whose TensorFlow thread pools "
        f"span all {os.cpu_count()} cores"
    )
    notes += [f"loky warned: {message}" for message in messages]

    # backend -> its one-process times: (first search, later searches)
    base = {row[0]: row[3:] for row in rows if row[2] == 1}
    table = []
    for backend, label, _, *times in rows:
        cells = []
        for one, seconds in zip(base[backend], times):
            cells += (
                ["-", "-"]
                if seconds is None
                else [f"{seconds:.2f}", ratio(one, seconds)]
            )
        table.append([backend, label, *cells])
    header = ["backend", "workers", "first search s", "speedup"]
    report.table(header + ["later searches s", "speedup"], table)
    report.text(
        f"{n_fits} fits per search. first search: every process traces the "
        "configurations it meets; later searches: "
        + ("none (one search)." if settings["repeats"] == 1 else "their median.")
    )
    for note in notes:
        report.text(note)
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    report.text(
        f"load average (1, 5, 15 min) at the end: {load} on {os.cpu_count()} "
        "cores (this benchmark alone keeps it near 2; more means that other "
        "processes competed for the cores)."
    )
    same = all(np.array_equal(scores[0], s) for s in scores[1:])
    report.text(f"same cv scores in every run: {'yes' if same else 'NO'}")
    labels = {"dask": "2 workers / 1", "joblib": "n_jobs=2 / n_jobs=1"}
    for backend, _, n, *times in rows:
        if n != 2:
            continue
        target = SPEED_TARGETS[backend]
        names = ("first search", "later searches")
        for name, one, seconds in zip(names, base[backend], times):
            shown = "not measured" if seconds is None else ratio(one, seconds)
            met = seconds is not None and one / seconds >= target
            report.text(
                f"{backend} throughput ratio ({labels[backend]}), {name}: {shown} "
                f"-- target >= {target}x: {verdict(met, quick)}"
            )
