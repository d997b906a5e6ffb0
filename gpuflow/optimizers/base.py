"""Optimizer base: gradient checks and clipping, slots, learning rate, state for save/load.

Subclasses list their slot names and implement ``_update(xp, var, grad, slots, lr)`` on the
variable's raw array with its device's array module, in place: no host round trips.
"""

from __future__ import annotations

import inspect
import math
import warnings

import numpy as np

from .. import dtypes
from .._tracing import host_call
from ..autodiff import GradientTape, no_grad
from ..autodiff.sparse_rows import SparseRows
from ..indexed_slices import IndexedSlices
from ..tensor import Tensor, Variable, is_keras_variable
from . import schedules
from .custom_steps import CustomSteps
from .features import OptimizerFeatures
from .keras_variables import KerasVariables
from .steps import StepCounting

#: gpuflow's optimizer classes by lower-case class name (``"adamw"``), filled as they are
#: defined; ``optimizers.get("adam")`` and ``deserialize`` look names up here.
OPTIMIZER_CLASSES: dict[str, type] = {}


class Optimizer(OptimizerFeatures, StepCounting, KerasVariables, CustomSteps):
    """Base class of optimizers, as ``tf.keras.optimizers.Optimizer``.

    Args:
        learning_rate: a float, a :class:`~gpuflow.optimizers.schedules.LearningRateSchedule`,
            or any callable ``f(step) -> float`` (or ``f() -> float``).
        name: the optimizer name (default: the snake-case class name made unique, as Keras
            3: ``"adam"``, then ``"adam_1"``; ``RMSprop`` is ``"rm_sprop"``).
        clipnorm: clip each gradient to this L2 norm.
        clipvalue: clip each gradient element to ``[-clipvalue, clipvalue]``.
        global_clipnorm: clip all gradients together to this global L2 norm.
        weight_decay: decoupled weight decay: each step first does ``w -= w * wd * lr``
            (variables excluded by :meth:`exclude_from_weight_decay` are left alone).
        use_ema: keep an exponential moving average of the weights.
        ema_momentum: ``avg = ema_momentum * avg + (1 - ema_momentum) * w``.
        ema_overwrite_frequency: every this many steps the weights take their average;
            None: only :meth:`finalize_variable_values` does.
        loss_scale_factor: gradients are divided by it (see :meth:`scale_loss`).
        gradient_accumulation_steps: update every this many calls with the mean of the
            gradients since the last update (an integer >= 2). Schedules see every call;
            :attr:`iterations` counts updates.
        **kwargs: ``lr``, the legacy Keras 2 name of ``learning_rate``.
    """

    def __init_subclass__(cls, **kwargs) -> None:
        super().__init_subclass__(**kwargs)
        if cls.__module__.startswith("gpuflow.optimizers."):
            OPTIMIZER_CLASSES[cls.__name__.lower()] = cls

    def __init__(
        self,
        learning_rate=0.001,
        name: str | None = None,
        clipnorm=None,
        clipvalue=None,
        global_clipnorm=None,
        weight_decay=None,
        use_ema=False,
        ema_momentum=0.99,
        ema_overwrite_frequency=None,
        loss_scale_factor=None,
        gradient_accumulation_steps=None,
        **kwargs,
    ) -> None:
        cls = type(self).__name__
        if "lr" in kwargs:
            learning_rate = kwargs.pop("lr")
        if kwargs:
            raise ValueError(f"{cls}: argument(s) not recognized: {kwargs}")  # Keras' type
        clips = {
            k: v
            for k, v in (
                ("clipnorm", clipnorm),
                ("clipvalue", clipvalue),
                ("global_clipnorm", global_clipnorm),
            )
            if v is not None
        }
        if len(clips) > 1:
            raise ValueError(
                f"{cls}: set at most one of clipnorm, clipvalue and global_clipnorm, "
                f"received {clips}"
            )
        for key, value in clips.items():
            if not value > 0:
                raise ValueError(f"{cls}: {key} must be positive, received {value}")
        from ..layers.naming import to_snake_case, unique_name  # gpuflow.layers imports us

        # Keras 3's default: the snake-case class name, unique per thread ("adam", "adam_1")
        self.name = name or unique_name(to_snake_case(cls))
        self.clipnorm, self.clipvalue, self.global_clipnorm = clipnorm, clipvalue, global_clipnorm
        self._learning_rate = None
        self.learning_rate = learning_rate
        self._init_features(
            weight_decay,
            use_ema,
            ema_momentum,
            ema_overwrite_frequency,
            loss_scale_factor,
            gradient_accumulation_steps,
        )
        self._iterations = 0  # every apply call; `iterations` divides by accumulation steps
        self._trainable_variables: list | None = None  # what build()/the first apply saw
        self._slots: dict[int, dict] = {}  # id(variable) -> {slot name: array}
        self._owners: dict[int, Variable] = {}  # keeps ids unique while slots live
        from ..distribute import context as distribute_context

        self._distribute_strategy = distribute_context.current()  # made under scope()

    # -- hooks for subclasses ------------------------------------------------------------
    def _slot_names(self) -> tuple[str, ...]:
        return ()

    def _slot_initial_value(self, name: str) -> float:
        return 0.0

    def _slot_shape(self, name: str, shape: tuple) -> tuple:
        """The shape of slot ``name`` for a variable of ``shape`` (default: the same)."""
        return shape

    def _update(self, xp, var, grad, slots: dict, lr: float) -> None:
        raise NotImplementedError(f"{type(self).__name__} must implement _update")

    def _hyper_config(self) -> dict:
        return {}

    def _extra_state(self) -> dict:
        """Scalars beyond the per-variable slots to save, as NumPy arrays."""
        return {}

    def _set_extra_state(self, state: dict) -> None:
        """Restore what :meth:`_extra_state` saved (its keys may be missing: old files)."""

    def _all_slot_names(self) -> tuple[str, ...]:
        return self._feature_slot_names() + self._slot_names()

    # -- learning rate --------------------------------------------------------------------
    def _checked_rate(self, value):
        if isinstance(value, schedules.LearningRateSchedule) or callable(value):
            return value
        try:
            rate = float(value)
        except (TypeError, ValueError):
            raise TypeError(
                f"{type(self).__name__}: learning_rate must be a float, a schedule or a "
                f"callable, received {type(value).__name__}"
            ) from None
        if not rate >= 0 or math.isinf(rate):
            raise ValueError(
                f"{type(self).__name__}: learning_rate must be finite and >= 0, received {value}"
            )
        return rate

    @property
    def learning_rate(self):
        """The learning rate, as Keras 3 gives it: a Variable of the default float type
        (``floatx``) for a plain rate (the same one throughout:
        ``opt.learning_rate.assign(0.01)`` changes the rate), or the schedule's value at
        ``iterations`` as a tensor.

        Set it to a float, a schedule or a callable (callbacks such as
        ReduceLROnPlateau assign floats).
        """
        lr = self._learning_rate
        if isinstance(lr, Variable):
            return lr
        return Tensor(np.asarray(self._current_rate(), dtype=dtypes.floatx().as_numpy_dtype))

    @learning_rate.setter
    def learning_rate(self, value) -> None:
        rate = self._checked_rate(value)
        if not isinstance(rate, float):
            self._learning_rate = rate  # a schedule or a callable
        elif isinstance(self._learning_rate, Variable):
            self._learning_rate.assign(rate)
        else:
            var = Variable(
                rate, trainable=False, name="learning_rate", dtype=dtypes.floatx(), device="cpu"
            )
            var._path = f"{self.name}/learning_rate"
            self._learning_rate = var

    def _current_rate(self) -> float:
        """The rate the next update uses, as a Python float."""
        lr = self._learning_rate
        if isinstance(lr, Variable):
            return float(lr._data)
        if isinstance(lr, schedules.LearningRateSchedule):
            return float(lr(self._iterations))
        return float(lr(self._iterations) if _takes_argument(lr) else lr())

    def _has_plain_rate(self) -> bool:
        """Whether the rate is a number (a Variable), not a schedule or a callable."""
        return isinstance(self._learning_rate, Variable)

    lr = learning_rate  # Keras 2 name

    # -- applying gradients ---------------------------------------------------------------
    def build(self, var_list) -> None:
        """Create the slots of ``var_list`` now (they are otherwise made on first apply).
        A subclass adds its own variables after ``super().build(var_list)`` (Keras 3)."""
        var_list = list(var_list)
        for var in var_list:
            self._slots_of(var)
        self._trainable_variables = var_list
        self.built = True

    def _slots_of(self, var: Variable) -> dict:
        slots = self._slots.get(id(var))
        if slots is None:
            xp = var._device.xp
            own = self._slot_names()
            slots = {
                name: xp.full(
                    self._slot_shape(name, tuple(var._data.shape)),
                    self._slot_initial_value(name) if name in own else 0.0,
                    dtype=_state_dtype(var),
                )
                for name in self._all_slot_names()
            }
            self._slots[id(var)] = slots
            self._owners[id(var)] = var
        return slots

    @host_call(dry_result=lambda args, kwargs: _dry_apply(*args, **kwargs))
    def apply_gradients(self, grads_and_vars, name=None, **kwargs) -> int:
        """Apply one update step; ``None`` gradients are skipped, as in Keras.

        Args:
            grads_and_vars: pairs ``(gradient, variable)``,
                e.g. ``zip(grads, model.trainable_variables)``.

        Returns:
            ``iterations`` after the step.

        Raises:
            ValueError: when no variable has a gradient, a gradient's shape differs from
                its variable's (naming the variable), or a variable is not one the optimizer
                was built with (Keras 3: make a new optimizer for new variables).
            TypeError: when a target is not a Variable.
        """
        pairs = [self._checked_pair(pair, rows=True) for pair in grads_and_vars]
        present = [(g, v) for g, v in pairs if g is not None]
        if pairs and not present:
            names = ", ".join(repr(v.path) for _, v in pairs)
            raise ValueError(
                f"{self.name}.apply_gradients: no gradients provided for any variable "
                f"({names}); check that the loss depends on them"
            )
        if len(present) < len(pairs):
            _warn_missing_gradients([v for g, v in pairs if g is None])
        if not self.built or (pairs and self._trainable_variables == []):
            # also when built on no variables, as a model loaded from .h5 is (Keras builds
            # its optimizer on the model's own, empty, variable list): build on these now
            if self.built and self._trainable_variables == []:
                self.built = False  # a Keras 3 style build() returns early when built
            self.build([v for _, v in pairs])
        self._check_variables_are_known([v for _, v in pairs])
        self._apply_pairs(present, [v for _, v in pairs])
        return self.iterations

    def _check_variables_are_known(self, variables: list) -> None:
        """As Keras 3: an optimizer updates only the variables it was built with (their
        slots are its state, saved and restored in that order)."""
        built_on = self._trainable_variables
        if not built_on:
            return
        if len(variables) <= len(built_on) and all(v is w for v, w in zip(variables, built_on)):
            return  # the usual step: the same list
        known = {id(v) for v in built_on}
        for v in variables:
            if id(v) not in known:
                # named as Keras names it in a traced step: no value (a long array)
                name = getattr(v, "path", None) or v.name
                raise ValueError(
                    f"Unknown variable: <Variable path={name}, shape={tuple(v.shape)}, "
                    f"dtype={v.dtype.name}>. This optimizer can only be called for the "
                    "variables it was originally built with. When working with a new set of "
                    "variables, you should recreate a new optimizer instance."
                )

    def _apply_pairs(self, present: list, variables: list) -> None:
        """One step from checked ``(gradient array, variable)`` pairs: unscale, accumulate,
        clip, update, average (also what a compiled step replays)."""
        strategy = getattr(self, "_distribute_strategy", None)  # made under a scope
        if strategy is None:  # inside strategy.run of a strategy it was not made under
            from ..distribute import context as distribute_context

            running = distribute_context.running()
            strategy = running if running is not None and running._local_replicas > 1 else None
        if strategy is not None:
            present = [(_dense(g), v) for g, v in present]
            present = strategy.reduce_gradient_pairs(present)
            if present is None:  # kept for a later replica of this strategy.run
                return
        present = _overwrite_with_gradients(present, self.gradient_accumulation_steps)
        grads = self._prepare_gradients(present) if present else None
        if grads is not None:
            self._update_variables(grads, [v for _, v in present])
        self._finish_step(variables)

    def _finish_step(self, variables: list) -> None:
        """After the update: constraints, the moving average, the step count."""
        _apply_constraints(variables)
        if self.use_ema:
            self._update_ema(variables)
        self._iterations += 1
        self._sync_iterations()

    def _fused_update_rate(self) -> float | None:
        """The rate of this step's update where it is ``w -= rate * g`` for every variable,
        so that whatever makes a gradient may apply it itself (a compiled step fuses it
        into the gradient's GEMM: ``gpuflow/graph/fused_update.py``); None where the update
        needs the gradient. Only plain SGD's update is that simple."""
        return None

    def _updates_plainly(self) -> bool:
        """No step between the gradient and the update rule: no loss scaling, accumulation,
        clipping, weight decay, EMA or distribution strategy."""
        return (
            self.loss_scale_factor is None
            and not self.gradient_accumulation_steps
            and self.clipnorm is None
            and self.clipvalue is None
            and self.global_clipnorm is None
            and not self.weight_decay
            and not self.use_ema
            and getattr(self, "_distribute_strategy", None) is None
        )

    def _prepare_gradients(self, present: list) -> list | None:
        """Unscale, accumulate and clip; None when this call only accumulates."""
        grads = [g for g, _ in present]
        if self.loss_scale_factor is not None:
            grads = [g / self.loss_scale_factor for g in grads]
        if self.gradient_accumulation_steps:
            grads = self._accumulate(grads, [v for _, v in present])
            if grads is None:
                return None
        return self._clip([(g, v) for g, (_, v) in zip(grads, present)])

    def _before_update(self) -> None:
        """Hook run once per update step before the variables are updated (Nadam)."""

    def _update_variables(self, grads: list, variables: list) -> None:
        lr = self._current_rate()
        if self._custom_update_step():  # a Keras 3 style subclass (custom_steps.py)
            self._run_update_steps(grads, variables, lr)
            return
        self._before_update()
        slots_of = self._slots.get
        for grad, var in zip(grads, variables):
            # In place, or on a copy swapped in when a tensor read earlier may share the
            # array (Variable._update_buffer's rule). float16 variables are updated in
            # float32 (slots too), then rounded once.
            dtype = var._data.dtype
            updated = var._update_buffer(_F32 if dtype == _F16 else dtype)
            self._decay_weights(updated, var, lr)  # also a per-variable hook (Muon)
            slots = slots_of(id(var))
            if slots is None:
                slots = self._slots_of(var)
            self._update(var._device.xp, updated, grad, slots, lr)
            var._data = updated if updated.dtype == dtype else updated.astype(dtype)

    def _updates_rows(self, var) -> bool:
        """Whether this step may apply a tf.IndexedSlices gradient of ``var`` to its rows
        alone (``_update`` then takes a ``SparseRows``): where that gives the dense
        update's result, as Keras 3's scatter update of plain SGD does."""
        return False

    def _checked_pair(self, pair, rows: bool = False):
        """``(gradient array or None, variable)``; with ``rows``, a tf.IndexedSlices
        gradient the update takes row by row (``_updates_rows``) stays ``SparseRows``."""
        try:
            grad, var = pair
        except (TypeError, ValueError):
            raise TypeError(
                f"{self.name}.apply_gradients: expected (gradient, variable) pairs, "
                f"received {pair!r}"
            ) from None
        if not isinstance(var, Variable):
            raise TypeError(
                f"{self.name}.apply_gradients: can only update Variables, received "
                f"{type(var).__name__}"
            )
        if grad is None:
            return None, var
        if isinstance(grad, IndexedSlices):
            kept = _rows(grad, var, _state_dtype(var)) if rows and self._updates_rows(var) else None
            if kept is not None:
                return kept, var
            # the rows summed per index: TensorFlow's sparse updates give the same result
            # where the indices are distinct (and for plain SGD always)
            grad = IndexedSlices(grad.values, grad.indices, list(var.shape))._gpuflow_dense()
        if isinstance(grad, Tensor):
            if grad._device is not var._device:
                raise ValueError(
                    f"{self.name}.apply_gradients: gradient of variable {var.path!r} is "
                    f"on {grad.device}, the variable on {var.device}"
                )
            array = grad._data
        else:
            array = var._device.asarray(grad)
        if tuple(array.shape) != tuple(var._data.shape):
            raise ValueError(
                f"{self.name}.apply_gradients: gradient shape {tuple(array.shape)} "
                f"differs from variable {var.path!r} shape {tuple(var._data.shape)}"
            )
        dtype = _state_dtype(var)
        if array.dtype != dtype:
            array = array.astype(dtype)
        return array, var

    def _clip(self, present: list) -> list:
        grads = [g for g, _ in present]
        if self.clipvalue is not None:
            c = float(self.clipvalue)
            return [g.clip(-c, c) for g in grads]
        if self.clipnorm is not None:
            return [
                g * _scale(v._device.xp, _sum_squares(g), self.clipnorm, g.dtype)
                for g, v in present
            ]
        if self.global_clipnorm is not None and grads:
            xp = present[0][1]._device.xp
            total = sum(_sum_squares(g).astype("float64") for g in grads)
            return [g * _scale(xp, total, self.global_clipnorm, g.dtype) for g in grads]
        return grads

    def minimize(self, loss, var_list, tape: GradientTape | None = None) -> int:
        """Compute gradients of ``loss`` for ``var_list`` and apply them.

        Args:
            loss: a callable returning the loss, or a loss Tensor recorded on ``tape``.
            var_list: Variables, or a callable returning them.
            tape: the GradientTape that recorded a Tensor ``loss``.
        """
        if not callable(loss) and tape is None:
            raise ValueError(
                f"{self.name}.minimize: pass tape= when loss is a Tensor, or pass "
                "loss as a callable"
            )
        if callable(loss):
            tape = GradientTape() if tape is None else tape
            with tape:
                if not callable(var_list):
                    tape.watch(list(var_list))
                loss = loss()
        var_list = list(var_list() if callable(var_list) else var_list)
        grads = tape.gradient(loss, var_list)
        return self.apply_gradients(zip(grads, var_list))

    # -- state for save/load --------------------------------------------------------------
    def get_state(self, var_list) -> dict:
        """The optimizer's state as NumPy arrays, for saving.

        Keys: ``"iterations"`` (int64 scalar, apply calls), the optimizer's own scalars
        (e.g. Nadam's ``"u_product"``), ``"learning_rate"`` (float64 scalar, when the
        rate is a plain float) and ``f"{index}/{slot}"`` for each slot of ``var_list[index]``.
        """
        state = {"iterations": np.asarray(self._iterations, dtype=np.int64)}
        state.update(self._extra_state())
        if self._has_plain_rate():
            state["learning_rate"] = np.asarray(self._current_rate(), dtype=np.float64)
        for index, var in enumerate(var_list):
            for slot, array in self._slots.get(id(var), {}).items():
                state[f"{index}/{slot}"] = np.array(var._device.to_host(array), copy=True)
        return state

    def set_state(self, var_list, state: dict) -> None:
        """Restore :meth:`get_state`'s output for ``var_list`` (same order) exactly.

        Raises:
            ValueError: for a missing or unknown key, or a slot whose shape differs from its
                variable's.
        """
        var_list = list(var_list)
        expected = self._all_slot_names()
        known = {"iterations", "learning_rate", *self._extra_state()}
        known |= {f"{i}/{s}" for i in range(len(var_list)) for s in expected}
        unknown = sorted(set(state) - known)
        if unknown:
            raise ValueError(
                f"{self.name}.set_state: unexpected keys {unknown} for {len(var_list)} "
                f"variables with slots {list(expected)}"
            )
        if "iterations" not in state:
            raise ValueError(f"{self.name}.set_state: missing key 'iterations'")
        restored = {}
        for index, var in enumerate(var_list):
            keys = [f"{index}/{s}" for s in expected]
            present = [k for k in keys if k in state]
            if present and len(present) != len(keys):
                raise ValueError(
                    f"{self.name}.set_state: variable {index} ({var.path!r}) has slots "
                    f"{present} but needs {keys}"
                )
            if present:
                restored[id(var)] = (
                    var,
                    {s: self._slot_array(var, state[k], k) for s, k in zip(expected, keys)},
                )
        for var in var_list:
            self._slots.pop(id(var), None)
            self._owners.pop(id(var), None)
        for key, (var, slots) in restored.items():
            self._slots[key], self._owners[key] = slots, var
        self._iterations = int(np.asarray(state["iterations"]))
        self._sync_iterations()
        self._set_extra_state(state)
        if "learning_rate" in state and self._has_plain_rate():
            self.learning_rate = float(np.asarray(state["learning_rate"]))

    def _slot_array(self, var: Variable, value, key: str):
        value = np.asarray(value)
        want = self._slot_shape(key.split("/", 1)[1], tuple(var._data.shape))
        if tuple(value.shape) != want:
            raise ValueError(
                f"{self.name}.set_state: slot {key!r} has shape {tuple(value.shape)}, "
                f"expected {want} for variable {var.path!r} of shape {tuple(var._data.shape)}"
            )
        return var._device.asarray(value.astype(_state_dtype(var), copy=True))

    # -- config ---------------------------------------------------------------------------
    def get_config(self) -> dict:
        """Constructor arguments as JSON-able values (a schedule as its serialized dict)."""
        lr = self._learning_rate
        if isinstance(lr, Variable):
            lr = self._current_rate()
        elif isinstance(lr, schedules.LearningRateSchedule):
            lr = schedules.serialize(lr)
        elif callable(lr):
            warnings.warn(
                f"{self.name}: learning_rate is a Python callable, which cannot be saved; "
                f"saving its current value {self._current_rate()}. Use a "
                "LearningRateSchedule subclass to save the schedule.",
                stacklevel=2,
            )
            lr = self._current_rate()
        # Keras 3's key order (printed configs read alike): name, learning_rate,
        # weight_decay, the clipping arguments, the other features, the hyperparameters
        features = self._feature_config()
        config = {"name": self.name, "learning_rate": lr}
        if "weight_decay" in features:
            config["weight_decay"] = features.pop("weight_decay")
        config["clipnorm"] = self.clipnorm
        config["global_clipnorm"] = self.global_clipnorm
        config["clipvalue"] = self.clipvalue
        config.update(features)
        config.update(self._hyper_config())
        return config

    @classmethod
    def from_config(cls, config: dict, custom_objects: dict | None = None) -> Optimizer:
        config = dict(config)
        if isinstance(config.get("learning_rate"), dict):
            config["learning_rate"] = schedules.deserialize(config["learning_rate"], custom_objects)
        return cls(**config)

    def __repr__(self) -> str:
        return (
            f"<gpuflow.optimizers.{type(self).__name__} name={self.name!r} "
            f"iterations={self._steps}>"
        )


