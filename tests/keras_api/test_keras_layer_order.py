"""Functional ``model.layers`` in Keras 3's order (by depth, then first visit), which Keras'
``.weights.h5`` keys depend on; legacy ``.h5`` weights paired in order when names differ."""

from __future__ import annotations

import numpy as np
import pytest

import gpuflow as gf

L = gf.keras.layers


def _branched():
    inp = gf.keras.Input((8,), name="x")
    a = L.Dense(4, name="a")(inp)  # created first, but on the short branch
    b = L.Dense(4, name="b")(inp)
    b = L.Dense(4, name="c")(b)
    b = L.Dense(4, name="d")(b)
    e = L.Add(name="e")([a, b])
    side = L.Dense(2, name="f")(inp)
    out = L.Concatenate(name="g")([e, side])
    return gf.keras.Model(inp, out)


def test_layers_follow_keras_depth_order():
    # the order real tf.keras 3.15 gives for the same graph (recorded in /work/tfvenv)
    assert [layer.name for layer in _branched().layers] == ["x", "b", "c", "a", "d", "e", "f", "g"]


def test_weights_h5_keys_follow_that_order(tmp_path):
    import h5py

    model = _branched()
    model.save_weights(tmp_path / "m.weights.h5")
    with h5py.File(tmp_path / "m.weights.h5", "r") as h5:
        kernels = {
            key: h5[f"layers/{key}/vars/0"].shape if "0" in h5[f"layers/{key}/vars"] else None
            for key in h5["layers"]
        }
    # what real tf.keras 3.15 writes for the same model (recorded in /work/tfvenv): the
    # groups are named by class and position in model.layers (b, c, a, d, f)
    assert kernels == {
        "add": None,
        "concatenate": None,
        "dense": (8, 4),
        "dense_1": (4, 4),
        "dense_2": (8, 4),
        "dense_3": (4, 4),
        "dense_4": (8, 2),
        "input_layer": None,
    }
    again = _branched()
    again.load_weights(tmp_path / "m.weights.h5")
    for a, b in zip(again.get_weights(), model.get_weights()):
        np.testing.assert_array_equal(a, b)


def _write_legacy(path, model, names):
    """A Keras 2 ``save_weights`` file (top-level layer_names) for ``model``'s weighted
    layers, under the layer names ``names``."""
    import h5py

    layers = [layer for layer in model.layers if layer.weights]
    with h5py.File(path, "w") as h5:
        h5.attrs["layer_names"] = [n.encode() for n in names]
        for name, layer in zip(names, layers):
            group = h5.create_group(name)
            weight_names = [f"{name}/{w.name.split('/')[-1]}:0" for w in layer.weights]
            group.attrs["weight_names"] = [w.encode() for w in weight_names]
            for weight_name, value in zip(weight_names, layer.get_weights()):
                group.create_dataset(weight_name, data=value)


def test_legacy_weights_pair_layers_in_order_when_names_differ(tmp_path):
    source = gf.keras.Sequential([gf.keras.Input((3,)), L.Dense(4), L.Dense(2)])
    path = tmp_path / "w.h5"
    _write_legacy(path, source, ["dense_71", "dense_72"])  # names from another process
    target = gf.keras.Sequential([gf.keras.Input((3,)), L.Dense(4), L.Dense(2)])
    target.load_weights(path)
    for a, b in zip(target.get_weights(), source.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_legacy_weights_that_do_not_pair_still_name_the_missing_layer(tmp_path):
    source = gf.keras.Sequential([gf.keras.Input((3,)), L.Dense(4), L.Dense(2)])
    path = tmp_path / "w.h5"
    _write_legacy(path, source, ["dense_71", "dense_72"])
    target = gf.keras.Sequential([gf.keras.Input((3,)), L.Dense(5), L.Dense(2)])  # shapes differ
    with pytest.raises(ValueError, match="no weights for layer"):
        target.load_weights(path)
