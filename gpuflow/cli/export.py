"""``gpuflow export MODEL OUT.onnx``: a saved model (.keras, legacy .h5, or gpuflow's own
format) written as ONNX for inference runtimes."""

from __future__ import annotations

import argparse
from pathlib import Path


def _onnx_path(value: str) -> str:
    if not value.lower().endswith(".onnx"):
        raise argparse.ArgumentTypeError(f"the output file must end in .onnx, received {value!r}")
    return value


def add_parser(subparsers) -> argparse.ArgumentParser:
    """Registers ``gpuflow export`` on ``subparsers``; returns its parser."""
    p = subparsers.add_parser(
        "export",
        help="convert a saved model to ONNX",
        description="Load a saved model (.keras from Keras 3 or gpuflow, a legacy .h5, or "
        "gpuflow's own format) and write it as ONNX (opset 17).",
    )
    p.add_argument("model", help="the saved model file")
    p.add_argument("output", type=_onnx_path, help="the ONNX file to write (ends in .onnx)")
    p.add_argument(
        "--unsafe",
        action="store_true",
        help="allow Lambda layers (runs code stored in the file: trusted files only)",
    )
    return p


def run(args) -> int:
    from ..models.saving import load_model

    model = load_model(Path(args.model), compile=False, safe_mode=not args.unsafe)
    model.export(args.output, format="onnx")
    print(
        f"wrote {args.output} ({Path(args.output).stat().st_size} bytes, "
        f"{type(model).__name__} {model.name!r})"
    )
    return 0
