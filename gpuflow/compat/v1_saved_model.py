"""``tf.compat.v1.saved_model``: a TF 1 graph saved with ``Builder`` / ``simple_save``
and loaded back with ``loader.load(sess, tags, export_dir)`` (or TF 2's
``tf.saved_model.load(export_dir).signatures[...]``).

The directory holds ``variables/variables.*`` (a Saver checkpoint) and
``saved_model_v1.json``: for each tag set, the graph's recorded ops (v1_meta_graph.py: the
ops are gpuflow calls, so this is gpuflow's format, not TensorFlow's saved_model.pb) and
its signatures as serialized ``SignatureDef`` protobufs. Signatures, tensor infos and the
MetaGraphDef that ``loader.load`` returns are the tensorboard package's copies of
TensorFlow's protobufs, so ``sig.inputs["x"].name`` reads as in TensorFlow."""

from __future__ import annotations

import base64
import json
import os
import sys
import types

from ..summary import _backend
from . import v1_meta_graph

FILENAME = "saved_model_v1.json"
SERVING, TRAINING, GPU, TPU = "serve", "train", "gpu", "tpu"
DEFAULT_SERVING_SIGNATURE_DEF_KEY = "serving_default"
PREDICT_METHOD_NAME = "tensorflow/serving/predict"
CLASSIFY_METHOD_NAME = "tensorflow/serving/classify"
REGRESS_METHOD_NAME = "tensorflow/serving/regress"
PREDICT_INPUTS, PREDICT_OUTPUTS = "inputs", "outputs"
CLASSIFY_INPUTS, CLASSIFY_OUTPUT_CLASSES, CLASSIFY_OUTPUT_SCORES = "inputs", "classes", "scores"
REGRESS_INPUTS, REGRESS_OUTPUTS = "inputs", "outputs"
LEGACY_INIT_OP_KEY, MAIN_OP_KEY = "legacy_init_op", "saved_model_main_op"
_DT_STRING, _DT_FLOAT = 7, 1  # TensorFlow's DataType enum values
VARIABLES_DIRECTORY, VARIABLES_FILENAME = "variables", "variables"


def _pb():
    _backend.require("tf.compat.v1.saved_model")
    from tensorboard.compat.proto import meta_graph_pb2, tensor_shape_pb2

    return meta_graph_pb2, tensor_shape_pb2


def build_tensor_info(tensor):
    """A ``TensorInfo``: the tensor's name, dtype and shape."""
    meta_graph_pb2, tensor_shape_pb2 = _pb()
    info = meta_graph_pb2.TensorInfo(name=tensor.name, dtype=tensor.dtype.as_datatype_enum)
    shape = tensor.shape
    if shape.rank is None:
        info.tensor_shape.CopyFrom(tensor_shape_pb2.TensorShapeProto(unknown_rank=True))
    else:
        dims = [tensor_shape_pb2.TensorShapeProto.Dim(size=-1 if d is None else d) for d in shape]
        info.tensor_shape.CopyFrom(tensor_shape_pb2.TensorShapeProto(dim=dims))
    return info


def build_signature_def(inputs=None, outputs=None, method_name=None, defaults=None):
    """A ``SignatureDef`` from dicts of TensorInfos."""
    meta_graph_pb2, _ = _pb()
    signature = meta_graph_pb2.SignatureDef()
    for key, info in (inputs or {}).items():
        signature.inputs[key].CopyFrom(info)
    for key, info in (outputs or {}).items():
        signature.outputs[key].CopyFrom(info)
    if method_name is not None:
        signature.method_name = method_name
    return signature


def predict_signature_def(inputs, outputs):
    """The predict SignatureDef of dicts of tensors."""
    if inputs is None or not inputs:
        raise ValueError("Prediction `inputs` cannot be None or empty.")
    if outputs is None or not outputs:
        raise ValueError("Prediction `outputs` cannot be None or empty.")
    return build_signature_def(
        {k: build_tensor_info(v) for k, v in inputs.items()},
        {k: build_tensor_info(v) for k, v in outputs.items()},
        PREDICT_METHOD_NAME,
    )


def _examples_info(examples, kind: str, wording: str):
    if examples is None:
        raise ValueError(f"{kind} `examples` cannot be None.")
    if not hasattr(examples, "dtype") or not hasattr(examples, "name"):
        raise ValueError(f"{wording}. Found `examples` of type {type(examples)}.")
    info = build_tensor_info(examples)
    if info.dtype != _DT_STRING:
        raise ValueError(
            f"{kind} input tensors must be of type string. Found tensors of type {info.dtype}."
        )
    return info


