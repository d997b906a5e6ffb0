"""The legacy functions of ``tf.keras.backend`` (``K.mean``, ``K.batch_dot``, ``K.switch``, ...)
that TF2-era Keras code calls, with tf.keras 3's semantics, on gpuflow's ops.

Each is a thin composition of public ops, so it is differentiable and also works on
symbolic inputs where the ops do. Data formats: ``"channels_last"`` only, as the rest of
gpuflow.
"""

from __future__ import annotations

import builtins
import math as _math

import numpy as np

import gpuflow as tf  # the public ops: resolved when a function is called


def _floatx():
    from ..config import settings

    return settings.floatx()


def _epsilon():
    from ..config import settings

    return settings.epsilon()


def _channels_last(op: str, data_format) -> None:
    if data_format not in (None, "channels_last"):
        raise ValueError(
            f"{op}: gpuflow supports only data_format='channels_last', received {data_format!r}"
        )


def _padding(op: str, padding) -> str:
    if padding not in ("same", "valid"):
        raise ValueError(f"{op}: Invalid padding: {padding}")
    return padding.upper()


def _tensor(x):
    from ..layers.keras_tensor import KerasTensor

    return x if isinstance(x, (tf.Tensor, KerasTensor)) else tf.convert_to_tensor(x)


# -- elementwise and comparisons --------------------------------------------------------------
def abs(x):  # noqa: A001
    return tf.abs(x)


def cos(x):
    return tf.cos(x)


def sin(x):
    return tf.sin(x)


def exp(x):
    return tf.exp(x)


def log(x):
    return tf.math.log(x)


def sign(x):
    return tf.sign(x)


def square(x):
    return tf.square(x)


def sqrt(x):
    """``sqrt(max(x, 0))``, as Keras (negative inputs give 0, not NaN)."""
    x = _tensor(x)
    return tf.sqrt(tf.maximum(x, tf.zeros_like(x)))


def pow(x, a):  # noqa: A001
    return tf.pow(x, a)


def round(x):  # noqa: A001
    return tf.round(x)


def tanh(x):
    return tf.tanh(x)


def sigmoid(x):
    return tf.sigmoid(x)


def hard_sigmoid(x):
    """``clip(0.2 * x + 0.5, 0, 1)``."""
    return tf.clip_by_value(_tensor(x) * 0.2 + 0.5, 0.0, 1.0)


def softplus(x):
    return tf.math.softplus(x)


def softsign(x):
    return tf.math.softsign(x)


def equal(x, y):
    return tf.equal(x, y)


def not_equal(x, y):
    return tf.not_equal(x, y)


def greater(x, y):
    return tf.greater(x, y)


def greater_equal(x, y):
    return tf.greater_equal(x, y)


def less(x, y):
    return tf.less(x, y)


def less_equal(x, y):
    return tf.less_equal(x, y)


def maximum(x, y):
    return tf.maximum(x, y)


def minimum(x, y):
    return tf.minimum(x, y)


def clip(x, min_value, max_value):
    """``x`` clipped to ``[min_value, max_value]`` (None: unbounded; a max below the min is
    raised to it, as Keras)."""
    if isinstance(min_value, (int, float)) and isinstance(max_value, (int, float)):
        max_value = builtins.max(max_value, min_value)
    min_value = -np.inf if min_value is None else min_value
    max_value = np.inf if max_value is None else max_value
    return tf.clip_by_value(x, min_value, max_value)


# -- reductions ---------------------------------------------------------------------------------
def _float_if_bool(x):
    x = _tensor(x)
    return tf.cast(x, _floatx()) if x.dtype == tf.bool else x


def all(x, axis=None, keepdims=False):  # noqa: A001
    return tf.reduce_all(tf.cast(x, tf.bool), axis, keepdims)


def any(x, axis=None, keepdims=False):  # noqa: A001
    return tf.reduce_any(tf.cast(x, tf.bool), axis, keepdims)


def argmax(x, axis=-1):
    return tf.argmax(x, axis)


def argmin(x, axis=-1):
    return tf.argmin(x, axis)


def max(x, axis=None, keepdims=False):  # noqa: A001
    return tf.reduce_max(x, axis, keepdims)


