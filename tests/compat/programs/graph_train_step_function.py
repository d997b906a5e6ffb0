# tf.function around a Keras model's own train_step, and fit compiled by default: each call
# returns that call's logs, and compiled training equals run_eagerly=True.
import numpy as np
import tensorflow as tf

rng = np.random.default_rng(0)
x = rng.random((64, 6)).astype("float32")
y = rng.integers(0, 3, 64)


def make_model(**compile_args):
    tf.keras.utils.set_random_seed(1)
    model = tf.keras.Sequential(
        [
            tf.keras.Input((6,)),
            tf.keras.layers.Dense(16, activation="relu"),
            tf.keras.layers.Dense(3),
        ]
    )
    model.compile(
        optimizer=tf.keras.optimizers.SGD(0.1),
        loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=["accuracy"],
        **compile_args,
    )
    return model


model = make_model()
assert not model.run_eagerly  # fit compiles by default
step = tf.function(model.train_step)
data = (tf.constant(x[:16]), tf.constant(y[:16]))
losses = [float(step(data)["loss"]) for _ in range(5)]
assert len(set(losses)) == 5, losses  # every call's own (running) loss
assert sorted(step(data).keys()) == ["accuracy", "loss"]

compiled, eager = make_model(), make_model(run_eagerly=True)
assert eager.run_eagerly
h1 = compiled.fit(x, y, batch_size=16, epochs=3, shuffle=False, verbose=0).history
h2 = eager.fit(x, y, batch_size=16, epochs=3, shuffle=False, verbose=0).history
np.testing.assert_allclose(h1["loss"], h2["loss"], rtol=1e-5)
for a, b in zip(compiled.get_weights(), eager.get_weights()):
    np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
np.testing.assert_allclose(compiled.predict(x, verbose=0), eager.predict(x, verbose=0), atol=1e-5)
print("ok")
