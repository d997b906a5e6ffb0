"""Keras 3 op nodes in a functional config (``x * 2.0``, ``keras.ops.sum(x, axis=1)``,
``x[:, :, None]`` on KerasTensors: modules ``keras.src.ops.*``), as in Keras' MobileNetV3 and
ConvNeXt files, rebuild as the same ``keras.ops`` functions; gpuflow saves KerasTensor operators
(and ConvNeXt's LayerScale / StochasticDepth) in Keras' form, so Keras loads them."""

import copy
import json
import os
import subprocess
from pathlib import Path

import numpy as np
import pytest

import gpuflow as tf
from gpuflow.saving import keras_archive
from gpuflow.saving.errors import FileFormatError

# config.json of this model, saved by Keras 3.15.1 (compile_config left out):
#   i = keras.Input((4, 3))
#   o = keras.ops.sum(i * 2.0, axis=1, keepdims=True) - keras.ops.mean(i, axis=-1)[:, :, None]
CONFIG = json.loads(
    """
{
 "module": "keras.src.models.functional",
 "class_name": "Functional",
 "config": {
  "name": "functional",
  "trainable": true,
  "layers": [
   {
    "module": "keras.layers",
    "class_name": "InputLayer",
    "config": {
     "batch_shape": [
      null,
      4,
      3
     ],
     "dtype": "float32",
     "sparse": false,
     "ragged": false,
     "name": "input_layer_1",
     "optional": false
    },
    "registered_name": null,
    "name": "input_layer_1",
    "inbound_nodes": []
   },
   {
    "module": "keras.src.ops.numpy",
    "class_name": "Multiply",
    "config": {
     "name": "multiply_9"
    },
    "registered_name": "Multiply",
    "name": "multiply_9",
    "inbound_nodes": [
     {
      "args": [
       {
        "class_name": "__keras_tensor__",
        "config": {
         "shape": [
          null,
          4,
          3
         ],
         "dtype": "float32",
         "keras_history": [
          "input_layer_1",
          0,
          0
         ]
        }
       },
       2.0
      ],
      "kwargs": {}
     }
    ]
   },
   {
    "module": "keras.src.ops.numpy",
    "class_name": "Mean",
    "config": {
     "name": "mean",
     "axis": -1,
     "keepdims": false
    },
    "registered_name": "Mean",
    "name": "mean",
    "inbound_nodes": [
     {
      "args": [
       {
        "class_name": "__keras_tensor__",
        "config": {
         "shape": [
          null,
          4,
          3
         ],
         "dtype": "float32",
         "keras_history": [
          "input_layer_1",
          0,
          0
         ]
        }
       }
      ],
      "kwargs": {}
     }
    ]
   },
   {
    "module": "keras.src.ops.numpy",
    "class_name": "Sum",
    "config": {
     "name": "sum",
     "axis": 1,
     "keepdims": true
    },
    "registered_name": "Sum",
    "name": "sum",
    "inbound_nodes": [
     {
      "args": [
       {
        "class_name": "__keras_tensor__",
        "config": {
         "shape": [
          null,
          4,
          3
         ],
         "dtype": "float32",
         "keras_history": [
          "multiply_9",
          0,
          0
         ]
        }
       }
      ],
      "kwargs": {}
     }
    ]
   },
   {
    "module": "keras.src.ops.numpy",
    "class_name": "GetItem",
    "config": {
     "name": "get_item"
    },
    "registered_name": "GetItem",
    "name": "get_item",
    "inbound_nodes": [
     {
      "args": [
       {
        "class_name": "__keras_tensor__",
        "config": {
         "shape": [
          null,
          4
         ],
         "dtype": "float32",
         "keras_history": [
          "mean",
          0,
          0
         ]
        }
       },
       [
        {
         "class_name": "__slice__",
         "config": {
          "start": null,
          "stop": null,
          "step": null
         }
        },
        {
         "class_name": "__slice__",
         "config": {
          "start": null,
          "stop": null,
          "step": null
         }
        },
        null
       ]
      ],
      "kwargs": {}
     }
    ]
   },
   {
    "module": "keras.src.ops.numpy",
    "class_name": "Subtract",
    "config": {
     "name": "subtract"
    },
    "registered_name": "Subtract",
    "name": "subtract",
    "inbound_nodes": [
     {
      "args": [
       {
        "class_name": "__keras_tensor__",
        "config": {
         "shape": [
          null,
          1,
          3
         ],
         "dtype": "float32",
         "keras_history": [
          "sum",
          0,
          0
         ]
        }
       },
       {
        "class_name": "__keras_tensor__",
        "config": {
         "shape": [
          null,
          4,
          1
         ],
         "dtype": "float32",
         "keras_history": [
          "get_item",
          0,
          0
         ]
        }
       }
      ],
      "kwargs": {}
     }
    ]
   }
  ],
  "input_layers": [
   "input_layer_1",
   0,
   0
  ],
  "output_layers": [
   "subtract",
   0,
   0
  ]
 },
 "registered_name": "Functional",
 "build_config": {
  "input_shape": null
 }
}
"""
)


