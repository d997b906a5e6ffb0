"""``model.summary()`` as Keras 3 prints it: a box table of the layers (name and type,
output shape, parameter count; "Connected to" for a functional graph that is not a chain)
and the parameter counts with their memory sizes."""

from __future__ import annotations

import re
import shutil
import textwrap

import numpy as np


def _count(weights) -> int:
    unique = {id(w): w for w in weights}.values()
    return int(sum(np.prod(w.shape) for w in unique))


def _memory(weights) -> int:
    """Bytes the (unique) weights take, as Keras' ``weight_memory_size``."""
    unique = {id(w): w for w in weights}.values()
    return int(sum(np.prod(w.shape) * np.dtype(_np_dtype(w)).itemsize for w in unique))


def _np_dtype(weight):
    dtype = weight.dtype
    return getattr(dtype, "as_numpy_dtype", dtype)


def readable_memory_size(size: float) -> str:
    """``92.00 B``, ``1.50 KB``, ... as Keras' summary shows sizes."""
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if size / 1024 < 1:
            return f"{size:.2f} {unit}"
        size /= 1024
    return f"{size:.2f} PB"


def _ratio_reduce(total: int, widths: list) -> list:
    """Rich's ``ratio_reduce`` with equal ratios: take ``total`` off ``widths`` evenly."""
    out, remaining, ratio = [], total, len(widths)
    for width in widths:
        cut = min(width, round(remaining / ratio))
        out.append(width - cut)
        remaining -= cut
        ratio -= 1
    return out


def _cell_lines(text: str, width: int) -> list:
    """``text`` wrapped at spaces to ``width`` characters; a word longer than that is cut
    with an ellipsis, as rich's table cells."""
    lines = textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False)
    return [line if len(line) <= width else line[: width - 1] + "…" for line in lines] or [""]


def _table(header: list, rows: list, widths: list, align: list) -> list:
    """The lines of Keras 3's summary table (rich's HEAVY_HEAD box with row lines)."""

    def rule(left, fill, mid, right):
        return left + mid.join(fill * w for w in widths) + right

    def render(cells, edge):
        wrapped = [_cell_lines(str(c), w - 2) for c, w in zip(cells, widths)]
        lines = []
        for i in range(max(len(c) for c in wrapped)):
            parts = []
            for cell, width, how in zip(wrapped, widths, align):
                text = cell[i] if i < len(cell) else ""
                if how == "right":
                    text = text.rjust(width - 2)
                elif how == "center":
                    text = text.center(width - 2)
                else:
                    text = text.ljust(width - 2)
                parts.append(f" {text} ")
            lines.append(edge + edge.join(parts) + edge)
        return lines

    out = [rule("┏", "━", "┳", "┓")] + render(header, "┃") + [rule("┡", "━", "╇", "┩")]
    for i, row in enumerate(rows):
        if i:
            out.append(rule("├", "─", "┼", "┤"))
        out += render(row, "│")
    out.append(rule("└", "─", "┴", "┘"))
    return out


def _sequential_like(model) -> bool:
    """Keras' test: no layer with several inputs, no branch, no shared layer."""
    nodes = getattr(model, "_nodes", None)
    if nodes is None:
        return True
    seen_layers, consumed = set(), set()
    if len(getattr(model, "_input_tensors", ())) > 1:
        return False
    for node in nodes:
        inputs = list(node.input_tensors)
        if len(inputs) > 1 or id(node.layer) in seen_layers:
            return False
        seen_layers.add(id(node.layer))
        for tensor in inputs:
            if id(tensor) in consumed:
                return False
            consumed.add(id(tensor))
    return True


def _layer_range(layers: list, layer_range) -> tuple:
    """``(first, last + 1)`` of the layers whose names match ``layer_range``'s two
    patterns (regular expressions), as Keras' ``get_layer_index_bound_by_layer_name``."""
    if layer_range is None:
        return 0, len(layers)
    if len(layer_range) != 2:
        raise ValueError(
            "layer_range must be a list or tuple of length 2. Received: "
            f"layer_range = {layer_range} of length {len(layer_range)}"
        )
    if not all(isinstance(pattern, str) for pattern in layer_range):
        raise ValueError(f"layer_range should contain string type only. Received: {layer_range}")
    lower = [i for i, layer in enumerate(layers) if re.match(layer_range[0], layer.name)]
    upper = [i for i, layer in enumerate(layers) if re.match(layer_range[1], layer.name)]
    if not lower or not upper:
        raise ValueError(
            f"Passed layer_names do not match the layer names in the model. Received: {layer_range}"
        )
    if min(lower) > max(upper):
        return min(upper), max(lower) + 1
    return min(lower), max(upper) + 1


