"""``tf.compat.v1.train`` optimizers on a TF 1 graph: ``minimize(loss)`` gives an op that,
in ``Session.run``, takes the gradients of ``loss`` and applies TF 1's update rule
(GradientDescent, Momentum, Adam, Adagrad, RMSProp) to the variables."""

from __future__ import annotations

import sys

from . import v1_collections as collections
from .v1_graph import CallNode, GraphOperation, GraphTensor
from .v1_run import gradients
from .v1_variables import GraphVariable


def _tf():
    return sys.modules["gpuflow"]


class Optimizer:
    """The TF 1 optimizer base: ``compute_gradients``, ``apply_gradients``, ``minimize``."""

    def __init__(self, use_locking: bool, name: str) -> None:
        if not name:
            raise ValueError("Must specify the optimizer name")
        self._name = name
        self._slots: dict = {}  # (slot name, id(var)) -> gpuflow Variable

    def get_name(self) -> str:
        return self._name

    def compute_gradients(self, loss, var_list=None, gate_gradients=1, aggregation_method=None,
                          colocate_gradients_with_ops=False, grad_loss=None):  # fmt: skip
        if var_list is None:
            var_list = collections.trainable_variables() + collections.get_collection(
                collections.GraphKeys.TRAINABLE_RESOURCE_VARIABLES
            )
        var_list = list(var_list)
        if not var_list:
            raise ValueError("No variables to optimize.")
        grads = gradients(loss, var_list, None if grad_loss is None else [grad_loss])
        return list(zip(grads, var_list))

    def apply_gradients(self, grads_and_vars, global_step=None, name=None):
        pairs = [(g, v) for g, v in grads_and_vars if g is not None]
        if not pairs:
            raise ValueError(
                "No gradients provided for any variable, check your graph for ops that do not "
                f"support gradients, between variables {[v.name for _, v in grads_and_vars]} "
                "and loss."
            )
        hyper = self._hyper_tensors()

        def apply(run):
            values = [(run.substitute(g), v) for g, v in pairs]
            params = {
                k: (run.value(t) if isinstance(t, GraphTensor) else t) for k, t in hyper.items()
            }
            stop = run.tape.stop_recording() if run.tape is not None else _Nothing()
            with stop:
                self._prepare(params)
                for g, v in values:
                    var = v._var if isinstance(v, GraphVariable) else v
                    g = _tf().convert_to_tensor(g)
                    self._apply_dense(g, var, params)
                    if isinstance(v, GraphVariable):
                        v._initialized = True
                if global_step is not None:
                    step = (
                        global_step._var if isinstance(global_step, GraphVariable) else global_step
                    )
                    step.assign_add(1)
            return None

        inputs = [g for g, _ in pairs] + list(hyper.values())
        return GraphOperation(CallNode(apply, "NoOp", name or self._name, inputs))

    def minimize(self, loss, global_step=None, var_list=None, gate_gradients=1,
                 aggregation_method=None, colocate_gradients_with_ops=False, name=None,
                 grad_loss=None):  # fmt: skip
        grads_and_vars = self.compute_gradients(loss, var_list, grad_loss=grad_loss)
        return self.apply_gradients(grads_and_vars, global_step=global_step, name=name)

    # -- slots -------------------------------------------------------------------------------
    def _slot(self, var, slot: str, fill: float = 0.0):
        key = (slot, id(var))
        found = self._slots.get(key)
        if found is None:
            tf = _tf()
            found = tf.Variable(tf.fill(var.shape, tf.cast(fill, var.dtype)), trainable=False)
            self._slots[key] = found
        return found

    def get_slot_names(self) -> list:
        return sorted({name for name, _ in self._slots})

    def get_slot(self, var, name):
        var = var._var if isinstance(var, GraphVariable) else var
        return self._slots.get((name, id(var)))

    def _hyper_tensors(self) -> dict:
        return {}

    def _prepare(self, params) -> None:
        pass

    def _apply_dense(self, grad, var, params) -> None:
        raise NotImplementedError


class _Nothing:
    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        pass


class GradientDescentOptimizer(Optimizer):
    """``var -= learning_rate * grad``."""

    def __init__(self, learning_rate, use_locking=False, name="GradientDescent") -> None:
        super().__init__(use_locking, name)
        self._lr = learning_rate

    def _hyper_tensors(self) -> dict:
        return {"lr": self._lr}

    def _apply_dense(self, grad, var, params) -> None:
        var.assign_sub(_tf().cast(params["lr"], var.dtype) * grad)


class MomentumOptimizer(Optimizer):
    """``accum = momentum * accum + grad; var -= lr * accum`` (Nesterov:
    ``var -= lr * (grad + momentum * accum)``)."""

    def __init__(self, learning_rate, momentum, use_locking=False, name="Momentum",
                 use_nesterov=False) -> None:  # fmt: skip
        super().__init__(use_locking, name)
        self._lr, self._momentum, self._nesterov = learning_rate, momentum, use_nesterov

    def _hyper_tensors(self) -> dict:
        return {"lr": self._lr, "momentum": self._momentum}

    def _apply_dense(self, grad, var, params) -> None:
        tf = _tf()
        lr, m = tf.cast(params["lr"], var.dtype), tf.cast(params["momentum"], var.dtype)
        accum = self._slot(var, "momentum")
        accum.assign(m * accum + grad)
        var.assign_sub(lr * (grad + m * accum) if self._nesterov else lr * accum)