def test_keras_op_nodes_rebuild():
    model = keras_archive.build_model(copy.deepcopy(CONFIG), "ops.keras")
    x = np.arange(24, dtype="float32").reshape(2, 4, 3)
    want = np.sum(x * 2.0, axis=1, keepdims=True) - np.mean(x, axis=-1)[:, :, None]
    got = model.predict(x, verbose=0)
    assert got.shape == (2, 4, 3)
    np.testing.assert_allclose(got, want, rtol=1e-6)
    assert len(model.layers) == 1  # as Keras: ops are no layers, only the input is


def test_unknown_keras_op_is_a_clear_error():
    config = copy.deepcopy(CONFIG)
    config["config"]["layers"][2]["class_name"] = "NoSuchOperation"
    with pytest.raises(FileFormatError, match=r"NoSuchOperation.*unsupported Keras op"):
        keras_archive.build_model(config, "ops.keras")


# -- gpuflow -> Keras: operators and ConvNeXt's layers saved as Keras writes them ----------
def _operator_model():
    from gpuflow.applications.convnext import LayerScale, StochasticDepth

    inputs = tf.keras.Input((4, 3))
    h = tf.keras.layers.Dense(3, name="d")(inputs)
    out = (abs(-h) / 2.0) ** 2 + h[:, 0:1, :] - 1.0
    out = out[..., 1:] * (h[:, :, :2] > 0.0)
    out = StochasticDepth(0.2, name="drop")(LayerScale(0.5, 2, name="scale")(out))
    return tf.keras.Model(inputs, out)


def _saved_config(model, path):
    import zipfile

    model.save(path)
    with zipfile.ZipFile(path) as archive:
        return json.loads(archive.read("config.json"))


def test_operators_save_as_keras_op_nodes(tmp_path):
    model = _operator_model()
    x = np.linspace(-1, 1, 24, dtype="float32").reshape(2, 4, 3)
    config = _saved_config(model, tmp_path / "ops.keras")
    specs = {s["name"]: s for s in config["config"]["layers"]}
    ops = [s["class_name"] for s in specs.values() if s["module"] == "keras.src.ops.numpy"]
    assert sorted(ops) == sorted(
        ["Negative", "Absolute", "TrueDivide", "Power", "GetItem", "Add", "Subtract"]
        + ["GetItem", "GetItem", "Greater", "Multiply"]
    )
    slicing = [s for s in specs.values() if s["class_name"] == "GetItem"]
    keys = [s["inbound_nodes"][0]["args"][1] for s in slicing]
    assert [{"class_name": "__ellipsis__", "config": {}}, _keras_slice(1, None)] in keys
    assert [_keras_slice(None, None), _keras_slice(0, 1), _keras_slice(None, None)] in keys
    assert specs["scale"]["module"] == "keras.src.applications.convnext"
    assert specs["drop"]["module"] == "keras.src.applications.convnext"
    again = tf.keras.models.load_model(tmp_path / "ops.keras")
    np.testing.assert_allclose(again.predict(x, verbose=0), model.predict(x, verbose=0))


def _keras_slice(start, stop, step=None):
    return {"class_name": "__slice__", "config": {"start": start, "stop": stop, "step": step}}


def _keras_python():
    venv = os.environ.get("TF_VENV")
    return (
        str(Path(venv, "bin", "python")) if venv and Path(venv, "bin", "python").exists() else None
    )


@pytest.mark.skipif(_keras_python() is None, reason="real Keras 3 not available (set TF_VENV)")
def test_real_keras_loads_operators_and_convnext_layers(tmp_path):
    model = _operator_model()
    x = np.linspace(-1, 1, 24, dtype="float32").reshape(2, 4, 3)
    model.save(tmp_path / "ops.keras")
    np.save(tmp_path / "x.npy", x)
    np.save(tmp_path / "y.npy", model.predict(x, verbose=0))
    check = (
        "import numpy as np, keras\n"
        "m = keras.models.load_model('ops.keras')\n"
        "np.testing.assert_allclose(m.predict(np.load('x.npy'), verbose=0), np.load('y.npy'),"
        " rtol=1e-5, atol=1e-6)\n"
        "print('keras-ok')\n"
    )
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3", CUDA_VISIBLE_DEVICES="")
    done = subprocess.run(
        [_keras_python(), "-c", check],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        cwd=tmp_path,
    )
    assert done.returncode == 0 and "keras-ok" in done.stdout, done.stderr[-3000:]
