"""A per-process, bounded cache of traced graphs, keyed by configuration.

TensorFlow keeps every traced function alive for the life of the process,
even after its model and the :func:`tf.function` are gone (tensorflow#62854),
so tracing one graph per fit grows memory without bound and pays 1-3 s of
tracing and graph optimization every time. sklstm therefore traces a graph
once per *configuration* (architecture, shapes, optimizer, loss, engine
options) on a private template model, and moves each fit's weights in and
out of the template's variables. The number of templates is bounded (least
recently used ones are dropped), which bounds both memory and tracing.

This module holds every pool (:data:`LOOPS`, :data:`TEMPLATES`,
:data:`FORWARDS`) and the keys they are indexed by (:func:`structure_key`,
:func:`graph_key`).
"""

import collections
import contextlib
import json
import threading
import types

from .._utils.tf import keras

__all__ = [
    "FORWARDS",
    "LOOPS",
    "TEMPLATES",
    "GraphCache",
    "clone_compiled",
    "copy_values",
    "graph_key",
    "keras_config",
    "structure_key",
]


class GraphCache:
    """Thread-safe LRU pool of entries (templates with their traced graphs).

    :meth:`take` hands an entry out for exclusive use (a training template
    holds one fit's state in its variables) and :meth:`give` returns it; two
    threads fitting one configuration at once get two entries. :meth:`get`
    shares one entry between callers, for graphs without state.

    Parameters
    ----------
    maxsize : int
        Most idle entries kept; the least recently used go first.
    """

    def __init__(self, maxsize):
        self.maxsize = maxsize
        self._idle = collections.OrderedDict()  # key -> list of idle entries
        self._lock = threading.Lock()

    def take(self, key, make):
        """Remove and return an idle entry for ``key``, or ``make()`` a new one."""
        with self._lock:
            idle = self._idle.get(key)
            if idle:
                entry = idle.pop()
                if not idle:
                    del self._idle[key]
                return entry
        return make()

    def give(self, key, entry):
        """Return ``entry`` to the pool, dropping the least recently used."""
        with self._lock:
            self._idle.setdefault(key, []).append(entry)
            self._idle.move_to_end(key)
            self._evict()

    def get(self, key, make):
        """Return the shared entry for ``key``, made once by ``make()``."""
        with self._lock:
            idle = self._idle.get(key)
            if idle is None:
                idle = self._idle[key] = [make()]
            self._idle.move_to_end(key)
            self._evict()
            return idle[0]

    @contextlib.contextmanager
    def lend(self, key, model, make, *, template=lambda entry: entry):
        """Lend an entry for ``key`` whose template holds ``model``'s state.

        The template's variables (weights and optimizer state) take
        ``model``'s values on entry and give them back on exit, also when
        the block raises; the entry then returns to the pool.

        Parameters
        ----------
        key : hashable
            The configuration.
        model : keras.Model
            The compiled model whose state is trained.
        make : callable
            Makes a new entry when none is idle.
        template : callable, default=identity
            Returns the template model of an entry.
        """
        entry = self.take(key, make)
        shadow = template(entry)
        copy_values(shadow.variables, model.variables)
        copy_values(shadow.optimizer.variables, model.optimizer.variables)
        try:
            yield entry
        finally:
            copy_values(model.variables, shadow.variables)
            copy_values(model.optimizer.variables, shadow.optimizer.variables)
            self.give(key, entry)

    def _evict(self):
        while sum(map(len, self._idle.values())) > self.maxsize:
            oldest = next(iter(self._idle))
            self._idle[oldest].pop(0)
            if not self._idle[oldest]:
                del self._idle[oldest]

    def clear(self):
        """Drop every idle entry."""
        with self._lock:
            self._idle.clear()

    def __len__(self):
        with self._lock:
            return sum(map(len, self._idle.values()))


def clone_compiled(model):
    """A template: a structural copy of a compiled ``model``, built, compiled.

    The copy gets its own variables and a fresh optimizer of the same class
    and configuration, built so that its variables mirror the model's.
    """
    clone = keras.models.clone_model(model)
    optimizer = type(model.optimizer).from_config(model.optimizer.get_config())
    clone.compile(optimizer=optimizer, loss=model.loss)
    optimizer.build(clone.trainable_variables)
    return clone


def copy_values(targets, sources):
    """Assign every source variable's value to its target variable."""
    targets, sources = list(targets), list(sources)
    if len(targets) != len(sources) or any(
        tuple(t.shape) != tuple(s.shape) for t, s in zip(targets, sources)
    ):
        raise ValueError("The model does not match its cached template.")
    for target, source in zip(targets, sources):
        target.assign(source.value)


# ------------------------------------------------------------------- keys
def _without_seeds(config):
    if isinstance(config, dict):
        return {k: _without_seeds(v) for k, v in config.items() if k != "seed"}
    if isinstance(config, list | tuple):
        return [_without_seeds(v) for v in config]
    return config


def structure_key(model):
    """What determines ``model``'s layers and shapes: its configuration.

    Seeds, which only change initial values, are left out. Models built by
    :func:`build_compiled_model` from the same parameters and shapes have
    the same layer names (see :func:`with_fresh_names`) and so the same key,
    also after pickling or saving. Computed once per model.
    """
    structure = getattr(model, "_sklstm_structure", None)
    if structure is None:
        config = json.dumps(
            _without_seeds(model.get_config()), sort_keys=True, default=repr
        )
        # A namespace (unlike a string) is neither tracked nor saved by Keras.
        structure = model._sklstm_structure = types.SimpleNamespace(key=config)
    return structure.key


def keras_config(obj):
    """A hashable, comparable stand-in for a Keras object's configuration."""
    if isinstance(obj, str) or callable(obj) and not hasattr(obj, "get_config"):
        return obj  # a name or a plain function (kept alive by the key)
    config = dict(obj.get_config())
    config.pop("name", None)
    if isinstance(config.get("learning_rate"), float):
        config.pop("learning_rate")  # a variable: copied in with the state
    return type(obj), json.dumps(config, sort_keys=True, default=repr)


def graph_key(model):
    """Key of ``model``'s training graph: structure, optimizer and loss.

    Two compiled models with one key train with the same graph. A float
    learning rate is left out: it is an optimizer variable, carried with the
    optimizer's state.
    """
    return structure_key(model), keras_config(model.optimizer), keras_config(model.loss)


# ------------------------------------------------------------------ pools
#: The fused engine's templates with their traced training loops, keyed by
#: :func:`graph_key` and the loop's data layout.
LOOPS = GraphCache(maxsize=16)
#: Keras's own loop: templates whose ``fit`` Keras has traced, by
#: :func:`graph_key`.
TEMPLATES = GraphCache(maxsize=8)
#: Forward passes for ``predict``, shared by every model of a structure
#: (:func:`structure_key`); the weights are inputs of the graph.
FORWARDS = GraphCache(maxsize=16)
