"""keras.ops math / nn / linalg / core names of Keras 3.15: Fourier transforms on (real,
imag) pairs, stft/istft, view_as_complex/real, erfinv, conv_transpose, depth/space,
unfold/fold, ctc_loss/ctc_decode, polar, sparsemax, rearrange, associative_scan,
cholesky_inverse, eig, lu_factor and jvp."""

import numpy as np
import pytest

import gpuflow as gf
import gpuflow.keras as keras
from gpuflow.keras import ops
from gpuflow.testing import gradcheck

rng = np.random.default_rng(11)


def close(actual, expected, atol=1e-5):
    np.testing.assert_allclose(ops.convert_to_numpy(actual), expected, rtol=1e-4, atol=atol)


def test_fft_family_on_real_imag_pairs():
    re, im = rng.normal(size=(2, 8)).astype(np.float32), rng.normal(size=(2, 8)).astype(np.float32)
    z = re + 1j * im
    out = ops.fft((re, im))
    assert isinstance(out, tuple) and out[0].dtype == "float32"
    close(out[0], np.fft.fft(z).real, 1e-4)
    close(out[1], np.fft.fft(z).imag, 1e-4)
    r2 = rng.normal(size=(3, 4, 6))
    f2 = ops.fft2((r2, np.zeros_like(r2)))
    close(f2[0], np.fft.fft2(r2).real)
    back = ops.ifft2(f2)
    close(back[0], r2)
    close(back[1], np.zeros_like(r2))
    rr, ri = ops.rfft(re, fft_length=10)
    close(rr, np.fft.rfft(re, n=10).real, 1e-4)
    close(ops.irfft((rr, ri), fft_length=10), np.fft.irfft(np.fft.rfft(re, n=10), n=10), 1e-4)
    with pytest.raises(ValueError, match="fft: input `x` should be a tuple of two tensors"):
        ops.fft(re)
    with pytest.raises(ValueError, match="the same shape"):
        ops.fft((re, im[:, :4]))
    with pytest.raises(ValueError, match="must be float tensors"):
        ops.fft((np.ones(4, np.int32), np.ones(4, np.int32)))


@pytest.mark.parametrize("center", [True, False])
@pytest.mark.parametrize("window", ["hann", "hamming", None])
def test_stft_istft_round_trip(center, window):
    x = rng.normal(size=(2, 64)).astype(np.float32)
    real, imag = ops.stft(x, 16, 4, 16, window=window, center=center)
    frames = (64 + (16 if center else 0) - 16) // 4 + 1
    assert tuple(real.shape) == (2, frames, 9) and real.dtype == "float32"
    # Each frame is the rfft of the (windowed) samples it covers.
    padded = np.pad(x, [(0, 0), (8, 8)], mode="reflect") if center else x
    w = {"hann": np.hanning(17)[:-1], "hamming": np.hamming(17)[:-1], None: np.ones(16)}[window]
    expected = np.fft.rfft(padded[:, 4:20] * w, axis=-1)
    close(real[:, 1], expected.real, 1e-4)
    close(imag[:, 1], expected.imag, 1e-4)
    if window is not None:
        y = ops.istft(
            (real, imag), 16, 4, 16, length=64 if center else None, window=window, center=center
        )
        # Where 4 frames overlap the signal comes back exactly (as TensorFlow's; the
        # first and last samples, with fewer frames over them, do not).
        assert tuple(y.shape) == (2, 64)
        close(y[:, 12:52], x[:, 12:52], 1e-4)
    with pytest.raises(ValueError, match="stft: `fft_length` must equal or larger"):
        ops.stft(x, 16, 4, 8)
    with pytest.raises(TypeError, match="stft: invalid input type"):
        ops.stft(x.astype(np.int32), 16, 4, 16)
    with pytest.raises(ValueError, match='must be one of "hann", "hamming"'):
        ops.stft(x, 16, 4, 16, window="blackman")


def test_view_as_complex_real_and_erfinv():
    z = ops.view_as_complex(np.array([[1.0, 2.0], [3.0, -4.0]]))
    assert z.dtype == "complex64"
    np.testing.assert_array_equal(ops.convert_to_numpy(z), [1 + 2j, 3 - 4j])
    close(ops.view_as_real(z), [[1.0, 2.0], [3.0, -4.0]])
    with pytest.raises(ValueError, match="last dimension of input must be size 2"):
        ops.view_as_complex(np.ones((2, 3)))
    close(ops.erfinv(np.array([-0.5, 0.0, 0.3])), [-0.4769363, 0.0, 0.2724627])
    assert ops.math.erfinv is ops.erfinv and ops.math.stft is ops.stft


