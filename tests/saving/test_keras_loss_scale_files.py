""".keras files of a model trained with a LossScaleOptimizer (what compile() makes under the
mixed_float16 policy) in Keras 3's layout: its ``optimizer/vars`` (own iterations and
learning rate, step_counter, dynamic_scale, then the inner optimizer's list), the inner
optimizer's own ``optimizer/inner_optimizer/vars``, Keras 3's config keys and a float32
InputLayer; gpuflow reads them back, and so does Keras where it is at hand."""

import json
import os
import subprocess
import zipfile
from pathlib import Path

import numpy as np
import pytest

import gpuflow as tf

h5py = pytest.importorskip("h5py")
keras = tf.keras


def _model():
    keras.mixed_precision.set_global_policy("mixed_float16")
    model = keras.Sequential(
        [
            keras.Input((3,)),
            keras.layers.Dense(2),
            keras.layers.Activation("linear", dtype="float32"),
        ]
    )
    model.compile(keras.optimizers.Adam(0.01), "mse")
    return model


def _trained(tmp_path):
    model = _model()
    x = np.linspace(-1, 1, 12, dtype="float32").reshape(4, 3)
    model.fit(x, x[:, :2], epochs=3, verbose=0)
    path = tmp_path / "mp.keras"
    model.save(path)
    return model, path


def test_archive_has_keras_layout(tmp_path):
    model, path = _trained(tmp_path)
    opt = model.optimizer
    assert type(opt).__name__ == "LossScaleOptimizer" and int(opt.iterations) > 0
    with zipfile.ZipFile(path) as archive:
        config = json.loads(archive.read("config.json"))
        (tmp_path / "w.h5").write_bytes(archive.read("model.weights.h5"))
    assert config["config"]["layers"][0]["config"]["dtype"] == "float32"
    saved_opt = config["compile_config"]["optimizer"]["config"]
    assert set(saved_opt) == {"name", "inner_optimizer", "initial_scale", "dynamic_growth_steps"}
    with h5py.File(tmp_path / "w.h5") as f:
        own = [f[f"optimizer/vars/{i}"][()] for i in range(len(f["optimizer/vars"]))]
        inner = [f[f"optimizer/inner_optimizer/vars/{i}"][()] for i in range(6)]
        assert len(f["optimizer/inner_optimizer/vars"]) == 6  # iterations, rate, m and v x 2
    assert len(own) == 4 + 6
    assert own[0] == 0 and own[2] == opt.dynamic_counter and own[3] == opt.loss_scale
    assert own[4] == int(opt.iterations) == inner[0]
    for a, b in zip(own[4:], inner):
        np.testing.assert_array_equal(a, b)


def test_archive_loads_back_with_its_state(tmp_path):
    model, path = _trained(tmp_path)
    loaded = keras.models.load_model(path)
    opt, again = model.optimizer, loaded.optimizer
    assert type(again).__name__ == "LossScaleOptimizer"
    assert (int(again.iterations), again.loss_scale, again.dynamic_counter) == (
        int(opt.iterations),
        opt.loss_scale,
        opt.dynamic_counter,
    )
    variables = model.trainable_variables
    want = opt.inner_optimizer.get_state(variables)
    got = again.inner_optimizer.get_state(loaded.trainable_variables)
    for key in ("0/m", "0/v", "1/m", "1/v"):
        np.testing.assert_allclose(got[key], want[key])


def test_non_default_arguments_stay_in_the_config():
    opt = keras.optimizers.LossScaleOptimizer(keras.optimizers.SGD(), dynamic=False)
    config = opt.get_config()
    assert config["dynamic"] is False and "growth_factor" not in config
    assert keras.optimizers.LossScaleOptimizer.from_config(config).dynamic is False


def _keras_python():
    venv = os.environ.get("TF_VENV")
    if venv and Path(venv, "bin", "python").exists():
        return str(Path(venv, "bin", "python"))
    return None


_READ = """
import sys, keras
m = keras.models.load_model(sys.argv[1])
o = m.optimizer
print(type(o).__name__, int(o.iterations), float(o.dynamic_scale), int(o.step_counter))
"""


@pytest.mark.skipif(_keras_python() is None, reason="real Keras 3 not available (set TF_VENV)")
def test_real_keras_loads_the_archive(tmp_path):
    model, path = _trained(tmp_path)
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3", "CUDA_VISIBLE_DEVICES": ""}
    out = subprocess.run(
        [_keras_python(), "-c", _READ, str(path)], env=env, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr[-2000:]
    opt = model.optimizer
    expected = f"LossScaleOptimizer {int(opt.iterations)} {opt.loss_scale} {opt.dynamic_counter}"
    assert out.stdout.strip().splitlines()[-1] == expected
