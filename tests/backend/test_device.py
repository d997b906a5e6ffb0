"""Devices: names, scopes, transfers, 'auto', and the errors (mixed devices, cuda unavailable)."""

from __future__ import annotations

import numpy as np
import pytest
from core_helpers import CUDA_DEVICES

import gpuflow as gf
from gpuflow.backend import (
    DeviceMismatchError,
    DeviceUnavailableError,
    cuda_status,
    get_device,
)


def test_list_devices():
    names = gf.list_devices()
    assert names[0] == "cpu"
    assert [n for n in names if n.startswith("cuda:")] == [
        f"cuda:{i}" for i in range(cuda_status()[0])
    ]


def test_device_names_are_canonical():
    assert (
        get_device("CPU")
        is get_device("cpu")
        is get_device("/cpu:0")
        is get_device("/device:CPU:0")
    )
    assert get_device(get_device("cpu")) is get_device("cpu")
    assert str(get_device("cpu")) == "cpu" and "cpu" in repr(get_device("cpu"))


def test_device_scope(device):
    with gf.device(device) as dev:
        assert dev.name == device and gf.current_device() is dev
        for t in (
            gf.zeros([2]),
            gf.constant([1.0]),
            gf.random.normal([2]),
            gf.range(3),
            gf.Variable([1.0]),
        ):
            assert t.device == device
        with gf.device("cpu"):
            assert gf.ones([1]).device == "cpu"
        assert gf.ones([1]).device == device
    assert gf.current_device() is get_device(gf.config.default_device())


def test_scope_is_restored_after_an_error():
    before = gf.current_device()
    with pytest.raises(RuntimeError), gf.device("cpu"):
        raise RuntimeError("boom")
    assert gf.current_device() is before


def test_unknown_device():
    with pytest.raises(
        ValueError,
        match="unknown device 'tpu': expected 'auto', 'cpu', 'cuda', 'cuda:N' or 'cuda-emu'",
    ):
        gf.zeros([1], device="tpu")
    with pytest.raises(ValueError, match="expected 'cuda' or 'cuda:N'"):
        get_device("cuda:x")


@pytest.mark.skipif(bool(CUDA_DEVICES), reason="a GPU answers here; this checks the no-GPU error")
@pytest.mark.parametrize("spec", ["cuda", "cuda:0", "gpu", "/GPU:0"])
def test_explicit_cuda_without_gpu_says_why(spec):
    count, reason = cuda_status()
    assert count == 0
    with pytest.raises(DeviceUnavailableError) as info:
        gf.constant([1.0], device=spec)
    message = str(info.value)
    assert "'cuda:0' is not available" in message and reason in message
    assert "CuPy" in message and ("driver" in message or "pip install" in message)


def test_missing_gpu_index_says_how_many(gpu):
    count = cuda_status()[0]
    with pytest.raises(DeviceUnavailableError, match=f"{count} GPU\\(s\\) found"):
        get_device(f"cuda:{count}")


def test_mixed_devices_raise_naming_both(emu):
    # every tensor names its device: the default may be cuda:0 (GPUFLOW_DEVICE=cuda) or cuda-emu
    a = gf.constant([1.0, 2.0], device="cpu")
    b = gf.constant([3.0, 4.0], device=emu)
    calls = [
        ("Add", lambda: a + b),
        ("Mul", lambda: b * a),
        ("MatMul", lambda: gf.matmul(gf.ones([2, 2]), gf.ones([2, 2], device=emu))),
        ("equal", lambda: gf.equal(a, b)),
        ("Concat", lambda: gf.concat([a, b], 0)),
        ("Where", lambda: gf.where(a > 1.0, a, b)),
        ("Dense", lambda: gf.nn.dense(gf.ones([1, 2]), gf.ones([2, 2], device=emu))),
        ("Conv2D", lambda: gf.nn.conv2d(gf.ones([1, 3, 3, 1]), gf.ones([2, 2, 1, 1], device=emu))),
    ]
    with gf.device("cpu"):  # the untagged gf.ones above are made inside, on the cpu
        for op, call in calls:
            with pytest.raises(DeviceMismatchError) as info:
                call()
            message = str(info.value)
            assert op in message and "cpu" in message and "cuda-emu" in message, message


def test_no_silent_copies_between_devices(emu):
    a = gf.constant([1.0, 2.0], device=emu)
    assert (a + 1.0).device == emu  # scalars join the tensor's device
    assert (a + [1.0, 1.0]).device == emu  # so do lists
    moved = gf.constant([1.0, 2.0], device="cpu").to(emu)
    assert moved.device == emu
    assert (a + moved).device == emu


def test_auto_resolves_like_cuda_status():
    from gpuflow.backend import resolve_auto

    assert resolve_auto() == ("cuda:0" if cuda_status()[0] else "cpu")
    assert get_device("auto").name == resolve_auto()


@pytest.mark.gpu
def test_ops_on_gpu(gpu):
    x = gf.constant(np.arange(6.0, dtype=np.float32).reshape(2, 3), device=gpu)
    assert x.device == gpu
    with gf.GradientTape() as tape:
        tape.watch(x)
        y = gf.reduce_sum(gf.nn.dense(x, gf.ones([3, 2], device=gpu), activation="relu"))
    g = tape.gradient(y, x)
    assert g.device == gpu
    np.testing.assert_allclose(g.numpy(), np.full((2, 3), 2.0))
    np.testing.assert_allclose(x.to("cpu").numpy(), np.arange(6.0).reshape(2, 3))
    with pytest.raises(DeviceMismatchError, match="cpu"):
        x + gf.ones([2, 3], device="cpu")


@pytest.mark.gpu
def test_gpu_float16_sum_and_seed(gpu):
    assert float(gf.reduce_sum(gf.ones([10000], dtype="float16", device=gpu))) == 10000.0
    gf.random.set_seed(3)
    a = gf.random.normal([4], device=gpu).numpy()
    gf.random.set_seed(3)
    np.testing.assert_array_equal(gf.random.normal([4], device=gpu).numpy(), a)
