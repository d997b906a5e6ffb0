"""``tf.RaggedTensor``: rows of different lengths, as ``values`` plus ``row_splits``.

Row ``i`` of a RaggedTensor is ``values[row_splits[i]:row_splits[i + 1]]``; ``values`` is a
Tensor (ragged_rank 1) or another RaggedTensor (ragged_rank > 1), and ``flat_values`` is
the Tensor at the bottom. The splits live on the values' device as int64. Gradients flow
through the flat values: every op here moves them with differentiable gathers and segment
sums.
"""

from __future__ import annotations

import numpy as np

from ..errors import InvalidArgumentError
from ..ops._common import as_tensor
from ..tensor import Tensor, TensorShape


def _error(op: str, message: str) -> InvalidArgumentError:
    return InvalidArgumentError(None, op, f"{op}: {message}")


def _is_nested_lengths(lengths) -> bool:
    """Whether ``from_tensor``'s ``lengths`` is a list/tuple of row-lengths vectors (one per
    ragged dimension), as TensorFlow tells them from one vector."""
    return (
        isinstance(lengths, (list, tuple))
        and len(lengths) > 0
        and not isinstance(lengths[0], (int, float, np.integer, np.floating))
        and not (isinstance(lengths[0], (Tensor, np.ndarray)) and np.ndim(lengths[0]) == 0)
    )


def _from_tensor_nested_lengths(cls, x, lengths, op):
    """``from_tensor`` with nested row lengths: ``x[i][j]...[:n]`` cut at each level."""
    nested = [_host_ints(v, "lengths", op) for v in lengths]
    depth = len(nested)
    if x.ndim < depth + 1:
        raise _error(op, f"a tensor of rank {x.ndim} cannot take {depth} nested row lengths")
    mask = np.zeros(tuple(x.shape[: depth + 1]), dtype=bool)
    prefixes = [()]
    for level, lens in enumerate(nested):
        expected = x.shape[0] if level == 0 else len(prefixes)
        if lens.ndim != 1 or lens.size != expected:
            raise _error(
                op, f"lengths[{level}] must hold {expected} row lengths, received {lens.tolist()}"
            )
        width = x.shape[level + 1]
        if (lens < 0).any() or (lens > width).any():
            raise _error(op, f"lengths[{level}] {lens.tolist()} must lie in [0, {width}]")
        if level == 0:
            prefixes = [(i,) for i in range(int(x.shape[0]))]
        prefixes = [p + (c,) for p, n in zip(prefixes, lens.tolist()) for c in range(n)]
    for p in prefixes:
        mask[p] = True
    from ..ops.indexing import boolean_mask

    return cls.from_nested_row_lengths(boolean_mask(x, mask), nested, validate=False)


def _host_ints(value, what, op) -> np.ndarray:
    array = value.numpy() if isinstance(value, Tensor) else np.asarray(value)
    if array.size and array.dtype.kind not in "iu":
        raise _error(op, f"{what} must hold integers, received dtype {array.dtype.name}")
    return array.astype(np.int64).reshape(-1) if array.ndim <= 1 else array.astype(np.int64)


def _nrows_of(values) -> int:
    return values.nrows_int() if isinstance(values, RaggedTensor) else int(values.shape[0])


