"""tf.saved_model.save / load of tf.Modules: objects, variables, traced functions, calls,
assignments, gradients, control flow and host calls; values against NumPy."""

from __future__ import annotations

import inspect
import json
import os
import warnings

import numpy as np
import pytest

import gpuflow as tf
from gpuflow.graph.concrete import ConcreteFunction

W = np.array([[1.0, -2.0], [0.5, 3.0], [2.0, 1.0]], "float32")


class Net(tf.Module):
    def __init__(self):
        super().__init__()
        self.w = tf.Variable(W, name="w")
        self.b = tf.Variable([0.25, -0.5], name="b")
        self.steps = tf.Variable(0, trainable=False, name="steps")
        self.extra = {"scale": tf.Variable(2.0, name="scale")}

    @tf.function(input_signature=[tf.TensorSpec([None, 3], tf.float32)])
    def __call__(self, x):
        self.steps.assign_add(1)
        return tf.nn.relu(tf.matmul(x, self.w) + self.b) * self.extra["scale"]

    @tf.function
    def plain(self, x, power=2):
        return x**power + self.b


def _reference(x, scale=2.0):
    return np.maximum(x @ W + np.array([0.25, -0.5], "float32"), 0) * scale


@pytest.fixture
def x():
    return np.random.default_rng(3).normal(size=(4, 3)).astype("float32")


def test_objects_variables_and_calls_round_trip(tmp_path, x):
    net = Net()
    net.plain(tf.constant([1.0, 2.0]))
    tf.saved_model.save(net, tmp_path / "m")
    assert sorted(os.listdir(tmp_path / "m")) == [
        "assets",
        "fingerprint.pb",
        "saved_model.json",
        "saved_model.npz",
        "variables",
    ]
    loaded = tf.saved_model.load(str(tmp_path / "m"))
    np.testing.assert_array_equal(loaded.w.numpy(), W)
    assert loaded.w.trainable and not loaded.steps.trainable
    assert loaded.w is not net.w
    assert loaded.extra["scale"].numpy() == 2.0
    np.testing.assert_allclose(loaded(x).numpy(), _reference(x), rtol=1e-6)
    for n in (1, 2, 9):  # one saved trace serves every batch size
        np.testing.assert_allclose(
            loaded(x[:n] if n <= 4 else np.tile(x, (3, 1))[:n]).numpy(),
            _reference(x[:n] if n <= 4 else np.tile(x, (3, 1))[:n]),
            rtol=1e-6,
        )
    assert int(loaded.steps.numpy()) == 4 and int(net.steps.numpy()) == 0
    np.testing.assert_allclose(
        loaded.plain(tf.constant([1.0, 2.0])).numpy(), [1.25, 3.5], rtol=1e-6
    )
    np.testing.assert_allclose(loaded.plain(x=tf.constant([1.0, 2.0])).numpy(), [1.25, 3.5])


def test_loaded_concrete_function_is_a_concrete_function(tmp_path):
    net = Net()
    tf.saved_model.save(net, tmp_path / "m")
    loaded = tf.saved_model.load(tmp_path / "m")
    (cf,) = loaded.__call__.concrete_functions
    assert isinstance(cf, ConcreteFunction)
    assert "MatMul" in str(cf.graph)
    spec = cf.structured_input_signature[0][0]
    assert tuple(spec.shape) == (None, 3)
    np.testing.assert_allclose(cf(tf.ones([2, 3])).numpy(), _reference(np.ones((2, 3), "float32")))


def test_loaded_functions_keep_their_input_signature(tmp_path):
    # TF 2.21: the restored function's input_signature is the saved one, None without one
    net = Net()
    net.plain(tf.constant([1.0, 2.0]))
    tf.saved_model.save(net, tmp_path / "m")
    loaded = tf.saved_model.load(tmp_path / "m")
    assert loaded.__call__.input_signature == (tf.TensorSpec([None, 3], tf.float32),)
    assert loaded.plain.input_signature is None


def test_unmatched_arguments_name_the_options(tmp_path):
    net = Net()
    net.plain(tf.constant([1.0, 2.0]))
    tf.saved_model.save(net, tmp_path / "m")
    loaded = tf.saved_model.load(tmp_path / "m")
    with pytest.raises(ValueError, match="Could not find matching concrete function") as info:
        loaded.plain(tf.constant([1.0, 2.0, 3.0]))
    assert "Option 1" in str(info.value) and "shape=(2,)" in str(info.value)
    with pytest.raises(ValueError, match="Could not find matching"):
        loaded(tf.ones([2, 4]))
    with pytest.raises(ValueError, match="Could not find matching"):
        loaded.plain(tf.constant([1.0, 2.0]), power=3)  # a Python value not traced


