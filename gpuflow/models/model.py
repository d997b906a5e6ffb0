"""Model: a Layer with compile / fit / evaluate / predict / save, as ``tf.keras.Model``.

Subclass it and write ``call()`` for custom models; ``Sequential`` is the stack of layers.
"""

from __future__ import annotations

import inspect
import json
import re
import warnings

import numpy as np

from .. import nest
from ..autodiff import no_grad
from ..layers import Layer
from ..layers._context import context as layer_context
from ..layers._context import discarding_losses
from ..layers._inputs import as_shape, shape_of
from ..layers.int8_config import check_quantization_config
from ..layers.probe_state import ProbeState
from ..quantizers.config import resolve_config
from ..symbolic_scope import SymbolicScope
from ..trainers import Trainer
from ..trainers.symbolic_batch import stand_in_batch, sublayers_record_batch
from . import pickling, saving, state_tree
from .summary import print_summary
from .symbolic_prebuild import prebuild_symbolically


class Model(Trainer, Layer):
    """A trainable stack of layers with the Keras training API (see :class:`Trainer`).

    Example (subclassing):
        >>> class MLP(gpuflow.Model):
        ...     def __init__(self):
        ...         super().__init__()
        ...         self.hidden = gpuflow.layers.Dense(64, activation="relu")
        ...         self.out = gpuflow.layers.Dense(10)
        ...     def call(self, x):
        ...         return self.out(self.hidden(x))
    """

    #: the Trainer's bookkeeping: never the model's own weights or layers, so the walks
    #: that collect those (every step, for ``losses``) skip it
    _untracked_attributes = frozenset(
        {
            "_step_variables",
            "_step_layers",
            "last_gradients",
            "optimizer",
            "loss",
            "history",
            "compiled",
            "stop_training",
            "stop_evaluating",
            "stop_predicting",
            "keep_gradients",
            "train_function",
            "test_function",
            "predict_function",
            "_compile_loss",
            "_compile_metrics",
            "_loss_tracker",
            "_compile_arguments",
        }
    )

    #: models build by running their layers (on a dummy batch), not from shapes alone
    _build_symbolically = False

    #: Functional, the class `Model(inputs, outputs)` builds. functional.py sets it when
    #: gpuflow.models imports it: Functional subclasses Model, so this module cannot
    #: import functional.py (arrows point down).
    _functional_class: type | None = None

    def __new__(cls, *args, **kwargs):
        # As Keras: `Model(inputs, outputs)` builds a functional model (a Model subclass).
        if cls is Model and _functional_arguments(args, kwargs):
            Functional = Model._functional_class
            return Functional.__new__(Functional)
        return super().__new__(cls, *args, **kwargs)  # Layer records a user model's arguments

    def __init__(self, *args, **kwargs) -> None:
        Functional = Model._functional_class
        if _functional_arguments(args, kwargs) and not isinstance(self, Functional):
            # `class CustomModel(keras.Model)` built as `CustomModel(inputs, outputs)`: as Keras,
            # the subclass becomes a functional model (its train_step etc. stay its own).
            _inject_functional(type(self))
            Functional.__init__(self, *args, **kwargs)
            return
        if args:  # as Keras 3 (whose Layer.__init__ takes no positional argument)
            raise TypeError(
                f"{type(self).__name__}: Model.__init__ takes positional arguments only as "
                f"(inputs, outputs) of a functional model, received {len(args)} "
                "(a subclass calls super().__init__() or super().__init__(name=...))"
            )
        Layer.__init__(self, **kwargs)
        Trainer.__init__(self)
        self._data_shape = None  # the sample shape the model was built for

    # -- building ----------------------------------------------------------------------
    def build(self, input_shape=None) -> None:
        """Create the weights of a subclassed model by running it once on zeros of ``input_shape``.

        Args:
            input_shape: the input shape, batch axis included (None for it), or a list of them.
        """
        if input_shape is None:
            raise ValueError(f"Model '{self.name}'.build: give input_shape, e.g. (None, 784)")
        shape = as_shape(input_shape)
        self.built = True  # before the call below, which would otherwise build again
        self._build_input_shape = shape

        def zeros_for(s):
            if isinstance(s, dict):
                return {k: zeros_for(v) for k, v in s.items()}
            if isinstance(s, list):
                return [zeros_for(v) for v in s]
            return np.zeros([1 if n is None else n for n in s], dtype=self.compute_dtype)

        batch = shape[0] if isinstance(shape, tuple) and shape else None
        with no_grad(), discarding_losses(), SymbolicScope(), stand_in_batch(batch):
            with sublayers_record_batch(self, batch), ProbeState(self):
                self(zeros_for(shape), training=False)

    def _build_and_init(self, inputs) -> None:
        if type(self).build is Model.build:
            # The first call builds the sub-layers as it runs, after a symbolic run of
            # ``call`` that builds them from the graph's shapes, as Keras 3
            prebuild_symbolically(self, inputs, layer_context.training[0])
            self.built = True
            self._build_input_shape = shape_of(inputs)
            return
        super()._build_and_init(inputs)

    def _build_for(self, sample_shape, op: str, dtype=None) -> None:
        """Build with ``(None,) + sample_shape`` if not built yet (subclasses check the shape).

        ``dtype``: the data's dtype; integer and bool data reach ``call`` as they come (as in
        Keras 3, where only floats are cast to the compute dtype), so the build pass uses it.
        """
        self._data_shape = tuple(sample_shape)
        if not self.built:
            kind = np.dtype(dtype).kind if dtype is not None else "f"
            zeros_dtype = np.dtype(dtype) if kind in "iub" else self.compute_dtype
            batch = self.__dict__.get("_symbolic_batch")
            with no_grad(), stand_in_batch(batch), sublayers_record_batch(self, batch):
                with ProbeState(self):  # as Keras's symbolic build: no assignment stays
                    self(np.zeros((1,) + tuple(sample_shape), dtype=zeros_dtype), training=False)

    # -- inspection ---------------------------------------------------------------------
    @property
    def layers(self) -> list:
        """The model's direct sub-layers (attributes, and inside lists and dicts), in the order
        they were assigned."""
        return self._tracked()[1]

    @property
    def operations(self) -> list:
        """:attr:`layers`, and in a functional model the wrapped ops between them."""
        return self.layers

    def get_layer(self, name: str | None = None, index: int | None = None) -> Layer:
        """A layer of :attr:`layers` by ``name`` or by ``index``.

        Raises:
            ValueError: for both or neither argument, an unknown name, or an index out of range.
        """
        if index is not None and name is not None:
            raise ValueError(
                f"Provide only a layer name or a layer index. Received: index={index}, name={name}."
            )
        layers = self.layers
        if index is not None:
            if not -len(layers) <= index < len(layers):
                raise ValueError(
                    f"Was asked to retrieve layer at index {index} but model "
                    f"'{self.name}' only has {len(layers)} layers."
                )
            return layers[index]
        if name is not None:
            for layer in layers:
                if layer.name == name:
                    return layer
            raise ValueError(
                f"No such layer: {name}. Existing layers are: {[layer.name for layer in layers]}."
            )
        raise ValueError("Provide either a layer name or layer index at `get_layer`.")

    def summary(
        self,
        line_length: int | None = None,
        positions=None,
        print_fn=None,
        expand_nested: bool = False,
        show_trainable: bool = False,
        layer_range=None,
    ) -> None:
        """Print the layers' names and types, output shapes and parameter counts as Keras 3
        does (a functional graph that is not a chain: the layers each one reads), and the
        parameter counts with their sizes. ``print_fn`` gets the whole text in one call.

        ``expand_nested``: also list the layers of nested models (indented);
        ``layer_range``: two name patterns, the first and last layers to show.
        """
        print_summary(
            self, print_fn, line_length, positions, show_trainable, expand_nested, layer_range
        )

    @classmethod
    def from_config(cls, config: dict, custom_objects=None):
        """A model from :meth:`get_config`: a functional graph config gives a functional model."""
        if cls is Model or "input_layers" in config and "output_layers" in config:
            if "input_layers" not in config:
                raise ValueError(
                    f"Model.from_config: not a functional model config: {config!r:.200}"
                )
            return Model._functional_class.from_config(config, custom_objects=custom_objects)
        # A subclassed model: pass the config items its __init__ accepts (a model whose
        # __init__ takes no arguments gets its name afterwards).
        params = inspect.signature(cls.__init__).parameters
        if any(p.kind is p.VAR_KEYWORD for p in params.values()):
            return cls(**config)
        accepted = {k: v for k, v in config.items() if k in params}
        try:
            model = cls(**accepted)
        except TypeError as exc:
            raise TypeError(
                f"Unable to revive model {cls.__name__} from config {config!r}: {exc}. "
                "Override get_config() to return every argument of __init__, and "
                "from_config() if __init__ needs more than the config"
            ) from None
        if "name" in config and "name" not in accepted:
            model._name = config["name"]
        return model

    def to_json(self, **kwargs) -> str:
        """The architecture as JSON, in the layout Keras 3 writes (``module``,
        ``class_name``, ``config``, ``registered_name``, ``build_config``,
        ``compile_config``); ``keras.models.model_from_json`` rebuilds it."""
        from ..saving.keras_archive import model_config

        return json.dumps(model_config(self), **kwargs)

    # -- quantization ---------------------------------------------------------------------
    def quantize(self, mode=None, config=None, filters=None, **kwargs) -> None:
        """Quantize the weights of the model's layers in place (Keras 3): each leaf layer's
        ``quantize(mode, config=...)``; layers without one are skipped with a warning, as
        Keras does. gpuflow implements ``"int8"`` (``Dense``, ``EinsumDense`` and
        ``Embedding``: ``gpuflow/layers/int8_weights.py``), ``"int4"`` (``Dense`` and
        ``Embedding``: ``layers/int4_weights.py``, ``layers/int4_embedding.py``) and
        ``"float8"`` (``Dense`` and ``EinsumDense``: ``layers/float8_weights.py``); a
        layer Keras would quantize in a mode gpuflow lacks for it is refused with
        ``NotImplementedError`` (not skipped).

        Args:
            mode: ``"int8"``, ``"int4"`` or ``"float8"`` (``"gptq"``/``"awq"`` raise
                ``NotImplementedError``); may be left out when ``config`` is given.
            config: a ``keras.quantizers`` ``Int8QuantizationConfig`` (its
                ``activation_quantizer``: an ``AbsMaxQuantizer`` or None for weight-only),
                ``Int4QuantizationConfig`` (``block_size``) or ``Float8QuantizationConfig``.
            filters: a regex, a list of them (matched against layer names) or a callable
                ``layer -> bool``: only matching layers are quantized.
        """
        type_check = kwargs.pop("type_check", True)
        if kwargs:
            raise ValueError(
                f"Unrecognized keyword arguments passed to {type(self).__name__}: {kwargs}"
            )
        config = resolve_config(mode, config)
        mode = config.mode
        if mode not in ("int8", "int4", "float8"):
            raise NotImplementedError(
                f"{type(self).__name__}.quantize: gpuflow implements mode='int8', and 'int4' "
                f"and 'float8' for Dense; received mode={mode!r}"
            )
        # refused here, not layer by layer (where NotImplementedError means "skip it")
        check_quantization_config(config, f"{type(self).__name__}.quantize")
        if (
            filters is not None
            and not isinstance(filters, (str, list, tuple))
            and not callable(filters)
        ):
            raise ValueError(
                "The `filters` argument must be a regex string, a list of regex strings, or a "
                f"callable. Received: {type(filters)}"
            )
        if not self.built:
            raise ValueError(f"{type(self).__name__}.quantize: build the model first")

        def wanted(layer) -> bool:
            if filters is None:
                return True
            if callable(filters):
                return bool(filters(layer))
            patterns = [filters] if isinstance(filters, str) else list(filters)
            return any(re.search(p, layer.name) for p in patterns)

        if mode != "int8":  # Keras would quantize these too: refused, not skipped
            for layer in self._flatten_layers():
                known = getattr(type(layer), "_keras_quantization_modes", ())
                if wanted(layer) and mode in known and mode not in layer._quantization_modes:
                    raise NotImplementedError(
                        f"{type(self).__name__}.quantize: gpuflow does not implement "
                        f"mode={mode!r} for layer {layer.name!r} ({type(layer).__name__}), "
                        "which Keras quantizes; quantize it to 'int8' or leave it out with "
                        "filters="
                    )
        changed = False
        for layer in self._flatten_layers():
            if not wanted(layer) or len(layer._flatten_layers()) != 1:
                continue
            try:
                layer.quantize(mode, type_check=type_check, config=config)
                changed = True
            except NotImplementedError as exc:
                warnings.warn(str(exc), stacklevel=2)
        if changed:
            self.train_function = self.test_function = self.predict_function = None

    # -- saving -------------------------------------------------------------------------
    def get_state_tree(self, value_format: str = "backend_tensor") -> dict:
        """The variables (trainable, non-trainable, optimizer, metrics) nested by their
        paths, as tensors or (``value_format="numpy_array"``) NumPy arrays (Keras 3)."""
        return state_tree.get_state_tree(self, value_format)

    def set_state_tree(self, state_tree_value: dict) -> None:
        """Assign the values of a tree shaped as :meth:`get_state_tree`'s to the variables
        with those paths."""
        state_tree.set_state_tree(self, state_tree_value)

    def save(self, filepath, overwrite: bool = True, zipped=None, **kwargs) -> None:
        """Save architecture, weights and optimizer state in one file, atomically (no pickle).

        Keras 3's keyword arguments: ``include_optimizer`` (default True) and ``save_format``
        (deprecated: accepted with a ``.keras``/``.h5`` path); any other raises ValueError.
        """
        if zipped is False:
            raise ValueError("save: zipped=False (an unzipped folder) is not supported")
        include_optimizer = saving.save_kwargs(filepath, kwargs)
        saving.save_model(self, filepath, overwrite=overwrite, include_optimizer=include_optimizer)

    def save_weights(self, filepath, overwrite: bool = True) -> None:
        saving.save_weights(self, filepath, overwrite=overwrite)

    def __reduce__(self):
        """``pickle.dumps(model)`` and ``copy.deepcopy(model)`` go through the ``.keras``
        format, as Keras 3 (distributed frameworks and scikit-learn pickle or copy models)."""
        return (pickling.unpickle_model, (pickling.model_bytes(self),))

    def load_weights(self, filepath) -> None:
        saving.load_weights(self, filepath)

    def export(
        self, filepath, format: str = "tf_saved_model", verbose=None, input_signature=None, **kwargs
    ) -> None:
        """Export for inference, as Keras 3: ``format="tf_saved_model"`` writes gpuflow's
        SavedModel (reload with ``tf.saved_model.load(path).serve(x)``; see
        docs/saved_model.md); ``format="litert"`` a ``.tflite`` file (float32, gpuflow's
        ``tf.lite.TFLiteConverter``); ``format="onnx"`` an ONNX file (opset 17).

        Raises:
            ValueError: for another format, or a layer with no ONNX mapping (named).
        """
        if format == "tf_saved_model":
            from ..saved_model.export_archive import ExportArchive
            from ..saved_model.save import keras_input_spec

            if kwargs:
                raise ValueError(f"export: unexpected arguments {sorted(kwargs)}")
            if input_signature is None:
                # as Keras' export_utils.make_input_spec: the batch size stays free, also
                # for a model built by a call on one batch
                spec = nest.map_structure(_free_batch, keras_input_spec(self))
                input_signature = [spec]
            archive = ExportArchive()
            archive.track_and_add_endpoint("serve", self, input_signature)
            archive.write_out(filepath, verbose=True if verbose is None else verbose)
            return
        if format == "litert":
            from ..lite.keras_export import export_litert

            export_litert(self, filepath, input_signature, verbose, **kwargs)
            return
        if format != "onnx":
            raise ValueError(
                f"export: format={format!r} is not supported by gpuflow; use "
                "format='tf_saved_model', format='litert' or format='onnx' (or "
                "model.save('m.keras') for Keras)"
            )
        if input_signature is not None or kwargs:
            raise ValueError(
                "export: input_signature and other options are not supported for "
                "ONNX; the model's own input shapes are used"
            )
        from ..saving.onnx_export import export

        export(self, filepath)
        if verbose:
            print(f"Saved artifact at '{filepath}'.")


def _free_batch(spec):
    """``spec`` with its first dimension None."""
    if spec.shape.rank is None or not tuple(spec.shape):
        return spec
    return type(spec)((None,) + tuple(spec.shape)[1:], spec.dtype, spec.name)


def _inject_functional(cls) -> None:
    """Put Functional in place of Model among the bases of ``cls``'s hierarchy (Keras' way)."""
    Functional = Model._functional_class
    for klass in cls.__mro__:
        if Model in klass.__bases__ and klass is not Functional:
            klass.__bases__ = tuple(Functional if b is Model else b for b in klass.__bases__)


def _functional_arguments(args, kwargs) -> bool:
    """Keras's rule for ``Model(...)`` building a functional model: inputs and outputs
    given (positionally, or by name)."""
    return (
        len(args) == 2
        or (len(args) == 1 and "outputs" in kwargs)
        or ("inputs" in kwargs and "outputs" in kwargs)
    )
