"""tf.experimental: async_scope / async_clear_error, extension_type.as_dict,
ExtensionTypeSpec, and the names dir() lists (tf.experimental, tf.random)."""

from __future__ import annotations

import numpy as np
import pytest

import gpuflow as tf


class Masked(tf.experimental.ExtensionType):
    values: tf.Tensor
    mask: tf.Tensor
    label: str = "m"


def test_async_scope_runs_the_block_and_errors_still_raise_at_the_op():
    v = tf.Variable(0.0)
    with tf.experimental.async_scope():
        for _ in range(3):
            v.assign_add(1.0)
    assert float(v.numpy()) == 3.0
    it = iter(tf.data.Dataset.range(2))
    with pytest.raises(tf.errors.OutOfRangeError):
        with tf.experimental.async_scope():
            for _ in range(5):
                it.get_next()
    assert tf.experimental.async_clear_error() is None


def test_as_dict_is_the_top_level_fields():
    inner = Masked(tf.constant([1.0]), tf.constant([True]))
    d = tf.experimental.extension_type.as_dict(inner)
    assert list(d) == ["values", "mask", "label"] and d["label"] == "m"
    assert d["values"] is inner.values


def test_as_dict_refuses_other_values():
    with pytest.raises(AttributeError, match="expected an ExtensionType value, received dict"):
        tf.experimental.extension_type.as_dict({"a": 1})


def test_extension_type_spec_is_the_base_of_each_spec():
    m = Masked(tf.constant([1.0, 2.0]), tf.constant([True, False]))
    assert issubclass(Masked.Spec, tf.experimental.ExtensionTypeSpec)
    assert isinstance(tf.type_spec_from_value(m), tf.experimental.ExtensionTypeSpec)


@pytest.mark.parametrize(
    "module, names",
    [
        ("experimental", ["dlpack", "numpy", "extension_type", "async_scope", "ExtensionTypeSpec"]),
        ("random", ["experimental", "stateless_binomial", "create_rng_state"]),
        ("train", ["CheckpointView", "TrackableView", "experimental"]),
    ],
)
def test_dir_lists_the_names_loaded_on_first_use(module, names):
    listed = dir(getattr(tf, module))
    assert [n for n in names if n not in listed] == []
    assert all(getattr(getattr(tf, module), n) is not None for n in names)


def test_top_level_dir_lists_graph_and_operation():
    assert {"Graph", "Operation", "approx_top_k", "guarantee_const"} <= set(dir(tf))
    np.testing.assert_array_equal(tf.guarantee_const([1, 2]).numpy(), [1, 2])
