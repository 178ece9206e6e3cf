"""GPU readiness check: is a GPU visible, and what do sklstm's fits cost on it?

Run from the repository root (only sklstm needs to be installed)::

    python benchmarks/gpu_check.py            # a few minutes on a GPU
    python benchmarks/gpu_check.py --quick    # smoke test, also on a CPU

It prints, as it goes:

1. TensorFlow's view of the machine: the GPUs it sees and the CUDA / cuDNN
   versions it was built with.
2. The large-data case: 200,000 random windows of 24 steps x 4 features, a
   "stacked" model of 50 units, batch 256, 2 epochs, with
   ``activation="relu"`` (the reference tutorial's; Keras cannot use the cuDNN
   kernel) and ``activation="tanh"`` (cuDNN-eligible: 24 steps are above
   sklstm's unrolling limit), seeded (sklstm then enables TensorFlow's op
   determinism on GPUs) and unseeded. For each fit: its time, its final loss
   and whether the model's graph holds cuDNN ops (``CudnnRNN*``), which is
   the proof that Keras picked the cuDNN kernel.
3. The ten reference experiments at the reference settings (1000 epochs,
   batch 3), with relu and with tanh: fit time and worst error of the
   prediction. Their 1 or 3 steps are unrolled, so cuDNN is never used there.

A time budget (``--budget``, 270 s by default) keeps the run under about five
minutes: cases that would start after it are listed as skipped. Every case
catches its own errors and prints them, so one run reports everything.
"""

import argparse
import os
import sys
import time

import numpy as np

import sklstm  # noqa: F401  (before TensorFlow: keeps its start-up noise quiet)
from sklstm import LSTMSeqRegressor
from sklstm._model.builders import UNROLL_MAX_STEPS
from sklstm._tutorial import EXPERIMENTS, run_experiment
from sklstm._utils.tf import keras, tf

FULL = dict(n=200_000, epochs=2, reference_epochs=None)  # None: the reference's
QUICK = dict(n=2_000, epochs=1, reference_epochs=2)
TIMESTEPS, FEATURES, OUT_STEPS = 24, 4, 3
BATCH, UNITS = 256, 50


def describe_devices():
    """Print TensorFlow's build and the devices it sees; return the GPUs."""
    info = tf.sysconfig.get_build_info()
    print(
        f"TensorFlow {tf.__version__}, Keras {keras.__version__}, built with CUDA: "
        f"{tf.test.is_built_with_cuda()} (CUDA {info.get('cuda_version', '-')}, "
        f"cuDNN {info.get('cudnn_version', '-')})"
    )
    gpus = tf.config.list_physical_devices("GPU")
    print(f"GPUs visible to TensorFlow: {len(gpus)}")
    for gpu in gpus:
        details = tf.config.experimental.get_device_details(gpu)
        print(
            f"  {gpu.name}: {details.get('device_name', '?')}, compute capability "
            f"{details.get('compute_capability', '?')}"
        )
    if not gpus:
        print("  none: every fit below runs on the CPU")
    print(f"CPU cores: {os.cpu_count()}")
    return gpus


def _recurrent_layers(model):
    for layer in model.layers:
        if isinstance(layer, keras.layers.Bidirectional):
            yield layer.forward_layer
            yield layer.backward_layer
        elif isinstance(layer, keras.layers.RNN):
            yield layer


def cudnn_eligible(layer):
    """Whether Keras 3 may run ``layer`` with the cuDNN kernel (given a GPU).

    The conditions of ``keras/src/layers/rnn/lstm.py`` and of the TensorFlow
    backend's ``cudnn_ok``: an LSTM with tanh activation, sigmoid recurrent
    activation, a bias, no recurrent dropout, not unrolled, and
    ``use_cudnn`` left at "auto" (or True).
    """
    if not isinstance(layer, keras.layers.LSTM):
        return False
    cell = layer.cell
    return (
        cell.activation in (keras.activations.tanh, keras.ops.tanh, tf.tanh)
        and cell.recurrent_activation
        in (keras.activations.sigmoid, keras.ops.sigmoid, tf.sigmoid)
        and cell.use_bias
        and not cell.recurrent_dropout
        and not layer.unroll
        and layer.use_cudnn in ("auto", True)
    )


def cudnn_ops(model, input_shape):
    """Number of ``CudnnRNN*`` ops in the graph of the model's forward pass."""
    fn = tf.function(lambda x: model(x, training=False))
    spec = tf.TensorSpec((None,) + tuple(input_shape), tf.float32)
    graph_def = fn.get_concrete_function(spec).graph.as_graph_def()
    nodes = list(graph_def.node)
    for function in graph_def.library.function:
        nodes += list(function.node_def)
    return sum(node.op.startswith("CudnnRNN") for node in nodes)


