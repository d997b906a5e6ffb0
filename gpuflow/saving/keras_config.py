"""Keras 3 ``config.json`` to gpuflow's config layout and back.

gpuflow's configs already follow Keras (class names, argument names, the functional graph's
``inbound_nodes``); Keras 3 adds ``module``/``registered_name`` to every serialized object,
stores dtypes as ``DTypePolicy`` objects and the InputLayer's shape as ``batch_shape``. An
option gpuflow lacks is dropped only where Keras left it at an off value (None/False); any
other value is an error naming the layer and option, never silently ignored.
"""

from __future__ import annotations

import inspect

from ..layers.dtype_policy import serialized_policy
from .errors import FileFormatError, UnknownObjectError

_DTYPE_POLICIES = ("DTypePolicy", "FloatDTypePolicy", "Policy")
_QUANTIZED_POLICIES = ("QuantizedDTypePolicy", "Int4DTypePolicy", "QuantizedFloat8DTypePolicy")
_MODEL_CLASSES = ("Sequential", "Functional", "Model")
_MODULES = {
    "initializer": "keras.initializers",
    "regularizer": "keras.regularizers",
    "constraint": "keras.constraints",
}


# -- Keras to gpuflow ---------------------------------------------------------------------------
def _plain(value):
    """``value`` without Keras 3's ``module``/``registered_name`` wrapping; dtype policies as
    plain names."""
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if not isinstance(value, dict):
        return value
    if value.get("class_name") in _DTYPE_POLICIES and isinstance(value.get("config"), dict):
        return value["config"].get("name", "float32")
    if value.get("class_name") in _QUANTIZED_POLICIES and isinstance(
        value.get("config"), dict
    ):  # int8/int4 weights: the layer is built quantized ("int8_from_float32")
        config = value["config"]
        if config.get("amax_history_length", 1024) != 1024:
            raise NotImplementedError(
                "QuantizedFloat8DTypePolicy: gpuflow keeps Keras' default "
                f"amax_history_length=1024; the file has {config['amax_history_length']}"
            )
        return f"{config.get('mode')}_from_{config.get('source_name') or 'float32'}"
    if "class_name" in value and "config" in value:
        out = {"class_name": value["class_name"], "config": _plain(value["config"])}
        registered = value.get("registered_name")
        if registered and registered != value["class_name"]:
            out["registered_name"] = registered
        return out
    return {k: _plain(v) for k, v in value.items() if k != "shared_object_id"}


def _accepted(cls) -> tuple[set, bool]:
    params = inspect.signature(cls.__init__).parameters
    names = {p for p in params if p != "self"}
    var_kw = any(p.kind == p.VAR_KEYWORD for p in params.values())
    for base in cls.__mro__[1:]:  # **kwargs passed up: the bases' arguments count too
        if not any(p.kind == p.VAR_KEYWORD for p in params.values()) or base is object:
            break
        if "__init__" in vars(base):
            params = inspect.signature(base.__init__).parameters
            names |= {p for p in params if p != "self"}
    cell = getattr(cls, "_cell_class", None)  # LSTM/GRU/SimpleRNN pass the rest to their cell
    if cell is not None:
        from ..layers.recurrent.layers import _OUTER

        names |= set(_OUTER) | {"use_cudnn", "implementation"}
        names |= _accepted(cell)[0]  # the cell's own arguments and its bases' (dropout, ...)
    return names, var_kw


# Keras options that mean nothing while the option they hang on is off.
_DEPENDENT = {"renorm_momentum": "renorm", "ema_momentum": "use_ema"}


def _filter(path, owner: str, cls, config: dict, extra: frozenset = frozenset()) -> dict:
    names, var_kw = _accepted(cls)
    names |= extra if var_kw else set()
    out = {}
    for key, value in config.items():
        if key in names:
            out[key] = value
        elif key in _DEPENDENT and not config.get(_DEPENDENT[key]):
            continue
        elif value not in (None, False):
            raise FileFormatError(
                path,
                f"config {owner}.{key}",
                f"Keras option {key}={value!r} is not supported by gpuflow's {cls.__name__}",
            )
    return out


def _nested_objects(path, owner: str, config: dict) -> dict:
    """Initializers, regularizers and constraints with Keras-only options (left off) removed."""
    from .. import initializers, regularizers

    out = dict(config)
    for key, value in config.items():
        if not (isinstance(value, dict) and "class_name" in value):
            continue
        kind = key.rsplit("_", 1)[-1]
        module = {"initializer": initializers, "regularizer": regularizers}.get(kind)
        cls = getattr(module, value["class_name"], None) if module else None
        if inspect.isclass(cls):
            inner = _filter(path, f"{owner}.{key}", cls, dict(value.get("config") or {}))
            out[key] = dict(value, config=inner)
    return out