class AdamOptimizer(Optimizer):
    """TF 1's Adam: ``lr_t = lr * sqrt(1 - beta2^t) / (1 - beta1^t)``,
    ``var -= lr_t * m / (sqrt(v) + epsilon)``."""

    def __init__(self, learning_rate=0.001, beta1=0.9, beta2=0.999, epsilon=1e-8,
                 use_locking=False, name="Adam") -> None:  # fmt: skip
        super().__init__(use_locking, name)
        self._lr, self._beta1, self._beta2, self._epsilon = learning_rate, beta1, beta2, epsilon
        self._step = 0

    def _hyper_tensors(self) -> dict:
        return {"lr": self._lr}

    def _prepare(self, params) -> None:
        self._step += 1
        t = self._step
        params["lr_t"] = params["lr"] * (1 - self._beta2**t) ** 0.5 / (1 - self._beta1**t)

    def _apply_dense(self, grad, var, params) -> None:
        tf = _tf()
        b1, b2 = self._beta1, self._beta2
        m, v = self._slot(var, "m"), self._slot(var, "v")
        m.assign(b1 * m + (1 - b1) * grad)
        v.assign(b2 * v + (1 - b2) * grad * grad)
        lr_t = tf.cast(params["lr_t"], var.dtype)
        var.assign_sub(lr_t * m / (tf.sqrt(v) + self._epsilon))


class AdagradOptimizer(Optimizer):
    """``accum += grad^2; var -= lr * grad / sqrt(accum)``."""

    def __init__(self, learning_rate, initial_accumulator_value=0.1, use_locking=False,
                 name="Adagrad") -> None:  # fmt: skip
        super().__init__(use_locking, name)
        self._lr, self._initial = learning_rate, initial_accumulator_value

    def _hyper_tensors(self) -> dict:
        return {"lr": self._lr}

    def _apply_dense(self, grad, var, params) -> None:
        tf = _tf()
        accum = self._slot(var, "accumulator", self._initial)
        accum.assign_add(grad * grad)
        var.assign_sub(tf.cast(params["lr"], var.dtype) * grad / tf.sqrt(accum))


class RMSPropOptimizer(Optimizer):
    """TF 1's RMSProp (``rms`` starts at ones): ``ms = decay*ms + (1-decay)*g^2;
    mom = momentum*mom + lr*g/sqrt(ms + epsilon); var -= mom``."""

    def __init__(self, learning_rate, decay=0.9, momentum=0.0, epsilon=1e-10,
                 use_locking=False, centered=False, name="RMSProp") -> None:  # fmt: skip
        super().__init__(use_locking, name)
        self._lr, self._decay, self._momentum = learning_rate, decay, momentum
        self._epsilon, self._centered = epsilon, centered

    def _hyper_tensors(self) -> dict:
        return {"lr": self._lr}

    def _apply_dense(self, grad, var, params) -> None:
        tf = _tf()
        lr = tf.cast(params["lr"], var.dtype)
        ms, mom = self._slot(var, "rms", 1.0), self._slot(var, "momentum")
        ms.assign(self._decay * ms + (1 - self._decay) * grad * grad)
        denom = ms
        if self._centered:
            mg = self._slot(var, "mg")
            mg.assign(self._decay * mg + (1 - self._decay) * grad)
            denom = ms - mg * mg
        mom.assign(self._momentum * mom + lr * grad / tf.sqrt(denom + self._epsilon))
        var.assign_sub(mom)


def get_or_create_global_step(graph=None):
    """The ``global_step`` variable (int64, not trainable), made on first use."""
    found = collections.get_collection(collections.GraphKeys.GLOBAL_STEP)
    if found:
        return found[0]
    return create_global_step(graph)


def create_global_step(graph=None):
    from .v1_variables import make_variable

    tf = _tf()
    step = make_variable(
        tf.constant(0, "int64"),
        trainable=False,
        name="global_step",
        collections=[collections.GraphKeys.GLOBAL_VARIABLES, collections.GraphKeys.GLOBAL_STEP],
    )
    return step


def get_global_step(graph=None):
    found = collections.get_collection(collections.GraphKeys.GLOBAL_STEP)
    return found[0] if found else None


def global_step(sess, global_step_tensor) -> int:
    """The value of ``global_step_tensor`` in ``sess``, as an int."""
    if hasattr(global_step_tensor, "_node"):
        return int(sess.run(global_step_tensor))
    return int(global_step_tensor.numpy())


