"""The top-level names of ``keras`` (Keras 3) beyond models and Input: base classes
(``keras.Layer``, ``keras.Loss``, ...) and ``keras.Variable``."""

from ..initializers import Initializer  # noqa: F401
from ..layers import InputSpec, Layer  # noqa: F401
from ..layers.dtype_policy import DTypePolicy  # noqa: F401
from ..layers.keras_tensor import KerasTensor  # noqa: F401
from ..layers.name_scope import name_scope  # noqa: F401
from ..layers.remat_scope import RematScope  # noqa: F401
from ..losses import Loss  # noqa: F401
from ..metrics import Metric  # noqa: F401
from ..models.function import Function  # noqa: F401
from ..optimizers import Optimizer  # noqa: F401
from ..quantizers import Quantizer  # noqa: F401
from ..regularizers import Regularizer  # noqa: F401
from ..stateless_scope import StatelessScope  # noqa: F401
from ..symbolic_scope import SymbolicScope  # noqa: F401
from .dtype_policies import FloatDTypePolicy  # noqa: F401
from .variables import Variable  # noqa: F401
