"""A model as a TensorFlow ``GraphDef``: one name scope per layer holding its ops and weights.

TensorBoard's Graphs tab draws each layer as a box (the name scope) that opens onto its
weights and ops (``dense/kernel``, ``dense/MatMul``, ``dense/BiasAdd``, ``dense/Relu``),
with tensor shapes on the edges. Layers are chained in ``model.layers`` order, which is
the data flow of a Sequential model.
"""

from __future__ import annotations

import numpy as np

from . import _backend

# Layer class -> its ops, each with the weights it reads (by short name). Weights a layer
# has that no op names are read by its first op; "bias" steps vanish when use_bias=False.
_LAYER_OPS = {
    "Dense": [("MatMul", ["kernel"]), ("BiasAdd", ["bias"])],
    "Conv1D": [("Conv1D", ["kernel"]), ("BiasAdd", ["bias"])],
    "Conv2D": [("Conv2D", ["kernel"]), ("BiasAdd", ["bias"])],
    "Conv2DTranspose": [("Conv2DBackpropInput", ["kernel"]), ("BiasAdd", ["bias"])],
    "DepthwiseConv2D": [("DepthwiseConv2dNative", ["depthwise_kernel"]), ("BiasAdd", ["bias"])],
    "MaxPooling1D": [("MaxPool", [])],
    "MaxPooling2D": [("MaxPool", [])],
    "AveragePooling1D": [("AvgPool", [])],
    "AveragePooling2D": [("AvgPool", [])],
    "GlobalAveragePooling1D": [("Mean", [])],
    "GlobalAveragePooling2D": [("Mean", [])],
    "GlobalMaxPooling1D": [("Max", [])],
    "GlobalMaxPooling2D": [("Max", [])],
    "Flatten": [("Reshape", [])],
    "Reshape": [("Reshape", [])],
    "Dropout": [("Dropout", [])],
    "BatchNormalization": [
        ("FusedBatchNormV3", ["gamma", "beta", "moving_mean", "moving_variance"])
    ],
    "LayerNormalization": [("LayerNorm", ["gamma", "beta"])],
    "Embedding": [("GatherV2", ["embeddings"])],
    "Add": [("AddV2", [])],
    "Concatenate": [("ConcatV2", [])],
    "Activation": [],
    "ReLU": [("Relu", [])],
    "Softmax": [("Softmax", [])],
    "InputLayer": [],
}

_WITH_ACTIVATION = {"Dense", "Conv1D", "Conv2D", "Conv2DTranspose", "DepthwiseConv2D", "Activation"}

_ACTIVATION_OPS = {
    "relu": "Relu",
    "softmax": "Softmax",
    "sigmoid": "Sigmoid",
    "tanh": "Tanh",
    "elu": "Elu",
    "selu": "Selu",
    "gelu": "Gelu",
    "softplus": "Softplus",
    "swish": "Swish",
    "silu": "Swish",
    "leaky_relu": "LeakyRelu",
    "relu6": "Relu6",
    "log_softmax": "LogSoftmax",
    "linear": None,
}

_DTYPES = {
    "float16": "DT_HALF",
    "float32": "DT_FLOAT",
    "float64": "DT_DOUBLE",
    "int32": "DT_INT32",
    "int64": "DT_INT64",
    "uint8": "DT_UINT8",
    "bool": "DT_BOOL",
}


def model_graph_def(model):
    """Builds the ``GraphDef`` of a model from its layers, weights and output shapes.

    Args:
        model: A gpuflow model (``model.layers``; ``model.input_shape`` once built).

    Returns:
        A ``tensorboard.compat.proto.graph_pb2.GraphDef``.
    """
    tb = _backend.require("gpuflow.summary.graph")
    builder = _Builder(tb)
    shape = _input_shape(model)
    taken = {layer.name for layer in model.operations}
    previous = "input" if "input" not in taken else "model_input"
    builder.node(
        previous, "Placeholder", [], shape, {"dtype": _dtype_attr(tb, _model_dtype(model))}
    )
    for layer in model.operations:
        out_shape = _output_shape(layer, shape)
        previous = _add_layer(builder, layer, previous, out_shape)
        shape = out_shape
    return tb.graph_pb2.GraphDef(node=builder.nodes)