def layer_from_keras(spec: dict, path, custom_objects=None, where: str = "layers") -> dict:
    """One Keras 3 layer entry as gpuflow's ``{"class_name", "config"}`` (plus graph fields)."""
    from ..layers.base import _BASE_KWARGS
    from ..layers.serialization import _lookup

    if not isinstance(spec, dict) or not isinstance(spec.get("class_name"), str):
        raise FileFormatError(path, f"config {where}", "a layer entry needs a 'class_name' string")
    name = spec["class_name"]
    config = spec.get("config")
    if not isinstance(config, dict):
        raise FileFormatError(path, f"config {where}.{name}", "'config' must be an object")
    if name in _MODEL_CLASSES:
        cls_name, inner = model_from_keras(spec, path, custom_objects)
        out = {"class_name": cls_name, "config": inner}
    elif str(spec.get("module", "")).startswith(_KERAS_OPS):
        return _op_from_keras(spec, path, where)
    else:
        cls = _lookup(name, custom_objects, spec.get("registered_name"))
        if cls is None:
            raise UnknownObjectError(
                path,
                f"config {where}.{name}",
                f"unknown layer class {name!r}; pass custom_objects="
                f"{{{name!r}: cls}} for a layer defined outside gpuflow",
            )
        inner = _plain(config)
        if name == "InputLayer":
            if "batch_shape" in inner:
                inner["batch_input_shape"] = inner.pop("batch_shape")
            inner.pop("optional", None)
        if name == "Lambda":
            _check_lambda(path, where, inner)
        owner = inner.get("name", name)
        if not _is_custom(cls):
            inner = _filter(
                path,
                owner,
                cls,
                _nested_objects(path, owner, inner),
                _BASE_KWARGS | {"trainable", "name", "dtype"},
            )
        out = {"class_name": name, "config": inner}
        registered = spec.get("registered_name")
        if registered and registered != name:
            out["registered_name"] = registered
        if _is_custom(cls) and isinstance(spec.get("build_config"), dict):
            out["build_config"] = _plain(spec["build_config"])
    if "name" in spec:
        out["name"] = spec["name"]
    if "inbound_nodes" in spec:
        out["inbound_nodes"] = [_node_from_keras(node) for node in spec["inbound_nodes"]]
    return out


_KERAS_OPS = "keras.src.ops."


def _op_from_keras(spec: dict, path, where: str) -> dict:
    """A Keras 3 op node (``x + 3.0`` on KerasTensors: module ``keras.src.ops.numpy``, class
    ``Add``) as the TFOpLambda of the same ``keras.ops`` function; the op's own arguments
    (``Sum``'s ``axis``) go to each call's keyword arguments."""
    from ..layers.naming import to_snake_case

    module = spec["module"][len(_KERAS_OPS) :]
    function = to_snake_case(spec["class_name"])
    extras = {k: v for k, v in _plain(spec["config"]).items() if k != "name"}
    name = spec.get("name") or spec["config"].get("name")
    try:
        from ..layers.op_lambda import _resolve

        _resolve(f"keras.ops.{module}", function)
    except ValueError as exc:
        raise FileFormatError(
            path, f"config {where}.{spec['class_name']}", f"unsupported Keras op ({exc})"
        ) from None
    out = {
        "class_name": "TFOpLambda",
        "config": {"name": name, "module": f"keras.ops.{module}", "function": function},
        "name": name,
    }
    if "inbound_nodes" in spec:
        nodes = [_node_from_keras(node) for node in spec["inbound_nodes"]]
        for node in nodes:
            if not isinstance(node, dict):
                continue
            args = [_op_argument(a) for a in node.get("args", [])]
            if function == "get_item" and len(args) == 2 and isinstance(args[1], list):
                args[1] = {"__tuple__": args[1]}  # x[:, 0]: the key was a tuple
            node["args"] = args
            if extras:
                node["kwargs"] = {**extras, **node.get("kwargs", {})}
        out["inbound_nodes"] = nodes
    return out


