"""tf.train.Checkpoint: what it tracks, save/write/read/restore, status checks, safety."""

from __future__ import annotations

import os
import warnings

import numpy as np
import pytest

import gpuflow as tf
from gpuflow.train import storage


def _model():
    model = tf.keras.Sequential(
        [
            tf.keras.Input((3,)),
            tf.keras.layers.Dense(4, activation="relu"),
            tf.keras.layers.Dense(2),
        ]
    )
    return model


def _train_step(model, opt, x, y):
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(tf.square(model(x) - y))
    grads = tape.gradient(loss, model.trainable_variables)
    opt.apply_gradients(zip(grads, model.trainable_variables))
    return float(loss)


class Net(tf.Module):
    def __init__(self):
        super().__init__()
        self.w = tf.Variable(np.arange(6.0).reshape(2, 3), dtype="float32")
        self.blocks = [tf.Variable(1.0), tf.Variable([2.0, 3.0])]
        self.table = {"a": tf.Variable(np.int64(7)), "b/c": tf.Variable([[1.0]])}
        self.child = Child()


class Child(tf.Module):
    def __init__(self):
        super().__init__()
        self.bias = tf.Variable([0.5, -0.5])


def _randomize(module):
    for v in module.variables:
        v.assign(np.full(v.shape, 99, dtype=v.dtype))


def test_save_returns_numbered_prefix_and_tf_layout(tmp_path, device):
    with tf.device(device):
        ckpt = tf.train.Checkpoint(step=tf.Variable(3), net=Net())
        first = ckpt.save(str(tmp_path / "ckpt"))
        second = ckpt.save(str(tmp_path / "ckpt"))
    assert (first, second) == (str(tmp_path / "ckpt-1"), str(tmp_path / "ckpt-2"))
    assert int(ckpt.save_counter.numpy()) == 2
    assert sorted(os.listdir(tmp_path)) == [
        "checkpoint",
        "ckpt-1.data-00000-of-00001",
        "ckpt-1.index",
        "ckpt-2.data-00000-of-00001",
        "ckpt-2.index",
    ]
    state = (tmp_path / "checkpoint").read_text()
    assert 'model_checkpoint_path: "ckpt-2"' in state
    assert 'all_model_checkpoint_paths: "ckpt-1"' in state
    assert tf.train.latest_checkpoint(str(tmp_path)) == second


def test_module_lists_dicts_nested_round_trip(tmp_path, device):
    with tf.device(device):
        net = Net()
        saved = [v.numpy() for v in net.variables]
        path = tf.train.Checkpoint(net=net).write(str(tmp_path / "w"))
        _randomize(net)
        status = tf.train.Checkpoint(net=net).read(path)
    status.assert_consumed()
    for i, v in enumerate(net.variables):
        np.testing.assert_array_equal(v.numpy(), saved[i])
        assert v.device == device
    keys = dict(tf.train.list_variables(path))
    assert keys["net/w/.ATTRIBUTES/VARIABLE_VALUE"] == [2, 3]
    assert keys["net/blocks/1/.ATTRIBUTES/VARIABLE_VALUE"] == [2]
    assert keys["net/table/b.Sc/.ATTRIBUTES/VARIABLE_VALUE"] == [1, 1]  # "/" escaped as TF
    assert keys["net/child/bias/.ATTRIBUTES/VARIABLE_VALUE"] == [2]
    assert "_CHECKPOINTABLE_OBJECT_GRAPH" in keys


def test_model_and_optimizer_resume_exactly(tmp_path, device):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(8, 3)).astype("float32")
    y = rng.normal(size=(8, 2)).astype("float32")
    with tf.device(device):
        model, opt = _model(), tf.keras.optimizers.Adam(0.05)
        for _ in range(3):
            _train_step(model, opt, x, y)
        path = tf.train.Checkpoint(model=model, optimizer=opt).save(str(tmp_path / "c"))
        reference = [_train_step(model, opt, x, y) for _ in range(3)]
        # A fresh model and an optimizer that has no slots yet: the slots are built at
        # restore time with the saved values.
        model2, opt2 = _model(), tf.keras.optimizers.Adam(0.9)
        model2(x)
        assert not opt2._slots
        tf.train.Checkpoint(model=model2, optimizer=opt2).restore(path).assert_consumed()
        assert opt2.iterations == 3 and float(opt2.learning_rate) == pytest.approx(0.05)
        resumed = [_train_step(model2, opt2, x, y) for _ in range(3)]
    np.testing.assert_array_equal(resumed, reference)
    for a, b in zip(model.weights, model2.weights):
        np.testing.assert_array_equal(a.numpy(), b.numpy())


