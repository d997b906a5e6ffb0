"""bfloat16 (ml_dtypes' type, as TensorFlow): DType properties, casts, arithmetic, matmul in
float32 rounded back, gradients, layers and the mixed_bfloat16 policy. Expected numbers
were produced by TensorFlow 2.21."""

from __future__ import annotations

import ml_dtypes
import numpy as np
import pytest

import gpuflow as gf
from gpuflow import dtypes
from gpuflow.keras import mixed_precision
from gpuflow.mixed_precision import LossScaleOptimizer

BF = gf.bfloat16
X = [[0.1, 1.7, -2.3], [3.14159, 100.5, 1e-3]]
W = [[0.3, -1.1], [0.7, 0.25], [-0.9, 1.9]]


def _f32(t):
    return t.numpy().astype(np.float32).tolist()


def test_dtype_properties_as_tensorflow():
    assert BF.name == "bfloat16" and str(BF) == "<dtype: 'bfloat16'>" and repr(BF) == "tf.bfloat16"
    assert BF.is_floating and not BF.is_integer and not BF.is_complex and BF.size == 2
    assert BF.as_numpy_dtype is ml_dtypes.bfloat16 and BF.as_datatype_enum == 14
    assert float(BF.max) == 3.3895313892515355e38 and float(BF.min) == -3.3895313892515355e38
    assert BF.real_dtype is BF and BF.limits == (BF.min, BF.max)
    for spelling in ("bfloat16", 14, ml_dtypes.bfloat16, np.dtype(ml_dtypes.bfloat16), BF):
        assert gf.as_dtype(spelling) is BF
    assert gf.dtypes.bfloat16 is BF and BF in dtypes.FLOAT_TYPES and dtypes.is_floating(BF)
    assert dtypes.kind(np.dtype(ml_dtypes.bfloat16)) == "f" and BF.kind == "f"


def test_cast_rounds_to_nearest_and_numpy_is_an_ml_dtypes_array():
    b = gf.cast(gf.constant(X), BF)
    assert b.dtype == BF
    assert _f32(b) == [[0.10009765625, 1.703125, -2.296875], [3.140625, 100.5, 0.00099945068359375]]
    arr = b.numpy()
    assert arr.dtype == np.dtype(ml_dtypes.bfloat16)
    assert gf.constant(arr).dtype == BF  # an ml_dtypes array keeps its dtype
    assert gf.constant(X, dtype=BF).numpy().tolist() == arr.tolist()
    assert gf.cast(b, gf.int32).numpy().tolist() == [[0, 1, -2], [3, 100, 0]]
    assert gf.cast(b, gf.float32).dtype == gf.float32


def test_arithmetic_reductions_and_matmul_match_tensorflow():
    b, w = gf.cast(gf.constant(X), BF), gf.cast(gf.constant(W), BF)
    assert _f32(gf.matmul(b, w)) == [[3.28125, -4.03125], [71.0, 21.625]]
    assert (b @ w).dtype == BF
    s = gf.reduce_sum(b)
    assert s.dtype == BF and float(s) == 103.0
    assert _f32(gf.reduce_mean(b, 1)) == [-0.1640625, 34.5]
    assert _f32(gf.exp(b[0])) == [1.1015625, 5.5, 0.1005859375]
    assert _f32(b / 3) == [
        [0.033447265625, 0.56640625, -0.765625],
        [1.046875, 33.5, 0.0003337860107421875],
    ]
    assert (b * 2.5).dtype == BF and (b + 1).dtype == BF
    assert gf.einsum("ij,jk->ik", b, w).numpy().tolist() == gf.matmul(b, w).numpy().tolist()
    assert _f32(gf.linspace(gf.constant(0.0, BF), 1.0, 4)) == [0.0, 0.333984375, 0.66796875, 1.0]


