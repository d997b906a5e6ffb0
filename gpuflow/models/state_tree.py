"""``Model.get_state_tree`` / ``set_state_tree`` (Keras 3): the model's variables nested
by their paths (``{"trainable_variables": {"dense": {"kernel": ...}}, ...}``)."""

from __future__ import annotations

_GROUPS = (
    "trainable_variables",
    "non_trainable_variables",
    "optimizer_variables",
    "metrics_variables",
)


def _leaf_metrics(metrics) -> list:
    """The metrics holding state: a container's (CompileMetrics) inner metrics."""
    out = []
    for metric in metrics:
        inner = getattr(metric, "metrics", None)
        out.extend(_leaf_metrics(inner) if isinstance(inner, list) else [metric])
    return out


def _metric_entries(model) -> list:
    return [entry for metric in _leaf_metrics(model.metrics) for entry in metric._named_state()]


def _variable_entries(variables) -> list:
    return [(v.path, v, v.assign) for v in variables]


def _entries(model, group: str) -> list:
    """``(path, value, assign)`` of each variable of ``group``."""
    if group == "trainable_variables":
        return _variable_entries(model.trainable_variables)
    if group == "non_trainable_variables":
        return _variable_entries(model.non_trainable_variables)
    if group == "metrics_variables":
        return _metric_entries(model)
    optimizer = getattr(model, "optimizer", None)
    if optimizer is None:
        raise ValueError(
            f"Model {model.name!r}: get_state_tree() needs a compiled model (it lists the "
            "optimizer's variables); call compile() first"
        )
    return [(v.path, v, None) for v in optimizer.variables]


def get_state_tree(model, value_format: str = "backend_tensor") -> dict:
    if value_format not in ("backend_tensor", "numpy_array"):
        raise ValueError(
            "Invalid `value_format` argument. Expected one of "
            f"{{'numpy_array', 'backend_tensor'}}. Received: value_format={value_format}"
        )
    tree = {}
    for group in _GROUPS:
        flat = {}
        for path, value, _ in _entries(model, group):
            if path in flat:
                raise ValueError(
                    f"The following variable path is found twice in the model: '{path}'. "
                    "`get_state_tree()` can only be called when all variable paths are "
                    "unique. Make sure to give unique names to your layers (and other "
                    "objects)."
                )
            flat[path] = value.numpy() if value_format == "numpy_array" else value
        tree[group] = _nest(flat)
    return tree


def _nest(flat: dict) -> dict:
    nested = {}
    for path, value in flat.items():
        *parents, leaf = path.split("/")
        node = nested
        for part in parents:
            node = node.setdefault(part, {})
        node[leaf] = value
    return nested


def _flatten(nested: dict, prefix: str = "") -> dict:
    flat = {}
    for key, value in nested.items():
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{prefix}{key}/"))
        else:
            flat[f"{prefix}{key}"] = value
    return flat


def set_state_tree(model, state_tree: dict) -> None:
    for group, nested in state_tree.items():
        if group not in _GROUPS:
            raise ValueError(f"Unknown variable name: {group}")
        values = _flatten(nested)
        if group == "optimizer_variables":
            optimizer = getattr(model, "optimizer", None)
            if optimizer is not None:
                _set_optimizer_values(optimizer, values)
            continue
        for path, _, assign in _entries(model, group):
            if path in values:
                assign(values[path])


def _set_optimizer_values(optimizer, values: dict) -> None:
    """The optimizer's ``variables`` are copies of its state (but for the learning rate
    and a subclass's own variables): write the state through its Keras store."""
    variables = optimizer.variables
    store: dict = {}
    optimizer.save_own_variables(store)
    for i, variable in enumerate(variables[: len(store)]):
        if variable.path in values:
            store[str(i)] = values[variable.path]
    optimizer.load_own_variables(store)
    for variable in variables[len(store) :]:
        if variable.path in values:
            variable.assign(values[variable.path])
