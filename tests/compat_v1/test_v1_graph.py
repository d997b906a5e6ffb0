"""TF 1 graph mode in tf.compat.v1: placeholders, Session.run with feed_dict, variables and
their initializers, variable scopes, collections, gradients and the TF 1 optimizers (results
checked against TensorFlow 2.21 running the same graphs)."""

import numpy as np
import pytest

import gpuflow as tf

v1 = tf.compat.v1


@pytest.fixture
def graph():
    with tf.Graph().as_default() as g:
        yield g


def test_placeholder_ops_have_static_shapes_and_run_with_feeds(graph):
    x = v1.placeholder(tf.float32, [None, 3], name="x")
    y = tf.matmul(x, tf.ones([3, 2])) * 2.0 + 1.0
    assert x.name == "x:0" and y.shape.as_list() == [None, 2] and y.dtype == tf.float32
    assert not tf.executing_eagerly()
    with v1.Session() as sess:
        out = sess.run(y, feed_dict={x: np.ones((4, 3))})
        assert out.shape == (4, 2) and np.all(out == 7.0)
        assert sess.run("x:0", {"x:0": [[1.0, 2.0, 3.0]]}).tolist() == [[1.0, 2.0, 3.0]]
        with pytest.raises(tf.errors.InvalidArgumentError, match="must feed a value.*'x'"):
            sess.run(y)
        with pytest.raises(ValueError, match=r"Cannot feed value of shape \(2,\)"):
            sess.run(y, {x: [1.0, 2.0]})
    with pytest.raises(ValueError, match="Dimensions|shape|incompatible|3"):
        tf.matmul(x, tf.ones([4, 2]))  # a build-time shape error, as TensorFlow


def test_placeholder_with_default_and_eval(graph):
    p = v1.placeholder_with_default(tf.constant([1.0, 2.0]), shape=[None])
    doubled = p * 2
    with v1.Session() as sess:
        assert sess.run(doubled).tolist() == [2.0, 4.0]
        assert sess.run(doubled, {p: [5.0]}).tolist() == [10.0]
        assert doubled.eval().tolist() == [2.0, 4.0]  # the default session
    with pytest.raises(ValueError, match="No default session"):
        doubled.eval()


def test_placeholder_is_refused_eagerly():
    with pytest.raises(RuntimeError, match="not compatible with eager execution"):
        v1.placeholder(tf.float32, [2])


def test_variables_need_their_initializer(graph):
    w = v1.Variable(tf.constant([1.0, 2.0]), name="w")
    assert w.name == "w:0" and w in v1.global_variables() and w in v1.trainable_variables()
    step = w.assign_add([1.0, 1.0])
    with v1.Session() as sess:
        with pytest.raises(
            tf.errors.FailedPreconditionError, match="Could not find variable w.*uninitialized"
        ):
            sess.run(w)
        sess.run(v1.global_variables_initializer())
        assert sess.run(step).tolist() == [2.0, 3.0]
        assert sess.run(step).tolist() == [3.0, 4.0]
        sess.run(w.initializer)
        assert sess.run(w).tolist() == [1.0, 2.0]


def test_tf_variable_in_graph_mode_is_a_graph_variable(graph):
    x = v1.placeholder(tf.float32, [None])
    v = tf.Variable(3.0, name="v")
    total = tf.reduce_sum(x * v)
    assert v in v1.global_variables()
    with v1.Session() as sess:
        sess.run(v1.global_variables_initializer())
        assert sess.run(total, {x: [1.0, 2.0]}) == 9.0