def _op_argument(value):
    """Keras' slices and Ellipsis in op arguments as TFOpLambda's encoding of them."""
    if isinstance(value, list):
        return [_op_argument(v) for v in value]
    if isinstance(value, dict) and value.get("class_name") == "__slice__":
        c = value.get("config") or {}
        return {"__slice__": [c.get("start"), c.get("stop"), c.get("step")]}
    if isinstance(value, dict) and value.get("class_name") == "__ellipsis__":
        return {"__ellipsis__": True}
    return value


def _node_from_keras(node):
    """An inbound node; keyword arguments Keras recorded as None (``mask=None``) dropped."""
    node = _plain(node)
    if isinstance(node, dict) and isinstance(node.get("kwargs"), dict):
        node["kwargs"] = {k: v for k, v in node["kwargs"].items() if v is not None}
    return node


def _is_custom(cls) -> bool:
    return not cls.__module__.startswith("gpuflow.")


def _check_lambda(path, where, config: dict) -> None:
    """Refuse, in safe mode, a Lambda that stores bytecode (a ``lambda``); one that names a
    function (``def ratio(x)``, found in custom_objects or the registry) runs no stored code
    and loads, as Keras 3."""
    from ..layers.safe_mode import in_safe_mode

    stored = [config.get(key) for key in ("function", "output_shape", "mask")]
    code = any(isinstance(v, dict) and v.get("class_name") == "__lambda__" for v in stored)
    if code and in_safe_mode():
        raise FileFormatError(
            path,
            f"config {where}.Lambda",
            "a Lambda layer stores Python code; "
            "loading it runs that code, refused in safe mode. Pass "
            "safe_mode=False only for a file you trust",
        )


def model_from_keras(spec: dict, path, custom_objects=None) -> tuple[str, dict]:
    """``(class name, gpuflow config)`` of a Keras 3 Sequential or Functional config entry."""
    name = spec.get("class_name")
    config = spec.get("config")
    if not isinstance(config, dict) or not isinstance(config.get("layers"), list):
        raise FileFormatError(path, "config.json", f"{name} config needs a 'layers' list")
    layers = [
        layer_from_keras(s, path, custom_objects, f"layers[{i}]")
        for i, s in enumerate(config["layers"])
    ]
    if name == "Sequential":
        out = {"name": config.get("name", "sequential"), "layers": layers, "input_shape": None}
        shape = config.get("build_input_shape") or (spec.get("build_config") or {}).get(
            "input_shape"
        )
        if layers and layers[0]["class_name"] == "InputLayer":
            first = layers.pop(0)["config"]
            shape = first.get("batch_input_shape")
            if first.get("dtype") == "string":
                out["input_dtype"] = "string"
        text = out.get("input_dtype") == "string"  # (batch,) strings: a rank-1 input too
        if isinstance(shape, list) and (len(shape) > 1 or (text and len(shape) == 1)):
            out["input_shape"] = shape  # the batch shape, as gpuflow's Sequential config
        return "Sequential", out
    if name in ("Functional", "Model"):
        out = {k: _plain(config[k]) for k in ("input_layers", "output_layers") if k in config}
        out.update(
            name=config.get("name", "model"), trainable=config.get("trainable", True), layers=layers
        )
        return "Functional", out
    raise FileFormatError(
        path,
        "config.json",
        f"model class {name!r} is not Sequential or "
        "Functional; subclassed Keras models cannot be rebuilt from a file",
    )


# -- gpuflow to Keras ---------------------------------------------------------------------------
def _keras_object(value: dict, module: str) -> dict:
    return {
        "module": module,
        "class_name": value["class_name"],
        "config": dict(value.get("config") or {}),
        "registered_name": value.get("registered_name"),
    }


