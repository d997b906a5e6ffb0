"""``tf.saved_model``: save a tf.Module (or Keras model) with its variables and traced
functions, and load it back without its Python code.

This is gpuflow's own SavedModel layout (see docs/saved_model.md): TensorFlow's
``saved_model.pb`` is a GraphDef of TensorFlow ops that gpuflow cannot run, so gpuflow
stores each function's recorded gpuflow trace instead. Loading runs no code from the files.
"""

from __future__ import annotations

import os

from . import experimental  # noqa: F401  (tf.saved_model.experimental)
from .asset import Asset
from .load import contains_saved_model
from .load import load as _load
from .save import write as _write

ASSETS_DIRECTORY = "assets"
ASSETS_KEY = "saved_model_assets"
DEBUG_DIRECTORY = "debug"
DEBUG_INFO_FILENAME_PB = "saved_model_debug_info.pb"
DEFAULT_SERVING_SIGNATURE_DEF_KEY = "serving_default"
GPU = "gpu"
TPU = "tpu"
SERVING = "serve"
TRAINING = "train"
SAVED_MODEL_FILENAME_PB = "saved_model.pb"
SAVED_MODEL_FILENAME_PBTXT = "saved_model.pbtxt"
SAVED_MODEL_SCHEMA_VERSION = 1
VARIABLES_DIRECTORY = "variables"
VARIABLES_FILENAME = "variables"
PREDICT_INPUTS = "inputs"
PREDICT_METHOD_NAME = "tensorflow/serving/predict"
PREDICT_OUTPUTS = "outputs"
CLASSIFY_INPUTS = "inputs"
CLASSIFY_METHOD_NAME = "tensorflow/serving/classify"
CLASSIFY_OUTPUT_CLASSES = "classes"
CLASSIFY_OUTPUT_SCORES = "scores"
REGRESS_INPUTS = "inputs"
REGRESS_METHOD_NAME = "tensorflow/serving/regress"
REGRESS_OUTPUTS = "outputs"


class SaveOptions:
    """Options for :func:`save`, as TensorFlow's (accepted; gpuflow's layout has no use for
    them)."""

    __slots__ = (
        "namespace_whitelist",
        "save_debug_info",
        "function_aliases",
        "experimental_debug_stripper",
        "experimental_io_device",
        "experimental_variable_policy",
        "experimental_custom_gradients",
        "experimental_image_format",
        "experimental_skip_saver",
        "experimental_sharding_callback",
        "extra_tags",
    )

    def __init__(
        self,
        namespace_whitelist=None,
        save_debug_info=False,
        function_aliases=None,
        experimental_debug_stripper=False,
        experimental_io_device=None,
        experimental_variable_policy=None,
        experimental_custom_gradients=True,
        experimental_image_format=False,
        experimental_skip_saver=False,
        experimental_sharding_callback=None,
        extra_tags=None,
    ) -> None:
        self.namespace_whitelist = namespace_whitelist
        self.save_debug_info = save_debug_info
        self.function_aliases = function_aliases if function_aliases else {}
        self.experimental_debug_stripper = experimental_debug_stripper
        self.experimental_io_device = experimental_io_device
        self.experimental_variable_policy = experimental_variable_policy
        self.experimental_custom_gradients = experimental_custom_gradients
        self.experimental_image_format = experimental_image_format
        self.experimental_skip_saver = experimental_skip_saver
        self.experimental_sharding_callback = experimental_sharding_callback
        self.extra_tags = extra_tags


class LoadOptions:
    """Options for :func:`load`, as TensorFlow's (accepted)."""

    __slots__ = (
        "allow_partial_checkpoint",
        "experimental_io_device",
        "experimental_skip_checkpoint",
        "experimental_variable_policy",
        "experimental_load_function_aliases",
    )

    def __init__(
        self,
        allow_partial_checkpoint=False,
        experimental_io_device=None,
        experimental_skip_checkpoint=False,
        experimental_variable_policy=None,
        experimental_load_function_aliases=False,
    ) -> None:
        self.allow_partial_checkpoint = allow_partial_checkpoint
        self.experimental_io_device = experimental_io_device
        self.experimental_skip_checkpoint = experimental_skip_checkpoint
        self.experimental_variable_policy = experimental_variable_policy
        self.experimental_load_function_aliases = experimental_load_function_aliases


def _check_options(options, cls, op: str) -> None:
    if options is not None and not isinstance(options, cls):
        raise TypeError(
            f"{op}: options must be a tf.saved_model.{cls.__name__}, received {options!r}"
        )


def save(obj, export_dir, signatures=None, options=None) -> None:
    """Save ``obj`` (a tf.Module, Keras model or other trackable object) to ``export_dir``.

    Saved: the objects reachable from ``obj`` through attributes (children by name), their
    variables (a tf.train.Checkpoint under ``variables/``), and each ``tf.function``'s
    traces: those already made, and for a function with an ``input_signature`` one trace
    that holds for any size of its None dimensions (checked by tracing at two sizes).

    Args:
        obj: the object to save.
        export_dir: the directory to write (created).
        signatures: a tf.function with an input_signature, a ConcreteFunction, or a dict of
            them by signature name; default: a Keras model's call, or ``obj``'s one
            tf.function with an input_signature, as ``"serving_default"``.
        options: a :class:`SaveOptions` (accepted).

    Raises:
        ValueError: for an object that is not trackable, or a function that does something
            the file cannot hold (Python host code, gradients inside it), named.
    """
    from ..train.graph import _kind
    from .load import _UserObject

    _check_options(options, SaveOptions, "tf.saved_model.save")
    if isinstance(obj, _UserObject):
        raise ValueError(
            "tf.saved_model.save: saving an object loaded by tf.saved_model.load again is not "
            "supported by gpuflow yet; copy its directory, or save a tf.Module whose "
            "tf.functions call the loaded object (their traces include its steps)"
        )
    if _kind(obj) is None:
        raise ValueError(
            "Expected an object of type `Trackable`, such as `tf.Module` or a subclass of the "
            f"`Trackable` class, for export. Got {obj!r:.80} with type {type(obj)}."
        )
    _write(obj, export_dir, signatures)


def load(export_dir, tags=None, options=None):
    """Load a SavedModel that :func:`save` wrote: an object with the saved attributes,
    variables and functions, and ``.signatures``.

    Raises:
        OSError: when ``export_dir`` holds no SavedModel.
        ValueError: for TensorFlow's own protobuf SavedModel (gpuflow cannot run its ops),
            or a file that names an op or call gpuflow does not have.
    """
    _check_options(options, LoadOptions, "tf.saved_model.load")
    if not os.path.isdir(os.fspath(export_dir)):
        raise OSError(
            f"SavedModel file does not exist at: {os.fspath(export_dir)}{os.sep}"
            "{saved_model.json}"
        )
    if os.path.isfile(os.path.join(os.fspath(export_dir), "saved_model_v1.json")):
        if V1_LOADER[0] is None:  # installed when tf.compat.v1 is first used
            import sys

            sys.modules["gpuflow"].compat.v1.saved_model  # noqa: B018 - installs it
        return V1_LOADER[0][1](export_dir, tags)  # a TF 1 graph's (compat/v1_saved_model.py)
    return _load(export_dir)


# (contains, load) of TF 1 SavedModels: set by gpuflow/compat/v1_saved_model.py
V1_LOADER: list = [None]


__all__ = [
    "Asset",
    "LoadOptions",
    "SaveOptions",
    "contains_saved_model",
    "load",
    "save",
]
