"""What the TF guides and tutorials print, checked where gpuflow printed otherwise:
a tf.data pipeline made before its CSV file is written (the data guide), a missing
.keras file, an optimizer's config as printed, and a subclassed model's summary after
build((None, n)) (the SNGP tutorial)."""

import os
import tempfile

import numpy as np
import tensorflow as tf

folder = tempfile.mkdtemp()

# -- a CSV pipeline is described before its file exists; reading is what fails ----------
csv_path = os.path.join(folder, "missing.csv")
pipeline = tf.data.experimental.CsvDataset(csv_path, record_defaults=[999, 999, 999, 999])
pipeline = pipeline.map(lambda *fields: tf.stack(fields))
assert pipeline.element_spec == tf.TensorSpec(shape=(4,), dtype=tf.int32), pipeline.element_spec
batched = pipeline.batch(2)
assert batched.element_spec.shape.as_list() == [None, 4]
try:
    for _ in batched:
        pass
    raise AssertionError("reading a file that is not there should fail")
except tf.errors.NotFoundError:
    pass

with open(csv_path, "w") as f:
    f.write("1,2,3,4\n,2,3,4\n1,,3,4\n1,2,,\n")
rows = [b.tolist() for b in batched.as_numpy_iterator()]
assert rows == [[[1, 2, 3, 4], [999, 2, 3, 4]], [[1, 999, 3, 4], [1, 2, 999, 999]]], rows

lengths = tf.data.TextLineDataset(os.path.join(folder, "notes.txt")).map(tf.strings.length)
assert lengths.element_spec == tf.TensorSpec(shape=(), dtype=tf.int32)
try:
    next(iter(lengths))
    raise AssertionError("no such file")
except tf.errors.NotFoundError:
    pass

# -- numbers where serialized records belong: the conversion's ValueError -----------------
feature_spec = {"a": tf.io.FixedLenFeature([], tf.int64)}
for parse, value in [
    (tf.io.parse_example, tf.constant([1, 2], tf.int64)),
    (tf.io.parse_single_example, tf.constant(1, tf.int64)),
    (lambda v, _: tf.io.decode_csv(v, [[1]]), tf.constant([1])),
    (lambda v, _: tf.strings.split(v), tf.constant([1, 2])),
    (lambda v, _: tf.strings.bytes_split(v), tf.constant([1, 2])),
    (lambda v, _: tf.strings.ngrams(v, 2), tf.constant([1, 2])),
]:
    try:
        parse(value, feature_spec)
        raise AssertionError("expected ValueError")
    except ValueError as err:
        assert "Tensor conversion requested dtype string" in str(err), err
try:  # the raw string ops check the dtype themselves
    tf.strings.upper(tf.constant([1]))
    raise AssertionError("expected InvalidArgumentError")
except tf.errors.InvalidArgumentError:
    pass

# -- load_model of a .keras file that is not there: Keras' ValueError --------------------
try:
    tf.keras.models.load_model(os.path.join(folder, "never_saved.keras"))
    raise AssertionError("expected ValueError")
except ValueError as err:
    assert "File not found" in str(err), err

# -- an optimizer's config, key by key in Keras' order ------------------------------------
config = tf.keras.optimizers.RMSprop(learning_rate=0.01, clipvalue=0.5).get_config()
assert list(config)[:6] == [
    "name",
    "learning_rate",
    "weight_decay",
    "clipnorm",
    "global_clipnorm",
    "clipvalue",
], list(config)
assert config["clipvalue"] == 0.5 and config["rho"] == 0.9
assert list(tf.keras.optimizers.Adam().get_config())[-4:] == [
    "beta_1",
    "beta_2",
    "epsilon",
    "amsgrad",
]


# -- summary() of a subclassed model: the sizes its layers were built for -----------------
class TwoStep(tf.keras.Model):
    def __init__(self):
        super().__init__()
        self.hidden = tf.keras.layers.Dense(8, activation="relu")
        self.head = tf.keras.layers.Dense(2)

    def call(self, inputs):
        return self.head(self.hidden(inputs))


def output_shapes(model):
    lines = []
    model.summary(line_length=80, print_fn=lines.append)
    return [row.split("│")[2].strip() for row in "\n".join(lines).splitlines() if "Dense" in row]


called = TwoStep()
called(np.zeros((5, 3), "float32"))
assert output_shapes(called) == ["(5, 8)", "(5, 2)"], output_shapes(called)
assert called.hidden.get_build_config() == {"input_shape": (5, 3)}

fitted = TwoStep()
fitted.compile(optimizer="sgd", loss="mse")
fitted.fit(np.zeros((10, 3)), np.zeros((10, 2)), batch_size=4, epochs=1, verbose=0)
assert output_shapes(fitted) == ["(None, 8)", "(None, 2)"], output_shapes(fitted)
assert fitted.hidden.get_build_config() == {"input_shape": (None, 3)}
assert sorted(fitted.history.history) == ["loss"]

print("tn6_notebook_outputs: OK")
