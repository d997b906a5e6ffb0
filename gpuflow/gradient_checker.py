"""``tf.test.compute_gradient``: a function's Jacobians by autodiff and by central
differences, for checking gradients (as TensorFlow's gradient_checker_v2)."""

from __future__ import annotations

import numpy as np


def compute_gradient(f, x, delta=None):
    """The theoretical and numerical Jacobians of ``y = f(*x)`` with respect to each
    argument: two tuples of 2-D NumPy arrays of shape ``(y.size, x_i.size)``.

    Args:
        f: the function (eager or a ``tf.function``).
        x: a list or tuple of arguments (values convertible to tensors).
        delta: the perturbation of the central differences (default ``1/1024``, exact
            in binary floating point, as TensorFlow).

    Raises:
        ValueError: when ``x`` is not a list or tuple.
    """
    from .autodiff.tape import GradientTape
    from .ops.creation import convert_to_tensor

    if not isinstance(x, (list, tuple)):
        raise ValueError(
            "compute_gradient: `x` must be a list or tuple of values convertible to a "
            f"Tensor (arguments to `f`), not a {type(x)}"
        )
    delta = 1.0 / 1024 if delta is None else float(delta)
    xs = [convert_to_tensor(v) for v in x]
    theoretical, numerical = [], []
    for i, xi in enumerate(xs):
        with GradientTape() as tape:
            tape.watch(xi)
            y = convert_to_tensor(f(*xs))
        jacobian = tape.jacobian(y, xi)
        y_size, x_size = int(np.prod(y.shape)), int(np.prod(xi.shape))
        if jacobian is None:
            theoretical.append(np.zeros((y_size, x_size), y.dtype.as_numpy_dtype))
        else:
            theoretical.append(np.asarray(jacobian.numpy()).reshape(y_size, x_size))
        numerical.append(_numeric_jacobian(f, xs, i, delta, y_size, y.dtype.as_numpy_dtype))
    return tuple(theoretical), tuple(numerical)


def _numeric_jacobian(f, xs, index, delta, y_size, y_dtype):
    from .ops.creation import convert_to_tensor

    base = np.array(xs[index].numpy())
    flat = base.reshape(-1)
    jacobian = np.zeros((y_size, flat.size), y_dtype)
    for j in range(flat.size):
        columns = []
        for sign in (1.0, -1.0):
            moved = flat.copy()
            moved[j] = moved[j] + sign * delta
            args = list(xs)
            args[index] = convert_to_tensor(moved.reshape(base.shape).astype(base.dtype))
            columns.append(np.asarray(convert_to_tensor(f(*args)).numpy(), np.float64))
        jacobian[:, j] = ((columns[0] - columns[1]) / (2 * delta)).reshape(-1)
    return jacobian
