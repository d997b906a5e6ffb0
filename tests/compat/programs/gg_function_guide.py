"""tf.function as the "Better performance with tf.function" and "Introduction to graphs"
guides use it: a concrete function's function_type and inference_fn, calling a concrete
function with only its tensors, the error for a tensor of another dtype, module globals
assigned inside a traced function, and unused failing ops pruned from a graph."""

import inspect

import tensorflow as tf


@tf.function
def repeat(text):
    return text + text


as_strings = repeat.get_concrete_function(tf.TensorSpec(shape=[], dtype=tf.string))
string_spec = "TensorSpec(shape=(), dtype=tf.string, name=None)"
assert str(as_strings.function_type) == f"(text: {string_spec}) -> {string_spec}"
assert str(as_strings).startswith("ConcreteFunction Input Parameters:\n  text (POSITIONAL_OR_")
parameter = as_strings.function_type.parameters["text"]
assert parameter.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD
assert parameter.type_constraint == tf.TensorSpec([], tf.string)
assert as_strings.function_type.output == tf.TensorSpec([], tf.string)
try:
    as_strings(tf.constant(7))
    raise AssertionError("an int32 tensor does not feed a string trace")
except tf.errors.InvalidArgumentError as error:
    assert "expected to be a string tensor but is a int32 tensor" in str(error)

atomic = as_strings.inference_fn
assert atomic(tf.constant("ab")).numpy() == b"abab"
try:
    atomic(tf.constant(7))
    raise AssertionError("inference_fn checks its input types")
except TypeError:
    pass


@tf.function
def scale(x, factor=3, *, offset=None):
    return x * factor


keyword_trace = scale.get_concrete_function(tf.TensorSpec([None, 2], tf.float32), 4)
text = str(keyword_trace.function_type)
assert text.startswith("(x: TensorSpec(shape=(None, 2), dtype=tf.float32, name=None), ")
assert "factor: Literal[4], *, offset: Literal[None])" in text, text
assert keyword_trace(tf.ones([3, 2])).numpy().tolist() == [[4.0, 4.0]] * 3


# A module whose attributes are Python numbers: the trace keeps the values it saw, and
# the concrete function is called with its tensor alone.
class Affine(tf.Module):
    def __init__(self):
        self.weight = 2.0
        self.bias = 1.0


def apply(model, x):
    return model.weight * x + model.bias


model, x = Affine(), tf.constant(5.0)
before = tf.function(apply).get_concrete_function(model, x)
model.bias = 10.0
after = tf.function(apply).get_concrete_function(model, x)
assert before(x).numpy() == 11.0 and after(x).numpy() == 20.0

# A global made on the first call and reused after (the random-numbers guide's pattern).
generator = None
made = []


@tf.function
def draw():
    global generator
    if generator is None:
        generator = tf.random.Generator.from_seed(7)
        made.append(1)
    return generator.normal([2])


first, second = draw(), draw()
assert len(made) == 1 and isinstance(generator, tf.random.Generator)
assert first.shape == (2,) and first.numpy().tolist() != second.numpy().tolist()


def counter_factory():
    calls = 0

    @tf.function
    def bump(x):
        nonlocal calls
        if calls == 0:
            calls = 1
        return x + calls

    return bump


assert counter_factory()(tf.constant(1)).numpy() == 2


# An op whose result nothing uses is pruned from the graph: no error inside tf.function,
# though eagerly the same call fails.
def gather_unused(x):
    tf.gather(x, [1])
    return x


try:
    gather_unused(tf.constant([0.0]))
    raise AssertionError("eagerly the gather fails")
except tf.errors.InvalidArgumentError:
    pass
assert tf.function(gather_unused)(tf.constant([0.0])).numpy().tolist() == [0.0]


@tf.function
def gather_used(x):
    return x + tf.gather(x, [1])


try:
    gather_used(tf.constant([0.0]))
    raise AssertionError("a used result fails")
except tf.errors.InvalidArgumentError:
    pass
assert gather_used(tf.constant([1.0, 2.0])).numpy().tolist() == [3.0, 4.0]
print("ok")
