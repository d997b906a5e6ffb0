"""``tf.version``: gpuflow's own version (not TensorFlow's), and the TensorFlow API
version whose names and behaviour gpuflow follows.

``VERSION`` is ``gpuflow.__version__``: gpuflow does not claim to be TensorFlow, so code
that parses ``tf.version.VERSION`` as a TensorFlow release sees gpuflow's number.
"""

from . import __version__ as VERSION  # noqa: N812

#: The TensorFlow release whose public API gpuflow follows (not a TensorFlow build).
TF_API_VERSION = "2.21"

__all__ = ["VERSION", "TF_API_VERSION"]
