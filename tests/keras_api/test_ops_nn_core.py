"""keras.ops nn, core, math and linalg ops: values against NumPy / closed forms, gradients,
control flow, and ops on symbolic tensors in a functional model."""

import math

import numpy as np
import pytest

import gpuflow as gf
import gpuflow.keras as keras
from gpuflow.keras import ops
from gpuflow.testing import gradcheck

rng = np.random.default_rng(1)
X = rng.normal(size=(3, 5)).astype(np.float32)


def close(actual, expected, tol=1e-5):
    np.testing.assert_allclose(ops.convert_to_numpy(actual), expected, rtol=tol, atol=tol)


def _sigmoid(x):
    return 1 / (1 + np.exp(-x))


def _softmax(x, axis=-1):
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def test_activations():
    close(ops.relu(X), np.maximum(X, 0))
    close(ops.relu6(X * 10), np.clip(X * 10, 0, 6))
    close(ops.sigmoid(X), _sigmoid(X))
    close(ops.silu(X), X * _sigmoid(X))
    close(ops.softplus(X), np.log1p(np.exp(X)))
    close(ops.softsign(X), X / (1 + np.abs(X)))
    close(ops.leaky_relu(X), np.where(X > 0, X, 0.2 * X))
    close(ops.elu(X, alpha=0.5), np.where(X > 0, X, 0.5 * np.expm1(X)))
    close(ops.hard_sigmoid(X * 4), np.clip(X * 4 / 6 + 0.5, 0, 1))
    close(ops.hard_silu(X * 4), X * 4 * np.clip(X * 4 / 6 + 0.5, 0, 1))
    close(ops.mish(X), X * np.tanh(np.log1p(np.exp(X))))
    close(ops.log_sigmoid(X), np.log(_sigmoid(X)))
    exact = 0.5 * X * (1 + np.vectorize(math.erf)(X / np.sqrt(2)))
    close(ops.gelu(X, approximate=False), exact)
    tanh_form = 0.5 * X * (1 + np.tanh(np.sqrt(2 / np.pi) * (X + 0.044715 * X**3)))
    close(ops.gelu(X), tanh_form)  # keras.ops.gelu approximates by default
    close(ops.glu(X[:, :4]), X[:, :2] * _sigmoid(X[:, 2:4]))
    close(ops.softmax(X), _softmax(X))
    close(ops.softmax(X, axis=0), _softmax(X, 0))
    close(ops.log_softmax(X), np.log(_softmax(X)))
    close(ops.softmax(X, axis=(0, 1)), np.exp(X) / np.exp(X).sum())


def test_crossentropies_match_closed_forms():
    probs = _softmax(X)
    labels = np.array([0, 3, 4])
    hot = np.eye(5, dtype=np.float32)[labels]
    expected = -np.log(probs[np.arange(3), labels])
    close(ops.categorical_crossentropy(hot, probs), expected)
    close(ops.categorical_crossentropy(hot, X, from_logits=True), expected)
    close(ops.sparse_categorical_crossentropy(labels, probs), expected)
    close(ops.sparse_categorical_crossentropy(labels, X, from_logits=True), expected)
    p = _sigmoid(X)
    t = (X > 0).astype(np.float32)
    bce = -(t * np.log(p) + (1 - t) * np.log(1 - p))
    close(ops.binary_crossentropy(t, p), bce, tol=1e-4)
    close(ops.binary_crossentropy(t, X, from_logits=True), bce, tol=1e-4)
    with pytest.raises(ValueError, match="categorical_crossentropy: target and output"):
        ops.categorical_crossentropy(hot[:, :4], probs)


