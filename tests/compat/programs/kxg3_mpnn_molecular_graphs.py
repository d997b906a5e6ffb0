# keras.io "Message-passing neural network (MPNN) for molecular property prediction", on
# random padded graphs instead of RDKit/BBBP: a PyDataset that merges a batch of graphs into
# one disjoint graph (dict of inputs), an edge network with ops.segment_sum, a GRUCell
# called with a bare state tensor, a gated mean+max readout over a per-node indicator
# Input of shape () next to a fixed-size node table, CosineDecay with warmup, AdamW with
# global_clipnorm and class_weight.
import os

os.environ["KERAS_BACKEND"] = "tensorflow"

import keras
import numpy as np
from keras import layers, ops, regularizers

GRAPHS, ATOMS, BONDS, ATOM_DIM, BOND_DIM = 4, 6, 8, 5, 3
rng = np.random.default_rng(6)


def random_graph():
    n = int(rng.integers(2, ATOMS + 1))
    atoms = np.zeros((ATOMS, ATOM_DIM), "float32")
    atoms[:n] = rng.random((n, ATOM_DIM))
    bonds = np.zeros((BONDS, BOND_DIM), "float32")
    pairs = np.zeros((BONDS, 2), "int32")
    for k in range(min(n, BONDS)):
        pairs[k] = [k, (k + 1) % n]
        bonds[k, k % BOND_DIM] = 1.0
    mask = np.zeros((ATOMS,), "float32")
    mask[:n] = 1.0
    return atoms, bonds, pairs, mask


class GraphBatches(keras.utils.PyDataset):
    def __init__(self, graphs, labels, **kwargs):
        super().__init__(**kwargs)
        self.graphs, self.labels = graphs, labels

    def __len__(self):
        return int(np.ceil(len(self.graphs) / GRAPHS))

    def __getitem__(self, idx):
        a = np.zeros((GRAPHS, ATOMS, ATOM_DIM), "float32")
        b = np.zeros((GRAPHS, BONDS, BOND_DIM), "float32")
        p = np.zeros((GRAPHS, BONDS, 2), "int32")
        m = np.zeros((GRAPHS, ATOMS), "float32")
        y = np.zeros((GRAPHS, 1), "float32")
        for i, j in enumerate(range(idx * GRAPHS, min((idx + 1) * GRAPHS, len(self.graphs)))):
            a[i], b[i], p[i], m[i] = self.graphs[j]
            y[i] = self.labels[j]
            p[i] += i * ATOMS  # node numbers in the merged graph
        inputs = {
            "atom_features": ops.convert_to_tensor(a.reshape(-1, ATOM_DIM)),
            "bond_features": ops.convert_to_tensor(b.reshape(-1, BOND_DIM)),
            "pair_indices": ops.convert_to_tensor(p.reshape(-1, 2)),
            "molecule_indicator": ops.convert_to_tensor(np.repeat(np.arange(GRAPHS), ATOMS)),
            "mask": ops.convert_to_tensor(m.reshape(-1)),
        }
        return inputs, ops.convert_to_tensor(y)


class EdgeNetwork(layers.Layer):
    def build(self, input_shape):
        self.atom_dim, bond_dim = input_shape[0][-1], input_shape[1][-1]
        self.kernel = self.add_weight(shape=(bond_dim, self.atom_dim**2))
        self.bias = self.add_weight(shape=(self.atom_dim**2,), initializer="zeros")

    def call(self, inputs):
        atoms, bonds, pairs = inputs
        w = ops.reshape(
            ops.matmul(bonds, self.kernel) + self.bias, (-1, self.atom_dim, self.atom_dim)
        )
        neighbours = ops.take(atoms, ops.cast(pairs[:, 1], "int32"), axis=0)
        messages = ops.squeeze(ops.matmul(w, ops.expand_dims(neighbours, -1)), -1)
        return ops.segment_sum(
            messages, ops.cast(pairs[:, 0], "int32"), num_segments=GRAPHS * ATOMS
        )


