"""``tf.io.read_file`` / ``tf.io.write_file``.

File contents are scalar ``tf.string`` tensors, as in TensorFlow (``read_file``,
``encode_png`` and ``encode_jpeg`` return one). Every function that takes file contents
(``decode_png``, ``decode_image``, ``write_file``, ...) accepts such a tensor, ``bytes`` or
a NumPy bytes scalar.
"""

from __future__ import annotations

import os

import numpy as np

from .._tracing import NotSupportedInGraphError, host_call, tracing
from ..errors import NotFoundError, UnimplementedError
from ..ops.creation import constant
from ..tensor import Tensor


def as_bytes(value, op: str, name: str = "contents") -> bytes:
    """The bytes of file contents given as bytes, a NumPy bytes scalar or a string tensor.

    Raises:
        NotSupportedInGraphError: for a tensor computed inside ``gpuflow.function`` (the
            contents ``read_file`` returns there): the decoders read bytes on the host, so
            the function runs eagerly for those arguments (tf.function's image loaders).
    """
    trace = tracing.trace
    if trace is not None and isinstance(value, Tensor) and trace.is_traced(value):
        raise NotSupportedInGraphError(
            f"{op}: {name} computed inside gpuflow.function are read on the host, which a "
            "compiled call cannot replay yet (called, the function runs eagerly)"
        )
    if hasattr(value, "numpy") and not isinstance(value, (bytes, str)):
        value = value.numpy()
    if isinstance(value, np.ndarray) and value.shape == () and value.dtype.kind in "SOU":
        value = value.item()
    if isinstance(value, (np.bytes_, bytes, bytearray, memoryview)):
        return bytes(value)
    if isinstance(value, str):
        return value.encode("utf-8")
    raise TypeError(
        f"{op}: {name} must be bytes (the contents of a file, as read_file returns them), "
        f"received {type(value).__name__}"
    )


def as_path(value, op: str, name: str = "filename") -> str:
    """A local file name given as str, bytes, os.PathLike or a string tensor; a ``file://``
    URI names the local path after it (as TensorFlow's file system layer).

    Raises:
        UnimplementedError: for another scheme (``gs://``, ``s3://``, ...): gpuflow reads
            and writes the local file system only.
    """
    if isinstance(value, os.PathLike):
        path = os.fspath(value)
    elif isinstance(value, str):
        path = value
    else:
        try:
            path = as_bytes(value, op, name).decode("utf-8")
        except TypeError:
            raise TypeError(
                f"{op}: {name} must be a str, bytes, os.PathLike or a scalar string tensor, "
                f"received {type(value).__name__}"
            ) from None
    if isinstance(path, bytes):
        path = path.decode("utf-8")
    scheme, sep, rest = path.partition("://")
    if sep and scheme.isidentifier():
        if scheme != "file":
            raise UnimplementedError(
                None, op, f"File system scheme '{scheme}' not implemented (file: '{path}')"
            )
        path = rest
    return path


def contents_tensor(data: bytes) -> Tensor:
    """File contents as TensorFlow returns them: a scalar ``tf.string`` tensor."""
    return constant(data)


def _no_contents(args, kwargs) -> Tensor:
    """What ``read_file`` gives while a function is traced without running (a
    ``get_concrete_function`` of a string TensorSpec, an untaken branch): empty contents."""
    return contents_tensor(b"")


# Inside gpuflow.function: one host step, so each call reads the file its argument names
# now (the file system is outside state: not read while tracing without running).
@host_call(effect=True, dry_result=_no_contents, droppable=True)
def read_file(filename, name=None) -> Tensor:
    """The whole contents of ``filename``: a scalar ``tf.string`` tensor.

    Raises:
        NotFoundError: when the file does not exist.
    """
    path = as_path(filename, "read_file")
    try:
        with open(path, "rb") as f:
            return contents_tensor(f.read())
    except FileNotFoundError:
        raise NotFoundError(None, "read_file", f"{path}; No such file or directory") from None
    except IsADirectoryError:
        raise NotFoundError(None, "read_file", f"{path}; Is a directory") from None


def write_file(filename, contents, name=None) -> None:
    """Writes ``contents`` (bytes, or str as UTF-8) to ``filename``, creating the parent
    directories as TensorFlow does."""
    path = as_path(filename, "write_file")
    data = as_bytes(contents, "write_file")
    parent = os.path.dirname(path)
    if parent:
        os.makedirs(parent, exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)