def _conv_transpose_reference(x, k, stride):
    """Scatter each input pixel times the kernel ('valid', channels last, 2-D)."""
    n, h, w, _ = x.shape
    kh, kw, f, _ = k.shape
    out = np.zeros((n, (h - 1) * stride + max(kh, stride), (w - 1) * stride + max(kw, stride), f))
    for i in range(h):
        for j in range(w):
            patch = np.einsum("nc,hwfc->nhwf", x[:, i, j], k)
            out[:, i * stride : i * stride + kh, j * stride : j * stride + kw] += patch
    return out


@pytest.mark.parametrize("stride", [1, 2, 3])
def test_conv_transpose_matches_scatter_reference(stride):
    x, k = rng.normal(size=(2, 4, 5, 3)), rng.normal(size=(3, 2, 4, 3))
    close(ops.conv_transpose(x, k, strides=stride), _conv_transpose_reference(x, k, stride), 1e-4)
    same = ops.conv_transpose(x, k, strides=stride, padding="same")
    assert tuple(same.shape) == (2, 4 * stride, 5 * stride, 4)
    first = ops.conv_transpose(
        np.moveaxis(x, -1, 1), k, strides=stride, data_format="channels_first"
    )
    close(first, np.moveaxis(_conv_transpose_reference(x, k, stride), -1, 1), 1e-4)
    assert tuple(ops.conv_transpose(x[:, 0], k[0], strides=2).shape) == (2, 10, 4)
    assert tuple(ops.conv_transpose(x, k, strides=2, output_padding=1).shape)[1:3] == (10, 11)
    with pytest.raises(ValueError, match="number of input channels must match"):
        ops.conv_transpose(x, k[..., :2])


def test_conv_transpose_gradient():
    assert gradcheck(
        lambda a, b: ops.conv_transpose(a, b, strides=2, padding="same"),
        [rng.normal(size=(1, 3, 3, 2)), rng.normal(size=(2, 2, 3, 2))],
    )


def test_depth_to_space_and_back():
    x = np.arange(2 * 3 * 4 * 8, dtype=np.float32).reshape(2, 3, 4, 8)
    d = ops.depth_to_space(x, 2)
    assert tuple(d.shape) == (2, 6, 8, 2)
    expected = x.reshape(2, 3, 4, 2, 2, 2).transpose(0, 1, 3, 2, 4, 5).reshape(2, 6, 8, 2)
    close(d, expected)
    close(ops.space_to_depth(d, 2), x)
    cf = ops.depth_to_space(np.moveaxis(x, -1, 1), 2, data_format="channels_first")
    close(cf, np.moveaxis(expected, -1, 1))
    with pytest.raises(ValueError, match="`block_size` must be at least 2"):
        ops.depth_to_space(x, 1)


def _unfold_reference(x, k, s, p, d):
    n, c, h, w = x.shape
    xp = np.pad(x, [(0, 0), (0, 0), (p, p), (p, p)])
    nh = (h + 2 * p - d * (k - 1) - 1) // s + 1
    nw = (w + 2 * p - d * (k - 1) - 1) // s + 1
    cols = np.zeros((n, c, k, k, nh, nw))
    for i in range(k):
        for j in range(k):
            cols[:, :, i, j] = xp[:, :, i * d : i * d + s * nh : s, j * d : j * d + s * nw : s]
    return cols.reshape(n, c * k * k, nh * nw)


@pytest.mark.parametrize("k, s, p, d", [(2, 2, 0, 1), (3, 1, 1, 1), (2, 1, 1, 2)])
def test_unfold_and_fold_are_adjoint(k, s, p, d):
    x = rng.normal(size=(2, 3, 6, 7))
    cols = ops.unfold(x, kernel_size=k, stride=s, padding=p, dilation=d)
    close(cols, _unfold_reference(x, k, s, p, d))
    y = rng.normal(size=tuple(cols.shape))
    back = ops.fold(y, output_size=(6, 7), kernel_size=k, stride=s, padding=p, dilation=d)
    assert tuple(back.shape) == (2, 3, 6, 7)
    # <unfold(x), y> == <x, fold(y)>
    lhs = float(np.sum(ops.convert_to_numpy(cols) * y))
    assert abs(lhs - float(np.sum(x * ops.convert_to_numpy(back)))) < 1e-8
    assert gradcheck(lambda t: ops.unfold(t, k, d, p, s), [x[:1, :1]])


def test_unfold_fold_errors():
    with pytest.raises(ValueError, match="unfold: input must be a 4D tensor"):
        ops.unfold(np.ones((3, 4, 4)), 2)
    with pytest.raises(ValueError, match="fold: expected input"):
        ops.fold(np.ones((1, 8, 3)), output_size=4, kernel_size=2, stride=2)


