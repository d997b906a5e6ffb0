"""tf.function guide: reduce_retracing, and Variables created inside a function."""

import tensorflow as tf


@tf.function(reduce_retracing=True)
def double(x):
    return x * 2


for n in (3, 5, 7):
    assert double(tf.ones([n])).numpy().tolist() == [2.0] * n
# the second shape generalizes the signature to [None]; the third fits it
assert double.experimental_get_tracing_count() == 2
assert double(tf.ones([2, 3])).shape == (2, 3)
assert double.experimental_get_tracing_count() == 3


@tf.function
def plain(x):
    return x + 1


for n in (3, 5, 7):
    plain(tf.ones([n]))
assert plain.experimental_get_tracing_count() == 3


class Counter(tf.Module):
    def __init__(self):
        super().__init__()
        self.count = None

    @tf.function
    def __call__(self, x):
        if self.count is None:  # created on the first call only: allowed
            self.count = tf.Variable(0.0)
        self.count.assign_add(tf.reduce_sum(x))
        return self.count.read_value()


counter = Counter()
assert float(counter(tf.constant([1.0, 2.0]))) == 3.0
assert float(counter(tf.constant([4.0, 5.0]))) == 12.0
assert float(counter.count) == 12.0


@tf.function
def makes_a_variable_each_call(x):
    v = tf.Variable(1.0)
    return v * x


try:
    makes_a_variable_each_call(tf.constant(2.0))
    raise AssertionError("a Variable made on every trace must fail")
except ValueError as error:
    assert "singleton" in str(error), str(error)
print("ok")
