"""``tf.experimental``: TensorFlow's NumPy API (``tf.experimental.numpy``), extension types
and API dispatch for them, ``Optional`` (what ``iterator.get_next_as_optional()``
returns), DLPack exchange (``tf.experimental.dlpack``), ``async_scope`` and single-client
``tf.experimental.dtensor``."""

from __future__ import annotations

import importlib

from .._api_dispatch import (  # noqa: F401
    dispatch_for_api,
    dispatch_for_binary_elementwise_apis,
    dispatch_for_binary_elementwise_assert_apis,
    dispatch_for_unary_elementwise_apis,
    unregister_dispatch_for,
)
from ..data.optional import Optional  # noqa: F401
from ..extension_type import (  # noqa: F401
    BatchableExtensionType,
    ExtensionType,
    ExtensionTypeSpec,
)
from ..ragged.dynamic_shape import DynamicRaggedShape  # noqa: F401
from ..ragged.row_partition import RowPartition  # noqa: F401
from .async_execution import async_clear_error, async_scope  # noqa: F401

_LAZY = ("numpy", "dlpack", "extension_type", "dtensor")


def __getattr__(name: str):
    if name in _LAZY:
        module = importlib.import_module(f".{name}", __name__)
        globals()[name] = module
        return module
    raise AttributeError(f"module 'gpuflow.experimental' has no attribute {name!r}")


def __dir__() -> list:
    return sorted(set(globals()) | set(_LAZY))
