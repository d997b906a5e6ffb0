"""tf.errors: TensorFlow's attributes, the Python base classes, op errors with the op's name."""

from __future__ import annotations

import pickle

import pytest

import gpuflow as tf
from gpuflow import errors

PYTHON_BASES = {
    "InvalidArgumentError": ValueError,
    "NotFoundError": FileNotFoundError,
    "AlreadyExistsError": FileExistsError,
    "OutOfRangeError": IndexError,
    "ResourceExhaustedError": MemoryError,
    "UnimplementedError": NotImplementedError,
    "FailedPreconditionError": RuntimeError,
    "PermissionDeniedError": PermissionError,
    "DeadlineExceededError": TimeoutError,
    "UnavailableError": RuntimeError,
    "DataLossError": ValueError,
    "UnauthenticatedError": PermissionError,
    "CancelledError": None,
    "UnknownError": None,
    "AbortedError": None,
    "InternalError": None,
}
CODES = {
    "CancelledError": 1,
    "UnknownError": 2,
    "InvalidArgumentError": 3,
    "DeadlineExceededError": 4,
    "NotFoundError": 5,
    "AlreadyExistsError": 6,
    "PermissionDeniedError": 7,
    "ResourceExhaustedError": 8,
    "FailedPreconditionError": 9,
    "AbortedError": 10,
    "OutOfRangeError": 11,
    "UnimplementedError": 12,
    "InternalError": 13,
    "UnavailableError": 14,
    "DataLossError": 15,
    "UnauthenticatedError": 16,
}


@pytest.mark.parametrize("name", sorted(PYTHON_BASES))
def test_class_attributes_and_bases(name):
    cls = getattr(tf.errors, name)
    err = cls(None, "MyOp", "went wrong")
    assert isinstance(err, tf.errors.OpError)
    assert (err.message, err.op, err.node_def) == ("went wrong", "MyOp", None)
    assert str(err) == "went wrong"
    assert err.error_code == CODES[name]
    assert tf.errors.exception_type_from_error_code(CODES[name]) is cls
    assert tf.errors.error_code_from_exception_type(cls) == CODES[name]
    base = PYTHON_BASES[name]
    if base is not None:
        assert isinstance(err, base)
        with pytest.raises(base):
            raise err


def test_constant_names_match_tensorflow():
    assert (
        tf.errors.OK,
        tf.errors.INVALID_ARGUMENT,
        tf.errors.OUT_OF_RANGE,
        tf.errors.UNAUTHENTICATED,
    ) == (0, 3, 11, 16)


def test_single_message_python_style_and_pickle():
    err = tf.errors.NotFoundError("no such key")
    assert (err.message, err.op, str(err)) == ("no such key", None, "no such key")
    again = pickle.loads(pickle.dumps(tf.errors.InvalidArgumentError(None, "Op", "m", 3)))
    assert (type(again), again.op, again.message, again.error_code) == (
        tf.errors.InvalidArgumentError,
        "Op",
        "m",
        3,
    )


def test_out_of_range_is_not_stop_iteration():
    # A StopIteration escaping a generator would turn into RuntimeError (PEP 479).
    assert not issubclass(tf.errors.OutOfRangeError, StopIteration)


def test_unknown_code_and_non_error_type():
    with pytest.raises(KeyError, match="unknown error code 99"):
        tf.errors.exception_type_from_error_code(99)
    with pytest.raises(TypeError, match="OpError subclass"):
        tf.errors.error_code_from_exception_type(ValueError)


@pytest.mark.parametrize(
    "call, op",
    [
        (lambda: tf.reshape(tf.ones([3]), [2]), "reshape"),
        (lambda: tf.matmul(tf.ones([2, 3]), tf.ones([2, 3])), "matmul"),
        (lambda: tf.reduce_sum(tf.ones([2, 3]), axis=5), "reduce_sum"),
        (lambda: tf.concat([tf.ones([2, 3]), tf.ones([2, 4])], axis=0), "concat"),
        (lambda: tf.broadcast_to(tf.ones([3]), [2, 4]), "broadcast_to"),
        (lambda: tf.nn.dropout(tf.ones([3]), rate=1.5), "dropout"),
    ],
)
def test_op_shape_errors_are_invalid_argument_with_op_name(device, call, op):
    with tf.device(device):
        with pytest.raises(tf.errors.InvalidArgumentError) as info:
            call()
    assert info.value.op == op
    assert info.value.message.startswith(f"{op}: ")
    assert isinstance(info.value, ValueError)  # `except ValueError` keeps working


def test_invalid_argument_helper():
    err = errors.invalid_argument("gather", "index 7 out of range [0, 3)")
    assert (err.op, err.message) == ("gather", "gather: index 7 out of range [0, 3)")
    assert err.error_code == tf.errors.INVALID_ARGUMENT


def test_out_of_memory_in_an_op_is_resource_exhausted(device):
    with tf.device(device):
        x = tf.ones([1])
        with pytest.raises(tf.errors.ResourceExhaustedError) as info:
            tf.tile(x, [2**50])  # 4 PiB
    assert info.value.op == "Tile" and "out of memory on" in info.value.message
    assert isinstance(info.value, MemoryError)  # `except MemoryError` keeps working
