"""``gpuflow.callbacks``: hooks into ``fit``/``evaluate``/``predict``, as ``tf.keras.callbacks``."""

from .backup_and_restore import BackupAndRestore
from .base import Callback
from .callback_list import CallbackList
from .checkpoint import ModelCheckpoint
from .early_stopping import EarlyStopping
from .history import History
from .learning_rate import LearningRateScheduler, ReduceLROnPlateau
from .logging import CSVLogger, LambdaCallback, TerminateOnNaN
from .progbar import Progbar, ProgbarLogger
from .remote_monitor import RemoteMonitor
from .swap_ema_weights import SwapEMAWeights

__all__ = [
    "BackupAndRestore",
    "Callback",
    "CallbackList",
    "CSVLogger",
    "EarlyStopping",
    "History",
    "LambdaCallback",
    "LearningRateScheduler",
    "ModelCheckpoint",
    "Progbar",
    "ProgbarLogger",
    "ReduceLROnPlateau",
    "RemoteMonitor",
    "SwapEMAWeights",
    "TerminateOnNaN",
    "TensorBoard",
]


def __getattr__(name):
    # TensorBoard needs the optional `tensorboard` extra: import it only when asked for.
    if name == "TensorBoard":
        from .tensorboard import TensorBoard

        return TensorBoard
    raise AttributeError(f"module 'gpuflow.callbacks' has no attribute {name!r}")
