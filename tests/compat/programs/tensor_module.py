# tf.Module: variables and submodules found through attributes, lists and dicts; training.
import tensorflow as tf


class Dense(tf.Module):
    def __init__(self, in_features, out_features, name=None):
        super().__init__(name=name)
        self.w = tf.Variable(tf.random.normal([in_features, out_features], seed=1), name="w")
        self.b = tf.Variable(tf.zeros([out_features]), name="b")

    def __call__(self, x):
        return tf.nn.relu(x @ self.w + self.b)


class Sequential(tf.Module):
    def __init__(self, name=None):
        super().__init__(name=name)
        self.layers = [Dense(3, 4), Dense(4, 2, name="out")]
        self.extras = {"scale": tf.Variable(1.0, trainable=False)}

    @tf.Module.with_name_scope
    def __call__(self, x):
        for layer in self.layers:
            x = layer(x)
        return x * self.extras["scale"]


model = Sequential(name="the_model")
assert model.name == "the_model"
assert [m.name for m in model.submodules] == ["dense", "out"]
assert len(model.variables) == 5 and len(model.trainable_variables) == 4
assert len(model.layers[0].trainable_variables) == 2
out = model(tf.constant([[1.0, 2.0, 3.0]]))
assert out.shape == (1, 2)


class Counter(tf.Module):
    def __init__(self):
        super().__init__()
        self.count = tf.Variable(0)

    def increment(self):
        self.count.assign_add(1)
        return self.count


c = Counter()
c.increment()
assert int(c.increment().numpy()) == 2 and c.name == "counter"

target = tf.constant([[1.0, 0.5]])
inp = tf.constant([[0.5, -0.2, 0.1]])
losses = []
for _ in range(50):
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum((model(inp) - target) ** 2)
    grads = tape.gradient(loss, model.trainable_variables)
    for v, g in zip(model.trainable_variables, grads):
        if g is not None:
            v.assign_sub(0.05 * g)
    losses.append(float(loss))
assert losses[-1] < losses[0]
print("ok")
