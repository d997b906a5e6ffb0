"""TensorSpec(shape=None) (unknown rank) in signatures, as TensorFlow prints and infers it."""

import gpuflow as tf


def test_spec_of_an_unknown_tensor_shape_has_unknown_rank():
    spec = tf.TensorSpec(tf.TensorShape(None), tf.float32, name="v")
    assert repr(spec) == "TensorSpec(shape=<unknown>, dtype=tf.float32, name='v')"
    assert spec == tf.TensorSpec(None, tf.float32, name="v")
    assert spec.is_compatible_with(tf.ones((2, 3))) and spec.is_compatible_with(tf.ones(()))
    assert repr(tf.TensorSpec(tf.TensorShape([None, 2]))).startswith("TensorSpec(shape=(None, 2)")


def test_outputs_of_an_unknown_rank_input():
    @tf.function(input_signature=[tf.TensorSpec(shape=None, dtype=tf.float32)])
    def g(x):
        return tf.reduce_sum(x), x + 1.0, tf.shape(x)

    out = g(tf.ones((2, 3)))
    assert [tuple(o.shape) for o in out] == [(), (2, 3), (2,)]
    assert g.pretty_printed_concrete_signatures(verbose=False) == (
        "(x: TensorSpec(shape=<unknown>, dtype=tf.float32, name=None)) -> "
        "Tuple[TensorSpec(shape=(), dtype=tf.float32, name=None), "
        "TensorSpec(shape=<unknown>, dtype=tf.float32, name=None), "
        "TensorSpec(shape=(None,), dtype=tf.int32, name=None)]"
    )
    cf = g.get_concrete_function(tf.ones((2, 3)))
    shapes = cf.output_shapes
    assert shapes[0].rank == 0 and shapes[1].rank is None and shapes[2].as_list() == [None]
    assert repr(cf.structured_input_signature) == (
        "((TensorSpec(shape=<unknown>, dtype=tf.float32, name='x'),), {})"
    )
    assert g.experimental_get_tracing_count() == 1