def test_one_hot_multi_hot_moments_normalize():
    close(ops.one_hot([1, -1, 2], 3), [[0, 1, 0], [0, 0, 0], [0, 0, 1]])
    close(ops.one_hot([1, 0], 2, axis=0), [[0, 1], [1, 0]])
    close(ops.multi_hot([[0, 2], [1, 1]], 3), [[1, 0, 1], [0, 1, 0]])
    mean, var = ops.moments(X, axes=[0])
    close(mean, X.mean(0))
    close(var, X.var(0))
    mean, var = ops.moments(X, axes=1, keepdims=True)
    assert tuple(mean.shape) == (3, 1)
    close(ops.normalize(X), X / np.linalg.norm(X, axis=-1, keepdims=True))
    close(ops.normalize(X, order=1, axis=0), X / np.abs(X).sum(0))
    bn = ops.batch_normalization(
        X, X.mean(0), X.var(0), axis=1, offset=1.0 + 0 * X[0], scale=2.0 + 0 * X[0], epsilon=0.0
    )
    close(bn, (X - X.mean(0)) / X.std(0) * 2 + 1, tol=1e-4)


def _conv_ref(x, k, stride=1):
    n, h, w, c = x.shape
    kh, kw, _, f = k.shape
    oh, ow = (h - kh) // stride + 1, (w - kw) // stride + 1
    out = np.zeros((n, oh, ow, f))
    for i in range(oh):
        for j in range(ow):
            patch = x[:, i * stride : i * stride + kh, j * stride : j * stride + kw, :]
            out[:, i, j] = np.tensordot(patch, k, axes=([1, 2, 3], [0, 1, 2]))
    return out


def test_conv_and_pooling():
    x = rng.normal(size=(2, 6, 6, 3)).astype(np.float32)
    k = rng.normal(size=(3, 3, 3, 4)).astype(np.float32)
    close(ops.conv(x, k), _conv_ref(x, k), tol=1e-4)
    close(ops.conv(x, k, strides=2), _conv_ref(x, k, 2), tol=1e-4)
    assert tuple(ops.conv(x, k, padding="same").shape) == (2, 6, 6, 4)
    x1 = rng.normal(size=(2, 7, 3)).astype(np.float32)
    k1 = rng.normal(size=(2, 3, 5)).astype(np.float32)
    close(ops.conv(x1, k1), _conv_ref(x1[:, None], k1[None])[:, 0], tol=1e-4)
    dw = rng.normal(size=(3, 3, 3, 2)).astype(np.float32)
    out = ops.depthwise_conv(x, dw)
    assert tuple(out.shape) == (2, 4, 4, 6)
    close(out[..., 1], _conv_ref(x[..., :1], dw[:, :, :1, 1:2])[..., 0], tol=1e-4)
    close(ops.max_pool(x, 2), x.reshape(2, 3, 2, 3, 2, 3).max(axis=(2, 4)))
    close(ops.average_pool(x, 2), x.reshape(2, 3, 2, 3, 2, 3).mean(axis=(2, 4)))
    close(ops.max_pool(x1[:, :6], 3), x1[:, :6].reshape(2, 2, 3, 3).max(axis=2))
    with pytest.raises(ValueError, match="conv: only data_format='channels_last'"):
        ops.conv(x, k, data_format="channels_first")


def test_dot_product_attention():
    q = rng.normal(size=(2, 4, 2, 3)).astype(np.float32)
    k = rng.normal(size=(2, 5, 2, 3)).astype(np.float32)
    v = rng.normal(size=(2, 5, 2, 3)).astype(np.float32)
    logits = np.einsum("btnh,bsnh->bnts", q, k) / np.sqrt(3)
    expected = np.einsum("bnts,bsnh->btnh", _softmax(logits), v)
    close(ops.dot_product_attention(q, k, v), expected, tol=1e-5)
    causal = np.tril(np.ones((4, 4), bool))
    logits = np.where(causal, np.einsum("btnh,bsnh->bnts", q, q) / np.sqrt(3), -np.inf)
    expected = np.einsum("bnts,bsnh->btnh", _softmax(logits), q)
    close(ops.dot_product_attention(q, q, q, is_causal=True), expected, tol=1e-5)