def layer_to_keras(spec: dict, input_layer_in_sequential: bool = False) -> dict:
    """gpuflow's serialized layer as Keras 3 writes it."""
    name = spec["class_name"]
    config = dict(spec["config"])
    if name == "TFOpLambda" and _keras_op(config) is not None:
        return _op_to_keras(spec)
    if name in _MODEL_CLASSES:
        out = model_config_to_keras(name, config)
    else:
        if name == "InputLayer":
            shape = config.pop("batch_input_shape", None)  # configs written before Keras 3's key
            config["batch_shape"] = list(config["batch_shape"] if shape is None else shape)
            config.pop("input_shape", None)
            config.setdefault("optional", False)
        else:
            for key in ("batch_input_shape", "input_shape", "batch_size"):
                config.pop(key, None)
            if isinstance(config.get("dtype"), str):
                config["dtype"] = serialized_policy(config["dtype"])
        for key, value in list(config.items()):
            if key == "dtype":
                continue
            kind = key.rsplit("_", 1)[-1]
            if isinstance(value, dict) and value.get("class_name") == "function":
                continue  # a custom function, already in Keras 3's form
            if key == "quantization_config":
                continue  # kept as Keras wrote it (check_quantization_config accepted it)
            if isinstance(value, dict) and "class_name" in value and kind in _MODULES:
                config[key] = _keras_object(value, _MODULES[kind])
            elif isinstance(value, dict) and "class_name" in value and "config" in value:
                config[key] = layer_to_keras(value)  # wrapped layers (Bidirectional, ...)
        out = {
            "module": _KERAS_LAYER_MODULES.get(name, "keras.layers"),
            "class_name": name,
            "config": config,
            "registered_name": spec.get("registered_name"),
        }
    for key in ("name", "inbound_nodes", "build_config"):
        if key in spec:
            out[key] = spec[key]
    return out


# Layers Keras keeps outside keras.layers (its loader imports "keras.src.*" modules).
_KERAS_LAYER_MODULES = {
    "LayerScale": "keras.src.applications.convnext",
    "StochasticDepth": "keras.src.applications.convnext",
}

# KerasTensor operators' TFOpLambda ops -> Keras 3's op classes in keras.src.ops.numpy.
_OPERATOR_OPS = {
    ("math", "add"): "Add",
    ("math", "subtract"): "Subtract",
    ("math", "multiply"): "Multiply",
    ("math", "divide"): "TrueDivide",
    ("math", "pow"): "Power",
    ("linalg", "matmul"): "Matmul",
    ("math", "negative"): "Negative",
    ("math", "abs"): "Absolute",
    ("math", "less"): "Less",
    ("math", "less_equal"): "LessEqual",
    ("math", "greater"): "Greater",
    ("math", "greater_equal"): "GreaterEqual",
    ("indexing", "getitem"): "GetItem",
}


def _keras_op(config: dict) -> str | None:
    return _OPERATOR_OPS.get((config.get("module"), config.get("function")))


def _op_to_keras(spec: dict) -> dict:
    """An operator's TFOpLambda (``x + 3.0``) as the Keras 3 op node Keras writes for it."""
    config = spec["config"]
    class_name = _keras_op(config)
    name = spec.get("name") or config.get("name")
    out = {
        "module": "keras.src.ops.numpy",
        "class_name": class_name,
        "config": {"name": name},
        "registered_name": class_name,
        "name": name,
    }
    if "inbound_nodes" in spec:
        nodes = []
        for node in spec["inbound_nodes"]:
            if isinstance(node, dict):
                node = dict(node, args=[_op_argument_to_keras(a) for a in node.get("args", [])])
            nodes.append(node)
        out["inbound_nodes"] = nodes
    return out


def _op_argument_to_keras(value):
    """TFOpLambda's encoding of slices, Ellipsis and tuples as Keras writes them."""
    if isinstance(value, list):
        return [_op_argument_to_keras(v) for v in value]
    if isinstance(value, dict):
        if "__slice__" in value:
            start, stop, step = value["__slice__"]
            return {
                "class_name": "__slice__",
                "config": {"start": start, "stop": stop, "step": step},
            }
        if "__ellipsis__" in value:
            return {"class_name": "__ellipsis__", "config": {}}
        if "__tuple__" in value:
            return [_op_argument_to_keras(v) for v in value["__tuple__"]]
    return value


def model_config_to_keras(class_name: str, config: dict) -> dict:
    """A gpuflow Sequential/Functional config as Keras 3's ``config.json`` model entry."""
    if class_name == "Sequential":
        layers = [layer_to_keras(s) for s in config["layers"]]
        inner = {
            "name": config.get("name", "sequential"),
            "trainable": config.get("trainable", True),
            "dtype": serialized_policy(config.get("dtype") or "float32"),
            "layers": layers,
        }
        shape = config.get("build_input_shape", config.get("input_shape"))  # the batch shape
        if config["layers"] and config["layers"][0]["class_name"] == "InputLayer":
            inner["build_input_shape"] = list(shape)  # written by Sequential.get_config
        elif shape is not None:  # a config from before Sequential wrote its InputLayer
            batch = list(shape)
            layers.insert(
                0,
                {
                    "module": "keras.layers",
                    "class_name": "InputLayer",
                    "config": {
                        "batch_shape": batch,
                        "dtype": "string" if config.get("input_dtype") == "string" else "float32",
                        "sparse": False,
                        "ragged": False,
                        "name": "input_layer",
                        "optional": False,
                    },
                    "registered_name": None,
                },
            )
            inner["build_input_shape"] = batch
        return {
            "module": "keras",
            "class_name": "Sequential",
            "config": inner,
            "registered_name": None,
            "build_config": {"input_shape": inner.get("build_input_shape")},
        }
    inner = dict(config, layers=[layer_to_keras(s) for s in config["layers"]])
    return {
        "module": "keras.src.models.functional",
        "class_name": "Functional",
        "config": inner,
        "registered_name": "Functional",
        "build_config": {"input_shape": None},
    }


