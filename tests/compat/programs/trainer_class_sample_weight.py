# class_weight is the same as the matching per-sample weights; evaluate(sample_weight=...)
# weights the loss as sum(w * loss) / n, and leaves plain metrics unweighted.
import numpy as np
from tensorflow import keras

keras.utils.set_random_seed(3)
rng = np.random.default_rng(3)
x = rng.standard_normal((200, 5)).astype("float32")
y = (x[:, 0] + 0.5 * x[:, 1] > 0.8).astype("int32")  # imbalanced: few positives


def make_model():
    return keras.Sequential(
        [
            keras.Input((5,)),
            keras.layers.Dense(8, activation="relu"),
            keras.layers.Dense(2, activation="softmax"),
        ]
    )


base = make_model()
start = base.get_weights()
class_weight = {0: 1.0, 1: 4.0}
sample_weight = np.where(y == 1, 4.0, 1.0).astype("float32")

weights = []
for kwargs in ({"class_weight": class_weight}, {"sample_weight": sample_weight}):
    model = make_model()
    model.set_weights(start)
    model.compile(
        optimizer=keras.optimizers.SGD(0.1),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    model.fit(x, y, epochs=3, batch_size=25, shuffle=False, verbose=0, **kwargs)
    weights.append(model.get_weights())
for a, b in zip(*weights):
    np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)

probs = model.predict(x, verbose=0)
per_sample = -np.log(probs[np.arange(len(y)), y])
w = np.linspace(0.0, 1.0, len(y)).astype("float32")
loss, accuracy = model.evaluate(x, y, sample_weight=w, batch_size=200, verbose=0)
np.testing.assert_allclose(loss, np.mean(w * per_sample), rtol=1e-4)
np.testing.assert_allclose(accuracy, np.mean(probs.argmax(axis=1) == y), rtol=1e-6)
