"""``keras.export``: Keras 3's export namespace (``ExportArchive``); the class lives with
gpuflow's SavedModel code (``gpuflow/saved_model/export_archive.py``)."""

from ..saved_model.export_archive import ExportArchive

__all__ = ["ExportArchive"]
