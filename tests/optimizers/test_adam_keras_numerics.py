"""Adam's step in the variable's dtype, as Keras computes it (gpuflow/optimizers/adam.py)."""

from __future__ import annotations

import gpuflow as gf


def test_three_adam_steps_equal_keras_on_tensorflow_to_the_bit():
    # TF 2.21 / Keras 3.15 after the same three apply_gradients calls
    v = gf.Variable([1.0, -2.0, 3.0])
    opt = gf.keras.optimizers.Adam(0.01)
    for g in ([0.5, 0.25, -2.0], [0.1, -0.3, 0.2], [1.0, 1.0, 1.0]):
        opt.apply_gradients([(gf.constant(g), v)])
    assert v.numpy().tolist() == [0.9734601378440857, -2.014119863510132, 3.017179489135742]