def min(x, axis=None, keepdims=False):  # noqa: A001
    return tf.reduce_min(x, axis, keepdims)


def sum(x, axis=None, keepdims=False):  # noqa: A001
    return tf.reduce_sum(x, axis, keepdims)


def prod(x, axis=None, keepdims=False):
    return tf.reduce_prod(x, axis, keepdims)


def mean(x, axis=None, keepdims=False):
    return tf.reduce_mean(_float_if_bool(x), axis, keepdims)


def std(x, axis=None, keepdims=False):
    return tf.math.reduce_std(_float_if_bool(x), axis=axis, keepdims=keepdims)


def var(x, axis=None, keepdims=False):
    return tf.math.reduce_variance(_float_if_bool(x), axis=axis, keepdims=keepdims)


def cumsum(x, axis=0):
    return tf.cumsum(x, axis=axis)


def cumprod(x, axis=0):
    return tf.math.cumprod(x, axis=axis)


def l2_normalize(x, axis=None):
    return tf.linalg.l2_normalize(x, axis=axis)


def in_top_k(predictions, targets, k):
    return tf.math.in_top_k(targets, predictions, k)


# -- shapes ---------------------------------------------------------------------------------------
def ndim(x):
    return len(x.shape)


def shape(x):
    return tf.shape(x)


def dtype(x):
    return tf.as_dtype(x.dtype).name


def count_params(x):
    return int(_math.prod(x.shape))


def cast(x, dtype):  # noqa: A002 (Keras' argument name)
    return tf.cast(x, dtype)


def cast_to_floatx(x):
    if isinstance(x, tf.Tensor):
        return tf.cast(x, _floatx())
    return np.asarray(x, dtype=_floatx())


def reshape(x, shape):
    return tf.reshape(x, shape)


def flatten(x):
    return tf.reshape(x, [-1])


def batch_flatten(x):
    x = _tensor(x)
    return tf.reshape(x, [-1, int(_math.prod(x.shape[1:]))])


def expand_dims(x, axis=-1):
    return tf.expand_dims(x, axis)


def squeeze(x, axis):
    return tf.squeeze(x, [axis])


def stack(x, axis=0):
    return tf.stack(x, axis=axis)


def concatenate(tensors, axis=-1):
    if axis < 0:
        rank = ndim(_tensor(tensors[0]))
        axis = axis % rank if rank else 0
    return tf.concat([to_dense(t) for t in tensors], axis)


def permute_dimensions(x, pattern):
    return tf.transpose(x, perm=pattern)


def transpose(x):
    return tf.transpose(x)


def reverse(x, axes):
    return tf.reverse(x, [axes] if isinstance(axes, int) else list(axes))


def tile(x, n):
    return tf.tile(x, [n] if isinstance(n, int) else n)


def repeat(x, n):
    """``[batch, dim]`` to ``[batch, n, dim]``."""
    x = _tensor(x)
    if ndim(x) != 2:
        raise ValueError(f"repeat: Expected input `x` to have rank 2. Received: rank(x)={ndim(x)}")
    return tf.tile(tf.expand_dims(x, 1), [1, n, 1])


def repeat_elements(x, rep, axis):
    """Each slice along ``axis`` repeated ``rep`` times (``np.repeat``)."""
    return tf.repeat(x, rep, axis=axis)


def gather(reference, indices):
    return tf.gather(reference, indices)


def one_hot(indices, num_classes):
    return tf.one_hot(indices, depth=num_classes, axis=-1)


def arange(start, stop=None, step=1, dtype="int32"):  # noqa: A002
    if stop is None and start < 0:
        start = 0
    result = tf.range(start, stop, step)
    return result if dtype == "int32" else tf.cast(result, dtype)


def temporal_padding(x, padding=(1, 1)):
    if len(padding) != 2:
        raise ValueError(
            "temporal_padding: Expected `padding` to be a tuple of 2 integers. Received: "
            f"padding={padding}"
        )
    return tf.pad(x, [[0, 0], list(padding), [0, 0]])