def test_ctc_loss_matches_brute_force_and_decodes():
    logits = rng.normal(size=(1, 3, 3)).astype(np.float32)
    p = np.exp(logits[0]) / np.exp(logits[0]).sum(-1, keepdims=True)
    # Label [1] with blank 0 over 3 frames: every path collapsing to [1].
    total = 0.0
    for path in np.ndindex(3, 3, 3):
        collapsed = [c for i, c in enumerate(path) if c != 0 and (i == 0 or c != path[i - 1])]
        if collapsed == [1]:
            total += p[0, path[0]] * p[1, path[1]] * p[2, path[2]]
    loss = ops.ctc_loss(np.array([[1, 0]]), logits, np.array([1]), np.array([3]))
    close(loss, [-np.log(total)], 1e-4)
    decoded, scores = ops.ctc_decode(logits, np.array([3]))
    best = p.argmax(-1)
    expected = [c for i, c in enumerate(best) if c != 0 and (i == 0 or c != best[i - 1])]
    got = ops.convert_to_numpy(decoded)[0, 0]
    assert got.tolist() == expected + [-1] * (3 - len(expected))
    assert decoded.dtype == "int32"
    beams, log_probs = ops.ctc_decode(logits, np.array([3]), strategy="beam_search", top_paths=2)
    assert tuple(beams.shape) == (2, 1, 3) and tuple(log_probs.shape) == (1, 2)
    with pytest.raises(ValueError, match="Invalid strategy"):
        ops.ctc_decode(logits, np.array([3]), strategy="best")


def test_polar_sparsemax():
    z = ops.polar(np.array([2.0, 1.0], np.float32), np.array([0.0, np.pi / 2], np.float32))
    np.testing.assert_allclose(ops.convert_to_numpy(z), [2.0, 1j], atol=1e-6)
    close(
        ops.sparsemax(np.array([[-1.0, 0.0, 1.0], [0.5, 0.4, 0.1]])), [[0, 0, 1], [0.5, 0.4, 0.1]]
    )
    close(ops.nn.sparsemax(np.array([0.1, 1.2, 1.0])), [0.0, 0.6, 0.4])
    assert ops.nn.polar is ops.polar


def test_rearrange_patterns():
    x = rng.normal(size=(2, 4, 6, 3))
    close(ops.rearrange(x, "b h w c -> b c h w"), x.transpose(0, 3, 1, 2))
    close(ops.rearrange(x, "b h w c -> b (c h w)"), x.transpose(0, 3, 1, 2).reshape(2, -1))
    split = ops.rearrange(x, "b (h1 h) (w1 w) c -> (b h1 w1) h w c", h1=2, w1=3)
    expected = x.reshape(2, 2, 2, 3, 2, 3).transpose(0, 1, 3, 2, 4, 5).reshape(12, 2, 2, 3)
    close(split, expected)
    with pytest.raises(ValueError, match="rearrange: pattern .* names 3 input axes"):
        ops.rearrange(x, "b h w -> b w h")
    with pytest.raises(ValueError, match="cannot infer the sizes"):
        ops.rearrange(x, "b (h1 h) w c -> b h1 h w c")


def test_associative_scan():
    x = rng.normal(size=(7, 3))
    close(ops.associative_scan(lambda a, b: a + b, x), np.cumsum(x, axis=0))
    close(ops.associative_scan(lambda a, b: a + b, x, reverse=True), np.cumsum(x[::-1], 0)[::-1])
    close(ops.associative_scan(ops.maximum, x, axis=1), np.maximum.accumulate(x, axis=1))
    # A non-commutative operator: composing affine maps y = a * y + b, in order.
    a, b = rng.normal(size=5), rng.normal(size=5)
    out = ops.associative_scan(lambda p, q: (q[0] * p[0], q[0] * p[1] + q[1]), (a, b))
    y, ys = 0.0, []
    for ai, bi in zip(a, b):
        y = ai * y + bi
        ys.append(y)
    close(out[1], ys)
    assert gradcheck(lambda t: ops.associative_scan(lambda p, q: p * q, t), [x[:, 0] + 2.0])
    with pytest.raises(TypeError, match="`f` should be a callable"):
        ops.associative_scan(None, x)


def test_linalg_additions():
    a = rng.normal(size=(2, 3, 3))
    spd = a @ np.swapaxes(a, -1, -2) + 3 * np.eye(3)
    low = np.linalg.cholesky(spd)
    close(ops.cholesky_inverse(low), np.linalg.inv(spd), 1e-6)
    close(ops.cholesky_inverse(np.swapaxes(low, -1, -2), upper=True), np.linalg.inv(spd), 1e-6)
    values, _ = ops.eig(spd[0])
    np.testing.assert_allclose(
        np.sort(ops.convert_to_numpy(values).real), np.linalg.eigvalsh(spd[0])
    )
    m = rng.normal(size=(4, 4))
    lu, piv = ops.lu_factor(m)
    lu, piv = ops.convert_to_numpy(lu), ops.convert_to_numpy(piv)
    low_u, up = np.tril(lu, -1) + np.eye(4), np.triu(lu)
    close(m, (low_u @ up)[piv], 1e-6)  # Keras's TensorFlow backend: invert_permutation(p)
    lub, pivb = ops.lu_factor(a)
    for i in range(2):
        lu_i = ops.convert_to_numpy(lub)[i]
        rebuilt = (np.tril(lu_i, -1) + np.eye(3)) @ np.triu(lu_i)
        close(a[i], rebuilt[ops.convert_to_numpy(pivb)[i]])