def test_max_pool_and_segment_max_fill_with_bfloat16_limits():
    img = gf.cast(gf.reshape(gf.range(16, dtype=gf.float32), (1, 4, 4, 1)) - 20.0, BF)
    out = gf.nn.max_pool2d(img, 2, 2, "SAME")
    assert out.dtype == BF and _f32(gf.reshape(out, [-1])) == [-15.0, -13.0, -7.0, -5.0]
    values, argmax = gf.nn.max_pool_with_argmax(img, 2, 2, "SAME")
    assert values.dtype == BF and _f32(gf.reshape(values, [-1])) == [-15.0, -13.0, -7.0, -5.0]
    assert gf.reshape(argmax, [-1]).numpy().tolist() == [5, 7, 13, 15]


def test_gradients_through_bfloat16_ops_and_casts():
    b = gf.cast(gf.constant(X), BF)
    v = gf.Variable(gf.cast(gf.constant(W), BF))
    with gf.GradientTape() as tape:
        y = gf.reduce_sum(gf.square(gf.matmul(b, v)))
    g = tape.gradient(y, v)
    expected = [[446.0, 135.0], [14272.0, 4320.0], [-14.9375, 18.5]]
    assert g.dtype == BF and _f32(g) == expected
    v32 = gf.Variable(gf.constant(W))  # a float32 master weight read in bfloat16
    with gf.GradientTape() as tape:
        y = gf.reduce_sum(gf.cast(gf.matmul(b, gf.cast(v32, BF)), gf.float32) ** 2)
    g = tape.gradient(y, v32)
    assert g.dtype == gf.float32 and g.numpy().tolist() == expected


def test_matrix_functions_refuse_bfloat16_naming_op_and_dtype():
    m = gf.cast(gf.eye(2), BF)
    for fn, name in (
        (gf.linalg.inv, "inv"),
        (gf.linalg.cholesky, "cholesky"),
        (gf.linalg.qr, "qr"),
        (gf.linalg.expm, "expm"),
        (gf.linalg.sqrtm, "sqrtm"),
        (gf.linalg.lu, "lu"),
        (gf.linalg.eig, "eig"),
        (gf.linalg.eigvalsh, "eigvalsh"),
        (gf.linalg.logdet, "logdet"),
        (gf.linalg.pinv, "pinv"),
        (gf.linalg.matrix_rank, "matrix_rank"),
        (lambda m: gf.linalg.lstsq(m, m), "lstsq"),
        (lambda m: gf.linalg.triangular_solve(m, m), "triangular_solve"),
        (lambda m: gf.linalg.cholesky_solve(m, m), "cholesky_solve"),
        (lambda m: gf.linalg.tridiagonal_solve(m, m[0], "matrix"), "tridiagonal_solve"),
    ):
        with pytest.raises(gf.errors.InvalidArgumentError, match=f"{name}: dtype bfloat16"):
            fn(m)
    with pytest.raises(TypeError, match="det: dtype bfloat16 is not supported"):
        gf.linalg.det(m)


def test_bfloat16_layer_and_mixed_bfloat16_policy():
    layer = gf.keras.layers.Dense(3, dtype="bfloat16")
    assert layer(np.ones((2, 4), np.float32)).dtype == BF and layer.kernel.dtype == BF
    mixed = gf.keras.layers.Dense(3, dtype="mixed_bfloat16")
    assert (mixed.compute_dtype, mixed.variable_dtype) == ("bfloat16", "float32")
    assert mixed(np.ones((2, 4), np.float32)).dtype == BF and mixed.kernel.dtype == gf.float32
    # as Keras: BatchNormalization / LayerNormalization normalize half inputs in float32
    x = gf.cast(gf.constant(X), BF)
    ln = gf.keras.layers.LayerNormalization(dtype="bfloat16")(x)
    assert ln.dtype == BF and _f32(ln)[0] == [0.1611328125, 1.1328125, -1.296875]
    bn = gf.keras.layers.BatchNormalization(dtype="mixed_bfloat16")
    out = bn(gf.concat([x, gf.constant([[7.0, -3.0, 2.0]], BF)], 0), training=True)
    assert out.dtype == BF and _f32(out)[0] == [-1.171875, -0.65625, -1.25]
    np.testing.assert_allclose(
        bn.moving_mean.numpy(),
        [0.034135740250349045, 0.3306770622730255, -0.0009862518636509776],
        rtol=1e-6,
    )