def _dry_apply(optimizer, grads_and_vars, name=None, **kwargs):
    """apply_gradients in a trace that runs no effects (TensorFlow's second trace of a
    function whose first trace made variables): the update is not run, but its checks are,
    so a variable list read before the layers were built fails there as on TF."""
    pairs = [optimizer._checked_pair(pair) for pair in grads_and_vars]
    if optimizer.built and optimizer._trainable_variables:
        optimizer._check_variables_are_known([v for _, v in pairs])
    return optimizer.iterations


def _takes_argument(fn) -> bool:
    try:
        params = inspect.signature(fn).parameters.values()
    except (TypeError, ValueError):
        return True
    return any(
        p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD, p.VAR_POSITIONAL) for p in params
    )


def _sum_squares(g):
    acc = g.astype("float32") if g.dtype == np.float16 else g
    return (acc * acc).sum()


def _scale(xp, sum_squares, limit: float, dtype):
    """``limit / max(norm, limit)`` as a device scalar (no host sync)."""
    limit = float(limit)
    return (limit / xp.maximum(xp.sqrt(sum_squares), limit)).astype(dtype)


_F16, _F32 = np.dtype(np.float16), np.dtype(np.float32)


def _state_dtype(var: Variable) -> np.dtype:
    """The dtype updates and slots use: float32 for float16 variables (their small squared
    gradients and epsilons underflow in float16), else the variable's own."""
    return dtypes.accumulation_dtype(var._data.dtype)


