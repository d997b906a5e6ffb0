"""The logged fit of the digits CNN that several TensorBoard tests inspect."""

from __future__ import annotations

import pytest
from tb_helpers import need_tensorboard

import gpuflow


def digits_cnn():
    layers = gpuflow.keras.layers
    # explicit names: auto names depend on how many layers other tests made first
    model = gpuflow.keras.Sequential(
        [
            layers.Input((28, 28, 1)),
            layers.Conv2D(4, 3, activation="relu", name="conv2d"),
            layers.MaxPooling2D(name="max_pooling2d"),
            layers.Flatten(name="flatten"),
            layers.Dense(10, activation="softmax", name="dense"),
        ]
    )
    model.compile(
        optimizer=gpuflow.keras.optimizers.Adam(learning_rate=0.01),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    return model


@pytest.fixture(scope="session")
def digits_run(tmp_path_factory):
    """The issue's done-when fit: the digits CNN with TensorBoard(histogram_freq=1), 3 epochs.

    Returns (log_dir, model, history) with log_dir = <tmp>/logs/cnn, so <tmp>/logs is the
    parent directory one passes to ``tensorboard --logdir``.
    """
    need_tensorboard()
    from gpuflow.datasets import digits

    (x, y), _ = digits.load_data(image_size=28)
    x = (x[:320, ..., None] / 255.0).astype("float32")
    y = y[:320]
    gpuflow.random.set_seed(0)
    model = digits_cnn()
    log_dir = tmp_path_factory.mktemp("logs") / "cnn"
    tb = gpuflow.keras.callbacks.TensorBoard(
        log_dir=str(log_dir), histogram_freq=1, update_freq="batch", write_hparams=True
    )
    history = model.fit(
        x, y, epochs=3, batch_size=32, validation_split=0.2, verbose=0, callbacks=[tb]
    )
    return log_dir, model, history
