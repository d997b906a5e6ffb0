"""``tf.version``: gpuflow's own version (not TensorFlow's), and the TensorFlow API
version whose names and behaviour gpuflow follows.

``VERSION`` is ``gpuflow.__version__``: gpuflow does not claim to be TensorFlow, so code
that parses ``tf.version.VERSION`` as a TensorFlow release sees gpuflow's number.
``GIT_VERSION`` is gpuflow's release tag and ``COMPILER_VERSION`` the compiler that built
the Python running it (gpuflow itself is Python; its kernels compile at run time). The
``GRAPH_DEF_VERSION*`` numbers are TensorFlow 2.21's, the release gpuflow follows: gpuflow
writes no GraphDef of its own.
"""

import platform as _platform

from . import __version__ as VERSION  # noqa: N812

#: The TensorFlow release whose public API gpuflow follows (not a TensorFlow build).
TF_API_VERSION = "2.21"

GIT_VERSION = f"v{VERSION}"
COMPILER_VERSION = _platform.python_compiler()
GRAPH_DEF_VERSION = 2474
GRAPH_DEF_VERSION_MIN_CONSUMER = 0
GRAPH_DEF_VERSION_MIN_PRODUCER = 0

__all__ = [
    "COMPILER_VERSION",
    "GIT_VERSION",
    "GRAPH_DEF_VERSION",
    "GRAPH_DEF_VERSION_MIN_CONSUMER",
    "GRAPH_DEF_VERSION_MIN_PRODUCER",
    "VERSION",
    "TF_API_VERSION",
]
