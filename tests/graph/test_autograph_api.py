"""tf.autograph: to_code shows the converted source, to_graph the converted function,
experimental.do_not_convert keeps a function unconverted inside gpuflow.function."""

from __future__ import annotations

import pytest

import gpuflow as tf
from gpuflow.graph.trace import OperatorNotAllowedInGraphError


def double_if_positive(x):
    if x > 0:
        x = x * 2
    return x


def test_to_code_and_to_graph():
    code = tf.autograph.to_code(double_if_positive)
    assert isinstance(code, str) and "ag__.if_stmt" in code and "def double_if_positive" in code
    converted = tf.autograph.to_graph(double_if_positive)
    assert int(converted(tf.constant(3))) == 6 and int(converted(tf.constant(-3))) == -3
    with pytest.raises(ValueError, match="unable to locate the source"):
        tf.autograph.to_code(len)


def test_do_not_convert_keeps_python_semantics():
    @tf.autograph.experimental.do_not_convert
    def plain(x):
        if x > 0:
            x = x * 2
        return x

    assert tf.autograph.to_graph(plain) is plain
    with pytest.raises(OperatorNotAllowedInGraphError):
        tf.function(plain)(tf.constant(3))
    assert int(tf.function(double_if_positive)(tf.constant(3))) == 6
    tf.autograph.set_verbosity(3)  # accepted
