"""``keras.optimizers.MultiOptimizer`` and ``OptimizerMap``: different optimizers for
different variables (by variable path, exact or as a regular expression, or by a function
of the variable), as Keras 3's."""

from __future__ import annotations

import re
from collections.abc import MutableMapping

import numpy as np

from .base import Optimizer
from .loss_scale_optimizer import LossScaleOptimizer


def _check_inner(optimizer, where: str) -> None:
    if not isinstance(optimizer, Optimizer):
        raise ValueError(
            f"{where}: optimizer must be a Keras Optimizer instance. Received: {optimizer!r}"
        )
    if isinstance(optimizer, LossScaleOptimizer):
        raise ValueError(f"{where}: optimizer cannot be LossScaleOptimizer.")
    if isinstance(optimizer, MultiOptimizer):
        raise ValueError(f"{where}: optimizer cannot be MultiOptimizer.")


class OptimizerMap(MutableMapping):
    """Variable paths (or ``re.fullmatch`` patterns) to optimizers, with a default.

    ``optimizer_map["encoder/.*"] = Adam()``; ``optimizer_map[path]`` is the exact key's
    optimizer, else the single matching pattern's, else ``default_optimizer``.

    Raises:
        TypeError: for a default that is not an Optimizer, or a map that is not a dict.
        ValueError: for a duplicate key, a non-string key, a LossScaleOptimizer or a
            MultiOptimizer, or a path matched by several patterns.
    """

    def __init__(self, default_optimizer, optimizer_map=None) -> None:
        if not isinstance(default_optimizer, Optimizer):
            raise TypeError(
                "OptimizerMap: default_optimizer must be a Keras Optimizer instance. "
                f"Received: {default_optimizer!r}"
            )
        if optimizer_map is not None and not isinstance(optimizer_map, dict):
            raise TypeError(
                f"OptimizerMap: optimizer_map must be a dictionary. Received: {optimizer_map!r}"
            )
        self._default_optimizer = default_optimizer
        self._optimizer_map = {}
        for key, optimizer in (optimizer_map or {}).items():
            self[key] = optimizer

    @property
    def default_optimizer(self):
        return self._default_optimizer

    def __getitem__(self, key):
        if key in self._optimizer_map:
            return self._optimizer_map[key]
        matching = [p for p in self._optimizer_map if re.fullmatch(p, key)]
        if len(matching) > 1:
            raise ValueError(
                f"OptimizerMap: multiple optimizers assigned to variable {key} (patterns "
                f"{matching})."
            )
        return self._optimizer_map[matching[0]] if matching else self._default_optimizer

    def __setitem__(self, key, optimizer) -> None:
        if key in self._optimizer_map:
            raise ValueError(
                f"OptimizerMap: '{key}' already exists in the OptimizerMap with value "
                f"{self._optimizer_map[key]}. Please make sure to not use duplicated keys."
            )
        if not isinstance(key, str):
            raise ValueError(f"OptimizerMap: key must be a string. Received: {key!r}")
        _check_inner(optimizer, "OptimizerMap")
        self._optimizer_map[key] = optimizer

    def __delitem__(self, key) -> None:
        del self._optimizer_map[key]

    def __len__(self) -> int:
        return len(self._optimizer_map)

    def __iter__(self):
        return iter(self._optimizer_map)

    def __call__(self, variable):
        return self[variable.path]

    def get_config(self) -> dict:
        from ..saving.keras_objects import serialize_keras_object

        return {
            "default_optimizer": serialize_keras_object(self._default_optimizer),
            "optimizer_map": {
                key: serialize_keras_object(opt) for key, opt in self._optimizer_map.items()
            },
        }

    @classmethod
    def from_config(cls, config, custom_objects=None):
        from .serialization import deserialize

        def optimizer(spec):
            return spec if isinstance(spec, Optimizer) else deserialize(spec, custom_objects)

        return cls(
            optimizer(config["default_optimizer"]),
            {key: optimizer(spec) for key, spec in (config.get("optimizer_map") or {}).items()},
        )


