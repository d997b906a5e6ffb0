# keras.io "Trainer pattern": the training logic lives in a keras.Model subclass that wraps
# another model (self.model), owns its loss and metrics (exposed through the `metrics`
# property so they reset each epoch) and overrides train_step/test_step/call. The same
# Trainer class drives two different models; each inner model is trained in place.
import keras
import numpy as np
import tensorflow as tf

keras.utils.set_random_seed(23)
rng = np.random.default_rng(23)


class MyTrainer(keras.Model):
    def __init__(self, model):
        super().__init__()
        self.model = model
        self.loss_fn = keras.losses.SparseCategoricalCrossentropy()
        self.accuracy_metric = keras.metrics.SparseCategoricalAccuracy()
        self.loss_tracker = keras.metrics.Mean(name="loss")

    @property
    def metrics(self):
        return [self.loss_tracker, self.accuracy_metric]

    def train_step(self, data):
        x, y = data
        with tf.GradientTape() as tape:
            y_pred = self.model(x, training=True)
            loss = self.loss_fn(y, y_pred)
        trainable_vars = self.trainable_variables
        gradients = tape.gradient(loss, trainable_vars)
        self.optimizer.apply_gradients(zip(gradients, trainable_vars))
        self.loss_tracker.update_state(loss)
        self.accuracy_metric.update_state(y, y_pred)
        return {m.name: m.result() for m in self.metrics}

    def test_step(self, data):
        x, y = data
        y_pred = self.model(x, training=False)
        self.loss_tracker.update_state(self.loss_fn(y, y_pred))
        self.accuracy_metric.update_state(y, y_pred)
        return {m.name: m.result() for m in self.metrics}

    def call(self, x):
        return self.model(x)


# synthetic 3-class data: class from the sign pattern of two projections
x = rng.normal(size=(600, 12)).astype("float32")
p = x @ rng.normal(size=(12, 2))
y = np.where(p[:, 0] > 0.3, 0, np.where(p[:, 1] > 0, 1, 2))
x_train, y_train, x_test, y_test = x[:500], y[:500], x[500:], y[500:]

model_a = keras.Sequential(
    [
        keras.Input((12,)),
        keras.layers.Dense(32, activation="relu"),
        keras.layers.Dense(3, activation="softmax"),
    ]
)
func_in = keras.Input((12,))
h = keras.layers.Dense(16, activation="tanh")(func_in)
h = keras.layers.Dense(16, activation="tanh")(h)
model_b = keras.Model(func_in, keras.layers.Dense(3, activation="softmax")(h))

trainer_1 = MyTrainer(model_a)
trainer_2 = MyTrainer(model_b)
trainer_1.compile(optimizer=keras.optimizers.SGD(0.1))
trainer_2.compile(optimizer=keras.optimizers.Adam(0.01))

before = model_a.get_weights()
h1 = trainer_1.fit(
    x_train, y_train, epochs=20, batch_size=32, validation_data=(x_test, y_test), verbose=0
)
h2 = trainer_2.fit(x_train, y_train, epochs=10, batch_size=64, verbose=0)

assert set(h1.history) == {
    "loss",
    "sparse_categorical_accuracy",
    "val_loss",
    "val_sparse_categorical_accuracy",
}, h1.history.keys()
assert set(h2.history) == {"loss", "sparse_categorical_accuracy"}, h2.history.keys()
assert h1.history["loss"][-1] < h1.history["loss"][0]
assert h2.history["loss"][-1] < h2.history["loss"][0]
assert h1.history["val_sparse_categorical_accuracy"][-1] > 0.8, h1.history
assert h2.history["sparse_categorical_accuracy"][-1] > 0.8, h2.history

# the trainer's variables are the inner model's: training changed model_a itself
assert len(trainer_1.trainable_variables) == len(model_a.trainable_variables) == 4
assert not np.allclose(before[0], model_a.get_weights()[0])
np.testing.assert_allclose(
    trainer_1.predict(x_test, verbose=0), model_a.predict(x_test, verbose=0), atol=1e-6
)
# evaluate goes through test_step and returns the metrics in order
loss, acc = trainer_2.evaluate(x_test, y_test, batch_size=100, verbose=0)
probs = model_b.predict(x_test, verbose=0)
np.testing.assert_allclose(acc, np.mean(probs.argmax(1) == y_test), atol=1e-6)
ref_loss = -np.mean(np.log(np.clip(probs[np.arange(100), y_test], 1e-7, 1.0)))
np.testing.assert_allclose(loss, ref_loss, rtol=1e-4)
print("accuracies", h1.history["val_sparse_categorical_accuracy"][-1], acc)
