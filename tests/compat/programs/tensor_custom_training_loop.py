# A custom training loop: linear regression with tf.Variable and hand-written SGD.
import numpy as np
import tensorflow as tf

tf.random.set_seed(7)
TRUE_W, TRUE_B = 3.0, 2.0
x = tf.random.normal([200], seed=1)
noise = tf.random.normal([200], stddev=0.1, seed=2)
y = x * TRUE_W + TRUE_B + noise


class Model:
    def __init__(self):
        self.w = tf.Variable(5.0)
        self.b = tf.Variable(0.0)

    def __call__(self, x):
        return self.w * x + self.b


def loss_fn(target, predicted):
    return tf.reduce_mean(tf.square(target - predicted))


model = Model()
first = float(loss_fn(y, model(x)))
for epoch in range(60):
    with tf.GradientTape() as tape:
        loss = loss_fn(y, model(x))
    dw, db = tape.gradient(loss, [model.w, model.b])
    model.w.assign_sub(0.1 * dw)
    model.b.assign_sub(0.1 * db)
assert float(loss) < 0.02 < first
np.testing.assert_allclose([model.w.numpy(), model.b.numpy()], [TRUE_W, TRUE_B], atol=0.05)

# The same fit with a matrix model, minibatches and an l2 term.
features = tf.random.normal([256, 3], seed=3)
true = tf.constant([[1.0], [-2.0], [0.5]])
targets = features @ true
kernel = tf.Variable(tf.zeros([3, 1]))
for step in range(100):
    start = (step * 32) % 256
    xb, yb = features[start : start + 32], targets[start : start + 32]
    with tf.GradientTape() as tape:
        pred = tf.matmul(xb, kernel)
        loss = tf.reduce_mean((pred - yb) ** 2) + 1e-4 * tf.nn.l2_loss(kernel)
    (grad,) = tape.gradient(loss, [kernel])
    kernel.assign_sub(0.1 * grad)
np.testing.assert_allclose(kernel.numpy(), true.numpy(), atol=0.02)
print("ok")
