"""Merge layers: Add, Subtract, Multiply, Average, Maximum, Minimum, Concatenate, Dot.

Each takes a list of tensors (``Add()([x, y])``) and has a function form
(``keras.layers.add([x, y])``). Shapes are checked in ``build`` with Keras' rule (sizes
equal, or one of them 1 or unknown), so a functional model fails when it is defined, naming
the layer and both shapes.
"""

from __future__ import annotations

from .. import dtypes
from ..errors import InvalidArgumentError
from ..ops import linalg
from ..ops import math as ops_math
from ..ops.cast import cast
from ..ops.creation import ones_like, zeros_like
from ..ops.reduce import reduce_any, reduce_sum
from ..ops.shape import broadcast_to, concat, expand_dims, reshape, transpose
from ..tensor import Tensor
from .base import Layer
from .keras_tensor import KerasTensor


def _shapes(input_shape) -> list:
    if (
        not isinstance(input_shape, (list, tuple))
        or not input_shape
        or not isinstance(input_shape[0], (list, tuple))
    ):
        return []
    return [tuple(s) for s in input_shape]


class _Merge(Layer):
    """The shared checks of the elementwise merge layers (at least ``min_inputs`` inputs: one
    is enough, as Keras 3, where a one-input merge returns that input's values)."""

    min_inputs = 1
    supports_masking = True

    def _cast_inputs(self, inputs):
        """As Keras 3: integer inputs of one dtype merge as they are (``Add()([i, j])`` of
        int64 tensors is int64); a mix with floats is merged in the compute dtype."""
        if self._keeps_int_inputs(inputs):
            return inputs
        return super()._cast_inputs(inputs)

    def _keeps_int_inputs(self, inputs) -> bool:
        if not isinstance(inputs, (list, tuple)) or not inputs:
            return False
        if not all(isinstance(x, Tensor) for x in inputs):
            return False
        kinds = {x.dtype for x in inputs}
        return len(kinds) == 1 and dtypes.is_integer(inputs[0].dtype)

    def _check_masks(self, inputs, mask) -> None:
        if not isinstance(mask, (list, tuple)):
            raise ValueError(f"{self._where()}: `mask` should be a list. Received: mask={mask}")
        if not isinstance(inputs, (list, tuple)):
            raise ValueError(f"{self._where()}: `inputs` should be a list. Received: {inputs}")
        if len(mask) != len(inputs):
            raise ValueError(
                f"{self._where()}: the lists `inputs` and `mask` should have the same length. "
                f"Received {len(inputs)} inputs and {len(mask)} masks"
            )

    def compute_mask(self, inputs, mask=None):
        """As Keras' Merge: the OR of the inputs' masks when every input has one, else None."""
        if mask is None:
            return None
        self._check_masks(inputs, mask)
        if any(m is None for m in mask):
            return None
        out = mask[0]
        for m in mask[1:]:
            out = ops_math.logical_or(out, m)
        return out

    def _check_list(self, shapes) -> None:
        if len(shapes) < self.min_inputs:
            raise ValueError(
                f"{self._where()}: expected a list of at least {self.min_inputs} "
                f"inputs, received {len(shapes)} input(s)"
            )

    def _merged_shape(self, shapes) -> tuple:
        out = shapes[0]
        for shape in shapes[1:]:
            if len(shape) != len(out):
                raise ValueError(
                    f"{self._where()}: inputs have incompatible shapes (different "
                    f"ranks). Received shapes {out} and {shape}"
                )
            merged = []
            for a, b in zip(out, shape):
                if a is None or b is None:
                    merged.append(a if b == 1 else b if a == 1 else None)
                elif a == 1 or b == 1 or a == b:
                    merged.append(max(a, b))
                else:
                    raise ValueError(
                        f"{self._where()}: inputs have incompatible shapes. "
                        f"Received shapes {out} and {shape}"
                    )
            out = tuple(merged)
        return out

    def build(self, input_shape) -> None:
        shapes = _shapes(input_shape)
        if not shapes:
            raise ValueError(
                f"{self._where()}: a merge layer must be called on a list of inputs, "
                f"received input of shape {input_shape}"
            )
        self._check_list(shapes)
        batch_sizes = {s[0] for s in shapes if s} - {None}
        if len(batch_sizes) > 1:  # Keras broadcasts the other axes, never the batch
            raise ValueError(
                f"{self._where()}: cannot merge tensors with different batch sizes, "
                f"received shapes {[tuple(s) for s in shapes]}"
            )
        self._merged_shape(shapes)
        super().build(input_shape)

    def compute_output_shape(self, input_shape) -> tuple:
        shapes = _shapes(input_shape)
        self._check_list(shapes)
        return self._merged_shape(shapes)

    def call(self, inputs, mask=None):
        if not isinstance(inputs, (list, tuple)):
            raise ValueError(f"{self._where()}: a merge layer must be called on a list of inputs")
        self._check_list(inputs)
        try:
            self._merged_shape([tuple(x.shape) for x in inputs])
        except ValueError as error:
            if any(isinstance(x, KerasTensor) for x in inputs):
                raise
            # on values, as in TensorFlow, where the merge op itself rejects them
            raise InvalidArgumentError(str(error)) from None
        masks = list(mask) if isinstance(mask, (list, tuple)) else [None] * len(inputs)
        if any(m is not None for m in masks):
            return self._merge_masked(list(inputs), masks)
        return self._merge(list(inputs))

    def _merge_masked(self, xs, masks):
        """The merge of inputs of which some carry a Keras mask (default: masks ignored)."""
        return self._merge(xs)

    @staticmethod
    def _step_mask(mask, x):
        """A ``[batch, steps]`` mask broadcast over ``x``'s last axis, as Keras' merges."""
        return broadcast_to(expand_dims(cast(mask, "bool"), -1), x.shape)

    def _fold_masked(self, op, xs, masks):
        """Keras' Maximum/Minimum with masks: a masked value takes no part (it is replaced by
        the running result, or replaces a masked running result); the output's mask is the
        OR of the masks when every input has one."""
        out, out_mask = None, None
        for x, m in zip(xs, masks):
            m = None if m is None else self._step_mask(m, x)
            if out is None:
                out, out_mask = x, m
                continue
            if m is not None:
                x = ops_math.where(m, x, out)
            if out_mask is not None:
                out = ops_math.where(out_mask, out, x)
            out_mask = None if m is None or out_mask is None else ops_math.logical_or(out_mask, m)
            out = op(out, x)
        return out