def spatial_2d_padding(x, padding=((1, 1), (1, 1)), data_format=None):
    if len(padding) != 2 or builtins.any(len(p) != 2 for p in padding):
        raise ValueError(
            "spatial_2d_padding: Expected `padding` to be a tuple of 2 tuples of 2 integers. "
            f"Received: padding={padding}"
        )
    _channels_last("spatial_2d_padding", data_format)
    return tf.pad(x, [[0, 0], list(padding[0]), list(padding[1]), [0, 0]])


def spatial_3d_padding(x, padding=((1, 1), (1, 1), (1, 1)), data_format=None):
    if len(padding) != 3 or builtins.any(len(p) != 2 for p in padding):
        raise ValueError(
            "spatial_3d_padding: Expected `padding` to be a tuple of 3 tuples of 2 integers. "
            f"Received: padding={padding}"
        )
    _channels_last("spatial_3d_padding", data_format)
    return tf.pad(x, [[0, 0]] + [list(p) for p in padding] + [[0, 0]])


def resize_images(x, height_factor, width_factor, data_format, interpolation="nearest"):
    _channels_last("resize_images", data_format)
    methods = ("area", "bicubic", "bilinear", "gaussian", "lanczos3", "lanczos5", "mitchellcubic")
    if interpolation not in methods + ("nearest",):
        raise ValueError(
            "resize_images: `interpolation` argument should be one of: "
            f"{', '.join(methods + ('nearest',))}. Received: {interpolation!r}."
        )
    x = _tensor(x)
    size = [x.shape[1] * height_factor, x.shape[2] * width_factor]
    method = "nearest" if interpolation == "nearest" else interpolation
    return tf.image.resize(x, size, method=method)


def resize_volumes(x, depth_factor, height_factor, width_factor, data_format):
    _channels_last("resize_volumes", data_format)
    out = repeat_elements(x, depth_factor, axis=1)
    out = repeat_elements(out, height_factor, axis=2)
    return repeat_elements(out, width_factor, axis=3)


# -- creation and variables --------------------------------------------------------------------
def constant(value, dtype=None, shape=None, name=None):  # noqa: A002
    return tf.constant(value, dtype=dtype or _floatx(), shape=shape, name=name)


def variable(value, dtype=None, name=None, constraint=None):  # noqa: A002
    kwargs = {} if constraint is None else {"constraint": constraint}
    return tf.Variable(value, dtype=tf.as_dtype(dtype or _floatx()), name=name, **kwargs)


def zeros(shape, dtype=None, name=None):  # noqa: A002
    """A variable of zeros (a tensor when the shape is not fully known)."""
    value = tf.zeros(shape, dtype=dtype or _floatx())
    return variable(value, dtype, name) if builtins.all(shape) else value


def ones(shape, dtype=None, name=None):  # noqa: A002
    """A variable of ones (a tensor when the shape is not fully known)."""
    value = tf.ones(shape, dtype=dtype or _floatx())
    return variable(value, dtype, name) if builtins.all(shape) else value


def eye(size, dtype=None, name=None):  # noqa: A002
    return variable(tf.eye(size, dtype=dtype or _floatx()), dtype, name)


def zeros_like(x, dtype=None, name=None):  # noqa: A002
    return tf.zeros_like(x, dtype=dtype)


def ones_like(x, dtype=None, name=None):  # noqa: A002
    return tf.ones_like(x, dtype=dtype)


def random_uniform(shape, minval=0.0, maxval=1.0, dtype=None, seed=None):  # noqa: A002
    return tf.random.uniform(shape, minval, maxval, dtype=dtype or _floatx(), seed=seed)


def random_normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):  # noqa: A002
    return tf.random.normal(shape, mean, stddev, dtype=dtype or _floatx(), seed=seed)


def truncated_normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):  # noqa: A002
    return tf.random.truncated_normal(shape, mean, stddev, dtype=dtype or _floatx(), seed=seed)


def random_bernoulli(shape, p=0.0, dtype=None, seed=None):  # noqa: A002
    dtype = dtype or _floatx()
    return tf.cast(tf.random.uniform(shape, dtype=dtype, seed=seed) <= p, dtype)


def random_uniform_variable(shape, low, high, dtype=None, name=None, seed=None):  # noqa: A002
    return variable(random_uniform(shape, low, high, dtype, seed), dtype, name)


