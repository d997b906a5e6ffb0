"""tf.config devices, TF device spellings, soft placement and tensor.device (CPU-only and GPU)."""

from __future__ import annotations

import warnings

import pytest

import gpuflow as tf
from gpuflow.backend import cuda_status, device_names
from gpuflow.config import settings

HAS_GPU = cuda_status()[0] > 0
CPU = "/job:localhost/replica:0/task:0/device:CPU:0"


@pytest.fixture(autouse=True)
def _restore_config():
    yield
    settings.set_soft_device_placement(True)
    settings.set_visible_gpus(None)


def test_physical_and_logical_devices():
    phys = tf.config.list_physical_devices()
    assert phys[0] == tf.config.PhysicalDevice("/physical_device:CPU:0", "CPU")
    assert (phys[0].name, phys[0].device_type) == ("/physical_device:CPU:0", "CPU")
    gpus = tf.config.list_physical_devices("GPU")
    assert len(gpus) == cuda_status()[0]
    assert all(g.device_type == "GPU" for g in gpus)
    assert tf.config.list_physical_devices("cpu") == phys[:1]
    logical = tf.config.list_logical_devices()
    assert logical[0] == tf.config.LogicalDevice("/device:CPU:0", "CPU")
    assert [d.name for d in tf.config.list_logical_devices("GPU")] == [
        f"/device:GPU:{i}" for i in range(len(gpus))
    ]
    with pytest.raises(ValueError, match="unknown device_type 'FPGA'"):
        tf.config.list_physical_devices("FPGA")


@pytest.mark.parametrize(
    "spelling, expected",
    [
        ("/GPU:0", "cuda:0"),
        ("GPU:0", "cuda:0"),
        ("/device:GPU:0", "cuda:0"),
        ("gpu:1", "cuda:1"),
        ("/job:localhost/replica:0/task:0/device:CPU:0", "cpu"),
        ("cpu", "cpu"),
        ("CPU:0", "cpu"),
        ("/device:cpu:0", "cpu"),
        ("/cpu:0", "cpu"),
        ("cuda", "cuda:0"),
        ("CUDA:1", "cuda:1"),
        ("cuda-emu", "cuda-emu"),
        ("/job:localhost", None),
        ("/physical_device:GPU:0", "cuda:0"),
    ],
)
def test_parse_tf_and_gpuflow_spellings(spelling, expected):
    assert device_names.parse(spelling) == expected


@pytest.mark.parametrize("spelling", ["xyz", "/device:FPGA:0", "/GPU:0/CPU:0", "/job:"])
def test_parse_rejects_unknown_spellings(spelling):
    with pytest.raises(ValueError, match="cannot parse"):
        device_names.parse(spelling)


def test_tensor_device_is_tf_full_string_and_equals_short_name(device):
    with tf.device(device):
        x = tf.constant([1.0, 2.0])
    assert x.device == device and x.device.short == device
    kind = {"cpu": "CPU:0", "cuda-emu": "CUDA_EMU:0"}.get(device, "GPU:" + device[5:])
    assert str(x.device) == f"/job:localhost/replica:0/task:0/device:{kind}"
    # the full string names the same device back
    assert tf.zeros([2], device=x.device).device == device
    with tf.device(x.device):
        assert tf.ones([1]).device == device


def test_cpu_spellings_place_on_cpu():
    for spelling in ("/CPU:0", CPU, "cpu", "/device:CPU:0"):
        with tf.device(spelling):
            assert str(tf.constant(1.0).device) == CPU


@pytest.mark.skipif(HAS_GPU, reason="checks the CPU fallback; this machine has a GPU")
def test_soft_placement_falls_back_to_cpu_with_one_warning():
    device_names._warned.discard("cuda:0")
    with pytest.warns(UserWarning, match=r"'/GPU:0' .* placing on the CPU") as record:
        with tf.device("/GPU:0"):
            x = tf.constant([1.0]) * 2
        with tf.device("/device:GPU:0"):
            tf.constant([1.0])
    assert len([w for w in record if "placing on the CPU" in str(w.message)]) == 1
    assert str(x.device) == CPU


