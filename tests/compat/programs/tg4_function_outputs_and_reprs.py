"""What the TF guides print around tf.function, tf.Module, tf.data and the default strategy:
a branch's Python code runs once per trace, a returned Variable comes back read, a concrete
function asked for with an unknown rank by keyword takes any rank, printed datasets and
modules look as TF's, and the default strategy's reduce hands a Python value back."""

import keras
import numpy as np
import tensorflow as tf

# -- a tensor `if` inside tf.function: each branch's Python code runs once per trace -----
traced = []


@tf.function
def classify(n):
    total = tf.constant(0)
    for i in tf.range(n):
        if i % 4 == 0:
            traced.append("four")
            total += 4
        elif i % 2 == 0:
            traced.append("two")
            total += 2
        else:
            traced.append("odd")
            total += 1
    return total


assert int(classify(tf.constant(8))) == 4 + 1 + 2 + 1 + 4 + 1 + 2 + 1
assert int(classify(tf.constant(3))) == 4 + 1 + 2  # same signature: no new trace
assert sorted(traced) == ["four", "odd", "two"], traced

# -- a Variable returned from tf.function is read, on the first call too ------------------


class Counter(tf.Module):
    def __init__(self):
        super().__init__()
        self.hits = None

    @tf.function
    def __call__(self, step):
        if self.hits is None:
            self.hits = tf.Variable(0)
        return self.hits.assign_add(step)


counter = Counter()
first = counter(tf.constant(2))
second = counter(tf.constant(3))
assert not isinstance(first, tf.Variable), type(first)
assert isinstance(first, tf.Tensor) and isinstance(second, tf.Tensor)
assert int(first) == 2 and int(second) == 5 and int(counter.hits.numpy()) == 5

scale = tf.Variable([1.0, 10.0])


@tf.function
def bump_and_return():
    scale.assign(scale * 2.0)
    return scale


out = bump_and_return()
assert not isinstance(out, tf.Variable)
np.testing.assert_allclose(out.numpy(), [2.0, 20.0])
out = bump_and_return()
np.testing.assert_allclose(out.numpy(), [4.0, 40.0])

# -- a concrete function of unknown rank, asked for by keyword -----------------------------


@tf.function
def raise_to(base, power):
    return base**power


cube = raise_to.get_concrete_function(base=tf.TensorSpec(None, tf.float32), power=3)
np.testing.assert_allclose(
    cube(tf.constant([[1.0, 2.0], [3.0, 0.5]])).numpy(), [[1, 8], [27, 0.125]]
)
np.testing.assert_allclose(cube(base=tf.constant([2.0])).numpy(), [8.0])
assert float(cube(tf.constant(-1.0))) == -1.0
try:
    cube(tf.constant([1, 2]))
    raise AssertionError("an int32 tensor for a float32 concrete function must fail")
except tf.errors.InvalidArgumentError:
    pass

# -- reprs the guides print ----------------------------------------------------------------


class Scale(tf.Module):
    def __init__(self, name=None):
        super().__init__(name=name)
        self.w = tf.Variable(2.0)


outer = tf.Module()
outer.parts = [Scale(name="a"), Scale(name="b")]
shown = repr(outer.submodules)
assert shown.count(".Scale object at 0x") == 2, shown

numbers = tf.data.Dataset.from_tensor_slices(np.arange(6, dtype=np.int32))
assert repr(numbers) == (
    "<_TensorSliceDataset element_spec=TensorSpec(shape=(), dtype=tf.int32, name=None)>"
), repr(numbers)
assert repr(numbers.batch(4)).startswith("<_BatchDataset element_spec=TensorSpec(shape=(None,)")
assert repr(numbers.map(lambda v: v * 2)).startswith("<_MapDataset ")
assert repr(numbers.map(lambda v: v, num_parallel_calls=tf.data.AUTOTUNE)).startswith(
    "<_ParallelMapDataset "
)
assert repr(tf.data.Dataset.zip(numbers, numbers)).startswith("<_ZipDataset ")
assert repr(numbers.shuffle(3).repeat(2).prefetch(1)).startswith("<_PrefetchDataset ")
assert repr(tf.data.Dataset.range(3)).startswith("<_RangeDataset ")
made = tf.data.Dataset.from_generator(
    lambda: iter([(1, 2.0)]), output_signature=(tf.TensorSpec([], tf.int32), tf.TensorSpec([]))
)
assert repr(made).startswith("<_FlatMapDataset element_spec=(TensorSpec(shape=(), dtype=tf.int32")
for window in tf.data.Dataset.range(5).window(2).take(1):
    assert repr(window).startswith("<_VariantDataset "), repr(window)
    assert list(window.as_numpy_iterator()) == [0, 1]

# -- the default strategy hands a non-distributed value back as it came -------------------
default = tf.distribute.get_strategy()
summed = default.reduce("SUM", 1.5, axis=None)
assert summed == 1.5 and type(summed) is float
assert default.reduce(tf.distribute.ReduceOp.MEAN, [1, 2], axis=None) == [1, 2]
along = default.reduce("SUM", tf.constant([[1.0, 2.0], [3.0, 4.0]]), axis=0)
np.testing.assert_allclose(along.numpy(), [4.0, 6.0])
# -- errors the guides print ---------------------------------------------------------------
try:
    keras.layers.Dense(2)([[2.0, 2.0, 2.0]])  # a Python list as a layer's positional input
    raise AssertionError("Keras 3 refuses a Python list as a layer's input")
except ValueError as err:
    assert "Only input tensors may be passed as positional arguments" in str(err), err
assert keras.layers.Dense(2)(np.ones((1, 3), "float32")).shape == (1, 2)
try:
    tf.reshape(tf.range(30), [7, -1])
    raise AssertionError("30 values do not fill rows of 7")
except tf.errors.InvalidArgumentError as err:
    assert "Input to reshape is a tensor with 30 values" in str(err), err
    assert "requires a multiple of 7" in str(err), err
print("ok")
