# keras.io "Graph attention network (GAT) for node classification": a subclassed model that
# holds the whole graph and whose call() receives node indices (int64 arrays) and gathers
# their rows; attention normalised per target node with ops.segment_sum; fit / evaluate /
# predict on the index arrays (the model is built on integer data, not float zeros).
import os

os.environ["KERAS_BACKEND"] = "tensorflow"

import keras
import numpy as np
from keras import layers, ops

keras.utils.set_random_seed(7)
rng = np.random.default_rng(3)
num_nodes, num_feats, num_classes = 40, 12, 3
edge_list = rng.integers(0, num_nodes, (120, 2))
features = (rng.random((num_nodes, num_feats)) < 0.3).astype("float32")
node_labels = rng.integers(0, num_classes, num_nodes)


class NodeAttention(layers.Layer):
    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.units = units

    def build(self, input_shape):
        feat_dim = input_shape[0][-1]
        self.w = self.add_weight(shape=(feat_dim, self.units), initializer="glorot_uniform")
        self.a = self.add_weight(shape=(2 * self.units, 1), initializer="glorot_uniform")

    def call(self, inputs):
        states, edges = inputs
        z = ops.matmul(states, self.w)
        targets, sources = edges[:, 0], edges[:, 1]
        pair = ops.concatenate([ops.take(z, targets, axis=0), ops.take(z, sources, axis=0)], -1)
        scores = ops.exp(ops.clip(ops.squeeze(ops.leaky_relu(ops.matmul(pair, self.a)), -1), -2, 2))
        n = ops.shape(states)[0]
        totals = ops.segment_sum(scores, targets, num_segments=n)
        weights = scores / (ops.take(totals, targets, axis=0) + 1e-8)
        messages = ops.take(z, sources, axis=0) * ops.expand_dims(weights, -1)
        return ops.segment_sum(messages, targets, num_segments=n)


class GraphClassifier(keras.Model):
    def __init__(self, states, edges, **kwargs):
        super().__init__(**kwargs)
        self.states, self.edges = states, edges
        self.embed = layers.Dense(8, activation="relu")
        self.heads = [NodeAttention(4) for _ in range(2)]
        self.head = layers.Dense(num_classes)

    def call(self, node_ids):
        x = self.embed(self.states)
        x = ops.relu(ops.concatenate([h([x, self.edges]) for h in self.heads], -1)) + x
        return ops.take(self.head(x), node_ids, axis=0)


states = ops.convert_to_tensor(features)
edges = ops.convert_to_tensor(edge_list, dtype="int32")

# one attention layer maps every node to its aggregated message
att = NodeAttention(4)
out = att([states, edges])
assert tuple(out.shape) == (num_nodes, 4)

model = GraphClassifier(states, edges)
model.compile(
    optimizer=keras.optimizers.SGD(learning_rate=0.05, momentum=0.9),
    loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    metrics=["accuracy"],
)
order = rng.permutation(num_nodes)
train_ids, test_ids = order[:30], order[30:]
assert train_ids.dtype == np.int64
history = model.fit(
    train_ids,
    node_labels[train_ids],
    batch_size=10,
    epochs=3,
    validation_split=0.2,
    callbacks=[keras.callbacks.EarlyStopping(monitor="val_accuracy", patience=5)],
    verbose=0,
)
assert sorted(history.history) == ["accuracy", "loss", "val_accuracy", "val_loss"]
assert len(history.history["loss"]) == 3
assert all(np.isfinite(history.history["loss"]))
loss, acc = model.evaluate(test_ids, node_labels[test_ids], verbose=0)
assert np.isfinite(loss) and 0.0 <= acc <= 1.0
logits = model.predict(test_ids, verbose=0)
assert logits.shape == (10, num_classes) and logits.dtype == np.float32
probs = ops.convert_to_numpy(ops.softmax(logits))
np.testing.assert_allclose(probs.sum(-1), np.ones(10), rtol=1e-5)
# a gathered row is the same whether asked alone or in a batch
single = model.predict(test_ids[:1], verbose=0)
np.testing.assert_allclose(single[0], logits[0], rtol=1e-5, atol=1e-6)
print("ok")