def compile_to_keras(compile_config: dict | None) -> dict:
    """gpuflow's compile settings as Keras 3's ``compile_config``."""
    if not compile_config:
        return {}
    optimizer = compile_config.get("optimizer")
    if isinstance(optimizer, dict):
        optimizer = _keras_object(optimizer, "keras.optimizers")
        optimizer["config"]["name"] = optimizer["config"].get("name", "").lower() or None
        rate = optimizer["config"].get("learning_rate")
        if isinstance(rate, dict) and "class_name" in rate:
            optimizer["config"]["learning_rate"] = _keras_object(rate, "keras.optimizers.schedules")
    loss = _spec_to_keras(compile_config.get("loss"), "keras.losses")
    metrics = _spec_to_keras(compile_config.get("metrics"), "keras.metrics")
    weighted = _spec_to_keras(compile_config.get("weighted_metrics"), "keras.metrics")
    return {
        "optimizer": optimizer,
        "loss": loss,
        "loss_weights": compile_config.get("loss_weights"),
        "metrics": metrics,
        "weighted_metrics": weighted,
        "run_eagerly": bool(compile_config.get("run_eagerly", False)),
        "steps_per_execution": compile_config.get("steps_per_execution", 1),
        "jit_compile": bool(compile_config.get("jit_compile", False)),
    }


def _spec_to_keras(value, module: str):
    """A loss or metrics entry (an object config, a name, or lists / per-output dicts of
    them) with each object config in Keras 3's form."""
    if isinstance(value, dict) and value.get("class_name") == "function":
        return value
    if isinstance(value, dict) and "class_name" in value:
        return _keras_object(value, module)
    if isinstance(value, dict):
        return {key: _spec_to_keras(v, module) for key, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_spec_to_keras(v, module) for v in value]
    return value


def compile_from_keras(compile_config: dict, path) -> dict:
    """Keras 3's ``compile_config`` as gpuflow's (optimizer, loss, metrics), options checked."""
    from .. import optimizers

    optimizer = _plain(compile_config.get("optimizer"))
    if isinstance(optimizer, dict):
        cls = getattr(optimizers, str(optimizer.get("class_name")), None)
        if inspect.isclass(cls):
            optimizer = dict(
                optimizer,
                config=_filter(
                    path,
                    f"compile_config.optimizer.{optimizer['class_name']}",
                    cls,
                    dict(optimizer.get("config") or {}),
                ),
            )
    from .. import losses, metrics

    # a plain function (``loss=keras.losses.mse``, a registered ``"package>fn"``) stays
    # Keras's ``{"class_name": "function", "config": name}``: losses / metrics.deserialize
    # find it among the built-in, registered and custom objects
    loss = _objects(path, "loss", losses, _plain(compile_config.get("loss")))
    found = _objects(path, "metrics", metrics, _plain(compile_config.get("metrics")))
    weighted = _objects(path, "metrics", metrics, _plain(compile_config.get("weighted_metrics")))
    return {
        "optimizer": optimizer,
        "loss": loss,
        "loss_weights": _plain(compile_config.get("loss_weights")),
        "metrics": found,
        "weighted_metrics": weighted,
    }


def _objects(path, field: str, module, value):
    """Loss or metric objects with Keras-only options (left off) removed."""
    if isinstance(value, list):
        return [_objects(path, field, module, v) for v in value]
    if isinstance(value, dict) and "class_name" not in value:  # per output
        return {key: _objects(path, field, module, v) for key, v in value.items()}
    if isinstance(value, dict) and "class_name" in value:
        cls = getattr(module, value["class_name"], None)
        if inspect.isclass(cls):
            return dict(
                value,
                config=_filter(
                    path,
                    f"compile_config.{field}.{value['class_name']}",
                    cls,
                    dict(value.get("config") or {}),
                ),
            )
    return value