def test_mixed_bfloat16_fit_trains_without_loss_scaling():
    mixed_precision.set_global_policy("mixed_bfloat16")
    try:
        rng = np.random.default_rng(0)
        x = rng.normal(size=(128, 6)).astype("float32")
        y = (x.sum(1) > 0).astype("int32")
        model = gf.keras.Sequential(
            [
                gf.keras.Input((6,)),
                gf.keras.layers.Dense(16, activation="relu"),
                gf.keras.layers.Dense(2),
                gf.keras.layers.Activation("softmax", dtype="float32"),
            ]
        )
        model.compile(
            optimizer=gf.keras.optimizers.Adam(0.01), loss="sparse_categorical_crossentropy"
        )
        assert not isinstance(model.optimizer, LossScaleOptimizer)
        assert model.layers[0].kernel.dtype == gf.float32
        history = model.fit(x, y, epochs=4, batch_size=32, verbose=0)
        assert history.history["loss"][-1] < 0.7 * history.history["loss"][0]
        assert (
            model.layers[0](x[:2]).dtype == BF
            and model.predict(x[:2], verbose=0).dtype == np.float32
        )
    finally:
        mixed_precision.set_global_policy(None)


def test_cuda_emu_kernels_run_bfloat16_in_float32():
    """The fused dense / im2col kernels have float16/32/64 variants: bfloat16 arrays go
    through float32 and are rounded back, as on the CPU."""
    rng = np.random.default_rng(1)
    img = rng.normal(size=(2, 5, 5, 3)).astype("float32")
    outs = {}
    for device in ("cpu", "cuda-emu"):
        with gf.device(device):
            conv = gf.keras.layers.Conv2D(2, 3, dtype="bfloat16", kernel_initializer="ones")
            x = gf.constant(img)
            with gf.GradientTape() as tape:
                y = conv(x)
                loss = gf.reduce_sum(gf.cast(y, gf.float32))
            grads = tape.gradient(loss, conv.trainable_variables)
        assert y.dtype == BF and all(g.dtype == BF for g in grads)
        outs[device] = (_f32(y), [_f32(g) for g in grads])
    assert outs["cpu"] == outs["cuda-emu"]


def test_cuda_refuses_bfloat16_naming_the_device():
    from types import SimpleNamespace

    from gpuflow.backend.cuda import bfloat16_refused
    from gpuflow.ops.cast import Cast

    assert bfloat16_refused(BF) and bfloat16_refused(np.dtype(ml_dtypes.bfloat16))
    assert not bfloat16_refused(None) and not bfloat16_refused(np.float16)
    op = Cast(BF)
    op.xp, op.device = SimpleNamespace(), SimpleNamespace(name="cuda:0")  # a CuPy stand-in
    with pytest.raises(
        TypeError, match="cast: bfloat16 tensors are not supported on device 'cuda:0'"
    ):
        op.forward(np.ones(2, np.float32))


def test_tensor_proto_bytes_as_tensorflow():
    x = gf.cast(gf.constant([1.5, -2.25, 3.0]), BF)
    assert (
        gf.io.serialize_tensor(x).numpy() == b'\x08\x0e\x12\x04\x12\x02\x08\x03"\x06\xc0?\x10\xc0@@'
    )
    assert gf.io.serialize_tensor(gf.cast(1.5, BF)).numpy() == b'\x08\x0e\x12\x00"\x02\xc0?'
    back = gf.io.parse_tensor(gf.io.serialize_tensor(x), BF)
    assert back.dtype == BF and back.numpy().tolist() == x.numpy().tolist()
    one = gf.make_tensor_proto(gf.cast([1.5], BF).numpy())  # one value: half_val, as TF
    assert one.SerializeToString() == b"\x08\x0e\x12\x04\x12\x02\x08\x01j\x02\xc0\x7f"
    assert gf.make_ndarray(one).dtype == np.dtype(ml_dtypes.bfloat16)
    assert gf.make_ndarray(one).tolist() == [1.5]