def test_slots_restore_into_existing_slots(tmp_path):
    var = tf.Variable([1.0, 2.0])
    opt = tf.keras.optimizers.SGD(0.1, momentum=0.9)
    opt.apply_gradients([(tf.constant([1.0, 1.0]), var)])
    path = tf.train.Checkpoint(v=var, opt=opt).write(str(tmp_path / "s"))
    saved = opt._slots[id(var)]["momentum"].copy()
    opt.apply_gradients([(tf.constant([5.0, 5.0]), var)])
    tf.train.Checkpoint(v=var, opt=opt).read(path).assert_consumed()
    np.testing.assert_array_equal(opt._slots[id(var)]["momentum"], saved)
    assert opt.iterations == 1


def test_restore_through_another_path(tmp_path):
    """Values are matched through the object graph: a layer saved inside a model is found
    when the checkpoint tracks that same layer directly, as in TensorFlow."""
    model = _model()
    model(np.ones((1, 3), "float32"))
    # The first layer is reached first as "first" (its values are stored under that path)...
    path = tf.train.Checkpoint(first=model.layers[0], model=model).write(str(tmp_path / "m"))
    assert "first/kernel/.ATTRIBUTES/VARIABLE_VALUE" in dict(tf.train.list_variables(path))
    fresh = _model()
    fresh(np.ones((1, 3), "float32"))
    # ... and found again through model/layer-0 when only the model is tracked.
    status = tf.train.Checkpoint(model=fresh).read(path)
    status.assert_consumed()
    np.testing.assert_array_equal(fresh.layers[0].kernel.numpy(), model.layers[0].kernel.numpy())


def test_shape_mismatch_names_variable_and_shapes_and_restores_nothing(tmp_path):
    good = tf.Variable([1.0, 2.0], name="good")
    path = tf.train.Checkpoint(a=good, b=tf.Variable([[1.0, 2.0]])).write(str(tmp_path / "x"))
    a = tf.Variable([5.0, 6.0], name="a_var")
    b = tf.Variable([[1.0], [2.0]], name="b_var")
    with pytest.raises(tf.errors.InvalidArgumentError) as info:
        tf.train.Checkpoint(a=a, b=b).restore(path)
    msg = str(info.value)
    assert "'b_var:0'" in msg and "(2, 1)" in msg and "(1, 2)" in msg
    np.testing.assert_array_equal(a.numpy(), [5.0, 6.0])  # not half-restored
    assert isinstance(info.value, ValueError)


def test_status_checks_and_expect_partial(tmp_path):
    path = tf.train.Checkpoint(a=tf.Variable(1.0), b=tf.Variable(2.0)).write(str(tmp_path / "p"))
    a = tf.Variable(0.0)
    status = tf.train.Checkpoint(a=a).read(path)
    assert float(a.numpy()) == 1.0
    status.assert_existing_objects_matched()
    status.assert_nontrivial_match()
    with pytest.raises(AssertionError, match=r"b/\.ATTRIBUTES/VARIABLE_VALUE"):
        status.assert_consumed()
    status.expect_partial()
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        tf.train.Checkpoint(a=a).read(path).expect_partial()
        import gc

        gc.collect()
    assert not [w for w in record if "were not restored" in str(w.message)]
    extra = tf.train.Checkpoint(a=a, c=tf.Variable(3.0)).read(path)
    with pytest.raises(AssertionError, match="Objects without a value"):
        extra.expect_partial().assert_existing_objects_matched()


