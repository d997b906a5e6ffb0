"""What a TF 1 graph writes beside its checkpoints: ``graph.pbtxt`` (the GraphDef in text
form, as MonitoredTrainingSession and CheckpointSaverHook write it)."""

from __future__ import annotations


def write_graph_text(path: str) -> str:
    import os

    from ..io.write_graph import write_graph
    from .v1_collections import default_graph

    return write_graph(default_graph(), os.path.dirname(path), os.path.basename(path), True)
