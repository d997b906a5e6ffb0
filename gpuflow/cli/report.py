"""What ``gpuflow train`` writes besides the model: the loss/accuracy plot and summary.json."""

from __future__ import annotations

import json
import os
from pathlib import Path

MODEL = "model.gpuflow"
HISTORY_CSV = "history.csv"
PLOT = "history.png"
LOGS = "logs"
SUMMARY = "summary.json"


def write_plot(history: dict, path: Path, title: str = "") -> str | None:
    """Draws loss and accuracy per epoch (train and validation) into a PNG.

    Uses matplotlib's headless Agg backend, so it works without a display.

    Args:
        history: ``History.history``:
            ``{"loss": [...], "accuracy": [...], "val_loss": [...], ...}``.
        path: The PNG file to write.
        title: A title above both panels.

    Returns:
        None when the file was written, else why not (matplotlib is missing).
    """
    try:
        import matplotlib

        matplotlib.use("Agg", force=True)
        from matplotlib.figure import Figure
        from matplotlib.ticker import MaxNLocator
    except ImportError as exc:
        return f"matplotlib is not installed ({exc}); pip install 'gpuflow[plot]'"
    # A Figure not registered with pyplot: no global state, nothing to close.
    fig = Figure(figsize=(9, 3.6), layout="constrained")
    for ax, key, label in zip(fig.subplots(1, 2), ("loss", "accuracy"), ("loss", "accuracy")):
        for prefix, name in (("", "train"), ("val_", "test")):
            values = history.get(prefix + key)
            if values:
                epochs = range(1, len(values) + 1)
                ax.plot(epochs, values, marker="o", markersize=3, label=name)
        ax.set_xlabel("epoch")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_ylabel(label)
        ax.grid(alpha=0.3)
        ax.legend()
    if title:
        fig.suptitle(title)
    fig.savefig(os.fspath(path), dpi=100)
    return None


def write_summary(summary: dict, path: Path) -> None:
    """Writes ``summary`` as indented JSON."""
    Path(path).write_text(json.dumps(summary, indent=2) + "\n")
