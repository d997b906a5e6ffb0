"""The tf.keras code of the issue, unchanged after `import gpuflow as tf`."""

from __future__ import annotations

import numpy as np

import gpuflow as tf


def _digits_784():
    (x, y), _ = tf.datasets.digits.load_data(image_size=28)
    x = x.reshape(len(x), 784).astype("float32") / 255.0
    return x, tf.keras.utils.to_categorical(y, 10)


def test_lecture_mlp_and_print_callback(capsys):
    x, y = _digits_784()
    x, y = x[:512], y[:512]
    model = tf.keras.Sequential()
    model.add(tf.keras.layers.Input(shape=(784,)))
    model.add(tf.keras.layers.Dense(512, activation="relu"))
    model.add(tf.keras.layers.Dense(10, activation="softmax"))
    model.compile(
        optimizer=tf.keras.optimizers.SGD(lr=0.01), loss=tf.keras.losses.categorical_crossentropy
    )
    history = model.fit(x, y, epochs=5, verbose=0)
    assert len(history.history["loss"]) == 5
    assert history.history["loss"][-1] < history.history["loss"][0]

    shapes = []

    class PrintCallback(tf.keras.callbacks.Callback):
        def on_epoch_begin(self, epoch, logs=None):
            print("Epoch: ", epoch)

        def on_train_batch_begin(self, batch, logs=None):
            weights = model.layers[-1].get_weights()[0]
            shapes.append(weights.shape)

    model.fit(x, y, epochs=2, verbose=0, callbacks=[PrintCallback()])
    out = capsys.readouterr().out
    assert "Epoch:  0" in out and "Epoch:  1" in out
    assert shapes and all(s == (512, 10) for s in shapes)
    assert len(shapes) == 2 * 16  # 512 samples / batch 32, two epochs


def test_lecture_cnn_learns_digits():
    (x, y), (xt, yt) = tf.datasets.digits.load_data(image_size=28)
    x = x[..., None].astype("float32") / 255.0
    xt = xt[..., None].astype("float32") / 255.0
    conv_net = tf.keras.Sequential()
    conv_net.add(tf.keras.layers.Input(shape=[28, 28, 1]))
    conv_net.add(
        tf.keras.layers.Conv2D(filters=16, kernel_size=(3, 3), strides=(2, 2), activation="relu")
    )
    conv_net.add(
        tf.keras.layers.Conv2D(filters=16, kernel_size=(3, 3), strides=(2, 2), activation="relu")
    )
    conv_net.add(tf.keras.layers.Flatten())
    conv_net.add(tf.keras.layers.Dense(64, activation="relu"))
    conv_net.add(tf.keras.layers.Dense(10, activation="softmax"))
    conv_net.compile(
        optimizer=tf.keras.optimizers.SGD(learning_rate=0.001),
        loss=tf.keras.losses.categorical_crossentropy,
    )
    history = conv_net.fit(x, tf.keras.utils.to_categorical(y, 10), epochs=2, verbose=0)
    assert history.history["loss"][1] < history.history["loss"][0]
    # With a stronger optimizer the same network reaches well above chance on real digits.
    conv_net.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    conv_net.fit(x, y, epochs=3, batch_size=32, verbose=0)
    loss, accuracy = conv_net.evaluate(xt, yt, verbose=0)
    assert accuracy > 0.8, accuracy
    assert np.isfinite(loss)
