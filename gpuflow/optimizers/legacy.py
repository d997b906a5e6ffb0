"""``tf.keras.optimizers.legacy``: Keras 2.11+ kept the old classes here; ours are the same."""

from .adadelta import Adadelta  # noqa: F401
from .adagrad import Adagrad  # noqa: F401
from .adam import Adam  # noqa: F401
from .adamax import Adamax  # noqa: F401
from .base import Optimizer  # noqa: F401
from .nadam import Nadam  # noqa: F401
from .rmsprop import RMSprop  # noqa: F401
from .sgd import SGD  # noqa: F401