class Add(_Merge):
    """The elementwise sum of its inputs: ``Add()([x1, x2, ...])``."""

    def _merge(self, xs):
        out = xs[0]
        for x in xs[1:]:
            out = ops_math.add(out, x)
        return out


class Subtract(_Merge):
    """``x1 - x2``, exactly two inputs."""

    def _check_list(self, shapes) -> None:
        if len(shapes) != 2:
            raise ValueError(
                f"{self._where()}: expected a list of exactly 2 inputs, "
                f"received {len(shapes)} input(s)"
            )

    def _merge(self, xs):
        return ops_math.subtract(xs[0], xs[1])


class Multiply(_Merge):
    """The elementwise product of its inputs."""

    def _merge(self, xs):
        out = xs[0]
        for x in xs[1:]:
            out = ops_math.multiply(out, x)
        return out

    def _merge_masked(self, xs, masks):
        # Keras: masked values count as 1 (no effect on the product); where every input
        # has a mask, steps masked in all of them give 0.
        every = all(m is not None for m in masks)
        out, out_mask = None, None
        for x, m in zip(xs, masks):
            if m is not None:
                m = self._step_mask(m, x)
                x = ops_math.where(m, x, ones_like(x))
                if every:
                    out_mask = m if out_mask is None else ops_math.logical_or(out_mask, m)
            out = x if out is None else ops_math.multiply(out, x)
        return ops_math.where(out_mask, out, zeros_like(out)) if every else out