def test_get_variable_and_variable_scope_reuse(graph):
    with v1.variable_scope("layer"):
        w = v1.get_variable("w", [2, 3], initializer=tf.ones_initializer())
        assert v1.get_variable_scope().name == "layer"
    assert w.name == "layer/w:0" and w.shape.as_list() == [2, 3]
    with v1.variable_scope("layer", reuse=True):
        assert v1.get_variable("w") is w
        with pytest.raises(ValueError, match="does not exist"):
            v1.get_variable("other", [1])
    with pytest.raises(ValueError, match="layer/w already exists, disallowed"):
        with v1.variable_scope("layer"):
            v1.get_variable("w", [2, 3])
    with v1.variable_scope("layer", reuse=v1.AUTO_REUSE):
        assert v1.get_variable("w") is w
        made = v1.get_variable("b", [3], initializer=tf.zeros_initializer())
    assert made.name == "layer/b:0"
    assert v1.get_collection(v1.GraphKeys.TRAINABLE_VARIABLES, scope="layer") == [w, made]
    v1.add_to_collection("mine", w)
    assert v1.get_collection("mine") == [w]


def test_op_names_follow_name_scopes(graph):
    x = v1.placeholder(tf.float32, [2], name="x")
    with v1.name_scope("block"):
        y = x + 1.0
        z = tf.nn.relu(y)
    assert y.name == "block/add:0" and z.name == "block/Relu:0"
    assert (x + 2.0).name == "add:0"


def test_gradients_of_a_graph(graph):
    x = v1.placeholder(tf.float32, [None])
    w = v1.Variable(2.0)
    y = tf.reduce_sum(w * x * x)
    gw, gx = v1.gradients(y, [w, x])
    with v1.Session() as sess:
        sess.run(v1.global_variables_initializer())
        a, b = sess.run([gw, gx], {x: [1.0, 3.0]})
    assert a == 10.0 and b.tolist() == [4.0, 12.0]


@pytest.mark.parametrize(
    "make, expected",
    [
        # TensorFlow 2.21's values after 3 steps on this problem
        (lambda: v1.train.GradientDescentOptimizer(0.1), [0.669921875, 1.33984375]),
        (lambda: v1.train.MomentumOptimizer(0.1, 0.9), [0.37179688, 0.74359375]),
        (lambda: v1.train.MomentumOptimizer(0.1, 0.9, use_nesterov=True), [0.19779101, 0.39558202]),
        (lambda: v1.train.AdamOptimizer(0.1), [0.70158738, 1.70062447]),
        (lambda: v1.train.AdagradOptimizer(0.1), [0.7850666, 1.77703083]),
        (lambda: v1.train.RMSPropOptimizer(0.1), [0.67840201, 1.49287856]),
        (
            lambda: v1.train.RMSPropOptimizer(0.1, momentum=0.5, centered=True),
            [0.53244793, 1.23264766],
        ),
    ],
)
def test_optimizers_minimize_in_session_run(graph, make, expected):
    x = v1.placeholder(tf.float32, [None, 2])
    w = v1.Variable([1.0, 2.0])
    loss = tf.reduce_mean(tf.reduce_sum(tf.square(x * w), axis=1))
    step = v1.train.get_or_create_global_step()
    train = make().minimize(loss, global_step=step)
    feed = {x: [[1.0, 1.0], [0.5, 0.5]]}
    with v1.Session() as sess:
        sess.run(v1.global_variables_initializer())
        first, _ = sess.run([loss, train], feed)
        assert first == pytest.approx(3.125)  # the loss before the update of that run
        for _ in range(2):
            sess.run(train, feed)
        np.testing.assert_allclose(sess.run(w), expected, rtol=1e-5)
        assert sess.run(step) == 3


def test_compute_and_apply_gradients_with_clipping(graph):
    w = v1.Variable([3.0, -3.0])
    loss = tf.reduce_sum(w * w)
    opt = v1.train.GradientDescentOptimizer(1.0)
    grads = [(tf.clip_by_value(g, -1.0, 1.0), v) for g, v in opt.compute_gradients(loss)]
    train = opt.apply_gradients(grads)
    with v1.Session() as sess:
        sess.run(v1.global_variables_initializer())
        sess.run(train)
        assert sess.run(w).tolist() == [2.0, -2.0]


