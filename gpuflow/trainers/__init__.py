"""The Trainer that Model inherits: compile, fit / evaluate / predict, and their data plumbing.

Layout as Keras 3's ``keras.src.trainers``: ``trainer.py`` (the Trainer), ``compile_utils.py``
(losses and metrics per output), ``epoch_iterator.py`` and ``data_adapters/``.
"""

from .data_adapters import pack_x_y_sample_weight, unpack_x_y_sample_weight
from .trainer import Trainer

__all__ = ["Trainer", "pack_x_y_sample_weight", "unpack_x_y_sample_weight"]