def random_normal_variable(shape, mean, scale, dtype=None, name=None, seed=None):  # noqa: A002
    return variable(random_normal(shape, mean, scale, dtype, seed), dtype, name)


def batch_get_value(tensors):
    return [np.asarray(x) for x in tensors]


def batch_set_value(tuples):
    for x, value in tuples:
        x.assign(np.asarray(value, dtype=tf.as_dtype(x.dtype).name))


def update(x, new_x):
    return x.assign(new_x)


def update_add(x, increment):
    return x.assign_add(increment)


def update_sub(x, decrement):
    return x.assign_sub(decrement)


def moving_average_update(x, value, momentum):
    """``x -= (x - value) * (1 - momentum)``."""
    value = tf.cast(value, x.dtype)
    return x.assign_sub((x - value) * (1 - momentum))


def is_sparse(tensor):
    return isinstance(tensor, tf.sparse.SparseTensor)


def to_dense(tensor):
    return tf.sparse.to_dense(tensor) if is_sparse(tensor) else tensor


def eval(x):  # noqa: A001
    """The value as a NumPy array (``backend.get_value`` of the dense tensor)."""
    return to_dense(x).numpy()


def stop_gradient(variables):
    if isinstance(variables, (list, tuple)):
        return map(tf.stop_gradient, variables)
    return tf.stop_gradient(variables)


def name_scope(name):
    return tf.name_scope(name)


def get_uid(prefix=""):
    """A counter per ``prefix``: 1 on the first call, then 2, ... (shared with automatic layer
    names, as Keras)."""
    from ..layers.naming import get_uid as _get_uid

    return _get_uid(prefix)


def is_float_dtype(dtype):  # noqa: A002
    return tf.as_dtype(getattr(dtype, "name", dtype)).is_floating


def is_int_dtype(dtype):  # noqa: A002
    return tf.as_dtype(getattr(dtype, "name", dtype)).is_integer


def result_type(*dtypes):
    from . import ops

    return ops.result_type(*dtypes)


def standardize_dtype(dtype):  # noqa: A002
    from ..utils.sequence_utils import standardize_dtype as _standardize

    return _standardize(dtype)


# -- linear algebra -------------------------------------------------------------------------------
def dot(x, y):
    """``x @ y``; for ranks above 2, Keras' (Theano's) rule: the last axis of ``x`` with the
    second-to-last of ``y``."""
    x, y = _tensor(x), _tensor(y)
    if ndim(x) > 2 or ndim(y) > 2:
        y_perm = list(range(ndim(y)))
        y_perm = [y_perm.pop(-2)] + y_perm
        xt = tf.reshape(x, [-1, x.shape[-1]])
        yt = tf.reshape(tf.transpose(y, perm=y_perm), [y.shape[-2], -1])
        out_shape = list(x.shape[:-1]) + list(y.shape[:-2]) + [y.shape[-1]]
        return tf.reshape(tf.matmul(xt, yt), [-1 if d is None else d for d in out_shape])
    return tf.matmul(x, y)


