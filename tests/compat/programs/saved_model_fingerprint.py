"""SavedModel guide: the fingerprint. tf.saved_model.save writes fingerprint.pb;
read_fingerprint gives its hashes: the singleprint identifies the model, a save of the
same model gives the same one, new variable values change only checkpoint_hash
(TensorFlow 2.21)."""

import os

import tensorflow as tf


class Scale(tf.Module):
    def __init__(self):
        self.w = tf.Variable([1.0, 2.0])

    @tf.function(input_signature=[tf.TensorSpec([None, 2], tf.float32)])
    def __call__(self, x):
        return tf.reduce_sum(x * self.w, axis=1)


model = Scale()
tf.saved_model.save(model, "first")
tf.saved_model.save(model, "again")
model.w.assign([3.0, 4.0])
tf.saved_model.save(model, "retrained")
assert os.path.exists(os.path.join("first", "fingerprint.pb"))

first, again, retrained = (
    tf.saved_model.experimental.read_fingerprint(d) for d in ("first", "again", "retrained")
)
assert isinstance(first, tf.saved_model.experimental.Fingerprint)
fields = (
    "saved_model_checksum",
    "graph_def_program_hash",
    "signature_def_hash",
    "saved_object_graph_hash",
    "checkpoint_hash",
)
for field in fields:
    value = getattr(first, field)
    assert isinstance(value, int) and 0 <= value < 2**64, (field, value)

single = first.singleprint()
assert single.split("/") == [str(getattr(first, f)) for f in fields[1:]]
assert again.singleprint() == single
assert retrained.graph_def_program_hash == first.graph_def_program_hash
assert retrained.signature_def_hash == first.signature_def_hash
assert retrained.saved_object_graph_hash == first.saved_object_graph_hash
assert retrained.checkpoint_hash != first.checkpoint_hash
assert retrained.singleprint() != single
assert str(first).splitlines()[0] == "SavedModel Fingerprint"
assert repr(first).startswith("Fingerprint(")

# a Fingerprint made by hand
made = tf.saved_model.experimental.Fingerprint(1, 2, 3, 4, 5)
assert made.singleprint() == "2/3/4/5"
assert made == tf.saved_model.experimental.Fingerprint(1, 2, 3, 4, 5)
assert made != tf.saved_model.experimental.Fingerprint(1, 2, 3, 4, 6)

try:
    tf.saved_model.experimental.read_fingerprint("no_such_model")
except FileNotFoundError as error:
    assert "SavedModel Fingerprint Error" in str(error)
else:
    raise AssertionError("a missing fingerprint should raise FileNotFoundError")

loaded = tf.saved_model.load("retrained")
assert loaded(tf.constant([[1.0, 1.0]])).numpy().tolist() == [7.0]
print("saved_model_fingerprint: ok")
