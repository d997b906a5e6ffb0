# The "Logistic regression for binary classification with Core APIs" guide on synthetic
# data: a Normalize module, a LogisticRegression tf.Module with lazily built Variables,
# sigmoid_cross_entropy_with_logits, a tf.data training loop with tf.function steps,
# an ExportModule with an input_signature, and tf.saved_model save / load.
import numpy as np
import tensorflow as tf

tf.random.set_seed(42)
rng = np.random.default_rng(42)
n = 600
features = (rng.normal(size=(n, 5)) * [1.0, 5.0, 0.1, 2.0, 10.0] + 3.0).astype("float32")
logits_true = (features - 3.0) @ np.array([1.5, -0.3, 8.0, 0.5, 0.0], dtype="float32")
labels = (logits_true + rng.normal(scale=0.5, size=n) > 0).astype("float32")
x_train, x_test = tf.constant(features[:480]), tf.constant(features[480:])
y_train, y_test = tf.constant(labels[:480]), tf.constant(labels[480:])


class Normalize(tf.Module):
    def __init__(self, x):
        self.mean = tf.Variable(tf.math.reduce_mean(x, axis=0))
        self.std = tf.Variable(tf.math.reduce_std(x, axis=0))

    def norm(self, x):
        return (x - self.mean) / self.std

    def unnorm(self, x):
        return (x * self.std) + self.mean


norm_x = Normalize(x_train)
x_train_norm, x_test_norm = norm_x.norm(x_train), norm_x.norm(x_test)
np.testing.assert_allclose(tf.reduce_mean(x_train_norm, 0).numpy(), 0.0, atol=1e-5)
np.testing.assert_allclose(tf.math.reduce_std(x_train_norm, 0).numpy(), 1.0, atol=1e-5)
np.testing.assert_allclose(
    norm_x.unnorm(x_train_norm).numpy(), features[:480], rtol=1e-4, atol=1e-5
)


def log_loss(y_pred, y):
    ce = tf.nn.sigmoid_cross_entropy_with_logits(labels=y, logits=y_pred)
    return tf.reduce_mean(ce)


class LogisticRegression(tf.Module):
    def __init__(self):
        self.built = False

    def __call__(self, x, train=True):
        if not self.built:
            rand_w = tf.random.uniform(shape=[x.shape[-1], 1], seed=22)
            rand_b = tf.random.uniform(shape=[], seed=22)
            self.w = tf.Variable(rand_w)
            self.b = tf.Variable(rand_b)
            self.built = True
        z = tf.add(tf.matmul(x, self.w), self.b)
        z = tf.squeeze(z, axis=1)
        if train:
            return z
        return tf.sigmoid(z)


log_reg = LogisticRegression()
y_pred = log_reg(x_train_norm[:5], train=False)
assert y_pred.shape == (5,) and bool(tf.reduce_all((y_pred > 0) & (y_pred < 1)))


def predict_class(y_pred, thresh=0.5):
    return tf.cast(y_pred > thresh, tf.float32)


def accuracy(y_pred, y):
    y_pred = tf.math.sigmoid(y_pred)
    y_pred_class = predict_class(y_pred)
    check_equal = tf.cast(y_pred_class == y, tf.float32)
    return tf.reduce_mean(check_equal)


batch_size = 64
train_dataset = tf.data.Dataset.from_tensor_slices((x_train_norm, y_train))
train_dataset = train_dataset.shuffle(buffer_size=x_train.shape[0]).batch(batch_size)
test_dataset = tf.data.Dataset.from_tensor_slices((x_test_norm, y_test)).batch(batch_size)

epochs, learning_rate = 60, 0.05
train_losses, test_accs = [], []
for epoch in range(epochs):
    batch_losses_train, batch_accs_test = [], []
    for x_batch, y_batch in train_dataset:
        with tf.GradientTape() as tape:
            y_pred_batch = log_reg(x_batch)
            batch_loss = log_loss(y_pred_batch, y_batch)
        grads = tape.gradient(batch_loss, log_reg.variables)
        for g, v in zip(grads, log_reg.variables):
            v.assign_sub(learning_rate * g)
        batch_losses_train.append(batch_loss)
    for x_batch, y_batch in test_dataset:
        batch_accs_test.append(accuracy(log_reg(x_batch), y_batch))
    train_losses.append(tf.reduce_mean(batch_losses_train))
    test_accs.append(tf.reduce_mean(batch_accs_test))
assert float(train_losses[-1]) < 0.5 * float(train_losses[0]), (train_losses[0], train_losses[-1])
assert float(test_accs[-1]) > 0.85, float(test_accs[-1])
# tf.Module lists variables by attribute name: b, then w
assert [tuple(v.shape) for v in log_reg.trainable_variables] == [(), (5, 1)]


class ExportModule(tf.Module):
    def __init__(self, model, norm_x, class_pred):
        self.model = model
        self.norm_x = norm_x
        self.class_pred = class_pred

    @tf.function(input_signature=[tf.TensorSpec(shape=[None, None], dtype=tf.float32)])
    def __call__(self, x):
        x = self.norm_x.norm(x)
        y = self.model(x, train=False)
        y = self.class_pred(y)
        return y


log_reg_export = ExportModule(model=log_reg, norm_x=norm_x, class_pred=predict_class)
models_dir = "./models/"
tf.saved_model.save(log_reg_export, models_dir + "log_reg_export")
log_reg_loaded = tf.saved_model.load(models_dir + "log_reg_export")
test_preds = log_reg_loaded(x_test)
assert test_preds.dtype == tf.float32 and test_preds.shape == (120,)
np.testing.assert_array_equal(test_preds.numpy(), log_reg_export(x_test).numpy())
acc = float(tf.reduce_mean(tf.cast(test_preds == y_test, tf.float32)))
np.testing.assert_allclose(acc, float(test_accs[-1]), atol=0.02)
assert log_reg_loaded(x_test[:3]).shape == (3,)