def batch_dot(x, y, axes=None):
    """Per-example dot product of two batches over ``axes`` (Keras' rules)."""
    x, y = _tensor(x), _tensor(y)
    x_ndim, y_ndim = ndim(x), ndim(y)
    if x_ndim < 2 or y_ndim < 2:
        raise ValueError(
            "batch_dot: Cannot do batch_dot on inputs with rank < 2. Received inputs with "
            f"shapes {tuple(x.shape)} and {tuple(y.shape)}."
        )
    if x.shape[0] is not None and y.shape[0] is not None and x.shape[0] != y.shape[0]:
        raise ValueError(
            "batch_dot: Cannot do batch_dot on inputs with different batch sizes. Received "
            f"inputs with shapes {tuple(x.shape)} and {tuple(y.shape)}."
        )
    if isinstance(axes, int):
        axes = [axes, axes]
    if axes is None:
        axes = [x_ndim - 1, y_ndim - 1] if y_ndim == 2 else [x_ndim - 1, y_ndim - 2]
    if builtins.any(isinstance(a, (list, tuple)) for a in axes):
        raise ValueError(
            "batch_dot: Multiple target dimensions are not supported. Expected: None, int, "
            f"(int, int), Provided: {axes}"
        )
    a0, a1 = (
        (axes[0] + x_ndim if axes[0] < 0 else axes[0]),
        (axes[1] + y_ndim if axes[1] < 0 else axes[1]),
    )
    if 0 in (a0, a1):
        raise ValueError("batch_dot: Cannot perform batch_dot over axis 0.")
    if x.shape[a0] is not None and y.shape[a1] is not None and x.shape[a0] != y.shape[a1]:
        raise ValueError(
            f"batch_dot: Cannot do batch_dot on inputs with shapes {tuple(x.shape)} and "
            f"{tuple(y.shape)} with axes={[a0, a1]}: x.shape[{a0}] != y.shape[{a1}] "
            f"({x.shape[a0]} != {y.shape[a1]})."
        )
    orig_x_ndim, orig_y_ndim = x_ndim, y_ndim
    if x_ndim == 2:
        x, a0, x_ndim = tf.expand_dims(x, 1), a0 + 1, 3
    if y_ndim == 2:
        y, y_ndim = tf.expand_dims(y, 2), 3
    if a0 != x_ndim - 1:  # the summed axis of x last
        x = tf.transpose(x, [d for d in range(x_ndim) if d != a0] + [a0])
    if a1 != 1:  # the summed axis of y second
        y = tf.transpose(y, [0, a1] + [d for d in range(1, y_ndim) if d != a1])
    x_mid, y_trail = list(x.shape[1:-1]), list(y.shape[2:])
    if x_ndim > 3:
        x = tf.reshape(x, [-1, int(_math.prod(x_mid)), x.shape[-1]])
    if y_ndim > 3:
        y = tf.reshape(y, [-1, y.shape[1], int(_math.prod(y_trail))])
    result = tf.matmul(x, y)
    if x_ndim > 3 or y_ndim > 3:
        result = tf.reshape(result, [-1] + x_mid + y_trail)
    if orig_x_ndim == 2:
        result = tf.squeeze(result, [1])
    elif orig_y_ndim == 2:
        result = tf.squeeze(result, [-1])
    return result


# -- neural-network functions ---------------------------------------------------------------------
def relu(x, alpha=0.0, max_value=None, threshold=0.0):
    """Keras' generalized ReLU: slope ``alpha`` below ``threshold``, capped at ``max_value``."""
    x = _tensor(x)
    if alpha != 0.0 and max_value is None and threshold == 0:
        return tf.nn.leaky_relu(x, alpha=alpha)
    negative = None
    if alpha != 0.0:
        negative = tf.nn.relu(-x + threshold) if threshold != 0 else tf.nn.relu(-x)
    if threshold != 0:
        out = x * tf.cast(tf.greater(x, threshold), x.dtype)
    else:
        out = tf.nn.relu(x)
    if max_value is not None:
        out = tf.clip_by_value(out, 0.0, max_value)
    if negative is not None:
        out = out - alpha * negative
    return out


def elu(x, alpha=1.0):
    res = tf.nn.elu(x)
    return res if alpha == 1 else tf.where(_tensor(x) > 0, res, alpha * res)


def softmax(x, axis=-1):
    x = _tensor(x)
    if ndim(x) <= 1:
        raise ValueError(f"softmax: Cannot apply softmax to a tensor that is 1D. Received: {x}")
    if isinstance(axis, int):
        return tf.nn.softmax(x, axis=axis)
    numerator = tf.exp(x - tf.reduce_max(x, axis=axis, keepdims=True))
    return numerator / tf.reduce_sum(numerator, axis=axis, keepdims=True)


def dropout(x, level, noise_shape=None, seed=None):
    return tf.nn.dropout(x, rate=level, noise_shape=noise_shape, seed=seed)


def bias_add(x, bias, data_format=None):
    _channels_last("bias_add", data_format)
    x, bias = _tensor(x), _tensor(bias)
    if len(bias.shape) != 1 and len(bias.shape) != ndim(x) - 1:
        raise ValueError(
            f"bias_add: Unexpected bias dimensions {len(bias.shape)}. Expected it to be 1 or "
            f"{ndim(x) - 1} dimensions"
        )
    if len(bias.shape) == 1:
        return tf.nn.bias_add(x, bias)
    return x + tf.reshape(bias, (1,) + tuple(bias.shape))


