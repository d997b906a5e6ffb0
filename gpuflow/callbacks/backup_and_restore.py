"""BackupAndRestore: resume a ``fit`` that was interrupted (a crash, a preempted job) from the
last backup, as ``tf.keras.callbacks.BackupAndRestore``.

``backup_dir`` holds Keras 3's two files: ``latest.weights.h5`` (the model's weights and the
optimizer's state, Keras' layout) and ``training_metadata.json`` (``{"epoch": epochs done,
"batch": last batch}``). At the start of ``fit`` both are read back: the weights and
optimizer state restored, and the loop starts at the saved epoch (the ``initial_epoch`` of
that fit is overridden, as Keras does). A backup taken mid-epoch (``save_freq=N`` batches)
restores the weights of that batch and reruns the interrupted epoch from its start.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from ..saving.errors import FileFormatError
from .base import Callback


class BackupAndRestore(Callback):
    """Back up the training state to ``backup_dir`` and restore it when ``fit`` restarts.

    Args:
        backup_dir: folder for the backup (created when needed). Use one folder per run.
        save_freq: ``"epoch"`` (back up at the end of every epoch) or an int ``N`` (every
            ``N`` batches).
        double_checkpoint: keep the previous backup too (``*.bkp``), used when the latest
            one cannot be read.
        delete_checkpoint: delete ``backup_dir`` when training ends normally.

    Raises:
        ValueError: for an empty ``backup_dir`` or a bad ``save_freq``; at the start of
            ``fit``, for a model that is not built.
    """

    def __init__(
        self,
        backup_dir,
        save_freq="epoch",
        double_checkpoint=False,
        delete_checkpoint=True,
    ) -> None:
        super().__init__()
        if not backup_dir:
            raise ValueError("BackupAndRestore: Empty `backup_dir` argument passed")
        if save_freq != "epoch" and (
            isinstance(save_freq, bool) or not isinstance(save_freq, int) or save_freq < 1
        ):
            raise ValueError(
                "BackupAndRestore: Invalid value for argument `save_freq`. "
                f"Received: save_freq={save_freq!r}. Expected either 'epoch' or a positive "
                "integer value."
            )
        self.backup_dir = str(backup_dir)
        self.save_freq = save_freq
        self.double_checkpoint = bool(double_checkpoint)
        self.delete_checkpoint = bool(delete_checkpoint)
        self._weights_path = str(Path(self.backup_dir) / "latest.weights.h5")
        self._training_metadata_path = str(Path(self.backup_dir) / "training_metadata.json")
        self._prev_weights_path = f"{self._weights_path}.bkp"
        self._prev_training_metadata_path = f"{self._training_metadata_path}.bkp"
        self._batches_seen_since_last_saving = 0
        self._last_batch_seen = 0
        self._current_epoch = 0

    # -- restore ------------------------------------------------------------------------------
    def on_train_begin(self, logs=None):
        self._batches_seen_since_last_saving = 0
        self._last_batch_seen = 0
        try:
            self._load_model()
        except (OSError, FileFormatError, json.JSONDecodeError, KeyError):
            # The latest backup is unreadable (a crash while writing it): fall back on the
            # previous one when double_checkpoint kept it.
            prev = Path(self._prev_weights_path)
            if not prev.exists():
                raise
            shutil.copyfile(prev, self._weights_path)
            meta, prev_meta = (
                Path(self._training_metadata_path),
                Path(self._prev_training_metadata_path),
            )
            if prev_meta.exists():
                shutil.copyfile(prev_meta, meta)
            elif meta.exists():
                meta.unlink()
            self._load_model()

    def _load_model(self) -> None:
        model = self.model
        if not model.built:
            raise ValueError(
                "BackupAndRestore: To use the BackupAndRestore callback, your model must be "
                f"built before you call `fit()`. Model {model.name!r} is unbuilt. You can "
                "build it beforehand by calling it on a batch of data."
            )
        weights = Path(self._weights_path)
        if weights.exists():
            model.load_weights(str(weights))
            self._restore_optimizer(weights)
        meta = Path(self._training_metadata_path)
        if meta.exists():
            epoch = json.loads(meta.read_text())["epoch"]
            model._initial_epoch = int(epoch)
            self._current_epoch = int(epoch)

    def _restore_optimizer(self, path: Path) -> None:
        """The optimizer's state from the backup (``optimizer/vars``, as Keras' load_weights
        restores it into a built optimizer)."""
        optimizer = getattr(self.model, "optimizer", None)
        if optimizer is None:
            return
        from ..saving import keras_h5
        from ..saving.keras_archive import _h5py

        with _h5py().File(path, "r") as h5:
            arrays = keras_h5.read_optimizer(h5, path)
        if arrays:
            variables = self.model.trainable_variables
            state = keras_h5.optimizer_state(optimizer, variables, arrays, path)
            optimizer.set_state(variables, state)

    # -- back up ------------------------------------------------------------------------------
    def on_epoch_end(self, epoch, logs=None):
        self._current_epoch = epoch + 1
        self._last_batch_seen = 0
        if self.save_freq == "epoch":
            self._save_model()

    def on_train_batch_end(self, batch, logs=None):
        if self._should_save_on_batch(batch):
            self._save_model()

    def _should_save_on_batch(self, batch) -> bool:
        if self.save_freq == "epoch":
            return False
        if batch <= self._last_batch_seen:  # a new epoch (batches count from 0)
            add_batches = batch + 1
        else:
            add_batches = batch - self._last_batch_seen
        self._batches_seen_since_last_saving += add_batches
        self._last_batch_seen = batch
        if self._batches_seen_since_last_saving >= self.save_freq:
            self._batches_seen_since_last_saving = 0
            return True
        return False

    def _save_model(self) -> None:
        Path(self.backup_dir).mkdir(parents=True, exist_ok=True)
        weights, meta = Path(self._weights_path), Path(self._training_metadata_path)
        if self.double_checkpoint and weights.exists():
            shutil.copyfile(weights, self._prev_weights_path)
        if self.double_checkpoint and meta.exists():
            shutil.copyfile(meta, self._prev_training_metadata_path)
        self.model.save_weights(str(weights), overwrite=True)  # atomic: a crash keeps the old
        metadata = {"epoch": self._current_epoch, "batch": self._last_batch_seen}
        tmp = meta.with_name(meta.name + ".tmp")
        tmp.write_text(json.dumps(metadata))
        tmp.replace(meta)

    def on_train_end(self, logs=None):
        if self.delete_checkpoint and Path(self.backup_dir).exists():
            shutil.rmtree(self.backup_dir)
