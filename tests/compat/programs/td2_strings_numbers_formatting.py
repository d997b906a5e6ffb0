# tf.strings in input pipelines: parsing numbers (to_number), formatting them (as_string
# with width, precision and fill flags, format), joining (reduce_join) and substrings,
# applied to a small CSV-like log in a tf.data pipeline.
import numpy as np
import tensorflow as tf

log = tf.data.Dataset.from_tensor_slices(
    ["id=7 temp=21.5 unit=C", "id=12 temp=-3.25 unit=C", "id=3 temp=98.6 unit=F"]
)


def parse(line):
    fields = tf.strings.split(line)  # ["id=7", "temp=21.5", "unit=C"]
    values = tf.strings.split(fields, "=").values[1::2]
    ident = tf.strings.to_number(values[0], out_type=tf.int64)
    temp = tf.strings.to_number(values[1])  # float32 by default
    return ident, temp, values[2]


rows = log.map(parse)
assert rows.element_spec[0] == tf.TensorSpec((), tf.int64)
assert rows.element_spec[1] == tf.TensorSpec((), tf.float32)
ids, temps, units = zip(*[(int(i), float(t), u.numpy()) for i, t, u in rows])
assert ids == (7, 12, 3) and units == (b"C", b"C", b"F")
np.testing.assert_allclose(temps, [21.5, -3.25, 98.6], rtol=1e-6)

# as_string: fill is a printf flag ("0" zero-pads, "-" left-aligns, "+" signs), width pads.
ids_t = tf.constant([7, 12, 3], tf.int64)
assert tf.strings.as_string(ids_t, width=3, fill="0").numpy().tolist() == [b"007", b"012", b"003"]
assert tf.strings.as_string(ids_t, width=3, fill="-").numpy().tolist() == [b"7  ", b"12 ", b"3  "]
assert tf.strings.as_string(tf.constant([5, -5]), fill="+").numpy().tolist() == [b"+5", b"-5"]
temps_t = tf.constant([21.5, -3.25], tf.float32)
assert tf.strings.as_string(temps_t, precision=1).numpy().tolist() == [b"21.5", b"-3.2"]
assert tf.strings.as_string(temps_t, precision=2, scientific=True).numpy().tolist() == [
    b"2.15e+01",
    b"-3.25e+00",
]
assert tf.strings.as_string(tf.constant([True, False])).numpy().tolist() == [b"true", b"false"]
assert tf.strings.as_string(tf.constant(["ab"]), width=4).numpy().tolist() == [b"  ab"]

# Building a report line per record in the pipeline.
report = rows.map(
    lambda i, t, u: tf.strings.reduce_join(
        [tf.strings.as_string(i, width=4, fill="0"), tf.strings.as_string(t, precision=1), u],
        separator="|",
    )
)
assert list(report.as_numpy_iterator()) == [b"0007|21.5|C", b"0012|-3.2|C", b"0003|98.6|F"]
summary = tf.strings.format("ids={} max={}", (ids_t, tf.reduce_max(temps_t)))
assert summary.numpy() == b"ids=[7 12 3] max=21.5", summary

# substr and length (bytes or UTF-8 characters), and to_number's strictness.
word = tf.constant("température")
assert int(tf.strings.length(word)) == 12 and int(tf.strings.length(word, unit="UTF8_CHAR")) == 11
assert tf.strings.substr(word, 3, 4, unit="UTF8_CHAR").numpy().decode() == "péra"
assert tf.strings.substr(["2024-01-31", "1999-12-01"], 5, 2).numpy().tolist() == [b"01", b"12"]
assert tf.strings.to_number(" 42 ", tf.int32).numpy() == 42
assert tf.strings.to_number("0x1p4", tf.float64).numpy() == 16.0
bad_numbers = [("1_000", tf.int32), ("3000000000", tf.int32), ("1.5", tf.int64), ("", tf.float32)]
for text, dtype in bad_numbers:
    try:
        tf.strings.to_number(text, dtype)
        raise AssertionError(f"expected InvalidArgumentError for {text!r}")
    except tf.errors.InvalidArgumentError:
        pass
print("report:", list(report.as_numpy_iterator()))