def test_assignments_are_seen_by_later_calls(tmp_path, x):
    class Holder(tf.Module):
        def __init__(self):
            super().__init__()
            self.v = tf.Variable(1.0)

        @tf.function(input_signature=[tf.TensorSpec([], tf.float32)])
        def set(self, value):
            self.v.assign(value)

        @tf.function(input_signature=[tf.TensorSpec([None], tf.float32)])
        def scaled(self, t):
            return t * self.v

    tf.saved_model.save(Holder(), tmp_path / "m")
    loaded = tf.saved_model.load(tmp_path / "m")
    loaded.set(4.0)  # a Python float, converted to the signature's dtype
    assert loaded.v.numpy() == 4.0
    np.testing.assert_allclose(loaded.scaled(tf.constant([1.0, 2.0])).numpy(), [4.0, 8.0])
    loaded.v.assign(-1.0)
    np.testing.assert_allclose(loaded.scaled(tf.constant([3.0])).numpy(), [-3.0])


def test_gradients_through_a_loaded_function(tmp_path, x):
    net = Net()
    tf.saved_model.save(net, tmp_path / "m")
    loaded = tf.saved_model.load(tmp_path / "m")
    xt = tf.constant(x)
    with tf.GradientTape() as tape:
        tape.watch(xt)
        loss = tf.reduce_sum(loaded(xt) ** 2)
    g_w, g_b, g_x = tape.gradient(loss, [loaded.w, loaded.b, xt])
    # NumPy reference: y = relu(x W + b) * 2, loss = sum(y^2)
    pre = x @ W + np.array([0.25, -0.5], "float32")
    y = np.maximum(pre, 0) * 2.0
    d_pre = 2 * y * 2.0 * (pre > 0)
    np.testing.assert_allclose(g_w.numpy(), x.T @ d_pre, rtol=1e-5)
    np.testing.assert_allclose(g_b.numpy(), d_pre.sum(0), rtol=1e-5)
    np.testing.assert_allclose(g_x.numpy(), d_pre @ W.T, rtol=1e-5)
    assert int(loaded.steps.numpy()) == 1  # the recorded run did the assign_add as well


def test_control_flow_and_host_calls(tmp_path, capsys):
    class Flow(tf.Module):
        @tf.function(input_signature=[tf.TensorSpec([], tf.float32)])
        def branch(self, t):
            if t > 0:
                tf.print("positive", t)
                out = t * 2.0
            else:
                out = -t
            return out

        @tf.function(input_signature=[tf.TensorSpec([], tf.int32)])
        def count(self, n):
            i = tf.constant(0)
            total = tf.constant(0)
            while i < n:
                total += i
                i += 1
            return total

        @tf.function(input_signature=[tf.TensorSpec([None, 3], tf.float32)])
        def pick(self, t):
            return tf.argmax(t, axis=1), tf.where(t > 0.5, t, tf.zeros_like(t))

    tf.saved_model.save(Flow(), tmp_path / "m")
    capsys.readouterr()
    loaded = tf.saved_model.load(tmp_path / "m")
    assert loaded.branch(tf.constant(3.0)).numpy() == 6.0
    assert capsys.readouterr().err == "positive 3\n"  # tf.print writes to stderr
    assert loaded.branch(tf.constant(-2.0)).numpy() == 2.0
    assert capsys.readouterr().err == ""
    assert int(loaded.count(tf.constant(5)).numpy()) == 10
    t = np.array([[0.1, 0.9, 0.3], [0.7, 0.2, 0.6], [0.0, 0.0, 1.0], [2.0, 1.0, 0.0]], "float32")
    idx, kept = loaded.pick(t)
    np.testing.assert_array_equal(idx.numpy(), t.argmax(1))
    np.testing.assert_allclose(kept.numpy(), np.where(t > 0.5, t, 0))


