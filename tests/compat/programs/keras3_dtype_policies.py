"""tf.keras.dtype_policies: DTypePolicy and its quantized kinds (names, dtypes, configs,
equality), get/serialize/deserialize, DTypePolicyMap's exact and regex paths, and a
layer built with a mixed policy."""

import numpy as np
import tensorflow as tf

keras = tf.keras
dp = keras.dtype_policies

p = dp.DTypePolicy("mixed_float16")
assert (p.name, p.compute_dtype, p.variable_dtype, p.quantization_mode) == (
    "mixed_float16",
    "float16",
    "float32",
    None,
)
assert p.get_config() == {"name": "mixed_float16"} and repr(p) == '<DTypePolicy "mixed_float16">'
assert dp.DTypePolicy().name == "float32"
assert dp.FloatDTypePolicy("float32") == dp.DTypePolicy("float32")
assert dp.serialize(p) == {
    "module": "keras",
    "class_name": "DTypePolicy",
    "config": {"name": "mixed_float16"},
    "registered_name": None,
}
assert dp.deserialize(dp.serialize(p)) == p
assert (
    dp.get({"class_name": "DTypePolicy", "config": {"name": "float16"}}).compute_dtype == "float16"
)

q = dp.get("int8_from_float32")
assert type(q) is dp.QuantizedDTypePolicy and q.quantization_mode == "int8"
assert q.get_config() == {"mode": "int8", "source_name": "float32"}
assert dp.deserialize(dp.serialize(q)) == q and q != dp.DTypePolicy("float32")
f8 = dp.get("float8_from_mixed_float16")
assert type(f8) is dp.QuantizedFloat8DTypePolicy and f8.amax_history_length == 1024
assert (f8.compute_dtype, f8.variable_dtype) == ("float16", "float32")
i4 = dp.get("int4/64_from_float32")
assert (
    type(i4) is dp.Int4DTypePolicy and i4.block_size == 64 and i4.get_config()["mode"] == "int4/64"
)
g = dp.GPTQDTypePolicy("gptq/4/128", "float32")
assert (g.name, g.weight_bits, g.group_size) == ("gptq/4/128_from_float32", 4, 128)
for bad in (
    lambda: dp.QuantizedDTypePolicy("int2", "float32"),
    lambda: dp.QuantizedDTypePolicy("int8", "float16"),
    lambda: dp.Int4DTypePolicy("int4/0", "float32"),
    lambda: dp.AWQDTypePolicy("awq/8/128", "float32"),
    lambda: dp.get("int8_float32"),
    lambda: dp.DTypePolicy("not_a_dtype"),
):
    try:
        bad()
    except ValueError:
        pass
    else:
        raise AssertionError("expected a ValueError")

m = dp.DTypePolicyMap("mixed_float16")
m["encoder/dense.*"] = "float32"
m["decoder/dense"] = dp.DTypePolicy("float64")
assert (m.name, m.compute_dtype, len(m), sorted(m)) == (
    "map_mixed_float16",
    "float16",
    2,
    ["decoder/dense", "encoder/dense.*"],
)
assert m["encoder/dense_3"].name == "float32" and m["elsewhere"].name == "mixed_float16"
try:
    m["decoder/dense"] = "float16"
except ValueError:
    pass
else:
    raise AssertionError("keys may not repeat")
again = dp.deserialize(dp.serialize(m))
assert type(again) is dp.DTypePolicyMap and again["decoder/dense"].name == "float64"

layer = keras.layers.Dense(3, dtype=dp.DTypePolicy("mixed_float16"))
out = layer(np.ones((2, 4), "float32"))
assert out.dtype == "float16" and layer.kernel.dtype == "float32"
assert layer.dtype_policy == dp.DTypePolicy("mixed_float16")
print("ok")
