"""Discretization: bucket numbers by boundaries, given or learned as quantiles by adapt()."""

from __future__ import annotations

import numpy as np

from ..._tracing import host_call
from ...tensor import Tensor
from .._args import positive_int
from ..base import Layer
from ._data import batches
from ._encoding import check_mode, encode


# The quantile sketch below follows Keras' (keras/src/layers/preprocessing/discretization.py):
# each batch is reduced to ~1/epsilon weighted points, summaries merge by a weighted sort,
# and the boundaries interpolate the cumulative weights, so adapt() finds Keras' boundaries.
def _summarize(values: np.ndarray, epsilon: float) -> np.ndarray:
    values = np.sort(values.reshape(-1))
    step = max(values.size * epsilon, 1)
    points = values[int(step - 1) :: int(step)]
    return np.stack([points, np.ones_like(points) * step])


def _compress(summary: np.ndarray, epsilon: float) -> np.ndarray:
    if summary.shape[1] * epsilon < 1:
        return summary
    percents = epsilon + np.arange(0.0, 1.0, epsilon)
    cumulative = summary[1].cumsum()
    fractions = cumulative / cumulative[-1]
    bins = np.interp(percents, fractions, summary[0])
    cumulative = np.interp(percents, fractions, cumulative)
    weights = cumulative - np.concatenate(([0], cumulative[:-1]))
    return np.stack((bins, weights)).astype("float32")


def _merge(a: np.ndarray, b: np.ndarray, epsilon: float) -> np.ndarray:
    merged = np.concatenate((a, b), axis=1)
    return _compress(np.take(merged, np.argsort(merged[0]), axis=1), epsilon)


class Discretization(Layer):
    """Maps each number to the index of its bucket: bucket i holds
    ``bin_boundaries[i-1] <= x < bin_boundaries[i]``.

    Args:
        bin_boundaries: sorted boundaries (``len + 1`` buckets); or None and call :meth:`adapt`.
        num_bins: the number of buckets adapt() learns (quantiles).
        epsilon: the quantile sketch's error tolerance.
        output_mode: ``"int"`` (int32 indices, as Keras 3), ``"one_hot"``, ``"multi_hot"``
            or ``"count"``.
        sparse: must be False.
    """

    _allow_non_tensor_positional_args = True  # as Keras' data layers: lists, strings

    _cast_int_inputs = False

    def __init__(
        self,
        bin_boundaries=None,
        num_bins=None,
        epsilon=0.01,
        output_mode="int",
        sparse=False,
        **kwargs,
    ) -> None:
        super().__init__(**kwargs)
        where = self._where()
        if sparse:
            raise ValueError(f"{where}: sparse=True is not supported")
        if bin_boundaries is not None and num_bins is not None:
            raise ValueError(
                f"{where}: pass bin_boundaries or num_bins, not both; received "
                f"bin_boundaries={bin_boundaries!r}, num_bins={num_bins!r}"
            )
        if bin_boundaries is not None and list(bin_boundaries) != sorted(bin_boundaries):
            raise ValueError(f"{where}: bin_boundaries must be sorted, received {bin_boundaries!r}")
        if not 0 < float(epsilon) < 1:
            raise ValueError(f"{where}: epsilon must be in (0, 1), received epsilon={epsilon!r}")
        self.bin_boundaries = None if bin_boundaries is None else [float(b) for b in bin_boundaries]
        self.num_bins = None if num_bins is None else positive_int(num_bins, "num_bins", where)
        self.epsilon = float(epsilon)
        self.output_mode = check_mode(output_mode, where)
        self.sparse = False
        self._summary = np.zeros((2, 0), dtype="float32")

    def adapt(self, data, batch_size=None, steps=None) -> None:
        """Learn ``num_bins - 1`` quantile boundaries from ``data`` (an array or an iterable of
        batches)."""
        if self.num_bins is None:
            raise ValueError(f"{self._where()}: adapt() needs num_bins (bin_boundaries were given)")
        self._summary = np.zeros((2, 0), dtype="float32")
        for batch in batches(data, steps, self._where()):
            summary = _summarize(batch.astype("float32"), self.epsilon)
            self._summary = _merge(summary, self._summary, self.epsilon)
        self.bin_boundaries = _compress(self._summary, 1.0 / self.num_bins)[0, :-1].tolist()

    def _depth(self) -> int:
        return len(self.bin_boundaries) + 1 if self.bin_boundaries is not None else self.num_bins

    @host_call(effect=False)  # works on host arrays: one step of a compiled call
    def call(self, inputs):
        if self.bin_boundaries is None:
            raise ValueError(
                f"{self._where()}: pass bin_boundaries or call adapt(data) before using the layer"
            )
        xp = inputs._device.xp
        values = inputs._data
        if values.dtype.kind in "iub":  # as Keras: integer data against the float boundaries
            values = values.astype("float64")
        bounds = xp.asarray(np.asarray(self.bin_boundaries, dtype=values.dtype))
        ids = Tensor._wrap(xp.searchsorted(bounds, values, side="right"), inputs._device)
        out = encode(ids, self.output_mode, self._depth(), self.compute_dtype, self._where())
        if self.output_mode == "int":  # Keras 3's output_dtype: int32 bin indices
            out = Tensor._wrap(out._data.astype("int32"), out._device)
        return out

    def compute_output_shape(self, input_shape) -> tuple:
        shape = tuple(input_shape)
        if self.output_mode == "int":
            return shape
        if self.output_mode == "one_hot" and shape[-1] != 1:
            return shape + (self._depth(),)
        return shape[:-1] + (self._depth(),)

    @classmethod
    def from_config(cls, config: dict):
        """After adapt() a config holds both ``num_bins`` and the learned boundaries (as Keras'):
        the boundaries are set after construction."""
        config = dict(config)
        boundaries = None
        if config.get("bin_boundaries") is not None and config.get("num_bins") is not None:
            boundaries = [float(b) for b in config.pop("bin_boundaries")]
        layer = cls(**config)
        if boundaries is not None:
            layer.bin_boundaries = boundaries
        return layer

    def get_config(self) -> dict:
        config = super().get_config()
        config.pop("trainable", None)  # Keras' Discretization takes no `trainable`
        return {
            **config,
            "bin_boundaries": self.bin_boundaries,
            "num_bins": self.num_bins,
            "epsilon": self.epsilon,
            "output_mode": self.output_mode,
            "sparse": False,
        }
