# keras.io "Point cloud classification with PointNet": Conv1D(kernel 1) + BatchNormalization
# blocks over the points, GlobalMaxPooling1D, a T-net that predicts a transform matrix which
# is initialised to the identity (Dense bias_initializer=keras.initializers.Constant(eye))
# and kept near-orthogonal by a custom keras.regularizers.Regularizer on the layer's
# activity, applied with layers.Dot(axes=(2, 1)). Synthetic point clouds: points on a
# sphere vs points in a cube, randomly rotated and jittered.
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

keras.utils.set_random_seed(13)
rng = np.random.default_rng(13)
NUM_POINTS, N = 64, 200


def sphere(n):
    v = rng.normal(size=(n, 3))
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def cube(n):
    v = rng.uniform(-1, 1, size=(n, 3))
    axis = rng.integers(0, 3, n)
    v[np.arange(n), axis] = np.sign(v[np.arange(n), axis])
    return v * 0.7


labels = rng.integers(0, 2, N)
points = np.stack([cube(NUM_POINTS) if y else sphere(NUM_POINTS) for y in labels]).astype("float32")


def augment(points, label):
    points += tf.random.uniform(points.shape, -0.005, 0.005, dtype=tf.float64)
    points = tf.random.shuffle(points)
    return points, label


train_ds = tf.data.Dataset.from_tensor_slices((points[:160].astype("float64"), labels[:160]))
train_ds = train_ds.shuffle(160).map(augment).batch(16)
test_ds = tf.data.Dataset.from_tensor_slices((points[160:], labels[160:])).batch(16)
sample, _ = next(iter(train_ds))
assert sample.shape == (16, NUM_POINTS, 3) and sample.dtype == tf.float64


def conv_bn(x, filters):
    x = layers.Conv1D(filters, kernel_size=1, padding="valid")(x)
    x = layers.BatchNormalization(momentum=0.0)(x)
    return layers.Activation("relu")(x)


def dense_bn(x, filters):
    x = layers.Dense(filters)(x)
    x = layers.BatchNormalization(momentum=0.0)(x)
    return layers.Activation("relu")(x)


class OrthogonalRegularizer(keras.regularizers.Regularizer):
    def __init__(self, num_features, l2reg=0.001):
        self.num_features = num_features
        self.l2reg = l2reg
        self.eye = tf.eye(num_features)

    def __call__(self, x):
        x = tf.reshape(x, (-1, self.num_features, self.num_features))
        xxt = tf.tensordot(x, x, axes=(2, 2))
        xxt = tf.reshape(xxt, (-1, self.num_features, self.num_features))
        return tf.reduce_sum(self.l2reg * tf.square(xxt - self.eye))

    def get_config(self):
        return {"num_features": self.num_features, "l2reg": self.l2reg}


reg = OrthogonalRegularizer(3)
# the identity is orthogonal: no penalty; a scaled identity is penalised
assert float(reg(tf.reshape(tf.eye(3), (1, 9)))) < 1e-9
penalty = float(reg(tf.reshape(2.0 * tf.eye(3), (1, 9))))
np.testing.assert_allclose(penalty, 0.001 * 9 * 3, rtol=1e-5)


def tnet(inputs, num_features):
    bias = keras.initializers.Constant(np.eye(num_features).flatten())
    reg = OrthogonalRegularizer(num_features)
    x = conv_bn(inputs, 16)
    x = conv_bn(x, 32)
    x = layers.GlobalMaxPooling1D()(x)
    x = dense_bn(x, 16)
    x = layers.Dense(
        num_features * num_features,
        kernel_initializer="zeros",
        bias_initializer=bias,
        activity_regularizer=reg,
    )(x)
    feat_T = layers.Reshape((num_features, num_features))(x)
    return layers.Dot(axes=(2, 1))([inputs, feat_T])


inputs = keras.Input(shape=(NUM_POINTS, 3))
x = tnet(inputs, 3)
x = conv_bn(x, 16)
x = conv_bn(x, 16)
x = tnet(x, 16)
x = conv_bn(x, 16)
x = conv_bn(x, 32)
x = layers.GlobalMaxPooling1D()(x)
x = dense_bn(x, 16)
x = layers.Dropout(0.3)(x)
outputs = layers.Dense(2, activation="softmax")(x)
model = keras.Model(inputs=inputs, outputs=outputs, name="pointnet")
assert model.output_shape == (None, 2)

# at initialisation the T-net is the identity transform (zero kernel, identity bias)
first_dot = [layer for layer in model.layers if isinstance(layer, layers.Dot)][0]
probe_model = keras.Model(inputs, first_dot.output)
np.testing.assert_allclose(probe_model(points[:2]).numpy(), points[:2], atol=1e-6)
_ = model(points[:4], training=True)
assert len(model.losses) == 2  # one activity-regularizer loss per T-net


def numpy_penalty(t, n, batch):
    # the keras.io regularizer's tensordot pairs every sample with every other one
    xxt = np.tensordot(t, t, axes=(2, 2)).reshape(-1, n, n)
    return np.sum(0.001 * np.square(xxt - np.eye(n))) / batch  # Keras divides by batch size


expected = [numpy_penalty(np.stack([np.eye(n)] * 4), n, 4) for n in (3, 16)]
np.testing.assert_allclose([float(loss) for loss in model.losses], expected, rtol=1e-5)
assert expected[0] > 0  # cross-sample pairs of identities are not identities

model.compile(
    loss="sparse_categorical_crossentropy",
    optimizer=keras.optimizers.Adam(learning_rate=0.003),
    metrics=["sparse_categorical_accuracy"],
)
history = model.fit(train_ds, epochs=10, validation_data=test_ds, verbose=0)
assert history.history["loss"][-1] < history.history["loss"][0], history.history
_, acc = model.evaluate(test_ds, verbose=0)
print("PointNet accuracy", acc)
assert acc > 0.9, history.history
preds = np.argmax(model.predict(points[160:], verbose=0), -1)
np.testing.assert_allclose(np.mean(preds == labels[160:]), acc, atol=1e-6)
