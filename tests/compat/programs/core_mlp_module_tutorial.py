"""The "Multilayer perceptrons for digit recognition with Core APIs" tutorial on synthetic
data: DenseLayer / MLP tf.Modules built lazily with Xavier initialization, a cross-entropy
loss on logits, plain gradient descent in a tf.function step over a tf.data pipeline, an
ExportModule with an input_signature, and tf.saved_model save / load."""

import os

import numpy as np
import tensorflow as tf

tf.random.set_seed(22)
rng = np.random.default_rng(22)

# Three Gaussian blobs in 8 dimensions stand in for the digits.
centers = rng.normal(0.0, 3.0, size=(3, 8)).astype(np.float32)
labels = rng.integers(0, 3, size=600)
features = centers[labels] + rng.normal(0.0, 1.0, size=(600, 8)).astype(np.float32)
x_train, y_train = features[:480], labels[:480].astype(np.int64)
x_val, y_val = features[480:], labels[480:].astype(np.int64)
train_data = tf.data.Dataset.from_tensor_slices((x_train, y_train)).shuffle(480, seed=1).batch(64)


def xavier_init(shape):
    in_dim, out_dim = shape
    xavier_lim = tf.sqrt(6.0) / tf.sqrt(tf.cast(in_dim + out_dim, tf.float32))
    return tf.random.uniform(
        shape=(in_dim, out_dim), minval=-xavier_lim, maxval=xavier_lim, seed=22
    )


class DenseLayer(tf.Module):
    def __init__(self, out_dim, weight_init=xavier_init, activation=tf.identity):
        super().__init__()
        self.out_dim = out_dim
        self.weight_init = weight_init
        self.activation = activation
        self.built = False

    def __call__(self, x):
        if not self.built:
            self.in_dim = x.shape[1]
            self.w = tf.Variable(self.weight_init(shape=(self.in_dim, self.out_dim)))
            self.b = tf.Variable(tf.zeros(shape=(self.out_dim,)))
            self.built = True
        return self.activation(tf.add(tf.matmul(x, self.w), self.b))


class MLP(tf.Module):
    def __init__(self, layers):
        super().__init__()
        self.layers = layers

    @tf.function
    def __call__(self, x, preds=False):
        for layer in self.layers:
            x = layer(x)
        return x


hidden_layer_1_size, hidden_layer_2_size, output_size = 32, 16, 3
mlp_model = MLP(
    [
        DenseLayer(out_dim=hidden_layer_1_size, activation=tf.nn.relu),
        DenseLayer(out_dim=hidden_layer_2_size, activation=tf.nn.relu),
        DenseLayer(out_dim=output_size),
    ]
)
assert mlp_model(x_train[:2]).shape == (2, 3)
assert len(mlp_model.trainable_variables) == 6
assert sorted(tuple(v.shape) for v in mlp_model.layers[0].trainable_variables) == [(8, 32), (32,)]


def cross_entropy_loss(y_pred, y):
    sparse_ce = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=y_pred)
    return tf.reduce_mean(sparse_ce)


def accuracy(y_pred, y):
    class_preds = tf.argmax(tf.nn.softmax(y_pred), axis=1)
    is_equal = tf.equal(y, class_preds)
    return tf.reduce_mean(tf.cast(is_equal, tf.float32))


class GradientDescent(tf.Module):
    def __init__(self, learning_rate=0.1):
        super().__init__()
        self.learning_rate = learning_rate

    def apply_gradients(self, grads, variables):
        for grad, var in zip(grads, variables):
            var.assign_sub(self.learning_rate * grad)


optimizer = GradientDescent(learning_rate=0.1)


@tf.function
def train_step(x_batch, y_batch):
    with tf.GradientTape() as tape:
        y_pred = mlp_model(x_batch)
        batch_loss = cross_entropy_loss(y_pred, y_batch)
    grads = tape.gradient(batch_loss, mlp_model.trainable_variables)
    optimizer.apply_gradients(grads, mlp_model.trainable_variables)
    return batch_loss, accuracy(y_pred, y_batch)


losses = []
for epoch in range(15):
    epoch_losses = [float(train_step(xb, yb)[0]) for xb, yb in train_data]
    losses.append(np.mean(epoch_losses))
assert losses[-1] < losses[0] * 0.5, losses
val_accuracy = float(accuracy(mlp_model(x_val), y_val))
assert val_accuracy > 0.9, val_accuracy


class ExportModule(tf.Module):
    def __init__(self, model, preprocess, class_pred):
        super().__init__()
        self.model = model
        self.preprocess = preprocess
        self.class_pred = class_pred

    @tf.function(input_signature=[tf.TensorSpec(shape=[None, 8], dtype=tf.float32)])
    def __call__(self, x):
        x = self.preprocess(x)
        y = self.model(x)
        return self.class_pred(y)


def preprocess_test(x):
    return tf.reshape(x, shape=[-1, 8])


def class_pred_test(y):
    return tf.argmax(tf.nn.softmax(y), axis=1)


mlp_model_export = ExportModule(
    model=mlp_model, preprocess=preprocess_test, class_pred=class_pred_test
)
expected = mlp_model_export(x_val[:10]).numpy()
save_path = os.path.join(os.getcwd(), "mlp_model_export")
tf.saved_model.save(mlp_model_export, save_path)
mlp_loaded = tf.saved_model.load(save_path)
loaded_preds = mlp_loaded(x_val[:10]).numpy()
assert loaded_preds.dtype == np.int64
assert loaded_preds.tolist() == expected.tolist()
assert float(np.mean(mlp_loaded(x_val).numpy() == y_val)) > 0.9

print("core_mlp_module_tutorial OK")