def _apply_constraints(variables: list) -> None:
    """``var.assign(var.constraint(var))`` for each variable with a constraint, after the
    update step (as Keras's optimizers do)."""
    for var in variables:
        constraint = var.constraint
        if constraint is None:
            continue
        with no_grad():
            value = constraint(Tensor._wrap(var._data, var._device))
        array = value._data if isinstance(value, Tensor) else var._device.asarray(value)
        if tuple(array.shape) != tuple(var._data.shape):
            raise ValueError(
                f"constraint of variable {var.path!r} returned shape {tuple(array.shape)}, "
                f"expected {tuple(var._data.shape)}"
            )
        var._data = array.astype(var._data.dtype, copy=False)


def _rows(grad: IndexedSlices, var, dtype):
    """``grad`` as ``SparseRows`` of ``var`` (values in ``dtype``), or None where its rows
    do not fit the variable (the dense path then raises its own errors)."""
    values, indices = grad.values, grad.indices
    shape = tuple(var._data.shape)
    if (
        values._device is not var._device
        or indices._device is not var._device
        or not shape
        or tuple(values.shape[1:]) != shape[1:]
    ):
        return None
    index = indices._data
    if index.size and (int(index.min()) < 0 or int(index.max()) >= shape[0]):
        return None
    array = values._data if values._data.dtype == dtype else values._data.astype(dtype)
    return SparseRows(array, index, shape, var._device)


