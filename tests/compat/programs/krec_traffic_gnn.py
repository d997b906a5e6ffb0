# keras.io "Traffic forecasting using graph neural networks and LSTM", small: a road graph
# from pairwise distances (Gaussian kernel with sigma2 and epsilon thresholds), windows made
# with keras.utils.timeseries_dataset_from_array, a GraphConv layer (neighbour messages
# gathered with tf.gather and averaged with tf.math.unsorted_segment_mean) and an LSTMGC
# layer (graph conv, then an LSTM per node, then Dense) forecasting every node's speed.
import keras
import numpy as np
import tensorflow as tf
from keras import layers

keras.utils.set_random_seed(59)
rng = np.random.default_rng(59)

num_nodes, num_steps = 6, 460
# nodes on a line 1 km apart: traffic waves travel along it with a lag per node
positions = np.arange(num_nodes, dtype="float64")
route_distances = np.abs(positions[:, None] - positions[None, :]) * 1000.0
tt = np.arange(num_steps)
speeds = np.stack(
    [
        np.sin(2 * np.pi * (tt - 3 * i) / 48.0) + 0.3 * np.sin(2 * np.pi * tt / 17.0 + i)
        for i in range(num_nodes)
    ],
    axis=1,
) + 0.05 * rng.normal(size=(num_steps, num_nodes))
speeds = speeds.astype("float32")


def compute_adjacency_matrix(route_distances, sigma2, epsilon):
    num_routes = route_distances.shape[0]
    route_distances = route_distances / 10000.0
    w2, w_mask = (
        route_distances * route_distances,
        np.ones([num_routes, num_routes]) - np.identity(num_routes),
    )
    return (np.exp(-w2 / sigma2) >= epsilon) * w_mask


class GraphInfo:
    def __init__(self, edges, num_nodes):
        self.edges = edges
        self.num_nodes = num_nodes


adjacency_matrix = compute_adjacency_matrix(route_distances, sigma2=0.1, epsilon=0.5)
node_indices, neighbor_indices = np.where(adjacency_matrix == 1)
graph = GraphInfo(
    edges=(node_indices.tolist(), neighbor_indices.tolist()), num_nodes=adjacency_matrix.shape[0]
)
# exp(-d^2/0.1) >= 0.5 keeps pairs closer than ~2.6 km: each node links to 2 per side
assert adjacency_matrix.sum(axis=1).tolist() == [2, 3, 4, 4, 3, 2]
assert not adjacency_matrix.diagonal().any()


