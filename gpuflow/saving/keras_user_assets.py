"""A layer's own assets in a ``.keras`` archive, as Keras 3 keeps them: a layer class that
defines ``save_assets(dir_path)`` writes files into a folder that the archive stores under
``assets/<layer path>/``; on loading, ``load_assets(dir_path)`` reads them back from such
a folder (after the weights, Keras' order)."""

from __future__ import annotations

import os
import tempfile

from . import keras_h5
from .limits import MAX_JSON_BYTES


def _layers_with(model, method: str):
    for group, layer, _ in keras_h5.model_entries(model):
        if keras_h5.user_defines(layer, method):
            yield group[: -len("/vars")], layer


def write(archive, model) -> None:
    """Store each layer's ``save_assets`` files under ``assets/<layer path>/``."""
    for prefix, layer in _layers_with(model, "save_assets"):
        with tempfile.TemporaryDirectory() as folder:
            layer.save_assets(folder)
            for root, _, files in os.walk(folder):
                for name in sorted(files):
                    full = os.path.join(root, name)
                    relative = os.path.relpath(full, folder).replace(os.sep, "/")
                    archive.write(full, f"assets/{prefix}/{relative}")


def read(archive, model, path, read_member) -> None:
    """Give each layer with ``load_assets`` a folder of the files saved for it;
    ``read_member(archive, name, path, limit, out)`` copies one checked zip member."""
    names = archive.namelist()
    for prefix, layer in _layers_with(model, "load_assets"):
        start = f"assets/{prefix}/"
        members = [n for n in names if n.startswith(start) and not n.endswith("/")]
        with tempfile.TemporaryDirectory() as folder:
            for name in members:
                relative = name[len(start) :]
                target = os.path.normpath(os.path.join(folder, relative))
                if not target.startswith(os.path.abspath(folder) + os.sep):
                    continue  # a member naming a path outside the folder: never written
                os.makedirs(os.path.dirname(target), exist_ok=True)
                with open(target, "wb") as out:
                    read_member(archive, name, path, MAX_JSON_BYTES, out)
            layer.load_assets(folder)
