"""LossScaleOptimizer: dynamic loss scaling around any optimizer, as in Keras.

float16 gradients underflow to zero below about 6e-8 and overflow to Inf above 65504.
The loss is multiplied by ``loss_scale`` before backprop (so small gradients stay
representable) and the gradients divided by it afterwards. With ``dynamic=True`` a step
whose gradients hold NaN or Inf is skipped (weights and optimizer slots untouched) and the
scale halved; after ``dynamic_growth_steps`` finite steps in a row it is doubled.
"""

from __future__ import annotations

import math

import numpy as np

from .. import dtypes
from .._tracing import host_call
from ..autodiff import GradientTape
from ..indexed_slices import IndexedSlices
from ..ops.math import cast
from ..tensor import Tensor, Variable
from .base import Optimizer

_STATE_KEYS = ("loss_scale", "loss_scale_good_steps", "loss_scale_skipped_steps")


class LossScaleOptimizer(Optimizer):
    """Wraps ``inner_optimizer`` with (dynamic) loss scaling.

    Args:
        inner_optimizer: the optimizer that applies the unscaled gradients (an Optimizer or
            a name such as ``"adam"``).
        dynamic: adjust the scale as training goes (True), or keep ``initial_scale`` fixed
            (then non-finite gradients are applied as they are, as in Keras).
        initial_scale: the first loss scale (default ``2**15``).
        dynamic_growth_steps: finite steps in a row after which the scale grows.
        growth_factor: what the scale is multiplied by after those steps (default 2).
        backoff_factor: what it is multiplied by on a non-finite step (default 0.5).
        min_scale: a floor for the scale (default None: none, as Keras 3, so that gradients
            that overflow even unscaled are scaled down until they fit).
        name: the optimizer name.

    Attributes:
        skipped_steps: how many steps were skipped for non-finite gradients.

    In a custom loop, as Keras 3 (``apply_gradients`` divides by the scale itself)::

        with gpuflow.GradientTape() as tape:
            loss = loss_fn(y, model(x, training=True))
            scaled = opt.scale_loss(loss)
        grads = tape.gradient(scaled, model.trainable_variables)
        opt.apply_gradients(zip(grads, model.trainable_variables))

    Keras 2 loops, which unscale first with ``get_unscaled_gradients`` (or
    ``unscale_gradients``), work too. The rule: gradients that
    :meth:`unscale_gradients` returned (those arrays) are applied as they are; any
    other gradients are taken as scaled by :meth:`scale_loss` and divided by the scale.
    The Trainer's ``train_step`` takes the Keras 3 path (no branch on the optimizer type).
    """

    def __init__(
        self,
        inner_optimizer,
        dynamic: bool = True,
        initial_scale: float = 2.0**15,
        dynamic_growth_steps: int = 2000,
        growth_factor: float = 2.0,
        backoff_factor: float = 0.5,
        min_scale: float | None = None,
        name: str | None = None,
    ) -> None:
        from .serialization import get

        inner = get(inner_optimizer)
        if isinstance(inner, LossScaleOptimizer):
            raise TypeError(
                "LossScaleOptimizer: inner_optimizer is already a LossScaleOptimizer; "
                "wrap the plain optimizer once"
            )
        initial_scale = float(initial_scale)
        if not (initial_scale > 0 and math.isfinite(initial_scale)):
            raise ValueError(
                f"LossScaleOptimizer: initial_scale must be a positive finite number, "
                f"received {initial_scale}"
            )
        if int(dynamic_growth_steps) < 1:
            raise ValueError(
                f"LossScaleOptimizer: dynamic_growth_steps must be >= 1, received "
                f"{dynamic_growth_steps}"
            )
        if not growth_factor > 1 or not 0 < backoff_factor < 1:
            raise ValueError(
                "LossScaleOptimizer: expected growth_factor > 1 and "
                "0 < backoff_factor < 1, "
                f"received {growth_factor} and {backoff_factor}"
            )
        self.inner_optimizer = inner
        from ..layers.naming import unique_name  # gpuflow.layers imports the optimizers

        self.name = name or unique_name("loss_scale_optimizer")
        self.dynamic = bool(dynamic)
        self.initial_scale = initial_scale
        self.dynamic_growth_steps = int(dynamic_growth_steps)
        self.growth_factor = float(growth_factor)
        self.backoff_factor = float(backoff_factor)
        self.min_scale = None if min_scale is None else float(min_scale)
        self._scale_tensors: dict = {}  # (device, dtype) -> scale tensor (see _scale_tensor)
        self._scale = initial_scale
        self._good_steps = 0
        self.skipped_steps = 0
        self._unscaled: list = []  # what unscale_gradients returned last (see the class doc)

    # -- delegated to the inner optimizer -------------------------------------------------
    @property
    def learning_rate(self) -> float:
        return self.inner_optimizer.learning_rate

    @learning_rate.setter
    def learning_rate(self, value) -> None:
        self.inner_optimizer.learning_rate = value

    lr = learning_rate

    @property
    def iterations(self) -> int:
        """The inner optimizer's step count: applied steps only (a skipped step does not
        count, as Keras 3, so a learning-rate schedule does not advance either)."""
        return self.inner_optimizer.iterations

    @iterations.setter
    def iterations(self, value: int) -> None:
        self.inner_optimizer.iterations = int(value)

    def build(self, var_list) -> None:
        self.inner_optimizer.build(var_list)

    @property
    def variables(self) -> list:
        """Keras 3's list: this optimizer's own ``iteration`` and ``learning_rate`` (Keras
        never moves them: the inner optimizer counts and holds the rate), then, once built,
        ``step_counter`` (finite steps since the scale last changed) and ``dynamic_scale``,
        then the inner optimizer's variables. Copies, named and with paths as Keras'."""
        own = [("iteration", 0, "int64"), ("learning_rate", 0.0, "float32")]
        if getattr(self.inner_optimizer, "_trainable_variables", None) is not None:
            own += [
                ("step_counter", self._good_steps, "int64"),
                ("dynamic_scale", self._scale, "float32"),
            ]
        out = []
        for name, value, dtype in own:
            copy = Variable(np.asarray(value, dtype), trainable=False, name=name)
            copy._path = f"{self.name}/{name}"
            out.append(copy)
        return out + list(self.inner_optimizer.variables)

    # -- the scale ----------------------------------------------------------------------------
    @property
    def loss_scale(self) -> float:
        """The current loss scale."""
        return self._scale

    @property
    def loss_scale_factor(self) -> float:
        """The current loss scale (Keras 3's name for :attr:`loss_scale`)."""
        return self._scale

    @property
    def dynamic_counter(self) -> int:
        """Finite steps since the scale last changed."""
        return self._good_steps

    @property
    def dynamic_scale(self) -> Tensor:
        """Keras 3's name: the current loss scale, a float32 scalar (read-only here)."""
        return Tensor(np.asarray(self._scale, np.float32))

    @property
    def step_counter(self) -> Tensor:
        """Keras 3's name: finite steps since the scale last changed, an int64 scalar."""
        return Tensor(np.asarray(self._good_steps, np.int64))

    def scale_loss(self, loss) -> Tensor:
        """``loss * loss_scale``, in float32 at least (a float16 loss is cast up first); a
        Python or NumPy number is taken as a float32 tensor."""
        if not isinstance(loss, Tensor):
            array = np.asarray(loss)
            if array.dtype.kind not in "fiu":
                raise TypeError(
                    f"{self.name}.scale_loss: expected a loss Tensor or number, received "
                    f"{type(loss).__name__}"
                )
            loss = Tensor(array.astype(np.float32 if array.dtype.kind in "iu" else array.dtype))
        if loss.dtype == np.float16:
            loss = cast(loss, "float32")
        return loss * self._scale_tensor(loss)

    def _scale_tensor(self, loss) -> Tensor:
        """The scale as a tensor on ``loss``'s device and dtype whose array is updated in place
        when the scale changes: a compiled step (gpuflow.function) reads it on every replay."""
        key = (loss._device.name, loss.dtype.name)
        tensor = self._scale_tensors.get(key)
        if tensor is None:
            tensor = Tensor(np.asarray(self._scale, dtype=loss.dtype.name), device=loss._device)
            self._scale_tensors[key] = tensor
        return tensor

    @property
    def _scale(self) -> float:
        return self._scale_value

    @_scale.setter
    def _scale(self, value: float) -> None:
        self._scale_value = float(value)
        for tensor in self._scale_tensors.values():
            tensor._data[...] = self._scale_value

    @host_call(effect=False)  # works on arrays: one host step inside gpuflow.function
    def unscale_gradients(self, grads) -> list:
        """Each gradient divided by ``loss_scale`` (None entries stay None), in its own dtype."""
        out = []
        for g in grads:
            if g is None:
                out.append(None)
            elif isinstance(g, IndexedSlices):  # as TensorFlow: its values unscaled
                values = self.unscale_gradients([g.values])[0]
                out.append(IndexedSlices(values, g.indices, g.dense_shape))
            elif isinstance(g, Tensor):
                out.append(Tensor._wrap(g._data * g._data.dtype.type(1.0 / self._scale), g._device))
            else:
                raise TypeError(
                    f"{self.name}.unscale_gradients: expected Tensors or None, "
                    f"received {type(g).__name__}"
                )
        # their arrays mark them: a compiled replay hands apply_gradients new Tensor objects
        # on the same arrays
        self._unscaled = [_array(g) for g in out if g is not None]
        return out

    def _unscaled_pairs(self, pairs: list) -> list:
        """``pairs`` with scaled gradients divided by the scale (see the class doc)."""
        marked, self._unscaled = self._unscaled, []
        grads = [_array(g) for g, _ in pairs if g is not None]
        if grads and all(any(g is m for m in marked) for g in grads):
            return pairs
        unscaled = self.unscale_gradients(
            [
                g if g is None or isinstance(g, (Tensor, IndexedSlices)) else Tensor(g)
                for g, _ in pairs
            ]
        )
        self._unscaled = []
        return [(g, v) for g, (_, v) in zip(unscaled, pairs)]

    get_scaled_loss = scale_loss  # Keras 2 names
    get_unscaled_gradients = unscale_gradients

    # -- steps -------------------------------------------------------------------------------
    @host_call  # checks finiteness on the host: one step inside gpuflow.function
    def apply_gradients(self, grads_and_vars, name=None, **kwargs) -> int:
        """Apply gradients through the inner optimizer, or skip a non-finite step.

        With ``dynamic=True``: when any gradient holds NaN or Inf the variables and the
        inner optimizer's slots and ``iterations`` stay as they are (Keras 3), and the
        scale is multiplied by ``backoff_factor``; otherwise the step is applied and, after
        ``dynamic_growth_steps`` such steps, the scale is multiplied by ``growth_factor``.

        Gradients are divided by ``loss_scale`` first, unless they are what
        :meth:`unscale_gradients` returned (see the class doc).

        Returns:
            ``iterations`` after the step.
        """
        pairs = self._unscaled_pairs(list(grads_and_vars))
        if not self.dynamic:
            return self.inner_optimizer.apply_gradients(pairs)
        finite = _all_finite(g for g, _ in pairs)
        strategy = getattr(self.inner_optimizer, "_distribute_strategy", None)
        if strategy is not None:  # all workers skip a step together, or none does
            finite = strategy.all_workers_true(finite)
        if finite:
            self.inner_optimizer.apply_gradients(pairs)
            self._good_steps += 1
            if self._good_steps >= self.dynamic_growth_steps:
                grown = self._scale * self.growth_factor
                if math.isfinite(grown) and grown <= np.finfo(np.float32).max:
                    self._scale = grown
                self._good_steps = 0
        else:
            self._scale *= self.backoff_factor
            if self.min_scale is not None:
                self._scale = max(self._scale, self.min_scale)
            self._good_steps = 0
            self.skipped_steps += 1
        return self.iterations

    def finalize_variable_values(self, var_list) -> None:
        """The inner optimizer's (its ``use_ema`` averages), as Keras."""
        self.inner_optimizer.finalize_variable_values(var_list)

    def minimize(self, loss, var_list, tape: GradientTape | None = None) -> int:
        """Scale ``loss``, take gradients, unscale them and apply them (see
        :meth:`Optimizer.minimize`)."""
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
                loss = self.scale_loss(loss())
            seed = None
        else:  # recorded already: seed the backward pass with the scale instead
            seed = np.asarray(self._scale, dtype=loss.dtype)
        var_list = list(var_list() if callable(var_list) else var_list)
        grads = tape.gradient(loss, var_list, output_gradients=seed)
        return self.apply_gradients(zip(self.unscale_gradients(grads), var_list))

    # -- state and config ------------------------------------------------------------------------
    def get_state(self, var_list) -> dict:
        """The inner optimizer's state plus ``loss_scale`` and the step counters."""
        state = self.inner_optimizer.get_state(var_list)
        state["loss_scale"] = np.asarray(self._scale, dtype=np.float64)
        state["loss_scale_good_steps"] = np.asarray(self._good_steps, dtype=np.int64)
        state["loss_scale_skipped_steps"] = np.asarray(self.skipped_steps, dtype=np.int64)
        return state

    def set_state(self, var_list, state: dict) -> None:
        """Restore :meth:`get_state`'s output (a state without the scale keeps the current
        scale)."""
        state = dict(state)
        mine = {k: state.pop(k) for k in _STATE_KEYS if k in state}
        self.inner_optimizer.set_state(var_list, state)
        if "loss_scale" in mine:
            scale = float(np.asarray(mine["loss_scale"]))
            if not (scale > 0 and math.isfinite(scale)):
                raise ValueError(
                    f"{self.name}.set_state: loss_scale must be positive and "
                    f"finite, received {scale}"
                )
            self._scale = scale
        self._good_steps = int(np.asarray(mine.get("loss_scale_good_steps", 0)))
        self.skipped_steps = int(np.asarray(mine.get("loss_scale_skipped_steps", 0)))

    def get_config(self) -> dict:
        from .serialization import serialize

        config = {
            "name": self.name,
            "inner_optimizer": serialize(self.inner_optimizer),
            "initial_scale": self.initial_scale,
            "dynamic_growth_steps": self.dynamic_growth_steps,
        }
        # gpuflow's own arguments (Keras 2's dynamic) only where they are not the default:
        # Keras 3's LossScaleOptimizer refuses them, and a file it cannot read is no use
        extras = {"dynamic": True, "growth_factor": 2.0, "backoff_factor": 0.5, "min_scale": None}
        for key, default in extras.items():
            if getattr(self, key) != default:
                config[key] = getattr(self, key)
        return config

    @classmethod
    def from_config(cls, config: dict, custom_objects: dict | None = None) -> LossScaleOptimizer:
        from .serialization import deserialize

        config = dict(config)
        inner = config.pop("inner_optimizer")
        if isinstance(inner, dict):
            inner = deserialize(inner, custom_objects=custom_objects)
        return cls(inner, **config)

    def __repr__(self) -> str:
        return (
            f"<gpuflow.optimizers.LossScaleOptimizer "
            f"inner={type(self.inner_optimizer).__name__} "
            f"loss_scale={self._scale:g} iterations={self.iterations}>"
        )