class MultiOptimizer(Optimizer):
    """Delegates each variable to the optimizer an :class:`OptimizerMap` (or a function
    ``variable -> optimizer``) picks, as ``keras.optimizers.MultiOptimizer``.

    Args:
        optimizer_map: an OptimizerMap, or a callable taking a variable.
        loss_scale_factor: given to every sub-optimizer.
        name: the optimizer's name.

    ``optimizers`` lists the sub-optimizers; ``learning_rate`` is theirs, not this one's
    (reading or setting it here raises AttributeError, as Keras).
    """

    def __init__(self, optimizer_map, loss_scale_factor=None, name=None) -> None:
        if not callable(optimizer_map):
            raise TypeError(
                "MultiOptimizer: optimizer_map must be an OptimizerMap or a callable "
                f"returning an optimizer for a variable, received {optimizer_map!r}"
            )
        self._initializing = True
        super().__init__(learning_rate=0.0, loss_scale_factor=loss_scale_factor, name=name)
        self._initializing = False
        if name is None:
            self.name = "multi_optimizer"
        self._optimizer_map = optimizer_map
        self._inner_optimizers: list = []
        self._var_to_optimizer: dict = {}  # id(variable) -> index in _inner_optimizers
        inner = list(getattr(optimizer_map, "values", lambda: [])())
        default = getattr(optimizer_map, "default_optimizer", None)
        for opt in inner + ([default] if default is not None else []):
            self._add_inner(opt)

    def _add_inner(self, optimizer) -> int:
        for index, known in enumerate(self._inner_optimizers):
            if known is optimizer:
                return index
        optimizer.loss_scale_factor = self.loss_scale_factor
        self._inner_optimizers.append(optimizer)
        return len(self._inner_optimizers) - 1

    @property
    def optimizers(self) -> list:
        return self._inner_optimizers

    @property
    def learning_rate(self):
        raise AttributeError(
            "Learning rate cannot be accessed on a MultiOptimizer. Access the learning rate "
            "on the individual sub-optimizers instead."
        )

    @learning_rate.setter
    def learning_rate(self, value) -> None:
        if not getattr(self, "_initializing", False):
            raise AttributeError(
                "Learning rate cannot be set on a MultiOptimizer. Set the learning rate on "
                "the individual sub-optimizers instead."
            )
        Optimizer.learning_rate.fset(self, value)

    lr = learning_rate

    @property
    def loss_scale_factor(self):
        return self.__dict__.get("_loss_scale_factor")

    @loss_scale_factor.setter
    def loss_scale_factor(self, value) -> None:
        self._loss_scale_factor = value
        for opt in self.__dict__.get("_inner_optimizers", []):
            opt.loss_scale_factor = value

    def _optimizer_index(self, var) -> int:
        index = self._var_to_optimizer.get(id(var))
        if index is None:
            opt = self._optimizer_map(var)
            _check_inner(opt, f"MultiOptimizer (variable {var.path!r})")
            index = self._add_inner(opt)
            self._var_to_optimizer[id(var)] = index
        return index

    def build(self, var_list) -> None:
        var_list = list(var_list)
        groups: dict = {}
        for var in var_list:
            groups.setdefault(self._optimizer_index(var), []).append(var)
        for index, variables in groups.items():
            self._inner_optimizers[index].build(variables)
        self._trainable_variables = var_list

    def _groups(self, items, key):
        groups: dict = {}
        for item in items:
            groups.setdefault(self._optimizer_index(key(item)), []).append(item)
        return groups

    def _apply_pairs(self, present: list, variables: list) -> None:
        by_optimizer = self._groups(present, lambda pair: pair[1])
        all_vars = self._groups(variables, lambda var: var)
        for index, pairs in by_optimizer.items():
            self._inner_optimizers[index]._apply_pairs(pairs, all_vars.get(index, []))
        self._iterations += 1
        self._sync_iterations()

    # -- state: this optimizer's iterations, then each sub-optimizer's, prefixed ----------
    def _sub_lists(self, var_list) -> list:
        var_list = list(var_list)
        groups = self._groups(var_list, lambda var: var)
        return [groups.get(i, []) for i in range(len(self._inner_optimizers))]

    def get_state(self, var_list) -> dict:
        state = {"iterations": np.asarray(self._iterations, dtype=np.int64)}
        for index, variables in enumerate(self._sub_lists(var_list)):
            for key, value in self._inner_optimizers[index].get_state(variables).items():
                state[f"optimizer{index}:{key}"] = value
        return state

    def set_state(self, var_list, state: dict) -> None:
        subs = self._sub_lists(var_list)
        unknown = [
            k
            for k in state
            if k != "iterations"
            and not (k.startswith("optimizer") and k.split(":", 1)[0][9:].isdigit())
        ]
        if unknown or "iterations" not in state:
            raise ValueError(
                f"{self.name}.set_state: expected 'iterations' and 'optimizer<i>:<key>' keys, "
                f"received {sorted(state)[:8]}"
            )
        for index, variables in enumerate(subs):
            prefix = f"optimizer{index}:"
            mine = {k[len(prefix) :]: v for k, v in state.items() if k.startswith(prefix)}
            if mine:
                self._inner_optimizers[index].set_state(variables, mine)
        self._iterations = int(np.asarray(state["iterations"]))
        self._sync_iterations()

    def get_config(self) -> dict:
        from ..saving.keras_objects import serialize_keras_object

        if isinstance(self._optimizer_map, OptimizerMap):  # Keras' form
            optimizer_map = {
                "module": "keras.optimizers",
                "class_name": "OptimizerMap",
                "config": self._optimizer_map.get_config(),
                "registered_name": None,
            }
        else:
            optimizer_map = serialize_keras_object(self._optimizer_map)
        return {
            "optimizer_map": optimizer_map,
            "loss_scale_factor": self.loss_scale_factor,
            "name": self.name,
        }

    @classmethod
    def from_config(cls, config, custom_objects=None):
        config = dict(config)
        spec = config.pop("optimizer_map")
        if isinstance(spec, dict) and spec.get("class_name") == "OptimizerMap":
            optimizer_map = OptimizerMap.from_config(spec["config"], custom_objects)
        else:
            from ..saving.keras_objects import deserialize_keras_object

            optimizer_map = deserialize_keras_object(spec, custom_objects)
        return cls(optimizer_map, **config)
