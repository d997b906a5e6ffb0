"""Testing helpers: ``gradcheck`` compares autodiff gradients with finite differences."""

from __future__ import annotations

import numpy as np

from .autodiff import GradientTape
from .ops.creation import constant
from .tensor import Tensor


def gradcheck(
    fn,
    inputs,
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-4,
    seed: int = 0,
    device=None,
) -> bool:
    """Check the gradients of ``fn(*inputs)`` against central finite differences in float64.

    The scalar checked is ``sum(fn(*inputs) * w)`` for a fixed random ``w``, so every
    output element contributes with its own weight.

    Args:
        fn: a function of Tensors returning a Tensor.
        inputs: array-likes; float ones are checked (as float64), others passed as given.
        eps, atol, rtol: step and tolerances.

    Returns:
        True when all gradients match.

    Raises:
        AssertionError: naming the input and the worst element when a gradient differs.
    """
    arrays = [np.array(a.numpy() if isinstance(a, Tensor) else a) for a in inputs]
    arrays = [a.astype(np.float64) if a.dtype.kind == "f" else a for a in arrays]
    checked = [i for i, a in enumerate(arrays) if a.dtype.kind == "f"]
    rng = np.random.default_rng(seed)

    def evaluate(values):
        return fn(*[constant(v, device=device) for v in values])

    weights = rng.standard_normal(np.shape(evaluate(arrays).numpy()))

    def scalar(values) -> float:
        return float(np.sum(evaluate(values).numpy() * weights))

    tensors = [constant(a, device=device) for a in arrays]
    with GradientTape() as tape:
        for i in checked:
            tape.watch(tensors[i])
        out = fn(*tensors)
        loss = (out * constant(weights, dtype=out.dtype, device=out.device)).sum()
    grads = tape.gradient(loss, [tensors[i] for i in checked])

    for i, grad in zip(checked, grads):
        if getattr(type(grad), "_gpuflow_dense", None) is not None:  # a tf.IndexedSlices
            grad = grad._gpuflow_dense()
        analytic = np.zeros_like(arrays[i]) if grad is None else grad.numpy()
        numeric = np.zeros_like(arrays[i])
        flat = arrays[i].reshape(-1)
        for k in range(flat.size):
            keep = flat[k]
            flat[k] = keep + eps
            up = scalar(arrays)
            flat[k] = keep - eps
            down = scalar(arrays)
            flat[k] = keep
            numeric.reshape(-1)[k] = (up - down) / (2 * eps)
        if not np.allclose(analytic, numeric, atol=atol, rtol=rtol):
            worst = np.unravel_index(np.argmax(np.abs(analytic - numeric)), analytic.shape)
            raise AssertionError(
                f"gradcheck: gradient of input {i} (shape {arrays[i].shape}) differs at {worst}: "
                f"autodiff {analytic[worst]:.6g}, finite differences {numeric[worst]:.6g}"
            )
    return True


def gradgradcheck(
    fn,
    inputs,
    eps: float = 1e-5,
    atol: float = 1e-4,
    rtol: float = 1e-3,
    seed: int = 0,
    device=None,
) -> bool:
    """Check second derivatives of ``fn(*inputs)``: nested tapes against finite differences.

    With fixed random weights ``w`` (per output) and ``v`` (per input), the scalar
    ``h(x) = sum_i v_i . d/dx_i sum(fn(x) * w)`` is computed with an inner tape; the outer
    tape's gradient of ``h`` (the Hessian-vector products) is compared with central
    differences of ``h``. Inputs as in :func:`gradcheck` (float ones checked, in float64).

    Raises:
        AssertionError: naming the input and the worst element when they differ.
    """
    arrays = [np.array(a.numpy() if isinstance(a, Tensor) else a) for a in inputs]
    arrays = [a.astype(np.float64) if a.dtype.kind == "f" else a for a in arrays]
    checked = [i for i, a in enumerate(arrays) if a.dtype.kind == "f"]
    rng = np.random.default_rng(seed)
    out_shape = np.shape(fn(*[constant(a, device=device) for a in arrays]).numpy())
    w = rng.standard_normal(out_shape)
    vs = {i: rng.standard_normal(arrays[i].shape) for i in checked}

    def h_and_grads(values, outer_grads: bool):
        tensors = [constant(a, device=device) for a in values]
        with GradientTape() as outer:
            for i in checked:
                outer.watch(tensors[i])
            with GradientTape() as inner:
                for i in checked:
                    inner.watch(tensors[i])
                out = fn(*tensors)
                loss = (out * constant(w, device=out.device)).sum()
            grads = inner.gradient(loss, [tensors[i] for i in checked])
            h = None
            for i, g in zip(checked, grads):
                if g is None:
                    continue
                term = (g * constant(vs[i], device=g.device)).sum()
                h = term if h is None else h + term
        if h is None:
            return 0.0, [None] * len(checked)
        second = outer.gradient(h, [tensors[i] for i in checked]) if outer_grads else None
        return float(h.numpy()), second

    _, second = h_and_grads(arrays, True)
    for i, grad in zip(checked, second):
        if getattr(type(grad), "_gpuflow_dense", None) is not None:  # a tf.IndexedSlices
            grad = grad._gpuflow_dense()
        analytic = np.zeros_like(arrays[i]) if grad is None else grad.numpy()
        numeric = np.zeros_like(arrays[i])
        flat = arrays[i].reshape(-1)
        for k in range(flat.size):
            keep = flat[k]
            flat[k] = keep + eps
            up = h_and_grads(arrays, False)[0]
            flat[k] = keep - eps
            down = h_and_grads(arrays, False)[0]
            flat[k] = keep
            numeric.reshape(-1)[k] = (up - down) / (2 * eps)
        if not np.allclose(analytic, numeric, atol=atol, rtol=rtol):
            worst = np.unravel_index(np.argmax(np.abs(analytic - numeric)), analytic.shape)
            raise AssertionError(
                f"gradgradcheck: second derivative of input {i} (shape {arrays[i].shape}) differs "
                f"at {worst}: autodiff {analytic[worst]:.6g}, finite differences "
                f"{numeric[worst]:.6g}"
            )
    return True