def make_data(n):
    """Random float32 windows and a target linear in their last steps."""
    rng = np.random.default_rng(0)
    X = rng.standard_normal((n, TIMESTEPS, FEATURES), dtype=np.float32)
    y = X[:, -OUT_STEPS:, 0] + 0.5 * X[:, -OUT_STEPS:, 1]
    return X, y


class Budget:
    """Wall-clock budget: ``ok()`` is False once it is spent."""

    def __init__(self, seconds):
        self.end = time.perf_counter() + seconds

    def ok(self):
        return time.perf_counter() < self.end


def large_case(settings, budget):
    n, epochs = settings["n"], settings["epochs"]
    X, y = make_data(n)
    print(
        f"\n== large data: {n:,} windows x {TIMESTEPS} steps x {FEATURES} features "
        f"({X.nbytes / 1024**2:.0f} MB float32), stacked, {UNITS} units, batch "
        f"{BATCH}, {epochs} epoch(s) =="
    )
    print(
        f"sequences of {TIMESTEPS} steps > UNROLL_MAX_STEPS={UNROLL_MAX_STEPS}: "
        "not unrolled, so tanh layers are cuDNN-eligible"
    )
    header = (
        f"{'activation':<11}{'seed':<6}{'fit s':>8}{'loss':>10}  eligible  cuDNN ops"
    )
    print(header)
    for activation, seed in (("relu", 0), ("tanh", 0), ("tanh", None)):
        label = f"{activation:<11}{seed!s:<6}"
        if not budget.ok():
            print(f"{label}skipped (time budget spent)")
            continue
        est = LSTMSeqRegressor(
            architecture="stacked",
            units=UNITS,
            activation=activation,
            epochs=epochs,
            batch_size=BATCH,
            random_state=seed,
        )
        try:
            start = time.perf_counter()
            est.fit(X, y)
            seconds = time.perf_counter() - start
            layers = list(_recurrent_layers(est.model_))
            eligible = sum(cudnn_eligible(layer) for layer in layers)
            ops = cudnn_ops(est.model_, est.input_shape_)
        except Exception as exc:  # report and go on: one run tells everything
            print(f"{label}FAILED: {type(exc).__name__}: {exc}")
            continue
        print(
            f"{label}{seconds:>8.1f}{est.history_['loss'][-1]:>10.4f}"
            f"  {eligible}/{len(layers):<7} {ops}"
        )
        device = est.model_.weights[0].value.device if est.model_.weights else "?"
        print(f"{'':17}weights on {device}")


def reference_experiments(settings, budget):
    overrides = {}
    if settings["reference_epochs"] is not None:
        overrides["epochs"] = settings["reference_epochs"]
    epochs = overrides.get("epochs", 1000)
    print(
        f"\n== the ten reference experiments ({epochs} epochs, batch 3; 1 or 3 "
        f"steps: unrolled, never cuDNN) =="
    )
    print(
        f"{'problem':<16}{'architecture':<31}{'activation':<11}{'fit s':>8}{'error':>9}"
    )
    total = {}
    for activation in ("relu", "tanh"):
        for problem, arch in EXPERIMENTS:
            label = f"{problem:<16}{arch:<31}{activation:<11}"
            if not budget.ok():
                print(f"{label}skipped (time budget spent)")
                continue
            try:
                result = run_experiment(
                    problem, arch, seed=0, activation=activation, **overrides
                )
            except Exception as exc:
                print(f"{label}FAILED: {type(exc).__name__}: {exc}")
                continue
            total[activation] = total.get(activation, 0.0) + result["fit_time"]
            print(f"{label}{result['fit_time']:>8.1f}{result['error']:>9.3f}")
    for activation, seconds in total.items():
        print(f"total fit time, {activation}: {seconds:.1f} s")


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python benchmarks/gpu_check.py",
        description="Is a GPU visible, and how long do sklstm's fits take on it, "
        "with and without the cuDNN LSTM kernel?",
    )
    parser.add_argument(
        "--quick", action="store_true", help="tiny settings: a smoke test"
    )
    parser.add_argument(
        "--budget",
        type=float,
        default=270.0,
        help="seconds after which no new case starts (default: 270)",
    )
    args = parser.parse_args(argv)
    start = time.perf_counter()
    budget = Budget(args.budget)
    settings = QUICK if args.quick else FULL
    print(f"sklstm GPU check ({'QUICK: tiny settings' if args.quick else 'full'})")
    describe_devices()
    large_case(settings, budget)
    reference_experiments(settings, budget)
    print(f"\nall done in {time.perf_counter() - start:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
