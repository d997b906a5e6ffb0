"""np.min / np.max / np.sum / np.mean of a tensor give NumPy values, as for a TF EagerTensor."""

import numpy as np

import gpuflow as gf
from gpuflow.tensor import Tensor


def test_numpy_reductions_return_numpy_values():
    t = gf.constant([[1.0, 2.0], [3.0, 4.0]])
    for fn, want in ((np.min, 1.0), (np.max, 4.0), (np.sum, 10.0), (np.mean, 2.5), (np.amax, 4.0)):
        got = fn(t)
        assert type(got) is np.float32 and got == want, (fn.__name__, type(got), got)
    by_axis = np.sum(t, axis=0, keepdims=True)
    assert type(by_axis) is np.ndarray and by_axis.tolist() == [[4.0, 6.0]]
    assert np.sum(t, dtype="float64").dtype == np.float64
    assert np.max(t, initial=9.0) == 9.0
    out = np.zeros(2, np.float32)
    np.min(t, axis=1, out=out)
    assert out.tolist() == [1.0, 3.0]


def test_tensor_methods_stay_tensors():
    t = gf.constant([[1.0, 2.0], [3.0, 4.0]])
    assert isinstance(t.sum(), Tensor) and float(t.sum()) == 10.0
    assert isinstance(t.max(axis=0), Tensor) and t.max(axis=0).numpy().tolist() == [3.0, 4.0]
    assert t.mean(keepdims=True).shape == (1, 1)
