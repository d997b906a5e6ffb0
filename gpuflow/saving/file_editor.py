"""``keras.saving.KerasFileEditor``: inspect and edit the weights of a ``.keras`` or
``.weights.h5`` file, as Keras 3.15's (adapt an old file to a changed architecture).

The weights are a nested dict, ``weights_dict``: a group of the HDF5 file is a dict, its
``vars`` datasets its ``"0"``, ``"1"``, ... entries (``{"layers": {"dense": {"0": kernel,
"1": bias}}, "optimizer": {...}}``); empty groups are left out. ``save`` writes the edited
dict as a ``.weights.h5`` file in Keras' layout (``layers/dense/vars/0``).

Differences from Keras, each more lenient: a group holding both variables and sub-objects
(an LSTM's ``cell``) keeps both (Keras keeps only the variables, and none when they are
empty: an LSTM's cell weights are left out), and a bare object name is
counted once per place it occurs (Keras over-counts it when more than one top-level group
follows), and compare() counts each matching weight once (Keras counts nested ones
repeatedly). Reading is as safe as ``load_model``'s: links, external and virtual datasets are
refused and every dataset's size is checked before it is read.
"""

from __future__ import annotations

import collections
import os

import numpy as np

from .errors import FileFormatError
from .keras_archive import METADATA, _h5py, _json, open_archive, read_weights_member
from .limits import check_array_size