class GraphConv(layers.Layer):
    def __init__(
        self,
        in_feat,
        out_feat,
        graph_info,
        aggregation_type="mean",
        combination_type="concat",
        activation=None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.in_feat = in_feat
        self.out_feat = out_feat
        self.graph_info = graph_info
        self.aggregation_type = aggregation_type
        self.combination_type = combination_type
        self.weight = self.add_weight(
            initializer=keras.initializers.GlorotUniform(),
            shape=(in_feat, out_feat),
            dtype="float32",
            trainable=True,
        )
        self.activation = layers.Activation(activation)

    def aggregate(self, neighbour_representations):
        aggregation_func = {
            "sum": tf.math.unsorted_segment_sum,
            "mean": tf.math.unsorted_segment_mean,
            "max": tf.math.unsorted_segment_max,
        }.get(self.aggregation_type)
        return aggregation_func(
            neighbour_representations,
            self.graph_info.edges[0],
            num_segments=self.graph_info.num_nodes,
        )

    def compute_nodes_representation(self, features):
        return tf.matmul(features, self.weight)

    def compute_aggregated_messages(self, features):
        neighbour_representations = tf.gather(features, self.graph_info.edges[1])
        aggregated_messages = self.aggregate(neighbour_representations)
        return tf.matmul(aggregated_messages, self.weight)

    def update(self, nodes_representation, aggregated_messages):
        if self.combination_type == "concat":
            h = tf.concat([nodes_representation, aggregated_messages], axis=-1)
        else:
            h = nodes_representation + aggregated_messages
        return self.activation(h)

    def call(self, features):
        """features: [num_nodes, batch_size, input_seq_len, in_feat]"""
        nodes_representation = self.compute_nodes_representation(features)
        aggregated_messages = self.compute_aggregated_messages(features)
        return self.update(nodes_representation, aggregated_messages)


class LSTMGC(layers.Layer):
    def __init__(
        self,
        in_feat,
        out_feat,
        lstm_units,
        input_seq_len,
        output_seq_len,
        graph_info,
        graph_conv_params=None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.graph_conv = GraphConv(in_feat, out_feat, graph_info, **(graph_conv_params or {}))
        self.lstm = layers.LSTM(lstm_units, activation="relu")
        self.dense = layers.Dense(output_seq_len)
        self.input_seq_len, self.output_seq_len = input_seq_len, output_seq_len

    def call(self, inputs):
        """inputs: [batch_size, input_seq_len, num_nodes, in_feat]"""
        inputs = tf.transpose(inputs, [2, 0, 1, 3])
        gcn_out = self.graph_conv(inputs)
        shape = tf.shape(gcn_out)
        num_nodes, batch_size, input_seq_len, out_feat = shape[0], shape[1], shape[2], shape[3]
        gcn_out = tf.reshape(gcn_out, (batch_size * num_nodes, input_seq_len, out_feat))
        lstm_out = self.lstm(gcn_out)
        dense_output = self.dense(lstm_out)
        output = tf.reshape(dense_output, (num_nodes, batch_size, self.output_seq_len))
        return tf.transpose(output, [1, 2, 0])  # [batch_size, output_seq_len, num_nodes]


# the layer's aggregation against NumPy on one tiny input
gc = GraphConv(1, 2, graph, aggregation_type="mean", combination_type="concat")
feat = rng.normal(size=(num_nodes, 1, 1, 1)).astype("float32")
out = gc(feat).numpy()
w = gc.weight.numpy()
mean_nb = np.stack([feat[adjacency_matrix[i] == 1].mean(axis=0) for i in range(num_nodes)])
np.testing.assert_allclose(out[..., 2:], mean_nb @ w, rtol=1e-5, atol=1e-6)
np.testing.assert_allclose(out[..., :2], feat @ w, rtol=1e-5, atol=1e-6)

input_sequence_length, forecast_horizon, batch_size = 12, 3, 32


def create_tf_dataset(data_array, shuffle=True):
    inputs = keras.utils.timeseries_dataset_from_array(
        np.expand_dims(data_array[:-forecast_horizon], axis=-1),
        None,
        sequence_length=input_sequence_length,
        shuffle=False,
        batch_size=batch_size,
    )
    target_offset = input_sequence_length
    targets = keras.utils.timeseries_dataset_from_array(
        data_array[target_offset:],
        None,
        sequence_length=forecast_horizon,
        shuffle=False,
        batch_size=batch_size,
    )
    dataset = tf.data.Dataset.zip((inputs, targets))
    if shuffle:
        dataset = dataset.shuffle(100, seed=1)
    return dataset.prefetch(16).cache()


train_array, val_array = speeds[:370], speeds[370:]
train_dataset = create_tf_dataset(train_array)
val_dataset = create_tf_dataset(val_array, shuffle=False)
xb, yb = next(iter(create_tf_dataset(train_array, shuffle=False)))
assert tuple(xb.shape) == (32, 12, num_nodes, 1) and tuple(yb.shape) == (32, 3, num_nodes)
np.testing.assert_allclose(yb[0].numpy(), train_array[12:15])
np.testing.assert_allclose(xb[1, :, :, 0].numpy(), train_array[1:13])

inputs = layers.Input((input_sequence_length, graph.num_nodes, 1))
st_gcn = LSTMGC(
    1,
    8,
    16,
    input_sequence_length,
    forecast_horizon,
    graph,
    {"aggregation_type": "mean", "combination_type": "concat", "activation": None},
)
outputs = st_gcn(inputs)
model = keras.models.Model(inputs, outputs)
model.compile(
    optimizer=keras.optimizers.RMSprop(learning_rate=0.005), loss=keras.losses.MeanSquaredError()
)
hist = model.fit(train_dataset, validation_data=val_dataset, epochs=8, verbose=0)
assert hist.history["loss"][-1] < 0.5 * hist.history["loss"][0], hist.history["loss"]

x_test, y = next(iter(val_dataset))
y_pred = model.predict(x_test, verbose=0)
assert y_pred.shape == (32, 3, num_nodes)
mse = float(np.mean((y_pred - y.numpy()) ** 2))
variance = float(np.var(y.numpy()))
assert mse < 0.3 * variance, (mse, variance)
print("forecast mse", mse, "target variance", variance)