def print_summary(
    model,
    print_fn=None,
    line_length=None,
    positions=None,
    show_trainable=False,
    expand_nested=False,
    layer_range=None,
) -> None:
    """Print the summary as Keras 3 does: a table of each layer's name and type, output
    shape and parameter count (a functional graph that is not a chain also shows what each
    layer reads, "Connected to"), then the parameter counts with their sizes.

    ``print_fn``: called once with the whole text, as Keras (default: print it)."""
    sequential_like = _sequential_like(model)
    if sequential_like:
        default, header = 88, ["Layer (type)", "Output Shape", "Param #"]
        positions = positions or [0.45, 0.80, 1.0]
        align = ["left", "left", "right"]
    else:
        default, header = 108, ["Layer (type)", "Output Shape", "Param #", "Connected to"]
        positions = positions or [0.3, 0.56, 0.74, 1.0]
        align = ["left", "left", "right", "left"]
    if show_trainable:
        default += 12
        positions = [p * 0.90 for p in positions] + [1.0]
        header.append("Trainable")
        align.append("center")
    line_length = line_length or min(default, shutil.get_terminal_size().columns - 4)
    widths, current = [], 0
    for pos in positions:
        position = int(pos * line_length) if pos <= 1 else int(pos)
        width = position - current
        if width < 4:
            raise ValueError("Insufficient console width to print summary.")
        widths.append(width)
        current += width
    widths = [w + 2 for w in widths]  # the cells' padding
    excess = sum(widths) + len(widths) + 1 - line_length
    if excess > 0:
        widths = _ratio_reduce(excess, widths)
    connected = getattr(model, "node_inputs", None)
    rows = []

    def layer_rows(layer, owner, level=0):
        if not getattr(layer, "built", True):
            params = "0 (unbuilt)"
        else:
            params = f"{_count(layer.weights):,}"
        prefix = "   " * level + "└ " if level else ""
        name = f"{prefix}{layer.name} ({type(layer).__name__})"
        row = [name, _output_shape(owner, layer), params]
        if not sequential_like:
            row.append((", ".join(connected(layer)) if connected is not None else "") or "-")
        if show_trainable:
            row.append(("Y" if layer.trainable else "N") if layer.weights else "-")
        out = [row]
        if expand_nested and getattr(layer, "layers", None):
            for inner in layer.layers:
                out += layer_rows(inner, layer, level + 1)
        return out

    operations = list(model.operations)
    first, last = _layer_range(operations, layer_range)
    for layer in operations[first:last]:
        rows += layer_rows(layer, model)
    trainable, frozen = model.trainable_weights, model.non_trainable_weights
    lines = [f'Model: "{model.name}"'] + _table(header, rows, widths, align)
    counts = [
        ("Total params", _count(trainable) + _count(frozen), _memory(trainable) + _memory(frozen))
    ]
    counts.append(("Trainable params", _count(trainable), _memory(trainable)))
    counts.append(("Non-trainable params", _count(frozen), _memory(frozen)))
    optimizer = getattr(model, "optimizer", None)
    if optimizer is not None and getattr(optimizer, "built", False) and model.compiled:
        variables = optimizer.variables
        counts[0] = (
            "Total params",
            counts[0][1] + _count(variables),
            counts[0][2] + _memory(variables),
        )
        counts.append(("Optimizer params", _count(variables), _memory(variables)))
    lines += [f" {name}: {count:,} ({readable_memory_size(size)})" for name, count, size in counts]
    # rich's console crops what is wider than the terminal (80 columns when not one)
    columns = shutil.get_terminal_size().columns
    text = "\n".join(line[:columns] for line in lines) + "\n"
    if print_fn is None:
        print(text, end="")
    else:
        print_fn(text)


def _output_shape(model, layer) -> str:
    """The layer's output shape: from the model's graph (Sequential, functional), else, as
    Keras 3 does for a subclassed model's layers, ``compute_output_shape`` of the shape it
    was built on (a GRU with return_state: ``((8, 100, 64), (8, 64))``)."""
    known = getattr(model, "layer_output_shape", None)
    shape = known(layer) if known else None
    shapes = _flat_shapes(shape)
    if len(shapes) > 1:  # Keras 3 prints a node's flattened output tensors as a list
        return "[" + ", ".join(str(s) for s in shapes) + "]"
    if shape is None:
        shape = _built_output_shape(layer)
    # Keras 3 shows "?" for a layer it cannot tell a shape of: never called, or called in a
    # subclassed model without a build() of its own (MaxPooling2D, Dropout, Activation)
    return "?" if shape is None else str(shape)


def _flat_shapes(structure) -> list:
    """The shapes (tuples of sizes) in a nested structure of them, in order."""
    if isinstance(structure, dict):
        return [s for v in structure.values() for s in _flat_shapes(v)]
    if isinstance(structure, (list, tuple)):
        if all(d is None or isinstance(d, int) for d in structure):
            return [tuple(structure)]
        return [s for v in structure for s in _flat_shapes(v)]
    return []


def _built_output_shape(layer):
    built_on = getattr(layer, "_build_input_shape", None)
    if built_on is None:
        return _own_output_shape(layer)
    try:
        shape = layer.compute_output_shape(built_on)
    except (NotImplementedError, TypeError, ValueError):
        return None
    if isinstance(shape, (list, tuple)) and shape and isinstance(shape[0], (list, tuple)):
        return "(" + ", ".join(str(tuple(s)) for s in shape) + ")"
    return tuple(shape) if isinstance(shape, (list, tuple)) else shape


def _own_output_shape(layer):
    """A sub-model's output shape known from its Input (the CVAE tutorial's encoder and
    decoder Sequentials, used through methods, never built by a call), as Keras 3 shows."""
    if not hasattr(layer, "layers"):  # models only (no import of the model classes: cycle)
        return None
    try:
        return layer.output_shape
    except (AttributeError, ValueError, RuntimeError):
        return None
