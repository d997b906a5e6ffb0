"""tf.version: the release strings and GraphDef version numbers a program may log or
check (their values are the framework's own; here only their kinds and relations)."""

import tensorflow as tf

version = tf.version.VERSION
assert isinstance(version, str) and version.count(".") >= 2, version
assert tf.__version__ == version
major = int(version.split(".")[0])
assert major >= 0

git_version = tf.version.GIT_VERSION
assert isinstance(git_version, str) and git_version.startswith("v"), git_version
assert isinstance(tf.version.COMPILER_VERSION, str) and tf.version.COMPILER_VERSION

for name in (
    "GRAPH_DEF_VERSION",
    "GRAPH_DEF_VERSION_MIN_CONSUMER",
    "GRAPH_DEF_VERSION_MIN_PRODUCER",
):
    value = getattr(tf.version, name)
    assert isinstance(value, int) and value >= 0, (name, value)
assert tf.version.GRAPH_DEF_VERSION >= tf.version.GRAPH_DEF_VERSION_MIN_PRODUCER
assert tf.version.GRAPH_DEF_VERSION >= tf.version.GRAPH_DEF_VERSION_MIN_CONSUMER

summary = f"{version} ({git_version}, built with {tf.version.COMPILER_VERSION})"
assert version in summary

print("core_version_constants OK")
