"""``TFLiteConverter.from_concrete_functions``: a concrete function that calls a Keras model
is converted through that model, with the function's input signature; the result is checked
against the function itself on an example batch, so a function that computes anything else
is refused rather than written wrongly."""

from __future__ import annotations

import numpy as np

from .. import nest
from .converter import _dims, _is_model, convert_keras_model
from .interpreter import Interpreter


def check_concrete_functions(funcs, model):
    """The one concrete function to convert, after checking what gpuflow can convert."""
    funcs = list(funcs)
    if len(funcs) != 1:
        raise NotImplementedError(
            f"TFLiteConverter.from_concrete_functions: gpuflow converts one concrete function "
            f"(one signature); got {len(funcs)}"
        )
    if not (_is_model(model, "Sequential") or _is_model(model, "Functional")):
        raise NotImplementedError(
            "TFLiteConverter.from_concrete_functions: gpuflow converts concrete functions that "
            "call a Sequential or functional Keras model passed as `trackable_obj`; got "
            f"{type(model).__name__}"
        )
    if not hasattr(funcs[0], "structured_input_signature"):
        raise ValueError(
            "TFLiteConverter.from_concrete_functions: expected ConcreteFunctions "
            f"(tf.function(...).get_concrete_function(...)); got {type(funcs[0]).__name__}"
        )
    return funcs[0]


def convert_concrete(func, model) -> bytes:
    specs = nest.flatten(func.structured_input_signature)
    inputs = [(spec.name or f"arg_{i}", spec) for i, spec in enumerate(specs)]
    content = convert_keras_model(model, inputs)
    rng = np.random.RandomState(0)
    example = [
        rng.uniform(-3, 3, tuple(8 if d is None else d for d in _dims(spec.shape)))
        .astype("float32")
        for spec in specs
    ]  # fmt: skip
    want = [np.asarray(y) for y in nest.flatten(func(*example))]
    runner = Interpreter(model_content=content).get_signature_runner()
    got = runner(**{name: x for (name, _), x in zip(inputs, example)})
    got = [got[f"output_{i}"] for i in range(len(got))]
    if len(got) != len(want) or not all(
        g.shape == w.shape and np.allclose(g, w, rtol=1e-4, atol=1e-5) for g, w in zip(got, want)
    ):
        raise NotImplementedError(
            "TFLiteConverter.from_concrete_functions: the concrete function computes something "
            f"other than a call of {model.name!r}; gpuflow converts functions that return "
            "`model(x)` only"
        )
    return content
