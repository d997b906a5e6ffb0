"""``tf.data.Options``: the pipeline options, set with ``Dataset.with_options`` and read
with ``Dataset.options()``.

gpuflow accepts and stores every option TensorFlow 2.21 has, with its type checks, and
merges them along a pipeline as TensorFlow does (options given later win). Its pipelines
do not read them: gpuflow has no graph rewrites (``experimental_optimization``), keeps
element order unless a transformation is given ``deterministic=False``, and sizes its
thread pools from ``num_parallel_calls``.
"""

from __future__ import annotations

import enum

from .dataset import Dataset


class AutoShardPolicy(enum.IntEnum):
    """How a multi-worker strategy shards a dataset (``tf.data.experimental.AutoShardPolicy``)."""

    OFF = -1
    AUTO = 0
    FILE = 1
    DATA = 2
    HINT = 3


class ExternalStatePolicy(enum.IntEnum):
    """What to do with external state when a dataset is saved."""

    WARN = 0
    IGNORE = 1
    FAIL = 2


class _OptionsBase:
    """Typed, optional fields: each is None (unset) until set to a value of its type."""

    _FIELDS: dict = {}  # name -> (type or tuple of types, default)
    _ALIASES: dict = {}  # old name -> name
    _NESTED: dict = {}  # name -> options class

    def __init__(self) -> None:
        values = {name: default for name, (_, default) in self._FIELDS.items()}
        values.update({name: cls() for name, cls in self._NESTED.items()})
        object.__setattr__(self, "_values", values)

    def __getattr__(self, name):
        name = type(self)._ALIASES.get(name, name)
        values = self.__dict__.get("_values")
        if values is not None and name in values:
            return values[name]
        raise AttributeError(f"{type(self).__name__} has no option {name!r}")

    def _freeze(self) -> None:
        """Make these options (and the nested ones) read-only: ``Dataset.options()``
        returns a merged copy, which a change would not reach."""
        object.__setattr__(self, "_frozen", True)
        for name in self._NESTED:
            self._values[name]._freeze()

    def __setattr__(self, name, value) -> None:
        if self.__dict__.get("_frozen"):
            raise ValueError(
                "Mutating `tf.data.Options()` returned by `tf.data.Dataset.options()` has "
                "no effect. Use `tf.data.Dataset.with_options(options)` to set or update "
                "dataset options."
            )
        name = self._ALIASES.get(name, name)
        if name in self._NESTED:
            if not isinstance(value, self._NESTED[name]):
                raise TypeError(
                    f'Property "{name}" must be of type {self._NESTED[name].__name__}, got: '
                    f"{value!r}"
                )
        elif name in self._FIELDS:
            kind = self._FIELDS[name][0]
            if value is not None and (
                not isinstance(value, kind) or (kind is int and isinstance(value, bool))
            ):
                raise TypeError(
                    f'Property "{name}" must be of type {kind}, got: {value!r} '
                    f"(type: {type(value)})"
                )
        else:
            raise AttributeError(f"Cannot set the property {name} on {type(self).__name__}.")
        self._values[name] = value

    def _merge_from(self, other: "_OptionsBase") -> None:
        for name, value in other._values.items():
            if name in self._NESTED:
                self._values[name]._merge_from(value)
            elif value is not None:
                self._values[name] = value

    def __eq__(self, other) -> bool:
        return type(other) is type(self) and self._values == other._values

    def __ne__(self, other) -> bool:
        return not self == other

    __hash__ = None

    def __repr__(self) -> str:
        fields = ", ".join(f"{k}={v!r}" for k, v in self._values.items() if v is not None)
        return f"{type(self).__name__}({fields})"


class AutotuneOptions(_OptionsBase):
    _FIELDS = {
        "enabled": (bool, None),
        "cpu_budget": (int, None),
        "ram_budget": (int, None),
        "autotune_algorithm": (object, None),
        "initial_parallelism": (int, None),
        "min_parallelism": (int, None),
    }


class DistributeOptions(_OptionsBase):
    _FIELDS = {"auto_shard_policy": (int, AutoShardPolicy.AUTO), "num_devices": (int, None)}


class OptimizationOptions(_OptionsBase):
    _FIELDS = {
        name: (bool, None)
        for name in (
            "apply_default_optimizations",
            "filter_fusion",
            "filter_parallelization",
            "inject_prefetch",
            "map_and_batch_fusion",
            "map_and_filter_fusion",
            "map_fusion",
            "map_parallelization",
            "noop_elimination",
            "parallel_batch",
            "seq_interleave_prefetch",
            "shuffle_and_repeat_fusion",
        )
    }


class ThreadingOptions(_OptionsBase):
    _FIELDS = {"max_intra_op_parallelism": (int, None), "private_threadpool_size": (int, None)}


class Options(_OptionsBase):
    """The options of a dataset pipeline (``tf.data.Options``); see the module docstring."""

    _FIELDS = {
        "deterministic": (bool, None),
        "experimental_external_state_policy": (int, None),
        "experimental_slack": (bool, None),
        "experimental_symbolic_checkpoint": (bool, None),
        "experimental_warm_start": (bool, None),
        "dataset_name": (str, None),
        "framework_type": (list, None),
    }
    _ALIASES = {
        "experimental_deterministic": "deterministic",
        "experimental_threading": "threading",
    }
    _NESTED = {
        "autotune": AutotuneOptions,
        "experimental_distribute": DistributeOptions,
        "experimental_optimization": OptimizationOptions,
        "threading": ThreadingOptions,
    }

    def merge(self, options: "Options") -> "Options":
        """A new Options with this one's values, overridden by those set in ``options``."""
        if not isinstance(options, Options):
            raise TypeError(f"Options.merge: expected Options, received {type(options).__name__}")
        merged = Options()
        merged._merge_from(self)
        merged._merge_from(options)
        return merged


class _OptionsDataset(Dataset):
    """The input dataset, unchanged, with options attached."""

    def __init__(self, dataset, options: Options) -> None:
        super().__init__((dataset,))
        self._options = options

    def _compute_spec(self):
        return self._inputs[0].element_spec

    def _cardinality(self) -> int:
        return self._inputs[0]._cardinality()

    def _index_plan(self):
        return self._inputs[0]._index_plan()

    def _works_ahead_without_thread(self) -> bool:
        return self._inputs[0]._works_ahead_without_thread()

    def _elements(self, ctx):
        return self._inputs[0]._elements(ctx)


def with_options(self, options, name=None) -> Dataset:
    """This dataset with ``options`` (a ``tf.data.Options``) set; see ``options()``."""
    if not isinstance(options, Options):
        raise TypeError(
            f"Dataset.with_options: expected a tf.data.Options, received {type(options).__name__}"
        )
    return _OptionsDataset(self, options)


def options(self) -> Options:
    """The options set anywhere upstream of this dataset, merged (later ones win)."""
    found: list = []
    seen: set = set()

    def walk(dataset):
        if id(dataset) in seen:
            return
        seen.add(id(dataset))
        for parent in getattr(dataset, "_inputs", ()):
            if isinstance(parent, Dataset):
                walk(parent)
        if isinstance(dataset, _OptionsDataset):
            found.append(dataset._options)

    walk(self)
    merged = Options()
    for opts in found:
        merged = merged.merge(opts)
    merged._freeze()
    return merged
