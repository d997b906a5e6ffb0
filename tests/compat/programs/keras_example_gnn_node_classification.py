# keras.io "Node Classification with Graph Neural Networks", small: a GraphConvLayer
# (feed-forward message preparation, aggregation with tf.math.unsorted_segment_mean / sum /
# max over the edges' target nodes, gated update by concatenation), a GNNNodeClassifier
# keras.Model holding the graph (node features, edges, edge weights) that takes node
# indices as input and gathers their embeddings; trained with sparse labels on a
# synthetic two-community graph.
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

keras.utils.set_random_seed(17)
rng = np.random.default_rng(17)
num_nodes, num_features, num_classes = 120, 6, 3
labels = rng.integers(0, num_classes, num_nodes)
# edges mostly inside a class; node features only weakly informative
src, dst = [], []
for i in range(num_nodes):
    same = np.where(labels == labels[i])[0]
    for j in rng.choice(same, 8, replace=False):
        src.append(i)
        dst.append(j)
    other = rng.integers(0, num_nodes)
    src.append(i)
    dst.append(other)
edges = np.array([src, dst], "int64")
node_features = (
    rng.normal(size=(num_nodes, num_features)) + 0.4 * np.eye(num_classes, num_features)[labels]
).astype("float32")
edge_weights = tf.ones(shape=edges.shape[1])
graph_info = (node_features, edges, edge_weights)

# the segment reductions the layer relies on
data = tf.constant([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0], [7.0, 8.0]])
seg = tf.constant([0, 2, 0, 2])
np.testing.assert_allclose(
    tf.math.unsorted_segment_mean(data, seg, num_segments=3).numpy(),
    [[3.0, 4.0], [0.0, 0.0], [5.0, 6.0]],
)
np.testing.assert_allclose(
    tf.math.unsorted_segment_sum(data, seg, num_segments=3).numpy(),
    [[6.0, 8.0], [0.0, 0.0], [10.0, 12.0]],
)
seg_max = tf.math.unsorted_segment_max(data, seg, num_segments=3).numpy()
np.testing.assert_allclose(seg_max[[0, 2]], [[5.0, 6.0], [7.0, 8.0]])
assert seg_max[1, 0] < -1e30  # an empty segment holds the lowest float


def create_ffn(hidden_units, dropout_rate, name=None):
    fnn_layers = []
    for units in hidden_units:
        fnn_layers.append(layers.BatchNormalization(momentum=0.9))  # a short run
        fnn_layers.append(layers.Dropout(dropout_rate))
        fnn_layers.append(layers.Dense(units, activation=tf.nn.gelu))
    return keras.Sequential(fnn_layers, name=name)


