"""Keras 3 op nodes in a functional config (``x * 2.0``, ``keras.ops.sum(x, axis=1)``,
``x[:, :, None]`` on KerasTensors: modules ``keras.src.ops.*``), as in Keras' MobileNetV3 and
ConvNeXt files, rebuild as the same ``keras.ops`` functions."""

import copy
import json

import numpy as np
import pytest

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