def classification_signature_def(examples, classes, scores):
    """A classify SignatureDef: serialized tf.Examples in, string classes and/or float
    scores out (TensorFlow Serving's Classify API)."""
    info = _examples_info(
        examples, "Classification", "Classification `examples` must be a string Tensor"
    )
    if classes is None and scores is None:
        raise ValueError("Classification `classes` and `scores` cannot both be None.")
    outputs = {}
    if classes is not None:
        outputs[CLASSIFY_OUTPUT_CLASSES] = build_tensor_info(classes)
        if outputs[CLASSIFY_OUTPUT_CLASSES].dtype != _DT_STRING:
            raise ValueError(
                "Classification classes must be of type string Tensor. Found tensors of type "
                f"{outputs[CLASSIFY_OUTPUT_CLASSES].dtype}.`"
            )
    if scores is not None:
        outputs[CLASSIFY_OUTPUT_SCORES] = build_tensor_info(scores)
        if outputs[CLASSIFY_OUTPUT_SCORES].dtype != _DT_FLOAT:
            raise ValueError("Classification scores must be a float Tensor.")
    return build_signature_def({CLASSIFY_INPUTS: info}, outputs, CLASSIFY_METHOD_NAME)


def regression_signature_def(examples, predictions):
    """A regress SignatureDef: serialized tf.Examples in, float predictions out."""
    info = _examples_info(
        examples, "Regression", "Expected regression `examples` to be of type Tensor"
    )
    if predictions is None:
        raise ValueError("Regression `predictions` cannot be None.")
    out = build_tensor_info(predictions)
    if out.dtype != _DT_FLOAT:
        raise ValueError(
            f"Regression output tensors must be of type float. Found tensors with type {out.dtype}."
        )
    return build_signature_def({REGRESS_INPUTS: info}, {REGRESS_OUTPUTS: out}, REGRESS_METHOD_NAME)


def main_op():
    """The op that a SavedModel runs after restoring: the local variables' initializers."""
    from .v1_variables import local_variables_initializer

    return local_variables_initializer()


def main_op_with_restore(restore_op_name):
    from .v1_dispatch import control_dependencies

    with control_dependencies([restore_op_name]):
        return main_op()


def is_valid_signature(signature_def) -> bool:
    return bool(signature_def.method_name) and bool(signature_def.outputs)


def get_tensor_from_tensor_info(tensor_info, graph=None, import_scope=None):
    from .v1_collections import default_graph

    return (graph or default_graph()).get_tensor_by_name(tensor_info.name)


class Builder:
    """Writes one or more meta graphs (each under a set of tags, with its signatures) and
    the variables of the first one into ``export_dir``; ``save()`` finishes."""

    def __init__(self, export_dir) -> None:
        export_dir = os.fspath(export_dir)
        if os.path.exists(export_dir):
            if os.listdir(export_dir):
                raise AssertionError(
                    f"Export directory {export_dir} already exists, and isn't empty. Please "
                    "choose a different export directory, or delete all the contents of the "
                    "specified directory."
                )
        else:
            os.makedirs(export_dir)
        self._dir = export_dir
        self._graphs: list = []
        self._has_variables = False

    def _add(self, tags, signature_def_map) -> None:
        if tags is None or isinstance(tags, str):
            raise TypeError("tags must be a list or set of strings")
        for key, signature in (signature_def_map or {}).items():
            if not signature.outputs:
                raise ValueError(f"Signature {key!r} has no outputs")
        self._graphs.append(
            {
                "tags": sorted(tags),
                "meta_graph": v1_meta_graph.export_meta_graph(),
                "signatures": {
                    k: base64.b64encode(s.SerializeToString()).decode("ascii")
                    for k, s in (signature_def_map or {}).items()
                },
            }
        )

    def add_meta_graph_and_variables(self, sess, tags, signature_def_map=None,
                                     assets_collection=None, legacy_init_op=None,
                                     clear_devices=False, main_op=None,
                                     strip_default_attrs=False, saver=None, train_op=None,
                                     init_op=None):  # fmt: skip
        if self._has_variables:
            raise AssertionError(
                "Graph state including variables and assets has already been saved. Please "
                "invoke `add_meta_graph()` instead."
            )
        from .v1_collections import global_variables
        from .v1_saver import Saver

        folder = os.path.join(self._dir, VARIABLES_DIRECTORY)
        os.makedirs(folder, exist_ok=True)
        if global_variables():
            (saver or Saver()).save(
                sess, os.path.join(folder, VARIABLES_FILENAME), write_meta_graph=False,
                write_state=False,
            )  # fmt: skip
        self._has_variables = True
        self._add(tags, signature_def_map)

    def add_meta_graph(self, tags, signature_def_map=None, assets_collection=None,
                       legacy_init_op=None, clear_devices=False, main_op=None,
                       strip_default_attrs=False, saver=None):  # fmt: skip
        if not self._has_variables:
            raise AssertionError(
                "Graph state including variables and assets has not been saved yet. Please "
                "invoke `add_meta_graph_and_variables()` first."
            )
        self._add(tags, signature_def_map)

    def save(self, as_text=False) -> bytes:
        path = os.path.join(self._dir, FILENAME)
        with open(path, "w", encoding="utf-8") as out:
            json.dump({"format": "gpuflow.saved_model_v1/1", "meta_graphs": self._graphs}, out)
        return path.encode()


