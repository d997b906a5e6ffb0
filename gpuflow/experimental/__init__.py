"""``tf.experimental``: TensorFlow's NumPy API (``tf.experimental.numpy``), extension types
and API dispatch for them, ``Optional`` (what ``iterator.get_next_as_optional()``
returns) and DLPack exchange (``tf.experimental.dlpack``)."""

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
from ..extension_type import BatchableExtensionType, ExtensionType  # noqa: F401
from ..ragged.dynamic_shape import DynamicRaggedShape  # noqa: F401


def __getattr__(name: str):
    if name in ("numpy", "dlpack"):
        module = importlib.import_module(f".{name}", __name__)
        globals()[name] = module
        return module
    raise AttributeError(f"module 'gpuflow.experimental' has no attribute {name!r}")