def batch_normalization(x, mean, var, beta, gamma, axis=-1, epsilon=0.001):  # noqa: A002
    return tf.nn.batch_normalization(x, mean, var, beta, gamma, epsilon)


def binary_crossentropy(target, output, from_logits=False):
    """Elementwise, as Keras' legacy backend (no mean over the last axis)."""
    target, output = _tensor(target), _tensor(output)
    if from_logits:
        return tf.nn.sigmoid_cross_entropy_with_logits(labels=target, logits=output)
    eps = _epsilon()
    output = tf.clip_by_value(output, eps, 1.0 - eps)
    bce = target * tf.math.log(output + eps) + (1 - target) * tf.math.log(1 - output + eps)
    return -bce


def binary_focal_crossentropy(
    target, output, apply_class_balancing=False, alpha=0.25, gamma=2.0, from_logits=False
):
    target, output = _tensor(target), _tensor(output)
    probs = tf.sigmoid(output) if from_logits else output
    p_t = target * probs + (1 - target) * (1 - probs)
    focal = tf.pow(1.0 - p_t, gamma) * binary_crossentropy(target, output, from_logits)
    if apply_class_balancing:
        focal = (target * alpha + (1 - target) * (1 - alpha)) * focal
    return focal


def categorical_crossentropy(target, output, from_logits=False, axis=-1):
    target, output = _tensor(target), _tensor(output)
    if tuple(target.shape) != tuple(output.shape):
        raise ValueError(
            "categorical_crossentropy: target and output must have the same shape, received "
            f"{tuple(target.shape)} and {tuple(output.shape)}"
        )
    if from_logits:
        return tf.nn.softmax_cross_entropy_with_logits(labels=target, logits=output, axis=axis)
    output = output / tf.reduce_sum(output, axis, True)
    eps = _epsilon()
    output = tf.clip_by_value(output, eps, 1.0 - eps)
    return -tf.reduce_sum(target * tf.math.log(output), axis)


def categorical_focal_crossentropy(
    target, output, alpha=0.25, gamma=2.0, from_logits=False, axis=-1
):
    target, output = _tensor(target), _tensor(output)
    if from_logits:
        output = tf.nn.softmax(output, axis=axis)
    output = output / tf.reduce_sum(output, axis=axis, keepdims=True)
    eps = _epsilon()
    output = tf.clip_by_value(output, eps, 1.0 - eps)
    cce = -target * tf.math.log(output)
    return tf.reduce_sum(tf.pow(1.0 - output, gamma) * alpha * cce, axis=axis)


def sparse_categorical_crossentropy(target, output, from_logits=False, axis=-1, ignore_class=None):
    target, output = tf.cast(_tensor(target), "int64"), _tensor(output)
    if not from_logits:
        eps = _epsilon()
        output = tf.math.log(tf.clip_by_value(output, eps, 1 - eps))
    rank = ndim(output)
    axis %= rank
    if axis != rank - 1:
        output = tf.transpose(output, [d for d in range(rank) if d != axis] + [axis])
    out_shape = list(output.shape[:-1])
    if ndim(target) != rank - 1:
        target = tf.reshape(target, [-1])
        output = tf.reshape(output, [-1, output.shape[-1]])
    valid = None
    if ignore_class is not None:
        valid = tf.not_equal(target, ignore_class)
        target = tf.where(valid, target, tf.zeros_like(target))
    res = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=target, logits=output)
    if valid is not None:
        res = tf.where(valid, res, tf.zeros_like(res))
    if ndim(res) != len(out_shape) and rank >= 3:
        res = tf.reshape(res, [-1 if d is None else d for d in out_shape])
    return res


def conv1d(x, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1):
    _channels_last("conv1d", data_format)
    if padding == "causal":
        x = temporal_padding(x, (dilation_rate * (_tensor(kernel).shape[0] - 1), 0))
        padding = "valid"
    return tf.nn.convolution(
        x,
        kernel,
        strides=strides,
        padding=_padding("conv1d", padding),
        dilations=dilation_rate,
    )


