"""``keras.ops.numpy``: the NumPy-like ops of ``keras.ops``, gathered in one namespace."""

from .core import ndim, size  # noqa: F401  (keras.ops.numpy.ndim / size)
from .linalg import slogdet  # noqa: F401  (keras.ops.numpy.slogdet)
from .numpy_creation import *  # noqa: F401,F403
from .numpy_extra import *  # noqa: F401,F403
from .numpy_math import *  # noqa: F401,F403
from .numpy_more import *  # noqa: F401,F403
from .numpy_nan import *  # noqa: F401,F403
from .numpy_reduce import *  # noqa: F401,F403
from .numpy_shape import *  # noqa: F401,F403
