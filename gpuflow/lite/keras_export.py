"""``model.export(path, format="litert")`` (Keras 3): the model as a ``.tflite`` file, written
by gpuflow's :class:`TFLiteConverter` (float32 builtin ops) with the converter settings given
as keyword arguments, as Keras applies them."""

from __future__ import annotations

from .tflite_converter import TFLiteConverter


def export_litert(model, filepath, input_signature=None, verbose=None, **kwargs) -> None:
    """Write ``model`` to ``filepath`` (which must end in ``.tflite``).

    Args:
        input_signature: None (the model's own inputs), or specs whose shapes are the
            model's input shapes (the exported graph takes the model's shapes).
        verbose: print ``Saved artifact at '...'.`` (the default, as Keras).
        **kwargs: converter attributes (``optimizations``, ``target_spec`` as a dict, ...).

    Raises:
        ValueError: another file suffix, or an attribute the converter does not have
            (Keras' messages).
        NotImplementedError: an input signature with other shapes than the model's, or
            settings gpuflow's float32 converter cannot honour (quantization).
    """
    filepath = str(filepath)
    if not filepath.endswith(".tflite"):
        raise ValueError(
            f"The LiteRT export requires the filepath to end with '.tflite'. Got: {filepath}"
        )
    if input_signature is not None:
        _check_signature(model, input_signature)
    converter = TFLiteConverter.from_keras_model(model)
    for attr, value in kwargs.items():
        if attr == "target_spec" and isinstance(value, dict):
            for key, setting in value.items():
                if not hasattr(converter.target_spec, key):
                    raise ValueError(f"Unknown target_spec attribute '{key}'")
                setattr(converter.target_spec, key, setting)
        elif hasattr(converter, attr):
            setattr(converter, attr, value)
        else:
            raise ValueError(f"Unknown converter attribute '{attr}'")
    data = converter.convert()
    with open(filepath, "wb") as out:
        out.write(data)
    if verbose is None or verbose:
        print(f"Saved artifact at '{filepath}'.")


def _shape(spec) -> tuple:
    shape = getattr(spec, "shape", None)
    if shape is None:
        return ()
    return tuple(getattr(shape, "as_list", lambda: list(shape))())


def _check_signature(model, signature) -> None:
    specs = list(signature) if isinstance(signature, (list, tuple)) else [signature]
    inputs = getattr(model, "inputs", None) or []
    mine = [tuple(t.shape) for t in inputs]
    theirs = [_shape(s) for s in specs]
    same = len(mine) == len(theirs) and all(
        len(a) == len(b) and all(x is None or y is None or x == y for x, y in zip(a, b))
        for a, b in zip(mine, theirs)
    )
    if not same:
        raise NotImplementedError(
            f"export(format='litert'): input_signature shapes {theirs} differ from the "
            f"model's input shapes {mine}; gpuflow exports the model's own shapes"
        )