class Average(_Merge):
    """The elementwise mean of its inputs."""

    def _keeps_int_inputs(self, inputs) -> bool:
        return False  # a mean of integers is a float

    def _merge(self, xs):
        return Add._merge(self, xs) * (1.0 / len(xs))


class Maximum(_Merge):
    """The elementwise maximum of its inputs."""

    def _merge(self, xs):
        out = xs[0]
        for x in xs[1:]:
            out = ops_math.maximum(out, x)
        return out

    def _merge_masked(self, xs, masks):
        return self._fold_masked(ops_math.maximum, xs, masks)


class Minimum(_Merge):
    """The elementwise minimum of its inputs."""

    def _merge(self, xs):
        out = xs[0]
        for x in xs[1:]:
            out = ops_math.minimum(out, x)
        return out

    def _merge_masked(self, xs, masks):
        return self._fold_masked(ops_math.minimum, xs, masks)


class Concatenate(_Merge):
    """Joins its inputs along ``axis`` (default the last); other axes must match.

    Args:
        axis: the axis to join along.
    """

    def __init__(self, axis: int = -1, **kwargs) -> None:
        super().__init__(**kwargs)
        self.axis = int(axis)

    def _merged_shape(self, shapes) -> tuple:
        rank = len(shapes[0])
        if not -rank <= self.axis < rank:
            raise ValueError(
                f"{self._where()}: axis {self.axis} is out of range for inputs of rank {rank}"
            )
        axis = self.axis % rank
        out = list(shapes[0])
        for shape in shapes[1:]:
            if len(shape) != rank or any(
                a is not None and b is not None and a != b
                for i, (a, b) in enumerate(zip(out, shape))
                if i != axis
            ):
                raise ValueError(
                    f"{self._where()}: a Concatenate layer requires inputs with matching shapes "
                    f"except for the concatenation axis ({self.axis}). Received shapes "
                    f"{tuple(shapes[0])} and {tuple(shape)}"
                )
            known = out[axis] is not None and shape[axis] is not None
            out[axis] = out[axis] + shape[axis] if known else None
        return tuple(out)

    def _merge(self, xs):
        return concat(xs, self.axis)

    def compute_mask(self, inputs, mask=None):
        """As Keras: unmasked inputs count as all True; the masks are joined along ``axis``
        (broadcast over the features first) and reduced with any over the last axis."""
        if mask is None:
            return None
        self._check_masks(inputs, mask)
        if all(m is None for m in mask):
            return None
        masks = []
        for x, m in zip(inputs, mask):
            if m is None:
                masks.append(ones_like(x, dtype="bool"))
            elif m.ndim < x.ndim:
                masks.append(ops_math.logical_or(expand_dims(m, -1), zeros_like(x, dtype="bool")))
            else:
                masks.append(m)
        return reduce_any(concat(masks, self.axis), axis=-1)

    def get_config(self) -> dict:
        return {**super().get_config(), "axis": self.axis}