class KerasFileEditor:
    """Inspect, edit and resave the weights of a Keras file.

    Args:
        filepath: a ``.keras`` or ``.weights.h5`` file.

    Attributes:
        weights_dict: the weights, nested dicts of NumPy arrays (edit it or use the methods).
        object_metadata: ``{"/layers/dense": {"name": "dense"}, ...}``: each group's HDF5
            attributes (the object's name).
        config, metadata: a ``.keras`` file's ``config.json`` and ``metadata.json`` (None
            for a ``.weights.h5`` file).
    """

    def __init__(self, filepath) -> None:
        self.filepath = filepath = str(filepath)
        self.metadata = None
        self.config = None
        self.model = None
        if filepath.endswith(".keras"):
            archive, self.config = open_archive(filepath)
            try:
                self.metadata = _json(archive, METADATA, filepath)
                h5, tmp = read_weights_member(archive, filepath)
            finally:
                archive.close()
        elif filepath.endswith(".weights.h5"):
            if not os.path.isfile(filepath):
                raise FileNotFoundError(f"KerasFileEditor: no such file: {filepath}")
            tmp = None
            try:
                h5 = _h5py().File(filepath, "r")
            except (OSError, ValueError) as exc:
                raise FileFormatError(filepath, "HDF5", f"not an HDF5 file ({exc})") from None
        else:
            raise ValueError(
                "Invalid filename: expected a `.keras` `.weights.h5` extension. "
                f"Received: filepath={filepath}"
            )
        try:
            self.object_metadata: dict = {}
            self.weights_dict = self._extract(h5, "", [0])
        finally:
            h5.close()
            if tmp is not None:
                tmp.close()
        print(f"Keras model file '{self.filepath}'")
        if self.metadata is not None:
            print(
                f"Saved with Keras {self.metadata.get('keras_version')} - "
                f"date: {self.metadata.get('date_saved')}"
            )

    # -- reading ----------------------------------------------------------------------------
    def _extract(self, group, inner_path: str, total: list) -> collections.OrderedDict:
        h5py = _h5py()
        attrs = {k: _attr(v) for k, v in group.attrs.items()}
        if attrs:
            self.object_metadata[inner_path] = attrs
        result = collections.OrderedDict()
        for key in group.keys():
            path = f"{inner_path}/{key}"
            link = group.get(key, getclass=True, getlink=True)
            if link in (h5py.ExternalLink, h5py.SoftLink):
                raise FileFormatError(self.filepath, path, f"{link.__name__} is not allowed")
            value = group[key]
            if isinstance(value, h5py.Group):
                if key == "vars" and inner_path:
                    continue  # an object's own variables: merged into it by the caller
                entry = collections.OrderedDict()
                if key != "vars" and isinstance(value.get("vars"), h5py.Group):
                    entry.update(self._extract(value["vars"], path, total))
                entry.update(self._extract(value, path, total))
                if entry:
                    result[key] = entry
            elif isinstance(value, h5py.Dataset):
                if value.external:
                    raise FileFormatError(self.filepath, path, "external dataset is not allowed")
                if value.is_virtual:
                    raise FileFormatError(self.filepath, path, "virtual dataset is not allowed")
                check_array_size(self.filepath, path, value.shape, value.dtype.itemsize, total)
                result[key] = np.asarray(value[()])
        return result

    # -- printing ---------------------------------------------------------------------------
    def summary(self) -> None:
        """Print the weights' structure: objects and each weight's shape and dtype."""
        print("Weights structure")
        self._print_structure(self.weights_dict, prefix="  ", inner_path="")

    def _print_structure(self, weights: dict, prefix: str, inner_path: str, first=True):
        for index, (key, value) in enumerate(weights.items()):
            path = f"{inner_path}/{key}"
            last = index == len(weights) - 1
            connector = "> " if first else ("└─ " if last else "├─ ")
            first = False
            if isinstance(value, dict):
                label = f"{prefix}{connector}{key}"
                name = self.object_metadata.get(path, {}).get("name")
                if name is not None and name != key:
                    label += f" ('{name}')"
                print(label)
                self._print_structure(
                    value, prefix + ("    " if last else "│   "), path, first=False
                )
            else:
                print(f"{prefix}{connector}{key}: shape={value.shape}, dtype={value.dtype}")

    # -- comparing --------------------------------------------------------------------------
    def compare(self, reference_model) -> dict:
        """List the differences between the file and ``reference_model``'s weights.

        Returns:
            ``{"status": "success" | "error", "error_count": n, "match_count": m}``.
        """
        print("Running comparison")
        reference = _weight_spec(reference_model)
        checked: set = set()
        errors, matches = _compare(
            self.weights_dict, reference, "", "saved file", "reference model", checked
        )
        more, _ = _compare(
            reference, self.weights_dict, "", "reference model", "saved file", checked
        )
        errors += more
        print("─────────────────────")
        if errors == 0:
            print("Comparison successful: saved file is compatible with the reference model")
            print(f"    Found {matches} matching weight{'' if matches == 1 else 's'}")
        else:
            print(
                f"Found {errors} error{'' if errors == 1 else 's'}: saved file is not "
                "compatible with the reference model"
            )
        return {
            "status": "success" if errors == 0 else "error",
            "error_count": errors,
            "match_count": matches,
        }

    # -- editing ----------------------------------------------------------------------------
    def _edit_object(self, edit, source_name: str, target_name: str | None = None) -> None:
        if target_name is not None and "/" in target_name:
            raise ValueError(
                "Argument `target_name` should be a leaf name, not a full path name. "
                f"Received: target_name='{target_name}'"
            )
        if "/" in source_name:
            elements = source_name.split("/")
            weights = self.weights_dict
            for element in elements[:-1]:
                if not isinstance(weights.get(element), dict):
                    raise ValueError(f"Path '{source_name}' not found in model.")
                weights = weights[element]
            if elements[-1] not in weights:
                raise ValueError(f"Path '{source_name}' not found in model.")
            edit(weights, elements[-1], target_name)
            return
        holders = list(_holders(self.weights_dict, source_name))
        if len(holders) > 1:
            raise ValueError(
                f"Name '{source_name}' occurs more than once in the model; "
                "try passing a complete path"
            )
        if not holders:
            raise ValueError(
                f"Source name '{source_name}' does not appear in the model. "
                "Use `editor.summary()` to list all objects."
            )
        edit(holders[0], source_name, target_name)

    def rename_object(self, object_name: str, new_name: str) -> None:
        """Rename an object (a layer): ``object_name`` is its name or its path
        (``"dense_2"`` or ``"layers/dense_2"``), ``new_name`` a leaf name."""

        def rename(weights, source, target):
            weights[target] = weights.pop(source)

        self._edit_object(rename, object_name, new_name)

    def delete_object(self, object_name: str) -> None:
        """Remove an object (a layer) by its name or path."""
        self._edit_object(lambda weights, source, _: weights.pop(source), object_name)

    def add_object(self, object_path: str, weights: dict) -> None:
        """Add an object at ``object_path`` (``"layers/dense_2"``) with ``weights``,
        ``{"0": kernel, "1": bias}``."""
        _check_weights(weights)
        elements = object_path.split("/")
        holder = self.weights_dict
        for element in elements[:-1]:
            if not isinstance(holder.get(element), dict):
                raise ValueError(f"Path '{'/'.join(elements[:-1])}' not found in model.")
            holder = holder[element]
        holder[elements[-1]] = weights

    def delete_weight(self, object_name: str, weight_name: str) -> None:
        """Remove the weight ``weight_name`` (``"0"``) of an object."""

        def delete(weights, source, _):
            if weight_name not in weights[source]:
                raise ValueError(
                    f"Weight {weight_name} not found in object {object_name}. "
                    f"Weights found: {list(weights[source].keys())}"
                )
            weights[source].pop(weight_name)

        self._edit_object(delete, object_name)

    def add_weights(self, object_name: str, weights: dict) -> None:
        """Add (or replace) weights of an existing object: ``{"2": value, ...}``."""
        _check_weights(weights)
        self._edit_object(lambda held, source, _: held[source].update(weights), object_name)

    # -- writing ----------------------------------------------------------------------------
    def save(self, filepath) -> None:
        """Write the edited weights to ``filepath``, a ``.weights.h5`` file (Keras' layout:
        an object's weights in ``<path>/vars/0..n``)."""
        filepath = str(filepath)
        if not filepath.endswith(".weights.h5"):
            raise ValueError(
                "Invalid `filepath` argument: expected a `.weights.h5` extension. "
                f"Received: filepath={filepath}"
            )
        with _h5py().File(filepath, "w") as h5:
            _write(h5, self.weights_dict, "")

    def resave_weights(self, filepath) -> None:
        """:meth:`save` (Keras' other name)."""
        self.save(filepath)