def test_saver_round_trip(graph, tmp_path):
    w = v1.get_variable("w", [2], initializer=tf.constant_initializer(1.5))
    saver = v1.train.Saver()
    with v1.Session() as sess:
        sess.run(v1.global_variables_initializer())
        path = saver.save(sess, str(tmp_path / "model"), global_step=7)
        assert path.endswith("model-7")
        sess.run(w.assign([0.0, 0.0]))
        saver.restore(sess, path)
        assert sess.run(w).tolist() == [1.5, 1.5]
    reader = tf.train.load_checkpoint(path)
    assert reader.get_tensor("w").tolist() == [1.5, 1.5]


def test_disable_eager_execution_is_global_until_enabled():
    v1.disable_eager_execution()
    try:
        assert not tf.executing_eagerly()
        x = v1.placeholder(tf.int32, [])
        with v1.Session() as sess:
            assert sess.run(x * 3, {x: 4}) == 12
    finally:
        v1.enable_eager_execution()
    assert tf.executing_eagerly()
    assert isinstance(tf.Variable(1.0), tf.Variable)


def test_v1_losses_reduce_by_nonzero_weights_and_collect(graph):
    # TensorFlow 2.21's values for these inputs
    labels = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]], "float32")
    preds = np.array([[0.8, 0.3], [0.1, 0.6], [0.9, 0.2]], "float32")
    logits = np.array([[2.0, -1.0], [0.5, 0.3], [-1.0, 1.0]], "float32")
    weights = np.array([[1.0], [0.0], [2.0]], "float32")
    losses = {
        "mse": v1.losses.mean_squared_error(labels, preds),
        "mse_w": v1.losses.mean_squared_error(labels, preds, weights=weights),
        "huber": v1.losses.huber_loss(labels, preds * 3, delta=0.5),
        "log": v1.losses.log_loss(labels, preds),
        "softmax": v1.losses.softmax_cross_entropy(
            labels, logits, weights=[1.0, 2.0, 0.0], label_smoothing=0.2
        ),
        "sparse": v1.losses.sparse_softmax_cross_entropy([0, 1, 1], logits),
    }
    expected = {
        "mse": 0.158333,
        "mse_w": 0.3575,
        "huber": 0.3375,
        "log": 0.485134,
        "softmax": 0.952433,
        "sparse": 0.324551,
    }
    assert len(v1.losses.get_losses()) == len(losses)
    total = v1.losses.get_total_loss()
    with v1.Session() as sess:
        values = sess.run(losses)
        for key, value in expected.items():
            assert values[key] == pytest.approx(value, rel=1e-5), key
        assert sess.run(total) == pytest.approx(sum(expected.values()), rel=1e-5)


def test_v1_initializers_have_tf1_defaults():
    init = v1.random_normal_initializer(seed=3)
    assert init.stddev == 1.0 and init.mean == 0.0
    values = init([2000], dtype=tf.float32)
    assert values.dtype == tf.float32 and 0.9 < float(np.std(values.numpy())) < 1.1
    assert v1.constant_initializer(2.5)([2]).numpy().tolist() == [2.5, 2.5]
    assert v1.initializers.zeros()([2], tf.int32).dtype == tf.int32
    uniform = v1.random_uniform_initializer(seed=1)([500]).numpy()
    assert uniform.min() >= 0.0 and uniform.max() <= 1.0


def test_cond_on_a_fed_predicate_runs_the_selected_branch(graph):
    x = v1.placeholder(tf.float32, [None])
    training = v1.placeholder(tf.bool, [])
    out = tf.cond(training, lambda: x * 2.0, lambda: x - 1.0)
    pair = tf.cond(training, lambda: (x, tf.reduce_sum(x)), lambda: (x * 0.0, tf.constant(5.0)))
    assert out.shape.as_list() == [None] and isinstance(pair, tuple)
    with v1.Session() as sess:
        assert sess.run(out, {x: [1.0, 2.0], training: True}).tolist() == [2.0, 4.0]
        assert sess.run(out, {x: [1.0, 2.0], training: False}).tolist() == [0.0, 1.0]
        assert sess.run(pair[1], {x: [1.0, 2.0], training: False}) == 5.0