class MessagePassing(layers.Layer):
    def __init__(self, units, steps, **kwargs):
        super().__init__(**kwargs)
        self.units, self.steps = units, steps
        self.edges = EdgeNetwork()
        self.gru = layers.GRUCell(units)
        self.norm = layers.LayerNormalization()

    def call(self, inputs):
        atoms, bonds, pairs = inputs
        atoms = ops.pad(atoms, [(0, 0), (0, self.units - ops.shape(atoms)[-1])])
        for _ in range(self.steps):
            new_state, _ = self.gru(self.edges([atoms, bonds, pairs]), atoms)
            atoms = self.norm(new_state)
        return atoms


class GatedReadout(layers.Layer):
    def __init__(self, dim, **kwargs):
        super().__init__(**kwargs)
        self.gate = layers.Dense(dim, activation="sigmoid")
        self.value = layers.Dense(dim, activation="tanh")

    def call(self, inputs):
        nodes, indicator, mask = inputs
        mask = ops.expand_dims(mask, -1)
        gated = self.gate(nodes) * self.value(nodes) * mask
        ids = ops.cast(indicator, "int32")
        mean = ops.segment_sum(gated, ids, num_segments=GRAPHS) / ops.maximum(
            ops.segment_sum(mask, ids, num_segments=GRAPHS), 1e-6
        )
        return ops.concatenate([mean, ops.segment_max(gated, ids, num_segments=GRAPHS)], -1)


atoms_in = layers.Input(shape=(ATOM_DIM,), name="atom_features")
bonds_in = layers.Input(shape=(BOND_DIM,), name="bond_features")
pairs_in = layers.Input(shape=(2,), dtype="int32", name="pair_indices")
indicator_in = layers.Input(shape=(), dtype="int32", name="molecule_indicator")
mask_in = layers.Input(shape=(), name="mask")
nodes = MessagePassing(8, steps=2)([atoms_in, bonds_in, pairs_in])
assert tuple(nodes.shape) == (GRAPHS * ATOMS, 8)
pooled = GatedReadout(6)([nodes, indicator_in, mask_in])
assert tuple(pooled.shape) == (GRAPHS, 12)
hidden = layers.Dense(8, activation="relu", kernel_regularizer=regularizers.l2(1e-3))(pooled)
model = keras.Model(
    [atoms_in, bonds_in, pairs_in, indicator_in, mask_in],
    layers.Dense(1, activation="sigmoid")(layers.Dropout(0.5)(hidden)),
)

schedule = keras.optimizers.schedules.CosineDecay(
    initial_learning_rate=0.0, decay_steps=8, warmup_target=1e-3, warmup_steps=4
)
np.testing.assert_allclose(
    [float(schedule(s)) for s in (0, 2, 4, 8, 12)], [0.0, 5e-4, 1e-3, 5e-4, 0.0], atol=1e-7
)
optimizer = keras.optimizers.AdamW(learning_rate=schedule, weight_decay=1e-3, global_clipnorm=0.5)
model.compile(
    loss="binary_crossentropy", optimizer=optimizer, metrics=[keras.metrics.AUC(name="AUC")]
)
graphs = [random_graph() for _ in range(12)]
labels = np.array([0, 1] * 6)
train, valid = GraphBatches(graphs[:8], labels[:8]), GraphBatches(graphs[8:], labels[8:])
inputs, targets = train[0]
assert tuple(inputs["atom_features"].shape) == (GRAPHS * ATOMS, ATOM_DIM)
assert int(ops.max(inputs["pair_indices"])) < GRAPHS * ATOMS
history = model.fit(
    train, validation_data=valid, epochs=2, verbose=0, class_weight={0: 2.0, 1: 0.5}
)
assert sorted(history.history) == ["AUC", "loss", "val_AUC", "val_loss"]
assert int(optimizer.iterations) == 4
probs = model.predict(valid, verbose=0)
assert probs.shape == (GRAPHS, 1) and ((probs >= 0) & (probs <= 1)).all()
print("ok")
