"""dtensor tests run on the CPU split into 6 logical devices (restored afterwards)."""

from __future__ import annotations

import pytest

import gpuflow as tf


@pytest.fixture(autouse=True)
def six_cpus():
    cpu = tf.config.list_physical_devices("CPU")[0]
    tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()] * 6)
    yield [f"CPU:{i}" for i in range(6)]
    tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()])