def test_soft_placement_off_is_an_error_listing_the_devices():
    assert tf.config.get_soft_device_placement() is True
    tf.config.set_soft_device_placement(False)
    assert tf.config.get_soft_device_placement() is False
    with pytest.raises(tf.errors.InvalidArgumentError) as info:
        with tf.device("/GPU:7"):
            pass
    msg = str(info.value)
    assert "'/GPU:7'" in msg and "device:GPU:7" in msg and f"devices present: {CPU}" in msg
    assert isinstance(info.value, ValueError)


def test_gpuflow_cuda_name_stays_strict_without_gpu():
    if HAS_GPU:
        pytest.skip("checks the no-GPU error")
    with pytest.raises(tf.backend.DeviceUnavailableError):
        with tf.device("cuda"):
            pass


def test_visible_devices_hide_gpus():
    assert tf.config.get_visible_devices() == tf.config.list_physical_devices()
    tf.config.set_visible_devices([], "GPU")
    assert tf.config.get_visible_devices("GPU") == []
    assert tf.config.list_logical_devices("GPU") == []
    assert tf.test.gpu_device_name() == ""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with tf.device("/GPU:0"):
            assert str(tf.constant(1.0).device) == CPU
    with pytest.raises(ValueError, match="the CPU cannot be hidden"):
        tf.config.set_visible_devices(tf.config.list_physical_devices("GPU"))
    with pytest.raises(ValueError, match="unknown device"):
        tf.config.set_visible_devices([tf.config.PhysicalDevice("/physical_device:GPU:9", "GPU")])
    cpus = tf.config.list_physical_devices("CPU")
    for kind in ("GPU", "TPU"):  # TensorFlow: "Unrecognized device" for another type
        with pytest.raises(ValueError, match="unrecognized device"):
            tf.config.set_visible_devices(cpus, kind)


def test_tf_test_functions():
    try:
        import cupy  # noqa: F401

        built = True
    except Exception:
        built = False
    assert tf.test.is_built_with_cuda() is built
    assert tf.test.gpu_device_name() == ("/device:GPU:0" if HAS_GPU else "")
    assert tf.test.is_gpu_available() is HAS_GPU


def test_memory_growth_on_cpu_is_refused():
    cpu = tf.config.list_physical_devices("CPU")[0]
    with pytest.raises(ValueError, match="non-GPU"):
        tf.config.experimental.set_memory_growth(cpu, True)
    with pytest.raises(ValueError, match="non-GPU"):
        tf.config.experimental.get_memory_growth(cpu)


@pytest.mark.skipif(not HAS_GPU, reason="needs a GPU: " + cuda_status()[1])
def test_memory_growth_and_limit_on_gpu():
    import cupy

    gpu = tf.config.list_physical_devices("GPU")[0]
    assert tf.config.experimental.get_memory_growth(gpu) is False
    tf.config.experimental.set_memory_growth(gpu, True)
    assert tf.config.experimental.get_memory_growth(gpu) is True
    tf.config.set_logical_device_configuration(
        gpu, [tf.config.LogicalDeviceConfiguration(memory_limit=64)]
    )
    try:
        assert cupy.get_default_memory_pool().get_limit() == 64 << 20
        assert tf.config.get_logical_device_configuration(gpu)[0].memory_limit == 64
    finally:
        tf.config.set_logical_device_configuration(gpu, [])
    assert cupy.get_default_memory_pool().get_limit() == 0


def test_cpu_split_into_logical_devices():
    cpu = tf.config.list_physical_devices("CPU")[0]
    try:
        tf.config.set_logical_device_configuration(
            cpu, [tf.config.LogicalDeviceConfiguration()] * 3
        )
        names = [d.name for d in tf.config.list_logical_devices("CPU")]
        assert names == ["/device:CPU:0", "/device:CPU:1", "/device:CPU:2"]
        assert len(tf.config.get_logical_device_configuration(cpu)) == 3
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # a configured logical CPU is no soft placement
            with tf.device("/job:localhost/replica:0/task:0/device:CPU:2"):
                x = tf.constant([1.0, 2.0])
        assert x.device == CPU  # every logical CPU runs on the one CPU
        with pytest.warns(UserWarning, match="not available"):
            with tf.device("CPU:7"):  # past the configured ones: soft placement, as before
                tf.constant(1.0)
    finally:
        tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()])
        device_names._warned.discard("cpu:7")
    assert [d.name for d in tf.config.list_logical_devices("CPU")] == ["/device:CPU:0"]
