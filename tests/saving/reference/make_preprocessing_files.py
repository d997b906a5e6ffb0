"""Write the Keras 3 preprocessing files tests/saving/test_keras_preprocessing_files.py loads:

- ``feature_space.keras``: a FeatureSpace (integer, string, discretized, normalized, rescaled
  and hashed features, a one-hot and an int cross, dict output), and
  ``feature_space_expected.npz`` (its inputs and Keras' outputs);
- ``preprocessing.keras``: a functional model over adapted Normalization, Discretization,
  StringLookup, IntegerLookup, TextVectorization (tf-idf), Hashing, HashedCrossing,
  CategoryEncoding and Rescaling layers (Keras keeps the vocabularies as assets), and
  ``preprocessing_expected.npz``.

Run once with real Keras 3 (TensorFlow):

    /path/to/tf-venv/bin/python tests/saving/reference/make_preprocessing_files.py
"""

from pathlib import Path

import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras.utils import FeatureSpace

HERE = Path(__file__).parent


def columns():
    rng = np.random.default_rng(0)
    n = 100
    return {
        "sex": rng.integers(0, 2, n).astype("int64"),
        "age": rng.integers(29, 78, n).astype("int64"),
        "chol": rng.normal(240.0, 50.0, n),
        "thal": rng.choice(np.array(["fixed", "normal", "reversible"]), n),
        "h": rng.choice(np.array(["x", "y", "z"]), n),
        "r": rng.random(n) * 10,
    }


def preprocessing_model():
    layers = keras.layers
    s = keras.Input((1,), dtype="string", name="s")
    i = keras.Input((1,), dtype="int64", name="i")
    f = keras.Input((1,), name="f")
    t = keras.Input((), dtype="string", name="t")
    norm = layers.Normalization()
    norm.adapt(np.array([[1.0], [2.0], [4.0]]))
    disc = layers.Discretization(num_bins=3)
    disc.adapt(np.array([[1.0], [2.0], [4.0], [8.0]]))
    strings = layers.StringLookup(output_mode="one_hot")
    strings.adapt(np.array([["a"], ["b"], ["b"]]))
    ints = layers.IntegerLookup(output_mode="multi_hot")
    ints.adapt(np.array([[3], [5], [5]]))
    text = layers.TextVectorization(max_tokens=10, output_mode="tf_idf")
    text.adapt(np.array(["x y", "y z z"]))
    parts = [
        norm(f),
        layers.CategoryEncoding(3, output_mode="one_hot")(disc(f)),
        strings(s),
        ints(i),
        layers.Hashing(5, output_mode="one_hot")(s),
        layers.CategoryEncoding(4)(layers.HashedCrossing(4)([s, i])),
        text(t),
        layers.Rescaling(0.5)(f),
    ]
    out = layers.Dense(1, kernel_initializer="ones")(layers.concatenate(parts))
    model = keras.Model({"s": s, "i": i, "f": f, "t": t}, out)
    x = {
        "s": np.array([["a"], ["c"]]),
        "i": np.array([[5], [7]]),
        "f": np.array([[3.0], [9.0]], "float32"),
        "t": np.array(["x z", "q"]),
    }
    model.save(HERE / "preprocessing.keras")
    np.savez(
        HERE / "preprocessing_expected.npz",
        **{f"x_{k}": v for k, v in x.items()},
        y=np.asarray(model(x)),
    )


def main():
    preprocessing_model()
    cols = columns()
    space = FeatureSpace(
        features={
            "sex": FeatureSpace.integer_categorical(),
            "age": FeatureSpace.float_discretized(num_bins=5),
            "chol": FeatureSpace.float_normalized(),
            "thal": FeatureSpace.string_categorical(),
            "h": FeatureSpace.string_hashed(num_bins=4),
            "r": FeatureSpace.float_rescaled(scale=0.1),
        },
        crosses=[
            FeatureSpace.cross(("sex", "age"), crossing_dim=8),
            FeatureSpace.cross(("thal", "h"), crossing_dim=4, output_mode="int"),
        ],
        output_mode="dict",
    )
    space.adapt(tf.data.Dataset.from_tensor_slices(cols).batch(16))
    sample = {k: v[:5] for k, v in cols.items()}
    out = space(sample)
    space.save(HERE / "feature_space.keras")
    np.savez(
        HERE / "feature_space_expected.npz",
        **{f"x_{k}": v for k, v in sample.items()},
        **{f"y_{k}": np.asarray(v) for k, v in out.items()},
    )


if __name__ == "__main__":
    main()
