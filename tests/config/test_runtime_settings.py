"""tf.config.experimental memory/device/execution settings, tf.config.optimizer,
tf.sysconfig and tf.test.compute_gradient."""

import numpy as np
import pytest

import gpuflow as tf
from gpuflow.config import runtime


@pytest.fixture(autouse=True)
def _restore_settings():
    saved = {k: (dict(v) if isinstance(v, dict) else v) for k, v in runtime._settings.items()}
    yield
    runtime._settings.update(saved)


def test_execution_settings_read_back():
    exp = tf.config.experimental
    assert exp.tensor_float_32_execution_enabled()  # TensorFlow's default
    exp.enable_tensor_float_32_execution(False)
    assert not exp.tensor_float_32_execution_enabled()
    assert exp.get_device_policy() == "silent"
    exp.set_device_policy("warn")
    assert exp.get_device_policy() == "warn"
    with pytest.raises(ValueError, match="set_device_policy"):
        exp.set_device_policy("loud")
    exp.set_synchronous_execution(False)
    assert not exp.get_synchronous_execution()


def test_optimizer_settings_and_older_names():
    assert tf.config.optimizer.get_jit() == ""
    tf.config.optimizer.set_jit(True)
    assert tf.config.optimizer.get_jit() == "autoclustering"
    with pytest.raises(ValueError, match="set_jit"):
        tf.config.optimizer.set_jit("xla")
    tf.config.optimizer.set_experimental_options({"layout_optimizer": False})
    assert tf.config.optimizer.get_experimental_options() == {
        "layout_optimizer": False,
        "disable_model_pruning": False,
        "disable_meta_optimizer": False,
    }
    assert tf.config.experimental_run_functions_eagerly is tf.config.run_functions_eagerly
    exp = tf.config.experimental
    assert exp.VirtualDeviceConfiguration is tf.config.LogicalDeviceConfiguration


def test_cpu_memory_is_not_tracked_and_bad_names_fail():
    assert tf.config.experimental.get_memory_info("CPU:0") == {"current": 0, "peak": 0}
    assert (
        tf.config.experimental.get_device_details(tf.config.list_physical_devices("CPU")[0]) == {}
    )
    with pytest.raises(ValueError, match="get_memory_info: expected a device name"):
        tf.config.experimental.get_memory_info("TPU-0")
    if not tf.config.list_physical_devices("GPU"):
        with pytest.raises(ValueError, match="no device 'GPU:0'"):
            tf.config.experimental.get_memory_info("GPU:0")


def test_sysconfig_build_info_keys():
    info = tf.sysconfig.get_build_info()
    assert info["is_rocm_build"] is False and info["is_tensorrt_build"] is False
    assert info["is_cuda_build"] == tf.test.is_built_with_cuda()


def test_compute_gradient_matches_finite_differences():
    def f(a, b):
        return tf.matmul(a, b) ** 2

    a = np.arange(6, dtype=np.float64).reshape(2, 3) / 3
    b = np.linspace(-1, 1, 6).reshape(3, 2)
    theoretical, numerical = tf.test.compute_gradient(f, [a, b])
    assert [t.shape for t in theoretical] == [(4, 6), (4, 6)]
    for t, n in zip(theoretical, numerical):
        np.testing.assert_allclose(t, n, atol=1e-5)
    (t,), (n,) = tf.test.compute_gradient(tf.function(lambda x: x * x), [1.0])
    assert t.tolist() == [[2.0]] and abs(n[0, 0] - 2.0) < 1e-3
    with pytest.raises(ValueError, match="must be a list or tuple"):
        tf.test.compute_gradient(f, a)


def test_optimizer_options_are_reported_as_tensorflow_reports_them():
    from gpuflow.config import runtime

    saved = dict(runtime._settings["optimizer_options"])
    try:
        runtime._settings["optimizer_options"] = {}
        get = tf.config.optimizer.get_experimental_options
        assert get() == {"disable_model_pruning": False, "disable_meta_optimizer": False}
        tf.config.optimizer.set_experimental_options(
            {"constant_folding": 1, "disable_meta_optimizer": True, "min_graph_nodes": 5}
        )
        assert get() == {
            "constant_folding": True,
            "disable_model_pruning": False,
            "disable_meta_optimizer": True,
            "min_graph_nodes": 5,
        }
        tf.config.optimizer.set_experimental_options({"constant_folding": None})
        assert "constant_folding" not in get()
        with pytest.warns(UserWarning, match=r"unknown options \['nonsense'\] are ignored"):
            tf.config.optimizer.set_experimental_options({"nonsense": True, "remapping": False})
        assert "nonsense" not in get() and get()["remapping"] is False
    finally:
        runtime._settings["optimizer_options"] = saved