def test_batch_dependent_reshape_follows_the_call_size(tmp_path):
    class Flat(tf.Module):
        def __init__(self):
            super().__init__()
            self.k = tf.Variable(np.arange(12, dtype="float32").reshape(12, 1))

        @tf.function(input_signature=[tf.TensorSpec([None, 3, 4], tf.float32)])
        def __call__(self, t):
            return tf.matmul(tf.reshape(t, [tf.shape(t)[0], 12]), self.k)

    tf.saved_model.save(Flat(), tmp_path / "m")
    doc = json.loads((tmp_path / "m" / "saved_model.json").read_text())
    (entry,) = doc["concrete_functions"]
    assert entry["generic"] and entry["size_params"]
    loaded = tf.saved_model.load(tmp_path / "m")
    k = np.arange(12, dtype="float32").reshape(12, 1)
    for n in (1, 3, 8):
        t = np.random.default_rng(n).normal(size=(n, 3, 4)).astype("float32")
        np.testing.assert_allclose(loaded(t).numpy(), t.reshape(n, 12) @ k, rtol=1e-5)


def test_feature_dimension_left_none_is_pinned_to_the_models_size(tmp_path):
    # The Core API logistic-regression guide exports with TensorSpec([None, None]): the
    # features only work at the kernel's size, the batch stays free.
    class Export(tf.Module):
        def __init__(self):
            super().__init__()
            self.w = tf.Variable(np.arange(5, dtype="float32").reshape(5, 1))
            self.mean = tf.Variable(np.ones(5, "float32"))

        @tf.function(input_signature=[tf.TensorSpec([None, None], tf.float32)])
        def __call__(self, x):
            return tf.squeeze(tf.matmul(x - self.mean, self.w), axis=1)

    tf.saved_model.save(Export(), tmp_path / "m")
    loaded = tf.saved_model.load(tmp_path / "m")
    w = np.arange(5, dtype="float32").reshape(5, 1)
    for n in (1, 4, 9):
        x = np.random.default_rng(n).normal(size=(n, 5)).astype("float32")
        np.testing.assert_allclose(loaded(x).numpy(), ((x - 1) @ w)[:, 0], rtol=1e-5)
    with pytest.raises(ValueError, match=r"TensorSpec\(shape=\(None, 5\)") as info:
        loaded(np.ones((2, 3), "float32"))
    assert "asked for as (TensorSpec(shape=(None, None)" in str(info.value)
    assert "saved with the None dimensions after the first fixed" in str(info.value)


def test_shape_dependent_constants_are_refused_at_save(tmp_path):
    class Ones(tf.Module):
        @tf.function(input_signature=[tf.TensorSpec([None], tf.float32)])
        def __call__(self, t):
            return t + tf.ones(tf.shape(t)) * tf.cast(tf.shape(t)[0] ** 2, tf.float32)

    # TensorFlow serves every length; gpuflow's trace holds a constant of the traced
    # length, so saving refuses instead of keeping a trace for one length only
    with pytest.raises(ValueError, match=r"dimension 0 of TensorSpec\(shape=\(None,\)") as info:
        tf.saved_model.save(Ones(), tmp_path / "m")
    assert "'__call__'" in str(info.value) and "(op " in str(info.value)
    assert not (tmp_path / "m" / "saved_model.json").exists()


def test_module_without_functions_or_variables(tmp_path):
    root = tf.Module()
    root.child = tf.Module()
    root.child.v = tf.Variable([1, 2, 3])
    root.items = [tf.Variable(1.5), {"deep": tf.Variable(True)}]
    tf.saved_model.save(root, tmp_path / "m")
    loaded = tf.saved_model.load(tmp_path / "m")
    np.testing.assert_array_equal(loaded.child.v.numpy(), [1, 2, 3])
    assert loaded.child.v.dtype == tf.int32
    assert loaded.items[0].numpy() == 1.5 and bool(loaded.items[1]["deep"].numpy())
    assert dict(loaded.signatures) == {}
    tf.saved_model.save(tf.Module(), tmp_path / "empty")
    assert dict(tf.saved_model.load(tmp_path / "empty").signatures) == {}


def test_shared_variable_is_one_object_after_load(tmp_path):
    root = tf.Module()
    v = tf.Variable(1.0)
    root.a, root.b = [v], {"same": v}
    tf.saved_model.save(root, tmp_path / "m")
    loaded = tf.saved_model.load(tmp_path / "m")
    assert loaded.a[0] is loaded.b["same"]


