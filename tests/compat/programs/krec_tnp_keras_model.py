# keras.io "Writing Keras Models With TensorFlow NumPy": tf.experimental.numpy (tnp) with
# NumPy behavior enabled, a keras.Model subclass whose call is tnp.matmul with its own
# weights, a TNPDense layer taking a tnp activation, both trained with compile/fit on a
# synthetic regression set (standardized features) and compared with plain Dense layers.
import keras
import numpy as np
import tensorflow as tf
import tensorflow.experimental.numpy as tnp
from keras import layers

tnp.experimental_enable_numpy_behavior()
keras.utils.set_random_seed(61)
rng = np.random.default_rng(61)

# the NumPy API on tensors: ndarray-like methods and NumPy type promotion
a = tnp.asarray([[1.0, 2.0], [3.0, 4.0]])
assert isinstance(a, tf.Tensor)
assert a.T.shape == (2, 2) and float(a.reshape(-1)[3]) == 4.0
assert tnp.sum(a, axis=0).tolist() == [4.0, 6.0]
assert tnp.mean(a).dtype == tnp.float64  # tnp.asarray of Python floats keeps float64
assert (tnp.ones(3, dtype=tnp.float32) + 1).dtype == tnp.float32

n, dim = 400, 13
x = rng.normal(size=(n, dim)).astype("float32") * rng.uniform(1, 50, size=dim).astype("float32")
true_w = rng.normal(size=(dim,)).astype("float32")
y = (np.tanh((x - x.mean(0)) / x.std(0) @ true_w / 3.0) * 10 + 20).astype("float32")
x_train, y_train, x_test, y_test = x[:320], y[:320], x[320:], y[320:]
mean, std = x_train.mean(axis=0), x_train.std(axis=0)
x_train = (x_train - mean) / std
x_test = (x_test - mean) / std


class TNPForwardFeedRegressionNetwork(keras.Model):
    def __init__(self, blocks=None, **kwargs):
        super().__init__(**kwargs)
        if not isinstance(blocks, list):
            raise ValueError(f"blocks must be a list, got blocks={blocks}")
        self.blocks = blocks
        self.block_weights = None
        self.biases = None

    def build(self, input_shape):
        current_shape = input_shape[1]
        self.block_weights = []
        self.biases = []
        for i, block in enumerate(self.blocks):
            self.block_weights.append(
                self.add_weight(
                    shape=(current_shape, block),
                    trainable=True,
                    name=f"block-{i}",
                    initializer="glorot_normal",
                )
            )
            self.biases.append(
                self.add_weight(
                    shape=(block,), trainable=True, name=f"bias-{i}", initializer="zeros"
                )
            )
            current_shape = block
        self.linear_layer = self.add_weight(
            shape=(current_shape, 1),
            name="linear_projector",
            trainable=True,
            initializer="glorot_normal",
        )

    def call(self, inputs):
        activations = inputs
        for w, b in zip(self.block_weights, self.biases):
            activations = tnp.matmul(activations, w) + b
            activations = tnp.maximum(activations, 0.0)  # ReLU in tnp
        return tnp.matmul(activations, self.linear_layer)


def evaluate(model):
    model.compile(
        optimizer=keras.optimizers.Adam(0.01),
        loss="mean_squared_error",
        metrics=[keras.metrics.RootMeanSquaredError(name="rmse")],
    )
    hist = model.fit(x_train, y_train, batch_size=32, epochs=30, verbose=0)
    return hist, model.evaluate(x_test, y_test, verbose=0, return_dict=True)


try:
    TNPForwardFeedRegressionNetwork(blocks=3)
    raise AssertionError("blocks=3 was accepted")
except ValueError as err:
    assert "blocks must be a list" in str(err)

tnp_model = TNPForwardFeedRegressionNetwork(blocks=[16, 16])
hist, results = evaluate(tnp_model)
shapes = [tuple(w.shape) for w in tnp_model.trainable_weights]
assert shapes == [(13, 16), (16,), (16, 16), (16,), (16, 1)], shapes
baseline = float(np.std(y_test))
assert results["rmse"] < 0.5 * baseline, (results, baseline)
np.testing.assert_allclose(results["rmse"] ** 2, results["loss"], rtol=1e-4)


class TNPDense(keras.layers.Layer):
    def __init__(self, units, activation=None):
        super().__init__()
        self.units = units
        self.activation = activation

    def build(self, input_shape):
        self.w = self.add_weight(
            name="weights",
            shape=(input_shape[1], self.units),
            initializer="random_normal",
            trainable=True,
        )
        self.bias = self.add_weight(
            name="bias", shape=(self.units,), initializer="zeros", trainable=True
        )

    def call(self, inputs):
        outputs = tnp.matmul(inputs, self.w) + self.bias
        if self.activation:
            return self.activation(outputs)
        return outputs


def tnp_relu(x):
    return tnp.maximum(x, 0)


def create_layered_tnp_model():
    return keras.Sequential(
        [
            keras.Input((dim,)),
            TNPDense(16, activation=tnp_relu),
            TNPDense(16, activation=tnp_relu),
            TNPDense(1),
        ]
    )


layered = create_layered_tnp_model()
_, layered_results = evaluate(layered)
assert layered_results["rmse"] < 0.5 * baseline, (layered_results, baseline)

# a TNPDense layer computes exactly a Dense layer with the same weights
dense = layers.Dense(16, activation="relu")
tnp_dense = layered.layers[0]
dense.build((None, dim))
dense.set_weights(tnp_dense.get_weights())
np.testing.assert_allclose(
    np.asarray(dense(x_test)), np.asarray(tnp_dense(x_test)), rtol=1e-5, atol=1e-5
)
print("rmse", results["rmse"], layered_results["rmse"], "std", baseline)