def _array(g):
    """A gradient's array (a tf.IndexedSlices' values' array), or ``g`` itself."""
    if isinstance(g, IndexedSlices):
        g = g.values
    return getattr(g, "_data", g)


def _all_finite(grads) -> bool:
    """Whether every gradient is finite, with one device-to-host sync in all."""
    flags = None
    for g in grads:
        if g is None:
            continue
        if isinstance(g, IndexedSlices):
            g = g.values
        array = g._data if isinstance(g, Tensor) else g
        xp = g._device.xp if isinstance(g, Tensor) else np
        if dtypes.kind(array.dtype) != "f":
            continue
        ok = xp.isfinite(array).all()
        flags = ok if flags is None else flags & ok
    return True if flags is None else bool(flags)


def wrap_for_policy(model, optimizer):
    """``optimizer`` wrapped in a LossScaleOptimizer when ``model`` or one of its layers has a
    mixed_float16 policy (what ``compile()`` does, as Keras); otherwise ``optimizer`` itself."""
    if isinstance(optimizer, LossScaleOptimizer):
        return optimizer
    layers = model._flatten_layers() if hasattr(model, "_flatten_layers") else [model]
    if any(layer.dtype_policy.name == "mixed_float16" for layer in layers):
        return LossScaleOptimizer(optimizer)
    return optimizer
