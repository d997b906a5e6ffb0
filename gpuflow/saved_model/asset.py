"""``tf.saved_model.Asset``: a file a SavedModel carries (a vocabulary, a config).

Saving copies the file into ``assets/`` of the export directory; loading gives an Asset
whose ``asset_path`` is that copy, so the exported directory keeps working after the
original file is gone, as in TensorFlow.
"""

from __future__ import annotations

import os

from .. import dtypes
from ..tensor import Tensor


class Asset:
    """A file path tracked by a SavedModel.

    Args:
        path: the file's path (a string, bytes, a ``pathlib.Path`` or a scalar string
            tensor).
    """

    def __init__(self, path) -> None:
        if isinstance(path, Tensor):
            if path.dtype != dtypes.string or path.shape.rank != 0:
                raise TypeError(
                    f"Asset: path must be a scalar string, received a {path.dtype.name} tensor "
                    f"of shape {tuple(path.shape)}"
                )
            path = path.numpy()
        if isinstance(path, bytes):
            path = path.decode("utf-8")
        if not isinstance(path, (str, os.PathLike)):
            raise TypeError(f"Asset: path must be a string, received {type(path).__name__}")
        self._path = os.fspath(path)

    @property
    def asset_path(self) -> Tensor:
        """The file's path, a scalar string tensor."""
        from ..ops.creation import constant

        return constant(self._path)

    def _checkpoint_children(self) -> list:  # tracked by checkpoints, holds no values
        return []

    def __repr__(self) -> str:
        return f"<gpuflow.saved_model.Asset path={self._path!r}>"