def test_control_flow():
    assert float(ops.fori_loop(0, 5, lambda i, v: v + ops.cast(i, "float32"), 0.0)) == 10.0
    a, b = ops.while_loop(lambda a, b: a < 5, lambda a, b: (a + 1, b * 2), (0, 1.0))
    assert int(a) == 5 and float(b) == 32.0
    single = ops.while_loop(lambda x: ops.sum(x) < 10, lambda x: x * 2, ops.ones((2,)))
    close(single, [8.0, 8.0])
    carry, ys = ops.scan(lambda c, x: (c + x, c * x), 0.0, ops.arange(4.0))
    assert float(carry) == 6.0
    close(ys, [0.0, 0.0, 2.0, 9.0])
    carry, ys = ops.scan(lambda c, x: (c + 1, None), 0, length=3)
    assert int(carry) == 3 and ys is None
    assert float(ops.cond(True, lambda: ops.ones(()), lambda: ops.zeros(()))) == 1.0
    close(ops.switch(1, [lambda x: x + 1, lambda x: x * 10], ops.ones(2)), [10.0, 10.0])
    close(ops.map(lambda r: ops.sum(r), X), X.sum(1))
    close(ops.vectorized_map(lambda r: r * 2, X), X * 2)


def test_slicing_and_scatter():
    close(ops.slice(X, (1, 2), (2, 2)), X[1:3, 2:4])
    updated = ops.slice_update(X, (1, 2), np.zeros((2, 2), np.float32))
    expected = X.copy()
    expected[1:3, 2:4] = 0
    close(updated, expected)
    close(ops.scatter([[0], [2], [0]], [1.0, 2.0, 3.0], (4,)), [4.0, 0.0, 2.0, 0.0])
    close(ops.scatter_update(ops.zeros((3,)), [[1]], [5.0]), [0.0, 5.0, 0.0])
    with pytest.raises(ValueError, match="slice_update: updates of shape"):
        ops.slice_update(X, (2, 4), np.zeros((2, 2), np.float32))
    assert gradcheck(
        lambda x, u: ops.slice_update(x, (1, 2), u) * 3.0,
        [X.astype(np.float64), np.ones((2, 2))],
    )


def test_core_conversions():
    t = ops.convert_to_tensor([[1, 2]])
    assert ops.dtype(t) == "int32" and ops.shape(t) == (1, 2) and ops.ndim(t) == 2
    assert int(ops.size(t)) == 2
    assert isinstance(ops.convert_to_numpy(t), np.ndarray)
    assert ops.is_tensor(t) and not ops.is_tensor(np.ones(2))
    assert ops.dtype(ops.cast(t, "float16")) == "float16"
    close(ops.saturate_cast(np.array([300.0, -5.0]), "uint8"), [255, 0])
    x = gf.Variable([1.0, 2.0])
    with gf.GradientTape() as tape:
        y = ops.sum(x * ops.stop_gradient(x))
    close(tape.gradient(y, x), [1.0, 2.0])


def test_custom_gradient():
    @ops.custom_gradient
    def clipped_square(x):
        def grad(upstream):
            return ops.clip(upstream * 2 * x, -1.0, 1.0)

        return ops.square(x), grad

    x = gf.Variable([0.1, 3.0])
    with gf.GradientTape() as tape:
        y = ops.sum(clipped_square(x))
    close(tape.gradient(y, x), [0.2, 1.0])