class RaggedTensor:
    """A tensor whose rows (along one or more axes) have different lengths.

    Build one with :func:`gpuflow.ragged.constant` or the ``from_*`` class methods, not the
    constructor.
    """

    _is_composite_tensor = True  # layers pass these through instead of converting them
    _is_ragged_tensor = True  # gpuflow's reduce/concat/stack dispatch on this
    # rows all this long (from_uniform_row_length): the shape shows it instead of None
    _uniform_length: int | None = None

    def __init__(self, values, row_splits, _internal: bool = False) -> None:
        if not _internal:
            raise TypeError(
                "RaggedTensor: build one with tf.ragged.constant or "
                "tf.RaggedTensor.from_row_splits / from_row_lengths / ..."
            )
        self._values = values
        self._row_splits = row_splits

    # -- factories ------------------------------------------------------------------------
    @classmethod
    def _from_splits_array(
        cls, values, splits_host: np.ndarray, op: str, validate: bool = True
    ) -> "RaggedTensor":
        if not isinstance(values, RaggedTensor):
            values = as_tensor(values)
            if values.ndim == 0:
                raise _error(op, "values must have rank >= 1, received a scalar")
        nvals = _nrows_of(values)
        if validate:
            if splits_host.ndim != 1 or splits_host.size == 0:
                raise _error(
                    op, f"row_splits must be a non-empty vector, received shape {splits_host.shape}"
                )
            if splits_host[0] != 0:
                raise _error(op, f"row_splits must start with 0, received {splits_host[0]}")
            steps = np.diff(splits_host)
            if (steps < 0).any():
                i = int(np.argmax(steps < 0))
                raise _error(
                    op,
                    f"row_splits must not decrease: row_splits[{i}] = "
                    f"{splits_host[i]} > row_splits[{i + 1}] = {splits_host[i + 1]}",
                )
            if splits_host[-1] != nvals:
                raise _error(
                    op,
                    f"row_splits end at {splits_host[-1]} but values has {nvals} "
                    f"rows; the last split must equal the number of values",
                )
        device = _device_of(values)
        splits = Tensor._wrap(device.asarray(splits_host.astype(np.int64)), device)
        return cls(values, splits, _internal=True)

    @classmethod
    def from_row_splits(cls, values, row_splits, name=None, validate: bool = True):
        """Rows ``values[row_splits[i]:row_splits[i + 1]]``.

        Raises:
            InvalidArgumentError: splits that do not start at 0, decrease, or do not end at
                the number of values (the message gives the numbers).
        """
        op = "RaggedTensor.from_row_splits"
        return cls._from_splits_array(
            values, _host_ints(row_splits, "row_splits", op), op, validate
        )

    @classmethod
    def from_row_lengths(cls, values, row_lengths, name=None, validate: bool = True):
        """Consecutive rows of ``row_lengths[i]`` values each (they must sum to the count)."""
        op = "RaggedTensor.from_row_lengths"
        lengths = _host_ints(row_lengths, "row_lengths", op)
        if validate:
            if lengths.ndim != 1:
                raise _error(op, f"row_lengths must be a vector, received shape {lengths.shape}")
            if (lengths < 0).any():
                i = int(np.argmax(lengths < 0))
                raise _error(op, f"row_lengths[{i}] = {lengths[i]} is negative")
            nvals = _nrows_of(values if isinstance(values, RaggedTensor) else as_tensor(values))
            if lengths.sum() != nvals:
                raise _error(
                    op, f"row_lengths sum to {int(lengths.sum())} but values has {nvals} rows"
                )
        return cls._from_splits_array(
            values, np.concatenate([[0], np.cumsum(lengths)]), op, validate
        )

    @classmethod
    def from_row_starts(cls, values, row_starts, name=None, validate: bool = True):
        op = "RaggedTensor.from_row_starts"
        starts = _host_ints(row_starts, "row_starts", op)
        nvals = _nrows_of(values if isinstance(values, RaggedTensor) else as_tensor(values))
        return cls._from_splits_array(values, np.concatenate([starts, [nvals]]), op, validate)

    @classmethod
    def from_row_limits(cls, values, row_limits, name=None, validate: bool = True):
        op = "RaggedTensor.from_row_limits"
        limits = _host_ints(row_limits, "row_limits", op)
        return cls._from_splits_array(values, np.concatenate([[0], limits]), op, validate)

    @classmethod
    def from_value_rowids(cls, values, value_rowids, nrows=None, name=None, validate: bool = True):
        """Value ``j`` goes to row ``value_rowids[j]`` (sorted); ``nrows`` adds empty rows."""
        op = "RaggedTensor.from_value_rowids"
        ids = _host_ints(value_rowids, "value_rowids", op)
        nvals = _nrows_of(values if isinstance(values, RaggedTensor) else as_tensor(values))
        if validate:
            if ids.ndim != 1 or ids.size != nvals:
                raise _error(
                    op,
                    f"value_rowids has {ids.size} entries but values has {nvals} "
                    "rows; give one row id per value",
                )
            if ids.size and ((np.diff(ids) < 0).any() or ids[0] < 0):
                raise _error(
                    op, f"value_rowids must be sorted and >= 0, received {ids.tolist()[:10]}"
                )
        needed = int(ids.max()) + 1 if ids.size else 0
        n = needed if nrows is None else int(nrows.numpy() if isinstance(nrows, Tensor) else nrows)
        if validate and n < needed:
            raise _error(op, f"nrows = {n} but value_rowids reach row {needed - 1}")
        counts = np.bincount(ids, minlength=n) if ids.size else np.zeros(n, np.int64)
        return cls._from_splits_array(
            values, np.concatenate([[0], np.cumsum(counts)]), op, validate
        )

    @classmethod
    def from_nested_row_splits(
        cls, flat_values, nested_row_splits, name=None, validate: bool = True
    ):
        result = flat_values
        for splits in reversed(list(nested_row_splits)):
            result = cls.from_row_splits(result, splits, validate=validate)
        return result

    @classmethod
    def from_nested_row_lengths(
        cls, flat_values, nested_row_lengths, name=None, validate: bool = True
    ):
        result = flat_values
        for lengths in reversed(list(nested_row_lengths)):
            result = cls.from_row_lengths(result, lengths, validate=validate)
        return result

    @classmethod
    def from_tensor(cls, tensor, lengths=None, padding=None, ragged_rank: int = 1, name=None):
        """Rows of a dense tensor, cut at ``lengths`` or before trailing ``padding``.

        Args:
            tensor: dense, rank >= ragged_rank + 1.
            lengths: the length of each row (default: the full width).
            padding: a value (or inner element) whose trailing run ends each row.
            ragged_rank: how many leading axes after the first become ragged.
        """
        op = "RaggedTensor.from_tensor"
        x = as_tensor(tensor)
        if _is_nested_lengths(lengths):
            if padding is not None:
                raise _error(op, "pass lengths or padding, not both")
            if ragged_rank not in (1, len(lengths)):
                raise _error(
                    op,
                    f"with a tuple of {len(lengths)} row lengths, ragged_rank must be "
                    f"{len(lengths)}, received {ragged_rank}",
                )
            return _from_tensor_nested_lengths(cls, x, lengths, op)
        if ragged_rank < 1 or x.ndim < ragged_rank + 1:
            raise _error(op, f"a tensor of rank {x.ndim} cannot have ragged_rank {ragged_rank}")
        if ragged_rank > 1:
            from ..ops.shape import reshape

            inner = cls.from_tensor(
                reshape(x, [-1] + list(x.shape[2:])),
                lengths=None,
                padding=padding,
                ragged_rank=ragged_rank - 1,
            )
            return cls.from_uniform_row_length(inner, x.shape[1])
        if lengths is not None and padding is not None:
            raise _error(op, "pass lengths or padding, not both")
        rows, width = int(x.shape[0]), int(x.shape[1])
        if lengths is not None:
            lens = _host_ints(lengths, "lengths", op)
            if lens.shape != (rows,) or (lens < 0).any() or (lens > width).any():
                raise _error(
                    op,
                    f"lengths {lens.tolist()} must give each of the {rows} rows a "
                    f"length in [0, {width}]",
                )
        elif padding is not None:
            data = x.numpy()
            pad = np.asarray(padding.numpy() if isinstance(padding, Tensor) else padding)
            not_pad = data != pad
            not_pad = not_pad.reshape(rows, width, -1).any(axis=2)
            last = width - np.argmax(not_pad[:, ::-1], axis=1)
            lens = np.where(not_pad.any(axis=1), last, 0)
        else:
            lens = np.full(rows, width, dtype=np.int64)
        keep = (np.arange(width)[None, :] < lens[:, None]).reshape(-1)
        from ..ops.indexing import gather
        from ..ops.shape import reshape

        flat = reshape(x, [rows * width] + list(x.shape[2:]))
        device = x._device
        values = gather(flat, Tensor._wrap(device.asarray(np.nonzero(keep)[0]), device))
        return cls.from_row_lengths(values, lens, validate=False)

    @classmethod
    def from_uniform_row_length(cls, values, uniform_row_length, nrows=None, name=None):
        n = _nrows_of(values if isinstance(values, RaggedTensor) else as_tensor(values))
        length = int(uniform_row_length)
        rows = (n // length if length else 0) if nrows is None else int(nrows)
        if length * rows != n:
            raise _error(
                "RaggedTensor.from_uniform_row_length",
                f"{n} values do not split into {rows} rows of {length}",
            )
        out = cls.from_row_lengths(values, np.full(rows, length, np.int64))
        out._uniform_length = length
        return out

    # -- structure ------------------------------------------------------------------------
    @property
    def values(self):
        """The concatenated rows (a Tensor, or a RaggedTensor when ragged_rank > 1)."""
        return self._values

    @property
    def flat_values(self) -> Tensor:
        """The innermost values: a Tensor with every ragged axis flattened."""
        v = self._values
        while isinstance(v, RaggedTensor):
            v = v._values
        return v

    @property
    def row_splits(self) -> Tensor:
        return self._row_splits

    @property
    def nested_row_splits(self) -> tuple:
        out, rt = [], self
        while isinstance(rt, RaggedTensor):
            out.append(rt._row_splits)
            rt = rt._values
        return tuple(out)

    def nested_value_rowids(self, name=None) -> tuple:
        """``value_rowids()`` of every ragged dimension, outermost first."""
        out, rt = [], self
        while isinstance(rt, RaggedTensor):
            out.append(rt.value_rowids())
            rt = rt._values
        return tuple(out)

    def nested_row_lengths(self, name=None) -> tuple:
        """``row_lengths()`` of every ragged dimension, outermost first."""
        out, rt = [], self
        while isinstance(rt, RaggedTensor):
            out.append(rt.row_lengths())
            rt = rt._values
        return tuple(out)

    def __bool__(self):
        raise TypeError("RaggedTensor may not be used as a boolean.")

    @property
    def ragged_rank(self) -> int:
        return 1 + (self._values.ragged_rank if isinstance(self._values, RaggedTensor) else 0)

    def nrows_int(self) -> int:
        return int(self._row_splits.shape[0]) - 1

    def nrows(self, out_type="int64", name=None) -> Tensor:
        """The number of rows (an int64 scalar Tensor)."""
        device = self._row_splits._device
        return Tensor._wrap(device.asarray(np.int64(self.nrows_int())), device)

    def row_lengths(self, axis: int = 1, name=None):
        """The length of each row (axis 1), or of the rows of a deeper ragged axis."""
        if axis == 1:
            s = self._row_splits._data
            return Tensor._wrap(s[1:] - s[:-1], self._row_splits._device)
        if axis > 1 and isinstance(self._values, RaggedTensor):
            return self.with_values(self._values.row_lengths(axis - 1))
        raise _error(
            "RaggedTensor.row_lengths",
            f"axis {axis} is not a ragged axis of a RaggedTensor of ragged_rank {self.ragged_rank}",
        )

    def row_starts(self, name=None) -> Tensor:
        return Tensor._wrap(self._row_splits._data[:-1], self._row_splits._device)

    def row_limits(self, name=None) -> Tensor:
        return Tensor._wrap(self._row_splits._data[1:], self._row_splits._device)

    def value_rowids(self, name=None) -> Tensor:
        """The row of each value (int64, sorted)."""
        device = self._row_splits._device
        xp = device.xp
        splits = self._row_splits._data
        # searchsorted, not repeat: CuPy's repeat takes no array of counts
        ids = xp.searchsorted(splits[1:], xp.arange(int(splits[-1]), dtype=np.int64), side="right")
        return Tensor._wrap(ids.astype(np.int64, copy=False), device)

    @property
    def uniform_row_length(self):
        """The length of every row (an int64 scalar) when built with
        ``from_uniform_row_length``; else None."""
        if self._uniform_length is None:
            return None
        device = self._row_splits._device
        return Tensor._wrap(device.asarray(np.int64(self._uniform_length)), device)

    @property
    def shape(self) -> TensorShape:
        """``(nrows, None, ..., inner dims)``: None for each ragged axis (the length of a
        uniform one)."""
        dims, rt = [self.nrows_int()], self
        while isinstance(rt, RaggedTensor):
            dims.append(rt._uniform_length)
            rt = rt._values
        return TensorShape(tuple(dims) + tuple(rt.shape[1:]))

    def get_shape(self) -> TensorShape:
        return self.shape

    @property
    def ndim(self) -> int:
        return len(self.shape)

    @property
    def dtype(self):
        return self.flat_values.dtype

    @property
    def device(self):
        return self.flat_values.device

    def with_values(self, new_values) -> "RaggedTensor":
        """The same row partition over ``new_values`` (as many rows as ``values``)."""
        if _nrows_of(new_values) != _nrows_of(self._values):
            raise _error(
                "RaggedTensor.with_values",
                f"expected {_nrows_of(self._values)} rows of "
                f"values, received {_nrows_of(new_values)}",
            )
        out = RaggedTensor(new_values, self._row_splits, _internal=True)
        out._uniform_length = self._uniform_length
        return out

    def with_flat_values(self, new_values) -> "RaggedTensor":
        """The same nested row partitions over new flat values (as many rows)."""
        if isinstance(self._values, RaggedTensor):
            return self.with_values(self._values.with_flat_values(new_values))
        return self.with_values(as_tensor(new_values))

    # -- conversion -----------------------------------------------------------------------
    def to_list(self) -> list:
        """The rows as nested Python lists."""
        flat = self.flat_values.numpy().tolist()
        splits = [s.numpy().tolist() for s in self.nested_row_splits]
        for sp in reversed(splits):
            flat = [flat[sp[i] : sp[i + 1]] for i in range(len(sp) - 1)]
        return flat

    def numpy(self) -> np.ndarray:
        """The rows as TensorFlow's ``numpy()`` gives them: rows of different lengths in an
        object array (each a NumPy array), rows of one length stacked into one array."""
        values = self._values.numpy()
        splits = self.row_splits.numpy()
        rows = [values[splits[i] : splits[i + 1]] for i in range(len(splits) - 1)]
        if not rows:
            return np.zeros((0, 0) + values.shape[1:], dtype=values.dtype)
        if any(len(row) != len(rows[0]) for row in rows):
            return np.array(rows, dtype=object)
        return np.array(rows)

    def __len__(self) -> int:
        return self.nrows_int()

    def __iter__(self):
        for i in range(self.nrows_int()):
            yield self[i]

    def __repr__(self) -> str:
        # as TensorFlow prints one: NumPy's text of the rows, comma-separated and wrapped
        with np.printoptions(formatter={"all": _formatter}):
            return f"<tf.RaggedTensor {_formatter(self.numpy())}>"

    __str__ = __repr__

    # to_tensor, to_sparse, __getitem__ and the hooks _reduce, _concat, _stack (called by
    # gpuflow.reduce_* / concat / stack) are installed by convert.py, indexing.py,
    # reduce.py and join.py: they need those modules, which import this one.


def _device_of(values):
    v = values
    while isinstance(v, RaggedTensor):
        v = v._values
    return v._device


def _formatter(x) -> str:
    """Array elements separated by commas (TensorFlow's ragged ``_formatter``)."""
    if isinstance(x, np.ndarray):
        if x.size:
            return np.array2string(x, separator=", ")
        return repr(x.tolist())  # [[], [], []] for shape [0, 3], not []
    return str(x)