def assert_global_step(global_step_tensor) -> None:
    """TypeError unless ``global_step_tensor`` is a scalar integer variable or tensor."""
    dtype = getattr(global_step_tensor, "dtype", None)
    shape = getattr(global_step_tensor, "shape", None)
    if dtype is None or not getattr(dtype, "is_integer", False):
        raise TypeError(
            f"Existing `global_step` does not have integer type: {getattr(dtype, 'name', dtype)}"
        )
    if shape is None or (shape.rank is not None and shape.rank != 0):
        raise TypeError(f"Existing `global_step` is not scalar: {shape}")


def _schedule(compute, global_step):
    """A decayed value: a graph tensor of ``global_step`` in graph mode, else (eagerly, as
    TF 2 runs the v1 schedules) a function giving the current value."""
    from .v1_graph import graph_mode, has_graph_tensor
    from .v1_record import graph_call

    if global_step is None:
        raise ValueError("global_step is required for the decay functions.")
    if graph_mode() or has_graph_tensor(global_step):
        return graph_call(compute, global_step)
    return lambda: compute(global_step)


def exponential_decay(learning_rate, global_step, decay_steps, decay_rate, staircase=False,
                      name=None):  # fmt: skip
    """``learning_rate * decay_rate ** (global_step / decay_steps)`` (floored with staircase)."""

    def compute(step):
        tf = _tf()
        p = tf.cast(step, "float32") / float(decay_steps)
        if staircase:
            p = tf.floor(p)
        return tf.cast(learning_rate, "float32") * tf.pow(float(decay_rate), p)

    return _schedule(compute, global_step)


def _keras_schedule(kind: str, *args, **kwargs):
    """``compute(step)`` of Keras' schedule ``kind`` (the v1 functions are those schedules)."""

    def compute(step):
        schedule = getattr(_tf().keras.optimizers.schedules, kind)(*args, **kwargs)
        return _tf().cast(schedule(step), "float32")

    return compute


def polynomial_decay(learning_rate, global_step, decay_steps, end_learning_rate=0.0001,
                     power=1.0, cycle=False, name=None):  # fmt: skip
    """From ``learning_rate`` to ``end_learning_rate`` along ``(1 - step/decay_steps)**power``
    (restarting with a longer period each time with ``cycle``)."""
    return _schedule(
        _keras_schedule(
            "PolynomialDecay", learning_rate, decay_steps, end_learning_rate, power, cycle
        ),
        global_step,
    )


def natural_exp_decay(learning_rate, global_step, decay_steps, decay_rate, staircase=False,
                      name=None):  # fmt: skip
    """``learning_rate * exp(-decay_rate * global_step / decay_steps)``."""
    import math

    rate = math.exp(-float(decay_rate))
    return _schedule(
        _keras_schedule("ExponentialDecay", learning_rate, decay_steps, rate, staircase),
        global_step,
    )


def inverse_time_decay(learning_rate, global_step, decay_steps, decay_rate, staircase=False,
                       name=None):  # fmt: skip
    """``learning_rate / (1 + decay_rate * global_step / decay_steps)``."""
    return _schedule(
        _keras_schedule("InverseTimeDecay", learning_rate, decay_steps, decay_rate, staircase),
        global_step,
    )


def cosine_decay(learning_rate, global_step, decay_steps, alpha=0.0, name=None):
    """Half a cosine from ``learning_rate`` down to ``alpha * learning_rate``."""
    return _schedule(
        _keras_schedule("CosineDecay", learning_rate, decay_steps, alpha=alpha), global_step
    )


def cosine_decay_restarts(learning_rate, global_step, first_decay_steps, t_mul=2.0, m_mul=1.0,
                          alpha=0.0, name=None):  # fmt: skip
    """Cosine decay restarted after ``first_decay_steps``, each period ``t_mul`` times longer
    and starting ``m_mul`` times lower."""
    return _schedule(
        _keras_schedule(
            "CosineDecayRestarts", learning_rate, first_decay_steps, t_mul, m_mul, alpha
        ),
        global_step,
    )


def linear_cosine_decay(learning_rate, global_step, decay_steps, num_periods=0.5, alpha=0.0,
                        beta=0.001, name=None):  # fmt: skip
    """``learning_rate * ((alpha + linear) * cosine + beta)``: a linear ramp to 0 times a
    cosine of ``num_periods`` periods over ``decay_steps``."""
    import math

    def compute(step):
        tf = _tf()
        steps = float(decay_steps)
        done = tf.minimum(tf.cast(step, "float32"), steps)
        linear = (steps - done) / steps
        cosine = 0.5 * (1.0 + tf.cos(math.pi * 2.0 * float(num_periods) * done / steps))
        decayed = (float(alpha) + linear) * cosine + float(beta)
        return tf.cast(learning_rate, "float32") * decayed

    return _schedule(compute, global_step)


def piecewise_constant(x, boundaries, values, name=None):
    """``values[i]`` where ``boundaries[i-1] < x <= boundaries[i]``."""
    if len(values) != len(boundaries) + 1:
        raise ValueError("The length of boundaries should be 1 less than the length of values")

    def compute(step):
        tf = _tf()
        index = tf.reduce_sum(tf.cast(tf.greater(tf.cast(step, "float64"), boundaries), "int32"))
        return tf.gather(tf.constant(values), index)

    return _schedule(compute, x)
