"""Write ``feature_space.keras`` (a Keras 3 FeatureSpace: integer, string, discretized,
normalized, rescaled and hashed features, a one-hot and an int cross, dict output) and
``feature_space_expected.npz`` (its inputs and Keras' outputs), for
tests/saving/test_keras_feature_space_file.py. Run once with real Keras 3 (TensorFlow):

    /path/to/tf-venv/bin/python tests/saving/reference/make_feature_space_file.py
"""

from pathlib import Path

import numpy as np
import tensorflow as tf
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


def main():
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