def test_restore_none_directory_and_missing(tmp_path):
    v = tf.Variable(4.0)
    ckpt = tf.train.Checkpoint(v=v)
    with pytest.raises(AssertionError, match="nothing was restored"):
        ckpt.restore(None).assert_consumed()
    ckpt.save(str(tmp_path / "ck"))
    v.assign(0.0)
    ckpt.restore(str(tmp_path)).assert_consumed()  # a directory: its latest checkpoint
    assert float(v.numpy()) == 4.0
    with pytest.raises(tf.errors.NotFoundError, match="no checkpoint at"):
        ckpt.restore(str(tmp_path / "nope-3"))
    with pytest.raises(FileNotFoundError):
        ckpt.restore(str(tmp_path / "nope-3"))


def test_untrackable_argument_is_refused():
    with pytest.raises(ValueError, match="trackable"):  # TensorFlow's ValueError
        tf.train.Checkpoint(x=5)


def test_untrackable_attribute_is_kept_but_not_saved(tmp_path):
    ckpt = tf.train.Checkpoint(v=tf.Variable(1.0))
    ckpt.count = 5
    assert ckpt.count == 5
    names = [n for n, _ in tf.train.list_variables(ckpt.write(str(tmp_path / "c")))]
    assert not any(n.startswith("count") for n in names)


def test_list_and_dict_attributes_are_wrapped_and_restore_on_arrival(tmp_path):
    save = tf.train.Checkpoint()
    save.listed = [tf.Variable(1.0)]
    save.listed.append(tf.Variable(2.0))
    save.mapped = {"one": save.listed[0]}
    save.mapped["three"] = tf.Variable(3.0)
    save.mapped["four"] = tf.Variable(4.0)
    assert type(save.listed).__name__ == "ListWrapper" and isinstance(save.listed, list)
    path = save.save(str(tmp_path / "lists"))

    restore = tf.train.Checkpoint()
    restore.restore(path)
    restore.listed = []
    assert repr(restore.listed) == "ListWrapper([])"
    first, second = tf.Variable(0.0), tf.Variable(0.0)
    restore.listed.append(first)
    restore.listed += [second]
    assert (float(first.numpy()), float(second.numpy())) == (1.0, 2.0)
    restore.mapped = {}
    three = tf.Variable(0.0)
    restore.mapped["three"] = three
    assert repr(restore.mapped).startswith("DictWrapper({")
    assert float(three.numpy()) == 3.0
    four, other = tf.Variable(0.0), tf.Variable(0.0)
    restore.mapped.update(four=four, one=other)
    assert float(four.numpy()) == 4.0
    # "one" is the value already restored into `first`: TensorFlow restores it once
    assert float(other.numpy()) == 0.0


