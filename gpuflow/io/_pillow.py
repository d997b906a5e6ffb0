"""Pillow, the optional dependency that decodes and encodes image files."""

from __future__ import annotations


def pillow(op: str):
    """``PIL.Image``, or an ImportError naming ``op`` and how to install it."""
    try:
        from PIL import Image
    except ImportError:
        raise ImportError(
            f"{op} needs Pillow to decode and encode images: install the extra with "
            "`pip install 'gpuflow[image]'` (or `pip install Pillow`)"
        ) from None
    return Image