def test_jvp():
    x, v = np.array([1.0, 2.0]), np.array([3.0, 4.0])
    out, tangent = ops.jvp(lambda a, b: a * b + ops.sin(a), (x, v), (np.ones(2), np.zeros(2)))
    close(out, x * v + np.sin(x))
    close(tangent, v + np.cos(x))
    out, tangent, aux = ops.jvp(lambda a: (a**2, "aux"), (x,), (np.ones(2),), has_aux=True)
    close(tangent, 2 * x)
    assert aux == "aux"
    with pytest.raises(ValueError, match="jvp: primals and tangents must have the same"):
        ops.jvp(lambda a: a, (x,), (x, x))


def test_new_ops_build_functional_models():
    inp = keras.Input((4, 4, 8))
    model = keras.Model(inp, ops.rearrange(ops.depth_to_space(inp, 2), "b h w c -> b (h w c)"))
    x = rng.normal(size=(2, 4, 4, 8)).astype(np.float32)
    close(model(x), ops.convert_to_numpy(ops.depth_to_space(x, 2)).reshape(2, -1))
    seq = keras.Input((10,))
    model = keras.Model(seq, ops.nanmedian(ops.sparsemax(seq), axis=-1))
    assert tuple(model(np.ones((3, 10), np.float32)).shape) == (3,)
    assert isinstance(model(np.ones((3, 10), np.float32)), gf.Tensor)


@pytest.mark.parametrize(
    "fn",
    [
        lambda r, i: ops.stack(ops.fft((r, i)), -1),
        lambda r, i: ops.stack(ops.fft2((r, i)), -1),
        lambda r, i: ops.stack(ops.ifft2((r, i)), -1),
        lambda r, i: ops.stack(ops.rfft(r * i), -1),
        lambda r, i: ops.stack(ops.rfft(r, fft_length=6), -1),
        lambda r, i: ops.stack(ops.rfft(r, fft_length=11), -1),
        lambda r, i: ops.irfft((r, i)),
        lambda r, i: ops.irfft((r, i), fft_length=7),
        lambda r, i: ops.irfft((r, i), fft_length=20),
    ],
)
def test_fourier_gradients(fn):
    # Complex values are forward only in gpuflow; these ops carry the adjoint transforms.
    assert gradcheck(fn, [rng.normal(size=(2, 3, 8)), rng.normal(size=(2, 3, 8))])


def test_stft_istft_gradients():
    assert gradcheck(lambda s: ops.stack(ops.stft(s, 6, 3, 8), -1), [rng.normal(size=(2, 20))])
    assert gradcheck(
        lambda s: ops.stack(ops.stft(s, 8, 4, 8, window=None, center=False), -1),
        [rng.normal(size=(1, 16))],
    )
    spec = ops.stft(rng.normal(size=(1, 24)), 8, 4, 8)
    r, i = (ops.convert_to_numpy(t).astype(np.float64) for t in spec)
    assert gradcheck(lambda a, b: ops.istft((a, b), 8, 4, 8, length=24), [r, i])


def test_fourier_ops_on_symbolic_inputs_build_models():
    inp = keras.Input((16,))
    re, im = ops.rfft(inp)
    model = keras.Model(inp, ops.sqrt(re * re + im * im))
    assert tuple(model.output_shape) == (None, 9)
    x = rng.normal(size=(2, 16)).astype(np.float32)
    close(model(x), np.abs(np.fft.rfft(x)), 1e-4)
    spec = keras.Input((64,))
    model = keras.Model(spec, list(ops.stft(spec, 16, 8, 16)))
    assert [tuple(s) for s in model.output_shape] == [(None, 9, 9), (None, 9, 9)]


@pytest.mark.parametrize(
    "name",
    "fft fft2 ifft2 rfft irfft stft istft view_as_complex view_as_real erfinv conv_transpose "
    "depth_to_space space_to_depth unfold fold ctc_loss ctc_decode polar sparsemax rearrange "
    "cholesky_inverse eig lu_factor nanquantile nanmedian correlate view angle i0".split(),
)
def test_new_ops_dispatch_on_keras_tensors(name):
    assert getattr(getattr(ops, name), "__wrapped_op__", None) is not None