def simple_save(session, export_dir, inputs, outputs, legacy_init_op=None) -> None:
    """Save ``session``'s graph and variables with one predict signature,
    ``serving_default``, under the ``serve`` tag."""
    builder = Builder(export_dir)
    builder.add_meta_graph_and_variables(
        session,
        [SERVING],
        signature_def_map={
            DEFAULT_SERVING_SIGNATURE_DEF_KEY: predict_signature_def(inputs, outputs)
        },
        legacy_init_op=legacy_init_op,
    )
    builder.save()


def contains(export_dir) -> bool:
    return os.path.isfile(os.path.join(os.fspath(export_dir), FILENAME))


def _read(export_dir) -> dict:
    path = os.path.join(os.fspath(export_dir), FILENAME)
    if not os.path.isfile(path):
        raise OSError(f"SavedModel file does not exist at: {export_dir}{os.sep}{FILENAME}")
    with open(path, encoding="utf-8") as source:
        return json.load(source)


def _find(saved: dict, tags, export_dir) -> dict:
    given = [tags] if isinstance(tags, str) else list(tags or [])
    wanted = sorted(set(given))
    for graph in saved["meta_graphs"]:
        if graph["tags"] == wanted:
            return graph
    available = [graph["tags"] for graph in saved["meta_graphs"]]
    raise RuntimeError(
        f"MetaGraphDef associated with tags {str(given).strip('[]')} could not be found in "
        "SavedModel, with "
        f"available tags '{available}'. To inspect available tag-sets in the SavedModel, "
        "please use the SavedModel CLI: `saved_model_cli`."
    )


def load(sess, tags, export_dir, import_scope=None, **saver_kwargs):
    """Build the meta graph saved under ``tags`` into the current graph and restore its
    variables into ``sess``; the ``MetaGraphDef`` (its ``signature_def`` map)."""
    meta_graph_pb2, _ = _pb()
    graph = _find(_read(export_dir), tags, export_dir)
    saver = v1_meta_graph.import_meta_graph(graph["meta_graph"])
    if saver is not None:
        prefix = os.path.join(os.fspath(export_dir), VARIABLES_DIRECTORY, VARIABLES_FILENAME)
        saver.restore(sess, prefix)
    meta = meta_graph_pb2.MetaGraphDef()
    meta.meta_info_def.tags.extend(graph["tags"])
    for key, blob in graph["signatures"].items():
        meta.signature_def[key].ParseFromString(base64.b64decode(blob))
    return meta


def maybe_saved_model_directory(export_dir) -> bool:
    return contains(export_dir)