def test_math_and_linalg():
    data = np.arange(12.0).reshape(4, 3)
    ids = np.array([0, 0, 2, 1])
    close(ops.segment_sum(data, ids), [data[:2].sum(0), data[3], data[2]])
    close(ops.segment_max(data, ids, num_segments=4)[:3], [data[1], data[3], data[2]])
    close(
        ops.segment_sum(data, np.array([0, 0, 1, 1]), sorted=True),
        [data[:2].sum(0), data[2:].sum(0)],
    )
    values, idx = ops.top_k(X, 2)
    close(values, -np.sort(-X, axis=1)[:, :2])
    close(ops.logsumexp(X, axis=1), np.log(np.exp(X).sum(1)))
    close(ops.extract_sequences(np.arange(6.0), 3, 2), [[0, 1, 2], [2, 3, 4]])
    m = X[:, :3] @ X[:, :3].T + 3 * np.eye(3, dtype=np.float32)
    close(ops.inv(m), np.linalg.inv(m), tol=1e-4)
    close(ops.det(m), np.linalg.det(m), tol=1e-4)
    close(ops.solve(m, X[:, 0]), np.linalg.solve(m, X[:, 0]), tol=1e-4)
    close(ops.cholesky(m), np.linalg.cholesky(m), tol=1e-4)
    close(ops.cholesky(m, upper=True), np.linalg.cholesky(m).T, tol=1e-4)
    q, r = ops.qr(X.T)
    close(ops.matmul(q, r), X.T, tol=1e-5)
    u, s, vh = ops.svd(m)
    close(ops.matmul(u * s, vh), m, tol=1e-4)
    close(ops.linalg.norm(X), np.linalg.norm(X))
    with pytest.raises(ValueError, match="svd: full_matrices=True needs square"):
        ops.svd(X)


def test_image_resize():
    img = rng.normal(size=(1, 4, 4, 2)).astype(np.float32)
    out = ops.image.resize(img, (2, 2), interpolation="nearest")
    assert tuple(out.shape) == (1, 2, 2, 2)
    assert tuple(ops.image.resize(img, (8, 6)).shape) == (1, 8, 6, 2)


def test_ops_on_symbolic_tensors_build_a_model(tmp_path):
    inputs = keras.Input((5,))
    hidden = ops.relu(ops.subtract(ops.multiply(inputs, 2.0), 0.5))
    outputs = ops.softmax(ops.concatenate([hidden, ops.square(hidden)], axis=-1))
    model = keras.Model(inputs, outputs)
    assert model.output_shape == (None, 10)
    h = np.maximum(X * 2 - 0.5, 0)
    close(model(X), _softmax(np.concatenate([h, h**2], -1)), tol=1e-5)
    path = str(tmp_path / "ops_model.keras")
    model.save(path)
    restored = keras.models.load_model(path)
    close(restored(X), model(X).numpy())


def test_ops_inside_a_compiled_function_replay_with_new_values():
    gen = keras.random.SeedGenerator(4)

    @gf.function
    def step(x, idx, branch):
        return (
            ops.take(x, idx, axis=1),
            ops.take_along_axis(x, ops.expand_dims(idx, 0) + ops.zeros((3, 1), "int32"), axis=1),
            ops.switch(branch, [lambda v: v + 1.0, lambda v: v * 10.0], ops.sum(x)),
            ops.fori_loop(0, 3, lambda i, v: v * 2.0, ops.max(x)),
            ops.slice_update(x, (0, 0), ops.zeros((1, 2))),
            ops.quantile(x, 0.5, axis=1),
            keras.random.normal((2,), seed=gen),
        )

    eager_gen = keras.random.SeedGenerator(4)
    for idx, branch in (([4, -1], 0), ([0, 2], 1), ([-2, 1], 0)):
        idx = np.array(idx, np.int32)
        out = step(gf.constant(X), gf.constant(idx), gf.constant(branch))
        close(out[0], X[:, idx])
        close(out[1], np.take_along_axis(X, np.tile(idx % 5, (3, 1)), axis=1))
        close(out[2], X.sum() + 1 if branch == 0 else X.sum() * 10, tol=1e-4)
        close(out[3], X.max() * 8)
        expected = X.copy()
        expected[0, :2] = 0
        close(out[4], expected)
        close(out[5], np.median(X, axis=1))
        close(out[6], keras.random.normal((2,), seed=eager_gen).numpy())


