"""keras.dtype_policies: the policy classes, get/serialize/deserialize and DTypePolicyMap,
and how layers take them."""

import numpy as np
import pytest

import gpuflow.keras as keras
from gpuflow.keras import dtype_policies as dp


def test_dtype_policy_api():
    p = dp.DTypePolicy("mixed_float16")
    assert (p.name, p.compute_dtype, p.variable_dtype, p.quantization_mode) == (
        "mixed_float16",
        "float16",
        "float32",
        None,
    )
    assert (
        p.get_config() == {"name": "mixed_float16"}
        and dp.DTypePolicy.from_config(p.get_config()) == p
    )
    assert dp.DTypePolicy().name == "float32"
    assert dp.FloatDTypePolicy("float32") == dp.DTypePolicy("float32")
    assert repr(dp.FloatDTypePolicy("float64")) == '<DTypePolicy "float64">'
    assert keras.DTypePolicy is dp.DTypePolicy and keras.FloatDTypePolicy is dp.FloatDTypePolicy
    x = p.convert_input(np.ones(2, np.float32), autocast=True, dtype="float16")
    assert x.dtype == "float16"
    assert p.convert_input(np.ones(2, np.int32), autocast=True, dtype="float16").dtype == "int32"


def test_get_serialize_deserialize():
    p = dp.get("float16")
    assert isinstance(p, dp.DTypePolicy) and p.compute_dtype == "float16"
    assert dp.serialize(p) == {
        "module": "keras",
        "class_name": "DTypePolicy",
        "config": {"name": "float16"},
        "registered_name": None,
    }
    assert dp.deserialize(dp.serialize(p)) == p
    assert dp.get({"class_name": "DTypePolicy", "config": {"name": "float32"}}).name == "float32"
    assert dp.get(None).name == "float32" and dp.get(p) is p
    with pytest.raises(ValueError, match="unknown dtype policy class"):
        dp.deserialize({"class_name": "Nope", "config": {}})


def test_quantized_policies():
    q = dp.get("int8_from_float32")
    assert type(q) is dp.QuantizedDTypePolicy and q.quantization_mode == "int8"
    assert q.get_config() == {"mode": "int8", "source_name": "float32"}
    assert dp.serialize(q)["module"] == "keras.dtype_policies"
    assert dp.deserialize(dp.serialize(q)) == q and q != dp.DTypePolicy("float32")
    f8 = dp.get("float8_from_mixed_float16")
    assert type(f8) is dp.QuantizedFloat8DTypePolicy and f8.amax_history_length == 1024
    assert (f8.compute_dtype, f8.variable_dtype) == ("float16", "float32")
    i4 = dp.get("int4/128_from_float32")
    assert type(i4) is dp.Int4DTypePolicy and i4.block_size == 128
    assert i4.get_config()["mode"] == "int4/128"
    g = dp.GPTQDTypePolicy("gptq/4/128", "float32")
    assert (g.name, g.weight_bits, g.group_size) == ("gptq/4/128_from_float32", 4, 128)
    assert type(dp.get("awq/4/-1_from_float32")) is dp.AWQDTypePolicy
    with pytest.raises(ValueError, match="Invalid quantization mode"):
        dp.QuantizedDTypePolicy("int2", "float32")
    with pytest.raises(ValueError, match="doesn't work well with compute_dtype='float16'"):
        dp.QuantizedDTypePolicy("int8", "float16")
    with pytest.raises(ValueError, match="Invalid block_size"):
        dp.Int4DTypePolicy("int4/0", "float32")
    with pytest.raises(ValueError, match="AWQ only supports 4-bit"):
        dp.AWQDTypePolicy("awq/8/128", "float32")
    with pytest.raises(ValueError, match="valid pair"):
        dp.get("int8_float32")
    assert keras.layers.Dense(2, dtype=q).quantization_mode == "int8"  # built with int8 weights
    with pytest.raises(NotImplementedError, match="does not take quantized dtype policies"):
        keras.layers.Conv2D(2, 3, dtype=q)
    assert keras.layers.Dense(2, dtype="int4/64_from_float32").quantization_mode == "int4"
    legacy = keras.layers.Dense(2, dtype="int4_from_float32")  # per channel, Keras' old name
    assert legacy.dtype_policy.name == "int4_from_float32"
    legacy.build((None, 4))
    assert [v.shape for v in legacy.weights if v.name != "bias"] == [(4, 1), (2,)]
    with pytest.raises(NotImplementedError, match="does not take quantized dtype policies"):
        keras.layers.EinsumDense("ab,bc->ac", 2, dtype="int4/64_from_float32")
    assert keras.layers.Embedding(5, 2, dtype="int4/64_from_float32").quantization_mode == "int4"


def test_dtype_policy_map():
    m = dp.DTypePolicyMap("mixed_float16")
    m["encoder/dense.*"] = "float32"
    m["decoder/dense"] = dp.DTypePolicy("float64")
    assert (m.name, m.compute_dtype, len(m), "decoder/dense" in m) == (
        "map_mixed_float16",
        "float16",
        2,
        True,
    )
    assert m["encoder/dense_1"].name == "float32" and m["other"].name == "mixed_float16"
    with pytest.raises(ValueError, match="already exist in the DTypePolicyMap"):
        m["decoder/dense"] = "float16"
    m["encoder/dense_1.*"] = "float16"
    with pytest.raises(ValueError, match="matches multiple dtype policy"):
        m["encoder/dense_1/kernel"]
    del m["encoder/dense_1.*"]
    again = dp.deserialize(dp.serialize(m))
    assert isinstance(again, dp.DTypePolicyMap) and again["decoder/dense"].name == "float64"
    with pytest.raises(ValueError, match="`default_policy` cannot be a `DTypePolicyMap`"):
        dp.DTypePolicyMap(m)
    layer = keras.layers.Dense(2, dtype=m)
    assert layer.compute_dtype == "float16" and layer.variable_dtype == "float32"
