# keras.io "Classification with Neural Decision Forests", small and synthetic: a
# NeuralDecisionTree keras.Model with a random feature mask (a constant tensor), leaf class
# weights pi from add_weight, sigmoid routing decisions concatenated with their complements,
# the level-by-level routing probabilities mu (ops.reshape / tile with the dynamic batch
# size, ops.ones of it), a NeuralDecisionForest averaging its trees, both used as a layer on
# a functional model's BatchNormalization output.
import numpy as np
from tensorflow import keras
from tensorflow.keras import layers, ops

keras.utils.set_random_seed(51)
np.random.seed(51)
rng = np.random.default_rng(51)

num_classes = 3
n, num_features = 900, 6
x = rng.normal(size=(n, num_features)).astype("float32")
y = np.where(x[:, 0] > 0.5, 2, (x[:, 1] + x[:, 2] > 0).astype(int)).astype("int64")
depth = 3
used_features_rate = 1.0


class NeuralDecisionTree(keras.Model):
    def __init__(self, depth, num_features, used_features_rate, num_classes):
        super().__init__()
        self.depth = depth
        self.num_leaves = 2**depth
        self.num_classes = num_classes
        num_used_features = int(num_features * used_features_rate)
        one_hot = np.eye(num_features)
        sampled_feature_indices = np.random.choice(
            np.arange(num_features), num_used_features, replace=False
        )
        self.used_features_mask = ops.convert_to_tensor(
            one_hot[sampled_feature_indices], dtype="float32"
        )
        self.pi = self.add_weight(
            initializer="random_normal",
            shape=[self.num_leaves, self.num_classes],
            dtype="float32",
            trainable=True,
        )
        self.decision_fn = layers.Dense(
            units=self.num_leaves, activation="sigmoid", name="decision"
        )

    def call(self, features):
        batch_size = ops.shape(features)[0]
        features = ops.matmul(features, ops.transpose(self.used_features_mask))
        decisions = ops.expand_dims(self.decision_fn(features), axis=2)
        decisions = layers.concatenate([decisions, 1 - decisions], axis=2)
        mu = ops.ones([batch_size, 1, 1])
        begin_idx = 1
        end_idx = 2
        for level in range(self.depth):
            mu = ops.reshape(mu, [batch_size, -1, 1])
            mu = ops.tile(mu, (1, 1, 2))
            level_decisions = decisions[:, begin_idx:end_idx, :]
            mu = mu * level_decisions
            begin_idx = end_idx
            end_idx = begin_idx + 2 ** (level + 1)
        mu = ops.reshape(mu, [batch_size, self.num_leaves])
        probabilities = keras.activations.softmax(self.pi)
        outputs = ops.matmul(mu, probabilities)
        return outputs


class NeuralDecisionForest(keras.Model):
    def __init__(self, num_trees, depth, num_features, used_features_rate, num_classes):
        super().__init__()
        self.ensemble = []
        for _ in range(num_trees):
            self.ensemble.append(
                NeuralDecisionTree(depth, num_features, used_features_rate, num_classes)
            )

    def call(self, inputs):
        batch_size = ops.shape(inputs)[0]
        outputs = ops.zeros([batch_size, num_classes])
        for tree in self.ensemble:
            outputs += tree(inputs)
        outputs /= len(self.ensemble)
        return outputs


# the routing probabilities of every row sum to one over the leaves, so do the outputs
tree = NeuralDecisionTree(depth, num_features, 0.5, num_classes)
assert tuple(tree.used_features_mask.shape) == (3, num_features)
out = tree(x[:5])
assert tuple(out.shape) == (5, num_classes)
np.testing.assert_allclose(np.asarray(out).sum(axis=1), 1.0, rtol=1e-5)
assert len(tree.trainable_weights) == 3  # pi, decision kernel and bias


def create_model(model_factory):
    inputs = layers.Input(shape=(num_features,))
    features = layers.BatchNormalization()(inputs)
    outputs = model_factory()(features)
    return keras.Model(inputs=inputs, outputs=outputs)


def run_experiment(model):
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=0.02),
        loss=keras.losses.SparseCategoricalCrossentropy(),
        metrics=[keras.metrics.SparseCategoricalAccuracy()],
    )
    history = model.fit(x[:700], y[:700], batch_size=64, epochs=15, verbose=0)
    _, accuracy = model.evaluate(x[700:], y[700:], verbose=0)
    return history, accuracy


tree_model = create_model(
    lambda: NeuralDecisionTree(depth, num_features, used_features_rate, num_classes)
)
history, tree_accuracy = run_experiment(tree_model)
assert history.history["loss"][-1] < 0.6 * history.history["loss"][0], history.history["loss"]
assert tree_accuracy > 0.75, tree_accuracy  # the majority class holds about 0.36

forest_model = create_model(lambda: NeuralDecisionForest(3, depth, num_features, 0.5, num_classes))
forest = forest_model.layers[-1]
assert len(forest.ensemble) == 3 and len(forest.trainable_weights) == 9
_, forest_accuracy = run_experiment(forest_model)
assert forest_accuracy > 0.6, forest_accuracy
probs = forest_model.predict(x[700:], verbose=0)
np.testing.assert_allclose(probs.sum(axis=1), 1.0, rtol=1e-5)
print("decision forest ok", tree_accuracy, forest_accuracy)