def conv2d(x, kernel, strides=(1, 1), padding="valid", data_format=None, dilation_rate=(1, 1)):
    _channels_last("conv2d", data_format)
    return tf.nn.convolution(
        x,
        kernel,
        strides=strides,
        padding=_padding("conv2d", padding),
        dilations=dilation_rate,
    )


def conv3d(
    x, kernel, strides=(1, 1, 1), padding="valid", data_format=None, dilation_rate=(1, 1, 1)
):
    _channels_last("conv3d", data_format)
    return tf.nn.convolution(
        x,
        kernel,
        strides=strides,
        padding=_padding("conv3d", padding),
        dilations=dilation_rate,
    )


def conv2d_transpose(
    x,
    kernel,
    output_shape,
    strides=(1, 1),
    padding="valid",
    data_format=None,
    dilation_rate=(1, 1),
):
    _channels_last("conv2d_transpose", data_format)
    if tuple(dilation_rate) != (1, 1):
        raise ValueError("conv2d_transpose: dilation_rate other than (1, 1) is not supported")
    x = _tensor(x)
    output_shape = list(output_shape)
    if output_shape[0] is None:
        output_shape[0] = x.shape[0]
    return tf.nn.conv2d_transpose(
        x, kernel, output_shape, (1,) + tuple(strides) + (1,), _padding("conv2d_transpose", padding)
    )


def depthwise_conv2d(
    x, depthwise_kernel, strides=(1, 1), padding="valid", data_format=None, dilation_rate=(1, 1)
):
    _channels_last("depthwise_conv2d", data_format)
    return tf.nn.depthwise_conv2d(
        x,
        depthwise_kernel,
        (1,) + tuple(strides) + (1,),
        _padding("depthwise_conv2d", padding),
        dilations=dilation_rate,
    )


def separable_conv2d(
    x,
    depthwise_kernel,
    pointwise_kernel,
    strides=(1, 1),
    padding="valid",
    data_format=None,
    dilation_rate=(1, 1),
):
    _channels_last("separable_conv2d", data_format)
    if len(strides) != 2:
        raise ValueError("separable_conv2d: `strides` must be a tuple of 2 integers.")
    return tf.nn.separable_conv2d(
        x,
        depthwise_kernel,
        pointwise_kernel,
        (1,) + tuple(strides) + (1,),
        _padding("separable_conv2d", padding),
        dilations=dilation_rate,
    )


def pool2d(x, pool_size, strides=(1, 1), padding="valid", data_format=None, pool_mode="max"):
    _channels_last("pool2d", data_format)
    if len(pool_size) != 2:
        raise ValueError("pool2d: `pool_size` must be a tuple of 2 integers.")
    if len(strides) != 2:
        raise ValueError("pool2d: `strides` must be a tuple of 2 integers.")
    pool = {"max": tf.nn.max_pool2d, "avg": tf.nn.avg_pool2d}.get(pool_mode)
    if pool is None:
        raise ValueError(f"pool2d: Invalid pooling mode: {pool_mode}")
    return pool(x, tuple(pool_size), tuple(strides), _padding("pool2d", padding))


def pool3d(x, pool_size, strides=(1, 1, 1), padding="valid", data_format=None, pool_mode="max"):
    _channels_last("pool3d", data_format)
    pool = {"max": tf.nn.max_pool3d, "avg": tf.nn.avg_pool3d}.get(pool_mode)
    if pool is None:
        raise ValueError(f"pool3d: Invalid pooling mode: {pool_mode}")
    return pool(x, tuple(pool_size), tuple(strides), _padding("pool3d", padding))


