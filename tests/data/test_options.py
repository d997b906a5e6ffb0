"""tf.data.Options: typed fields, nested groups, aliases, merging along a pipeline."""

from __future__ import annotations

import pytest

import gpuflow as tf


def test_fields_default_to_none_and_are_typed():
    o = tf.data.Options()
    assert o.deterministic is None and o.experimental_optimization.map_fusion is None
    assert o.experimental_distribute.auto_shard_policy == tf.data.experimental.AutoShardPolicy.AUTO
    o.deterministic = False
    assert o.experimental_deterministic is False  # the old name is an alias
    with pytest.raises(TypeError, match='"deterministic" must be of type'):
        o.deterministic = 3
    with pytest.raises(AttributeError, match="Cannot set the property foo on Options"):
        o.foo = 1
    with pytest.raises(TypeError, match="private_threadpool_size"):
        o.threading.private_threadpool_size = True


def test_with_options_and_merge():
    o = tf.data.Options()
    o.deterministic = False
    o.threading.private_threadpool_size = 4
    ds = tf.data.Dataset.range(3).with_options(o)
    mapped = ds.map(lambda x: x * 2)
    assert mapped.options().deterministic is False
    assert mapped.options().threading.private_threadpool_size == 4
    assert list(mapped.as_numpy_iterator()) == [0, 2, 4]
    later = tf.data.Options()
    later.deterministic = True
    later.experimental_slack = True
    merged = mapped.with_options(later).options()
    assert merged.deterministic is True and merged.experimental_slack is True
    assert merged.threading.private_threadpool_size == 4
    assert tf.data.Options() == tf.data.Options() and o != tf.data.Options()
    with pytest.raises(TypeError, match="expected a tf.data.Options"):
        ds.with_options({"deterministic": False})