class _Loaded:
    """What TF 2's ``tf.saved_model.load`` gives for a TF 1 SavedModel: ``signatures``,
    functions of keyword tensors returning a dict of the outputs, run in the model's own
    graph and session."""

    def __init__(self, export_dir, tags) -> None:
        tf = sys.modules["gpuflow"]
        saved = _read(export_dir)
        if tags is None:
            tags = saved["meta_graphs"][0]["tags"] if len(saved["meta_graphs"]) == 1 else SERVING
        self.graph = tf.Graph()
        with self.graph.as_default():
            from .v1_session import Session

            self._session = Session(graph=self.graph)
            meta = load(self._session, tags, export_dir)
        self.signatures = {
            key: self._function(signature) for key, signature in meta.signature_def.items()
        }

    def _function(self, signature):
        tf = sys.modules["gpuflow"]
        inputs = dict(signature.inputs)
        outputs = dict(signature.outputs)

        def call(**kwargs):
            missing = sorted(set(inputs) - set(kwargs))
            if missing or set(kwargs) - set(inputs):
                raise TypeError(
                    f"signature_wrapper: expected the keyword arguments {sorted(inputs)}, "
                    f"received {sorted(kwargs)}"
                )
            with self.graph.as_default():
                feeds = {
                    self.graph.get_tensor_by_name(inputs[k].name): v for k, v in kwargs.items()
                }
                fetches = {k: self.graph.get_tensor_by_name(o.name) for k, o in outputs.items()}
                values = self._session.run(fetches, feeds)
            return {k: tf.constant(v) for k, v in values.items()}

        call.structured_outputs = {k: None for k in outputs}
        return call


def load_v2(export_dir, tags=None):
    return _Loaded(export_dir, tags)


def _namespace():
    """``tf.compat.v1.saved_model``: TF 2's names plus the TF 1 builder and loader."""
    from .. import saved_model as v2

    names = {n: getattr(v2, n) for n in dir(v2) if not n.startswith("_")}
    here = sys.modules[__name__]
    constants = {
        n: getattr(here, n)
        for n in ("SERVING", "TRAINING", "GPU", "TPU", "DEFAULT_SERVING_SIGNATURE_DEF_KEY",
                  "PREDICT_METHOD_NAME", "CLASSIFY_METHOD_NAME", "REGRESS_METHOD_NAME",
                  "PREDICT_INPUTS", "PREDICT_OUTPUTS", "CLASSIFY_INPUTS",
                  "CLASSIFY_OUTPUT_CLASSES", "CLASSIFY_OUTPUT_SCORES", "REGRESS_INPUTS",
                  "REGRESS_OUTPUTS", "VARIABLES_DIRECTORY", "VARIABLES_FILENAME",
                  "LEGACY_INIT_OP_KEY", "MAIN_OP_KEY")
    }  # fmt: skip
    signature_utils = types.SimpleNamespace(
        build_signature_def=build_signature_def,
        predict_signature_def=predict_signature_def,
        classification_signature_def=classification_signature_def,
        regression_signature_def=regression_signature_def,
        is_valid_signature=is_valid_signature,
    )
    names.update(constants)
    names.update(
        Builder=Builder,
        builder=types.SimpleNamespace(SavedModelBuilder=Builder),
        simple_save=simple_save,
        load=load,
        load_v2=v2.load,
        loader=types.SimpleNamespace(
            load=load, maybe_saved_model_directory=maybe_saved_model_directory
        ),
        maybe_saved_model_directory=maybe_saved_model_directory,
        build_tensor_info=build_tensor_info,
        build_signature_def=build_signature_def,
        predict_signature_def=predict_signature_def,
        classification_signature_def=classification_signature_def,
        regression_signature_def=regression_signature_def,
        main_op=types.SimpleNamespace(main_op=main_op, main_op_with_restore=main_op_with_restore),
        main_op_with_restore=main_op_with_restore,
        constants=types.SimpleNamespace(
            **{k: getattr(v2, k) for k in dir(v2) if k.isupper()},
            LEGACY_INIT_OP_KEY=LEGACY_INIT_OP_KEY,
            MAIN_OP_KEY=MAIN_OP_KEY,
        ),
        is_valid_signature=is_valid_signature,
        get_tensor_from_tensor_info=get_tensor_from_tensor_info,
        signature_def_utils=signature_utils,
        utils=types.SimpleNamespace(
            build_tensor_info=build_tensor_info,
            get_tensor_from_tensor_info=get_tensor_from_tensor_info,
        ),
        tag_constants=types.SimpleNamespace(SERVING=SERVING, TRAINING=TRAINING, GPU=GPU, TPU=TPU),
        signature_constants=types.SimpleNamespace(**constants),
    )  # fmt: skip
    return types.SimpleNamespace(**names)


def install_loader_hook() -> None:
    """TF 2's ``tf.saved_model.load`` reads the directories written here too."""
    from ..saved_model import V1_LOADER

    V1_LOADER[0] = (contains, load_v2)


def __getattr__(name: str):
    if name == "namespace":
        value = globals()[name] = _namespace()
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