def test_set_floatx_bfloat16_as_keras():
    gf.keras.config.set_floatx("bfloat16")
    try:
        layer = gf.keras.layers.Dense(2)
        out = layer(np.ones((1, 3), np.float32))
        assert layer.kernel.dtype == BF and out.dtype == BF
    finally:
        gf.keras.config.set_floatx("float32")


def test_checkpoint_and_gpuflow_model_files_keep_bfloat16(tmp_path):
    x = gf.cast(gf.constant([[1.5, -2.25], [0.1, 3.0]]), BF)
    v = gf.Variable(x)
    path = gf.train.Checkpoint(v=v).save(str(tmp_path / "ckpt"))
    v.assign(gf.zeros_like(x))
    gf.train.Checkpoint(v=v).restore(path)
    assert v.dtype == BF and v.numpy().tolist() == x.numpy().tolist()
    wide = gf.Variable(gf.zeros((2, 2)))  # a float32 variable takes the bfloat16 value
    gf.train.Checkpoint(v=wide).restore(path)
    assert wide.numpy().tolist() == x.numpy().astype(np.float32).tolist()


def test_fit_takes_bfloat16_numpy_inputs_and_check_numerics_sees_bfloat16():
    model = gf.keras.Sequential([gf.keras.Input((2,)), gf.keras.layers.Dense(1)])
    model.compile("sgd", "mse")
    x = np.array([[1.5, -2.25], [0.1, 3.0]], ml_dtypes.bfloat16)
    history = model.fit(x, np.ones((2, 1), np.float32), epochs=1, verbose=0)
    assert np.isfinite(history.history["loss"][0])
    gf.debugging.enable_check_numerics()
    try:
        with pytest.raises(Exception, match="check_numerics: op Log.*dtype bfloat16"):
            gf.math.log(gf.cast([-1.0], BF))
    finally:
        gf.debugging.disable_check_numerics()


def test_keras_ops_promote_bfloat16_as_keras():
    ops = gf.keras.ops
    x = gf.cast(gf.constant([[1.5, -2.25], [0.1, 3.0]]), BF)
    assert ops.std(x).dtype == BF and ops.exp(x).dtype == BF and ops.add(x, 1.5).dtype == BF
    assert ops.result_type("bfloat16", "float16") == "float32"
    assert ops.result_type("bfloat16", "int32") == "bfloat16"


def test_promotion_with_bfloat16():
    b = gf.cast(gf.constant([1.0]), BF)
    # dtypes.promote's rule (used where gpuflow itself promotes); tensor operators raise
    assert gf.dtypes.promote(BF, gf.float16) == gf.float32  # neither holds the other
    assert gf.dtypes.promote(BF, gf.float32) == gf.float32
    assert gf.dtypes.promote(BF, gf.float64) == gf.float64
    assert gf.dtypes.promote(BF, gf.int32) == BF
    with pytest.raises(gf.errors.InvalidArgumentError, match="bfloat16 tensor but is a float32"):
        b + gf.constant([1.0])
    assert (b * 2.0).dtype == BF


def test_string_format_and_scatter_div_of_bfloat16():
    x = gf.cast(gf.constant([[1.5, -2.25], [0.1, 3.0], [100.5, 1e-3]]), BF)
    text = gf.strings.format("{}", x).numpy().decode()
    assert text == "[[1.5 -2.25]\n [0.100097656 3]\n [100.5 0.000999450684]]"  # TF's text
    v = gf.Variable(gf.cast([5.0, 9.0, 2.0], BF))
    v.scatter_div(gf.IndexedSlices(gf.cast([2.0, 4.0], BF), gf.constant([0, 1])))
    assert v.numpy().tolist() == [2.5, 2.25, 2.0]  # true division, not the integer rule


def test_summary_scalar_takes_a_bfloat16_value(tmp_path):
    writer = gf.summary.create_file_writer(str(tmp_path))
    with writer.as_default():
        assert gf.summary.scalar("loss", gf.cast(1.5, BF), step=1)
    writer.flush()
