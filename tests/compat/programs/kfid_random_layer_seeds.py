"""Random regularization layers own a keras.random.SeedGenerator, as in Keras 3: its state is a
non-trainable variable of the layer, it advances once per training call (also inside fit), and
a seeded layer replays its draws."""

import keras
import numpy as np

keras.utils.set_random_seed(11)
x = np.ones((4, 8), "float32")

makers = {
    "dropout": lambda seed: keras.layers.Dropout(0.5, seed=seed),
    "gaussian_noise": lambda seed: keras.layers.GaussianNoise(0.3, seed=seed),
    "gaussian_dropout": lambda seed: keras.layers.GaussianDropout(0.3, seed=seed),
    "alpha_dropout": lambda seed: keras.layers.AlphaDropout(0.3, seed=seed),
}

for name, make in makers.items():
    for seed in (None, 5):
        layer = make(seed)
        assert layer.built, name
        state = layer.seed_generator.state
        assert [v.path for v in layer.non_trainable_variables] == [state.path], name
        assert state.path.endswith("seed_generator_state") and state.dtype == "int64"
        start = keras.ops.convert_to_numpy(state).tolist()
        if seed is not None:
            assert start == [seed, 0], (name, start)
        first = keras.ops.convert_to_numpy(layer(x, training=True))
        second = keras.ops.convert_to_numpy(layer(x, training=True))
        assert not np.allclose(first, second), name  # a fresh draw per call
        np.testing.assert_array_equal(keras.ops.convert_to_numpy(layer(x)), x)  # inference
        after = keras.ops.convert_to_numpy(state).tolist()
        assert after == [start[0], start[1] + 2], (name, after)
        if seed is not None:  # a seeded layer replays its sequence of draws
            replay = make(seed)
            np.testing.assert_allclose(
                keras.ops.convert_to_numpy(replay(x, training=True)), first, rtol=1e-6
            )

# Layers that never draw have no generator (and no variables).
for quiet in (keras.layers.Dropout(0.0), keras.layers.GaussianNoise(0.0)):
    assert not hasattr(quiet, "seed_generator") and quiet.variables == []

# Inside fit, each training step advances each generator by one.
model = keras.Sequential(
    [
        keras.Input((8,)),
        keras.layers.GaussianNoise(0.1, seed=1, name="noise"),
        keras.layers.Dense(4, activation="relu"),
        keras.layers.Dropout(0.2, seed=2, name="drop"),
        keras.layers.Dense(1),
    ]
)
model.compile(optimizer="sgd", loss="mse")
data = np.random.default_rng(0).random((32, 8)).astype("float32")
model.fit(data, data.sum(axis=1, keepdims=True), batch_size=8, epochs=2, verbose=0)
for layer_name, seed in (("noise", 1), ("drop", 2)):
    state = keras.ops.convert_to_numpy(model.get_layer(layer_name).seed_generator.state)
    assert state.tolist() == [seed, 8], (layer_name, state)  # 4 steps x 2 epochs
model.predict(data, verbose=0)  # inference draws nothing
assert keras.ops.convert_to_numpy(model.get_layer("drop").seed_generator.state).tolist() == [2, 8]

# load_weights restores the trained weights; a clone's generators start from their seeds.
model.save_weights("random.weights.h5")
clone = keras.models.clone_model(model)
clone.load_weights("random.weights.h5")
for layer_name, seed in (("noise", 1), ("drop", 2)):
    state = keras.ops.convert_to_numpy(clone.get_layer(layer_name).seed_generator.state)
    assert state.tolist() == [seed, 0], (layer_name, state)
np.testing.assert_allclose(
    clone.predict(data[:4], verbose=0), model.predict(data[:4], verbose=0), rtol=1e-6
)
print("random layer seed generators: ok")