def test_corrupt_and_oversized_data_are_refused_before_allocation(tmp_path):
    path = tf.train.Checkpoint(v=tf.Variable(np.zeros(16, "float32"))).write(str(tmp_path / "z"))
    index = storage.read_index(path, "test")
    key = "v/.ATTRIBUTES/VARIABLE_VALUE"
    index["values"][key]["shape"] = [1 << 40]  # a lying index must not allocate 4 TiB
    with pytest.raises(tf.errors.DataLossError, match="the index declares"):
        storage.read_values(path, index, [key], "test")
    data = path + storage.DATA_SUFFIX
    with open(data, "r+b") as f:
        f.truncate(os.path.getsize(data) // 2)
    with pytest.raises(tf.errors.DataLossError, match="truncated or corrupt"):
        tf.train.Checkpoint(v=tf.Variable(np.zeros(16, "float32"))).read(path)


class TwoLayer(tf.keras.Model):
    def __init__(self):
        super().__init__()
        self.hidden = tf.keras.layers.Dense(3)
        self.out = tf.keras.layers.Dense(1)

    def call(self, x):
        return self.out(self.hidden(x))


def test_subclassed_model_attributes_and_fit_optimizer(tmp_path):
    x = np.random.default_rng(1).normal(size=(16, 2)).astype("float32")
    y = x.sum(axis=1, keepdims=True)
    model = TwoLayer()
    model.compile(optimizer=tf.keras.optimizers.RMSprop(0.01), loss="mse")
    model.fit(x, y, epochs=2, batch_size=8, verbose=0)
    path = tf.train.Checkpoint(model=model, optimizer=model.optimizer).save(str(tmp_path / "t"))
    keys = dict(tf.train.list_variables(path))
    assert keys["model/hidden/kernel/.ATTRIBUTES/VARIABLE_VALUE"] == [2, 3]
    slot = "model/out/bias/.OPTIMIZER_SLOT/optimizer/velocity/.ATTRIBUTES/VARIABLE_VALUE"
    assert keys[slot] == [1]
    fresh = TwoLayer()
    fresh.compile(optimizer=tf.keras.optimizers.RMSprop(0.01), loss="mse")
    fresh(x[:1])
    tf.train.Checkpoint(model=fresh, optimizer=fresh.optimizer).restore(path).assert_consumed()
    np.testing.assert_array_equal(fresh.predict(x, verbose=0), model.predict(x, verbose=0))
    assert fresh.optimizer.iterations == model.optimizer.iterations == 4


def test_a_compiled_models_optimizer_is_saved_with_the_model(tmp_path):
    # Keras 3 tracks the compiled optimizer as model/optimizer: Checkpoint(model=model)
    # alone resumes the step count and Adam's moments (TF 2.21: iterations 3, then 4).
    x, y = np.ones((4, 3), "float32"), np.ones((4, 2), "float32")

    def compiled():
        model = _model()
        model.compile(optimizer="adam", loss="mse")
        return model

    model = compiled()
    model.fit(x, y, epochs=3, verbose=0)
    path = tf.train.Checkpoint(model=model).save(str(tmp_path / "m"))
    keys = dict(tf.train.list_variables(path))
    assert keys["model/optimizer/iterations/.ATTRIBUTES/VARIABLE_VALUE"] == []
    slot = "model/layer-0/kernel/.OPTIMIZER_SLOT/model/optimizer/m/.ATTRIBUTES/VARIABLE_VALUE"
    assert keys[slot] == [3, 4]
    fresh = compiled()
    tf.train.Checkpoint(model=fresh).restore(path)  # before the optimizer has slots
    fresh.fit(x, y, epochs=1, verbose=0)
    assert int(fresh.optimizer.iterations) == 4
    model.fit(x, y, epochs=1, verbose=0)
    np.testing.assert_allclose(fresh.predict(x, verbose=0), model.predict(x, verbose=0))


def test_loss_scale_optimizer_state(tmp_path):
    from gpuflow.mixed_precision import LossScaleOptimizer

    var = tf.Variable([1.0, 2.0])
    opt = LossScaleOptimizer(tf.keras.optimizers.Adam(0.1), initial_scale=1024.0)
    opt.apply_gradients([(tf.constant([1.0, 1.0]), var)])
    opt._scale, opt._good_steps = 256.0, 7  # as after some overflow back-offs and good steps
    path = tf.train.Checkpoint(v=var, opt=opt).write(str(tmp_path / "ls"))
    var2 = tf.Variable([0.0, 0.0])
    opt2 = LossScaleOptimizer(tf.keras.optimizers.Adam(0.1))
    tf.train.Checkpoint(v=var2, opt=opt2).read(path).assert_consumed()
    assert (opt2.loss_scale, opt2.dynamic_counter, opt2.iterations) == (256.0, 7, 1)
    np.testing.assert_array_equal(
        opt2.inner_optimizer._slots[id(var2)]["m"], opt.inner_optimizer._slots[id(var)]["m"]
    )


def test_restore_before_build_is_deferred_until_the_layers_build(tmp_path):
    x = np.random.default_rng(2).normal(size=(4, 2)).astype("float32")
    model = TwoLayer()
    opt = tf.keras.optimizers.Adam(0.1)
    _train_step(model, opt, x, np.ones((4, 1), "float32"))
    path = tf.train.Checkpoint(model=model, optimizer=opt).write(str(tmp_path / "d"))

    fresh, fresh_opt = TwoLayer(), tf.keras.optimizers.Adam(0.1)
    assert not fresh.hidden.built
    status = tf.train.Checkpoint(model=fresh, optimizer=fresh_opt).read(path)
    with pytest.raises(AssertionError, match="hidden/kernel"):
        status.assert_consumed()  # the layers do not exist yet
    np.testing.assert_array_equal(fresh(x).numpy(), model(x).numpy())  # built, then restored
    status.assert_consumed()
    for a, b in zip(model.trainable_variables, fresh.trainable_variables):
        np.testing.assert_array_equal(opt._slots[id(a)]["m"], fresh_opt._slots[id(b)]["m"])
    assert fresh_opt.iterations == 1


def test_deferred_restore_checks_shapes_when_the_layer_builds(tmp_path):
    model = TwoLayer()
    model(np.ones((1, 2), "float32"))
    path = tf.train.Checkpoint(model=model).write(str(tmp_path / "e"))
    fresh = TwoLayer()
    tf.train.Checkpoint(model=fresh).read(path).expect_partial()
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"\(5, 3\).*\(2, 3\)"):
        fresh(np.ones((1, 5), "float32"))