def test_function_attribute_and_captured_variable(tmp_path):
    outside = tf.Variable(10.0)
    root = tf.Module()
    root.f = tf.function(lambda t: t + outside, input_signature=[tf.TensorSpec([], tf.float32)])
    tf.saved_model.save(root, tmp_path / "m")
    outside.assign(0.0)
    loaded = tf.saved_model.load(tmp_path / "m")
    assert loaded.f(tf.constant(1.0)).numpy() == 11.0  # the captured value was saved


def test_unknown_rank_signature_serves_every_shape(tmp_path):
    class Scale(tf.Module):
        def __init__(self):
            super().__init__()
            self.v = tf.Variable(3.0)

        @tf.function
        def __call__(self, t):
            return t * self.v + 1.0

    module = Scale()
    module(tf.constant(0.0))
    call = module.__call__.get_concrete_function(tf.TensorSpec(None, tf.float32))
    tf.saved_model.save(module, tmp_path / "m", signatures=call)
    # saving (which traces at other shapes to check) keeps the signature asked for
    assert call._requested_signature[0][0].shape.rank is None
    loaded = tf.saved_model.load(tmp_path / "m")
    serve = loaded.signatures["serving_default"]
    assert serve.structured_outputs["output_0"].shape.rank is None  # an unknown rank
    for value in (2.0, [1.0, 2.0], [[1.0], [4.0]], np.ones((2, 3, 2), "float32")):
        t = np.asarray(value, "float32")
        np.testing.assert_allclose(serve(t=tf.constant(t))["output_0"].numpy(), t * 3.0 + 1.0)
        np.testing.assert_allclose(loaded(tf.constant(t)).numpy(), t * 3.0 + 1.0)


def test_rank_dependent_function_keeps_its_traced_rank(tmp_path):
    class Sum(tf.Module):
        @tf.function
        def __call__(self, t):
            return tf.reduce_sum(t, axis=-1) + tf.cast(tf.rank(t), tf.float32)

    module = Sum()
    call = module.__call__.get_concrete_function(tf.TensorSpec([None, 2], tf.float32))
    tf.saved_model.save(module, tmp_path / "m", signatures=call)
    loaded = tf.saved_model.load(tmp_path / "m")
    t = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], "float32")
    np.testing.assert_allclose(loaded(t).numpy(), t.sum(-1) + 2.0)


def test_a_loaded_function_inside_another_tf_function(tmp_path, x):
    net = Net()
    tf.saved_model.save(net, tmp_path / "m")
    loaded = tf.saved_model.load(tmp_path / "m")

    @tf.function
    def twice(t):
        return loaded(t) + loaded(t * 0.5)

    for _ in range(2):  # traced, then replayed
        np.testing.assert_allclose(
            twice(tf.constant(x)).numpy(), _reference(x) + _reference(x * 0.5), rtol=1e-6
        )
    assert int(loaded.steps.numpy()) == 4  # the assign_add ran in each call, not in tracing


def test_train_step_on_a_loaded_model_in_a_tf_function(tmp_path, x):
    net = Net()
    tf.saved_model.save(net, tmp_path / "m")
    loaded = tf.saved_model.load(tmp_path / "m")
    opt = tf.keras.optimizers.SGD(0.1)

    @tf.function
    def step(t):
        with tf.GradientTape() as tape:
            loss = tf.reduce_sum(loaded(t))
        grads = tape.gradient(loss, [loaded.w, loaded.b])
        opt.apply_gradients(zip(grads, [loaded.w, loaded.b]))
        return loss

    pre = x @ W + np.array([0.25, -0.5], "float32")
    mask = (pre > 0).astype("float32") * 2.0
    step(tf.constant(x))
    np.testing.assert_allclose(loaded.w.numpy(), W - 0.1 * x.T @ mask, rtol=1e-5)
    np.testing.assert_allclose(
        loaded.b.numpy(), np.array([0.25, -0.5]) - 0.1 * mask.sum(0), rtol=1e-5
    )