def _attr(value):
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else value


def _check_weights(weights) -> None:
    if not isinstance(weights, dict):
        raise ValueError(
            "Argument `weights` should be a dict where keys are weight names (usually "
            "'0', '1', etc.) and values are NumPy arrays. "
            f"Received: type(weights)={type(weights)}"
        )


def _holders(weights: dict, name: str):
    """Every dict, ``weights`` and the dicts inside it, that has the key ``name``."""
    if name in weights:
        yield weights
    for value in weights.values():
        if isinstance(value, dict):
            yield from _holders(value, name)


def _write(h5, weights: dict, inner_path: str) -> None:
    """``weights`` under ``inner_path``: arrays in ``<inner_path>/vars``, dicts below."""
    arrays = {k: v for k, v in weights.items() if not isinstance(v, dict)}
    if arrays:
        group = h5.require_group(f"{inner_path}/vars" if inner_path else "vars")
        for key, value in arrays.items():
            group[key] = np.asarray(value)
    for key, value in weights.items():
        if not isinstance(value, dict) or not value:
            continue
        if not inner_path and key == "vars":  # the model's own variables
            group = h5.require_group("vars")
            for name, array in value.items():
                group[name] = np.asarray(array)
        else:
            _write(h5, value, f"{inner_path}/{key}" if inner_path else key)


def _weight_spec(model) -> dict:
    """The nested dict of ``(shape, dtype)`` a file of ``model`` would hold."""
    from .keras_h5 import model_entries, optimizer_arrays

    spec: dict = {}

    def place(path: str, arrays: list) -> None:
        if not arrays:
            return
        holder = spec
        for element in path.split("/"):
            holder = holder.setdefault(element, {})
        for i, array in enumerate(arrays):
            holder[str(i)] = _Spec(tuple(array.shape), np.dtype(array.dtype))

    for group, owner, variables in model_entries(model):
        value = getattr(owner, "_keras_file_value", None)
        arrays = [value(v) if value is not None else v.numpy() for v in variables]
        place(group[: -len("/vars")], [np.asarray(a) for a in arrays])
    optimizer = getattr(model, "optimizer", None)
    if optimizer is not None and getattr(optimizer, "_trainable_variables", None):
        place("optimizer", optimizer_arrays(optimizer, model.trainable_variables))
    return spec


class _Spec:
    """A weight's shape and dtype, as Keras' spec keeps them (a KerasTensor there)."""

    def __init__(self, shape: tuple, dtype) -> None:
        self.shape, self.dtype = shape, dtype


def _compare(target: dict, reference: dict, inner_path, target_name, ref_name, checked):
    errors = matches = 0
    for key, ref in reference.items():
        path = f"{inner_path}/{key}"
        if path in checked:
            continue
        if key not in target:
            errors += 1
            checked.add(path)
            kind = "Object" if isinstance(ref, dict) else "Weight"
            print(f"...{kind} {path} present in {ref_name}, missing from {target_name}")
            if isinstance(ref, dict):
                print(f"    In {ref_name}, {path} contains the following keys: {list(ref)}")
        elif isinstance(ref, dict):
            e, m = _compare(target[key], ref, path, target_name, ref_name, checked)
            errors, matches = errors + e, matches + m
        elif tuple(target[key].shape) != tuple(ref.shape):
            errors += 1
            checked.add(path)
            print(
                f"...Weight shape mismatch for {path}\n    In {ref_name}: "
                f"shape={tuple(ref.shape)}\n    In {target_name}: shape={tuple(target[key].shape)}"
            )
        else:
            matches += 1
    return errors, matches