class Dot(_Merge):
    """The dot product of two inputs along ``axes``, sample by sample.

    Args:
        axes: an int, or a pair of ints (one axis per input); axis 0 is the batch axis.
        normalize: L2-normalize both inputs along ``axes`` first (the result is the cosine
            similarity).
    """

    def __init__(self, axes, normalize: bool = False, **kwargs) -> None:
        super().__init__(**kwargs)
        if isinstance(axes, (list, tuple)):
            if len(axes) != 2:
                raise ValueError(
                    f"{self._where()}: axes must be an int or a pair of ints, received {axes!r}"
                )
            axes = (int(axes[0]), int(axes[1]))
        else:
            axes = int(axes)
        self.axes = axes
        self.normalize = bool(normalize)

    def _keeps_int_inputs(self, inputs) -> bool:
        return not self.normalize and super()._keeps_int_inputs(inputs)

    def compute_mask(self, inputs, mask=None):
        """None: a dot product has no time axis left to mask (as Keras' Dot)."""
        return None

    def _check_list(self, shapes) -> None:
        if len(shapes) != 2:
            raise ValueError(
                f"{self._where()}: expected a list of exactly 2 inputs, "
                f"received {len(shapes)} input(s)"
            )

    def _axes_for(self, shapes) -> tuple[int, int]:
        pair = self.axes if isinstance(self.axes, tuple) else (self.axes, self.axes)
        out = []
        for axis, shape in zip(pair, shapes):
            if not -len(shape) <= axis < len(shape) or axis % len(shape) == 0:
                raise ValueError(
                    f"{self._where()}: axes {self.axes!r} invalid for input of shape "
                    f"{tuple(shape)} (axis 0 is the batch axis)"
                )
            out.append(axis % len(shape))
        return out[0], out[1]

    def _merged_shape(self, shapes) -> tuple:
        a, b = (tuple(s) for s in shapes)
        ax, bx = self._axes_for(shapes)
        if a[ax] is not None and b[bx] is not None and a[ax] != b[bx]:
            raise ValueError(
                f"{self._where()}: dimension incompatibility {a[ax]} != {b[bx]}. "
                f"Layer shapes: {a}, {b}. Chosen axes: {(ax, bx)}"
            )
        rest = a[1:ax] + a[ax + 1 :] + b[1:bx] + b[bx + 1 :]
        return (a[0],) + (rest if rest else (1,))

    def _merge(self, xs):
        x, y = xs
        ax, bx = self._axes_for([tuple(x.shape), tuple(y.shape)])
        if self.normalize:
            x, y = _l2_normalize(x, ax), _l2_normalize(y, bx)
        # x -> (batch, m, k), y -> (batch, k, n): one batched matmul, then the kept axes.
        x_perm = [0] + [i for i in range(1, x.ndim) if i != ax] + [ax]
        y_perm = [0, bx] + [i for i in range(1, y.ndim) if i != bx]
        xt, yt = transpose(x, x_perm), transpose(y, y_perm)
        x_rest = [int(n) for n in xt.shape[1:-1]]
        y_rest = [int(n) for n in yt.shape[2:]]
        batch, k = int(x.shape[0]), int(x.shape[ax])
        m, n = _prod(x_rest), _prod(y_rest)
        out = linalg.matmul(reshape(xt, (batch, m, k)), reshape(yt, (batch, k, n)))
        return reshape(out, [batch] + (x_rest + y_rest or [1]))

    def get_config(self) -> dict:
        axes = list(self.axes) if isinstance(self.axes, tuple) else self.axes
        return {**super().get_config(), "axes": axes, "normalize": self.normalize}


def _prod(values) -> int:
    out = 1
    for v in values:
        out *= v
    return out


def _l2_normalize(x, axis: int):
    squared = reduce_sum(x * x, axis, keepdims=True)
    return x / ops_math.sqrt(ops_math.maximum(squared, 1e-12))


def add(inputs, **kwargs):
    """``Add(**kwargs)(inputs)``."""
    return Add(**kwargs)(inputs)


def subtract(inputs, **kwargs):
    """``Subtract(**kwargs)(inputs)``."""
    return Subtract(**kwargs)(inputs)


def multiply(inputs, **kwargs):
    """``Multiply(**kwargs)(inputs)``."""
    return Multiply(**kwargs)(inputs)


def average(inputs, **kwargs):
    """``Average(**kwargs)(inputs)``."""
    return Average(**kwargs)(inputs)


def maximum(inputs, **kwargs):
    """``Maximum(**kwargs)(inputs)``."""
    return Maximum(**kwargs)(inputs)


def minimum(inputs, **kwargs):
    """``Minimum(**kwargs)(inputs)``."""
    return Minimum(**kwargs)(inputs)


def concatenate(inputs, axis: int = -1, **kwargs):
    """``Concatenate(axis=axis, **kwargs)(inputs)``."""
    return Concatenate(axis=axis, **kwargs)(inputs)


def dot(inputs, axes=-1, normalize: bool = False, **kwargs):
    """``Dot(axes, normalize, **kwargs)(inputs)``."""
    return Dot(axes=axes, normalize=normalize, **kwargs)(inputs)