def test_v1_nn_signatures_and_a_scalar_placeholder(graph):
    x = v1.placeholder(tf.float32, [None, 4, 4, 1])
    keep = v1.placeholder(tf.float32)  # unknown rank: fed a scalar
    w = v1.Variable(tf.ones([3, 3, 1, 2]))
    h = v1.nn.conv2d(x, filter=w, strides=[1, 1, 1, 1], padding="SAME")
    pooled = v1.nn.max_pool(value=h, ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1], padding="SAME")
    dropped = v1.nn.dropout(pooled, keep_prob=keep)
    probs = v1.nn.softmax(tf.reshape(dropped, [-1, 8]), dim=1)
    mean, var = v1.nn.moments(pooled, axes=[1, 2], keep_dims=True)
    assert pooled.shape.as_list() == [None, 2, 2, 2] and dropped.shape.as_list() == [None, 2, 2, 2]
    assert mean.shape.as_list() == [None, 1, 1, 2]
    with v1.Session() as sess:
        sess.run(v1.global_variables_initializer())
        feed = {x: np.ones((2, 4, 4, 1)), keep: 1.0}
        out, p = sess.run([pooled, probs], feed)
        assert out[0, 0, 0].tolist() == [9.0, 9.0] and np.allclose(p.sum(axis=1), 1.0)
        assert sess.run(dropped, feed).tolist() == out.tolist()  # keep_prob 1: unchanged


def test_exponential_decay_follows_the_global_step(graph):
    step = v1.train.get_or_create_global_step()
    lr = v1.train.exponential_decay(0.1, step, 10, 0.5, staircase=True)
    w = v1.Variable(1.0)
    train = v1.train.GradientDescentOptimizer(lr).minimize(w * w, global_step=step)
    with v1.Session() as sess:
        sess.run(v1.global_variables_initializer())
        rates = []
        for _ in range(21):
            rates.append(sess.run(lr))
            sess.run(train)
    assert rates[0] == pytest.approx(0.1) and rates[10] == pytest.approx(0.05)
    assert rates[20] == pytest.approx(0.025)


def test_dataset_iterators_feed_session_runs(graph):
    ds = tf.data.Dataset.from_tensor_slices((np.arange(5, dtype="float32"), np.arange(5)))
    ds = ds.batch(2)
    xb, yb = v1.data.make_one_shot_iterator(ds).get_next()
    total = tf.reduce_sum(xb) + tf.cast(tf.reduce_sum(yb), tf.float32)
    assert xb.shape.as_list() == [None] and yb.dtype == tf.int64
    seen = []
    with v1.Session() as sess:
        with pytest.raises(tf.errors.OutOfRangeError):
            while True:
                seen.append(sess.run(total))
    assert seen == [2.0, 10.0, 8.0]
    again = v1.data.make_initializable_iterator(ds)
    first = again.get_next()
    with v1.Session() as sess:
        for _ in range(2):
            sess.run(again.initializer)
            assert sess.run(first)[0].tolist() == [0.0, 1.0]