def test_layer_normalization_follows_keras_3():
    # values printed by keras.ops.layer_normalization on Keras 3.15.1 / TF 2.21
    x = np.array([[0.5, -1.0, 2.0, 0.1], [3.0, 3.0, 3.0, 3.5]], "float32")
    out = ops.convert_to_numpy(ops.layer_normalization(x))  # epsilon = config.epsilon()
    np.testing.assert_allclose(out[0], [0.093048, -1.302678, 1.488775, -0.279145], atol=1e-5)
    # the small variance shows epsilon: 1e-3 (the old default here) gave 1.713866
    np.testing.assert_allclose(out[1], [-0.57735, -0.57735, -0.57735, 1.732049], atol=1e-5)
    half = ops.layer_normalization(x.astype("float16"))
    assert ops.dtype(half) == "float16"
    cols = ops.layer_normalization(x, axis=0, gamma=np.array([1.0, 2.0]), beta=np.zeros(2))
    np.testing.assert_allclose(ops.convert_to_numpy(cols)[:, 0], [-1.0, 2.0], atol=1e-5)
    with pytest.warns(UserWarning, match="rms_scaling=True"):
        scaled = ops.layer_normalization(x, rms_scaling=True)
    np.testing.assert_allclose(
        ops.convert_to_numpy(scaled)[1], [13.856392, 13.856392, 13.856392, 16.165791], rtol=1e-5
    )


def test_every_top_level_op_builds_a_layer_on_symbolic_inputs():
    # keras.ops.argmax / argmin / cumsum / cumprod / take_along_axis are defined in one
    # module and imported by another: on a keras.Input they raised "cannot convert
    # KerasTensor" instead of becoming a layer of the functional model
    inputs = keras.Input((3, 4))
    arg = ops.argmax(inputs, axis=-1)
    assert tuple(arg.shape) == (None, 3) and arg.dtype == "int32"
    running = ops.cumsum(inputs, axis=1)
    assert tuple(running.shape) == (None, 3, 4)
    order = ops.take_along_axis(inputs, ops.argsort(inputs, axis=-1), axis=-1)
    model = keras.Model(inputs, [arg, running, order, ops.argmin(inputs, axis=1)])
    data = np.arange(24.0, dtype="float32").reshape(2, 3, 4)[:, :, ::-1]
    got = [ops.convert_to_numpy(t) for t in model(data)]
    np.testing.assert_array_equal(got[0], np.zeros((2, 3)))
    np.testing.assert_allclose(got[1], np.cumsum(data, axis=1))
    np.testing.assert_allclose(got[2], np.sort(data, axis=-1))
    np.testing.assert_array_equal(got[3], np.full((2, 4), 0))
    for name in ("argmax", "argmin", "cumsum", "cumprod", "take_along_axis", "segment_sum"):
        assert hasattr(getattr(ops, name), "__wrapped_op__"), name


def test_ops_with_data_dependent_sizes_leave_them_unknown_in_the_graph():
    # Keras 3.15 / TF 2.21: nonzero (None,) per axis, bincount (None, None), unique (None,);
    # the probe of zeros gave (0,), (None, 4) and (1,), sizes the real data does not have
    ids = keras.Input((5,), dtype="int32")
    rows, cols = ops.nonzero(ids)
    assert tuple(rows.shape) == (None,) and tuple(cols.shape) == (None,)
    assert tuple(ops.bincount(ids, minlength=4).shape) == (None, None)
    assert tuple(ops.unique(ids).shape) == (None,)
    assert tuple(gf.where(ids > 0).shape) == (None, 2)
    model = keras.Model(ids, [cols, ops.bincount(ids, minlength=4)])
    got_cols, counts = model(np.array([[0, 3, 0, 1, 6], [2, 0, 0, 0, 0]], "int32"))
    assert ops.convert_to_numpy(got_cols).tolist() == [1, 3, 4, 0]
    assert tuple(counts.shape) == (2, 7)
