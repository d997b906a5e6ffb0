"""TensorBoard callback: Keras' event-file layout, written with the tensorboard package."""

from __future__ import annotations

import os
import time
import warnings

import numpy as np

from ..summary import _backend, recording
from ..summary import ops as summary
from ..summary.writer import SummaryWriter
from .base import Callback
from .tensorboard_logs import hparams_of, learning_rate, numeric_logs, weight_tag
from .tensorboard_profile import BatchProfiler


class TensorBoard(Callback):
    """Logs a ``fit`` for TensorBoard with the runs and tags of ``tf.keras.callbacks.TensorBoard``.

    Layout under ``log_dir``: ``train/`` and ``validation/`` runs holding
    ``epoch_loss``, ``epoch_<metric>`` (and ``epoch_learning_rate`` in ``train/``) per epoch,
    ``batch_<name>`` every N batches when ``update_freq`` asks, ``evaluation_<name>_vs_iterations``
    after each validation, ``<weight>/histogram`` and ``<weight>/gradient`` histograms,
    and the model graph; the fit's hyperparameters (optimizer, learning rate, batch size,
    epochs, loss, ...) go to ``log_dir`` itself for the HParams tab. Open with
    ``tensorboard --logdir <log_dir>``.

    Args:
        log_dir: Directory of this fit's logs; use one per run to compare runs.
        histogram_freq: Every how many epochs to write weight and gradient histograms (0: never).
            Gradients are those of the last batch of the epoch.
        write_graph: Write the model graph (layers as name scopes with their ops and weights).
        write_images: Not supported yet: warns and writes no images.
        write_steps_per_second: Also log training steps per second (epoch and batch level).
        update_freq: ``"epoch"``, ``"batch"`` (every batch) or an int N (every N batches) for
            the ``batch_*`` scalars, at step = number of batches trained so far.
        profile_batch: Batches to profile (``tf.profiler.experimental``; the timeline goes
            to ``log_dir/train/plugins/profile/``): an int N (batch N), a pair or a
            ``"start,stop"`` string (that range, 1-based over the whole fit); 0 for none.
        embeddings_freq: Not supported yet: warns when non-zero.
        embeddings_metadata: Accepted for Keras compatibility; unused.
        write_hparams: Record the fit's hyperparameters for the HParams tab, in an events
            file in ``log_dir`` itself (a gpuflow addition; off by default so that
            ``log_dir`` holds only ``train/`` and ``validation/``, as Keras writes it).

    Raises:
        ImportError: The tensorboard package is missing (``pip install 'gpuflow[tensorboard]'``).
        ValueError: ``update_freq`` or ``histogram_freq`` is not valid.
    """

    def __init__(
        self,
        log_dir="logs",
        histogram_freq=0,
        write_graph=True,
        write_images=False,
        write_steps_per_second=False,
        update_freq="epoch",
        profile_batch=0,
        embeddings_freq=0,
        embeddings_metadata=None,
        *,
        write_hparams=False,
    ) -> None:
        super().__init__()
        _backend.require("gpuflow.callbacks.TensorBoard")
        if update_freq == "batch":
            update_freq = 1
        if update_freq != "epoch" and (
            isinstance(update_freq, bool) or not isinstance(update_freq, int) or update_freq < 1
        ):
            raise ValueError(
                f"TensorBoard: update_freq must be 'epoch', 'batch' or a positive int, "
                f"received {update_freq!r}"
            )
        if (
            isinstance(histogram_freq, bool)
            or not isinstance(histogram_freq, int)
            or histogram_freq < 0
        ):
            raise ValueError(
                f"TensorBoard: histogram_freq must be an int >= 0, received {histogram_freq!r}"
            )
        for name, value in (
            ("write_images", write_images),
            ("embeddings_freq", embeddings_freq),
        ):
            if value:
                warnings.warn(
                    f"TensorBoard: {name}={value!r} is not supported by gpuflow yet and is ignored",
                    stacklevel=2,
                )
        self.log_dir = os.fspath(log_dir)
        self.histogram_freq = histogram_freq
        self.write_graph = write_graph
        self.write_steps_per_second = write_steps_per_second
        self.update_freq = update_freq
        self.write_hparams = write_hparams
        self._writers: dict[str, SummaryWriter] = {}
        self._global_train_batch = 0
        self._should_write_graph = False
        self._epoch_start = (0.0, 0)
        self._batch_start = 0.0
        self._profiler = BatchProfiler(
            profile_batch, os.path.join(self.log_dir, "train"), self._export_batch_graphs
        )

    # -- writers: created on first use, so a run only gets the folders it fills --------------
    def _writer(self, run: str) -> SummaryWriter:
        if run not in self._writers:
            self._writers[run] = SummaryWriter(
                os.path.join(self.log_dir, run) if run else self.log_dir
            )
        return self._writers[run]

    def _write_keras_model_summary(self) -> None:
        """As Keras 3: a Sequential or functional model's JSON, tagged ``keras`` at step 0
        in the train run (TensorBoard's Graphs tab draws it as the model's conceptual
        graph); a model that does not serialize writes nothing, with a warning."""
        if type(self.model).__name__ not in ("Functional", "Sequential"):
            return
        from tensorboard.compat.proto import summary_pb2

        try:
            config = self.model.to_json()
        except Exception as exc:  # as Keras: never let the summary break training
            warnings.warn(f"Model failed to serialize as JSON. Ignoring... {exc}", stacklevel=3)
            return
        metadata = summary_pb2.SummaryMetadata()
        metadata.plugin_data.plugin_name = "graph_keras_model"
        metadata.plugin_data.content = b"1"
        with self._writer("train").as_default():
            recording.write("keras", np.array(config.encode(), dtype=object), 0, metadata)

    def _export_batch_graphs(self, batch: int) -> None:
        with self._writer("train").as_default():  # as Keras 3: "batch_<last profiled>"
            recording.trace_export(name=f"batch_{batch}", step=batch)

    def _scalars(self, run: str, values: dict, prefix: str, step: int) -> None:
        if not values:
            return
        with self._writer(run).as_default(step=step):
            for name, value in values.items():
                summary.scalar(prefix + name, value)

    # -- hooks --------------------------------------------------------------------------------
    def on_train_begin(self, logs=None):
        self._global_train_batch = 0
        self._should_write_graph = bool(self.write_graph)
        if self.write_graph:
            self._write_keras_model_summary()
        if self.histogram_freq:
            self.model.keep_gradients = True
        if self.write_hparams:
            with self._writer("").as_default():
                summary.hparams(
                    hparams_of(self.model, self.params), trial_id=os.path.normpath(self.log_dir)
                )

    def on_train_batch_begin(self, batch, logs=None):
        self._batch_start = time.perf_counter()
        self._profiler.batch_begin(self._global_train_batch + 1, batch)

    def on_train_batch_end(self, batch, logs=None):
        self._global_train_batch += 1
        step = self._global_train_batch
        self._profiler.batch_end(step)
        if self._should_write_graph:  # after the first step the model is surely built
            self._should_write_graph = False
            with self._writer("train").as_default():
                summary.graph(self.model)
        if self.update_freq == "epoch" or step % self.update_freq:
            return
        values = numeric_logs(logs)
        if self.write_steps_per_second and self._batch_start:
            values["steps_per_second"] = 1.0 / max(time.perf_counter() - self._batch_start, 1e-9)
        self._scalars("train", values, "batch_", step)

    def on_epoch_begin(self, epoch, logs=None):
        self._epoch_start = (time.perf_counter(), self._global_train_batch)

    def on_epoch_end(self, epoch, logs=None):
        logs = numeric_logs(logs)
        train = {k: v for k, v in logs.items() if not k.startswith("val_")}
        val = {k[4:]: v for k, v in logs.items() if k.startswith("val_")}
        lr = learning_rate(self.model)
        if lr is not None:
            train["learning_rate"] = lr
        if self.write_steps_per_second:
            start, batches = self._epoch_start
            train["steps_per_second"] = (self._global_train_batch - batches) / max(
                time.perf_counter() - start, 1e-9
            )
        self._scalars("train", train, "epoch_", epoch)
        self._scalars("validation", val, "epoch_", epoch)
        if self.histogram_freq and epoch % self.histogram_freq == 0:
            self._log_histograms(epoch)
        for writer in self._writers.values():
            writer.flush()

    def on_test_end(self, logs=None):
        values = numeric_logs(logs)
        if not values or self.model is None or getattr(self.model, "optimizer", None) is None:
            return
        iterations = getattr(self.model.optimizer, "iterations", None)
        step = (
            self._global_train_batch if iterations is None else int(_backend.to_numpy(iterations))
        )
        self._scalars(
            "validation", {f"evaluation_{k}_vs_iterations": v for k, v in values.items()}, "", step
        )
        self._writer("validation").flush()  # evaluate() alone never reaches on_train_end

    def on_train_end(self, logs=None):
        self._profiler.end()
        for writer in self._writers.values():
            writer.close()
        self._writers = {}

    def _log_histograms(self, epoch: int) -> None:
        names = {}
        with self._writer("train").as_default(step=epoch):
            for layer in self.model.layers:
                for weight in layer.weights:
                    names[id(weight)] = tag = weight_tag(layer, weight)
                    summary.histogram(f"{tag}/histogram", weight)
            grads = getattr(self.model, "last_gradients", None) or []
            for var, grad in zip(self.model.trainable_variables, grads):
                if grad is not None:
                    tag = names.get(id(var)) or str(var.path).replace(":", "_")
                    summary.histogram(f"{tag}/gradient", grad)