def test_streaming_metrics_over_local_variables(graph):
    labels = v1.placeholder(tf.int64, [None])
    preds = v1.placeholder(tf.int64, [None])
    acc, acc_op = v1.metrics.accuracy(labels, preds)
    prec, prec_op = v1.metrics.precision(labels, preds)
    rec, rec_op = v1.metrics.recall(labels, preds)
    names = [v.name for v in v1.local_variables()]
    assert names[:2] == ["accuracy/total:0", "accuracy/count:0"]
    assert "precision/true_positives/count:0" in names
    with v1.Session() as sess:
        sess.run(v1.local_variables_initializer())
        first = sess.run([acc_op, prec_op, rec_op], {labels: [1, 0, 1, 1], preds: [1, 1, 0, 1]})
        assert first == pytest.approx([0.5, 2 / 3, 2 / 3])
        sess.run([acc_op, prec_op, rec_op], {labels: [0, 0], preds: [0, 1]})
        assert sess.run([acc, prec, rec]) == pytest.approx([0.5, 0.5, 2 / 3])  # TF 2.21's
        sess.run(v1.local_variables_initializer())
        assert sess.run(acc) == 0.0


def test_streaming_mean_errors(graph):
    labels = v1.placeholder(tf.float32, [None])
    preds = v1.placeholder(tf.float32, [None])
    mse, mse_op = v1.metrics.mean_squared_error(labels, preds)
    mae, mae_op = v1.metrics.mean_absolute_error(labels, preds, weights=[1.0, 3.0])
    with v1.Session() as sess:
        sess.run(v1.local_variables_initializer())
        sess.run([mse_op, mae_op], {labels: [1.0, 2.0], preds: [2.0, 5.0]})
        sess.run([mse_op, mae_op], {labels: [0.0, 0.0], preds: [1.0, -2.0]})
        assert sess.run([mse, mae]) == pytest.approx([3.75, 2.125])  # TF 2.21's


def test_graph_lookups_by_name(graph):
    x = v1.placeholder(tf.float32, [None], name="inputs")
    doubled = tf.multiply(x, 2.0, name="doubled")
    assert graph.get_tensor_by_name("inputs:0") is x
    assert graph.get_tensor_by_name("doubled:0") is doubled
    assert graph.get_operation_by_name("doubled").name == "doubled"
    with pytest.raises(KeyError, match="does not exist"):
        graph.get_tensor_by_name("missing:0")
    with v1.Session(graph=graph) as sess:
        assert sess.run("doubled:0", {"inputs:0": [1.0]}).tolist() == [2.0]


def test_stop_gradient_and_v1_namespaces_on_graph_tensors(graph):
    x = v1.placeholder(tf.float32, [None, 2])
    w = v1.Variable([[1.0], [2.0]])
    y = tf.matmul(x, w)
    loss = tf.reduce_sum(tf.square(y - tf.stop_gradient(y * 2.0)))
    noise = v1.random.normal(tf.shape(x), seed=1)
    (grad,) = v1.gradients(loss, [w])
    assert noise.shape.as_list() == [None, 2]
    with v1.Session() as sess:
        sess.run(v1.global_variables_initializer())
        feed = {x: [[1.0, 1.0]]}
        assert sess.run(grad, feed).tolist() == [[-6.0], [-6.0]]  # TF 2.21's
        assert sess.run(noise, feed).shape == (1, 2)


def test_while_loop_over_graph_tensors(graph):
    n = v1.placeholder(tf.int32, [])
    x = v1.placeholder(tf.float32, [None])
    w = v1.Variable(2.0)
    steps, acc = tf.while_loop(
        lambda i, a: i < n, lambda i, a: (i + 1, a * w), [tf.constant(0) * n, x]
    )
    (grad,) = v1.gradients(tf.reduce_sum(acc), [w])
    capped = tf.while_loop(lambda k: k < 100, lambda k: k + 3, [n], maximum_iterations=4)
    assert acc.shape.as_list() == [None] and isinstance(capped, list)
    with v1.Session() as sess:
        sess.run(w.initializer)
        i, a, g = sess.run([steps, acc, grad], {n: 3, x: [1.0, 2.0]})
        assert i == 3 and a.tolist() == [8.0, 16.0] and g == 36.0  # TF 2.21's values
        assert sess.run(capped, {n: 1}) == [13]
