"""The new optimizer state (EMA averages, gradient accumulators, Nadam's u_product) goes
through model.save / load_model, and training resumes exactly."""

from __future__ import annotations

import numpy as np

import gpuflow as gf


def _model():
    model = gf.keras.Sequential([gf.keras.Input(shape=(3,)), gf.keras.layers.Dense(1)])
    model.compile(
        optimizer=gf.keras.optimizers.Nadam(
            0.01, use_ema=True, gradient_accumulation_steps=2, weight_decay=0.01
        ),
        loss="mse",
    )
    return model


def test_save_load_resumes_exactly(tmp_path):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(48, 3)).astype("float32")
    y = x.sum(axis=1, keepdims=True)
    model = _model()
    model.fit(x, y, batch_size=16, epochs=1, verbose=0, shuffle=False)  # 3 calls: 1 pending
    # gpuflow's own format holds the whole optimizer state (EMA averages, accumulators);
    # the Keras archive writer does not carry those two yet (docs/saving.md)
    model.save(tmp_path / "m.gpuflow")
    restored = gf.keras.models.load_model(tmp_path / "m.gpuflow")
    before = model.optimizer.get_state(model.trainable_variables)
    after = restored.optimizer.get_state(restored.trainable_variables)
    assert sorted(before) == sorted(after) and "u_product" in after
    assert "0/average" in after and "0/gradient_accumulator" in after
    for key in before:
        np.testing.assert_array_equal(before[key], after[key])
    for m in (model, restored):
        m.fit(x, y, batch_size=16, epochs=1, verbose=0, shuffle=False)
    for a, b in zip(model.get_weights(), restored.get_weights()):
        np.testing.assert_array_equal(a, b)
    assert int(restored.optimizer.iterations) == int(model.optimizer.iterations) == 3


def test_nadam_u_product_variable_is_in_the_variables_dtype_as_keras():
    # Keras 3 builds u_product as an unnamed Variable of the first variable's dtype
    var = gf.Variable(np.ones(2, "float32"))
    opt = gf.keras.optimizers.Nadam()
    for _ in range(3):
        opt.apply_gradients([(gf.constant([0.5, -1.0]), var)])
    u_product = opt.variables[-1]
    assert u_product.dtype == "float32" and u_product.path.startswith("variable")
    u = [0.9 * (1 - 0.5 * 0.96**k) for k in (1, 2, 3)]
    np.testing.assert_allclose(float(u_product.numpy()), np.prod(u), rtol=1e-6)
    # the exact float64 product stays in get_state (training resumes exactly)
    assert opt.get_state([var])["u_product"].dtype == np.float64


def test_adafactor_placeholders_of_small_variables_are_int32_as_keras():
    # Keras 3 keeps a Variable(0) (int32) as r and c of a variable under 2-D
    bias = gf.Variable(np.ones(3, "float32"), name="bias")
    kernel = gf.Variable(np.ones((2, 3), "float32"), name="kernel")
    opt = gf.keras.optimizers.Adafactor()
    for _ in range(2):
        opt.apply_gradients([(gf.constant([0.5, -1.0, 2.0]), bias), (gf.ones((2, 3)), kernel)])
    dtypes = [(v.path, v.dtype, tuple(v.shape)) for v in opt.variables[2:]]
    assert dtypes == [
        ("bias", "int32", ()),
        ("bias", "int32", ()),
        ("adafactor/bias_velocity", "float32", (3,)),
        ("adafactor/kernel", "float32", (2,)),
        ("adafactor/kernel", "float32", (3,)),
        ("adafactor/kernel_velocity", "float32", (2, 3)),
    ]
    store = {}
    opt.save_own_variables(store)
    other = gf.keras.optimizers.Adafactor()
    other.build([bias, kernel])
    other.load_own_variables(store)
    for a, b in zip(opt.variables, other.variables):
        np.testing.assert_array_equal(a.numpy(), b.numpy())
