"""A TF 1 script's command line: tf.compat.v1.flags definitions parsed from argv (absl's
rules and error types) and tf.compat.v1.app.run calling main with the other arguments."""

import tensorflow as tf

flags = tf.compat.v1.flags
flags.DEFINE_integer("steps", 10, "training steps", lower_bound=1)
flags.DEFINE_float("lr", 0.1, "learning rate")
flags.DEFINE_boolean("fast", False, "fast mode")
flags.DEFINE_string("name", "run", "run name")
flags.DEFINE_list("layers", "16,8", "layer sizes")
holder = flags.DEFINE_enum("mode", "train", ["train", "eval"], "mode")
FLAGS = flags.FLAGS
assert FLAGS.steps == 10 and FLAGS.layers == ["16", "8"] and holder.value == "train"
argv = ["prog", "--steps=5", "--fast", "data.csv", "--layers", "4,2", "--lr", "0.5", "--nofast"]
rest = FLAGS(argv)
assert rest == ["prog", "data.csv"], rest
assert FLAGS.steps == 5 and FLAGS.fast is False and FLAGS.layers == ["4", "2"] and FLAGS.lr == 0.5
for bad in (["p", "--steps=0"], ["p", "--mode=test"], ["p", "--steps=many"], ["p", "--fast=maybe"]):
    try:
        FLAGS(bad)
        raise AssertionError(bad)
    except flags.IllegalFlagValueError as e:
        assert isinstance(e, flags.Error)
try:
    flags.DEFINE_integer("steps", 1, "again")
    raise AssertionError("redefined")
except flags.DuplicateFlagError:
    pass
try:
    FLAGS(["p", "--unknown=1"])
    raise AssertionError("unknown")
except flags.UnrecognizedFlagError:
    pass
assert FLAGS(["p", "--unknown=1", "--mode=eval"], known_only=True) == ["p", "--unknown=1"]
assert FLAGS.mode == "eval" and FLAGS.is_parsed() and FLAGS.flag_values_dict()["name"] == "run"
FLAGS.name = "other"
assert FLAGS.name == "other"
seen = []


def main(argv):
    seen.append((list(argv), FLAGS.steps))
    return 0


try:
    tf.compat.v1.app.run(main=main, argv=["prog", "--steps=7", "extra"])
except SystemExit as e:
    assert e.code == 0
assert seen == [(["prog", "extra"], 7)], seen
assert tf.compat.v1.app.flags.FLAGS is FLAGS
print("ok")