# -- control flow ---------------------------------------------------------------------------------
def switch(condition, then_expression, else_expression):
    """``then_expression`` where ``condition`` holds, else ``else_expression``; a scalar
    condition picks one whole branch (callables are called)."""
    condition = _tensor(condition)
    if condition.dtype != tf.bool:
        condition = tf.cast(condition, "bool")
    if ndim(condition) == 0:
        chosen = then_expression if bool(condition) else else_expression
        return chosen() if callable(chosen) else chosen
    then_value = then_expression() if callable(then_expression) else then_expression
    else_value = else_expression() if callable(else_expression) else else_expression
    then_value = _tensor(then_value)
    if ndim(condition) > ndim(then_value):
        raise ValueError(
            "switch: Rank of `condition` should be less than or equal to rank of "
            f"`then_expression` and `else_expression`. ndim(condition)={ndim(condition)}, "
            f"ndim(then_expression)={ndim(then_value)}"
        )
    if ndim(condition) > 1 and ndim(then_value) > ndim(condition):
        extra = ndim(then_value) - ndim(condition)
        condition = tf.reshape(condition, list(condition.shape) + [1] * extra)
    return tf.where(condition, then_value, else_value)


def map_fn(fn, elems, name=None, dtype=None):  # noqa: A002
    return tf.map_fn(fn, elems, fn_output_signature=dtype)


def foldl(fn, elems, initializer=None, name=None):
    return tf.foldl(fn, elems, initializer=initializer)


def foldr(fn, elems, initializer=None, name=None):
    return tf.foldr(fn, elems, initializer=initializer)


# -- CTC (Keras 2's keras.backend, kept in Keras 3's legacy backend) --------------------
def ctc_label_dense_to_sparse(labels, label_lengths):
    """The first ``label_lengths[i]`` labels of each row of ``labels`` as a SparseTensor
    of ``labels``'s shape (int64 indices)."""
    labels, lengths = _tensor(labels), _tensor(label_lengths)
    if labels.ndim != 2:
        raise ValueError(
            f"ctc_label_dense_to_sparse: labels must be [batch, max_length], received shape "
            f"{tuple(labels.shape)}"
        )
    dense = labels.numpy()
    keep = np.arange(dense.shape[1])[None, :] < np.asarray(lengths.numpy()).reshape(-1, 1)
    indices = np.argwhere(keep).astype(np.int64)
    values = tf.constant(dense[keep], dtype=labels.dtype)
    return tf.sparse.SparseTensor(indices, values, np.asarray(dense.shape, np.int64))


def ctc_batch_cost(y_true, y_pred, input_length, label_length):
    """CTC loss per sample, ``[batch, 1]``, of softmax outputs ``y_pred`` ``[batch, time,
    classes]`` (the last class is the blank) for labels ``y_true`` ``[batch, max_length]``;
    ``input_length`` and ``label_length`` are ``[batch, 1]``."""
    y_pred = _tensor(y_pred)
    label_length = tf.cast(tf.reshape(label_length, [-1]), "int32")
    input_length = tf.cast(tf.reshape(input_length, [-1]), "int32")
    labels = tf.cast(y_true, "int32")
    logits = tf.math.log(y_pred + _epsilon())
    loss = tf.nn.ctc_loss(
        labels, logits, label_length, input_length, logits_time_major=False, blank_index=-1
    )
    return tf.expand_dims(loss, 1)


def ctc_decode(y_pred, input_length, greedy=True, beam_width=100, top_paths=1):
    """Best paths of softmax outputs ``y_pred`` ``[batch, time, classes]`` (blank: the last
    class): ``([dense paths [batch, time] padded with -1, ...], log probabilities)``, one
    path greedily or ``top_paths`` by beam search."""
    y_pred = _tensor(y_pred)
    samples, steps = y_pred.shape[0], y_pred.shape[1]
    logits = tf.transpose(tf.math.log(y_pred + _epsilon()), [1, 0, 2])
    lengths = tf.cast(tf.reshape(input_length, [-1]), "int32")
    if greedy:
        decoded, log_prob = tf.nn.ctc_greedy_decoder(logits, lengths)
    else:
        decoded, log_prob = tf.nn.ctc_beam_search_decoder(
            logits, lengths, beam_width=beam_width, top_paths=top_paths
        )
    dense = []
    for path in decoded:
        wide = tf.sparse.SparseTensor(path.indices, path.values, [samples, steps])
        dense.append(tf.sparse.to_dense(wide, default_value=-1))
    return dense, log_prob


__all__ = [
    n for n in dir() if not n.startswith("_") and n not in ("annotations", "builtins", "np", "tf")
]