def test_restore_before_build_reaches_a_sequentials_layers(tmp_path):
    # the custom-training tutorial: a fresh Sequential (no Input) restored, then called in a
    # tf.function; its layers build through the model's symbolic build, not their own call
    def make():
        return tf.keras.Sequential([tf.keras.layers.Dense(3), tf.keras.layers.Dense(2)])

    x = np.random.default_rng(3).normal(size=(4, 5)).astype("float32")
    model = make()
    expected = model(x).numpy()
    path = tf.train.Checkpoint(model=model).write(str(tmp_path / "s"))
    for run in (lambda m: m(x), tf.function(lambda m: m(x))):
        fresh = make()
        status = tf.train.Checkpoint(model=fresh).read(path)
        np.testing.assert_allclose(run(fresh).numpy(), expected, rtol=1e-6)
        status.assert_consumed()
    built_later = make()
    tf.train.Checkpoint(model=built_later).read(path)
    built_later.build((None, 5))
    np.testing.assert_allclose(built_later(x).numpy(), expected, rtol=1e-6)


class _LazyDense(tf.Module):
    """intro_to_modules' FlexibleDenseModule: its variables appear on the first call."""

    def __init__(self, out_features, name=None):
        super().__init__(name=name)
        self.out_features = out_features
        self.is_built = False

    def __call__(self, x):
        if not self.is_built:
            self.w = tf.Variable(tf.random.normal([x.shape[-1], self.out_features]), name="w")
            self.b = tf.Variable(tf.random.normal([self.out_features]), name="b")
            self.is_built = True
        return tf.matmul(x, self.w) + self.b


class _LazySequential(tf.Module):
    def __init__(self, name=None):
        super().__init__(name=name)
        self.dense_1 = _LazyDense(3)
        self.dense_2 = _LazyDense(2)

    def __call__(self, x):
        return self.dense_2(self.dense_1(x))


def test_module_variables_made_after_restore_take_their_saved_values(tmp_path):
    x = tf.constant([[2.0, 2.0, 2.0]])
    model = _LazySequential()
    expected = model(x)
    prefix = tf.train.Checkpoint(model=model).write(str(tmp_path / "ck"))

    fresh = _LazySequential()
    status = tf.train.Checkpoint(model=fresh).restore(prefix)
    with pytest.raises(AssertionError, match="dense_1/w"):
        status.assert_consumed()  # nothing exists yet
    np.testing.assert_array_equal(fresh(x), expected)  # restored as each variable appears
    status.assert_consumed()
    # restored once: later training is not overwritten by further attributes
    fresh.dense_1.w.assign_add(tf.ones([3, 3]))
    fresh.dense_1.extra = tf.Variable(0.0)
    assert not np.array_equal(fresh(x), expected)


def test_write_saves_the_counter_only_once_it_exists(tmp_path):
    ckpt = tf.train.Checkpoint(v=tf.Variable(1.0))
    names = [n for n, _ in tf.train.list_variables(ckpt.write(str(tmp_path / "a")))]
    assert not any(n.startswith("save_counter") for n in names)
    names = [n for n, _ in tf.train.list_variables(ckpt.save(str(tmp_path / "b")))]
    assert "save_counter/.ATTRIBUTES/VARIABLE_VALUE" in names