class GraphConvLayer(layers.Layer):
    def __init__(
        self,
        hidden_units,
        dropout_rate=0.2,
        aggregation_type="mean",
        combination_type="concat",
        normalize=False,
        *args,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.aggregation_type = aggregation_type
        self.combination_type = combination_type
        self.normalize = normalize
        self.ffn_prepare = create_ffn(hidden_units, dropout_rate)
        self.update_fn = create_ffn(hidden_units, dropout_rate)

    def prepare(self, node_repesentations, weights=None):
        messages = self.ffn_prepare(node_repesentations)
        if weights is not None:
            messages = messages * tf.expand_dims(weights, -1)
        return messages

    def aggregate(self, node_indices, neighbour_messages, node_repesentations):
        num_nodes = node_repesentations.shape[0]
        if self.aggregation_type == "sum":
            aggregated_message = tf.math.unsorted_segment_sum(
                neighbour_messages, node_indices, num_segments=num_nodes
            )
        elif self.aggregation_type == "mean":
            aggregated_message = tf.math.unsorted_segment_mean(
                neighbour_messages, node_indices, num_segments=num_nodes
            )
        elif self.aggregation_type == "max":
            aggregated_message = tf.math.unsorted_segment_max(
                neighbour_messages, node_indices, num_segments=num_nodes
            )
        else:
            raise ValueError(f"Invalid aggregation type: {self.aggregation_type}.")
        return aggregated_message

    def update(self, node_repesentations, aggregated_messages):
        h = tf.concat([node_repesentations, aggregated_messages], axis=1)
        node_embeddings = self.update_fn(h)
        if self.normalize:
            node_embeddings = tf.nn.l2_normalize(node_embeddings, axis=-1)
        return node_embeddings

    def call(self, inputs):
        node_repesentations, edges, edge_weights = inputs
        node_indices, neighbour_indices = edges[0], edges[1]
        neighbour_repesentations = tf.gather(node_repesentations, neighbour_indices)
        neighbour_messages = self.prepare(neighbour_repesentations, edge_weights)
        aggregated_messages = self.aggregate(node_indices, neighbour_messages, node_repesentations)
        return self.update(node_repesentations, aggregated_messages)


class GNNNodeClassifier(keras.Model):
    def __init__(
        self,
        graph_info,
        num_classes,
        hidden_units,
        aggregation_type="sum",
        combination_type="concat",
        dropout_rate=0.2,
        normalize=True,
        *args,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        node_features, edges, edge_weights = graph_info
        self.node_features = node_features
        self.edges = edges
        self.edge_weights = edge_weights
        if self.edge_weights is None:
            self.edge_weights = tf.ones(shape=edges.shape[1])
        # scaled to a mean of 1 (keras.io: a sum of 1, which a short run's BatchNormalization
        # moving statistics cannot follow)
        self.edge_weights = self.edge_weights / tf.math.reduce_mean(self.edge_weights)
        self.preprocess = create_ffn(hidden_units, dropout_rate, name="preprocess")
        self.conv1 = GraphConvLayer(
            hidden_units,
            dropout_rate,
            aggregation_type,
            combination_type,
            normalize,
            name="graph_conv1",
        )
        self.conv2 = GraphConvLayer(
            hidden_units,
            dropout_rate,
            aggregation_type,
            combination_type,
            normalize,
            name="graph_conv2",
        )
        self.postprocess = create_ffn(hidden_units, dropout_rate, name="postprocess")
        self.compute_logits = layers.Dense(units=num_classes, name="logits")

    def call(self, input_node_indices):
        x = self.preprocess(self.node_features)
        x1 = self.conv1((x, self.edges, self.edge_weights))
        x = x1 + x
        x2 = self.conv2((x, self.edges, self.edge_weights))
        x = x2 + x
        x = self.postprocess(x)
        node_embeddings = tf.gather(x, input_node_indices)
        return self.compute_logits(node_embeddings)


def run(aggregation_type):
    model = GNNNodeClassifier(
        graph_info=graph_info,
        num_classes=num_classes,
        hidden_units=[16, 16],
        aggregation_type=aggregation_type,
        dropout_rate=0.1,
        name="gnn_model",
    )
    out = model(np.array([1, 10, 100]))
    assert out.shape == (3, num_classes), out.shape
    model.compile(
        optimizer=keras.optimizers.Adam(0.01),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=[keras.metrics.SparseCategoricalAccuracy(name="acc")],
    )
    train_idx = np.arange(0, 80)
    test_idx = np.arange(80, num_nodes)
    model.fit(x=train_idx, y=labels[train_idx], epochs=20, batch_size=16, verbose=0)
    _, test_accuracy = model.evaluate(x=test_idx, y=labels[test_idx], verbose=0)
    return model, test_accuracy


model, acc_mean = run("mean")
assert acc_mean > 0.8, acc_mean
# edge weights were scaled to a mean of one
np.testing.assert_allclose(float(tf.reduce_mean(model.edge_weights)), 1.0, rtol=1e-6)
assert model.compute_logits.kernel.shape == (16, num_classes)
assert len(model.conv1.update_fn.layers) == 6  # BatchNormalization, Dropout, Dense twice
# a plain MLP on the node features alone does worse than the graph model
mlp = keras.Sequential(
    [keras.Input((num_features,)), layers.Dense(16, activation="relu"), layers.Dense(num_classes)]
)
mlp.compile(
    optimizer=keras.optimizers.Adam(0.01),
    loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    metrics=["accuracy"],
)
mlp.fit(node_features[:80], labels[:80], epochs=20, batch_size=16, verbose=0)
mlp_acc = mlp.evaluate(node_features[80:], labels[80:], verbose=0)[1]
assert acc_mean > mlp_acc, (acc_mean, mlp_acc)
print("GNN accuracy", acc_mean, "MLP", mlp_acc)