def test_a_module_wrapping_a_loaded_object_saves_its_steps(tmp_path, x):
    tf.saved_model.save(Net(), tmp_path / "m")
    loaded = tf.saved_model.load(tmp_path / "m")
    with pytest.raises(ValueError, match="loaded by tf.saved_model.load again"):
        tf.saved_model.save(loaded, tmp_path / "again")

    class Wrapper(tf.Module):
        def __init__(self, base):
            super().__init__()
            self.base = base

        @tf.function(input_signature=[tf.TensorSpec([None, 3], tf.float32)])
        def __call__(self, t):
            return self.base(t) - 1.0

    tf.saved_model.save(Wrapper(loaded), tmp_path / "wrapped")
    rewrapped = tf.saved_model.load(tmp_path / "wrapped")
    np.testing.assert_allclose(rewrapped(x).numpy(), _reference(x) - 1.0, rtol=1e-6)


def test_custom_gradient_functions_save_their_gradient(tmp_path):
    # as TensorFlow's default SaveOptions(experimental_custom_gradients=True)
    @tf.custom_gradient
    def clip_gradients(y):
        def backward(dy):
            return tf.clip_by_norm(dy, 0.5)

        return y, backward

    class MyModule(tf.Module):
        @tf.function(input_signature=[tf.TensorSpec(None)])
        def call_custom_grad(self, x):
            return clip_gradients(x * 3.0)

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no "not saved" warning
        tf.saved_model.save(MyModule(), str(tmp_path / "m"))
    loaded = tf.saved_model.load(str(tmp_path / "m"))
    v = tf.Variable(2.0)
    with tf.GradientTape() as tape:
        out = loaded.call_custom_grad(v * v)
    assert float(out) == 12.0
    # d(3 v^2)/dv = 12 through the forward ops; the saved backward clips dy=1 to 0.5
    assert float(tape.gradient(out, v)) == 6.0
    x = tf.constant([1.0, 5.0])
    with tf.GradientTape() as tape:
        tape.watch(x)
        out = loaded.call_custom_grad(x)
    assert float(out[1]) == 15.0
    np.testing.assert_allclose(tape.gradient(out, x).numpy(), [1.5 / 2**0.5] * 2, rtol=1e-6)


class Stepper(tf.Module):
    """A generation step as the text-generation tutorial writes it: ``states`` defaults to
    None, the first call leaves it out or passes None, later calls pass a tensor."""

    def __init__(self):
        super().__init__()
        self.scale = tf.Variable(2.0)

    @tf.function
    def step(self, inputs, states=None, temperature=1.0):
        if states is None:
            states = tf.zeros([tf.shape(inputs)[0], 2])
        return inputs * self.scale / temperature, states + 1.0


def test_a_default_argument_passed_as_its_default_finds_the_trace(tmp_path):
    m = Stepper()
    x = tf.ones([1, 2])
    _, s = m.step(x, states=None)
    m.step(x, states=s)
    tf.saved_model.save(m, tmp_path / "m")
    loaded = tf.saved_model.load(tmp_path / "m")
    for call in (
        lambda: loaded.step(x, states=None),
        lambda: loaded.step(x, None),
        lambda: loaded.step(x),
        lambda: loaded.step(inputs=x, temperature=1.0),
    ):
        out, s1 = call()
        np.testing.assert_allclose(out.numpy(), [[2.0, 2.0]])
        np.testing.assert_allclose(s1.numpy(), [[1.0, 1.0]])
    _, s2 = loaded.step(x, states=s1)
    np.testing.assert_allclose(s2.numpy(), [[2.0, 2.0]])
    with pytest.raises(ValueError, match="Could not find matching"):
        loaded.step(x, temperature=0.5)  # a Python value that was not traced


def test_loaded_concrete_functions_print_their_parameters_and_outputs(tmp_path):
    m = Stepper()
    x = tf.ones([1, 2])
    _, s = m.step(x)
    m.step(x, s)
    tf.saved_model.save(m, tmp_path / "m")
    loaded = tf.saved_model.load(tmp_path / "m")
    first, second = sorted((repr(cf) for cf in loaded.step.concrete_functions), key=len)
    assert "(inputs: TensorSpec(shape=(1, 2), dtype=tf.float32" in first
    assert "states: Literal[None]" in first and "temperature: Literal[1.0]" in first
    assert "states: TensorSpec(shape=(1, 2), dtype=tf.float32" in second
    outputs = "-> Tuple[TensorSpec(shape=(1, 2), dtype=tf.float32, name=None), "
    assert outputs in first and outputs in second
    assert list(inspect.signature(loaded.step.python_function).parameters) == [
        "inputs",
        "states",
        "temperature",
    ]
    with pytest.raises(TypeError, match="not in the SavedModel"):
        loaded.step.python_function(x)