def _dense(grad):
    """A gradient array; ``SparseRows`` summed into their dense array."""
    return grad.dense() if isinstance(grad, SparseRows) else grad


def _overwrite_with_gradients(present: list, accumulating) -> list:
    """Keras 3: a variable with ``overwrite_with_gradient`` takes its gradient as its new
    value (no update rule, no slots); the other pairs are returned for the update."""
    if not any(v.overwrite_with_gradient for _, v in present):
        return present
    if accumulating:
        raise NotImplementedError(
            "Optimizer: gradient_accumulation_steps with a variable whose "
            "overwrite_with_gradient is True is not supported by gpuflow yet"
        )
    rest = []
    for grad, var in present:
        if var.overwrite_with_gradient:
            var.assign(grad.astype(var._data.dtype, copy=False))
        else:
            rest.append((grad, var))
    return rest


def _warn_missing_gradients(variables: list) -> None:
    """Keras 3's warning for a step where some variables got no gradient (skipped): a Keras
    variable named by its path, a plain tf.Variable by its name."""
    names = [v.path if is_keras_variable(v) else v.name for v in variables]
    warnings.warn(
        f"Gradients do not exist for variables {names} when minimizing the loss. If using "
        "`model.compile()`, did you forget to provide a `loss` argument?",
        stacklevel=3,
    )
