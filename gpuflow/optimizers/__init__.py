"""Optimizers, as ``tf.keras.optimizers``: SGD, Adam, AdamW, Nadam, Adamax, Adagrad, Adadelta,
RMSprop, Lion and schedules.

``get`` turns a name or instance into an optimizer; ``serialize``/``deserialize`` turn an
optimizer's configuration into JSON-able dicts and back (its state goes through
``Optimizer.get_state`` / ``set_state``).
"""

from __future__ import annotations

from . import legacy, schedules  # noqa: F401
from .adadelta import Adadelta
from .adagrad import Adagrad
from .adam import Adam
from .adamax import Adamax
from .adamw import AdamW
from .base import Optimizer
from .lion import Lion
from .loss_scale_optimizer import LossScaleOptimizer
from .nadam import Nadam
from .rmsprop import RMSprop
from .serialization import deserialize, get, serialize
from .sgd import SGD

__all__ = [
    "SGD",
    "Adadelta",
    "Adagrad",
    "Adam",
    "LossScaleOptimizer",
    "AdamW",
    "Adamax",
    "Lion",
    "Nadam",
    "Optimizer",
    "RMSprop",
    "deserialize",
    "get",
    "schedules",
    "serialize",
]

from .ftrl import Ftrl  # noqa: E402,F401  (keras.optimizers.Ftrl)

__all__.append("Ftrl")

from .adafactor import Adafactor  # noqa: E402
from .lamb import Lamb  # noqa: E402

__all__ += ["Adafactor", "Lamb"]

from .muon import Muon  # noqa: E402
from .schedule_free_adamw import ScheduleFreeAdamW  # noqa: E402

__all__ += ["Muon", "ScheduleFreeAdamW"]

from .multi_optimizer import MultiOptimizer, OptimizerMap  # noqa: E402

__all__ += ["MultiOptimizer", "OptimizerMap"]