class _Builder:
    def __init__(self, tb) -> None:
        self.tb = tb
        self.nodes = []
        self.names = set()

    def node(self, name, op, inputs, shape, attrs=None):
        base, k = name, 0
        while name in self.names:  # e.g. a custom layer whose op and activation share a name
            k += 1
            name = f"{base}_{k}"
        self.names.add(name)
        attr = dict(attrs or {})
        if shape is not None:
            attr["_output_shapes"] = self.tb.attr_value_pb2.AttrValue(
                list=self.tb.attr_value_pb2.AttrValue.ListValue(
                    shape=[_shape_proto(self.tb, shape)]
                )
            )
        self.nodes.append(
            self.tb.node_def_pb2.NodeDef(name=name, op=op, input=list(inputs), attr=attr)
        )
        return name


def _add_layer(builder, layer, previous, out_shape):
    tb = builder.tb
    scope = layer.name
    weights = {_short_name(w): w for w in getattr(layer, "weights", [])}
    for short, w in weights.items():
        dtype = _dtype_attr(tb, str(np.dtype(w.dtype)))
        builder.node(
            f"{scope}/{short}",
            "VariableV2",
            [],
            tuple(w.shape),
            {"dtype": dtype, "shape": tb.attr_value_pb2.AttrValue(shape=_shape_proto(tb, w.shape))},
        )
    config = _config(layer)
    steps = [
        (op, [n for n in reads if n in weights])
        for op, reads in _LAYER_OPS.get(type(layer).__name__, [(type(layer).__name__, [])])
        if op != "BiasAdd" or "bias" in weights
    ]
    activation = _activation_op(layer, config)
    if activation:
        steps.append((activation, []))
    if not steps:
        steps = [("Identity", [])]
    unread = [n for n in weights if not any(n in reads for _, reads in steps)]
    steps[0] = (steps[0][0], steps[0][1] + unread)
    for i, (op, reads) in enumerate(steps):
        attrs = _config_attrs(tb, config) if i == 0 else {}
        previous = builder.node(
            f"{scope}/{op}", op, [previous] + [f"{scope}/{n}" for n in reads], out_shape, attrs
        )
    return previous


def _short_name(weight) -> str:
    return str(weight.name).split(":")[0].rsplit("/", 1)[-1]


def _activation_op(layer, config):
    kind = type(layer).__name__
    if kind in _LAYER_OPS and kind not in _WITH_ACTIVATION:
        return None
    act = config.get("activation")
    if act is None:
        return None
    if callable(act):
        act = getattr(act, "__name__", type(act).__name__)
    act = str(act)
    return _ACTIVATION_OPS.get(act, act[:1].upper() + act[1:])


def _config(layer) -> dict:
    try:
        config = layer.get_config()
    except Exception:  # noqa: BLE001 - a layer without a usable config still gets its node
        return {}
    return config if isinstance(config, dict) else {}


def _config_attrs(tb, config) -> dict:
    """Simple config values (units, strides, padding, ...) as node attributes."""
    AttrValue = tb.attr_value_pb2.AttrValue
    attrs = {}
    for key, value in config.items():
        if key in ("name", "trainable", "dtype") or value is None:
            continue
        if isinstance(value, bool):
            attrs[key] = AttrValue(b=value)
        elif isinstance(value, (int, np.integer)):
            attrs[key] = AttrValue(i=int(value))
        elif isinstance(value, (float, np.floating)):
            attrs[key] = AttrValue(f=float(value))
        elif isinstance(value, str):
            attrs[key] = AttrValue(s=value.encode())
        elif isinstance(value, (tuple, list)) and value and all(isinstance(v, int) for v in value):
            attrs[key] = AttrValue(list=AttrValue.ListValue(i=list(value)))
    return attrs


def _input_shape(model):
    try:
        shape = model.input_shape
    except Exception:  # noqa: BLE001 - not built yet: the graph is drawn without shapes
        return None
    return tuple(shape) if shape is not None and not isinstance(shape, list) else None


def _output_shape(layer, shape):
    if shape is None:
        return None
    try:
        return tuple(layer.compute_output_shape(shape))
    except Exception:  # noqa: BLE001 - a layer that cannot say leaves the edges after it unlabeled
        return None


def _model_dtype(model) -> str:
    for layer in model.operations:
        for w in getattr(layer, "weights", []):
            return str(np.dtype(w.dtype))
    return "float32"


def _dtype_attr(tb, dtype: str):
    enum = tb.types_pb2.DataType.Value(_DTYPES.get(dtype, "DT_FLOAT"))
    return tb.attr_value_pb2.AttrValue(type=enum)


def _shape_proto(tb, shape):
    Dim = tb.tensor_shape_pb2.TensorShapeProto.Dim
    return tb.tensor_shape_pb2.TensorShapeProto(
        dim=[Dim(size=-1 if d is None else int(d)) for d in shape]
    )
